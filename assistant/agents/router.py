"""The router: which agent serves a request (``chat``, ``documents``, ``writing`` or ``complex``), and why.

Each request is embedded with the already-loaded embedder and compared with labelled examples
(``router_examples``): a route's score is the mean similarity of its three nearest examples, nudged by
cheap cues in the wording (a writing verb up front, "my documents", a code block, maths). A softmax over
the scores gives the confidence; when the top two routes are close the decision is marked ``unsure`` and
the window invites the person to choose. One request costs one embedding, tens of milliseconds on a CPU.

The route only decides which *local* agent answers. It never sends anything anywhere: a ``complex``
route at most makes the window *offer* the cloud, which the person must then approve.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

ROUTES = ("chat", "documents", "writing", "complex")
TOP_K = 3
TEMPERATURE = 0.04
UNSURE_MARGIN = 0.15
CUE_BONUS = 0.06

Embed = Callable[[Sequence[str]], Sequence[Sequence[float]]]

_CUES: dict[str, list[tuple[re.Pattern[str], str]]] = {
    "documents": [
        (
            re.compile(
                r"\b(?:my|our|the|this|these)\s+(?:own\s+)?(?:documents?|docs|files?|notes|pdfs?|reports?|contract|"
                r"lease|manual|library|folder|handbook|policy|letter|minutes|journal|transcript|invoice|"
                r"paper|thesis|syllabus)\b",
                re.I,
            ),
            "mentions your documents",
        ),
        (re.compile(r"\b(?:according to|in|from|search|check)\s+(?:my|the)\s+\w+|\bindexed\b|\buploaded\b", re.I), ""),
    ],
    "writing": [
        (
            re.compile(
                r"^\s*(?:please\s+)?(?:proof-?read|rewrite|rephrase|reword|translate|summari[sz]e|shorten|expand|"
                r"draft|compose|polish|edit|correct|tighten|improve the wording|make (?:this|it)|turn (?:this|these)|"
                r"check the spelling|continue this)\b",
                re.I,
            ),
            "starts with a writing task",
        ),
        (re.compile(r":\s*\S[\s\S]{80,}"), "includes text to work on"),
    ],
    "complex": [
        (re.compile(r"```|\bdef |\bclass |#include|;\s*$|\{\s*$", re.M), "contains code"),
        (
            re.compile(
                r"\b(?:prove|proof|derive|integral|eigen\w*|theorem|complexity|algorithm|architect\w*|"
                r"design (?:a|an|the)|optimi[sz]e|implement|step by step|trade-?offs?|in depth|rigorous)\b",
                re.I,
            ),
            "asks for multi-step reasoning, design or maths",
        ),
        (re.compile(r"[=^∫∑√]|\d\s*[*/]\s*\d"), "contains maths"),
    ],
}


@dataclass(frozen=True)
class RouteDecision:
    route: str
    confidence: float
    reasons: tuple[str, ...]
    unsure: bool = False

    def to_json(self) -> dict[str, object]:
        return {"route": self.route, "confidence": round(self.confidence, 3), "reasons": list(self.reasons)}


class Router:
    """Routes requests by similarity to labelled examples. Thread-safe; examples embedded once, lazily."""

    def __init__(self, embed: Embed, examples: Sequence[tuple[str, str]] | None = None) -> None:
        if examples is None:
            from assistant.agents.router_examples import EXAMPLES

            examples = EXAMPLES
        self._embed = embed
        self._examples = list(examples)
        self._vectors: Any = None  # numpy matrix, one row per example
        self._lock = threading.Lock()

    def _example_vectors(self) -> Any:
        import numpy as np

        with self._lock:
            if self._vectors is None:
                self._vectors = np.asarray(self._embed([text for text, _ in self._examples]), dtype=np.float32)
            return self._vectors

    def warm(self) -> None:
        """Embed the examples now (e.g. right after the app starts), so the first request is fast."""
        self._example_vectors()

    def route(self, text: str, *, has_documents: bool = True) -> RouteDecision:
        if not text.strip():
            return RouteDecision("chat", 0.0, ("empty message",), unsure=True)
        import numpy as np

        vectors = self._example_vectors()
        similarities = vectors @ np.asarray(self._embed([text])[0], dtype=np.float32)
        by_route: dict[str, list[tuple[float, str]]] = {r: [] for r in ROUTES}
        for (example, route), similarity in zip(self._examples, similarities.tolist(), strict=True):
            by_route[route].append((similarity, example))
        scores: dict[str, float] = {}
        nearest: dict[str, str] = {}
        for route, sims in by_route.items():
            if not sims:
                continue
            best = sorted(sims, reverse=True)[:TOP_K]
            scores[route] = sum(s for s, _ in best) / len(best)
            nearest[route] = best[0][1]
        cue_reasons: dict[str, list[str]] = {r: [] for r in ROUTES}
        for route, cues in _CUES.items():
            for pattern, reason in cues:
                if route in scores and pattern.search(text):
                    scores[route] += CUE_BONUS
                    if reason:
                        cue_reasons[route].append(reason)
        notes: list[str] = []
        if not has_documents and "documents" in scores:
            del scores["documents"]
            notes.append("no documents are indexed yet")
        ranked = sorted(scores, key=scores.__getitem__, reverse=True)
        top = max(scores.values())
        weights = {r: math.exp((s - top) / TEMPERATURE) for r, s in scores.items()}
        total = sum(weights.values())
        probabilities = {r: w / total for r, w in weights.items()}
        route = ranked[0]
        confidence = probabilities[route]
        runner_up = probabilities[ranked[1]] if len(ranked) > 1 else 0.0
        unsure = confidence - runner_up < UNSURE_MARGIN
        reasons = [*cue_reasons[route][:1], f"similar to “{_short(nearest[route])}”", *notes]
        if unsure and len(ranked) > 1:
            reasons.append(f"could also be {ranked[1]}")
        return RouteDecision(route, confidence, tuple(reasons[:3]), unsure)


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
