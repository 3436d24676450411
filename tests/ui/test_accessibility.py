"""Everyone can use the window: accessible names, announcements, shortcuts, text size, files dropped anywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTabBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from assistant.config import load_settings
from tests.fakes import FakeRuntime
from tests.library_files import make_corpus
from tests.ui.conftest import OpenWindow
from tests.ui.test_chat_window import type_and_send, wait_done
from tests.ui.test_library_window import table
from ui import chat_view
from ui.main_window import MainWindow

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QTextEdit,
    QPlainTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QAbstractSlider,
    QTabBar,
)


def qt_internal(widget: QWidget) -> bool:
    """Parts Qt makes inside its own widgets (scroll bars, a combo box's list, a line edit's clear button)."""
    if widget.objectName().startswith("qt_") or isinstance(widget, QScrollBar | QHeaderView):
        return True
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox | QLineEdit | QAbstractSpinBox):
            return True
        parent = parent.parentWidget()
    return False


def unnamed(top: QWidget) -> list[str]:
    """Interactive widgets a screen reader would announce without a name."""
    found = []
    for widget in top.findChildren(QWidget):
        if isinstance(widget, INTERACTIVE) and not qt_internal(widget):
            interface = QAccessible.queryAccessibleInterface(widget)
            if interface is None or not interface.text(QAccessible.Text.Name).strip():
                found.append(f"{type(top).__name__}: {type(widget).__name__} in {type(widget.parent()).__name__}")
    return found


def test_no_interactive_widget_is_without_an_accessible_name(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(FakeRuntime(["hi"]))
    window.writing.open()
    window.escalation.open_settings()
    window.menus.open_local_server()
    window.menus.open_shortcuts()
    tops = [
        window,
        window.writing.pane,
        window.escalation.settings_dialog,
        window.menus.local_server_dialog,
        window.menus.shortcuts_dialog,
    ]
    assert all(top is not None and top.isVisible() for top in tops)
    missing = [line for top in tops for line in unnamed(top)]
    assert missing == []


def test_a_finished_reply_is_announced_to_screen_readers(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    announced: list[tuple[str, Any]] = []
    real = QAccessible.updateAccessibility

    def record(event: Any) -> None:
        if isinstance(event, QAccessibleAnnouncementEvent):
            announced.append((event.message(), event.politeness()))
        real(event)

    monkeypatch.setattr(chat_view.QAccessible, "updateAccessibility", record)
    window = open_window(FakeRuntime(["Paris is the capital of France."]))
    type_and_send(qtbot, window, "Capital of France?")
    wait_done(qtbot, window)
    assert announced == [("Reply finished: Paris is the capital of France.", QAccessible.AnnouncementPoliteness.Polite)]


def drop(window: MainWindow, target: QWidget, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    where = QPointF(target.rect().center())
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(where, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    dropped = QDropEvent(where, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, dropped)
    assert dropped.isAccepted()


@pytest.mark.integration
def test_a_folder_dropped_on_the_chat_is_indexed_and_the_message_box_keeps_its_text(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "birds"
    make_corpus(folder)
    window = open_window(FakeRuntime(["hi"]))
    window.composer.setPlainText("draft")
    with qtbot.waitSignal(window.library_thread.worker.synced, timeout=120_000):
        drop(window, window.composer.viewport(), [folder])  # dropped on the message box, of all places
    qtbot.waitUntil(lambda: window.library_view.progress_label.text().startswith("Done"), timeout=10_000)
    assert window.pages.currentWidget() is window.library_view  # where the progress and each file show
    assert window.composer.toPlainText() == "draft"  # no file address pasted into it
    assert {name: status for name, (status, _) in table(window).items()} == {
        "seabirds.pdf": "Indexed",
        "garden.docx": "Indexed",
        "bread.md": "Indexed",
        "bikes.txt": "Indexed",
    }


def activate(qtbot: QtBot, window: MainWindow) -> None:
    """The window in front, as a person's is: window shortcuts only reach the active window."""
    handle = window.windowHandle()
    assert handle is not None
    handle.requestActivate()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)


def test_shortcuts_are_listed_and_text_size_follows_ctrl_plus_and_minus(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(FakeRuntime(["hi"]))
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    next(a for a in help_menu.actions() if a.text() == "&Keyboard shortcuts").trigger()
    listed = window.menus.shortcuts_dialog.table
    keys = {listed.item(r, 0).text(): listed.item(r, 1).text() for r in range(listed.rowCount())}
    assert keys["Esc"].startswith("Stop the reply") and keys["Ctrl+Shift+E"].startswith("Ask the cloud")
    for action in (a for menu in window.menuBar().actions() for a in menu.menu().actions()):
        if not action.shortcut().isEmpty():  # every menu shortcut is in the list
            text = action.shortcut().toString()
            assert text in keys or text.replace("Ctrl+=", "Ctrl++") in keys, text
    window.menus.shortcuts_dialog.close()

    activate(qtbot, window)
    base = QApplication.font().pointSizeF()
    window.composer.setFocus()
    qtbot.keyClick(window.composer, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.composer, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.font().pointSizeF() == pytest.approx(base * 1.2)
    qtbot.waitUntil(lambda: window.composer.font().pointSizeF() == pytest.approx(base * 1.2), timeout=2_000)
    qtbot.keyClick(window.composer, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.font().pointSizeF() == pytest.approx(base * 1.1)
    window.close()
    assert load_settings().window["text_step"] == 1  # remembered
    window.menus.text_size.normal()
    assert QApplication.font().pointSizeF() == pytest.approx(base)
