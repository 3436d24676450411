"""Hybrid search: vectors (chromadb) and keywords (SQLite FTS5/BM25), fused and diversified.

Reciprocal rank fusion adds ``1 / (RRF_K + rank)`` from each list, so a passage that both
searches rank well wins, and neither score scale has to be calibrated against the other.
Each chunk is found by its document's title and headings too (``titles``): the keyword index
weighs them above body text and requires every rare word before any. When the person has
installed a cross-encoder (``reranker``), it then reads the best fused candidates
(``RERANK_POOL``) with the question and orders them. Without one there is no second stage: a
reorder by the question's rare words, title match and phrases measured worse than the fused
order on bench/bench_retrieval.py (recall@1 0.757 against 0.774), the keyword index's own
field weights doing that job already. Diversification keeps one file from filling every slot.

An embedder that cannot read Korean, Japanese or Chinese (the bundled English MiniLM) gets a
vote in proportion to the share of the query it can read: on 40 Korean questions over the
Korean javascript.info tutorial (bench/bench_korean.py) its vectors alone found the page in the
top five for 15% of them, and fusing them in at full weight pulled the keyword search's 82% down to 65%.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from assistant.library.chunking import CJK_CHARS
from assistant.library.documents import Chunk, Source
from assistant.library.library import Library
from assistant.library.titles import chunk_header

RRF_K = 60
_CJK_RUN = re.compile(f"[{CJK_CHARS}]")
_LETTERS = re.compile(r"[^\W\d_]")
FUSION_DEPTH = 20  # each list's best this many are fused into the first places (fusion_depth)
MAX_PER_FILE = 2
CONCURRENT = True  # embed the query on a worker thread while the keyword search runs (False: one after the other)
_executor: ThreadPoolExecutor | None = None  # the query-embedding thread (``_worker``)
_executor_lock = threading.Lock()
RERANK_POOL = 20  # the best fused candidates a cross-encoder reads (about 0.1 s each for MiniLM-L6 on a laptop CPU)


@dataclass(frozen=True)
class SearchResult:
    """The passages found, and how the second stage ordered them.

    Attributes:
        sources: the ``top_k`` best passages, best first.
        reranker: "cross-encoder" when an installed model reordered the candidates, else "".
        rerank_seconds: the second stage's time (0 without one).
    """

    sources: list[Source]
    reranker: str = ""
    rerank_seconds: float = 0.0


def search(
    library: Library,
    query: str,
    top_k: int = 5,
    collections: Sequence[str] | None = None,
    cancel: threading.Event | None = None,
) -> list[Source]:
    """The ``top_k`` best passages for ``query``, best first, from the chosen collections."""
    return search_detailed(library, query, top_k, collections, cancel).sources


def search_detailed(
    library: Library,
    query: str,
    top_k: int = 5,
    collections: Sequence[str] | None = None,
    cancel: threading.Event | None = None,
) -> SearchResult:
    """``search``, with the second stage's name and time. ``cancel`` stops a cross-encoder early."""
    if not query.strip() or top_k < 1:
        return SearchResult([])
    pool = fusion_depth(top_k)
    by_keyword, vector = _keywords_while_embedding(library, query, pool, collections)
    by_vector = library.store.query(vector, pool, collections)

    fused: dict[str, float] = {}  # from each list's best FUSION_DEPTH, which rank first
    deeper: dict[str, float] = {}  # from whole lists: orders the rest, when more passages are asked for
    similarity = dict(by_vector)
    weight = 1.0 if getattr(library.embedder, "reads_cjk", True) else 1.0 - cjk_share(query)
    votes = [(chunk_id, rank, weight) for rank, (chunk_id, _) in enumerate(by_vector)]
    votes += [(chunk_id, rank, 1.0) for rank, chunk_id in enumerate(by_keyword)]
    for chunk_id, rank, share in votes:
        vote = share / (RRF_K + rank + 1)
        deeper[chunk_id] = deeper.get(chunk_id, 0.0) + vote
        fused[chunk_id] = fused.get(chunk_id, 0.0) + (vote if rank < FUSION_DEPTH else 0.0)
    ranked = sorted(fused, key=lambda i: (fused[i], deeper[i]), reverse=True)
    chunks = library.manifest.chunks(ranked)
    if collections:  # the manifest, not the vector store's copy of it, says where a passage belongs
        chunks = {i: c for i, c in chunks.items() if c.collection in collections}
    ranked = [i for i in ranked if i in chunks and not chunks[i].hidden]
    started = time.perf_counter()
    score, reranker = _rerank(library, query, ranked[: max(RERANK_POOL, top_k)], chunks, cancel)
    seconds = time.perf_counter() - started
    if score:  # the reranked pool first, in the cross-encoder's order; the rest keep the fused order
        ranked = sorted(ranked[: len(score)], key=score.__getitem__, reverse=True) + ranked[len(score) :]
    keyword_ids = set(by_keyword)

    chosen: list[str] = []
    per_file: dict[str, int] = {}
    for chunk_id in ranked:  # first pass: at most MAX_PER_FILE from any one file
        path = chunks[chunk_id].path
        if per_file.get(path, 0) < MAX_PER_FILE:
            chosen.append(chunk_id)
            per_file[path] = per_file.get(path, 0) + 1
        if len(chosen) == top_k:
            break
    if len(chosen) < top_k:  # too few files: fill with the best of the rest
        chosen += [i for i in ranked if i not in chosen][: top_k - len(chosen)]
    order = {chunk_id: n for n, chunk_id in enumerate(ranked)}
    chosen.sort(key=order.__getitem__)
    sources = [
        Source(
            path=chunks[i].path,
            page=chunks[i].page,
            heading_path=chunks[i].heading_path,
            text=chunks[i].text,
            score=round(fused[i] or deeper[i], 6),
            chunk_id=i,
            start=chunks[i].start,
            end=chunks[i].end,
            similarity=round(similarity.get(i, 0.0), 4),
            keyword_hit=i in keyword_ids,
            collection=chunks[i].collection,
        )
        for i in chosen
    ]
    return SearchResult(sources, reranker, seconds)


def fusion_depth(top_k: int) -> int:
    """How many of each list's best candidates are fetched for ``top_k`` passages.

    Only the best :data:`FUSION_DEPTH` of each list are fused into the first places, however
    many passages are asked for; deeper candidates, fetched when more passages are asked for
    than that, follow them. A depth that grew with ``top_k`` (four per passage, before) let a
    chunk ranked 30th by both lists overtake one that a list ranked first, so ``ask --top-k 10``
    and the window's five passages disagreed on the first. On bench/bench_retrieval.py at ten
    passages, fusing 20 instead of 40 gave MRR@10 0.852 against 0.847 on the Sphinx set and
    0.738 against 0.732 on the tldr answers' questions.
    """
    return max(FUSION_DEPTH, top_k)


def _keywords_while_embedding(
    library: Library, query: str, pool: int, collections: Sequence[str] | None
) -> tuple[list[str], list[float]]:
    """The keyword search's ids and the query's vector, the embedding made meanwhile on ``_worker()``.

    The keyword search stays on the calling thread (the manifest's one SQLite connection); so
    does the vector query after it (chroma keeps a connection per thread). The embedding has
    always finished when this returns or raises; an error from either side propagates as it
    was raised, the embedder's when both fail.
    """
    embedder = library.embedder
    try:
        embedding = _worker().submit(embedder.embed_query, query) if CONCURRENT else None
    except RuntimeError:  # the interpreter is shutting down and starts no threads
        embedding = None
    if embedding is None:
        vector = embedder.embed_query(query)
        return library.manifest.keyword_search(query, pool, collections), vector
    try:
        by_keyword = library.manifest.keyword_search(query, pool, collections)
    finally:
        vector = embedding.result()  # waits, and raises the embedder's error
    return by_keyword, vector


def _worker() -> ThreadPoolExecutor:
    """One thread for every query's embedding, started at the first search and kept.

    A new thread for each search made the embedding 4 to 11 ms slower (torch 20 -> 31 ms,
    int8 ONNX 2.4 -> 6 ms, on two busy cores): both set up their per-thread state anew.
    """
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="query-embedding")
        return _executor


def _rerank(
    library: Library,
    query: str,
    pool: Sequence[str],
    chunks: dict[str, Chunk],
    cancel: threading.Event | None,
) -> tuple[dict[str, float], str]:
    """A cross-encoder's scores for the ``pool`` of best fused candidates, when one is installed."""
    cross_encoder = getattr(library, "reranker", None)
    if cross_encoder is None or not pool:
        return {}, ""
    result = cross_encoder.rerank(query, [_reranker_text(chunks[i]) for i in pool], cancel)
    if result.cancelled:  # the fused order stands
        return {}, ""
    return dict(zip(pool, result.scores, strict=True)), "cross-encoder"


def _reranker_text(chunk: Chunk) -> str:
    header = chunk_header(chunk.title, chunk.heading_path)
    return f"{header}\n{chunk.text}" if header else chunk.text


def cjk_share(text: str) -> float:
    """The share of the letters of ``text`` that are Hangul, kana or Han (0 for none)."""
    letters = _LETTERS.findall(text)
    return sum(1 for c in letters if _CJK_RUN.match(c)) / len(letters) if letters else 0.0
