"""Tools → Writing help: the writing pane's window, wired to the model thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from ui.worker import ModelWorker


class WritingController(QObject):
    """Signals:
    write_requested(str, str, str): to the model thread: task, text, target language ("" if none).
    """

    write_requested = Signal(str, str, str)

    def __init__(self, worker: ModelWorker, busy: Callable[[], bool], parent: QObject | None = None) -> None:
        """``worker``: the model thread's worker; ``busy``: whether a chat reply has the model now."""
        super().__init__(parent)
        self.worker = worker
        self.busy = busy
        self.pane: Any = None
        self.write_requested.connect(worker.write)

    def open(self) -> Any:
        """Show the writing pane (created on first use), in its own window."""
        from ui.writing_pane import WritingPane

        if self.pane is None:
            pane = WritingPane()
            pane.setWindowTitle(self.tr("Writing help — Private Assistant"))
            pane.resize(900, 640)
            worker = self.worker
            pane.requested.connect(self._on_requested)
            pane.stop_requested.connect(worker.cancel.set)
            worker.write_token.connect(pane.on_token)
            worker.write_notice.connect(pane.on_notice)
            worker.write_finished.connect(pane.on_finished)
            worker.write_failed.connect(pane.on_failed)
            self.pane = pane
        self.pane.show()
        self.pane.raise_()
        self.pane.activateWindow()
        return self.pane

    def _on_requested(self, task: str, text: str, language: str) -> None:
        if self.busy():
            self.pane.on_failed(self.tr("The model is busy with a chat reply; try again when it has finished."))
            return
        self.worker.cancel.clear()
        self.write_requested.emit(task, text, language)

    def close(self) -> None:
        if self.pane is not None:
            self.pane.close()
