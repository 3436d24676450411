"""``private-assistant chat`` as a person runs it: a separate process on the real model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration


def cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRIVATE_ASSISTANT_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_chat_streams_the_reply_to_stdout(data_home: Path) -> None:
    done = cli(
        "chat",
        "Which city is the capital of France?",
        "--temperature",
        "0",
        "--max-tokens",
        "40",
        home=data_home,
    )
    assert done.returncode == 0, done.stderr
    assert "Paris" in done.stdout


def test_chat_json_prints_one_object_with_stats(data_home: Path) -> None:
    done = cli("chat", "Say hello.", "--json", "--max-tokens", "16", home=data_home)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) == {"text", "tokens", "tokens_per_s", "model", "backend", "stopped"}
    assert result["text"] and 0 < result["tokens"] <= 16 and result["tokens_per_s"] > 0
    assert result["model"] == "SmolLM2-135M-Instruct.Q4_1"


def test_prompt_from_stdin(data_home: Path) -> None:
    env = {**os.environ, "PRIVATE_ASSISTANT_HOME": str(data_home)}
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "chat", "-", "--json", "--max-tokens", "8"],
        input="Hello!",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0 and json.loads(done.stdout)["tokens"] > 0
