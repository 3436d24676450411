"""One open library: its lock, manifest, vector store and embedder, in ``<data>/library/``."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant import paths
from assistant.library import embedders
from assistant.library.embedder import BUNDLED_EMBEDDER_ID, Embedder, EmbedderError
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


EMBEDDER_SETTING = "embedder"  # the model new vectors are made with (the person's choice)
ANSWERING_SETTING = "answering"  # the model whose vectors answer: the chosen one, or the old one during a switch


class Library:
    """Opened once per process; raises LibraryLockedError if another process has it.

    The library records its embedding model. After the person chooses another one
    (:meth:`choose_embedder`), ``target_embedder`` makes every new vector into ``target_store`` while
    ``embedder`` and ``store``, which searches use, stay the old model's until every file has been
    re-embedded (``Indexer.refresh_embeddings`` or a sync); :meth:`settle` then makes the new model
    answer and drops the old vectors. Outside such a switch the two pairs are the same objects.

    Args:
        folder: where the store lives (default: ``<data dir>/library``).
        embedder: the embedder new vectors are made with (default: the one the library records,
            else the bundled all-MiniLM-L6-v2); not recorded.
        reranker: the cross-encoder that orders search candidates (default: the one the person
            downloaded into ``<data>/models/rerankers/``, if any; loaded at the first search).
        bundled: an already made bundled embedder to use wherever the bundled model is needed.
    """

    def __init__(
        self,
        folder: Path | None = None,
        embedder: Embedder | None = None,
        reranker: Any | None = None,
        bundled: Embedder | None = None,
    ) -> None:
        self.folder = paths.ensure_writable_dir(folder or paths.data_dir() / "library")
        self.reranker = reranker if reranker is not None else installed_reranker()
        self.lock = ProcessLock(self.folder / "library.lock")
        self.lock.acquire()
        try:
            self.manifest = Manifest(self.folder / "manifest.sqlite3")
            self.notice = ""  # why the library does not use the model it records, if it does not
            self._embedders: dict[str, Embedder] = {}
            if bundled is not None:
                self._embedders[bundled.model_id] = bundled
            if embedder is not None:
                self._embedders[embedder.model_id] = embedder
                self.target_embedder = embedder
            else:
                self.target_embedder = self._recorded_embedder()
            self.embedder = self._answering_embedder()
            self._stores: dict[str, VectorStore] = {}
            self._suggested: tuple[tuple[str, int], Any] | None = None
        except BaseException:
            self.lock.release()
            raise

    def _embedder_for(self, model_id: str) -> Embedder:
        model_id = model_id or BUNDLED_EMBEDDER_ID  # records older than embedder choice: the bundled model
        if model_id not in self._embedders:
            made = embedders.make(model_id)
            self._embedders[made.model_id] = made
            self._embedders[model_id] = made
        return self._embedders[model_id]

    def _recorded_embedder(self) -> Embedder:
        chosen = self.manifest.setting(EMBEDDER_SETTING, BUNDLED_EMBEDDER_ID)
        try:
            return self._embedder_for(chosen)
        except EmbedderError as exc:
            self.notice = f"{exc} Until then the library uses the built-in English model."
            log.warning("library embedder %s unavailable: %s", chosen, exc)
            return self._embedder_for(BUNDLED_EMBEDDER_ID)

    def _answering_embedder(self) -> Embedder:
        """The model whose vectors answer: the one recorded, else the one that made most of them."""
        made_by = self.manifest.embedded_with()
        answering = self.manifest.setting(ANSWERING_SETTING)
        if not answering:
            answering = max(made_by, key=made_by.__getitem__) if made_by else self.target_embedder.model_id
        answering = answering or BUNDLED_EMBEDDER_ID
        if answering == self.target_embedder.model_id:
            return self.target_embedder
        try:
            return self._embedder_for(answering)
        except EmbedderError:  # the old model is gone: the new one answers as files are re-embedded
            log.info("the library's old embedder %s is gone; %s answers", answering, self.target_embedder.model_id)
            return self.target_embedder

    def bundled_embedder(self) -> Embedder:
        """The bundled English MiniLM (the library's own object when it uses it), e.g. for checking answers."""
        return self._embedder_for(BUNDLED_EMBEDDER_ID)

    @property
    def switching(self) -> bool:
        """Whether files are being re-embedded by another model while the old one answers."""
        return self.embedder is not self.target_embedder

    def choose_embedder(self, model_id: str) -> bool:
        """Make new vectors with ``model_id`` (the bundled id, or a downloaded catalog embedder); True if it changed.

        The current vectors keep answering until every file is re-embedded. Raises EmbedderError
        (saying how to download it) when the model is not here.
        """
        chosen = self._embedder_for(model_id)
        self.notice = ""
        self.manifest.set_setting(EMBEDDER_SETTING, chosen.model_id)
        self.manifest.set_setting(ANSWERING_SETTING, self.embedder.model_id)
        if chosen is self.target_embedder:
            return False
        log.info("library embedder: %s -> %s", self.target_embedder.model_id, chosen.model_id)
        self.target_embedder = chosen
        self.settle()
        return True

    def settle(self) -> bool:
        """End a switch once every indexed file has vectors by the new model; True if it ended now."""
        if not self.switching:
            return False
        if any(model != self.target_embedder.model_id for model in self.manifest.embedded_with()):
            return False
        old = self.embedder.model_id
        self.embedder = self.target_embedder
        self.manifest.set_setting(ANSWERING_SETTING, self.embedder.model_id)
        if self._stores:
            for name in self.store.other_embedders():
                self.store.drop_collection(name)
            self._stores = {self.embedder.model_id: self.store}
        log.info("library embedder switch done: %s answers, %s's vectors dropped", self.embedder.model_id, old)
        return True

    def _store_for(self, model_id: str) -> VectorStore:
        if model_id not in self._stores:
            client = next(iter(self._stores.values())).client if self._stores else None
            store = VectorStore(self.folder / "chroma", model_id, client)
            if client is None:
                keep = (self.embedder.model_id, self.target_embedder.model_id)
                stale = store.other_embedders(keep)
                if stale:  # vectors of a model the library no longer uses: every file is re-embedded
                    log.info("dropping vectors of embedders no longer used: %s", stale)
                    for name in stale:
                        store.drop_collection(name)
            self._stores[model_id] = store
        return self._stores[model_id]

    @property
    def store(self) -> VectorStore:
        """The vectors searches use (chromadb is a heavy import: opened on first use)."""
        return self._store_for(self.embedder.model_id)

    @property
    def target_store(self) -> VectorStore:
        """Where new vectors go: ``store`` itself, except during a switch of embedders."""
        return self._store_for(self.target_embedder.model_id)

    def delete_paths(self, paths: Sequence[str]) -> None:
        """Remove the vectors of ``paths`` from every store in use."""
        for store in {id(s): s for s in (self.store, self.target_store)}.values():
            store.delete_paths(paths)

    def embedder_suggestion(self) -> Any | None:
        """A multilingual catalog embedder to offer: most of the text is not English and an English model reads it."""
        key = (self.target_embedder.model_id, self.manifest.chunk_count())
        if self._suggested is None or self._suggested[0] != key:  # telling the language costs ~0.1 s: once per change
            sample = self.manifest.sample_texts(embedders.SAMPLE_CHUNKS)
            self._suggested = (key, embedders.suggestion(self.target_embedder.model_id, sample))
        return self._suggested[1]

    def close(self) -> None:
        self.manifest.close()
        self._stores = {}
        self.lock.release()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
