"""File → Export conversation… and Import conversations…: the core's conversation files, from the window.

Both run on the GUI thread: a conversation is small, and an import is checked whole before one transaction.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMenuBar, QStatusBar, QWidget

from assistant.errors import AssistantError

if TYPE_CHECKING:
    from assistant.conversations import ConversationStore
    from ui.conversation_list import ConversationList


class FilesHost(Protocol):
    """The window, as export and import use it: the store, the conversation list, its bars, its errors."""

    store: ConversationStore
    conversations: ConversationList

    @property
    def generating(self) -> bool: ...  # a chat reply is on its way

    def window(self) -> QWidget: ...  # the dialogs' parent

    def menuBar(self) -> QMenuBar: ...  # noqa: N802 - Qt's name

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name

    def show_error(self, message: str) -> None: ...


def add_file_menu(window: FilesHost) -> None:
    """The File menu, first in the menu bar."""
    menu = window.menuBar().addMenu(QCoreApplication.translate("ConversationFiles", "&File"))
    menu.addAction(
        QCoreApplication.translate("ConversationFiles", "&Export conversation…"), lambda: export_current(window)
    )
    menu.addAction(
        QCoreApplication.translate("ConversationFiles", "&Import conversations…"), lambda: import_conversations(window)
    )


def export_current(window: FilesHost) -> Path | None:
    """Ask where, then write the shown conversation as Markdown or JSON (by the chosen type); the file or None."""
    from assistant.atomic import atomic_write_text
    from assistant.conversation_files import export_json, export_markdown, model_name

    conversation_id = window.conversations.current_id()
    if not conversation_id:
        window.show_error(
            QCoreApplication.translate("ConversationFiles", "Choose a conversation in the list to export.")
        )
        return None
    markdown = QCoreApplication.translate("ConversationFiles", "Markdown, to read (*.md)")
    lossless = QCoreApplication.translate("ConversationFiles", "JSON, to import again (*.json)")
    try:
        title = window.store.get(conversation_id).title
        name, chosen = QFileDialog.getSaveFileName(
            window.window(),
            QCoreApplication.translate("ConversationFiles", "Export conversation"),
            str(Path.home() / f"{_file_stem(title)}.md"),
            f"{markdown};;{lossless}",
        )
        if not name:
            return None
        path = Path(name)
        as_json = path.suffix.lower() == ".json" or (chosen == lossless and path.suffix.lower() != ".md")
        if not path.suffix:
            path = path.with_suffix(".json" if as_json else ".md")
        store = window.store
        text = export_json(store, [conversation_id]) if as_json else export_markdown(store, conversation_id, model_name)
        atomic_write_text(path, text)
    except AssistantError as exc:
        window.show_error(str(exc))
        return None
    window.statusBar().showMessage(
        QCoreApplication.translate("ConversationFiles", "Exported “{title}” to {path}").format(title=title, path=path),
        8000,
    )
    return path


def import_conversations(window: FilesHost) -> list[int]:
    """Ask for a file, add its conversations as new ones, show the first; their ids ([] when none)."""
    from assistant.conversation_files import import_file

    name, _ = QFileDialog.getOpenFileName(
        window.window(),
        QCoreApplication.translate("ConversationFiles", "Import conversations"),
        str(Path.home()),
        QCoreApplication.translate(
            "ConversationFiles", "Conversations: Private Assistant JSON, ChatGPT export (*.json *.zip);;All files (*)"
        ),
    )
    if not name:
        return []
    try:
        result = import_file(window.store, Path(name))
    except AssistantError as exc:
        window.show_error(str(exc))
        return []
    ids = [c.id for c in result.conversations]
    window.conversations.search.clear()
    window.conversations.refresh(select=ids[0] if ids and not window.generating else None)
    count = len(ids)
    if count == 1:
        message = QCoreApplication.translate("ConversationFiles", "Imported 1 conversation from {file}.")
    else:
        message = QCoreApplication.translate("ConversationFiles", "Imported {count} conversations from {file}.")
    if result.skipped:
        message += " " + QCoreApplication.translate(
            "ConversationFiles", "Skipped {skipped} with only tool, system or hidden messages."
        ).format(skipped=result.skipped)
    window.statusBar().showMessage(message.format(count=count, file=Path(name).name), 8000)
    return ids


def _file_stem(title: str) -> str:
    """A file name from a title: letters (any script), digits, spaces, dashes."""
    return re.sub(r"[^\w\- ]+", "", title).strip()[:80] or "conversation"
