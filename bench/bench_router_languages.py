"""Router accuracy per language and per route, on held-out requests the examples do not contain.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_router_languages.py

English: ``bench/router_labelled.json``; Korean (64), Japanese, Chinese, German and Spanish (8 each):
``bench/router_heldout_languages.json``. Prints, per language, the accuracy overall and per route, and
lists the requests routed wrongly. With the bundled (English-only) embedder; the target is Korean at
least 0.85 with English unchanged.
"""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HERE = Path(__file__).parent
LANGUAGES = ("en", "ko", "ja", "zh", "de", "es")


def held_out() -> list[dict[str, str]]:
    """Every held-out request as {"lang", "route", "text"}: English first, then the other languages."""
    english = json.loads((HERE / "router_labelled.json").read_text(encoding="utf-8"))
    others = json.loads((HERE / "router_heldout_languages.json").read_text(encoding="utf-8"))
    return [{"lang": "en", **row} for row in english] + others


def main() -> None:
    from assistant.agents.router import ROUTES, Router
    from assistant.library.embedder import Embedder

    router = Router(Embedder().embed)
    router.warm()
    right: dict[tuple[str, str], int] = defaultdict(int)
    total: dict[tuple[str, str], int] = defaultdict(int)
    wrong: list[tuple[str, str, str, str]] = []
    for row in held_out():
        got = router.route(row["text"]).route
        key = (row["lang"], row["route"])
        total[key] += 1
        right[key] += got == row["route"]
        if got != row["route"]:
            wrong.append((row["lang"], row["route"], got, row["text"]))

    print(f"{'language':<9}{'all':>12}" + "".join(f"{r:>12}" for r in ROUTES))
    for lang in LANGUAGES:
        n = sum(total[(lang, r)] for r in ROUTES)
        if not n:
            continue
        ok = sum(right[(lang, r)] for r in ROUTES)
        cells = "".join(
            f"{right[(lang, r)]:>5}/{total[(lang, r)]:<3}{right[(lang, r)] / total[(lang, r)]:>4.2f}"
            if total[(lang, r)]
            else f"{'-':>12}"
            for r in ROUTES
        )
        print(f"{lang:<9}{ok:>4}/{n:<3}{ok / n:>5.2f}" + cells)
    if wrong:
        print("\nrouted wrongly (language, label -> routed: request)")
        for lang, label, got, text in wrong:
            print(f"  {lang} {label} -> {got}: {' '.join(text.split())[:90]}")


if __name__ == "__main__":
    main()
