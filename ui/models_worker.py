"""The models thread: imports and downloads, off the GUI thread, one at a time, cancellable."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from assistant.errors import AssistantError

log = logging.getLogger(__name__)


class ModelsWorker(QObject):
    """Signals:
    progress(object, object, float): bytes done, bytes in all (None if unknown), bytes per second.
    added(object): an InstalledModel, after an import or download.
    failed(str): what went wrong and what to do; nothing half-done was kept.
    """

    progress = Signal(object, object, float)
    added = Signal(object)
    failed = Signal(str)

    def __init__(self, base_url: str | None = None) -> None:
        """``base_url``: where catalog files come from instead of huggingface.co (tests use 127.0.0.1)."""
        super().__init__()
        self.cancel = threading.Event()
        self.base_url = base_url

    def _report(self, done: int, total: int | None, speed: float = 0.0) -> None:
        self.progress.emit(done, total, speed)

    @Slot(str)
    def import_path(self, path: str) -> None:
        self.cancel.clear()
        try:
            from assistant.runtime.registry import ModelRegistry
            from assistant.runtime.validate import check_model

            facts = check_model(Path(path))
            model = ModelRegistry().import_model(Path(path), facts, progress=self._report, cancel=self.cancel)
        except AssistantError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:
            log.exception("import of %s failed", path)
            self.failed.emit(f"The import failed ({exc}). Nothing was added; details are in the log file.")
            return
        self.added.emit(model)

    @Slot(str)
    def download(self, model_id: str) -> None:
        self.cancel.clear()
        try:
            from assistant.runtime.fetch import download_model

            model = download_model(model_id, progress=self._report, cancel=self.cancel, base_url=self.base_url)
        except AssistantError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:
            log.exception("download of %s failed", model_id)
            self.failed.emit(f"The download failed ({exc}). Details are in the log file.")
            return
        self.added.emit(model)

    @Slot()
    def shutdown(self) -> None:
        self.cancel.set()
