"""The router with the real bundled embedder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.agents.router import ROUTES, Router
from assistant.agents.router_examples import EXAMPLES
from assistant.library.embedder import Embedder

pytestmark = pytest.mark.integration
LABELLED = Path(__file__).resolve().parents[2] / "bench" / "router_labelled.json"


@pytest.fixture(scope="module")
def router(embedder: Embedder) -> Router:
    router = Router(embedder.embed)
    router.warm()
    return router


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("hiya, how's it going?", "chat"),
        ("what's the capital of Australia?", "chat"),
        ("What does my tenancy agreement say about repairs?", "documents"),
        ("in my notes from the conference, who gave the keynote?", "documents"),
        ("Proofread this: i has went to the shop yesterday and buyed milk", "writing"),
        ("Translate into French: the meeting starts at nine", "writing"),
        (
            "Make this email more polite:\n\nSend me the invoice today. I asked three times already and I am tired "
            "of waiting for you people to do your job.",
            "writing",
        ),
        ("Write a concurrent hash map in C++ and prove it is linearizable", "complex"),
        ("derive the closed form of the Fibonacci numbers using generating functions", "complex"),
    ],
)
def test_clear_requests_take_the_obvious_route(router: Router, text: str, route: str) -> None:
    assert text not in {t for t, _ in EXAMPLES}
    decision = router.route(text)
    assert decision.route == route, decision
    assert 0.0 < decision.confidence <= 1.0 and 1 <= len(decision.reasons) <= 3


def test_held_out_accuracy_is_well_above_chance(router: Router) -> None:
    labelled = json.loads(LABELLED.read_text(encoding="utf-8"))
    routed = [(row["route"], router.route(row["text"]).route) for row in labelled]
    assert sum(label == got for label, got in routed) / len(routed) >= 0.7  # loose; bench/bench_router.py measures
    for route in ROUTES:
        mine = [got for label, got in routed if label == route]
        assert sum(got == route for got in mine) / len(mine) >= 0.5, route


def test_without_documents_a_documents_question_goes_elsewhere_and_says_why(router: Router) -> None:
    decision = router.route("what does my lease say about pets?", has_documents=False)
    assert decision.route != "documents" and "no documents are indexed yet" in decision.reasons


def test_route_command_prints_json(data_home: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "route", "proofread this: teh cat sat", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PRIVATE_ASSISTANT_HOME": str(data_home), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["route"] == "writing" and 0 < result["confidence"] <= 1 and result["reasons"]
