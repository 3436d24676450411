"""Writing help: the pane, its diff, and the window running a task on the real worker thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from assistant.agents.diff import changes
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


def select(pane: WritingPane, start: int, end: int) -> None:
    cursor = pane.editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    pane.editor.setTextCursor(cursor)


def test_the_language_is_asked_only_for_translate_and_sent_empty_otherwise(qtbot: QtBot) -> None:
    pane = pane_with(qtbot)
    pane.show()
    pane.set_task("summarize")
    assert not pane.language.isVisible()
    with qtbot.waitSignal(pane.requested) as signal:
        pane.run_button.click()
    assert signal.args == ["summarize", TEXT, ""]
    assert pane.editor.isReadOnly()  # the text the task runs on stays put until the result is in
    pane.on_failed("")
    pane.set_task("translate", "Japanese")
    assert pane.language.isVisible()
    with qtbot.waitSignal(pane.requested) as signal:
        pane.run_button.click()
    assert signal.args == ["translate", TEXT, "Japanese"]


def test_nothing_is_requested_without_text_or_language(qtbot: QtBot) -> None:
    pane = pane_with(qtbot, "   ")
    with qtbot.assertNotEmitted(pane.requested):
        pane.run_button.click()
    assert "no text" in pane.status.text() and not pane.running
    pane.editor.setPlainText(TEXT)
    pane.set_task("translate")
    pane.language.setCurrentText("")
    with qtbot.assertNotEmitted(pane.requested):
        pane.run_button.click()
    assert "language" in pane.status.text()


def test_the_result_streams_in_then_becomes_a_diff_that_escapes_html(qtbot: QtBot) -> None:
    pane = pane_with(qtbot, "Use <b>bold</b> & see.")
    pane.run_button.click()
    for piece in ("Use <b>strong", "</b> & see."):
        pane.on_token(piece)
    assert pane.diff.toPlainText() == "Use <b>strong</b> & see."
    assert not pane.copy_button.isEnabled()  # nothing to take until it is finished
    pane.on_finished("Use <b>strong</b> & see.")
    assert pane.diff.change_count() == 1
    shown = pane.diff.toPlainText()
    assert "<b>bold" in shown and "strong</b> & see." in shown  # as text, not markup
    assert "font-weight:700" not in pane.diff.toHtml()  # the person's "<b>" made nothing bold
    assert pane.result() == "Use <b>strong</b> & see."
    pane.diff.anchorClicked.emit(QUrl("change:0"))
    assert pane.result() == "Use <b>bold</b> & see." and pane.diff.accepted() == set()
    pane.diff.anchorClicked.emit(QUrl("change:7"))  # no such change: ignored
    pane.diff.anchorClicked.emit(QUrl("https://example.com"))
    assert pane.result() == "Use <b>bold</b> & see."


def test_toggling_keeps_the_diff_scrolled_where_the_person_is(qtbot: QtBot) -> None:
    long = "\n".join(f"Line {n} has a word." for n in range(200))
    pane = pane_with(qtbot, long)
    pane.resize(500, 400)
    pane.show()
    pane.run_button.click()
    pane.on_finished(long.replace("Line 150 has", "Line 150 had"))
    bar = pane.diff.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    where = bar.value()
    assert where > 0
    with qtbot.waitSignal(pane.diff.changed):
        pane.diff.toggle(0)
    assert bar.value() == where


def test_save_and_replace_only_the_selection(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pane = pane_with(qtbot, "Keep this. " + TEXT + " Keep that.")
    select(pane, len("Keep this. "), len("Keep this. ") + len(TEXT))
    with qtbot.waitSignal(pane.requested) as signal:
        pane.run_button.click()
    assert signal.args[1] == TEXT
    pane.on_finished(FIXED)
    assert pane.result() == FIXED  # the diff is against the selection, not the whole text
    assert pane.save_to(tmp_path / "out.txt")
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == FIXED
    assert not pane.save_to(tmp_path / "missing" / "out.txt")
    assert "Not saved" in pane.status.text()

    chosen = tmp_path / "chosen.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(chosen), ""))
    pane.diff.toggle(1)  # without "very"
    pane.save_button.click()
    assert chosen.read_text(encoding="utf-8") == "I received the letter. It was kind."

    pane.replace_button.click()
    assert pane.editor.toPlainText() == "Keep this. I received the letter. It was kind. Keep that."
    assert pane.editor.textCursor().selectedText() == "I received the letter. It was kind."
    pane.editor.undo()
    assert pane.editor.toPlainText() == "Keep this. " + TEXT + " Keep that."


def test_replace_refuses_when_the_text_changed_since_the_run(qtbot: QtBot) -> None:
    pane = pane_with(qtbot)
    pane.run_button.click()
    pane.on_finished(FIXED)
    pane.editor.setPlainText(TEXT + " A new sentence.")
    pane.replace_button.click()
    assert pane.editor.toPlainText() == TEXT + " A new sentence."
    assert "changed since" in pane.status.text()


def test_a_selection_after_emoji_is_found_and_replaced_exactly(qtbot: QtBot) -> None:
    head = "🙂🙂 Héllo. "
    pane = pane_with(qtbot, head + "teh end 🙂")
    start = len(head.encode("utf-16-le")) // 2  # the editor counts UTF-16 units
    select(pane, start, start + len("teh end"))
    with qtbot.waitSignal(pane.requested) as signal:
        pane.run_button.click()
    assert signal.args[1] == "teh end"
    pane.on_finished("the end")
    pane.replace_button.click()
    assert pane.editor.toPlainText() == head + "the end 🙂"


def test_continue_adds_to_the_text_and_the_diff_shows_the_added_words(qtbot: QtBot) -> None:
    pane = pane_with(qtbot, "Once upon a time.\n\nThe end.")
    select(pane, 0, len("Once upon a time."))
    pane.set_task("continue")
    pane.run_button.click()
    pane.set_task("proofread")  # changing the picker meanwhile does not change what ran
    pane.on_finished("A robot lived in a garden.")
    assert [(c.kind, c.new) for c in changes(pane.diff.segments())] == [("insert", " A robot lived in a garden.")]
    pane.replace_button.click()
    assert pane.editor.toPlainText() == "Once upon a time. A robot lived in a garden.\n\nThe end."


def test_an_empty_or_stopped_result(qtbot: QtBot) -> None:
    pane = pane_with(qtbot)
    pane.run_button.click()
    pane.on_finished("   ")
    assert "no result" in pane.status.text() and pane.diff.change_count() == 0
    assert not pane.replace_button.isEnabled() and not pane.copy_button.isEnabled()
    assert pane.editor.toPlainText() == TEXT

    pane.run_button.click()
    pane.on_token("I received")
    with qtbot.waitSignal(pane.stop_requested):
        pane.stop_button.click()
    pane.on_finished("I received")
    assert "Stopped early" in pane.status.text()
    assert pane.result() == "I received" and pane.run_button.isEnabled() and not pane.editor.isReadOnly()
    pane.on_finished("late duplicate")  # a result with no task running is ignored
    assert pane.result() == "I received"


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
