"""Speed, memory and retrieval quality of the document library on the public tldr-pages corpus.

The corpus (about 7,400 short Markdown pages, one per command-line tool, CC BY 4.0) is read
from ``../shared/corpora/tldr`` next to the repository and copied into a temporary folder;
nothing is written to the repository. Everything runs through the real library code:

1. Indexing: a full ``Indexer.sync`` of ``--files`` pages (parsing in the sandbox child,
   chunking, embedding, chroma and SQLite writes), timed end to end with the model and the
   store already open. Then the same visible chunks are read back from the manifest, turned
   into the indexer's own embedding input (``_embedding_text``) and embedded alone, so the
   ratio of the two rates shows what indexing costs beyond the embedder.
2. Retrieval quality: ``bench/library_questions.json`` (questions written for this bench,
   each naming the page that answers it) through ``retriever.search``; recall@5 and MRR@5
   by file name. Every expected page is always part of the indexed set.
3. Re-sync: the library is grown to ``--resync-files`` pages, then a second ``sync()`` with
   nothing changed (every file "skipped") is timed.
4. Query latency at 50,000 chunks: a separate library holds the real chunks and vectors from
   step 1 plus filler chunks (the real texts cycled with an index suffix, in synthetic files
   of 50 chunks), written through ``VectorStore.upsert`` and ``Manifest.record_indexed`` so
   the FTS5 index is filled too. Filler vectors are real embeddings when the measured
   embedding rate makes that take under three minutes, else random unit vectors (said in
   the output). The questions are then timed through ``retriever.search`` after a warm-up,
   with the query's embedding made while the keyword search runs (``retriever.CONCURRENT``)
   and, interleaved, one after the other; then its parts (query embedding, vector query,
   keyword query, chunk fetch) separately. ``--cross-encoder`` adds the time a random
   MiniLM-L6-shaped cross-encoder (6 layers, 384 wide, the bundled model's tokenizer) takes
   for 10, 20 and 30 candidates (``retriever.RERANK_POOL``).
5. Peak RSS of this process and of the reaped sandbox children after each phase.

The embedder is the app's: its int8 ONNX copy is made first (``prepare_onnx``), as indexing does.
Prints numbers with their targets; asserts nothing. Run from the repository root:
``HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_library.py [--files N] [--resync-files M]``;
only the latency part: ``--query-only [--query-folder DIR] [--cross-encoder]`` (DIR keeps the
50,000-chunk library for the next run, which then skips indexing).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.library import retriever
from assistant.library.documents import Chunk, Source
from assistant.library.embedder import Embedder
from assistant.library.indexer import Indexer, _embedding_text
from assistant.library.library import DEFAULT_COLLECTION, Library
from assistant.library.manifest import FileRecord
from assistant.library.retriever import fusion_depth, search, search_detailed
from assistant.library.sandbox import ParserSandbox

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "tldr"
QUESTIONS = Path(__file__).resolve().with_name("library_questions.json")
TOP_K = 5
QUERY_CHUNKS = 50_000
CHUNKS_PER_FILE = 50
REAL_FILLER_MAX_S = 180.0
RERANK_POOLS = (10, 20, 30)
RERANK_QUESTIONS = 30  # a cross-encoder takes seconds a question on a laptop CPU
WARMUP_QUERIES = 10
UPSERT_SLICE = 5_000


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=400, help="tldr pages to index for throughput and quality")
    parser.add_argument("--resync-files", type=int, default=1000, help="pages in the library for the re-sync")
    parser.add_argument("--query-chunks", type=int, default=QUERY_CHUNKS, help="chunks in the latency store")
    parser.add_argument("--query-only", action="store_true", help="only the query latency part (4)")
    parser.add_argument("--query-folder", type=Path, help="keep the latency library here; reuse it if it is full")
    parser.add_argument(
        "--cross-encoder", action="store_true", help="also time a random MiniLM-L6-shaped cross-encoder"
    )
    return parser.parse_args()


# -- corpus ---------------------------------------------------------------------------


def load_questions() -> list[dict[str, str]]:
    """The questions whose expected page exists in ``pages/common``; the others are reported and dropped."""
    questions = json.loads(QUESTIONS.read_text(encoding="utf-8"))
    present = [q for q in questions if (CORPUS / "pages" / "common" / q["file"]).is_file()]
    for q in questions:
        if q not in present:
            print(f"  question skipped, {q['file']} is not in pages/common: {q['q']}")
    return present


def pick_pages(count: int, required: Sequence[str]) -> list[Path]:
    """The expected pages first, then pages/common, then the other platforms, sorted; at least ``count``."""
    pages = CORPUS / "pages"
    chosen = list(dict.fromkeys(pages / "common" / name for name in required))
    taken = set(chosen)
    platforms = ["common"] + sorted(p.name for p in pages.iterdir() if p.is_dir() and p.name != "common")
    for platform in platforms:
        for page in sorted((pages / platform).glob("*.md")):
            if len(chosen) >= count:
                return chosen
            if page not in taken:
                chosen.append(page)
    return chosen


def copy_pages(pages: Sequence[Path], docs: Path) -> None:
    """Copy pages to ``docs/<platform>/<name>`` (names repeat across platforms)."""
    for page in pages:
        target = docs / page.parent.name / page.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(page, target)


# -- measurements ---------------------------------------------------------------------


def child_peak_kib(pid: int | None) -> int:
    """VmHWM (peak resident set) of a live process, from /proc; 0 where unavailable."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


class MeasuredSandbox(ParserSandbox):
    """The indexer's own sandbox, noting its child's peak RSS just before the child stops."""

    peak_kib = 0

    def close(self) -> None:
        MeasuredSandbox.peak_kib = max(MeasuredSandbox.peak_kib, child_peak_kib(self.pid))
        super().close()


def timed(function: Any, *args: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def run_sync(library: Library, folder: Path | None = None) -> tuple[Counter[str], int, float]:
    """One full sync: (statuses, chunks indexed, seconds)."""
    indexer = Indexer(library, sandbox_factory=MeasuredSandbox)
    if folder is not None:
        indexer.add(folder)
    statuses: Counter[str] = Counter()
    chunks = 0
    started = time.perf_counter()
    for progress in indexer.sync():
        statuses[progress.status] += 1
        chunks += progress.chunks
    return statuses, chunks, time.perf_counter() - started


def indexed_chunks(library: Library) -> list[Chunk]:
    """The visible chunks of the manifest, in file and ordinal order."""
    uri = f"file:{library.manifest.path}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
        ids = [r[0] for r in db.execute("SELECT id FROM chunks WHERE hidden = 0 ORDER BY path, ordinal")]
    found = library.manifest.chunks(ids)
    return [found[i] for i in ids]


def rank_of(sources: Sequence[Source], expected: str) -> int:
    """1-based rank of the first source from the file named ``expected``, 0 when none is."""
    names = [Path(s.path).name for s in sources]
    return names.index(expected) + 1 if expected in names else 0


def recall_and_mrr(ranks: Sequence[int]) -> tuple[float, float]:
    return sum(1 for r in ranks if r) / len(ranks), sum(1 / r for r in ranks if r) / len(ranks)


def percentiles(samples: Sequence[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples) * 1000, cuts[94] * 1000


def peak_rss(label: str) -> None:
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    child = MeasuredSandbox.peak_kib / 1024
    print(
        f"[memory]  peak RSS after {label}: this process {me:.0f} MiB; sandbox child {child:.0f} MiB (VmHWM), "
        f"RUSAGE_CHILDREN {children:.0f} MiB (counts the parent's pages at fork, before exec)"
    )


# -- phases ---------------------------------------------------------------------------


def phase_index(library: Library, docs: Path, copied: int, warm: str) -> float:
    """Index ``docs`` end to end; return the seconds taken."""
    statuses, chunks, seconds = run_sync(library, docs)
    files = sum(statuses.values())
    print(
        f"[index]   full sync of {files} files ({dict(statuses)}{seen_note(files, copied)}): {chunks} chunks in "
        f"{seconds:.1f} s -> {files / seconds:.1f} files/s, {chunks / seconds:.1f} chunks/s ({warm})",
        flush=True,
    )
    return seconds


def seen_note(seen: int, copied: int) -> str:
    return "" if seen == copied else f"; {copied} copied, dot-files such as '..md' are skipped by design"


def phase_embed_only(library: Library, sync_s: float) -> tuple[list[Chunk], Any, float]:
    """Embed the indexed chunks alone; return (chunks, float32 vectors, chunks/s)."""
    import numpy as np

    chunks = indexed_chunks(library)
    texts = [_embedding_text(c) for c in chunks]
    vectors, seconds = timed(library.embedder.embed, texts)
    rate = len(chunks) / seconds
    end_to_end = len(chunks) / sync_s
    print(
        f"[embed]   embedding only, the same {len(chunks)} visible chunks in one call: {seconds:.1f} s -> "
        f"{rate:.1f} chunks/s; end-to-end {end_to_end:.1f} / embedding-only {rate:.1f} = "
        f"{end_to_end / rate:.2f} (target >= 0.85)",
        flush=True,
    )
    return chunks, np.asarray(vectors, dtype=np.float32), rate


def phase_quality(library: Library, questions: Sequence[dict[str, str]]) -> None:
    ranks = [rank_of(search(library, q["q"], top_k=TOP_K), q["file"]) for q in questions]
    recall, mrr = recall_and_mrr(ranks)
    missed = [q["file"] for q, r in zip(questions, ranks, strict=True) if not r]
    print(
        f"[quality] recall@{TOP_K} {recall:.3f}, MRR@{TOP_K} {mrr:.3f} over {len(ranks)} questions "
        f"(missed: {', '.join(missed) or 'none'})",
        flush=True,
    )


def phase_resync(library: Library, docs: Path, pages: Sequence[Path], already: int) -> None:
    """Grow the library to ``pages``, then time a sync with nothing changed."""
    copy_pages(pages[already:], docs)
    grown = ""
    if len(pages) > already:
        statuses, _, seconds = run_sync(library)
        grown = f"; growing it from {already} files took {seconds:.1f} s ({dict(statuses)})"
    statuses, _, seconds = run_sync(library)
    files = sum(statuses.values())
    print(
        f"[resync]  unchanged re-sync of {files} files ({dict(statuses)}{seen_note(files, len(pages))}): "
        f"{seconds:.3f} s (target < 2 s for 1,000 files){grown}",
        flush=True,
    )


def filler_chunks(real: Sequence[Chunk], count: int, root: Path) -> list[Chunk]:
    """``count`` variants of the real chunks, 50 to a synthetic file."""
    chunks = []
    for i in range(count):
        base = real[i % len(real)]
        text = f"{base.text} [{i}]"
        path = str(root / "filler" / f"{i // CHUNKS_PER_FILE:05d}.md")
        ordinal = i % CHUNKS_PER_FILE
        chunks.append(Chunk(f"filler-{i}", path, DEFAULT_COLLECTION, ordinal, text, None, base.heading_path, 0, 0))
    return chunks


def filler_vectors(embedder: Embedder, chunks: Sequence[Chunk], embed_rate: float) -> tuple[Any, str]:
    """Real embeddings when they take under REAL_FILLER_MAX_S at the measured rate, else random unit vectors."""
    import numpy as np

    estimate = len(chunks) / embed_rate
    if estimate <= REAL_FILLER_MAX_S:
        real = embedder.embed([_embedding_text(c) for c in chunks])
        return np.asarray(real, dtype=np.float32), "real embeddings"
    rng = np.random.default_rng(0)
    random = rng.standard_normal((len(chunks), embedder.dimension)).astype(np.float32)
    random /= np.linalg.norm(random, axis=1, keepdims=True)
    return random, f"random unit vectors (real embeddings would take ~{estimate / 60:.0f} min)"


def fill_store(library: Library, chunks: Sequence[Chunk], vectors: Any) -> None:
    """Write chunks through the store and the manifest, one FileRecord per path."""
    for start in range(0, len(chunks), UPSERT_SLICE):
        part = slice(start, start + UPSERT_SLICE)
        library.store.upsert(chunks[part], vectors[part].tolist())
    by_path: dict[str, list[Chunk]] = defaultdict(list)
    for chunk in chunks:
        by_path[chunk.path].append(chunk)
    model = library.embedder.model_id
    with library.manifest.transaction() as db:
        for path, own in by_path.items():
            record = FileRecord(path, DEFAULT_COLLECTION, 0, 0.0, "", "indexed", "", len(own), model)
            library.manifest.record_indexed(db, record, own)


def time_searches(
    library: Library, questions: Sequence[dict[str, str]]
) -> tuple[dict[bool, list[float]], list[int], int]:
    """Seconds per ``search`` with and without ``retriever.CONCURRENT`` (interleaved, alternating which
    goes first), the rank of the expected file, and how many questions got different results."""
    for q in questions[:WARMUP_QUERIES]:
        search(library, q["q"], top_k=TOP_K)
    seconds: dict[bool, list[float]] = {True: [], False: []}
    ranks, differ = [], 0
    try:
        for n, q in enumerate(questions):
            found = {}
            for concurrent in (True, False) if n % 2 else (False, True):
                retriever.CONCURRENT = concurrent
                found[concurrent], elapsed = timed(search, library, q["q"], TOP_K)
                seconds[concurrent].append(elapsed)
            ranks.append(rank_of(found[True], q["file"]))
            differ += found[True] != found[False]
    finally:
        retriever.CONCURRENT = True
    return seconds, ranks, differ


def time_parts(library: Library, questions: Sequence[dict[str, str]]) -> dict[str, list[float]]:
    """Seconds per question for each step that ``search`` takes."""
    pool = fusion_depth(TOP_K)
    parts: dict[str, list[float]] = defaultdict(list)
    for q in questions:
        vector, s_embed = timed(library.embedder.embed_query, q["q"])
        hits, s_vector = timed(library.store.query, vector, pool)
        _, s_count = timed(library.store.count)
        keywords, s_keyword = timed(library.manifest.keyword_search, q["q"], pool)
        _, s_fetch = timed(library.manifest.chunks, list(dict.fromkeys([i for i, _ in hits] + keywords)))
        _, s_both = timed(retriever._keywords_while_embedding, library, q["q"], pool, None)
        parts["embed"].append(s_embed)
        parts["vector"].append(s_vector)
        parts["(of which count())"].append(s_count)
        parts["keyword"].append(s_keyword)
        parts["fetch"].append(s_fetch)
        parts["keyword while embedding"].append(s_both)
    return parts


def time_embed_one_thread(embedder: Embedder, questions: Sequence[dict[str, str]]) -> list[float]:
    """Seconds per question embedding with torch on one thread (restored afterwards)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        embedder.embed(["warm-up"])
        return [timed(embedder.embed, [q["q"]])[1] for q in questions]
    finally:
        torch.set_num_threads(threads)


def build_query_library(
    library: Library, embedder: Embedder, real: tuple[list[Chunk], Any], rate: float, folder: Path, size: int
) -> None:
    """Fill ``library`` with the real chunks and filler up to ``size`` chunks."""
    import numpy as np

    real_chunks, real_vectors = real
    filler = filler_chunks(real_chunks, max(size - len(real_chunks), 0), folder)
    (vectors, kind), embed_s = timed(filler_vectors, embedder, filler, rate)
    all_vectors = np.concatenate([real_vectors, vectors]) if filler else real_vectors
    _, build_s = timed(fill_store, library, real_chunks + filler, all_vectors)
    print(
        f"[query]   store of {library.store.count():,} vectors / {library.manifest.chunk_count():,} chunks "
        f"({len(real_chunks)} real + {len(filler):,} filler with {kind}): filler vectors {embed_s:.1f} s, "
        f"upsert + manifest {build_s:.1f} s",
        flush=True,
    )


def query_library_ready(folder: Path, size: int) -> bool:
    """Whether ``folder`` holds a latency library of ``size`` chunks from an earlier run."""
    manifest = folder / "library" / "manifest.sqlite3"
    if not manifest.is_file():
        return False
    with contextlib.closing(sqlite3.connect(f"file:{manifest}?mode=ro", uri=True)) as db:
        return int(db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]) >= size


def phase_query(
    folder: Path,
    embedder: Embedder,
    real: tuple[list[Chunk], Any] | None,
    rate: float,
    questions: Sequence[dict[str, str]],
    size: int,
    cross_encoder: bool = False,
) -> None:
    """Fill a separate library to ``size`` chunks (unless ``real`` is None: it is full) and time searches in it."""
    with Library(folder / "library", embedder) as library:
        if real is not None:
            build_query_library(library, embedder, real, rate, folder, size)
        else:
            print(f"[query]   reusing the latency library in {folder}: {library.manifest.chunk_count():,} chunks")
        seconds, ranks, differ = time_searches(library, questions)
        recall, _ = recall_and_mrr(ranks)
        for concurrent, label in ((False, "one after the other"), (True, "embedding while keyword search runs")):
            p50, p95 = percentiles(seconds[concurrent])
            print(
                f"[query]   retriever.search top_k={TOP_K}, {len(seconds[concurrent])} questions after "
                f"{WARMUP_QUERIES} warm-up, {label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p95 <= 100 ms)",
                flush=True,
            )
        print(
            f"[query]   recall@{TOP_K} here {recall:.3f} (informational: filler repeats the real texts); "
            f"questions whose results differ between the two: {differ}",
            flush=True,
        )
        parts = time_parts(library, questions)
        shown = ", ".join(f"{name} {'/'.join(f'{v:.1f}' for v in percentiles(s))}" for name, s in parts.items())
        print(f"[query]   parts p50/p95 ms ({embedder.backend} embedder): {shown}", flush=True)
        if embedder.backend == "torch":
            p50, p95 = percentiles(time_embed_one_thread(embedder, questions))
            print(f"[query]   diagnostic: query embedding with torch on 1 thread p50/p95 {p50:.1f}/{p95:.1f} ms")
        if cross_encoder:
            time_cross_encoder(library, questions, folder)


def minilm_cross_encoder(folder: Path) -> Path:
    """A cross-encoder shaped like ms-marco-MiniLM-L-6-v2 (random weights) with the bundled model's tokenizer."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    from assistant.library.embedder import bundled_embedder_path

    folder.mkdir(parents=True, exist_ok=True)
    tokenizer = BertTokenizerFast.from_pretrained(bundled_embedder_path())
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(tokenizer),
        hidden_size=384,
        num_hidden_layers=6,
        num_attention_heads=12,
        intermediate_size=1536,
        max_position_embeddings=512,
        num_labels=1,
    )
    BertForSequenceClassification(config).eval().save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    return folder


def time_cross_encoder(library: Library, questions: Sequence[dict[str, str]], folder: Path) -> None:
    """The time a MiniLM-L6-shaped cross-encoder adds to ``search`` for each candidate count."""
    from assistant.library.reranker import CrossEncoderReranker

    reranker = CrossEncoderReranker(minilm_cross_encoder(folder / "cross-encoder"))
    reranker.load()
    before = library.reranker, retriever.RERANK_POOL
    library.reranker = reranker
    try:
        for pool in RERANK_POOLS:
            retriever.RERANK_POOL = pool
            for q in questions[:3]:
                search_detailed(library, q["q"], TOP_K)
            rerank, total = [], []
            for q in questions[:RERANK_QUESTIONS]:
                result, elapsed = timed(search_detailed, library, q["q"], TOP_K)
                rerank.append(result.rerank_seconds)
                total.append(elapsed)
            (r50, r95), (t50, t95) = percentiles(rerank), percentiles(total)
            print(
                f"[rerank]  {pool} candidates, {len(rerank)} questions: cross-encoder adds p50 {r50:.0f} ms, "
                f"p95 {r95:.0f} ms "
                f"({r50 / pool:.1f} ms a candidate); whole search p50 {t50:.0f} ms, p95 {t95:.0f} ms",
                flush=True,
            )
    finally:
        library.reranker, retriever.RERANK_POOL = before


# -- main -----------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    if not (CORPUS / "pages" / "common").is_dir():
        print(f"tldr corpus not found at {CORPUS}; nothing measured.")
        return 0
    started = time.perf_counter()
    questions = load_questions()
    pages = pick_pages(max(args.files, args.resync_files), [q["file"] for q in questions])
    first = pick_pages(args.files, [q["file"] for q in questions])
    print(
        f"library bench: {CORPUS} ({len(first)} files for indexing/quality, incl. {len({q['file'] for q in questions})}"
        f" expected pages); {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    embedder = Embedder()
    embedder.prepare_onnx()  # as indexing does, once
    _, load_s = timed(embedder.embed, ["warm-up"])
    with tempfile.TemporaryDirectory(prefix="bench-library-") as tmp:
        root, docs = Path(tmp), Path(tmp) / "docs"
        query_folder = args.query_folder or root / "query"
        if args.query_only and query_library_ready(query_folder, args.query_chunks):
            phase_query(query_folder, embedder, None, 0.0, questions, args.query_chunks, args.cross_encoder)
            print(f"total runtime {time.perf_counter() - started:.0f} s")
            return 0
        copy_pages(first, docs)
        with Library(root / "library", embedder) as library:
            _, open_s = timed(lambda: library.store)
            warm = (
                f"model load {load_s:.1f} s on {embedder.device} ({embedder.backend}) and store open "
                f"{open_s:.1f} s before, not counted"
            )
            sync_s = phase_index(library, docs, len(first), warm)
            peak_rss("indexing")
            chunks, vectors, rate = phase_embed_only(library, sync_s)
            peak_rss("embedding only")
            if not args.query_only:
                phase_quality(library, questions)
                phase_resync(library, docs, pages, len(first))
                peak_rss("re-sync")
        if query_folder.exists():
            shutil.rmtree(query_folder)
        real = (chunks, vectors)
        phase_query(query_folder, embedder, real, rate, questions, args.query_chunks, args.cross_encoder)
        peak_rss("query latency")
    print(f"total runtime {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
