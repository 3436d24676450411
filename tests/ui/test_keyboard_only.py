"""The window by keyboard alone (no mouse event): send a message, stop a reply, open a citation, and open
the approval dialog of a cloud request."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from assistant.config import CloudSettings, load_settings, save_settings
from tests.fakes import FakeRuntime
from tests.ui.conftest import OpenWindow
from tests.ui.test_accessibility import activate
from tests.ui.test_chat_window import wait_done
from tests.ui.test_library_window import chat_over_corpus
from ui.approval_dialog import ApprovalDialog
from ui.source_viewer import PdfViewer

pytestmark = pytest.mark.integration


def keys(qtbot: QtBot, text: str = "", key: Qt.Key | None = None, modifiers: Qt.KeyboardModifier | None = None) -> None:
    """Typed into whatever has the keyboard focus, as a person's keyboard does."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    if text:
        qtbot.keyClicks(target, text)
    if key is not None:
        qtbot.keyClick(target, key, modifiers or Qt.KeyboardModifier.NoModifier)


def test_send_stop_open_a_citation_and_the_approval_dialog_by_keyboard(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path
) -> None:
    settings = load_settings()  # a provider is set up (nothing is sent: only the dialog opens)
    settings.cloud = CloudSettings(enabled=True, name="Test", base_url="https://cloud.example/v1", model="m")
    save_settings(settings)
    runtime = FakeRuntime(["About seventy thousand kilometres a year [1].", "one two three four five six"])
    window = chat_over_corpus(qtbot, open_window, tmp_path / "docs", runtime)
    activate(qtbot, window)

    keys(qtbot, key=Qt.Key.Key_L, modifiers=Qt.KeyboardModifier.ControlModifier)  # to the message box
    assert QApplication.focusWidget() is window.composer
    keys(qtbot, "How far does the arctic tern migrate?", Qt.Key.Key_Return)
    wait_done(qtbot, window)
    assert "[1] seabirds.pdf, page 3" in window.chat.toPlainText()

    runtime.gate = threading.Event()  # the next reply waits after its first word
    keys(qtbot, "Count to six", Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "one" in window.chat.toPlainText(), timeout=10_000)
    keys(qtbot, key=Qt.Key.Key_Escape)  # stops it
    runtime.gate.set()
    wait_done(qtbot, window)
    assert "(stopped)" in window.chat.toPlainText() and "one two" not in window.chat.toPlainText()

    for _ in range(12):  # back from the message box to the conversation
        keys(qtbot, key=Qt.Key.Key_Backtab)
        if QApplication.focusWidget() is window.chat:
            break
    assert QApplication.focusWidget() is window.chat
    for _ in range(20):  # through the conversation's links to the first citation
        keys(qtbot, key=Qt.Key.Key_Tab)
        if window.chat.textCursor().charFormat().anchorHref().startswith("cite:"):
            break
    assert window.chat.textCursor().charFormat().anchorHref().startswith("cite:")
    keys(qtbot, key=Qt.Key.Key_Return)
    viewer = window.chat_controller.viewers[-1]
    assert isinstance(viewer, PdfViewer)
    qtbot.waitUntil(lambda: viewer.current_page() == 3, timeout=5_000)
    viewer.close()

    activate(qtbot, window)
    keys(qtbot, key=Qt.Key.Key_E, modifiers=Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.escalation.dialog is not None and window.escalation.dialog.isVisible())
    dialog = window.escalation.dialog
    assert isinstance(dialog, ApprovalDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)  # the keyboard is in the dialog
    keys(qtbot, key=Qt.Key.Key_Escape)  # Esc denies: nothing is sent
    qtbot.waitUntil(lambda: not dialog.isVisible())
