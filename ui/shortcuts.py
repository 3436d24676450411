"""Help → Keyboard shortcuts, and the text size (View → Larger text, Smaller text, Normal size).

The text size starts at the system's and changes the whole window's font in steps; the step is
remembered in the settings' window section.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import QT_TRANSLATE_NOOP

# (keys, what they do): every shortcut the window has, in the order a newcomer needs them.
SHORTCUTS = [
    ("Enter", QT_TRANSLATE_NOOP("Shortcuts", "Send the message")),
    ("Shift+Enter", QT_TRANSLATE_NOOP("Shortcuts", "New line in the message")),
    ("Esc", QT_TRANSLATE_NOOP("Shortcuts", "Stop the reply (or cancel editing the last message)")),
    ("Ctrl+L", QT_TRANSLATE_NOOP("Shortcuts", "Go to the message box")),
    ("Ctrl+N", QT_TRANSLATE_NOOP("Shortcuts", "New conversation")),
    ("Ctrl+1", QT_TRANSLATE_NOOP("Shortcuts", "Show the chat")),
    ("Ctrl+2", QT_TRANSLATE_NOOP("Shortcuts", "Show the library")),
    ("F2", QT_TRANSLATE_NOOP("Shortcuts", "Rename the selected conversation")),
    ("Delete", QT_TRANSLATE_NOOP("Shortcuts", "Delete the selected conversation")),
    ("Tab, Enter", QT_TRANSLATE_NOOP("Shortcuts", "In the conversation: move to a citation or link and open it")),
    ("Ctrl+Shift+R", QT_TRANSLATE_NOOP("Shortcuts", "Regenerate the last reply")),
    ("Ctrl+Shift+C", QT_TRANSLATE_NOOP("Shortcuts", "Copy the last reply")),
    ("Ctrl+E", QT_TRANSLATE_NOOP("Shortcuts", "Edit my last message")),
    ("Ctrl+Shift+W", QT_TRANSLATE_NOOP("Shortcuts", "Writing help")),
    ("Ctrl+Return", QT_TRANSLATE_NOOP("Shortcuts", "In writing help: run the task")),
    ("Ctrl+Shift+E", QT_TRANSLATE_NOOP("Shortcuts", "Ask the cloud model (shows the exact request first)")),
    ("Ctrl+Shift+M", QT_TRANSLATE_NOOP("Shortcuts", "Models")),
    ("Ctrl++", QT_TRANSLATE_NOOP("Shortcuts", "Larger text")),
    ("Ctrl+-", QT_TRANSLATE_NOOP("Shortcuts", "Smaller text")),
    ("Ctrl+0", QT_TRANSLATE_NOOP("Shortcuts", "Normal text size")),
    ("Ctrl+/", QT_TRANSLATE_NOOP("Shortcuts", "This list of shortcuts")),
]

TEXT_STEP = 0.1  # of the system's text size, per step
TEXT_STEPS = (-3, 6)  # smallest and largest step


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.table = QTableWidget(len(SHORTCUTS), 2)
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Does")])
        for row, (keys, what) in enumerate(SHORTCUTS):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(QGuiApplication.translate("Shortcuts", what)))
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 520)


class TextSize:
    """The window's text size: the system's, scaled by whole steps."""

    def __init__(self, step: int = 0) -> None:
        self.base = QApplication.font().pointSizeF()  # the system's size, as the app started
        self.step = 0
        self.set(step)

    def set(self, step: int) -> int:
        low, high = TEXT_STEPS
        self.step = max(low, min(high, int(step)))
        font = QFont(QApplication.font())
        font.setPointSizeF(self.base * (1 + TEXT_STEP * self.step))
        QApplication.setFont(font)  # every widget without a font of its own follows
        return self.step

    def larger(self) -> int:
        return self.set(self.step + 1)

    def smaller(self) -> int:
        return self.set(self.step - 1)

    def normal(self) -> int:
        return self.set(0)
