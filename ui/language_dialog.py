"""Settings → Language: the window's language (the system's, English or Korean), applied at the next start."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from assistant.config import Settings, save_settings
from ui.i18n import LANGUAGES


class LanguageDialog(QDialog):
    """Chooses ``settings.language`` and saves it; the window changes language when the app restarts."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(self.tr("Language"))
        self.language = QComboBox()
        for code, name in LANGUAGES.items():
            self.language.addItem(self.tr("System") if not code else name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.language.setAccessibleName(self.tr("Language"))
        self.note = QLabel(self.tr("The new language is used the next time you start Private Assistant."))
        self.note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Language"), self.language)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(buttons)

    def chosen(self) -> str:
        return str(self.language.currentData() or "")

    def accept(self) -> None:
        self.settings.language = self.chosen()
        save_settings(self.settings)
        super().accept()
