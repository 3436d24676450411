"""Issue 12, finding 10: text the app does not control is shown as text, never as markup.

A model's name (its file name, or GGUF ``general.name``), a provider's error text and document file
names can hold HTML; shown as rich text, ``<img src="/dev/zero">`` makes Qt read /dev/zero without end.
Each check asserts the plain-text format *before* the hostile string is shown, so a regression fails
at the assertion instead of exhausting memory.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGui_Qt
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from assistant.config import load_settings, save_settings
from assistant.library.indexer import Progress
from assistant.paths import bundled_model_path
from assistant.runtime.types import RuntimeInfo
from tests.fakes import FakeRuntime
from tests.ui.conftest import OpenWindow
from tests.ui.test_library_window import index_folder

HOSTILE = '<img src="/dev/zero"> <b>x</b>'
MARKUP = "<b>bold <i>it"  # harmless markup (no slash: it is a file name too)


def shown_as(text: str) -> str:
    """What Qt shows for a tooltip (or any auto-format text): HTML when it looks like HTML."""
    if not QtGui_Qt.mightBeRichText(text):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def test_a_model_named_with_markup_shows_its_name_literally(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path
) -> None:
    model = tmp_path / f"{MARKUP}.gguf"  # the status bar names a model by its file name
    try:
        os.link(bundled_model_path(), model)
    except OSError:
        shutil.copyfile(bundled_model_path(), model)
    settings = load_settings()
    settings.model.path = str(model)
    save_settings(settings)
    window = open_window()  # the real llama.cpp runtime
    label = window.status.model_label
    qtbot.waitUntil(lambda: label.text() == f"Model: {MARKUP}", timeout=60_000)
    assert label.textFormat() == Qt.TextFormat.PlainText
    # A GGUF's general.name reaches the same label (display_name uses it for long file names).
    assert window.status.backend_label.textFormat() == Qt.TextFormat.PlainText
    window.status.show_loaded(RuntimeInfo(HOSTILE, "CPU", 0, 2048, 1))
    window.grab()  # painted as text: no image is loaded
    assert label.text() == f"Model: {HOSTILE}"


def test_a_provider_error_with_markup_is_shown_literally(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(FakeRuntime())
    window.show_error(f"The provider refused the request: {MARKUP}")
    dialog = window.error_dialog
    assert dialog is not None and dialog.textFormat() == Qt.TextFormat.PlainText
    window.show_error(f"The provider refused the request: {HOSTILE}")
    dialog = window.error_dialog
    assert dialog is not None and dialog.textFormat() == Qt.TextFormat.PlainText
    dialog.grab()
    assert dialog.text() == f"The provider refused the request: {HOSTILE}"
    dialog.accept()


def test_file_names_with_markup_show_literally_in_the_library(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    name = "<b>bold <img src=zero>.txt"
    (docs / name).write_bytes(b"")  # empty: it fails, with a reason, and the reason has a tooltip too
    (docs / "notes.txt").write_text("The lease ends in March.\n")
    window = open_window(FakeRuntime())
    view = window.library_view
    assert view.progress_label.textFormat() == Qt.TextFormat.PlainText
    index_folder(qtbot, window, docs)
    files = view.files
    cells = [(files.item(r, 0), files.item(r, 3)) for r in range(files.rowCount())]
    [(named, reason)] = [(n, why) for n, why in cells if n is not None and n.text() == name]
    assert named is not None and reason is not None
    assert shown_as(named.toolTip()) == str(docs / name)
    assert reason.text() and shown_as(reason.toolTip()) == reason.text()
    view.show_progress(Progress(done=1, total=2, path=str(docs / name), status="indexed"))
    view.grab()
    assert view.progress_label.text() == f"1 of 2: {name}"


pytestmark = pytest.mark.integration
