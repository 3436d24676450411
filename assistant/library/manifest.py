"""The library's own records, in SQLite: collections, folders, files, chunks and a keyword index.

Each file's status says how far it got: ``indexed`` rows match what is in the vector store,
anything else is redone on the next sync. The keyword index is SQLite FTS5 (BM25), kept in
step with the ``chunks`` table by triggers, so the two can never disagree.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant.library.documents import Chunk

SCHEMA = """
CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS folders (path TEXT PRIMARY KEY, collection TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, collection TEXT NOT NULL, size INTEGER NOT NULL, mtime REAL NOT NULL,
    sha256 TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, error TEXT NOT NULL DEFAULT '',
    chunks INTEGER NOT NULL DEFAULT 0, embedder TEXT NOT NULL DEFAULT '', updated REAL NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, collection TEXT NOT NULL, ordinal INTEGER NOT NULL,
    page INTEGER, heading TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    hidden INTEGER NOT NULL, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_by_path ON chunks(path);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    text, content='chunks', content_rowid='rowid', tokenize='porter unicode61');
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab(chunks_fts, 'row');
CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts(rowid, text) VALUES (new.rowid, new.text); END;
CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.rowid, old.text); END;
"""
HEADING_SEP = " › "
COMMON_SHARE = 0.2
_STOPWORDS = frozenset(
    "a an and are as at be by can do does for from how i in is it me my of on or the this to was what when "
    "where which who why will with you your".split()
)


@dataclass(frozen=True)
class FileRecord:
    path: str
    collection: str
    size: int
    mtime: float
    sha256: str
    status: str  # "indexed" | "failed" | "pending"
    error: str
    chunks: int
    embedder: str


class Manifest:
    """One SQLite connection; use from one thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- collections and folders ------------------------------------------------------

    def add_collection(self, name: str) -> None:
        self._db.execute("INSERT OR IGNORE INTO collections VALUES (?, ?)", (name, time.time()))

    def collections(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT name FROM collections ORDER BY name")]

    def add_folder(self, folder: str, collection: str) -> None:
        self.add_collection(collection)
        self._db.execute("INSERT OR REPLACE INTO folders VALUES (?, ?)", (folder, collection))

    def remove_folder(self, folder: str) -> None:
        self._db.execute("DELETE FROM folders WHERE path = ?", (folder,))

    def folders(self, collection: str | None = None) -> list[tuple[str, str]]:
        rows = self._db.execute("SELECT path, collection FROM folders ORDER BY path")
        return [(p, c) for p, c in rows if collection is None or c == collection]

    # -- files ------------------------------------------------------------------------

    def file(self, path: str) -> FileRecord | None:
        row = self._db.execute(
            "SELECT path, collection, size, mtime, sha256, status, error, chunks, embedder FROM files WHERE path = ?",
            (path,),
        ).fetchone()
        return FileRecord(*row) if row else None

    def files(self, collection: str | None = None, under: str | None = None) -> list[FileRecord]:
        sql = "SELECT path, collection, size, mtime, sha256, status, error, chunks, embedder FROM files"
        rows = [FileRecord(*r) for r in self._db.execute(sql + " ORDER BY path")]
        if collection is not None:
            rows = [r for r in rows if r.collection == collection]
        if under is not None:
            prefix = under.rstrip("/\\") + "/"
            rows = [r for r in rows if r.path.startswith(prefix) or r.path == under]
        return rows

    def touch(self, path: str, size: int, mtime: float) -> None:
        """The file changed on disk but not in content: remember its new size and mtime."""
        self._db.execute("UPDATE files SET size = ?, mtime = ? WHERE path = ?", (size, mtime, path))

    def record_failure(self, path: str, collection: str, size: int, mtime: float, error: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM chunks WHERE path = ?", (path,))
            db.execute(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, '', 'failed', ?, 0, '', ?)",
                (path, collection, size, mtime, error, time.time()),
            )

    def record_indexed(self, db: sqlite3.Connection, record: FileRecord, chunks: Sequence[Chunk]) -> None:
        """Inside a transaction: replace the file's chunks and mark it indexed."""
        db.execute("DELETE FROM chunks WHERE path = ?", (record.path,))
        db.executemany(
            "INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    c.id,
                    c.path,
                    c.collection,
                    c.ordinal,
                    c.page,
                    HEADING_SEP.join(c.heading_path),
                    c.start,
                    c.end,
                    int(c.hidden),
                    c.text,
                )
                for c in chunks
            ],
        )
        db.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, 'indexed', '', ?, ?, ?)",
            (
                record.path,
                record.collection,
                record.size,
                record.mtime,
                record.sha256,
                len(chunks),
                record.embedder,
                time.time(),
            ),
        )

    def remove_files(self, paths: Iterable[str]) -> None:
        with self.transaction() as db:
            for path in paths:
                db.execute("DELETE FROM chunks WHERE path = ?", (path,))
                db.execute("DELETE FROM files WHERE path = ?", (path,))

    # -- chunks -----------------------------------------------------------------------

    def chunks(self, ids: Sequence[str]) -> dict[str, Chunk]:
        found: dict[str, Chunk] = {}
        for start in range(0, len(ids), 500):
            part = list(ids[start : start + 500])
            marks = ",".join("?" * len(part))
            rows = self._db.execute(
                f'SELECT id, path, collection, ordinal, text, page, heading, start, "end", hidden '
                f"FROM chunks WHERE id IN ({marks})",
                part,
            )
            for r in rows:
                heading = tuple(r[6].split(HEADING_SEP)) if r[6] else ()
                found[r[0]] = Chunk(r[0], r[1], r[2], r[3], r[4], r[5], heading, r[7], r[8], bool(r[9]))
        return found

    def chunk_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    def keyword_search(self, query: str, limit: int, collections: Sequence[str] | None = None) -> list[str]:
        """Chunk ids ranked by BM25 for the words of ``query`` (any word may match).

        Words found in more than ``COMMON_SHARE`` of all chunks are left out: they say little
        about relevance, and scoring their tens of thousands of matches is what made keyword
        search slow at 50k chunks (bench/bench_library.py).
        """
        words = query_words(query)
        if not words:
            return []
        total = self.chunk_count()
        marks = ",".join("?" * len(words))
        counts = dict(self._db.execute(f"SELECT term, doc FROM chunks_vocab WHERE term IN ({marks})", words))
        rare = [w for w in words if counts.get(w, 0) <= COMMON_SHARE * total]
        if not rare:  # every word is common: keep the least common one
            rare = [min(words, key=lambda w: counts.get(w, 0))]
        expression = " OR ".join(f'"{w}"' for w in rare)
        sql = (
            "SELECT c.id FROM chunks_fts JOIN chunks c ON c.rowid = chunks_fts.rowid "
            "WHERE chunks_fts MATCH ? AND c.hidden = 0"
        )
        params: list[object] = [expression]
        if collections:
            sql += f" AND c.collection IN ({','.join('?' * len(collections))})"
            params += list(collections)
        sql += " ORDER BY bm25(chunks_fts) LIMIT ?"
        params.append(limit)
        return [r[0] for r in self._db.execute(sql, params)]


def query_words(text: str) -> list[str]:
    """The meaningful words of ``text``, each quoted into the FTS5 query; user syntax is never parsed."""
    words = [w for w in re.findall(r"\w+", text.lower()) if w not in _STOPWORDS and len(w) > 1]
    return list(dict.fromkeys(words))
