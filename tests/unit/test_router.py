"""Router logic, with a deterministic bag-of-words embedder."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence

from assistant.agents.router import ROUTES, Router

EXAMPLES = [
    ("hello how are you", "chat"),
    ("tell me a joke", "chat"),
    ("what does my lease say", "documents"),
    ("search my notes for the date", "documents"),
    ("proofread this letter", "writing"),
    ("translate this to french", "writing"),
    ("prove the theorem step by step", "complex"),
    ("design a distributed system", "complex"),
]


class BagOfWords:
    def __init__(self) -> None:
        self.calls: list[int] = []

    def __call__(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls.append(len(texts))
        out = []
        for text in texts:
            vector = [0.0] * 64
            for word in re.findall(r"\w+", text.lower()):
                vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % 64] += 1.0
            norm = math.sqrt(sum(v * v for v in vector)) or 1.0
            out.append([v / norm for v in vector])
        return out


def test_each_request_gets_a_route_a_confidence_and_reasons() -> None:
    router = Router(BagOfWords(), EXAMPLES)
    for text, route in [
        ("hello, tell me a joke", "chat"),
        ("what does my lease say about pets", "documents"),
        ("proofread this letter for me", "writing"),
        ("prove this theorem step by step", "complex"),
    ]:
        decision = router.route(text)
        assert decision.route == route, (text, decision)
        assert 0.0 <= decision.confidence <= 1.0 and decision.reasons
        assert decision.to_json() == {
            "route": route,
            "confidence": round(decision.confidence, 3),
            "reasons": list(decision.reasons),
        }


def test_without_indexed_documents_the_documents_route_is_never_chosen() -> None:
    decision = Router(BagOfWords(), EXAMPLES).route("what does my lease say", has_documents=False)
    assert decision.route != "documents" and decision.route in ROUTES
    assert "no documents are indexed yet" in decision.reasons


def test_examples_are_embedded_once_then_one_embedding_per_request() -> None:
    embed = BagOfWords()
    router = Router(embed, EXAMPLES)
    for _ in range(3):
        router.route("tell me a joke")
    assert embed.calls == [len(EXAMPLES), 1, 1, 1]


def test_an_empty_message_is_chat_with_no_confidence() -> None:
    decision = Router(BagOfWords(), EXAMPLES).route("   ")
    assert (decision.route, decision.confidence, decision.unsure) == ("chat", 0.0, True)


def test_a_close_call_is_marked_unsure_and_names_the_alternative() -> None:
    axes = {"a": [1.0, 0.0, 0.0], "b": [0.0, 1.0, 0.0], "c": [0.0, 0.0, 1.0], "between": [0.7, 0.71, 0.0]}

    def embed(texts: Sequence[str]) -> list[list[float]]:
        return [axes[t] for t in texts]

    decision = Router(embed, [("a", "chat"), ("b", "complex"), ("c", "writing")]).route("between")
    assert decision.route == "complex" and decision.unsure
    assert "could also be chat" in decision.reasons
