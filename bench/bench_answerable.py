"""Can the app tell a question its documents answer from a near miss? The refusal's ceiling, measured.

A small model's answer leads with the passage sentences that best answer the question, and the
app says "not found" when the best of them scores under ``extractive.LEAD_MIN``
(``bench/bench_lead.py`` scores that one threshold). Issue 11 asks, with a 0.5 B model, for
answer accuracy 0.75 *and* refusal accuracy 0.90. This bench shows what any threshold on a
signal can reach, over the questions ``bench_lead.py`` keeps (their passages are retrieved once,
into its kept data folders):

- ``lead score``: the best quote's score (``extractive.best_quotes`` with no threshold);
- ``model``, with ``--model PATH``: the probability of "yes" that a GGUF model gives, asked
  whether the quoted lead answers exactly the question (yes/no, one token's logits);
- for each signal, the AUC of the answerable questions whose lead holds the fact against the
  unanswerable ones (0.5: chance; 1.0: a threshold separates them all), and, for the lead
  score, answer accuracy and refusal accuracy at thresholds 0.6 to 0.95.

Both targets together need an AUC near 1: what a threshold trades is printed. Run from the
repository root::

    OMP_WAIT_POLICY=passive HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_answerable.py
        [--sets dev,heldout,scidocs] [--model PATH] [--out FILE]

Prints the numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path
from typing import Any

import bench_answers as ba
import bench_lead as bl

THRESHOLDS = (0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
JUDGE_SYSTEM = "You check whether a text answers a question. Reply with yes or no only."
JUDGE_USER = "Question: {question}\n\nText:\n{text}\n\nDoes the text answer exactly this question? Answer yes or no."


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="dev,heldout,scidocs", help="comma-separated: dev, heldout, scidocs")
    parser.add_argument("--tldr-home", type=Path, default=Path("/work/bench-cache/home-lead"))
    parser.add_argument("--scidocs-home", type=Path, default=Path("/work/bench-cache/home-lead-scidocs"))
    parser.add_argument("--scidocs", type=Path, default=bl.SCIDOCS, help="folder holding astropy/ and sympy/")
    parser.add_argument("--model", type=Path, help="a GGUF model to ask whether each lead answers its question")
    parser.add_argument("--out", type=Path, help="write every question's signals here as JSON")
    return parser.parse_args()


def leads(args: argparse.Namespace, names: list[str]) -> list[dict[str, Any]]:
    """Each question's unthresholded lead, its best score and whether it holds an expected fact."""
    from assistant.agents import extractive

    rows: list[dict[str, Any]] = []
    embed = None
    extractive.LEAD_MIN = 0.0  # every question gets its best quotes; the thresholds are applied below
    for name in names:
        corpus, path = bl.SETS[name]
        questions = ba.load_questions(path)
        home = bl.prepare(corpus, args)
        kept = bl.retrieve(home, questions, False)
        if embed is None:  # the bundled embedder, as the CLI loads it
            os.environ["PRIVATE_ASSISTANT_HOME"] = str(home)
            from assistant.library.embedder import Embedder

            embed = Embedder().embed
        for q in questions:
            grounding, _ = bl.grounding_for(q["question"], kept[q["question"]], embed)
            lead = grounding.lead() if grounding else ""
            best = grounding.quotes[0].score if grounding and grounding.quotes else 0.0
            case = q.get("case_sensitive", False)
            fact = bool(q["pages"]) and ba.fact_found(lead[: ba.ANSWER_WINDOW], q["facts"], case)
            rows.append(
                {"set": name, "id": q["id"], "question": q["question"], "answerable": bool(q["pages"])}
                | {"lead": lead, "lead score": best, "fact": fact}
            )
    return rows


def judge(rows: list[dict[str, Any]], model: Path) -> float:
    """Each row's "model": P(yes) that ``model`` gives for its lead answering its question. Returns s/question."""
    import numpy as np
    from llama_cpp import Llama

    llm = Llama(model_path=str(model), n_ctx=4096, n_threads=os.cpu_count() or 2, verbose=False)

    def single_tokens(words: list[str]) -> list[int]:
        ids = (llm.tokenize(w.encode(), add_bos=False, special=False) for w in words)
        return sorted({t[0] for t in ids if len(t) == 1})

    yes = single_tokens(["yes", "Yes", " yes", " Yes", "YES"])
    no = single_tokens(["no", "No", " no", " No", "NO"])
    started = time.perf_counter()
    for row in rows:
        if not row["lead"]:
            row["model"] = 0.0
            continue
        user = JUDGE_USER.format(question=row["question"], text=row["lead"])
        text = _chat_text(llm, JUDGE_SYSTEM, user)
        llm.reset()
        llm.eval(llm.tokenize(text.encode(), add_bos=False, special=True))
        logits = np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(llm.n_vocab(),)).astype(float)
        top = float(logits.max())
        p_yes = sum(math.exp(logits[i] - top) for i in yes)
        p_no = sum(math.exp(logits[i] - top) for i in no)
        row["model"] = p_yes / (p_yes + p_no)
    return (time.perf_counter() - started) / max(len(rows), 1)


def _chat_text(llm: Any, system: str, user: str) -> str:
    """The prompt as the model's own chat template writes it (llama-cpp-python's Jinja formatter)."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    template = llm.metadata.get("tokenizer.chat_template")
    if not template:
        sys.exit("the model has no chat template in its GGUF metadata")
    eos = llm.detokenize([llm.token_eos()]).decode(errors="ignore")
    bos = llm.detokenize([llm.token_bos()]).decode(errors="ignore") if llm.token_bos() >= 0 else ""
    formatter = Jinja2ChatFormatter(template, eos_token=eos, bos_token=bos, add_generation_prompt=True)
    messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
    return formatter(messages=messages).prompt


def auc(positives: list[float], negatives: list[float]) -> float | None:
    """The chance that a random positive scores above a random negative (ties count half)."""
    if not positives or not negatives:
        return None
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def main() -> int:
    args = parse_args()
    names = [n.strip() for n in args.sets.split(",") if n.strip()]
    unknown = [n for n in names if n not in bl.SETS]
    if unknown:
        sys.exit(f"unknown set(s) {unknown}; choose from {sorted(bl.SETS)}")
    rows = leads(args, names)
    signals = ["lead score"]
    if args.model:
        print(f"model: {args.model.name}, {judge(rows, args.model):.2f} s per question")
        signals.append("model")
    print(f"\n{'set':<9}{'answered':>9}{'unansw.':>9}" + "".join(f"{'AUC ' + s:>16}" for s in signals))
    for name in [*names, "all"]:
        chosen = [r for r in rows if name in ("all", r["set"])]
        positives = [r for r in chosen if r["answerable"] and r["fact"]]
        negatives = [r for r in chosen if not r["answerable"]]
        cells = []
        for signal in signals:
            value = auc([r[signal] for r in positives], [r[signal] for r in negatives])
            cells.append("n/a" if value is None else f"{value:.3f}")
        print(f"{name:<9}{len(positives):>9}{len(negatives):>9}" + "".join(f"{c:>16}" for c in cells))
    print("\nlead score threshold: answer accuracy / refusal accuracy (answerable: fact in the lead and not refused)")
    for name in [*names, "all"]:
        chosen = [r for r in rows if name in ("all", r["set"])]
        answerable = [r for r in chosen if r["answerable"]]
        unanswerable = [r for r in chosen if not r["answerable"]]
        cells = []
        for threshold in THRESHOLDS:
            right = sum(r["fact"] and r["lead score"] >= threshold for r in answerable) / max(len(answerable), 1)
            refused = sum(r["lead score"] < threshold for r in unanswerable) / max(len(unanswerable), 1)
            cells.append(f"{threshold:.2f}: {right:.2f}/{refused:.2f}")
        print(f"{name:<9}" + "  ".join(cells))
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
