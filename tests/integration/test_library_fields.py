"""Titles and headings in the index (issue 14): found by them, never shown as the passage.

Real Markdown and reST files through the real library: sandboxed parser, bundled embedder,
chromadb on disk and the SQLite keyword index.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.library.embedder import Embedder
from assistant.library.indexer import Indexer
from assistant.library.library import Library
from assistant.library.retriever import search, search_detailed

pytestmark = pytest.mark.integration

PAGES = {
    "printers.md": "# Printer setup\n\n## Drivers\n\nInstall the package from the vendor, then restart the service.\n",
    "office.md": "# Office notes\n\nThe printer on the second floor is out of toner again; ask Sam for a new one.\n",
    "lunch.md": "# Lunch\n\nThe canteen opens at noon and closes at two. Soup on Fridays.\n",
    "style.rst": "PEP: 8\nTitle: Style Guide for Python Code\nStatus: Active\n\n"
    "Indentation\n===========\n\nUse 4 spaces per indentation level.\n",
}


def write_pages(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")


def indexed(tmp_path: Path, embedder: Embedder) -> Library:
    write_pages(tmp_path / "docs")
    library = Library(tmp_path / "library", embedder)
    indexer = Indexer(library)
    indexer.add(tmp_path / "docs")
    assert {p.status for p in indexer.sync()} == {"indexed"}
    return library


def keyword_files(library: Library, query: str) -> list[str]:
    ids = library.manifest.keyword_search(query, 10)
    chunks = library.manifest.chunks(ids)
    return list(dict.fromkeys(Path(chunks[i].path).name for i in ids))


def test_a_title_match_ranks_above_a_body_mention_and_the_header_is_not_shown(
    tmp_path: Path, embedder: Embedder
) -> None:
    with indexed(tmp_path, embedder) as library:
        assert keyword_files(library, "printer")[:2] == ["printers.md", "office.md"]
        found = search_detailed(library, "printer setup", top_k=3)
        assert Path(found.sources[0].path).name == "printers.md"
        for source in found.sources:  # each passage is the file's own text, without the header it was indexed under
            assert source.text in PAGES[Path(source.path).name] and " — " not in source.text
        assert found.reranker == ""  # no cross-encoder installed: the fused order stands


def test_a_title_field_names_the_document_in_search(tmp_path: Path, embedder: Embedder) -> None:
    with indexed(tmp_path, embedder) as library:
        top = search(library, "what does the style guide say about indentation", top_k=2)[0]
        assert Path(top.path).name == "style.rst"
        assert top.text == "Indentation\n\nUse 4 spaces per indentation level."  # the passage, not its header


def downgrade(library: Library) -> None:
    """Make the manifest what the version before titles wrote: one keyword field, no titles, old records."""
    db = library.manifest._db
    for statement in (
        "DROP TRIGGER chunk_fields_ai",
        "DROP TRIGGER chunk_fields_ad",
        "DROP TABLE chunk_fields_vocab",
        "DROP TABLE chunk_fields",
        "DELETE FROM migrations",
        "UPDATE chunks SET title = ''",
        f"UPDATE files SET embedder = '{library.embedder.model_id}'",
        "CREATE VIRTUAL TABLE chunk_keywords USING fts5(terms, content='', tokenize='porter unicode61')",
        "INSERT INTO chunk_keywords(rowid, terms) SELECT rowid, text FROM chunks",
    ):
        db.execute(statement)


def test_an_old_library_gets_titles_on_open_and_is_re_embedded_on_the_next_sync(
    tmp_path: Path, embedder: Embedder
) -> None:
    with indexed(tmp_path, embedder) as library:
        vectors = library.store.count()
        downgrade(library)
    with Library(tmp_path / "library", embedder) as library:
        assert keyword_files(library, "printer")[:1] == ["printers.md"]  # titles rebuilt from stored text
        assert Path(search(library, "printer setup", top_k=1)[0].path).name == "printers.md"  # old vectors answer
        statuses = [p.status for p in Indexer(library).sync()]
        assert statuses == ["indexed"] * len(PAGES)  # re-embedded under their new headers
        assert library.store.count() == vectors  # replaced, not duplicated
        assert {p.status for p in Indexer(library).sync()} == {"skipped"}


def test_an_old_library_is_re_embedded_a_little_at_a_time_while_its_old_vectors_answer(
    tmp_path: Path, embedder: Embedder
) -> None:
    with indexed(tmp_path, embedder) as library:
        vectors = library.store.count()
        downgrade(library)
    with Library(tmp_path / "library", embedder) as library:
        indexer = Indexer(library)
        assert len(indexer.stale()) == len(PAGES)
        remaining = [indexer.refresh_embeddings(max_chunks=1)]
        assert remaining[0] == len(PAGES) - 1  # one file per step: searches wait for one step at most
        assert Path(search(library, "printer setup", top_k=1)[0].path).name == "printers.md"
        while remaining[-1]:
            remaining.append(indexer.refresh_embeddings(max_chunks=1))
        assert remaining == list(range(len(PAGES) - 1, -1, -1))
        assert library.store.count() == vectors and indexer.stale() == []
        assert {p.status for p in indexer.sync()} == {"skipped"}  # nothing left for a sync to redo


def test_an_installed_cross_encoder_orders_the_candidates_and_a_cancel_keeps_the_fused_order(
    tmp_path: Path, embedder: Embedder
) -> None:
    import threading

    from assistant.library.reranker import CrossEncoderReranker
    from assistant.library.retriever import _reranker_text
    from tests.tiny_models import tiny_cross_encoder

    reranker = CrossEncoderReranker(tiny_cross_encoder(tmp_path / "reranker"))
    with indexed(tmp_path, embedder) as library:
        question = "where is the printer and when does lunch start"
        fused = search_detailed(library, question, top_k=4)
        assert fused.reranker == ""
        library.reranker = reranker  # what Library sets when the person has downloaded one
        reranked = search_detailed(library, question, top_k=4)
        assert reranked.reranker == "cross-encoder" and reranked.rerank_seconds > 0
        chunks = library.manifest.chunks([s.chunk_id for s in reranked.sources])
        own = reranker.rerank(question, [_reranker_text(chunks[s.chunk_id]) for s in reranked.sources]).scores
        assert own == sorted(own, reverse=True)  # shown in the cross-encoder's order
        assert [s.chunk_id for s in reranked.sources] != [s.chunk_id for s in fused.sources]

        cancel = threading.Event()
        cancel.set()
        stopped = search_detailed(library, question, top_k=4, cancel=cancel)
        assert stopped.reranker == "" and [s.chunk_id for s in stopped.sources] == [s.chunk_id for s in fused.sources]
