"""The conversation list: search, new, rename, delete."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assistant.conversations import Conversation, ConversationStore


class ConversationList(QWidget):
    """Lists the stored conversations, newest first.

    Signals:
        selected(int): the person opened a conversation (0: none is left).
        deleted(int): a conversation was deleted.
        chosen(): the person picked a conversation (a click, Enter, the arrow keys in the list) or started one;
            not a change the app made (a refresh after a reply), so the window can show the chat for it.
    """

    selected = Signal(int)
    deleted = Signal(int)
    chosen = Signal()

    def __init__(self, store: ConversationStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.search = QLineEdit(placeholderText=self.tr("Search conversations"))
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.search.setAccessibleName(self.tr("Search conversations"))
        self.list.setAccessibleName(self.tr("Conversations"))
        self.list.setAccessibleDescription(self.tr("F2 renames the selected conversation, Delete removes it"))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.new_button = QPushButton(self.tr("New"))
        self.rename_button = QPushButton(self.tr("Rename"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.new_button.setToolTip(self.tr("Start a new conversation (Ctrl+N)"))

        buttons = QHBoxLayout()
        for button in (self.new_button, self.rename_button, self.delete_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

        self.search.textChanged.connect(self.refresh)
        self.list.currentItemChanged.connect(self._on_current_changed)
        self.list.itemClicked.connect(lambda _item: self.chosen.emit())  # also the conversation already open
        self.list.itemActivated.connect(lambda _item: self.chosen.emit())
        self.new_button.clicked.connect(self.new_conversation)
        self.rename_button.clicked.connect(self.rename_current)
        self.delete_button.clicked.connect(self.delete_current)
        QShortcut(QKeySequence("F2"), self.list, self.rename_current)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list, self.delete_current)

    def current_id(self) -> int:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else 0

    def refresh(self, *_: object, select: int | None = None) -> None:
        """Reload from the store, keeping (or moving to) the selection."""
        keep = self.current_id() if select is None else select
        self.list.blockSignals(True)
        self.list.clear()
        for conversation in self.store.conversations(self.search.text()):
            self.list.addItem(_item(conversation))
        self.list.blockSignals(False)
        for row in range(self.list.count()):
            if int(self.list.item(row).data(Qt.ItemDataRole.UserRole)) == keep:
                self.list.setCurrentRow(row)
                break
        self._update_buttons()
        if select is not None and self.current_id() != keep:
            self.selected.emit(self.current_id())

    def new_conversation(self) -> int:
        conversation = self.store.create()
        self.search.clear()
        self.refresh(select=conversation.id)
        self.selected.emit(conversation.id)
        self.chosen.emit()
        return conversation.id

    def rename_current(self, title: str | None = None) -> None:
        conversation_id = self.current_id()
        if not conversation_id:
            return
        if title is None:
            current = self.store.get(conversation_id).title
            title, ok = QInputDialog.getText(self, self.tr("Rename conversation"), self.tr("Title:"), text=current)
            if not ok:
                return
        self.store.rename(conversation_id, title)
        self.refresh()

    def delete_current(self, confirm: bool = True) -> None:
        conversation_id = self.current_id()
        if not conversation_id:
            return
        if confirm:
            title = self.store.get(conversation_id).title
            answer = QMessageBox.question(
                self,
                self.tr("Delete conversation"),
                self.tr("Delete “{title}” and all its messages?").format(title=title),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        row = self.list.currentRow()
        self.store.delete(conversation_id)
        self.deleted.emit(conversation_id)
        self.list.blockSignals(True)
        self.list.takeItem(row)
        self.list.blockSignals(False)
        if self.list.count():
            self.list.setCurrentRow(min(row, self.list.count() - 1))
        self._update_buttons()
        self.selected.emit(self.current_id())

    def _on_current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        self._update_buttons()
        self.selected.emit(int(current.data(Qt.ItemDataRole.UserRole)) if current else 0)
        if self.list.hasFocus():  # the arrow keys (a click also says so through itemClicked)
            self.chosen.emit()

    def _update_buttons(self) -> None:
        has = self.list.currentItem() is not None
        self.rename_button.setEnabled(has)
        self.delete_button.setEnabled(has)


def _item(conversation: Conversation) -> QListWidgetItem:
    item = QListWidgetItem(conversation.title)
    item.setData(Qt.ItemDataRole.UserRole, conversation.id)
    item.setToolTip(conversation.title)
    return item
