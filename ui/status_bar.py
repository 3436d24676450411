"""The window's status bar: what the app is busy with, and which model answers, on what, how fast."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from assistant.runtime.types import RuntimeInfo


class StatusBar(QStatusBar):
    """Busy text with a spinner on the left; the model, its backend and the last reply's speed on the right."""

    def __init__(self) -> None:
        super().__init__()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy_label = QLabel()
        self.not_loaded_text = self.tr("Model: not loaded")
        self.model_label = QLabel(self.not_loaded_text)
        self.backend_label = QLabel("")
        self.speed_label = QLabel("")
        self.addWidget(self.busy_label, 1)
        self.addWidget(self.busy)
        for label in (self.model_label, self.backend_label, self.speed_label):
            self.addPermanentWidget(label)
        # A model's own name (GGUF general.name), error text and file names are never markup.
        for label in (self.busy_label, self.model_label, self.backend_label, self.speed_label):
            label.setTextFormat(Qt.TextFormat.PlainText)

    def set_busy(self, text: str) -> None:
        """Say what the app is doing ("" when idle: the spinner hides)."""
        self.busy_label.setText(text)
        self.busy.setVisible(bool(text))

    def show_loading(self, name: str) -> None:
        self.set_busy(self.tr("Loading the model…"))
        self.model_label.setText(self.tr("Model: {name} (loading)").format(name=name))

    def show_loaded(self, info: RuntimeInfo) -> None:
        """The loaded model, its backend, and why the GPU was not used (if so) for a while."""
        self.model_label.setText(self.tr("Model: {name}").format(name=info.model))
        if info.gpu_layers:
            backend = self.tr("Backend: {backend}, {layers} GPU layers").format(
                backend=info.backend, layers=info.gpu_layers
            )
        else:
            backend = self.tr("Backend: {backend}").format(backend=info.backend)
        self.backend_label.setText(backend)
        if info.notice:
            self.showMessage(info.notice, 15000)

    def show_not_loaded(self) -> None:
        self.model_label.setText(self.not_loaded_text)

    def show_speed(self, tokens_per_s: float) -> None:
        self.speed_label.setText(self.tr("{speed:.1f} tokens/s").format(speed=tokens_per_s))
