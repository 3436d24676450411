"""Does a small model's quoted lead hold the answer? The lead and the refusal, scored without a model.

A model under a billion parameters answers after the passage sentences that best answer the question,
quoted word for word (``assistant.agents.extractive``); when none scores high enough, the app says it
did not find the answer. Both decisions are made before the model runs, so they can be measured
in seconds per question set instead of minutes per run of ``bench_answers.py``:

1. Each corpus is indexed once, through ``private-assistant index``, into a kept data folder (``--tldr-home``,
   ``--scidocs-home``): the tldr pages that ``bench_answers.py`` would index for the dev and held-out sets
   together (their pages and near misses, plus 1,600 others), and every ``.rst`` page of the astropy and
   sympy docs (``/work/scidocs``, see ``bench/retrieval_scidocs.json``).
2. Each question is retrieved once with the real search (``retriever.search_detailed``, top 5) and the
   passages, with their scores and the index's counts of the question's words, are kept in the data
   folder (``lead-retrieval.json``); ``--retrieve`` asks again.
3. The lead is made as the app makes it (``qa.Grounding(...).lead()`` over the passages that count as
   evidence, with the bundled embedder) and scored as ``bench_answers.py`` scores an answer: an expected
   fact in its first 600 characters; an empty lead is a refusal.

Question sets: ``dev`` (bench/answers_tldr.json: tune on this one), ``heldout``
(bench/answers_tldr_heldout.json), ``scidocs`` (bench/answers_scidocs.json, Sphinx reStructuredText).
Printed per set: fact in the lead (answerable), answerable refused, refusal accuracy (unanswerable),
and the ceilings "answer page in the top 3" and "fact in a top-3 passage". Run from the repository root::

    OMP_WAIT_POLICY=passive HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_lead.py [--sets dev,scidocs]
        [--show] [--out FILE]

``PYTHONPATH=SNAPSHOT`` measures another copy of ``assistant`` (a baseline) on the same kept retrieval.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import bench_answers as ba

BENCH = Path(__file__).resolve().parent
SCIDOCS = Path("/work/scidocs")
CACHE = "lead-retrieval.json"
TOP_K = 5
SETS = {
    "dev": ("tldr", BENCH / "answers_tldr.json"),
    "heldout": ("tldr", BENCH / "answers_tldr_heldout.json"),
    "scidocs": ("scidocs", BENCH / "answers_scidocs.json"),
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="dev,heldout,scidocs", help="comma-separated: dev, heldout, scidocs")
    parser.add_argument("--tldr-home", type=Path, default=Path("/work/bench-cache/home-lead"))
    parser.add_argument("--scidocs-home", type=Path, default=Path("/work/bench-cache/home-lead-scidocs"))
    parser.add_argument("--scidocs", type=Path, default=SCIDOCS, help="folder holding astropy/ and sympy/")
    parser.add_argument("--retrieve", action="store_true", help="retrieve again instead of using the kept passages")
    parser.add_argument("--show", action="store_true", help="print every question's lead and verdict")
    parser.add_argument("--misses", action="store_true", help="print the leads of the questions it got wrong")
    parser.add_argument("--out", type=Path, help="write every lead and the scores here as JSON")
    return parser.parse_args()


def tldr_pages() -> list[str]:
    questions = ba.load_questions(SETS["dev"][1]) + ba.load_questions(SETS["heldout"][1])
    return ba.select_pages(questions, str(ba.OTHER_PAGES))


def scidocs_pages(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*.rst"))


def prepare(corpus: str, args: argparse.Namespace) -> Path:
    home: Path = (args.tldr_home if corpus == "tldr" else args.scidocs_home).resolve()
    env = {**os.environ, "PRIVATE_ASSISTANT_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    if corpus == "tldr":
        ba.prepare_home(home, tldr_pages(), env)
    else:
        ba.prepare_home(home, scidocs_pages(args.scidocs), env, root=args.scidocs)
    return home


def retrieve(home: Path, questions: list[dict[str, Any]], again: bool) -> dict[str, Any]:
    """The kept passages of each question, retrieving the questions not kept yet (all with ``again``)."""
    path = home / CACHE
    kept: dict[str, Any] = {} if again or not path.is_file() else json.loads(path.read_text(encoding="utf-8"))
    missing = [q["question"] for q in questions if q["question"] not in kept]
    if not missing:
        return kept
    os.environ["PRIVATE_ASSISTANT_HOME"] = str(home)
    from assistant.library.library import Library
    from assistant.library.retriever import search_detailed

    with Library(home / "library") as library:
        total = library.manifest.chunk_count()
        for question in missing:
            found = search_detailed(library, question, TOP_K)
            words = sorted({w.lower() for w in question.replace("'", " ").split() if w.strip('.,?!:;"()')})
            words = [w.strip('.,?!:;"()') for w in words]
            kept[question] = {
                "sources": [
                    {
                        "path": s.path,
                        "page": s.page,
                        "heading_path": list(s.heading_path),
                        "text": s.text,
                        "score": s.score,
                        "chunk_id": s.chunk_id,
                        "similarity": s.similarity,
                        "keyword_hit": s.keyword_hit,
                    }
                    for s in found.sources
                ],
                "chunk_counts": library.manifest.chunk_counts([w for w in words if w]),
                "chunks": total,
            }
    path.write_text(json.dumps(kept, indent=1), encoding="utf-8")
    return kept


def grounding_for(question: str, kept: dict[str, Any], embed: Any) -> tuple[Any, list[Any]]:
    """The app's ``qa.Grounding`` of a small model for ``question`` over its kept passages (None: no
    passage counts as evidence), and those passages."""
    from assistant.agents import qa
    from assistant.library.documents import Source

    sources = [Source(**{**s, "heading_path": tuple(s["heading_path"])}) for s in kept["sources"]]
    evidence = [s for s in sources if qa.is_evidence(s)]
    return (qa.Grounding(question, evidence, embed, True) if evidence else None), evidence


def lead_for(question: str, kept: dict[str, Any], embed: Any) -> tuple[str, list[Any]]:
    """The lead the app would quote for ``question`` over its kept passages ("" when it would refuse)."""
    grounding, evidence = grounding_for(question, kept, embed)
    return (grounding.lead() if grounding else ""), evidence


def score_set(name: str, questions: list[dict[str, Any]], kept: dict[str, Any], embed: Any, args: Any) -> dict:
    rows = []
    for q in questions:
        lead, evidence = lead_for(q["question"], kept[q["question"]], embed)
        row: dict[str, Any] = {"id": q["id"], "answerable": bool(q["pages"]), "lead": lead, "refused": not lead}
        if q["pages"]:
            case = q.get("case_sensitive", False)
            row["fact"] = bool(lead) and ba.fact_found(lead[: ba.ANSWER_WINDOW], q["facts"], case)
            paths = [s.path.replace("\\", "/") for s in evidence[:3]]
            row["page_top3"] = any(p.endswith("/" + page) for p in paths for page in q["pages"])
            row["fact_top3"] = any(ba.fact_found(s.text, q["facts"], case) for s in evidence[:3])
            row["fact_top5"] = any(ba.fact_found(s.text, q["facts"], case) for s in evidence[:5])
            row["right"] = row["fact"]
        else:
            row["right"] = row["refused"]
        rows.append(row)
        wrong = not row["right"]
        if args.show or (args.misses and wrong):
            print(f"--- {name} {'NO ' if wrong else 'ok '}{q['id']}: {q['question']}")
            if q["pages"]:
                print(f"    facts {q['facts']}  page in top 3: {row['page_top3']}  fact in top 3: {row['fact_top3']}")
            print("    " + (lead.replace("\n", "\n    ") if lead else "(refused)"))
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]

    def share(items: list[dict[str, Any]], key: str) -> float | None:
        return round(sum(bool(r[key]) for r in items) / len(items), 3) if items else None

    summary = {
        "answerable": len(answerable),
        "unanswerable": len(unanswerable),
        "fact_in_lead": share(answerable, "fact"),
        "answerable_refused": share(answerable, "refused"),
        "refusal_accuracy": share(unanswerable, "refused"),
        "page_top3": share(answerable, "page_top3"),
        "fact_top3": share(answerable, "fact_top3"),
        "fact_top5": share(answerable, "fact_top5"),
    }
    return {"summary": summary, "rows": rows}


def main() -> int:
    args = parse_args()
    names = [n.strip() for n in args.sets.split(",") if n.strip()]
    unknown = [n for n in names if n not in SETS]
    if unknown:
        sys.exit(f"unknown set(s) {unknown}; choose from {sorted(SETS)}")
    results: dict[str, Any] = {}
    embed = None
    embedder: Any = None
    for name in names:
        corpus, path = SETS[name]
        questions = ba.load_questions(path)
        home = prepare(corpus, args)
        kept = retrieve(home, questions, args.retrieve)
        if embed is None:  # the bundled embedder, as the CLI loads it (its int8 ONNX copy in the data folder)
            os.environ["PRIVATE_ASSISTANT_HOME"] = str(home)
            from assistant.library.embedder import Embedder

            embedder = Embedder()
            embed = embedder.embed
        started = time.perf_counter()
        results[name] = score_set(name, questions, kept, embed, args)
        results[name]["seconds"] = round(time.perf_counter() - started, 1)
    import assistant

    backend = embedder.backend if embedder is not None else ""
    print(f"\nassistant from {Path(assistant.__file__).parent}; embedder backend {backend}")
    header = f"{'set':<9}{'fact in lead':>14}{'ans. refused':>14}{'refusals':>10}"
    print(header + f"{'page top3':>11}{'fact top3':>11}{'top5':>6}")
    for name, result in results.items():
        s = result["summary"]

        def pct(value: float | None) -> str:
            return "n/a" if value is None else f"{value:.0%}"

        print(
            f"{name:<9}{pct(s['fact_in_lead']):>9} ({s['answerable']:>2}){pct(s['answerable_refused']):>14}"
            f"{pct(s['refusal_accuracy']):>6} ({s['unanswerable']:>2}){pct(s['page_top3']):>10}"
            f"{pct(s['fact_top3']):>11}{pct(s['fact_top5']):>6}"
        )
    if args.out:
        args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
