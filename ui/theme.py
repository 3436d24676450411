"""Light and dark, following the system's colour scheme unless the person picks one (View → Theme).

Qt reports the system's scheme (``QStyleHints.colorScheme``) and its changes; the app answers with the
Fusion style and a palette of its own for each scheme, so that it looks the same on every platform
(and platforms without a dark palette get one).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

CHOICES = ("system", "light", "dark")

_DARK = {
    QPalette.ColorRole.Window: "#1f2024",
    QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#17181b",
    QPalette.ColorRole.AlternateBase: "#24262b",
    QPalette.ColorRole.Text: "#e6e6e6",
    QPalette.ColorRole.Button: "#2b2d33",
    QPalette.ColorRole.ButtonText: "#e6e6e6",
    QPalette.ColorRole.Highlight: "#3d7bd9",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.ToolTipBase: "#2b2d33",
    QPalette.ColorRole.ToolTipText: "#e6e6e6",
    QPalette.ColorRole.PlaceholderText: "#8d9099",
    QPalette.ColorRole.Link: "#7fb0ff",
    QPalette.ColorRole.LinkVisited: "#c4a7ff",
}
_LIGHT = {
    QPalette.ColorRole.Window: "#f6f6f7",
    QPalette.ColorRole.WindowText: "#1f1f1f",
    QPalette.ColorRole.Base: "#ffffff",
    QPalette.ColorRole.AlternateBase: "#f0f1f3",
    QPalette.ColorRole.Text: "#1f1f1f",
    QPalette.ColorRole.Button: "#eceef1",
    QPalette.ColorRole.ButtonText: "#1f1f1f",
    QPalette.ColorRole.Highlight: "#2f6fd0",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.ToolTipBase: "#ffffe8",
    QPalette.ColorRole.ToolTipText: "#1f1f1f",
    QPalette.ColorRole.PlaceholderText: "#6b6f78",
    QPalette.ColorRole.Link: "#1a5fb4",
    QPalette.ColorRole.LinkVisited: "#6a3fb4",
}


def palette(dark: bool) -> QPalette:
    colours = _DARK if dark else _LIGHT
    result = QPalette()
    for role, colour in colours.items():
        result.setColor(role, QColor(colour))
    disabled = QColor("#6b6f78" if dark else "#a0a3a8")
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        result.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return result


class Theme(QObject):
    """The app's look; ``changed(bool dark)`` after each change of scheme."""

    changed = Signal(bool)

    def __init__(self, choice: str = "system", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.choice = choice if choice in CHOICES else "system"
        self.dark = False
        fusion = QStyleFactory.create("Fusion")
        if fusion is not None:
            QApplication.setStyle(fusion)
        hints = QGuiApplication.styleHints()
        self.system = hints.colorScheme()  # what the system says now (Unknown: it says nothing; light)
        hints.colorSchemeChanged.connect(self._system_changed)
        self.choose(self.choice)

    def _system_changed(self, scheme: Qt.ColorScheme) -> None:
        self.system = scheme
        self._apply()

    def choose(self, choice: str) -> None:
        """Follow the system ("system"), or hold "light" or "dark" whatever the system says."""
        self.choice = choice if choice in CHOICES else "system"
        self._apply()

    def _apply(self) -> None:
        dark = self.system == Qt.ColorScheme.Dark if self.choice == "system" else self.choice == "dark"
        QApplication.setPalette(palette(dark))
        if dark != self.dark:
            self.dark = dark
            self.changed.emit(dark)
