"""The router with the real bundled embedder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.agents.router import Router
from assistant.agents.router_examples import EXAMPLES
from assistant.library.embedder import Embedder

pytestmark = pytest.mark.integration
LABELLED = Path(__file__).resolve().parents[2] / "bench" / "router_labelled.json"


@pytest.fixture(scope="module")
def router(embedder: Embedder) -> Router:
    return Router(embedder.embed)


@pytest.mark.parametrize(
    ("text", "route"),
    [
        ("hiya, how's it going?", "chat"),
        ("What does my tenancy agreement say about repairs?", "documents"),
        ("Proofread this: i has went to the shop yesterday and buyed milk", "writing"),
        ("Translate into French: the meeting starts at nine", "writing"),
        ("Write a concurrent hash map in C++ and prove it is linearizable", "complex"),
    ],
)
def test_clear_requests_take_the_obvious_route(router: Router, text: str, route: str) -> None:
    assert text not in {t for t, _ in EXAMPLES}
    assert router.route(text).route == route


def test_held_out_accuracy_is_well_above_chance(router: Router) -> None:
    labelled = json.loads(LABELLED.read_text())
    correct = sum(router.route(row["text"]).route == row["route"] for row in labelled)
    assert correct / len(labelled) >= 0.7  # loose floor; bench/bench_router.py prints the real number


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
