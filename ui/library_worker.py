"""The library's own thread: opens the store, indexes, and searches off the GUI thread."""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from assistant.errors import AssistantError
from assistant.library.indexer import SyncControl

log = logging.getLogger(__name__)


@functools.cache
def shared_embedder() -> Any:
    """One embedder per process: the library and the router share it (it loads on first use)."""
    from assistant.library.embedder import Embedder

    return Embedder()


@functools.cache
def shared_router() -> Any:
    from assistant.agents.router import Router

    return Router(shared_embedder().embed)


class LibraryWorker(QObject):
    """Owns the :class:`~assistant.library.library.Library` on its thread.

    Signals:
        changed(object): a LibraryState after any change (collections, folders, files).
        progress(object): an indexer Progress, one per file.
        synced(object): a dict of counts when a sync ends.
        results(int, object): search results (list of Source) for a request token.
        failed(str): a message for the person.
        routed(int, object): the RouteDecision for a request token (never fails: chat when unsure).
    """

    changed = Signal(object)
    progress = Signal(object)
    synced = Signal(object)
    results = Signal(int, object)
    failed = Signal(str)
    routed = Signal(int, object)

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__()
        self._folder = folder
        self._library: Any = None
        self.control = SyncControl()

    def _open(self) -> Any:
        if self._library is None:
            from assistant.library.library import Library

            self._library = Library(self._folder, shared_embedder())
        return self._library

    def _guard(self, work: Any) -> None:
        try:
            work()
        except AssistantError as exc:
            log.info("library: %s", exc)
            self.failed.emit(str(exc))
        except Exception as exc:
            log.exception("library work failed")
            self.failed.emit(
                self.tr("The library could not do that ({error}). Details are in the log file.").format(error=exc)
            )

    def _emit_state(self) -> None:
        manifest = self._open().manifest
        self.changed.emit(
            {"collections": manifest.collections(), "folders": manifest.folders(), "files": manifest.files()}
        )

    @Slot()
    def open(self) -> None:
        self._guard(self._emit_state)
        self._guard(lambda: shared_router().warm())  # so the first message is routed at once
        self._guard(self._refresh_embeddings)

    @Slot()
    def _refresh_embeddings(self) -> None:
        """Re-embed a few files that an older version indexed, then let queued searches run before the next few."""
        from assistant.library.indexer import Indexer

        remaining = Indexer(self._open()).refresh_embeddings()
        if remaining:
            log.info("library: %d files left to re-embed under their titles and headings", remaining)
            QTimer.singleShot(0, lambda: self._guard(self._refresh_embeddings))

    @Slot(str, str)
    def add(self, path: str, collection: str) -> None:
        def work() -> None:
            from assistant.library.indexer import Indexer

            Indexer(self._open()).add(Path(path), collection)
            self._emit_state()
            self._sync(collection)

        self._guard(work)

    @Slot(str)
    def remove(self, path: str) -> None:
        def work() -> None:
            from assistant.library.indexer import Indexer

            Indexer(self._open()).remove(Path(path))
            self._emit_state()

        self._guard(work)

    @Slot(str)
    def sync(self, collection: str) -> None:
        self._guard(lambda: self._sync(collection or None))

    def _sync(self, collection: str | None) -> None:
        from assistant.library.indexer import Indexer

        self.control.paused.clear()
        self.control.cancelled.clear()
        counts = {"indexed": 0, "skipped": 0, "failed": 0, "removed": 0}
        try:
            self._open().embedder.prepare_onnx()  # the fast int8 embedder, made once (seconds) before indexing
            for progress in Indexer(self._open()).sync(collection, self.control):
                counts[progress.status] += 1
                self.progress.emit(progress)
        finally:
            counts["cancelled"] = int(self.control.cancelled.is_set())
            self._emit_state()
            self.synced.emit(counts)

    @Slot(int, str, object, int)
    def search(self, token: int, query: str, collections: list[str], top_k: int) -> None:
        def work() -> None:
            from assistant.library.retriever import search

            self.results.emit(token, search(self._open(), query, top_k, collections))

        self._guard(work)

    @Slot(int, str)
    def route(self, token: int, text: str) -> None:
        """Route one request with the already-loaded embedder (tens of milliseconds once warm)."""
        from assistant.agents.router import RouteDecision

        try:
            try:
                has_documents = self._open().manifest.chunk_count() > 0
            except AssistantError:  # e.g. another process holds the library: the search will say so
                has_documents = True
            decision = shared_router().route(text, has_documents=has_documents)
        except Exception as exc:
            log.exception("routing failed")
            decision = RouteDecision("chat", 0.0, (f"the router failed ({type(exc).__name__})",), unsure=True)
        self.routed.emit(token, decision)

    @Slot()
    def shutdown(self) -> None:
        if self._library is not None:
            self._library.close()
            self._library = None
