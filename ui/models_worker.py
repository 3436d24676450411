"""The models thread: imports, downloads and the look at this machine, off the GUI thread, one at a time.

Imports and downloads are cancellable. The machine survey runs here too because finding the GPUs
may wait on ``nvidia-smi`` or ``sysctl`` for seconds, which the window must never do.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from assistant.errors import AssistantError

log = logging.getLogger(__name__)


class ModelsWorker(QObject):
    """Signals:
    progress(object, object, float): bytes done, bytes in all (None if unknown), bytes per second.
    added(object): an InstalledModel, after an import or download.
    search_model_added(str, str): a search model's kind ("reranker" or "embedder") and catalog id, once
        it is downloaded and verified.
    failed(str): what went wrong and what to do; nothing half-done was kept.
    surveyed(object, object): this computer (a hardware.Machine) and the model recommended for it
        (a recommend.Recommendation, or None when no catalog model fits).
    """

    progress = Signal(object, object, float)
    added = Signal(object)
    search_model_added = Signal(str, str)
    failed = Signal(str)
    surveyed = Signal(object, object)

    def __init__(self, base_url: str | None = None) -> None:
        """``base_url``: where catalog files come from instead of huggingface.co (tests use 127.0.0.1)."""
        super().__init__()
        self.cancel = threading.Event()
        self.base_url = base_url

    def _report(self, done: int, total: int | None, speed: float = 0.0) -> None:
        self.progress.emit(done, total, speed)

    @Slot(str)
    def import_path(self, path: str) -> None:
        def work() -> object:
            from assistant.runtime.registry import ModelRegistry
            from assistant.runtime.validate import check_model

            facts = check_model(Path(path))
            return ModelRegistry().import_model(Path(path), facts, progress=self._report, cancel=self.cancel)

        self._run(
            "import", work, self.tr("The import failed ({error}). Nothing was added; details are in the log file.")
        )

    @Slot(str)
    def download(self, model_id: str) -> None:
        def work() -> object:
            from assistant.runtime.fetch import download_model

            return download_model(model_id, progress=self._report, cancel=self.cancel, base_url=self.base_url)

        self._run(
            "download",
            work,
            self.tr("The download failed ({error}). Nothing half-done was kept; details are in the log file."),
        )

    @Slot(str, str)
    def download_search_model(self, kind: str, model_id: str) -> None:
        """Download a reranker (``kind`` "reranker") or an embedding model ("embedder") from the catalog."""

        def work() -> object:
            from assistant.runtime import fetch

            download = {"reranker": fetch.download_reranker, "embedder": fetch.download_embedder}[kind]
            download(model_id, progress=self._report, cancel=self.cancel, base_url=self.base_url)
            return model_id

        self._run(
            f"{kind} download",
            work,
            self.tr("The download failed ({error}). Nothing half-done was kept; details are in the log file."),
            lambda done: self.search_model_added.emit(kind, done),
        )

    @Slot()
    def survey(self) -> None:
        from assistant.runtime import hardware

        try:
            machine = hardware.machine()
        except Exception:  # noqa: BLE001 - an odd system tool: show what is known, recommend from that
            log.exception("looking at this machine failed")
            machine = hardware.Machine(hardware.available_cpus(), hardware.memory(), (), ())
        recommendation: object = None
        try:
            from assistant.runtime.recommend import recommend

            recommendation = recommend(machine)
        except Exception:  # noqa: BLE001 - the welcome page then offers the built-in model only
            log.exception("recommending a model failed")
        self.surveyed.emit(machine, recommendation)

    def _run(
        self, what: str, work: Callable[[], object], failed: str, done: Callable[[Any], object] | None = None
    ) -> None:
        self.cancel.clear()
        try:
            model = work()
        except AssistantError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:
            log.exception("model %s failed", what)
            self.failed.emit(failed.format(error=exc))
            return
        (done or self.added.emit)(model)

    @Slot()
    def shutdown(self) -> None:
        self.cancel.set()
