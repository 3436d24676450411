"""The library's own thread: opens the store, indexes, and searches off the GUI thread."""

from __future__ import annotations

import functools
import logging
import threading
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
    watch_folders = True  # the UI tests that index by hand turn it off (tests/ui/conftest.py)
    make_fast_copy = True  # off in UI tests (each fresh data folder would export) and launch probes (ui.app)
    watching = Signal(object)  # {"folders": n, "paused": bool, "changed": [collections]} for the library view
    disk_changed = Signal(object)  # from the folder watcher's thread: a batch of changed paths, queued to this one

    def __init__(self, folder: Path | None = None) -> None:
        super().__init__()
        self._folder = folder
        self._library: Any = None
        self.control = SyncControl()
        # Set by the GUI thread (Stop) to cut a search's cross-encoder short; cleared before each search.
        self.search_cancel = threading.Event()
        self._watcher: Any = None
        self._watched: list[str] | None = None
        self.disk_changed.connect(self._on_disk_changed)

    def _open(self) -> Any:
        if self._library is None:
            from assistant.library.library import Library

            self._library = Library(self._folder, bundled=shared_embedder())
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

    def _emit_state(self, remaining: int | None = None) -> None:
        library = self._open()
        manifest = library.manifest
        self._watch([root for root, _ in manifest.folders()])
        self.changed.emit(
            {
                "collections": manifest.collections(),
                "folders": manifest.folders(),
                "files": manifest.files(),
                "embedder": self._embedder_state(library, remaining),
            }
        )

    @staticmethod
    def _embedder_state(library: Any, remaining: int | None) -> dict[str, Any]:
        """What the library view shows about the search model: which, a switch under way, a suggestion."""
        from assistant.library import embedders
        from assistant.library.indexer import Indexer

        suggestion = library.embedder_suggestion()
        return {
            "model": library.target_embedder.model_id,
            "answering": library.embedder.model_id,
            "remaining": len(Indexer(library).stale()) if remaining is None else remaining,
            "notice": library.notice,
            "installed": [(e.repo, e.name) for e in embedders.installed()],
            "suggestion": None
            if suggestion is None
            else (suggestion.repo, suggestion.name, embedders.is_installed(suggestion)),
        }

    @Slot()
    def open(self) -> None:
        self._guard(self._emit_state)
        self._guard(lambda: shared_router().warm())  # so the first message is routed at once
        self._guard(self._make_fast_copy)
        self._guard(self._refresh_embeddings)

    def _make_fast_copy(self) -> None:
        """On a first launch the embedder runs on torch (its int8 copy is made before indexing): make the
        copy now, in a child process, so that every later launch loads it instead of importing torch,
        even for a person who never indexes a document. The embedder switches to it when it is ready."""
        embedder = shared_embedder()
        if self.make_fast_copy and embedder.backend == "torch" and embedder.device == "cpu":
            # The export runs in a child process: this thread only waits for it, then switches.
            threading.Thread(target=embedder.prepare_onnx, args=(True,), name="embedder-int8", daemon=True).start()

    @Slot()
    def _refresh_embeddings(self) -> None:
        """Re-embed a few files that an older version indexed, then let queued searches run before the next few."""
        from assistant.library.indexer import Indexer

        library = self._open()
        switching = library.switching
        remaining = Indexer(library).refresh_embeddings()
        if remaining:
            log.info("library: %d files left to re-embed by %s", remaining, library.target_embedder.model_id)
            QTimer.singleShot(0, lambda: self._guard(self._refresh_embeddings))
        if switching:  # the library view counts down, and says when the new model answers
            self._emit_state(remaining)

    @Slot()
    def reload_models(self) -> None:
        """A reranker or an embedding model was downloaded or removed: the next search uses what is there now."""

        def work() -> None:
            if self._library is None:
                return
            from assistant.library.library import installed_reranker

            self._library.reranker = installed_reranker()
            self._emit_state()  # a downloaded embedder can now be chosen, and a suggestion used

        self._guard(work)

    @Slot(str)
    def choose_embedder(self, model_id: str) -> None:
        """Embed the library with ``model_id`` from now on; the old vectors answer until it is re-embedded."""

        def work() -> None:
            if self._open().choose_embedder(model_id):
                self._refresh_embeddings()
            self._emit_state()

        self._guard(work)

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
            self._open().target_embedder.prepare_onnx()  # the fast int8 embedder, made once before indexing
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

            self.results.emit(token, search(self._open(), query, top_k, collections, self.search_cancel))

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

    def _watch(self, roots: list[str]) -> None:
        """Keep the library's folders watched: changes on disk are synced within seconds."""
        if not self.watch_folders:
            return
        if self._watcher is None:
            if not roots:
                return
            from assistant.library.watcher import FolderWatcher

            self._watcher = FolderWatcher(self.disk_changed.emit)
        if roots != self._watched:
            self._watched = roots
            self._watcher.watch(roots)
            self.watching.emit({"folders": len(roots), "paused": self._watcher.paused_for_power, "changed": []})

    @Slot(object)
    def _on_disk_changed(self, batch: set[str]) -> None:
        """A batch of changes on disk: sync each collection they touch (new and changed files indexed once)."""

        def work() -> None:
            from assistant.library.watcher import collections_for

            collections = collections_for(batch, self._open().manifest.folders())
            log.info("library: %d changes on disk in %s", len(batch), collections)
            if collections:
                self.watching.emit({"folders": len(self._watched or []), "paused": False, "changed": collections})
            for collection in collections:
                self._sync(collection)

        self._guard(work)

    @Slot(object)
    def call(self, request: tuple[Any, Any]) -> None:
        """Run ``fn(library)`` here and put its result in ``future`` (the local server's library access)."""
        fn, future = request
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(fn(self._open()))
        except Exception as exc:  # noqa: BLE001 - the server's request answers with it
            future.set_exception(exc)

    @Slot()
    def shutdown(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        if self._library is not None:
            self._library.close()
            self._library = None
