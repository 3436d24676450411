"""How the window looks: light and dark with the system (or the person's choice), code blocks highlighted
with a working Copy code link."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from assistant.config import load_settings
from tests.fakes import FakeRuntime
from tests.ui.conftest import OpenWindow
from tests.ui.test_chat_window import type_and_send, wait_done

CODE = 'def greet(name):\n    return f"Hello, {name}!"\n\nprint(greet("world"))'


def window_is_dark() -> bool:
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 100


def test_the_theme_follows_the_system_until_the_person_picks_one(qtbot: QtBot, open_window: OpenWindow) -> None:
    hints = QGuiApplication.styleHints()
    window = open_window(FakeRuntime(["Hello there."]))
    type_and_send(qtbot, window, "Hi")
    wait_done(qtbot, window)
    try:
        assert window.theme.choice == "system" and not window_is_dark()
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # the system turns dark
        qtbot.waitUntil(window_is_dark, timeout=2_000)
        assert "#7fb0ff" in window.chat.toHtml()  # "You" in a blue that reads on the dark background
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
