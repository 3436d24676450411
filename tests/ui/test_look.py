"""How the window looks: light and dark with the system (or the person's choice), each message a block of
its own in the theme's colours, code blocks highlighted with a working Copy code link."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QTextCursor, QTextTable
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from assistant.config import load_settings
from tests.fakes import FakeRuntime
from tests.ui.conftest import OpenWindow
from tests.ui.test_chat_window import type_and_send, wait_done
from ui.chat_view import ChatView

CODE = 'def greet(name):\n    return f"Hello, {name}!"\n\nprint(greet("world"))'


def window_is_dark() -> bool:
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 100


def message_blocks(view: ChatView) -> list[tuple[str, QColor, QTextTable]]:
    """Each message's block as drawn: its text, the background of its cell, and the table that holds it."""
    found = []
    for frame in view.document().rootFrame().childFrames():
        if isinstance(frame, QTextTable):
            cell = frame.cellAt(0, 0)
            cursor = cell.firstCursorPosition()
            cursor.setPosition(cell.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
            found.append((cursor.selectedText(), cell.format().background().color(), frame))
    return found


def colour_of(view: ChatView, text: str) -> QColor:
    """The colour ``text`` (its first occurrence) is written in."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.toPlainText().index(text) + 1)
    brush = cursor.charFormat().foreground()
    return brush.color() if brush.style() != Qt.BrushStyle.NoBrush else view.palette().color(QPalette.ColorRole.Text)


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (4.5 and more: readable small text)."""

    def luminance(c: QColor) -> float:
        channels = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c.getRgbF()[:3]]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_theme_follows_the_system_until_the_person_picks_one(qtbot: QtBot, open_window: OpenWindow) -> None:
    hints = QGuiApplication.styleHints()
    window = open_window(FakeRuntime(["Hello there."]))
    type_and_send(qtbot, window, "Hi")
    wait_done(qtbot, window)
    try:
        assert window.theme.choice == "system" and not window_is_dark()
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # the system turns dark
        qtbot.waitUntil(window_is_dark, timeout=2_000)
        assert all(background.lightness() < 100 for _, background, _ in message_blocks(window.chat))  # blocks too
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)  # and light again
        qtbot.waitUntil(lambda: not window_is_dark(), timeout=2_000)

        view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
        themes = next(a.menu() for a in view.actions() if a.text() == "&Theme")
        next(a for a in themes.actions() if a.text() == "&Dark").trigger()  # the person's choice wins
        assert window_is_dark()
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert window_is_dark()
        window.close()
        assert load_settings().window["theme"] == "dark"
    finally:
        hints.colorSchemeChanged.emit(hints.colorScheme())  # what the system really says
        window.theme.choose("system")


def test_a_code_block_is_highlighted_and_copy_code_copies_exactly_the_code(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    reply = f"Here is the function:\n\n```python\n{CODE}\n```\n\nRun it with Python 3."
    window = open_window(FakeRuntime([reply]))
    type_and_send(qtbot, window, "Write a greeting function in Python")
    wait_done(qtbot, window)
    shown = window.chat.toHtml()
    keyword = re.search(r'<span style="[^"]*color:(#[0-9a-f]{6})[^"]*">def</span>', shown)
    assert keyword is not None and keyword.group(1) not in ("#000000", "#1f1f1f")  # "def" in its own colour
    links = re.findall(r'href="(copy:[^"]+)"', shown)
    assert len(links) == 1
    QGuiApplication.clipboard().setText("something else")
    window.chat.anchorClicked.emit(QUrl(links[0]))
    assert QGuiApplication.clipboard().text() == CODE


def test_a_new_conversation_offers_example_requests_that_fill_the_message_box(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window(FakeRuntime(["A heat pump moves heat."]))
    shown = window.chat.toPlainText()
    assert "Ask anything" in shown and "Your documents" in shown and "Writing" in shown
    links = re.findall(r'href="(example:\d+)"', window.chat.toHtml())
    assert len(links) >= 5
    window.chat.anchorClicked.emit(QUrl(links[0]))
    assert window.composer.toPlainText() == "Explain how a heat pump works, in three sentences."
    qtbot.keyClick(window.composer, Qt.Key.Key_Return)
    wait_done(qtbot, window)
    assert "Your documents" not in window.chat.toPlainText()  # the conversation replaces the examples
    assert "A heat pump moves heat." in window.chat.toPlainText()


def test_each_message_is_a_block_of_its_own_with_its_actions_inside_in_light_and_dark(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window(FakeRuntime(["Hello there, **friend**."]))
    type_and_send(qtbot, window, "Hi")
    wait_done(qtbot, window)
    try:
        for choice in ("light", "dark"):
            window.theme.choose(choice)
            page = QApplication.palette().color(QPalette.ColorRole.Base)
            text = QApplication.palette().color(QPalette.ColorRole.Text)
            (mine, my_colour, my_table), (reply, reply_colour, reply_table) = message_blocks(window.chat)
            # Who wrote each is written, never shown by colour alone; the reply's actions are in its block.
            assert mine.startswith("You") and "Hi" in mine
            assert reply.startswith("Assistant") and "Hello there, friend." in reply
            assert all(action in reply for action in ("Copy", "Regenerate", "Edit my message"))
            assert "Regenerate" not in mine
            # Three different colours: the page, the person's block, the reply's; each dark in the dark theme.
            assert len({page.name(), my_colour.name(), reply_colour.name()}) == 3, choice
            assert all((c.lightness() < 100) == (choice == "dark") for c in (my_colour, reply_colour))
            # The person's message to the right, the reply across the view.
            assert my_table.format().alignment() & Qt.AlignmentFlag.AlignRight
            assert not reply_table.format().alignment() & Qt.AlignmentFlag.AlignRight
            # The text and the small captions and actions stay readable on their blocks.
            for background in (my_colour, reply_colour):
                assert contrast(text, background) >= 7, choice
            assert contrast(colour_of(window.chat, "You"), my_colour) >= 4.5, choice
            assert contrast(colour_of(window.chat, "Assistant"), reply_colour) >= 4.5, choice
            assert contrast(colour_of(window.chat, "Regenerate"), reply_colour) >= 4.5, choice
    finally:
        window.theme.choose("system")
