"""The query is embedded on a thread while the keyword search runs, and the keyword search ranks
only its best rows against ``chunks`` (issue 14, latency): the same results, sooner.

A real library: sandboxed parser, the bundled embedder, chromadb on disk, the SQLite keyword index.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.library import retriever
from assistant.library.documents import Chunk
from assistant.library.embedder import Embedder, EmbedderError
from assistant.library.indexer import Indexer
from assistant.library.library import Library
from assistant.library.manifest import FIELD_WEIGHTS, FileRecord, Manifest
from assistant.library.retriever import search, search_detailed

PAGES = {
    "tar.md": "# tar\n\nArchiving utility.\n\n- Extract an archive into a directory: `tar xf source.tar -C dir`\n"
    "- Create a gzipped archive: `tar czf target.tar.gz file1 file2`\n",
    "grep.md": "# grep\n\nFind patterns in files using regular expressions.\n\n"
    "- Search recursively, ignoring binary files: `grep -rI pattern dir`\n",
    "printers.md": "# Printer setup\n\n## Drivers\n\nInstall the package from the vendor, then restart the service.\n",
    "lunch.md": "# Lunch\n\nThe canteen opens at noon and closes at two. Soup on Fridays.\n",
    "ssh.md": "# ssh\n\nSecure Shell client.\n\n- Connect to a remote server on a port: `ssh -p 2222 user@host`\n",
}
QUESTIONS = [
    "how do I extract a tar archive into another directory",
    "search text in every file recursively",
    "printer driver install",
    "when does the canteen open",
    "connect to a server on another port",
    "zzzz unknownword",
]
WAIT_S = 2.0


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


@pytest.fixture()
def library(tmp_path: Path, embedder: Embedder) -> Iterator[Library]:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in PAGES.items():
        (docs / name).write_text(text, encoding="utf-8")
    with Library(tmp_path / "library", embedder) as opened:
        indexer = Indexer(opened)
        indexer.add(docs)
        assert {p.status for p in indexer.sync()} == {"indexed"}
        yield opened


def embedding_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("query-embedding")]


def test_the_same_passages_as_one_after_the_other(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    for question in QUESTIONS:
        monkeypatch.setattr(retriever, "CONCURRENT", False)
        sequential = search(library, question, top_k=4)
        monkeypatch.setattr(retriever, "CONCURRENT", True)
        assert search(library, question, top_k=4) == sequential
    assert Path(search(library, QUESTIONS[0], top_k=4)[0].path).name == "tar.md"


def test_the_query_is_embedded_while_the_keyword_search_runs(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    embedding, keywords = threading.Event(), threading.Event()
    seen: dict[str, bool] = {}
    embed_query, keyword_search = library.embedder.embed_query, library.manifest.keyword_search

    def slow_embedding(query: str) -> list[float]:
        embedding.set()
        seen["keyword search ran meanwhile"] = keywords.wait(WAIT_S)
        return embed_query(query)

    def slow_keywords(*args: Any) -> list[str]:
        keywords.set()
        seen["embedding ran meanwhile"] = embedding.wait(WAIT_S)
        return keyword_search(*args)

    monkeypatch.setattr(library.embedder, "embed_query", slow_embedding)
    monkeypatch.setattr(library.manifest, "keyword_search", slow_keywords)
    found = search(library, QUESTIONS[0], top_k=4)
    assert seen == {"keyword search ran meanwhile": True, "embedding ran meanwhile": True}
    assert Path(found[0].path).name == "tar.md"
    assert len(embedding_threads()) == 1  # one worker, kept for the next search


def test_a_failing_keyword_search_raises_its_own_error_after_the_embedding_finished(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    embed_query = library.embedder.embed_query
    embedded: list[str] = []

    def slow_embedding(query: str) -> list[float]:
        time.sleep(0.2)  # still embedding when the keyword search fails
        vector = embed_query(query)
        embedded.append(query)
        return vector

    def broken(*args: Any) -> list[str]:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(library.embedder, "embed_query", slow_embedding)
    monkeypatch.setattr(library.manifest, "keyword_search", broken)
    with pytest.raises(sqlite3.DatabaseError, match="malformed"):
        search(library, QUESTIONS[0])
    assert embedded == [QUESTIONS[0]]  # nothing is left running behind the error


def test_a_failing_embedder_raises_its_own_error_after_the_keyword_search_finished(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(query: str) -> list[float]:
        raise EmbedderError("The embedding model at /nowhere could not be loaded (no such file).")

    finished: list[str] = []
    keyword_search = library.manifest.keyword_search

    def keywords(*args: Any) -> list[str]:
        finished.extend(keyword_search(*args))
        return finished

    monkeypatch.setattr(library.embedder, "embed_query", broken)
    monkeypatch.setattr(library.manifest, "keyword_search", keywords)
    with pytest.raises(EmbedderError, match="could not be loaded"):
        search(library, QUESTIONS[0])
    assert finished  # the keyword search on the calling thread was not cut off half-way


def test_searches_and_their_failures_share_one_worker_thread(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    search(library, QUESTIONS[0])
    before = threading.active_count()
    for n, question in enumerate(QUESTIONS * 3):
        if n % 4 == 3:
            with monkeypatch.context() as patched:
                patched.setattr(library.embedder, "embed_query", lambda q: 1 / 0)
                with pytest.raises(ZeroDivisionError):
                    search(library, question)
        else:
            search(library, question)
    assert threading.active_count() == before and len(embedding_threads()) == 1
    search(library, QUESTIONS[0])  # the worker still works after an error


def test_a_cancel_without_a_cross_encoder_changes_nothing(library: Library) -> None:
    cancel = threading.Event()
    cancel.set()
    stopped = search_detailed(library, QUESTIONS[1], top_k=3, cancel=cancel)
    assert stopped.sources == search(library, QUESTIONS[1], top_k=3)
    assert Path(stopped.sources[0].path).name == "grep.md" and stopped.reranker == ""


def test_keyword_search_ranks_as_the_filtered_join_with_ties_hidden_chunks_and_collections(tmp_path: Path) -> None:
    """Only the index's best rows are looked up in ``chunks``; the order must stay that of ranking the join."""
    manifest = Manifest(tmp_path / "manifest.sqlite3")
    texts = ["extract the tar archive", "archive of old letters", "extract juice from fruit", "tar on the road"]
    chunks = [
        Chunk(f"c{i}", f"/docs/{i // 10}.md", "other" if i % 3 == 0 else "Documents", i % 10,
              f"{texts[i % 4]} {i}", None, (), 0, 0, hidden=i % 4 == 0)
        for i in range(400)
    ]  # fmt: skip
    with manifest.transaction() as db:
        for path in sorted({c.path for c in chunks}):
            own = [c for c in chunks if c.path == path]
            manifest.record_indexed(db, FileRecord(path, "Documents", 0, 0.0, "", "indexed", "", len(own), ""), own)
    weights = ", ".join(str(w) for w in FIELD_WEIGHTS)

    def joined(expression: str, limit: int, collections: list[str] | None) -> list[str]:
        where = f" AND c.collection IN ({','.join('?' * len(collections))})" if collections else ""
        sql = (
            "SELECT c.id FROM chunk_fields JOIN chunks c ON c.rowid = chunk_fields.rowid "
            f"WHERE chunk_fields MATCH ? AND c.hidden = 0{where} "
            f"ORDER BY bm25(chunk_fields, {weights}), c.rowid LIMIT ?"
        )
        return [r[0] for r in manifest._db.execute(sql, [expression, *(collections or []), limit])]

    for collections in (None, ["other"], ["Documents"], ["other", "Documents"]):
        for limit in (1, 5, 20, 60, 500):
            for expression in ('"tar"', '"extract" AND "tar"', '"archive" OR "juice"'):
                assert manifest._match(expression, limit, collections) == joined(expression, limit, collections)
    found = manifest.keyword_search("extract tar", 20, ["other"])
    assert len(found) == 20 and all(c.collection == "other" and not c.hidden for c in manifest.chunks(found).values())
    manifest.close()
