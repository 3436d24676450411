"""The Models window's "Search reranker" tab: list, download (from a real server on 127.0.0.1), resume, remove."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from assistant.library.library import installed_reranker
from assistant.library.reranker import find_installed
from assistant.runtime import catalog
from assistant.runtime.fetch import rerankers_dir
from assistant.runtime.registry import ModelRegistry
from tests.fakes import FakeRuntime
from tests.model_server import model_server
from tests.tiny_models import tiny_cross_encoder
from tests.ui.conftest import OpenWindow
from tests.ui.test_lang_korean_window import left_in_english
from ui.main_window import MainWindow
from ui.models_view import ModelsView

PINNED = "0123456789abcdef0123456789abcdef01234567"
NAMES = ("config.json", "tokenizer.json", "model.safetensors")


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A tiny real cross-encoder as the catalog's MiniLM is published: three files. The tokenizer is
    padded with trailing spaces (still the same JSON) so the download takes long enough to watch."""
    folder = tiny_cross_encoder(tmp_path_factory.mktemp("upstream") / "tiny", minimal_files=True)
    tokenizer = folder / "tokenizer.json"
    tokenizer.write_text(tokenizer.read_text(encoding="utf-8") + " " * 3_000_000, encoding="utf-8")
    return [folder / name for name in NAMES]


@pytest.fixture
def entry(upstream: list[Path], monkeypatch: pytest.MonkeyPatch) -> Iterator[catalog.CatalogModel]:
    """The tiny reranker pinned as the catalog pins its own, listed first in the catalog."""
    pinned = tuple(
        catalog.CatalogFile(f.name, f.stat().st_size, hashlib.sha256(f.read_bytes()).hexdigest()) for f in upstream
    )
    tiny = dataclasses.replace(
        catalog.RERANKERS[0],
        id="tiny-reranker",
        name="Tiny Reranker (English reranker)",
        repo="test/tiny-reranker",
        files=pinned,
        revision=PINNED,
    )
    monkeypatch.setattr(catalog, "RERANKERS", (tiny, *catalog.RERANKERS))
    yield tiny


def reranker_tab(window: MainWindow, server_url: str = "") -> ModelsView:
    window.models.worker.base_url = server_url or None
    view = window.models.open()
    view.tabs.setCurrentWidget(view.rerankers)
    return view


def row_of(view: ModelsView, reranker_id: str) -> int:
    return next(r for r, e in enumerate(view.rerankers.entries) if e.id == reranker_id)


def state(view: ModelsView, reranker_id: str) -> str:
    return view.rerankers.table.item(row_of(view, reranker_id), 3).text()  # type: ignore[union-attr]


def click_download(view: ModelsView, reranker_id: str) -> None:
    panel = view.rerankers
    panel.table.selectRow(row_of(view, reranker_id))
    assert panel.download_button.isEnabled()
    panel.download_button.click()
    assert panel.busy and panel.cancel_button.isEnabled() and not panel.download_button.isEnabled()
    assert not view.download_button.isEnabled()  # one download at a time, chat models included


def test_the_tab_lists_the_catalog_rerankers_with_size_use_and_state(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(FakeRuntime(["ok"]))
    view = reranker_tab(window)
    panel = view.rerankers
    assert view.tabs.tabText(view.tabs.indexOf(panel)) == "Search reranker"
    rows = [[panel.table.item(r, c).text() for c in range(4)] for r in range(panel.table.rowCount())]  # type: ignore[union-attr]
    assert rows == [
        ["MS MARCO MiniLM-L6 v2", "English documents and questions; fast on any computer", "92 MB", "Not installed"],
        [
            "BGE Reranker v2 M3",
            "Korean, English and about 100 other languages; slow without a GPU",
            "2.29 GB",
            "Not installed",
        ],
    ]
    assert "next question" in panel.note.text()
    assert not panel.download_button.isEnabled() and not panel.remove_button.isEnabled()  # nothing chosen yet
    panel.table.selectRow(1)
    assert panel.download_button.isEnabled()
    controls = [view.tabs, *panel.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)]
    assert len(controls) == 8  # the tabs; the note, table, three buttons, progress bar and status of the tab
    assert [type(w).__name__ for w in controls if not w.accessibleName()] == []


def test_a_download_shows_progress_then_installed_and_search_finds_it(
    qtbot: QtBot, open_window: OpenWindow, entry: catalog.CatalogModel, upstream: list[Path]
) -> None:
    window = open_window(FakeRuntime(["ok"]))
    assert installed_reranker() is None
    with model_server(upstream, delay=0.1) as server:
        view = reranker_tab(window, server.url)
        assert state(view, entry.id) == "Not installed"
        with qtbot.waitSignal(window.models.search_models_changed, timeout=60_000):
            click_download(view, entry.id)
            panel = view.rerankers
            qtbot.waitUntil(lambda: "MB/s" in panel.status.text() and panel.progress.value() > 100, timeout=30_000)
            assert panel.progress.isVisible() and panel.busy
            assert "Tiny Reranker" in window.models.download_status.label.text()  # the status bar too
    panel = view.rerankers
    assert not panel.busy and not panel.progress.isVisible()
    assert panel.status.text() == "Installed Tiny Reranker. Document search uses it from your next question."
    assert state(view, entry.id) == "Installed, used by search"
    assert not panel.download_button.isEnabled() and panel.remove_button.isEnabled()
    folder = rerankers_dir(ModelRegistry()) / entry.id
    assert all((folder / f.name).read_bytes() == f.read_bytes() for f in upstream)
    assert find_installed(ModelRegistry().root) == folder
    assert installed_reranker().model_path == folder  # what a library opened from now on reranks with
    assert [m.id for m in ModelRegistry().models()] == ["smollm2-135m-instruct"]  # not a chat model


def test_remove_deletes_the_reranker_folder(
    qtbot: QtBot,
    open_window: OpenWindow,
    entry: catalog.CatalogModel,
    upstream: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = rerankers_dir(ModelRegistry()) / entry.id
    folder.mkdir(parents=True)
    for file in upstream:
        (folder / file.name).write_bytes(file.read_bytes())
    window = open_window(FakeRuntime(["ok"]))
    view = reranker_tab(window)
    assert state(view, entry.id) == "Installed, used by search"
    asked: list[str] = []

    def yes(parent: object, title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    view.rerankers.table.selectRow(row_of(view, entry.id))
    with qtbot.waitSignal(window.models.search_models_changed, timeout=5_000):
        view.rerankers.remove_button.click()
    assert asked and "Tiny Reranker" in asked[0]
    assert not folder.exists() and find_installed(ModelRegistry().root) is None
    assert state(view, entry.id) == "Not installed" and view.rerankers.status.text() == "Removed Tiny Reranker."


def test_a_bad_checksum_is_a_clear_error_and_no_reranker_is_kept(
    qtbot: QtBot,
    open_window: OpenWindow,
    entry: catalog.CatalogModel,
    upstream: list[Path],
    tmp_path: Path,
) -> None:
    damaged = tmp_path / "damaged" / "model.safetensors"
    damaged.parent.mkdir()
    data = bytearray(upstream[2].read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte in the weights
    damaged.write_bytes(bytes(data))
    window = open_window(FakeRuntime(["ok"]))
    with model_server([upstream[0], upstream[1], damaged]) as server:
        view = reranker_tab(window, server.url)
        click_download(view, entry.id)
        qtbot.waitUntil(lambda: not view.rerankers.busy, timeout=60_000)
    panel = view.rerankers
    assert "does not match its SHA-256 checksum" in panel.status.text() and "try again" in panel.status.text()
    root = rerankers_dir(ModelRegistry())
    assert not (root / entry.id).exists() and find_installed(ModelRegistry().root) is None
    assert not list(root.iterdir())  # nothing of the failed try: no damaged weights, no half-done folder
    assert state(view, entry.id) == "Not installed" and panel.download_button.isEnabled()
    assert not panel.remove_button.isEnabled()


def test_cancel_stops_the_download_and_keeps_nothing(
    qtbot: QtBot, open_window: OpenWindow, entry: catalog.CatalogModel, upstream: list[Path]
) -> None:
    window = open_window(FakeRuntime(["ok"]))
    with model_server(upstream, delay=0.2) as server:
        view = reranker_tab(window, server.url)
        click_download(view, entry.id)
        qtbot.waitUntil(lambda: "MB/s" in view.rerankers.status.text(), timeout=30_000)
        view.rerankers.cancel_button.click()
        qtbot.waitUntil(lambda: not view.rerankers.busy, timeout=30_000)
    assert "cancelled" in view.rerankers.status.text()
    root = rerankers_dir(ModelRegistry())
    assert not (root / entry.id).exists() and not (root / f".{entry.id}.downloading").exists()
    assert state(view, entry.id) == "Not installed"


def test_an_interrupted_download_resumes_where_it_stopped(
    qtbot: QtBot, open_window: OpenWindow, entry: catalog.CatalogModel, upstream: list[Path], tmp_path: Path
) -> None:
    """The first half of the weights is on disk from an earlier try. The server's copy has that half
    zeroed: only a download that resumes (asks for the rest) ends with the pinned SHA-256."""
    weights = upstream[2].read_bytes()
    half = len(weights) // 2
    staging = rerankers_dir(ModelRegistry()) / f".{entry.id}.downloading"
    staging.mkdir(parents=True)
    (staging / "model.safetensors.part").write_bytes(weights[:half])
    served = tmp_path / "served" / "model.safetensors"
    served.parent.mkdir()
    served.write_bytes(bytes(half) + weights[half:])
    window = open_window(FakeRuntime(["ok"]))
    with model_server([upstream[0], upstream[1], served]) as server:
        view = reranker_tab(window, server.url)
        assert state(view, entry.id) == "Partly downloaded: Download resumes it"
        click_download(view, entry.id)
        qtbot.waitUntil(lambda: not view.rerankers.busy, timeout=60_000)
    assert state(view, entry.id) == "Installed, used by search", view.rerankers.status.text()
    assert (rerankers_dir(ModelRegistry()) / entry.id / "model.safetensors").read_bytes() == weights


def test_the_tab_is_in_korean_with_nothing_left_in_english(korean: None, qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(FakeRuntime(["ok"]))
    view = reranker_tab(window)
    assert view.tabs.tabText(view.tabs.indexOf(view.rerankers)) == "검색 리랭커"
    panel = view.rerankers
    assert panel.download_button.text() == "다운로드" and panel.table.item(0, 3).text() == "설치되지 않음"  # type: ignore[union-attr]
    assert panel.download_button.accessibleName() == "선택한 리랭커 다운로드"
    assert left_in_english(panel) == []
