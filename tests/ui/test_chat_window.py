"""The window as a person uses it (offscreen), with a controllable fake model."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from pytestqt.qtbot import QtBot

from assistant.conversations import ConversationStore
from assistant.paths import data_dir
from tests.fakes import FakeRuntime
from tests.ui.conftest import OpenWindow
from ui.chat_view import ChatView
from ui.main_window import MainWindow


def click_link(qtbot: QtBot, view: ChatView, href: str) -> None:
    """Click the link to ``href`` where it is drawn, as a person would."""
    block = view.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            if fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(view.document())
                cursor.setPosition(fragment.position() + fragment.length() // 2)
                qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.cursorRect(cursor).center())
                return
            fragments += 1
        block = block.next()
    raise AssertionError(f"no link to {href}")


def type_and_send(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.composer.setFocus()
    qtbot.keyClicks(window.composer, text)
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)


def wait_done(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.generating, timeout=60_000)


def stored(window: MainWindow) -> list[tuple[str, str]]:
    store = ConversationStore(data_dir() / "conversations.sqlite3")
    try:
        cid = window.conversations.current_id()
        return [(m.role, m.content) for m in store.messages(cid)]
    finally:
        store.close()


def test_reply_streams_into_the_view(qtbot: QtBot, open_window: OpenWindow) -> None:
    runtime = FakeRuntime(["Bonjour! Paris is lovely in spring."])
    runtime.gate = threading.Event()
    window = open_window(runtime)
    type_and_send(qtbot, window, "Say hello")
    # The first word is on screen while the rest is still being generated.
    qtbot.waitUntil(lambda: "Bonjour!" in window.chat.toPlainText(), timeout=5000)
    assert window.generating and "spring" not in window.chat.toPlainText()
    assert window.stop_button.isEnabled() and not window.send_button.isEnabled()
    runtime.gate.set()
    wait_done(qtbot, window)
    assert "Paris is lovely in spring." in window.chat.toPlainText()
    assert window.composer.toPlainText() == ""
    assert stored(window) == [("user", "Say hello"), ("assistant", "Bonjour! Paris is lovely in spring.")]
    assert window.conversations.list.currentItem().text() == "Say hello"
    assert "tokens/s" in window.status.speed_label.text()
    assert window.status.model_label.text() == "Model: fake-model" and "CPU" in window.status.backend_label.text()


def test_stop_mid_stream_keeps_the_partial_reply(qtbot: QtBot, open_window: OpenWindow) -> None:
    runtime = FakeRuntime(["first second third fourth fifth"])
    runtime.gate = threading.Event()
    window = open_window(runtime)
    type_and_send(qtbot, window, "Count")
    qtbot.waitUntil(lambda: "first" in window.chat.toPlainText(), timeout=5000)
    qtbot.keyClick(window.composer, Qt.Key.Key_Escape)  # Esc stops
    runtime.gate.set()
    wait_done(qtbot, window)
    text = window.chat.toPlainText()
    assert "first" in text and "second" not in text and "(stopped)" in text
    assert stored(window)[-1] == ("assistant", "first")


def test_regenerate_replaces_the_reply(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(FakeRuntime(["An answer about apples.", "A better answer about pears."]))
    type_and_send(qtbot, window, "Tell me about fruit")
    wait_done(qtbot, window)
    click_link(qtbot, window.chat, "action:regenerate")  # under the reply
    wait_done(qtbot, window)
    text = window.chat.toPlainText()
    assert "pears" in text and "apples" not in text
    assert stored(window) == [("user", "Tell me about fruit"), ("assistant", "A better answer about pears.")]


def test_edit_and_resend_the_last_message(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(FakeRuntime(["Cats purr.", "Dogs bark."]))
    type_and_send(qtbot, window, "cats?")
    wait_done(qtbot, window)
    click_link(qtbot, window.chat, "action:edit")
    assert window.composer.toPlainText() == "cats?" and window.edit_hint.isVisibleTo(window)
    window.composer.clear()
    type_and_send(qtbot, window, "dogs?")
    wait_done(qtbot, window)
    assert stored(window) == [("user", "dogs?"), ("assistant", "Dogs bark.")]
    assert "cats?" not in window.chat.toPlainText()


def test_copy_puts_the_last_reply_on_the_clipboard(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(FakeRuntime(["Copy **me** please."]))
    type_and_send(qtbot, window, "hi")
    wait_done(qtbot, window)
    QGuiApplication.clipboard().setText("")
    click_link(qtbot, window.chat, "action:copy:1")  # under the reply
    assert QGuiApplication.clipboard().text() == "Copy **me** please."
    QGuiApplication.clipboard().setText("")
    window.chat_controller.copy_action.trigger()  # Chat → Copy the last reply (Ctrl+Shift+C)
    assert QGuiApplication.clipboard().text() == "Copy **me** please."


def test_shift_enter_is_a_new_line_not_a_send(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(FakeRuntime())
    qtbot.keyClicks(window.composer, "line one")
    qtbot.keyClick(window.composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(window.composer, "line two")
    assert window.composer.toPlainText() == "line one\nline two" and not window.generating


def test_history_survives_closing_and_reopening(qtbot: QtBot, open_window: OpenWindow) -> None:
    first = open_window(FakeRuntime(["Remember the milk."]))
    type_and_send(qtbot, first, "What should I buy?")
    wait_done(qtbot, first)
    first.close()
    second = open_window(FakeRuntime())
    assert second.conversations.list.count() == 1
    assert second.conversations.list.currentItem().text() == "What should I buy?"
    assert "Remember the milk." in second.chat.toPlainText()


def test_conversations_new_rename_search_delete(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(FakeRuntime(["ok"]))
    type_and_send(qtbot, window, "about taxes")
    wait_done(qtbot, window)
    qtbot.mouseClick(window.conversations.new_button, Qt.MouseButton.LeftButton)
    type_and_send(qtbot, window, "about gardening")
    wait_done(qtbot, window)
    listed = window.conversations.list
    assert [listed.item(i).text() for i in range(listed.count())] == ["about gardening", "about taxes"]
    window.conversations.rename_current("Garden plans")
    assert listed.currentItem().text() == "Garden plans"
    window.conversations.search.setText("tax")
    assert [listed.item(i).text() for i in range(listed.count())] == ["about taxes"]
    window.conversations.search.clear()
    listed.setCurrentRow(1)
    window.conversations.delete_current(confirm=False)
    assert [listed.item(i).text() for i in range(listed.count())] == ["Garden plans"]
    assert "gardening" in window.chat.toPlainText()


def test_markdown_is_rendered_and_never_fetches_anything(qtbot: QtBot, open_window: OpenWindow) -> None:
    reply = (
        "# Title\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "```\ncode()\n```\n\n![x](http://example.com/t.png) <b>raw</b>"
    )
    window = open_window(FakeRuntime([reply]))
    type_and_send(qtbot, window, "format")
    wait_done(qtbot, window)
    html = window.chat.toHtml()
    assert "code()" in window.chat.toPlainText() and "<table" in html
    assert "image not loaded" in window.chat.toPlainText() and "<b>raw</b>" in window.chat.toPlainText()
    assert window.chat.loadResource(2, "http://example.com/t.png") is None


def test_fast_stream_is_repainted_in_batches(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(FakeRuntime([" ".join(f"w{i}" for i in range(2000))]))
    before = window.chat.repaints
    type_and_send(qtbot, window, "go")
    wait_done(qtbot, window)
    assert "w1999" in window.chat.toPlainText()
    assert window.chat.repaints - before < 200  # 2000 tokens, far fewer repaints


def test_a_streamed_conversation_shows_what_it_shows_when_opened_again(qtbot: QtBot) -> None:
    """While a reply streams only the end of the document is rewritten; the result is the same as built whole."""
    view = ChatView()
    qtbot.addWidget(view)
    view.set_reply_actions(True)
    for turn in range(3):
        view.add_user_message(f"Question {turn}?")
        view.begin_reply()
        for word in f"Answer {turn}:\n\n```python\nprint({turn})\n```\n\nand **more** text.".split(" "):
            view.append_token(word + " ")
            view._flush()  # each repaint, as the timer does it
        view.end_reply(complete=True, sources=({"path": f"/docs/n{turn}.md", "page": None, "text": "note"},))
    streamed = view.toHtml()
    view.set_messages(view.messages())
    assert view.toHtml() == streamed
    assert view.toPlainText().count("Regenerate") == 1  # under the last reply only


def test_reasoning_streams_unfolded_then_folds_behind_a_link(qtbot: QtBot) -> None:
    from ui.chat_view import ChatView

    view = ChatView()
    qtbot.addWidget(view)
    view.add_user_message("Why is the sky blue?")
    view.begin_reply()
    view.append_token("Rayleigh scattering favours short wavelengths.", reasoning=True)
    qtbot.waitUntil(lambda: "Rayleigh" in view.toPlainText(), timeout=2000)
    assert "Thinking…" in view.toPlainText()
    view.append_token("Because of scattering.")
    view.end_reply(complete=True)
    text = view.toPlainText()
    assert "Thought for 5 words" in text and "Rayleigh" not in text and "Because of scattering." in text
    view.toggle_thinking(1)
    assert "Rayleigh" in view.toPlainText()
    view.toggle_thinking(1)
    assert "Rayleigh" not in view.toPlainText()
