"""Settings → Local server: the OpenAI-compatible server inside the window, off by default.

The server runs on its own threads in this process (its own copy of the chat model; the weights are
shared through the file mapping); it reaches the library through the library thread
(``LibraryWorker.call``), so the window and the server never use the library at the same time.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from assistant import network
from assistant.config import ServerSettings
from assistant.errors import AssistantError
from assistant.secrets import KeyStore

log = logging.getLogger(__name__)

EXAMPLE = """\
from openai import OpenAI

client = OpenAI(base_url="{url}", api_key="{key}")
reply = client.chat.completions.create(
    model="{model}",
    messages=[{{"role": "user", "content": "Hello"}}],
)
print(reply.choices[0].message.content)

# Your documents, with sources: model="documents:<collection>"
# Embeddings: client.embeddings.create(model="all-MiniLM-L6-v2", input="...")"""


class LocalServerControl(QObject):
    """Starts and stops the server; ``changed`` after each start, stop or failure (``error`` says why)."""

    changed = Signal()
    library_call = Signal(object)  # (fn, future): connected to LibraryWorker.call, queued to the library thread

    def __init__(self, settings: ServerSettings, library_slot: Callable[[Any], None], keys: KeyStore) -> None:
        super().__init__()
        self.settings = settings
        self.keys = keys
        self.error = ""
        self.server: Any = None
        self.library_call.connect(library_slot, Qt.ConnectionType.QueuedConnection)

    def _library(self, fn: Callable[[Any], Any]) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self.library_call.emit((fn, future))
        return future

    @property
    def running(self) -> bool:
        return self.server is not None

    @property
    def base_url(self) -> str:
        return self.server.base_url if self.server is not None else ""

    def key(self) -> str:
        from assistant.server.keys import server_key

        return server_key(store=self.keys).value

    def new_key(self) -> str:
        from assistant.server.keys import new_saved_key

        key = new_saved_key(self.keys).value
        if self.running:
            self.start()  # with the new key
        return key

    def start(self) -> bool:
        from assistant.server.run import LocalServer
        from assistant.server.service import Service

        self.stop(notify=False)
        try:
            server = LocalServer(Service(self._library), self.key(), self.settings.host, self.settings.port)
            server.start()
        except AssistantError as exc:
            self.error = str(exc)
            log.info("local server: %s", exc)
        else:
            self.server, self.error = server, ""
        self.changed.emit()
        return self.running

    def stop(self, notify: bool = True) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
        if notify:
            self.changed.emit()

    def apply(self, enabled: bool, host: str, port: int) -> None:
        """The person's choice: saved in the settings, and the server started, moved or stopped."""
        self.settings.enabled, self.settings.host, self.settings.port = enabled, host.strip() or "127.0.0.1", port
        if enabled:
            self.start()
        else:
            self.error = ""
            self.stop()


class LocalServerDialog(QDialog):
    """The switch, the address, the key (hidden until shown) and a copyable example."""

    def __init__(self, control: LocalServerControl, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Local server"))
        self.control = control
        intro = QLabel(
            self.tr(
                "Other programs on this computer (editors, scripts, note apps) can use your local models and "
                "documents through an OpenAI-compatible API. Every request needs the key below. Nothing is sent "
                "to the cloud through it."
            )
        )
        intro.setWordWrap(True)
        self.enabled = QCheckBox(self.tr("Serve the local models to other programs"))
        self.enabled.setChecked(control.settings.enabled)
        self.host = QLineEdit(control.settings.host)
        self.host.setAccessibleName(self.tr("Address to listen on"))
        self.port = QSpinBox()
        self.port.setRange(0, 65535)
        self.port.setValue(control.settings.port)
        self.port.setAccessibleName(self.tr("Port"))
        self.warning = QLabel(
            self.tr(
                "Warning: this address lets other computers reach the server. Anyone with the key can use your "
                "models and read your documents. Use 127.0.0.1 to keep it on this computer."
            )
        )
        self.warning.setWordWrap(True)
        self.key = QLineEdit()
        self.key.setReadOnly(True)
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setAccessibleName(self.tr("API key"))
        self.show_key = QPushButton(self.tr("Show"))
        self.show_key.setCheckable(True)
        self.copy_key = QPushButton(self.tr("Copy key"))
        self.renew_key = QPushButton(self.tr("New key"))
        self.renew_key.setToolTip(self.tr("Make a new key; programs using the old one must be given the new one"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.example = QPlainTextEdit()
        self.example.setReadOnly(True)
        self.example.setAccessibleName(self.tr("Example in Python"))
        self.copy_example = QPushButton(self.tr("Copy example"))
        key_row = QHBoxLayout()
        for widget in (self.key, self.show_key, self.copy_key, self.renew_key):
            key_row.addWidget(widget)
        form = QFormLayout()
        form.addRow(self.tr("Address:"), self.host)
        form.addRow(self.tr("Port:"), self.port)
        form.addRow(self.tr("Key:"), key_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Close)
        self.apply_button = buttons.button(QDialogButtonBox.StandardButton.Apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.enabled)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addWidget(self.status)
        layout.addWidget(QLabel(self.tr("Example (Python, openai package):")))
        layout.addWidget(self.example, 1)
        layout.addWidget(self.copy_example)
        layout.addWidget(buttons)
        self.resize(620, 560)

        self.enabled.toggled.connect(lambda _: self.apply())
        self.apply_button.clicked.connect(self.apply)
        self.host.textChanged.connect(self._show_warning)
        self.show_key.toggled.connect(self._show_key)
        self.copy_key.clicked.connect(lambda: QGuiApplication.clipboard().setText(self._key()))
        self.renew_key.clicked.connect(self._renew)
        self.copy_example.clicked.connect(lambda: QGuiApplication.clipboard().setText(self._example(self._key())))
        control.changed.connect(self.refresh)
        self._key_value = ""
        from assistant.runtime.registry import ModelRegistry

        models = ModelRegistry().models()  # read once: the example names the first installed model
        self._model = models[0].id if models else "MODEL"
        self._show_warning()
        self.refresh()

    def _key(self) -> str:
        if not self._key_value:
            try:
                self._key_value = self.control.key()
            except AssistantError as exc:
                self.status.setText(str(exc))
        return self._key_value

    def _show_key(self, shown: bool) -> None:
        self.key.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.show_key.setText(self.tr("Hide") if shown else self.tr("Show"))
        self.refresh()

    def _renew(self) -> None:
        self._key_value = self.control.new_key()
        self.refresh()

    def _show_warning(self) -> None:
        host = self.host.text().strip()
        self.warning.setVisible(bool(host) and not network.is_loopback(host))

    def _example(self, key: str) -> str:
        url = self.control.base_url or f"http://{self.control.settings.host}:{self.control.settings.port}/v1"
        return EXAMPLE.format(url=url, key=key, model=self._model)

    def apply(self) -> None:
        self.control.apply(self.enabled.isChecked(), self.host.text(), self.port.value())

    def refresh(self) -> None:
        key = self._key()
        self.key.setText(key)
        if self.control.running:
            self.status.setText(self.tr("Running at {url}").format(url=self.control.base_url))
        elif self.control.error:
            self.status.setText(self.tr("Not running: {error}").format(error=self.control.error))
        else:
            self.status.setText(self.tr("Off."))
        # the key shows in the example only while the person shows it; Copy example always has it
        self.example.setPlainText(self._example(key if self.show_key.isChecked() else "<key>"))
