"""The library in the window: indexing from the view, documents questions, citations that open."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from tests.fakes import FakeRuntime
from tests.library_files import make_corpus
from tests.ui.conftest import OpenWindow
from tests.ui.test_chat_window import type_and_send, wait_done
from ui.main_window import MainWindow
from ui.source_viewer import PassageViewer, PdfViewer

pytestmark = pytest.mark.integration


def index_folder(qtbot: QtBot, window: MainWindow, folder: Path, collection: str = "Birds") -> None:
    window.nav.show_library()
    window.library_view.collection.setCurrentText(collection)
    with qtbot.waitSignal(window.library_thread.worker.synced, timeout=120_000):
        window.library_view.add_requested.emit(str(folder), collection)
    # The wait can end on the worker thread's emit, before the window has handled the queued signal.
    label = window.library_view.progress_label
    qtbot.waitUntil(lambda: label.text().startswith(("Done", "Stopped")), timeout=10_000)


def chat_over_corpus(
    qtbot: QtBot, open_window: OpenWindow, folder: Path, runtime: FakeRuntime, collection: str = "Birds"
) -> MainWindow:
    """The window with the test corpus indexed into ``collection`` and ticked under "Answer from"."""
    make_corpus(folder)
    window = open_window(runtime)
    index_folder(qtbot, window, folder, collection)
    window.nav.show_chats()
    window.answer_from.set_ticked(collection, True)
    return window


def table(window: MainWindow) -> dict[str, tuple[str, str]]:
    files = window.library_view.files
    return {
        files.item(r, 0).text(): (files.item(r, 1).text(), files.item(r, 3).text()) for r in range(files.rowCount())
    }


def test_library_view_shows_files_status_and_reasons(qtbot: QtBot, open_window: OpenWindow, tmp_path: Path) -> None:
    make_corpus(tmp_path / "docs")
    (tmp_path / "docs" / "empty.txt").write_bytes(b"")
    window = open_window(FakeRuntime())
    index_folder(qtbot, window, tmp_path / "docs")
    rows = table(window)
    assert rows["seabirds.pdf"][0] == "Indexed" and rows["bread.md"][0] == "Indexed"
    assert rows["empty.txt"][0] == "Failed" and "empty" in rows["empty.txt"][1]
    assert "4 indexed" in window.library_view.progress_label.text()
    assert window.library_view.folders.count() == 1
    assert "Birds" in [a.text() for a in window.answer_from.menu().actions()]


def test_pause_and_cancel_buttons_drive_the_indexer(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(FakeRuntime())
    view = window.library_view
    view.set_indexing(True)
    view.pause_button.click()
    assert view.control.paused.is_set() and view.pause_button.text() == "Resume"
    view.pause_button.click()
    assert not view.control.paused.is_set()
    view.cancel_button.click()
    assert view.control.cancelled.is_set()


def test_documents_question_cites_the_page_and_the_citation_opens_it(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path
) -> None:
    runtime = FakeRuntime(["About seventy thousand kilometres a year [1]."])
    window = chat_over_corpus(qtbot, open_window, tmp_path / "docs", runtime)
    type_and_send(qtbot, window, "How far does the arctic tern migrate?")
    wait_done(qtbot, window)
    assert "[1] seabirds.pdf, page 3" in window.chat.toPlainText()
    assert "seventy thousand kilometres every year" in runtime.seen[-1][-1]["content"]

    window.chat.anchorClicked.emit(QUrl("cite:1/1"))
    viewer = window.chat_controller.viewers[-1]
    assert isinstance(viewer, PdfViewer) and viewer.isVisible()
    qtbot.waitUntil(lambda: viewer.current_page() == 3, timeout=5000)

    # The choice of collections belongs to this chat and survives switching away and back.
    cid = window.conversations.current_id()
    window.conversations.new_conversation()
    assert window.answer_from.chosen() == []
    window.conversations.refresh(select=cid)
    assert window.answer_from.chosen() == ["Birds"]


def test_citation_of_a_text_file_opens_at_the_passage(qtbot: QtBot, open_window: OpenWindow, tmp_path: Path) -> None:
    window = chat_over_corpus(
        qtbot, open_window, tmp_path / "docs", FakeRuntime(["Bake it at 250 degrees [1]."]), "Kitchen"
    )
    type_and_send(qtbot, window, "At what temperature should I bake sourdough?")
    wait_done(qtbot, window)
    source = window.chat.source_at("cite:1/1")
    assert source is not None and source["path"].endswith("bread.md")
    window.chat.anchorClicked.emit(QUrl("cite:1/1"))
    viewer = window.chat_controller.viewers[-1]
    assert isinstance(viewer, PassageViewer)
    assert "250 degrees" in viewer.selected()


def test_a_question_the_documents_cannot_answer_says_so(qtbot: QtBot, open_window: OpenWindow, tmp_path: Path) -> None:
    runtime = FakeRuntime(["invented answer"])
    window = chat_over_corpus(qtbot, open_window, tmp_path / "docs", runtime)
    type_and_send(qtbot, window, "What was the closing price of the stock market on Friday?")
    wait_done(qtbot, window)
    assert "did not find the answer in your documents" in window.chat.toPlainText()
    assert "invented answer" not in window.chat.toPlainText()


class SlowReranker:
    """A cross-encoder that takes its time, batch by batch, and stops at a cancel as the real one does."""

    def __init__(self) -> None:
        import threading

        self.started = threading.Event()
        self.cancelled = False

    def rerank(self, query: str, texts: list[str], cancel: Any = None) -> Any:
        import time

        from assistant.library.reranker import RerankResult

        self.started.set()
        for _ in range(300):  # up to 30 s
            if cancel is not None and cancel.is_set():
                self.cancelled = True
                return RerankResult([], 0.0, cancelled=True)
            time.sleep(0.1)
        return RerankResult([0.0] * len(texts), 30.0)


def test_stop_while_the_search_reranks_stops_it_and_asks_nothing(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path
) -> None:
    runtime = FakeRuntime(["About seventy thousand kilometres a year [1]."])
    window = chat_over_corpus(qtbot, open_window, tmp_path / "docs", runtime)
    slow = SlowReranker()
    window.library_thread.worker._library.reranker = slow
    type_and_send(qtbot, window, "How far does the arctic tern migrate?")
    qtbot.waitUntil(slow.started.is_set, timeout=30_000)
    assert window.generating and window.stop_button.isEnabled()
    window.stop_button.click()
    qtbot.waitUntil(lambda: not window.generating, timeout=2_000)  # at once, not after the 30 s rerank
    qtbot.waitUntil(lambda: slow.cancelled, timeout=5_000)
    assert runtime.seen == []  # the model was never asked
    assert window.composer.toPlainText() == "How far does the arctic tern migrate?"  # the words are kept
    qtbot.wait(300)  # the cancelled search's results arrive, and are ignored
    assert not window.generating and runtime.seen == []
