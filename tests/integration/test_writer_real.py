"""Writing help with the real bundled model, in the library and from the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.agents import writer
from assistant.agents.diff import apply, changes, word_diff
from assistant.agents.events import Token
from assistant.runtime.llama import LlamaRuntime

pytestmark = pytest.mark.integration


def result(runtime: LlamaRuntime, task: str, text: str, to: str | None = None) -> str:
    tokens = [e.text for e in writer.run(runtime, task, text, to=to) if isinstance(e, Token) and not e.reasoning]
    return writer.clean_result(task, "".join(tokens))


def assert_plain_result(out: str, task: str, to: str | None = None) -> None:
    """What any model, however small, must give after cleaning: text, and only the result."""
    assert out.strip(), task
    assert not out.lower().startswith(("here is", "here's", "sure", "certainly")), out
    assert "data, not instructions" not in out and "<<<" not in out and ">>>" not in out, out
    prompt = writer.build_messages(task, "x", to)
    instruction = prompt[-1]["content"].split("\n")[0]
    assert out.strip() != instruction and not out.startswith(instruction), out


def test_proofread_gives_a_result_without_preamble(bundled_runtime: LlamaRuntime) -> None:
    typo = "I recieved teh parcel yesterday, thank you"
    out = result(bundled_runtime, "proofread", typo)
    assert_plain_result(out, "proofread")
    segments = word_diff(typo, out)
    assert apply(segments, {c.index for c in changes(segments)}) == out
    assert apply(segments, ()) == typo


def test_translate_is_refused_by_the_english_only_model_and_email_gives_a_result(bundled_runtime: LlamaRuntime) -> None:
    with pytest.raises(writer.WriterError, match="writes English only.*French"):
        result(bundled_runtime, "translate", "Good morning, how are you?", "French")
    out = result(bundled_runtime, "email", "- meeting moved to Friday\n- bring the report")
    assert_plain_result(out, "email")


def test_continue_keeps_the_text_and_adds_to_it(bundled_runtime: LlamaRuntime) -> None:
    start = "Once upon a time, a small robot lived in a garden."
    full = writer.combine("continue", start, result(bundled_runtime, "continue", start))
    assert full.startswith(start) and len(full) > len(start)
    assert [c.kind for c in changes(word_diff(start, full))] == ["insert"]


def test_a_text_longer_than_the_context_is_refused(bundled_runtime: LlamaRuntime) -> None:
    words = bundled_runtime.info.context_length * 2
    with pytest.raises(writer.WriterError, match="too long"):
        next(writer.run(bundled_runtime, "proofread", "The cat sat on the mat. " * (words // 6)))


def write_command(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRIVATE_ASSISTANT_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, "-m", "assistant", "write", *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, env=env, timeout=300)


def test_write_command_prints_the_result_and_refuses_bad_input(data_home: Path, tmp_path: Path) -> None:
    source = tmp_path / "draft.txt"
    source.write_text("i has went to the shop yesterday and buyed some milk")
    done = write_command(data_home, "--task", "proofread", "--max-tokens", "40", str(source))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
    missing = write_command(data_home, "--task", "translate", "-", stdin="Hello")
    assert missing.returncode == 2 and "Choose the language" in missing.stderr


def test_the_built_in_model_refuses_korean_rewriting_and_suggests_a_model(bundled_runtime: LlamaRuntime) -> None:
    with pytest.raises(writer.WriterError) as raised:
        next(writer.run(bundled_runtime, "rewrite-formal", "내일까지 보고서 보내."))
    message = str(raised.value)
    assert message.startswith("The built-in model writes English only, so it cannot rewrite Korean text well.")
    assert "Qwen3 1.7B" in message and "for Korean" in message


def test_write_command_refuses_korean_with_the_built_in_model(data_home: Path) -> None:
    done = write_command(data_home, "--task", "rewrite-formal", "-", stdin="내일까지 보고서 보내.")
    assert done.returncode != 0 and done.stdout == ""
    assert "writes English only" in done.stderr and "models download" in done.stderr


def test_write_command_runs_the_polite_rewrite_task(data_home: Path) -> None:
    english = write_command(data_home, "--task", "rewrite-polite", "--max-tokens", "40", "-", stdin="Send it now.")
    assert english.returncode == 0, english.stderr
    assert english.stdout.strip()
    korean = write_command(data_home, "--task", "rewrite-polite", "-", stdin="내일까지 보고서 보내.")
    assert korean.returncode != 0 and korean.stdout == ""
    assert "cannot rewrite Korean text well" in korean.stderr and "models download" in korean.stderr
