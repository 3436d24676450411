"""One open library: its lock, manifest, vector store and embedder, in ``<data>/library/``."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from assistant import paths
from assistant.library.embedder import Embedder
from assistant.library.manifest import Manifest
from assistant.library.store import ProcessLock, VectorStore

log = logging.getLogger(__name__)

DEFAULT_COLLECTION = "Documents"


def installed_reranker() -> Any | None:
    """A :class:`~assistant.library.reranker.CrossEncoderReranker` for the downloaded reranker, if any."""
    from assistant.library.reranker import CrossEncoderReranker, find_installed

    folder = find_installed(paths.data_dir(create=False) / "models")
    if folder is None:
        return None
    log.info("search candidates are reranked by %s", folder.name)
    return CrossEncoderReranker(folder)


class Library:
    """Opened once per process; raises LibraryLockedError if another process has it.

    Args:
        folder: where the store lives (default: ``<data dir>/library``).
        embedder: the embedder (default: the bundled all-MiniLM-L6-v2).
        reranker: the cross-encoder that orders search candidates (default: the one the person
            downloaded into ``<data>/models/rerankers/``, if any; loaded at the first search).
    """

    def __init__(
        self, folder: Path | None = None, embedder: Embedder | None = None, reranker: Any | None = None
    ) -> None:
        self.folder = paths.ensure_writable_dir(folder or paths.data_dir() / "library")
        self.reranker = reranker if reranker is not None else installed_reranker()
        self.lock = ProcessLock(self.folder / "library.lock")
        self.lock.acquire()
        try:
            self.embedder = embedder or Embedder()
            self.manifest = Manifest(self.folder / "manifest.sqlite3")
            self._store: VectorStore | None = None
        except BaseException:
            self.lock.release()
            raise

    @property
    def store(self) -> VectorStore:
        """The chroma store, opened on first use (chromadb is a heavy import)."""
        if self._store is None:
            self._store = VectorStore(self.folder / "chroma", self.embedder.model_id)
            stale = self._store.other_embedders()
            if stale:
                # Another embedder made those vectors: drop them and re-embed every file.
                log.info("embedder changed to %s; dropping %s", self.embedder.model_id, stale)
                for name in stale:
                    self._store.drop_collection(name)
        return self._store

    def close(self) -> None:
        self.manifest.close()
        self._store = None
        self.lock.release()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
