"""Settings → Cloud provider: an OpenAI-compatible endpoint, its key (keychain only), offline switch.

The key belongs to the base URL's origin (scheme://host:port): a key saved for one address is never
used for another, so changing the base URL to another server means saving its key again. The base URL
must be https, except for a server on this computer.
"""

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

from assistant.agents.escalation import check_base_url
from assistant.config import CloudSettings
from assistant.errors import AssistantError
from assistant.secrets import KeyStore, key_account


class CloudSettingsDialog(QDialog):
    """Edits a copy of CloudSettings; ``result_settings()`` after accept. The key goes to the keychain."""

    def __init__(
        self, cloud: CloudSettings, keys: KeyStore, collections: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Cloud provider"))
        self.keys = keys
        self.enabled = QCheckBox(self.tr("Offer to ask a cloud model (every request still needs your approval)"))
        self.enabled.setChecked(cloud.enabled)
        self.offline_only = QCheckBox(self.tr("Offline only: never connect to anything outside this computer"))
        self.offline_only.setChecked(cloud.offline_only)
        self.name = QLineEdit(cloud.name)
        self.name.setPlaceholderText(self.tr("e.g. OpenAI, Mistral, my server"))
        self.base_url = QLineEdit(cloud.base_url)
        self.base_url.setPlaceholderText("https://api.openai.com/v1")
        self.model = QLineEdit(cloud.model)
        self.model.setPlaceholderText(self.tr("e.g. gpt-4.1-mini"))
        self.max_tokens = QSpinBox()
        self.max_tokens.setRange(16, 32_768)
        self.max_tokens.setValue(cloud.max_tokens)
        self.key = QLineEdit()
        self.key.setAccessibleName(self.tr("API key"))
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText(self.tr("Paste the API key; it is kept in your system keychain, never in a file"))
        self.save_key = QPushButton(self.tr("Save key"))
        self.forget_key = QPushButton(self.tr("Forget key"))
        self.key_status = QLabel()
        self.key_status.setTextFormat(Qt.TextFormat.PlainText)
        self.key_status.setWordWrap(True)
        self.key_note = QLabel(
            self.tr(
                "The key belongs to the base URL's address (scheme, host and port). If you change the base URL to "
                "another address, the key is not reused there: save the key for the new address."
            )
        )
        self.key_note.setWordWrap(True)
        self.url_error = QLabel()
        self.url_error.setTextFormat(Qt.TextFormat.PlainText)
        self.url_error.setWordWrap(True)
        self.url_error.setVisible(False)
        self.local_only = QListWidget()
        self._unlisted = [name for name in cloud.local_only_collections if name not in collections]
        for name in collections:
            row = QListWidgetItem(name)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = name in cloud.local_only_collections
            row.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.local_only.addItem(row)

        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Base URL"), self.base_url)
        form.addRow(self.tr("Model"), self.model)
        form.addRow(self.tr("Most tokens in a reply"), self.max_tokens)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key, 1)
        key_row.addWidget(self.save_key)
        key_row.addWidget(self.forget_key)
        form.addRow(self.tr("API key"), key_row)
        form.addRow("", self.key_status)
        form.addRow("", self.key_note)
        box = QGroupBox(self.tr("Collections that never leave this device"))
        QVBoxLayout(box).addWidget(self.local_only)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled)
        layout.addWidget(self.offline_only)
        layout.addLayout(form)
        layout.addWidget(box)
        layout.addWidget(self.url_error)
        layout.addWidget(buttons)
        self.save_key.clicked.connect(self._on_save_key)
        self.forget_key.clicked.connect(self._on_forget_key)
        self.base_url.textChanged.connect(self._show_key_state)
        self._show_key_state()

    def key_account(self) -> str:
        """Where the key for the base URL as typed lives ("" while it is not a usable address)."""
        try:
            return key_account(check_base_url(self.base_url.text().strip()))
        except AssistantError:
            return ""

    def _show_key_state(self) -> None:
        account = self.key_account()
        if not account:
            self.key_status.setText(self.tr("Enter the provider's https:// base URL to save or see its key."))
            return
        try:
            has_key = self.keys.get(account) is not None
        except AssistantError as exc:
            self.key_status.setText(str(exc))
            return
        if not has_key:
            self.key_status.setText(self.tr("No key saved for {account}.").format(account=account))
        elif self.keys.in_session_only(account):
            self.key_status.setText(
                self.tr(
                    "A key for {account} is kept in memory for this session only (no secure keychain here)."
                ).format(account=account)
            )
        else:
            self.key_status.setText(
                self.tr("A key for {account} is saved in your system keychain.").format(account=account)
            )

    def _on_save_key(self) -> None:
        try:
            account = key_account(check_base_url(self.base_url.text().strip()))
            result = self.keys.save(account, self.key.text())
        except AssistantError as exc:
            self.key_status.setText(str(exc))
            return
        self.key.clear()
        self.key_status.setText(
            result.message + " " + self.tr("It is used only for {account}.").format(account=account)
        )

    def _on_forget_key(self) -> None:
        account = self.key_account()
        if not account:
            return
        try:
            self.keys.delete(account)
        except AssistantError as exc:
            self.key_status.setText(str(exc))
            return
        self._show_key_state()

    def accept(self) -> None:
        """Save only a usable address: https, or http to this computer."""
        base_url = self.base_url.text().strip()
        if base_url:
            try:
                check_base_url(base_url)
            except AssistantError as exc:
                self.url_error.setText(str(exc))
                self.url_error.setVisible(True)
                return
        self.url_error.setVisible(False)
        super().accept()

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
