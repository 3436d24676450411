"""What the window shows about a finished reply: sentences its sources do not bear out, a loop cut short,
and a documents question asked before there are any documents."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from assistant.agents.chat import ChatAgent
from assistant.agents.claims import Claim
from assistant.agents.events import Event, Finished
from assistant.agents.router import NO_DOCUMENTS_REPLY
from assistant.conversations import ConversationStore
from assistant.paths import data_dir
from assistant.runtime.loop_guard import REPETITION_NOTICE
from tests.fakes import FakeRuntime
from tests.ui.conftest import OpenWindow
from tests.ui.test_chat_window import click_link, type_and_send, wait_done
from ui import worker as worker_module
from ui.answer_marks import UNSUPPORTED_TIP
from ui.chat_view import ChatView
from ui.markdown_html import markdown_to_html

COPIED = "The arctic tern flies about seventy thousand kilometres a year [1]."
INVENTED = "It was first described by Charles Darwin in 1871 [1]."
CLAIMS = (Claim(COPIED, [1], True, 0.93), Claim(INVENTED, [1], False, 0.12))
SOURCE = {"path": "/docs/seabirds.pdf", "page": 3, "text": "Arctic terns fly about seventy thousand km a year."}


def fragment_formats(view: ChatView, text: str) -> list[QTextCharFormat]:
    """The character formats of the words of ``text`` (its first occurrence) as the view shows it."""
    start = view.toPlainText().index(text)
    end = start + len(text)
    found = []
    block = view.document().begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            overlap = fragment.position() < end and fragment.position() + fragment.length() > start
            if overlap and fragment.text().strip():
                found.append(fragment.charFormat())
            fragments += 1
        block = block.next()
    return found


def point_of(view: ChatView, text: str) -> QPoint:
    """Where ``text`` is drawn in the view's viewport (its middle)."""
    at = view.toPlainText().index(text) + len(text) // 2
    cursor = QTextCursor(view.document())
    cursor.setPosition(at)
    return view.cursorRect(cursor).center()


def hover_tooltip(qtbot: QtBot, view: ChatView, text: str) -> str:
    """The tooltip the view shows when the pointer rests on ``text``."""
    QToolTip.hideText()
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=5000)
    position = point_of(view, text)
    event = QHelpEvent(QEvent.Type.ToolTip, position, view.viewport().mapToGlobal(position))
    QApplication.sendEvent(view.viewport(), event)
    return QToolTip.text() if QToolTip.isVisible() else ""


def test_unsupported_sentences_are_underlined_with_a_tooltip_and_supported_ones_are_not(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    view.add_user_message("How far does the arctic tern fly?")
    view.begin_reply()
    view.append_token(f"{COPIED} {INVENTED}")
    view.end_reply(complete=True, sources=(SOURCE,), claims=CLAIMS)

    invented = fragment_formats(view, INVENTED)
    assert invented and all(f.toolTip() == UNSUPPORTED_TIP for f in invented)
    assert all(f.underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine for f in invented)
    copied = fragment_formats(view, COPIED)
    assert copied and all(
        f.toolTip() == "" and f.underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline for f in copied
    )

    assert hover_tooltip(qtbot, view, "Charles Darwin") == "not found in the cited source"
    assert hover_tooltip(qtbot, view, "seventy thousand") == ""


def test_marks_follow_the_sentence_text_in_lists_and_korean(qtbot: QtBot) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    reply = "- **Extract** with `tar -xf file.tar` [1].\n- 압축을 풀면 원본이 삭제됩니다 [1].\n\n이 명령은 안전합니다."
    claims = (
        Claim("- **Extract** with `tar -xf file.tar` [1].", [1], True, 0.9),
        Claim("- 압축을 풀면 원본이 삭제됩니다 [1].", [1], False, 0.1),
        Claim("이 명령은 안전합니다.", [], True, 0.7),
    )
    view.begin_reply()
    view.append_token(reply)
    view.end_reply(complete=True, claims=claims)
    shown = view.toPlainText()
    assert "**" not in shown and "- " not in shown  # the Markdown still renders around the marks
    marked = fragment_formats(view, "압축을 풀면 원본이 삭제됩니다 [1].")
    assert marked and all(f.toolTip() == UNSUPPORTED_TIP for f in marked)
    assert all(f.toolTip() == "" for f in fragment_formats(view, "이 명령은 안전합니다."))
    assert all(f.toolTip() == "" for f in fragment_formats(view, "Extract with tar -xf file.tar [1]."))


class CheckedAgent(ChatAgent):
    """The real agent, whose finished reply comes back as the loop guard and the claim check leave it."""

    kept = ""
    claims: tuple[Claim, ...] = ()

    def stream_and_store(self, conversation_id: int, *args: Any, **kwargs: Any) -> Iterator[Event]:
        for event in super().stream_and_store(conversation_id, *args, **kwargs):
            if isinstance(event, Finished) and event.message is not None:
                self.store.delete_from(conversation_id, event.message.id)  # the kept reply replaces it
                kept = self.store.add_message(conversation_id, "assistant", self.kept, stopped="repetition")
                kept = self.store.revise(kept, self.kept, [dataclasses.asdict(c) for c in self.claims])
                event = dataclasses.replace(
                    event, text=self.kept, message=kept, stopped="repetition", claims=self.claims
                )
            yield event


def test_the_window_marks_the_finished_answer_and_shows_why_a_reply_stopped(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = "Yours in the garden."
    monkeypatch.setattr(CheckedAgent, "kept", f"{COPIED} {INVENTED} {line}")
    monkeypatch.setattr(CheckedAgent, "claims", CLAIMS)
    monkeypatch.setattr(worker_module, "ChatAgent", CheckedAgent)
    window = open_window(FakeRuntime([f"{COPIED} {INVENTED} {line}\n{line}\n{line}\n{line}"]))
    type_and_send(qtbot, window, "How far does the arctic tern fly?")
    wait_done(qtbot, window)
    text = window.chat.toPlainText()
    assert text.count(line) == 1  # the streamed loop is replaced by the reply as kept
    assert REPETITION_NOTICE in text and REPETITION_NOTICE == "stopped: the model began repeating itself"
    assert all(f.toolTip() == UNSUPPORTED_TIP for f in fragment_formats(window.chat, INVENTED))
    assert all(f.toolTip() == "" for f in fragment_formats(window.chat, COPIED))


def test_a_normal_reply_has_no_footer_and_no_marks(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(FakeRuntime(["Hello there, nice to meet you."]))
    type_and_send(qtbot, window, "Hi")
    wait_done(qtbot, window)
    text = window.chat.toPlainText()
    assert "Hello there" in text and REPETITION_NOTICE not in text
    assert all(f.toolTip() == "" for f in fragment_formats(window.chat, "Hello there, nice to meet you."))


def test_a_documents_question_without_documents_says_how_to_add_them_and_opens_the_library(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    runtime = FakeRuntime(["Priya must send the budget by Friday."])  # what a model would invent
    window = open_window(runtime)
    window.nav.show_chats()
    type_and_send(qtbot, window, "Based on my meeting notes, what action items were assigned to Priya?")
    wait_done(qtbot, window)
    assert "Route: Documents" in window.route_bar.label.text()  # the router's choice, library empty
    assert runtime.seen == []  # the model never ran
    text = window.chat.toPlainText()
    assert "no documents yet" in text and "Add folder" in text and "Priya must" not in text
    store = ConversationStore(data_dir() / "conversations.sqlite3")
    try:
        stored = [(m.role, m.content) for m in store.messages(window.conversations.current_id())]
    finally:
        store.close()
    assert stored[-1] == ("assistant", NO_DOCUMENTS_REPLY) and stored[0][0] == "user"
    assert window.chat_controller.regenerate_action.isEnabled() and window.send_button.isEnabled()

    click_link(qtbot, window.chat, "action:library")
    assert window.pages.currentWidget() is window.library_view
    assert window.library_view.add_folder_button.isVisible()

    # Answered again as Documents (the person's choice), it is still the same how-to, not a guess.
    window.nav.show_chats()
    window.route_bar.rerouted.emit("documents")
    wait_done(qtbot, window)
    assert runtime.seen == [] and window.chat.toPlainText().count("no documents yet") == 1

    # Reopened later, the reply keeps its way to the Library.
    window.conversations.refresh(select=window.conversations.current_id())
    window.nav.show_chats()
    window.chat_controller.show_conversation(window.conversations.current_id())
    click_link(qtbot, window.chat, "action:library")
    assert window.pages.currentWidget() is window.library_view


def test_a_checked_answers_code_block_has_copy_code_and_the_themes_colours(qtbot: QtBot) -> None:
    """The quoted lead of a small model's answer often carries an example: it must look and copy like any code."""
    view = ChatView()
    qtbot.addWidget(view)
    view.set_dark(True)
    view.add_user_message("How do I remove a column?")
    view.begin_reply()
    answer = "> Remove a column: [1]\n> ```\n> >>> t.remove_column('c')\n> ```"
    view.append_token(answer)
    view.end_reply(complete=True, sources=(SOURCE,), claims=CLAIMS)
    shown = view.toHtml()
    assert "Copy code" in view.toPlainText()
    light = re.search(r'bgcolor="(#[0-9a-f]{6})"', markdown_to_html("```\nx\n```")).group(1)  # type: ignore[union-attr]
    assert light not in shown.lower()  # the light theme's code background, which a checked answer once kept
