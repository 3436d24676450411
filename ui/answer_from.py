"""Per-chat choice of the document collections a conversation answers from."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QToolButton, QWidget


class AnswerFrom(QToolButton):
    """A button with a menu of collections to tick; none ticked means plain chat.

    Signals:
        changed(object): the list of ticked collection names.
    """

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMenu(QMenu(self))
        self._available: list[str] = []
        self._chosen: list[str] = []
        self._rebuild()

    def set_available(self, names: Sequence[str]) -> None:
        self._available = list(names)
        self._rebuild()

    def set_chosen(self, names: Sequence[str]) -> None:
        self._chosen = [n for n in names]
        self._rebuild()

    def available(self) -> list[str]:
        return list(self._available)

    def chosen(self) -> list[str]:
        return list(self._chosen)

    def set_ticked(self, name: str, on: bool) -> None:
        """Tick or untick ``name`` as the person would."""
        self._chosen = [n for n in self._chosen if n != name] + ([name] if on else [])
        self._rebuild()
        self.changed.emit(self.chosen())

    def _rebuild(self) -> None:
        menu = self.menu()
        menu.clear()
        for name in sorted(set(self._available) | set(self._chosen)):
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(name in self._chosen)
            action.toggled.connect(lambda on, n=name: self.set_ticked(n, on))
        if not menu.actions():
            menu.addAction(self.tr("No collections yet: add documents on the Library page")).setEnabled(False)
        label = ", ".join(self._chosen) if self._chosen else self.tr("this chat only")
        self.setText(self.tr("Answer from: {collections}").format(collections=label))
        self.setToolTip(self.tr("Choose document collections this conversation answers from, with citations"))
