"""Hybrid search: vectors (chromadb) and keywords (SQLite FTS5/BM25), fused and diversified.

Reciprocal rank fusion adds ``1 / (RRF_K + rank)`` from each list, so a passage that both
searches rank well wins, and neither score scale has to be calibrated against the other.
Diversification keeps one file from filling every slot.

An embedder that cannot read Korean, Japanese or Chinese (the bundled English MiniLM) gets a
vote in proportion to the share of the query it can read: on 40 Korean questions over the
Korean javascript.info tutorial (bench/bench_korean.py) its vectors alone found the page in the
top five for 15% of them, and fusing them in at full weight pulled the keyword search's 82% down to 65%.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.library.chunking import CJK_CHARS
from assistant.library.documents import Source
from assistant.library.library import Library

RRF_K = 60
_CJK_RUN = re.compile(f"[{CJK_CHARS}]")
_LETTERS = re.compile(r"[^\W\d_]")
CANDIDATES_PER_SLOT = 4
MAX_PER_FILE = 2


def search(
    library: Library,
    query: str,
    top_k: int = 5,
    collections: Sequence[str] | None = None,
) -> list[Source]:
    """The ``top_k`` best passages for ``query``, best first, from the chosen collections."""
    if not query.strip() or top_k < 1:
        return []
    pool = top_k * CANDIDATES_PER_SLOT
    (vector,) = library.embedder.embed([query])
    by_vector = library.store.query(vector, pool, collections)
    by_keyword = library.manifest.keyword_search(query, pool, collections)

    fused: dict[str, float] = {}
    similarity = dict(by_vector)
    weight = 1.0 if getattr(library.embedder, "reads_cjk", True) else 1.0 - cjk_share(query)
    for rank, (chunk_id, _) in enumerate(by_vector):
        fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (RRF_K + rank + 1)
    for rank, chunk_id in enumerate(by_keyword):
        fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
    ranked = sorted(fused, key=lambda i: fused[i], reverse=True)
    chunks = library.manifest.chunks(ranked)
    if collections:  # the manifest, not the vector store's copy of it, says where a passage belongs
        chunks = {i: c for i, c in chunks.items() if c.collection in collections}
    keyword_ids = set(by_keyword)

    chosen: list[str] = []
    per_file: dict[str, int] = {}
    for chunk_id in ranked:  # first pass: at most MAX_PER_FILE from any one file
        chunk = chunks.get(chunk_id)
        if chunk is None or chunk.hidden:
            continue
        if per_file.get(chunk.path, 0) < MAX_PER_FILE:
            chosen.append(chunk_id)
            per_file[chunk.path] = per_file.get(chunk.path, 0) + 1
        if len(chosen) == top_k:
            break
    if len(chosen) < top_k:  # too few files: fill with the best of the rest
        chosen += [i for i in ranked if i not in chosen and i in chunks and not chunks[i].hidden][: top_k - len(chosen)]
    chosen.sort(key=lambda i: fused[i], reverse=True)
    return [
        Source(
            path=chunks[i].path,
            page=chunks[i].page,
            heading_path=chunks[i].heading_path,
            text=chunks[i].text,
            score=round(fused[i], 6),
            chunk_id=i,
            start=chunks[i].start,
            end=chunks[i].end,
            similarity=round(similarity.get(i, 0.0), 4),
            keyword_hit=i in keyword_ids,
            collection=chunks[i].collection,
        )
        for i in chosen
    ]


def cjk_share(text: str) -> float:
    """The share of the letters of ``text`` that are Hangul, kana or Han (0 for none)."""
    letters = _LETTERS.findall(text)
    return sum(1 for c in letters if _CJK_RUN.match(c)) / len(letters) if letters else 0.0
