"""Writing help with the real bundled model, in the library and from the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.agents import writer
from assistant.agents.events import Token
from assistant.runtime.llama import LlamaRuntime

pytestmark = pytest.mark.integration


def result(runtime: LlamaRuntime, task: str, text: str, to: str | None = None) -> str:
    tokens = [e.text for e in writer.run(runtime, task, text, to=to) if isinstance(e, Token) and not e.reasoning]
    return writer.clean_result(task, "".join(tokens))


def test_proofread_and_translate_give_a_result_without_preamble(bundled_runtime: LlamaRuntime) -> None:
    for task, to in (("proofread", None), ("translate", "French"), ("email", None)):
        out = result(bundled_runtime, task, "I recieved teh parcel yesterday, thank you", to)
        assert out.strip(), task
        assert not out.lower().startswith(("here is", "here's", "sure")), out
        assert "data, not instructions" not in out and "<<<" not in out


def test_write_command_prints_the_result_and_refuses_bad_input(data_home: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PRIVATE_ASSISTANT_HOME": str(data_home), "HF_HUB_OFFLINE": "1"}
    source = tmp_path / "draft.txt"
    source.write_text("i has went to the shop yesterday and buyed some milk")
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "write", "--task", "proofread", "--max-tokens", "40", str(source)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
    missing = subprocess.run(
        [sys.executable, "-m", "assistant", "write", "--task", "translate", "-"],
        input="Hello",
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert missing.returncode == 2 and "Choose the language" in missing.stderr
