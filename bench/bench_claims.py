"""How long does checking an answer against its sources take? Issue 11 allows 150 ms per answer.

Five real tldr pages are the passages (as retrieval returns them for a documents question) and a
six-sentence answer in the shape small models write (copied, paraphrased, invented, a command,
a Korean sentence) is checked with the real bundled embedder. Three timings, each the median
(and slowest) of ``--runs`` runs after a warm-up:

- check: :func:`assistant.agents.claims.check` on fresh passages, as after a larger model's answer
  (the passage sentences nearest each claim are embedded in the same batch as the claims);
- lead: :func:`assistant.agents.extractive.best_quotes`, the quoted lead a small model's answer
  starts with (before the model runs, so it is the time to the first token);
- check after lead: the check once the lead has embedded the top passages' sentences, as after a
  small model's answer.

Run from the repository root::

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_claims.py [--runs 20] [--threads N]

``--threads``: torch threads for the embedder (default: torch's own, one per core). Embedder.embed
runs a batch on every core, which is slow when another process (or llama.cpp) busies one of them:
a batch of 24 sentences took 60 ms on one thread and 560-900 ms on two of a busy 2-core CPU.

Prints the numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO.parent / "shared" / "corpora" / "tldr" / "pages" / "common"
PASSAGES = ["tar.md", "rsync.md", "git-stash.md", "du.md", "chmod.md"]
QUESTION = "How do I extract a tar.gz file into another folder?"
ANSWER = (
    "To extract an archive into a target directory, use tar with the -C option [1].\n\n"
    "`tar xf path/to/source.tar.gz -C path/to/directory` [1]\n\n"
    "The x flag extracts and the f flag names the archive file [1]. "
    "You can also list the contents of an archive with tar tvf [1]. "
    "Tar was written by Richard Stallman in 1979 [1]. "
    "압축 파일은 대상 디렉터리에 풀 수 있습니다 [1]."
)


def timed(runs: int, step: Callable[[], object]) -> tuple[float, float]:
    step()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's choice)")
    args = parser.parse_args()

    import torch

    if args.threads:
        torch.set_num_threads(args.threads)

    from assistant.agents import claims, extractive
    from assistant.library.embedder import Embedder

    embedder = Embedder()
    embedder.embed(["warm up"])
    passages = [(PAGES / name).read_text(encoding="utf-8") for name in PASSAGES]

    def check() -> object:
        return claims.check(ANSWER, claims.Evidence(passages, embedder.embed))

    def lead() -> object:
        return extractive.best_quotes(QUESTION, claims.Evidence(passages, embedder.embed))

    prepared: list[claims.Evidence] = []

    def check_after_lead() -> object:
        return claims.check(ANSWER, prepared.pop())

    def prepare_many() -> None:
        for _ in range(args.runs + 1):
            evidence = claims.Evidence(passages, embedder.embed)
            extractive.best_quotes(QUESTION, evidence)
            prepared.append(evidence)

    print(f"embedder on {embedder.device}, {torch.get_num_threads()} torch threads, {args.runs} runs")
    for name, step in (("check", check), ("lead", lead)):
        median, worst = timed(args.runs, step)
        print(f"{name:<18} median {median:6.1f} ms   slowest {worst:6.1f} ms")
    prepare_many()
    median, worst = timed(args.runs, check_after_lead)
    print(f"{'check after lead':<18} median {median:6.1f} ms   slowest {worst:6.1f} ms")
    evidence = claims.Evidence(passages, embedder.embed)
    for claim in claims.check(ANSWER, evidence):
        print(f"  {'supported  ' if claim.supported else 'UNSUPPORTED'} {claim.score:.2f}  {claim.text[:80]}")


if __name__ == "__main__":
    main()
