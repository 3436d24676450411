"""Writing help: the pane, its diff, and the window running a task on the real worker thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication, QTextCursor
from pytestqt.qtbot import QtBot

from tests.fakes import FakeRuntime
from tests.ui.conftest import OpenWindow
from tests.ui.test_chat_window import stored, type_and_send, wait_done
from ui.writing_pane import WritingPane

TEXT = "I recieved teh letter. It was kind."
FIXED = "I received the letter. It was very kind."


def pane_with(qtbot: QtBot, text: str = TEXT) -> WritingPane:
    pane = WritingPane()
    qtbot.addWidget(pane)
    pane.editor.setPlainText(text)
    return pane


def test_run_asks_for_the_task_on_the_text_and_shows_a_diff(qtbot: QtBot) -> None:
    pane = pane_with(qtbot)
    pane.task.setCurrentIndex(pane.task.findData("translate"))
    assert pane.language.isVisibleTo(pane)
    pane.language.setCurrentText("German")
    with qtbot.waitSignal(pane.requested) as signal:
        pane.run_button.click()
    assert signal.args == ["translate", TEXT, "German"]
    assert not pane.run_button.isEnabled() and pane.stop_button.isEnabled()

    pane.task.setCurrentIndex(pane.task.findData("proofread"))
    pane.on_finished(FIXED)
    assert pane.diff.change_count() == 2 and pane.result() == FIXED
    assert "2 changes" in pane.status.text()
    pane.diff.anchorClicked.emit(QUrl("change:1"))  # the person rejects "very"
    assert pane.result() == "I received the letter. It was kind."
    pane.reject_all.click()
    assert pane.result() == TEXT
    pane.accept_all.click()
    pane.copy_button.click()
    assert QGuiApplication.clipboard().text() == FIXED


def test_save_and_replace_only_the_selection(qtbot: QtBot, tmp_path: Path) -> None:
    pane = pane_with(qtbot, "Keep this. " + TEXT + " Keep that.")
    cursor = pane.editor.textCursor()
    cursor.setPosition(len("Keep this. "))
    cursor.setPosition(len("Keep this. ") + len(TEXT), QTextCursor.MoveMode.KeepAnchor)
    pane.editor.setTextCursor(cursor)
    with qtbot.waitSignal(pane.requested) as signal:
        pane.run_button.click()
    assert signal.args[1] == TEXT
    pane.on_finished(FIXED)
    pane.save_to(tmp_path / "out.txt")
    assert (tmp_path / "out.txt").read_text() == FIXED
    pane.replace_button.click()
    assert pane.editor.toPlainText() == "Keep this. " + FIXED + " Keep that."


def test_a_failure_keeps_the_text_and_says_why(qtbot: QtBot) -> None:
    pane = pane_with(qtbot)
    pane.run_button.click()
    pane.on_failed("The model is not loaded.")
    assert pane.editor.toPlainText() == TEXT and "unchanged" in pane.status.text()
    assert pane.run_button.isEnabled()


def test_the_window_runs_writing_tasks_on_the_model_thread(qtbot: QtBot, open_window: OpenWindow) -> None:
    runtime = FakeRuntime(["Here is the corrected text: " + FIXED, "Bonjour, le monde."])
    window = open_window(runtime)
    pane = window.writing.open()
    pane.editor.setPlainText(TEXT)
    pane.run_button.click()
    qtbot.waitUntil(lambda: not pane.running, timeout=20_000)
    assert pane.result() == FIXED  # the preamble is gone, the diff is against the person's text
    assert "<<<\n" + TEXT + "\n>>>" in runtime.seen[-1][-1]["content"]

    # In the chat, a writing request is routed to the writer and stored in the conversation.
    window.route_picker.choose("writing")
    type_and_send(qtbot, window, "Translate to French: Hello, world.")
    wait_done(qtbot, window)
    assert "Writing" in window.route_bar.label.text()
    assert "French" in runtime.seen[-1][0]["content"]
    assert stored(window)[-1] == ("assistant", "Bonjour, le monde.")
