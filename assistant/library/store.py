"""The vector store: a chromadb ``PersistentClient`` in the data directory, one per process.

A lock file stops a second process from opening the same store (chromadb's local store is
not safe for two writers). Telemetry is off. Each embedder gets its own chroma collection,
named after the embedder id, so vectors of two models are never mixed.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from assistant.errors import AssistantError
from assistant.library.documents import Chunk

log = logging.getLogger(__name__)


class LibraryLockedError(AssistantError):
    """Another process has the library open."""


class ProcessLock:
    """An exclusive, non-blocking lock on a file, released when the process ends (even on kill -9)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None

    def acquire(self) -> None:
        handle = self.path.open("a+b")
        try:
            if os.name == "nt":
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            raise LibraryLockedError(
                "Another Private Assistant window or command is using the document library "
                f"({self.path.parent}). Close it, or wait for it to finish, and try again."
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()).encode())
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing the descriptor drops the lock
            self._handle = None


def collection_name(embedder_id: str) -> str:
    digest = hashlib.sha1(embedder_id.encode()).hexdigest()[:12]
    return f"chunks-{digest}"


class VectorStore:
    """Chunk vectors with their path, collection and page, in chromadb."""

    def __init__(self, folder: Path, embedder_id: str, client: Any = None) -> None:
        """``client``: another store's chroma client on the same folder (one client per folder and process)."""
        if client is None:
            import chromadb
            from chromadb.config import Settings

            client = chromadb.PersistentClient(
                path=str(folder), settings=Settings(anonymized_telemetry=False, allow_reset=False)
            )
        self.client = client
        self.embedder_id = embedder_id
        self.collection = self.client.get_or_create_collection(
            collection_name(embedder_id), metadata={"hnsw:space": "cosine", "embedder": embedder_id}
        )
        self.max_batch = int(self.client.get_max_batch_size())
        self._count: int | None = None  # cached: chroma's count() costs as much as a query

    def other_embedders(self, keep: Sequence[str] = ()) -> list[str]:
        """Names of collections made by embedders other than this one and those in ``keep``."""
        mine = {collection_name(i) for i in (self.embedder_id, *keep)}
        return [c.name for c in self.client.list_collections() if c.name not in mine]

    def drop_collection(self, name: str) -> None:
        self.client.delete_collection(name)

    def upsert(self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]) -> None:
        for start in range(0, len(chunks), self.max_batch):
            part = chunks[start : start + self.max_batch]
            embeddings: list[Sequence[float]] = [list(v) for v in vectors[start : start + self.max_batch]]
            self.collection.upsert(
                ids=[c.id for c in part],
                embeddings=embeddings,
                metadatas=[
                    {"path": c.path, "collection": c.collection, "page": c.page or 0, "ordinal": c.ordinal}
                    for c in part
                ],
            )
        self._count = None

    def delete_paths(self, paths: Sequence[str]) -> None:
        for start in range(0, len(paths), 100):
            part = list(paths[start : start + 100])
            where: Any = {"path": part[0]} if len(part) == 1 else {"path": {"$in": part}}
            self.collection.delete(where=where)
        self._count = None

    def count(self) -> int:
        if self._count is None:
            self._count = int(self.collection.count())
        return self._count

    def query(
        self, vector: Sequence[float], limit: int, collections: Sequence[str] | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), best first."""
        total = self.count()
        if total == 0:
            return []
        where: Any = None
        if collections:
            where = (
                {"collection": collections[0]} if len(collections) == 1 else {"collection": {"$in": list(collections)}}
            )
        query: list[Sequence[float]] = [list(vector)]
        result = self.collection.query(
            query_embeddings=query, n_results=min(limit, total), where=where, include=["distances"]
        )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[]])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]
