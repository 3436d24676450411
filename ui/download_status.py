"""A model download seen from the chat: its progress in the status bar, then an offer to switch to it.

Downloads take minutes; the person keeps chatting with the model in use meanwhile, so the progress
sits in the status bar (not in a dialog) and the finished download is offered in a bar above the
message box, which waits until the person answers and never interrupts a reply.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QToolButton, QWidget

from ui.model_figures import show_download


class DownloadStatus(QWidget):
    """Signals:
    cancel_requested(): the person clicked Cancel.
    """

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(140)
        self.bar.setTextVisible(False)
        self.cancel = QToolButton()
        self.cancel.setText(self.tr("Cancel"))
        self.cancel.setToolTip(self.tr("Stop the download; nothing half-done is kept"))
        self.cancel.clicked.connect(self.cancel_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self.name = ""
        self.setVisible(False)

    def begin(self, name: str) -> None:
        self.name = name
        self.label.setText(self.tr("Downloading {name}…").format(name=name))
        self.bar.setRange(0, 0)
        self.setVisible(True)

    def show_progress(self, done: int, total: int | None, speed: float) -> None:
        self.label.setText(
            self.tr("Downloading {name}: {progress}").format(
                name=self.name, progress=show_download(self.bar, done, total, speed)
            )
        )

    def finish(self) -> None:
        self.setVisible(False)


class SwitchOffer(QFrame):
    """ "<model> is downloaded. [Switch now] [Not now]" above the message box.

    Signals:
        switch_requested(str): the person chose to use the model (an installed model's id) from now on.
    """

    switch_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("switchOffer")
        self.setStyleSheet(
            "QFrame#switchOffer { border: 1px solid palette(highlight); border-radius: 6px;"
            " background: palette(base); }"
        )
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.switch_button = QPushButton(self.tr("Switch now"))
        self.later_button = QPushButton(self.tr("Not now"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.switch_button)
        layout.addWidget(self.later_button)
        self.model_id = ""
        self.switch_button.clicked.connect(self._on_switch)
        self.later_button.clicked.connect(self.dismiss)
        self.setVisible(False)

    def offer(self, model_id: str, name: str) -> None:
        self.model_id = model_id
        self.label.setText(
            self.tr("{name} is downloaded and ready. Use it for your chats from now on?").format(name=name)
        )
        self.setVisible(True)

    def dismiss(self) -> None:
        self.model_id = ""
        self.setVisible(False)

    def _on_switch(self) -> None:
        model_id = self.model_id
        self.dismiss()
        if model_id:
            self.switch_requested.emit(model_id)
