"""The library is a page of the main area: Ctrl+2 or a drop shows it across the window, Ctrl+1 or a
conversation goes back to the chat, and the welcome page of the first launch still comes first."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from assistant.runtime import hardware
from tests.fakes import FakeRuntime
from tests.ui.conftest import OpenWindow
from tests.ui.test_accessibility import activate, drop
from tests.ui.test_chat_window import type_and_send, wait_done
from tests.ui.test_library_window import table
from tests.ui.test_welcome import LAPTOP
from ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def press(qtbot: QtBot, key: Qt.Key) -> None:
    """Ctrl+``key`` typed wherever the keyboard is, as a person does."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, CTRL)


def showing_library(window: MainWindow) -> bool:
    view = window.library_view
    return window.pages.currentWidget() is view and view.isVisible() and not window.composer.isVisible()


def showing_chat(window: MainWindow) -> bool:
    return window.pages.currentWidget() is window.chat_page and window.composer.isVisible()


def test_ctrl_2_shows_the_library_page_across_the_main_area_and_ctrl_1_goes_back_to_the_chat(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window(FakeRuntime(["hi"]))
    activate(qtbot, window)
    window.composer.setFocus()
    assert showing_chat(window) and window.nav.chats_button.isChecked()

    press(qtbot, Qt.Key.Key_2)
    view = window.library_view
    assert showing_library(window) and window.nav.library_button.isChecked()
    assert view.width() == window.pages.width() > window.conversations.width()  # the page, not the sidebar
    assert window.conversations.isVisible()  # the conversation list stays at hand
    assert view.heading.isVisible() and "Library" in view.heading.text()
    assert view.drop_hint.isVisible() and view.drop_hint.text().startswith("Drop files or folders anywhere")
    assert view.files.hasFocus()  # the keyboard is on the page it shows

    press(qtbot, Qt.Key.Key_1)
    assert showing_chat(window) and window.nav.chats_button.isChecked()
    assert window.composer.hasFocus()


def test_the_navigation_buttons_name_their_shortcuts(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(FakeRuntime(["hi"]))
    nav = window.nav
    assert [nav.chats_button.text(), nav.library_button.text()] == ["Chats", "Library"]
    assert "Ctrl+1" in nav.chats_button.toolTip() and "Ctrl+2" in nav.library_button.toolTip()
    assert nav.library_button.accessibleDescription() and nav.chats_button.accessibleDescription()
    nav.library_button.click()
    assert showing_library(window) and not nav.chats_button.isChecked()
    nav.chats_button.click()
    assert showing_chat(window) and not nav.library_button.isChecked()
    window.open_library()  # the chat's "add documents" link and the menus still open it
    assert showing_library(window)


def test_choosing_or_starting_a_conversation_goes_back_to_the_chat(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(FakeRuntime(["hi"]))
    conversations = window.conversations
    conversations.new_conversation()
    conversations.new_conversation()
    listed = conversations.list

    window.nav.show_library()
    item = listed.item(1)
    qtbot.mouseClick(listed.viewport(), Qt.MouseButton.LeftButton, pos=listed.visualItemRect(item).center())
    assert showing_chat(window) and conversations.current_id() == int(item.data(Qt.ItemDataRole.UserRole))

    window.nav.show_library()
    conversations.new_button.click()
    assert showing_chat(window)


def test_a_reply_that_ends_while_the_library_shows_leaves_the_library_in_place(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    runtime = FakeRuntime(["one two three"])
    runtime.gate = threading.Event()  # the reply waits after its first word
    window = open_window(runtime)
    type_and_send(qtbot, window, "Count to three")
    qtbot.waitUntil(lambda: "one" in window.chat.toPlainText(), timeout=10_000)
    window.nav.show_library()  # the person looks at their files meanwhile
    runtime.gate.set()
    wait_done(qtbot, window)
    assert showing_library(window)
    window.nav.show_chats()
    assert "one two three" in window.chat.toPlainText()


@pytest.mark.integration
def test_a_file_dropped_on_the_chat_shows_the_library_page_with_its_status(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path
) -> None:
    note = tmp_path / "terns.txt"
    note.write_text("The arctic tern migrates about seventy thousand kilometres every year.", encoding="utf-8")
    window = open_window(FakeRuntime(["hi"]))
    assert showing_chat(window)
    with qtbot.waitSignal(window.library_thread.worker.synced, timeout=120_000):
        drop(window, window.chat.viewport(), [note])
    assert showing_library(window)  # at once: where the progress and the file's status show
    qtbot.waitUntil(lambda: window.library_view.progress_label.text().startswith("Done"), timeout=10_000)
    assert table(window) == {"terns.txt": ("Indexed", "")}
    assert window.library_view.current_collection() == "Documents"


def test_the_welcome_page_stays_before_the_chat_until_the_person_chooses(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hardware, "machine", lambda: LAPTOP)
    window = open_window(FakeRuntime(["hi"]), welcome=True)
    assert window.welcome is not None
    page = window.welcome.page
    assert window.pages.currentWidget() is page
    window.nav.show_library()  # documents can be added while the person decides
    assert showing_library(window)
    window.nav.show_chats()
    assert window.pages.currentWidget() is page and not window.composer.isVisible()
    qtbot.waitUntil(lambda: not page.checking.isVisible(), timeout=30_000)
    page.builtin_button.click()
    assert showing_chat(window)
