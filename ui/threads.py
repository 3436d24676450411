"""A long-lived QThread that owns one worker object, and stops it cleanly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QMetaObject, QObject, Qt, QThread

W = TypeVar("W", bound=QObject)


class WorkerThread(Generic[W]):
    """Moves ``worker`` (which has a ``shutdown`` slot) to a new thread named ``name``.

    Args:
        worker: the QObject whose slots run on the thread.
        name: the thread's name, as seen in the log.
        interrupt: called first on stop, to end the work in progress (set a cancel flag).
    """

    def __init__(self, worker: W, name: str, interrupt: Callable[[], None]) -> None:
        self.worker = worker
        self._interrupt = interrupt
        self.thread = QThread()
        self.thread.setObjectName(name)
        worker.moveToThread(self.thread)
        self.thread.start()

    def stop(self, timeout_ms: int = 30_000) -> None:
        self._interrupt()
        if self.thread.isRunning():
            # Runs shutdown on the worker thread (after the work in progress), then quits.
            QMetaObject.invokeMethod(self.worker, "shutdown", Qt.ConnectionType.BlockingQueuedConnection)
            self.thread.quit()
            self.thread.wait(timeout_ms)
