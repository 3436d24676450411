"""The sidebar's navigation: "Chats" or "Library", each a page of the window's main area.

The library needs the width (its files, their status and the reason a file failed), so it is a page
beside the chat rather than a tab in the sidebar; the conversation list stays in the sidebar, under
these two buttons. This module owns which page shows; the window only wires the moments that switch.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QStackedWidget, QWidget


class Navigation(QWidget):
    """Two exclusive buttons that show the chat page or the library page of ``pages``.

    ``chat_page`` is what "Chats" shows: the welcome page on the first launch, until it closes
    (:meth:`set_chat_page`), then the chat. ``chat_focus`` takes the keyboard when the person goes
    to the chat by the button or Ctrl+1 (not when a conversation is picked: the list keeps it).
    """

    def __init__(
        self,
        pages: QStackedWidget,
        chat_page: QWidget,
        library_page: QWidget,
        chat_focus: QWidget | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.pages = pages
        self.chat_page = chat_page
        self.library_page = library_page
        self.chat_focus = chat_focus
        if pages.indexOf(library_page) < 0:
            pages.addWidget(library_page)
        self.chats_button = self._button(
            self.tr("Chats"), self.tr("Show the chat (Ctrl+1)"), self.tr("Shows the conversation and the message box")
        )
        self.library_button = self._button(
            self.tr("Library"),
            self.tr("Show the library (Ctrl+2)"),
            self.tr("Shows your document collections, their files and the indexing progress"),
        )
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button in (self.chats_button, self.library_button):
            self.group.addButton(button)
            layout.addWidget(button, 1)
        self.chats_button.clicked.connect(lambda: self.show_chats(focus=True))
        self.library_button.clicked.connect(lambda: self.show_library())
        QShortcut(QKeySequence("Ctrl+1"), self, lambda: self.show_chats(focus=True))  # anywhere in the window
        QShortcut(QKeySequence("Ctrl+2"), self, self.show_library)
        pages.currentChanged.connect(lambda _: self._check_shown())
        self._check_shown()

    def _button(self, text: str, tooltip: str, description: str) -> QPushButton:
        button = QPushButton(text)
        button.setCheckable(True)
        button.setToolTip(tooltip)
        button.setAccessibleName(text)
        button.setAccessibleDescription(description)
        button.toggled.connect(lambda checked: button.setFont(_bold(checked)))  # the page shown, in any theme
        return button

    def showing_library(self) -> bool:
        return self.pages.currentWidget() is self.library_page

    def show_chats(self, focus: bool = False) -> None:
        """The chat (or the welcome page while it is open); ``focus``: the message box takes the keyboard."""
        self.pages.setCurrentWidget(self.chat_page)
        if focus:
            target = self.chat_focus if self.chat_focus is not None and self.chat_focus.isVisible() else self.chat_page
            target.setFocus()

    def show_library(self) -> None:
        """The library page, with the keyboard in it."""
        self.pages.setCurrentWidget(self.library_page)
        self.library_page.setFocus()

    def set_chat_page(self, page: QWidget) -> None:
        """What "Chats" shows from now on; shown at once if the chat side is what shows now."""
        showing = self.pages.currentWidget() is self.chat_page
        self.chat_page = page
        if self.pages.indexOf(page) < 0:
            self.pages.addWidget(page)
        if showing:
            self.pages.setCurrentWidget(page)

    def _check_shown(self) -> None:
        (self.library_button if self.showing_library() else self.chats_button).setChecked(True)


def _bold(bold: bool) -> QFont:
    """Only the weight: the size still follows the window's text size."""
    font = QFont()
    font.setBold(bold)
    return font
