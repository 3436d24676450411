from pathlib import Path

import pytest

from assistant import cli
from tests.gguf_builder import build_gguf


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_renamed_text_file_as_model_exits_2_with_a_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "notes.gguf"
    fake.write_text("not a model")
    code, out, err = run(capsys, "chat", "hi", "--model", str(fake))
    assert code == 2 and out == ""
    assert "is not a GGUF model file" in err and "Traceback" not in err


def test_missing_model_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "chat", "hi", "--model", str(tmp_path / "nope.gguf"))
    assert code == 2 and "does not exist" in err


def test_empty_prompt_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "chat", "   ")
    assert code == 2 and "prompt is empty" in err


def test_a_gguf_llama_cpp_rejects_is_a_clear_error_and_the_traceback_is_logged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data_home: Path
) -> None:
    model = build_gguf(tmp_path / "tiny.gguf")  # valid container, but no real model inside
    code, _, err = run(capsys, "chat", "hi", "--model", str(model))
    assert code == 2 and "could not load tiny.gguf" in err and "Traceback" not in err
    log = (data_home / "logs" / "private-assistant.log").read_text()
    assert "Traceback" in log


def test_unusable_data_dir_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("PRIVATE_ASSISTANT_HOME", str(blocker))
    code, _, err = run(capsys, "chat", "hi")
    assert code == 2 and "cannot use its data folder" in err


def test_version_prints(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0 and "private-assistant" in capsys.readouterr().out


def test_ask_loads_nothing_it_does_not_use(data_home: Path) -> None:
    """A fresh `ask --retrieve-only` process imports neither the chat agents nor the models' runtimes."""
    import subprocess
    import sys

    probe = (
        "import sys; from assistant.cli import main; code = main(sys.argv[1:]); "
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers', 'llama_cpp', 'PySide6', "
        "'assistant.agents.writer', 'assistant.agents.qa', 'assistant.agents.chat') if m in sys.modules)); "
        "sys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, "ask", "--retrieve-only", "where is the tern"],
        capture_output=True,
        text=True,
        env={"PRIVATE_ASSISTANT_HOME": str(data_home), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"},
    )
    assert done.returncode == 2 and "library is empty" in done.stderr
    assert done.stdout.strip() == "[]"


def test_write_still_checks_its_task(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["write", "--task", "sing"])
    err = capsys.readouterr().err
    assert done.value.code == 2
    assert "invalid choice: 'sing'" in err and "'proofread'" in err
