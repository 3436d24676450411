"""Router accuracy on a held-out labelled set, and its latency per request once loaded.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_router.py

Prints overall and per-route accuracy, a confusion matrix, and p50/p95/max latency per request.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from assistant.agents.router import ROUTES, Router
    from assistant.library.embedder import Embedder

    labelled = json.loads((Path(__file__).parent / "router_labelled.json").read_text())
    started = time.perf_counter()
    embedder = Embedder()
    embedder.embed(["warm up"])
    loaded = time.perf_counter() - started
    router = Router(embedder.embed)
    started = time.perf_counter()
    router.warm()
    warmed = time.perf_counter() - started
    for row in labelled[:5]:
        router.route(row["text"])

    confusion = {r: dict.fromkeys(ROUTES, 0) for r in ROUTES}
    latencies: list[float] = []
    unsure = 0
    for row in labelled:
        t = time.perf_counter()
        decision = router.route(row["text"])
        latencies.append((time.perf_counter() - t) * 1000)
        confusion[row["route"]][decision.route] += 1
        unsure += decision.unsure
    correct = sum(confusion[r][r] for r in ROUTES)
    print(f"embedder load {loaded:.2f} s, example embeddings {warmed:.2f} s")
    print(f"accuracy {correct}/{len(labelled)} = {correct / len(labelled):.1%}  (unsure: {unsure})")
    for r in ROUTES:
        n = sum(confusion[r].values())
        print(f"  {r:<10} {confusion[r][r]}/{n} = {confusion[r][r] / n:.1%}")
    print("confusion (rows: label, columns: routed)")
    print(" " * 11 + "".join(f"{r:>10}" for r in ROUTES))
    for r in ROUTES:
        print(f"  {r:<9}" + "".join(f"{confusion[r][c]:>10}" for c in ROUTES))
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"latency per request: p50 {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms"
    )


if __name__ == "__main__":
    main()
