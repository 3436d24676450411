"""The library's own records, in SQLite: collections, folders, files, chunks and a keyword index.

Each file's status says how far it got: ``indexed`` rows match what is in the vector store,
anything else is redone on the next sync. The keyword index is SQLite FTS5 (BM25), kept in
step with the ``chunks`` table by triggers, so the two can never disagree.

Latin-script words are indexed by FTS5's ``porter unicode61`` tokenizer. Hangul, kana and Han
have no spaces between words (Korean attaches particles: "아카이브를", "아카이브에서"), so each
run of those scripts is indexed as its overlapping character bigrams ("아카 카이 이브 브를"),
and queries are split the same way: a word with a particle or ending still shares the bigrams
of its stem. The index holds only the derived terms (``keyword_text``), not a copy of the text.
"""

from __future__ import annotations

import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from assistant.library.chunking import CJK_CHARS
from assistant.library.documents import Chunk
from assistant.library.titles import document_title, place_words

TABLES = """
CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS folders (path TEXT PRIMARY KEY, collection TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, collection TEXT NOT NULL, size INTEGER NOT NULL, mtime REAL NOT NULL,
    sha256 TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, error TEXT NOT NULL DEFAULT '',
    chunks INTEGER NOT NULL DEFAULT 0, embedder TEXT NOT NULL DEFAULT '', updated REAL NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, collection TEXT NOT NULL, ordinal INTEGER NOT NULL,
    page INTEGER, heading TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    hidden INTEGER NOT NULL, text TEXT NOT NULL, title TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS chunks_by_path ON chunks(path);
CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied REAL NOT NULL);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
# The keyword index has three fields, weighed in that order by ``FIELD_WEIGHTS``: the document's
# title with its file and folder name, the chunk's headings, and the chunk's text.
KEYWORDS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS chunk_fields USING fts5("
    "title, heading, body, content='', tokenize='porter unicode61')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS chunk_fields_vocab USING fts5vocab(chunk_fields, 'row')",
    """CREATE TRIGGER IF NOT EXISTS chunk_fields_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunk_fields(rowid, title, heading, body)
    VALUES (new.rowid, pa_title_terms(new.title, new.path), pa_keyword_text(new.heading), pa_keyword_text(new.text));
    END""",
    """CREATE TRIGGER IF NOT EXISTS chunk_fields_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunk_fields(chunk_fields, rowid, title, heading, body)
    VALUES ('delete', old.rowid, pa_title_terms(old.title, old.path), pa_keyword_text(old.heading),
            pa_keyword_text(old.text));
    END""",
)
# Keyword indexes of earlier versions: FTS5 over the raw text, then one field of CJK bigrams.
LEGACY_KEYWORD_INDEX = """
DROP TRIGGER IF EXISTS chunks_ai;
DROP TRIGGER IF EXISTS chunks_ad;
DROP TABLE IF EXISTS chunks_vocab;
DROP TABLE IF EXISTS chunks_fts;
DROP TRIGGER IF EXISTS chunk_keywords_ai;
DROP TRIGGER IF EXISTS chunk_keywords_ad;
DROP TABLE IF EXISTS chunk_keywords_vocab;
DROP TABLE IF EXISTS chunk_keywords;
"""
# Query words are turned into index terms by the index's own tokenizer (porter stems them).
QUERY_TERMS = """
CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_words USING fts5(word, tokenize='porter unicode61');
CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_terms USING fts5vocab(temp, query_words, 'instance');
"""
# The contentless index is told what to remove by recomputing ``keyword_text`` of the old row,
# so the terms must never change under an existing index: any change to ``keyword_text`` renames
# this migration, and so does a new Unicode database (NFKC), which rebuilds the index on open.
KEYWORD_INDEX_MIGRATION = f"keyword-index-fields-v1/unicode-{unicodedata.unidata_version}"
FIELD_WEIGHTS = (4.0, 2.0, 1.0)  # title, heading, body: bm25() weights
HEADING_SEP = " › "
COMMON_SHARE = 0.2
COMMON_FLOOR = 100  # below this many matching chunks no word is too common to score
MATCH_MARGIN = 20  # ranked rows looked up beyond the ``limit`` wanted, for hidden or other collections' chunks
_CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
STOPWORDS = frozenset(
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
        self._db.execute("PRAGMA temp_store=MEMORY")
        self._db.execute("PRAGMA cache_size=-32768")  # 32 MB of pages: keyword search 10-15 % faster at 50k chunks
        # The triggers of the keyword index call this: every connection that writes chunks needs it.
        self._db.create_function("pa_keyword_text", 1, keyword_text, deterministic=True)
        self._db.create_function("pa_title_terms", 2, title_terms, deterministic=True)
        self._db.executescript(TABLES)
        if "title" not in {r[1] for r in self._db.execute("PRAGMA table_info(chunks)")}:  # before titles
            self._db.execute("ALTER TABLE chunks ADD COLUMN title TEXT NOT NULL DEFAULT ''")
        self._db.executescript(QUERY_TERMS)
        self._migrate_keyword_index()

    def _migrate_keyword_index(self) -> None:
        """Rebuild the keyword index from the stored chunk text when it was made by an older version.

        Only the FTS5 table (and chunks' titles, read from their own stored text) is rewritten:
        chunks, files and vectors stay, nothing is re-embedded here.
        """
        done = self._db.execute("SELECT 1 FROM migrations WHERE name = ?", (KEYWORD_INDEX_MIGRATION,)).fetchone()
        legacy = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE name IN ('chunks_fts', 'chunk_keywords')"
        ).fetchone()
        if done and not legacy:
            for statement in KEYWORDS:
                self._db.execute(statement)
            return
        with self.transaction() as db:
            for statement in LEGACY_KEYWORD_INDEX.strip().splitlines():
                db.execute(statement)
            db.execute("DROP TRIGGER IF EXISTS chunk_fields_ai")  # the index is rebuilt below, not row by row
            db.execute("DROP TRIGGER IF EXISTS chunk_fields_ad")
            db.execute("DROP TABLE IF EXISTS chunk_fields_vocab")
            db.execute("DROP TABLE IF EXISTS chunk_fields")
            db.executemany("UPDATE chunks SET title = ? WHERE path = ?", list(_stored_titles(db).items()))
            for statement in KEYWORDS:
                db.execute(statement)
            db.execute(
                "INSERT INTO chunk_fields(rowid, title, heading, body) SELECT rowid, pa_title_terms(title, path), "
                "pa_keyword_text(heading), pa_keyword_text(text) FROM chunks"
            )
            db.execute("INSERT OR REPLACE INTO migrations VALUES (?, ?)", (KEYWORD_INDEX_MIGRATION, time.time()))

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

    # -- the library's own settings (e.g. its embedding model) ------------------------------

    def setting(self, name: str, default: str = "") -> str:
        row = self._db.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
        return str(row[0]) if row else default

    def set_setting(self, name: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (name, value))

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
            'INSERT INTO chunks (id, path, collection, ordinal, page, heading, start, "end", hidden, text, title) '
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                    c.title,
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
                f'SELECT id, path, collection, ordinal, text, page, heading, start, "end", hidden, title '
                f"FROM chunks WHERE id IN ({marks})",
                part,
            )
            for r in rows:
                heading = tuple(r[6].split(HEADING_SEP)) if r[6] else ()
                found[r[0]] = Chunk(r[0], r[1], r[2], r[3], r[4], r[5], heading, r[7], r[8], bool(r[9]), r[10])
        return found

    def chunks_of(self, path: str) -> list[Chunk]:
        """Every chunk of one file, in order."""
        ids = [r[0] for r in self._db.execute("SELECT id FROM chunks WHERE path = ? ORDER BY ordinal", (path,))]
        found = self.chunks(ids)
        return [found[i] for i in ids if i in found]

    def mark_embedded(self, path: str, embedder: str) -> None:
        """The file's vectors were rebuilt by ``embedder`` (an ``indexer.embedding_key``) from its stored chunks."""
        self._db.execute("UPDATE files SET embedder = ? WHERE path = ? AND status = 'indexed'", (embedder, path))

    def embedded_with(self) -> dict[str, int]:
        """How many indexed files each embedding model made the vectors of (the model part of ``embedder``)."""
        counts: dict[str, int] = {}
        for (key,) in self._db.execute("SELECT embedder FROM files WHERE status = 'indexed'"):
            model = str(key).split("#", 1)[0]
            counts[model] = counts.get(model, 0) + 1
        return counts

    def sample_texts(self, limit: int) -> list[str]:
        """About ``limit`` chunk texts spread evenly over the library (for telling its language)."""
        total = self.chunk_count()
        step = max(total // max(limit, 1), 1)
        rows = self._db.execute(
            "SELECT text FROM chunks WHERE hidden = 0 AND rowid % ? = 0 LIMIT ?", (step, limit)
        ).fetchall()
        return [r[0] for r in rows]

    def chunk_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    def keyword_search(self, query: str, limit: int, collections: Sequence[str] | None = None) -> list[str]:
        """Chunk ids ranked by BM25 for the words of ``query``: first those that hold every word, then any.

        Latin words count as stemmed words, Hangul/kana/Han as character bigrams (``query_words``);
        a word may match in the chunk's title, headings or text, weighed by ``FIELD_WEIGHTS``.
        Words found in more than ``COMMON_SHARE`` of all chunks (and more than ``COMMON_FLOOR``)
        are left out: they say little about relevance, and scoring their tens of thousands of
        matches is what made keyword search slow at 50k chunks (bench/bench_library.py).
        """
        words = query_words(query)
        if not words:
            return []
        counts = self.chunk_counts(words)
        present = [w for w in words if counts[w]]
        if not present:
            return []
        common = max(COMMON_SHARE * self.chunk_count(), COMMON_FLOOR)
        rare = [w for w in present if counts[w] <= common]
        if not rare:  # every word is common: keep the least common one
            rare = [min(present, key=lambda w: counts[w])]
        found = self._match(" AND ".join(f'"{w}"' for w in rare), limit, collections)
        if len(found) < limit and len(rare) > 1:  # too few hold every word: fill with those that hold some
            seen = set(found)
            more = self._match(" OR ".join(f'"{w}"' for w in rare), limit, collections)
            found += [i for i in more if i not in seen][: limit - len(found)]
        return found

    def _match(self, expression: str, limit: int, collections: Sequence[str] | None) -> list[str]:
        """The ``limit`` best visible chunks in ``collections`` for ``expression``, by BM25 then rowid.

        The index is ranked on its own and only its best ``limit + MATCH_MARGIN`` rows are looked
        up in ``chunks``: joining every match first cost half the keyword search's time at 50k
        chunks (bench/bench_library.py). When too few of those pass (hidden chunks, other
        collections), the filtered join ranks them instead; both give the same order.
        """
        ranked = f"ORDER BY bm25(chunk_fields, {', '.join(str(w) for w in FIELD_WEIGHTS)})"
        window = limit + MATCH_MARGIN
        sql = f"SELECT rowid FROM chunk_fields WHERE chunk_fields MATCH ? {ranked}, rowid LIMIT ?"
        rowids = [r[0] for r in self._db.execute(sql, (expression, window))]
        shown = self._shown(rowids, collections)
        found = [shown[r] for r in rowids if r in shown]
        if len(found) >= limit or len(rowids) < window:
            return found[:limit]
        sql = (
            "SELECT c.id FROM chunk_fields JOIN chunks c ON c.rowid = chunk_fields.rowid "
            "WHERE chunk_fields MATCH ? AND c.hidden = 0"
        )
        params: list[object] = [expression]
        if collections:
            sql += f" AND c.collection IN ({','.join('?' * len(collections))})"
            params += list(collections)
        return [r[0] for r in self._db.execute(f"{sql} {ranked}, c.rowid LIMIT ?", [*params, limit])]

    def _shown(self, rowids: Sequence[int], collections: Sequence[str] | None) -> dict[int, str]:
        """rowid -> id of those ``rowids`` whose chunk is not hidden and is in ``collections`` (any if None)."""
        marks = ",".join("?" * len(rowids))  # at most limit + MATCH_MARGIN
        sql = f"SELECT rowid, id, collection FROM chunks WHERE hidden = 0 AND rowid IN ({marks})"
        rows = self._db.execute(sql, rowids)
        return {r[0]: r[1] for r in rows if not collections or r[2] in collections}

    def chunk_counts(self, words: Sequence[str]) -> dict[str, int]:
        """How many chunks hold each word, looked up by the index's own (stemmed) terms.

        A word the tokenizer splits in two ("foo_bar") counts as its rarer part: the phrase
        cannot occur more often than that.
        """
        self._db.execute("DELETE FROM temp.query_words")
        self._db.executemany("INSERT INTO temp.query_words(rowid, word) VALUES (?, ?)", list(enumerate(words)))
        terms: dict[int, list[str]] = {}
        for doc, term in self._db.execute("SELECT doc, term FROM temp.query_terms ORDER BY doc, offset"):
            terms.setdefault(doc, []).append(term)
        unique = sorted({t for ts in terms.values() for t in ts})
        marks = ",".join("?" * len(unique))
        found = dict(self._db.execute(f"SELECT term, doc FROM chunk_fields_vocab WHERE term IN ({marks})", unique))
        return {w: min((found.get(t, 0) for t in terms.get(i, [])), default=0) for i, w in enumerate(words)}


def _bigrams(run: str) -> list[str]:
    """Overlapping character pairs of one Hangul/kana/Han run (NFKC); a single character stays itself."""
    run = unicodedata.normalize("NFKC", run)
    return [run] if len(run) < 2 else [run[i : i + 2] for i in range(len(run) - 1)]


def keyword_text(text: str) -> str:
    """What the keyword index holds for ``text``: Latin words as they are, each CJK run as its bigrams."""
    return _CJK_RUN.sub(lambda m: " " + " ".join(_bigrams(m.group())) + " ", text)


def title_terms(title: str, path: str) -> str:
    """What the keyword index holds as a chunk's title: the document's title, file and folder name."""
    return keyword_text(f"{title} {place_words(path)}")


def _stored_titles(db: sqlite3.Connection) -> dict[str, str]:
    """path -> title of every indexed file, from its stored chunks (libraries made before titles)."""
    first: dict[str, str] = {}
    headings: dict[str, tuple[str, ...]] = {}
    for path, text, heading in db.execute("SELECT path, text, heading FROM chunks ORDER BY path, ordinal"):
        first.setdefault(path, text)
        if heading and path not in headings:
            headings[path] = tuple(heading.split(HEADING_SEP))
    return {path: document_title(text, headings.get(path, ()), path) for path, text in first.items()}


def query_words(text: str) -> list[str]:
    """The meaningful words of ``text``, each quoted into the FTS5 query; user syntax is never parsed.

    Latin words (stop words and single letters left out) come first, then the bigrams of
    every Hangul/kana/Han run, each once.
    """
    latin = [w for w in re.findall(r"\w+", _CJK_RUN.sub(" ", text).lower()) if w not in STOPWORDS and len(w) > 1]
    cjk = [gram for run in _CJK_RUN.findall(text) for gram in _bigrams(run)]
    return list(dict.fromkeys(latin + cjk))
