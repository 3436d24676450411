"""Settings → Cloud provider: an OpenAI-compatible endpoint, its key (keychain only), offline switch."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from assistant.config import CloudSettings
from assistant.errors import AssistantError
from assistant.secrets import KeyStore


class CloudSettingsDialog(QDialog):
    """Edits a copy of CloudSettings; ``result_settings()`` after accept. The key goes to the keychain."""

    def __init__(
        self, cloud: CloudSettings, keys: KeyStore, collections: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cloud provider")
        self.keys = keys
        self.enabled = QCheckBox("Offer to ask a cloud model (every request still needs your approval)")
        self.enabled.setChecked(cloud.enabled)
        self.offline_only = QCheckBox("Offline only: never connect to anything outside this computer")
        self.offline_only.setChecked(cloud.offline_only)
        self.name = QLineEdit(cloud.name)
        self.name.setPlaceholderText("e.g. OpenAI, Mistral, my server")
        self.base_url = QLineEdit(cloud.base_url)
        self.base_url.setPlaceholderText("https://api.openai.com/v1")
        self.model = QLineEdit(cloud.model)
        self.model.setPlaceholderText("e.g. gpt-4.1-mini")
        self.max_tokens = QSpinBox()
        self.max_tokens.setRange(16, 32_768)
        self.max_tokens.setValue(cloud.max_tokens)
        self.key = QLineEdit()
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("Paste the API key; it is kept in your system keychain, never in a file")
        self.save_key = QPushButton("Save key")
        self.forget_key = QPushButton("Forget key")
        self.key_status = QLabel()
        self.key_status.setWordWrap(True)
        self.local_only = QListWidget()
        self._unlisted = [name for name in cloud.local_only_collections if name not in collections]
        for name in collections:
            row = QListWidgetItem(name)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = name in cloud.local_only_collections
            row.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.local_only.addItem(row)

        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Base URL", self.base_url)
        form.addRow("Model", self.model)
        form.addRow("Most tokens in a reply", self.max_tokens)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key, 1)
        key_row.addWidget(self.save_key)
        key_row.addWidget(self.forget_key)
        form.addRow("API key", key_row)
        form.addRow("", self.key_status)
        box = QGroupBox("Collections that never leave this device")
        QVBoxLayout(box).addWidget(self.local_only)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled)
        layout.addWidget(self.offline_only)
        layout.addLayout(form)
        layout.addWidget(box)
        layout.addWidget(buttons)
        self.save_key.clicked.connect(self._on_save_key)
        self.forget_key.clicked.connect(self._on_forget_key)
        self._show_key_state()

    def provider_name(self) -> str:
        return self.name.text().strip() or self.base_url.text().strip()

    def _show_key_state(self) -> None:
        name = self.provider_name()
        try:
            has_key = bool(name) and self.keys.get(name) is not None
        except AssistantError as exc:
            self.key_status.setText(str(exc))
            return
        if not has_key:
            self.key_status.setText("No key saved.")
        elif self.keys.in_session_only(name):
            self.key_status.setText("A key is kept in memory for this session only (no secure keychain here).")
        else:
            self.key_status.setText("A key is saved in your system keychain.")

    def _on_save_key(self) -> None:
        name = self.provider_name()
        if not name:
            self.key_status.setText("Enter the provider's name or base URL first.")
            return
        try:
            result = self.keys.save(name, self.key.text())
        except AssistantError as exc:
            self.key_status.setText(str(exc))
            return
        self.key.clear()
        self.key_status.setText(result.message)

    def _on_forget_key(self) -> None:
        try:
            self.keys.delete(self.provider_name())
        except AssistantError as exc:
            self.key_status.setText(str(exc))
            return
        self._show_key_state()

    def result_settings(self) -> CloudSettings:
        local_only = [
            self.local_only.item(i).text()
            for i in range(self.local_only.count())
            if self.local_only.item(i).checkState() == Qt.CheckState.Checked
        ]
        local_only += [name for name in self._unlisted]  # collections not open now keep their mark
        return CloudSettings(
            enabled=self.enabled.isChecked(),
            name=self.name.text().strip(),
            base_url=self.base_url.text().strip(),
            model=self.model.text().strip(),
            max_tokens=self.max_tokens.value(),
            offline_only=self.offline_only.isChecked(),
            local_only_collections=local_only,
        )
