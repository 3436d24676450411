"""Korean and Japanese documents through the real library: indexer, bundled embedder, chromadb, FTS5."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from assistant.library.embedder import Embedder
from assistant.library.indexer import CHUNK_TOKENS, Indexer
from assistant.library.library import Library
from assistant.library.retriever import search
from tests.unit.test_lang_chunking import JA_SENTENCES
from tests.unit.test_lang_keywords import KO_ARCHIVE, KO_OTHERS, OLD_SCHEMA

pytestmark = pytest.mark.integration


def write_pages(folder: Path, pages: dict[str, str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")


def keyword_pages(library: Library, query: str) -> list[str]:
    ids = library.manifest.keyword_search(query, 10)
    chunks = library.manifest.chunks(ids)
    return list(dict.fromkeys(Path(chunks[i].path).name for i in ids))


def test_korean_markdown_found_by_words_with_particles(tmp_path: Path, embedder: Embedder) -> None:
    write_pages(tmp_path / "docs", {"archive.md": KO_ARCHIVE, **KO_OTHERS})
    with Library(tmp_path / "library", embedder) as library:
        indexer = Indexer(library)
        indexer.add(tmp_path / "docs")
        assert {p.status for p in indexer.sync()} == {"indexed"}
        for query in ("아카이브를 만들려면", "아카이브에서"):
            assert keyword_pages(library, query)[:1] == ["archive.md"], query
            assert Path(search(library, query, top_k=3)[0].path).name == "archive.md", query


def downgrade_keyword_index(library: Library) -> None:
    """Turn the manifest back into what the previous version wrote: the old FTS5 table over raw text."""
    db = library.manifest._db
    for statement in (
        "DROP TRIGGER chunk_fields_ai",
        "DROP TRIGGER chunk_fields_ad",
        "DROP TABLE chunk_fields_vocab",
        "DROP TABLE chunk_fields",
        "DROP TABLE migrations",
    ):
        db.execute(statement)
    old_fts = OLD_SCHEMA[OLD_SCHEMA.index("CREATE VIRTUAL TABLE chunks_fts") :]
    db.executescript(old_fts)
    db.execute("INSERT INTO chunks_fts(chunks_fts) VALUES ('rebuild')")


def test_an_old_library_is_migrated_on_open_without_re_embedding(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_pages(tmp_path / "docs", {"archive.md": KO_ARCHIVE, **KO_OTHERS})
    with Library(tmp_path / "library", embedder) as library:
        indexer = Indexer(library)
        indexer.add(tmp_path / "docs")
        list(indexer.sync())
        vectors = library.store.count()
        downgrade_keyword_index(library)
        old_hits = library.manifest._db.execute("SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH '아카이브에서'")
        assert old_hits.fetchone()[0] == 0  # the old index splits on spaces only

    calls: list[int] = []
    real_embed = embedder.embed

    def counting_embed(texts: Sequence[str]) -> list[list[float]]:
        calls.append(len(texts))
        return real_embed(texts)

    monkeypatch.setattr(embedder, "embed", counting_embed)
    with Library(tmp_path / "library", embedder) as library:
        assert keyword_pages(library, "아카이브를 만들려면")[:1] == ["archive.md"]
        assert keyword_pages(library, "아카이브에서")[:1] == ["archive.md"]
        statuses = {p.status for p in Indexer(library).sync()}
        assert statuses == {"skipped"} and library.store.count() == vectors
        assert calls == []  # the migration and the sync after it embedded nothing


def test_japanese_without_spaces_chunks_within_the_embedder_limit(tmp_path: Path, embedder: Embedder) -> None:
    text = "# アーカイブ\n\n" + "".join(JA_SENTENCES * 8) + "\n"
    write_pages(tmp_path / "docs", {"tar.md": text})
    with Library(tmp_path / "library", embedder) as library:
        indexer = Indexer(library)
        indexer.add(tmp_path / "docs")
        list(indexer.sync())
        rows = library.manifest._db.execute("SELECT text FROM chunks ORDER BY ordinal").fetchall()
        texts = [r[0] for r in rows]
        assert len(texts) >= 4
        assert all(t.endswith("。") for t in texts)
        assert max(embedder.count_tokens_many(texts)) <= CHUNK_TOKENS
