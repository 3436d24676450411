"""Error dialogs, and the window on the real bundled model."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from assistant.config import Settings, save_settings
from tests.fakes import FakeRuntime
from tests.ui.conftest import OpenWindow
from tests.ui.test_chat_window import type_and_send, wait_done


def test_broken_model_file_shows_the_error_and_the_window_stays_usable(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path
) -> None:
    broken = tmp_path / "model.gguf"
    broken.write_text("this is a text file renamed to .gguf")
    settings = Settings()
    settings.model.path = str(broken)
    save_settings(settings)
    window = open_window()  # the real llama.cpp runtime
    qtbot.waitUntil(lambda: window.error_dialog is not None and window.error_dialog.isVisible(), timeout=10_000)
    assert "not a GGUF model file" in window.error_dialog.text()
    window.error_dialog.accept()
    # Still usable: conversations can be made, and a message typed is not lost.
    qtbot.mouseClick(window.conversations.new_button, Qt.MouseButton.LeftButton)
    type_and_send(qtbot, window, "are you there?")
    wait_done(qtbot, window)
    assert window.error_dialog.isVisible() and "not a GGUF" in window.error_dialog.text()
    assert window.composer.toPlainText() == "are you there?"
    assert window.send_button.isEnabled() and window.conversations.isEnabled()


@pytest.mark.integration
def test_real_bundled_model_replies_in_the_window(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    qtbot.waitUntil(lambda: window.status.backend_label.text().startswith("Backend:"), timeout=60_000)
    assert window.status.model_label.text() == "Model: SmolLM2-135M-Instruct.Q4_1"
    assert "CPU" in window.status.backend_label.text()
    type_and_send(qtbot, window, "Which city is the capital of France?")
    wait_done(qtbot, window)
    reply = window.chat.last_reply_text()
    assert reply.strip() and window.error_dialog is None
    assert float(window.status.speed_label.text().split()[0]) > 0


@pytest.mark.integration
def test_window_appears_before_any_heavy_library_is_imported(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from ui.app import create_window\n"
        "w = create_window(); w.show(); app.processEvents()\n"
        "names = ('llama_cpp', 'torch', 'chromadb', 'sentence_transformers', 'llm', 'openai')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print('heavy:', heavy); w.close()\n"
    )
    env = {**os.environ, "PRIVATE_ASSISTANT_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "heavy: []" in done.stdout


def test_unusable_data_dir_gets_a_message_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code = (
        "from PySide6.QtWidgets import QMessageBox\n"
        "QMessageBox.critical = staticmethod(lambda parent, title, text: print('DIALOG:', text))\n"
        "from ui.app import main\n"
        "raise SystemExit(main())\n"
    )
    env = {**os.environ, "PRIVATE_ASSISTANT_HOME": str(blocker), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2
    assert "DIALOG:" in done.stdout and "cannot use its data folder" in done.stdout
    assert "Traceback" not in done.stderr


def test_unexpected_errors_in_the_window_become_a_dialog_and_a_log_entry(
    qtbot: QtBot, open_window: OpenWindow, data_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from assistant.errors import DiskFullError
    from ui.app import _report_to

    window = open_window(FakeRuntime())
    hook = _report_to(window)
    try:
        raise DiskFullError.at(data_home / "conversations.sqlite3")
    except DiskFullError as exc:
        hook(type(exc), exc, exc.__traceback__)
    assert window.error_dialog is not None and "is full" in window.error_dialog.text()
    try:
        raise KeyError("boom")
    except KeyError as exc:
        hook(type(exc), exc, exc.__traceback__)
    assert (
        "Something went wrong" in window.error_dialog.text() and "private-assistant.log" in window.error_dialog.text()
    )
    assert "KeyError: 'boom'" in caplog.text  # the traceback goes to the log, not the dialog
    assert "Traceback" not in window.error_dialog.text()


def test_private_assistant_without_arguments_opens_the_window(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PRIVATE_ASSISTANT_HOME": str(tmp_path),
        "QT_QPA_PLATFORM": "offscreen",
        "PRIVATE_ASSISTANT_STARTUP_PROBE": "1",
    }
    done = subprocess.run([sys.executable, "-m", "ui"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "first-paint" in done.stdout


def test_private_assistant_with_a_command_runs_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    from ui.launcher import main

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and "private-assistant" in capsys.readouterr().out


def test_ready_probe_ends_with_the_reason_when_the_model_fails_to_load(tmp_path: Path, data_home: Path) -> None:
    broken = tmp_path / "model.gguf"
    broken.write_text("this is a text file renamed to .gguf")
    settings = Settings()
    settings.model.path = str(broken)
    save_settings(settings)
    env = {
        **os.environ,
        "PRIVATE_ASSISTANT_HOME": str(data_home),
        "QT_QPA_PLATFORM": "offscreen",
        "PRIVATE_ASSISTANT_STARTUP_PROBE": "ready",
    }
    done = subprocess.run([sys.executable, "-m", "ui"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "first-paint Private Assistant" in done.stdout
    assert "failed " in done.stdout and "not a GGUF model file" in done.stdout
