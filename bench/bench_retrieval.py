"""Document-level retrieval quality and speed on real Sphinx docs (astropy + sympy reStructuredText).

The corpus (606 ``.rst`` files; how to rebuild it is in the questions file's ``source``) is
copied into a data folder (a temporary one, or ``--keep DIR`` to reuse across runs) and
indexed through the real library code: ``Indexer.sync`` into ``<data>/library``, the folder
the CLI uses when ``PRIVATE_ASSISTANT_HOME=<data>``. Each question of
``bench/retrieval_scidocs.json`` (written for this bench, naming the page(s) that answer it)
then goes through ``retriever.search`` with ``top_k=10``, or with ``--cli`` through
``private-assistant ask --retrieve-only --json`` as a user would run it.

A question's rank is the 1-based place of the first expected file in the result's files,
duplicates removed in ranked order (0: not in the top 10). Printed: recall@1/3/5, MRR@10,
indexing wall time and files/s (model loaded and store opened before, not counted), and
query p50/p95. ``--plain`` runs the reference "plain pipeline" on the same files in the same
run: raw file text cut into fixed 512-character windows, the same bundled MiniLM, chromadb
vectors only (no keyword search, no headings, no diversification), the ten nearest windows.

Run from the repository root:
``OMP_WAIT_POLICY=passive HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_retrieval.py --corpus /work/scidocs --plain``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench_library import percentiles, recall_and_mrr, timed

from assistant.library.documents import Chunk
from assistant.library.embedder import Embedder
from assistant.library.indexer import Indexer
from assistant.library.library import DEFAULT_COLLECTION, Library
from assistant.library.loaders import SUPPORTED_SUFFIXES
from assistant.library.retriever import search
from assistant.library.store import VectorStore

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = Path(__file__).resolve().with_name("retrieval_scidocs.json")
TOP_K = 10
CUTS = (1, 3, 5)
PLAIN_CHARS = 512
PLAIN_BATCH = 256
WARMUP_QUERIES = 5
MARKER = "bench-index.json"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="folder holding astropy/ and sympy/")
    parser.add_argument(
        "--backend", choices=("auto", "torch"), default="auto", help="our embedder: auto (int8 ONNX on a CPU) or torch"
    )
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help="questions JSON (default: %(default)s)")
    parser.add_argument("--files", type=int, default=0, help="index only N files: every expected one, then sorted")
    parser.add_argument("--plain", action="store_true", help="also run the plain 512-character vector pipeline")
    parser.add_argument("--cli", action="store_true", help="ask through `private-assistant ask`, one process each")
    parser.add_argument("--keep", type=Path, help="data folder kept for the next run (indexing skipped when present)")
    parser.add_argument("--json-out", type=Path, help="write per-question ranks here")
    parser.add_argument("--compare", type=Path, help="an earlier --json-out: list the questions whose rank changed")
    return parser.parse_args()


# -- corpus ---------------------------------------------------------------------------


def load_questions(path: Path, corpus: Path) -> list[dict[str, Any]]:
    """The questions whose expected files all exist under ``corpus``; the others are reported and dropped."""
    data = json.loads(path.read_text(encoding="utf-8"))
    questions = data["questions"] if isinstance(data, dict) else data
    kept = []
    for q in questions:
        missing = [e for e in q["expected"] if not (corpus / e).is_file()]
        if missing:
            print(f"  question skipped, {', '.join(missing)} not in {corpus}: {q['question']}")
        else:
            kept.append(q)
    return kept


def pick_files(corpus: Path, count: int, required: Sequence[str]) -> list[str]:
    """Relative paths: the expected files first, then the rest sorted; all of them when ``count`` is 0."""
    every = sorted(
        p.relative_to(corpus).as_posix()
        for p in corpus.rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
    )
    chosen = list(dict.fromkeys(required))
    taken = set(chosen)
    chosen += [p for p in every if p not in taken]
    return sorted(chosen if count <= 0 else chosen[: max(count, len(taken))])


def prepare(data: Path, corpus: Path, files: list[str]) -> dict[str, Any]:
    """Copy ``files`` to ``data/docs``; return the saved indexing record when the folder already holds them."""
    marker = data / MARKER
    if marker.is_file():
        saved: dict[str, Any] = json.loads(marker.read_text(encoding="utf-8"))
        if saved.get("files") != files:
            raise SystemExit(
                f"{data} holds an index of {len(saved.get('files', []))} other files; "
                "pass another --keep folder, or delete this one."
            )
        return saved
    for stale in ("docs", "library", "plain"):  # an unfinished earlier run: start over
        shutil.rmtree(data / stale, ignore_errors=True)
    for name in files:
        target = data / "docs" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / name, target)
    return {"files": files}


def save(data: Path, record: dict[str, Any]) -> None:
    (data / MARKER).write_text(json.dumps(record, indent=1), encoding="utf-8")


# -- our pipeline ---------------------------------------------------------------------


def index_ours(library: Library, docs: Path) -> dict[str, Any]:
    indexer = Indexer(library)
    indexer.add(docs)
    statuses: Counter[str] = Counter()
    chunks = 0
    started = time.perf_counter()
    for progress in indexer.sync():
        statuses[progress.status] += 1
        chunks += progress.chunks
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "files": sum(statuses.values()), "chunks": chunks, "statuses": dict(statuses)}


def ranked_files(paths: Sequence[str], docs: Path) -> list[str]:
    """Corpus-relative file names in first-seen order."""
    names = []
    for path in paths:
        try:
            names.append(Path(path).resolve().relative_to(docs).as_posix())
        except ValueError:
            names.append(path)
    return list(dict.fromkeys(names))


def ask_ours(library: Library, docs: Path, questions: Sequence[dict[str, Any]]) -> tuple[list[list[str]], list[float]]:
    for q in questions[:WARMUP_QUERIES]:
        search(library, q["question"], top_k=TOP_K)
    results, seconds = [], []
    for q in questions:
        sources, elapsed = timed(search, library, q["question"], TOP_K)
        results.append(ranked_files([s.path for s in sources], docs))
        seconds.append(elapsed)
    return results, seconds


def ask_cli(data: Path, docs: Path, questions: Sequence[dict[str, Any]]) -> tuple[list[list[str]], list[float]]:
    """One ``private-assistant ask --retrieve-only --json`` per question, timed whole (start-up included)."""
    program = REPO / ".venv" / "bin" / "private-assistant"
    if not program.is_file():
        program = Path(shutil.which("private-assistant") or program)
    if not program.is_file():
        raise SystemExit(f"{program} not found: install the project (pip install -e .) before using --cli.")
    env = dict(os.environ, PRIVATE_ASSISTANT_HOME=str(data), HF_HUB_OFFLINE="1")
    results, seconds = [], []
    for q in questions:
        command = [str(program), "ask", "--retrieve-only", "--json", "--top-k", str(TOP_K), q["question"]]
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        seconds.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"`{' '.join(command)}` failed ({done.returncode}):\n{done.stderr[-2000:]}")
        sources = json.loads(done.stdout.strip().splitlines()[-1])["sources"]
        results.append(ranked_files([s["path"] for s in sources], docs))
    return results, seconds


# -- the plain reference pipeline -----------------------------------------------------


def plain_windows(docs: Path, name: str) -> list[Chunk]:
    text = (docs / name).read_text(encoding="utf-8", errors="replace")
    pieces = [text[i : i + PLAIN_CHARS] for i in range(0, len(text), PLAIN_CHARS)]
    path = str(docs / name)
    return [
        Chunk(
            f"{name}#{n}", path, DEFAULT_COLLECTION, n, piece, None, (), n * PLAIN_CHARS, n * PLAIN_CHARS + len(piece)
        )
        for n, piece in enumerate(pieces)
        if piece.strip()
    ]


def index_plain(store: VectorStore, embedder: Embedder, docs: Path, files: Sequence[str]) -> dict[str, Any]:
    """Read, window, embed and store every file, in batches of windows; timed end to end."""
    started = time.perf_counter()
    pending: list[Chunk] = []
    total = 0
    for n, name in enumerate(files, start=1):
        pending += plain_windows(docs, name)
        while len(pending) >= PLAIN_BATCH or (n == len(files) and pending):
            batch, pending = pending[:PLAIN_BATCH], pending[PLAIN_BATCH:]
            store.upsert(batch, embedder.embed([c.text for c in batch]))
            total += len(batch)
    return {"seconds": time.perf_counter() - started, "files": len(files), "chunks": total}


def ask_plain(
    store: VectorStore, embedder: Embedder, docs: Path, questions: Sequence[dict[str, Any]]
) -> tuple[list[list[str]], list[float]]:
    def one(question: str) -> list[str]:
        (vector,) = embedder.embed([question])
        found = store.collection.query(query_embeddings=[vector], n_results=TOP_K, include=["metadatas"])
        return [str(m["path"]) for m in (found.get("metadatas") or [[]])[0]]

    for q in questions[:WARMUP_QUERIES]:
        one(q["question"])
    results, seconds = [], []
    for q in questions:
        paths, elapsed = timed(one, q["question"])
        results.append(ranked_files(paths, docs))
        seconds.append(elapsed)
    return results, seconds


# -- scoring and reporting ------------------------------------------------------------


def rank_in(files: Sequence[str], expected: Sequence[str]) -> int:
    """1-based place of the first expected file, 0 when none is listed."""
    return next((n for n, name in enumerate(files, start=1) if name in expected), 0)


def summary(ranks: Sequence[int], index: dict[str, Any], seconds: Sequence[float]) -> dict[str, Any]:
    row: dict[str, Any] = {f"recall@{k}": recall_and_mrr([r if r <= k else 0 for r in ranks])[0] for k in CUTS}
    row["MRR@10"] = recall_and_mrr(ranks)[1]
    row["index_s"] = index["seconds"]
    row["files/s"] = index["files"] / index["seconds"]
    row["chunks"] = index["chunks"]
    row["p50_ms"], row["p95_ms"] = percentiles(seconds)
    return row


def print_table(rows: dict[str, dict[str, Any]], files: int, reused: bool) -> None:
    print(
        f"\n{'pipeline':<8} {'R@1':>6} {'R@3':>6} {'R@5':>6} {'MRR@10':>7} {'chunks':>7} "
        f"{'index s':>8} {'files/s':>8} {'p50 ms':>8} {'p95 ms':>8}"
    )
    for name, r in rows.items():
        print(
            f"{name:<8} {r['recall@1']:>6.3f} {r['recall@3']:>6.3f} {r['recall@5']:>6.3f} {r['MRR@10']:>7.3f} "
            f"{r['chunks']:>7} {r['index_s']:>8.1f} {r['files/s']:>8.2f} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f}"
        )
    note = " (indexing times from the run that built the --keep folder)" if reused else ""
    print(f"{files} files indexed by each pipeline{note}")


def compare(path: Path, current: dict[str, Any]) -> None:
    earlier = {q["question"]: q for q in json.loads(path.read_text(encoding="utf-8"))["questions"]}
    changed = []
    for q in current["questions"]:
        old = earlier.get(q["question"])
        for pipeline in ("ours", "plain"):
            if old and pipeline in old and pipeline in q and old[pipeline]["rank"] != q[pipeline]["rank"]:
                changed.append(f"  {pipeline}: {old[pipeline]['rank']} -> {q[pipeline]['rank']}  {q['question']}")
    print(f"\nrank changes versus {path} (0 = not in the top {TOP_K}): {len(changed)}")
    print("\n".join(changed))


# -- main -----------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    corpus = args.corpus.expanduser().resolve()
    if not corpus.is_dir():
        raise SystemExit(f"{corpus} is not a folder; pass the corpus root with --corpus.")
    questions = load_questions(args.questions, corpus)
    files = pick_files(corpus, args.files, [e for q in questions for e in q["expected"]])
    print(
        f"retrieval bench: {len(questions)} questions over {len(files)} files of {corpus}; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as tmp:
        data = (args.keep or Path(tmp)).expanduser().resolve()
        data.mkdir(parents=True, exist_ok=True)
        record = prepare(data, corpus, files)
        reused = "ours" in record
        docs = (data / "docs").resolve()
        os.environ["PRIVATE_ASSISTANT_HOME"] = str(data)  # the embedder's int8 copy is cached there
        embedder = Embedder(backend=args.backend)
        if args.backend != "torch":
            _, export_s = timed(embedder.prepare_onnx)  # as `private-assistant index` does, once
            print(f"int8 embedder copy ready in {export_s:.1f} s (not counted)", flush=True)
        _, load_s = timed(embedder.embed, ["warm-up"])
        results: dict[str, list[list[str]]] = {}
        rows: dict[str, dict[str, Any]] = {}
        with Library(data / "library", embedder) as library:
            _, open_s = timed(lambda: library.store)
            if not reused:
                record["ours"] = index_ours(library, docs)
                save(data, record)
            ours = record["ours"]
            print(
                f"[ours]  {ours['files']} files {ours.get('statuses', '')}, {ours['chunks']} chunks in "
                f"{ours['seconds']:.1f} s{' (saved)' if reused else ''}; model load {load_s:.1f} s on "
                f"{embedder.device} ({embedder.backend}), store open {open_s:.1f} s not counted",
                flush=True,
            )
            if not args.cli:
                results["ours"], seconds = ask_ours(library, docs, questions)
        if args.cli:
            results["ours"], seconds = ask_cli(data, docs, questions)
        ranks = {"ours": [rank_in(f, q["expected"]) for f, q in zip(results["ours"], questions, strict=True)]}
        rows["ours" if not args.cli else "ours-cli"] = summary(ranks["ours"], ours, seconds)
        if args.plain:  # the usual pipeline: sentence-transformers on torch
            embedder = Embedder(backend="torch")
            embedder.embed(["warm-up"])
            store = VectorStore(data / "plain", embedder.model_id)
            if "plain" not in record:
                record["plain"] = index_plain(store, embedder, docs, files)
                save(data, record)
            plain = record["plain"]
            print(f"[plain] {plain['files']} files, {plain['chunks']} windows in {plain['seconds']:.1f} s", flush=True)
            results["plain"], seconds = ask_plain(store, embedder, docs, questions)
            ranks["plain"] = [rank_in(f, q["expected"]) for f, q in zip(results["plain"], questions, strict=True)]
            rows["plain"] = summary(ranks["plain"], plain, seconds)
    print_table(rows, len(files), reused)
    missed = [q["question"] for q, r in zip(questions, ranks["ours"], strict=True) if not r]
    print(f"ours: {len(missed)} questions without an expected file in the top {TOP_K}")
    report = {
        "corpus": str(corpus),
        "files": len(files),
        "cli": args.cli,
        "summary": rows,
        "questions": [
            {
                "question": q["question"],
                "expected": q["expected"],
                **{name: {"rank": ranks[name][n], "files": results[name][n]} for name in ranks},
            }
            for n, q in enumerate(questions)
        ],
    }
    if args.json_out:
        args.json_out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"per-question ranks written to {args.json_out}")
    if args.compare:
        compare(args.compare, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
