"""The Models window's "Search model" tab: the catalog's multilingual embedders, downloaded from a real
server on 127.0.0.1, removed, and chosen for the running library.

A tiny random multilingual BERT (tests/tiny_models.py) stands in for the catalog's models: real
weights cannot be downloaded here. The library it is chosen for is the window's real one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from assistant.library import embedders
from assistant.library.embedder import BUNDLED_EMBEDDER_ID
from assistant.runtime import catalog
from assistant.runtime.fetch import download_embedder, embedders_dir
from assistant.runtime.registry import ModelRegistry
from tests.fakes import FakeRuntime
from tests.model_server import model_server
from tests.tiny_models import EMBEDDER_FILES, tiny_embedder_entry, tiny_multilingual_embedder
from tests.ui.conftest import OpenWindow
from tests.ui.test_lang_korean_window import left_in_english
from ui.main_window import MainWindow
from ui.models_view import ModelsView

pytestmark = pytest.mark.integration

PINNED = "fedcba9876543210fedcba9876543210fedcba98"


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The tiny model's files as the catalog downloads them. The tokenizer is padded with trailing
    spaces (still the same JSON) so that the download takes long enough to watch."""
    folder = tiny_multilingual_embedder(tmp_path_factory.mktemp("upstream") / "tiny-multilingual")
    tokenizer = folder / "tokenizer.json"
    tokenizer.write_text(tokenizer.read_text(encoding="utf-8") + " " * 3_000_000, encoding="utf-8")
    return [folder / name for name in EMBEDDER_FILES]


@pytest.fixture
def entry(upstream: list[Path], monkeypatch: pytest.MonkeyPatch) -> catalog.CatalogModel:
    """The tiny embedder pinned as the catalog pins its own, listed first in the catalog."""
    tiny = tiny_embedder_entry(upstream[0].parent, "Tiny Multilingual (Korean and English)", PINNED)
    assert tiny.pinned
    monkeypatch.setattr(catalog, "EMBEDDERS", (tiny, *catalog.EMBEDDERS))
    return tiny


def embedder_tab(window: MainWindow, server_url: str = "") -> ModelsView:
    window.models.worker.base_url = server_url or None
    view = window.models.open(tab="embedder")
    assert view.tabs.currentWidget() is view.embedders
    return view


def row_of(view: ModelsView, model_id: str) -> int:
    return next(r for r, e in enumerate(view.embedders.entries) if e.id == model_id)


def state(view: ModelsView, model_id: str) -> str:
    return view.embedders.table.item(row_of(view, model_id), 3).text()  # type: ignore[union-attr]


def use_button(view: ModelsView) -> QPushButton:
    """The "Use for my library" button: the Search model tab has it, the Search reranker tab does not."""
    button = view.embedders.use_button
    assert button is not None and view.rerankers.use_button is None
    return button


def install(entry: catalog.CatalogModel, upstream: list[Path]) -> Path:
    with model_server(upstream) as server:
        return download_embedder(entry.id, base_url=server.url)


def test_the_tab_lists_the_catalog_embedders_with_languages_size_and_state(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window(FakeRuntime(["ok"]))
    view = embedder_tab(window)
    panel = view.embedders
    assert view.tabs.tabText(view.tabs.indexOf(panel)) == "Search model"
    headers = [panel.table.horizontalHeaderItem(c).text() for c in range(4)]  # type: ignore[union-attr]
    assert headers == ["Name", "Good for", "Download size", "State"]
    rows = [[panel.table.item(r, c).text() for c in range(4)] for r in range(panel.table.rowCount())]  # type: ignore[union-attr]
    assert rows == [
        ["Multilingual E5 small", "Korean, Japanese, Chinese and about 90 more languages", "0.49 GB", "Not installed"],
        ["Paraphrase multilingual MiniLM-L12 v2", "50 languages", "0.48 GB", "Not installed"],
    ]
    note = panel.note.text()
    assert "by meaning" in note and "Korean" in note and "built-in one reads English" in note
    assert "background" in note and "searches keep working" in note
    buttons = (panel.download_button, panel.cancel_button, panel.remove_button, use_button(view))
    assert [b.text() for b in buttons] == ["Download", "Cancel", "Remove", "Use for my library"]
    assert not any(b.isEnabled() for b in buttons)  # nothing chosen yet
    panel.table.selectRow(0)
    assert panel.download_button.isEnabled() and not use_button(view).isEnabled()
    controls = [view.tabs, *panel.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)]
    assert len(controls) == 9  # the tabs; the note, table, four buttons, progress bar and status of the tab
    assert [type(w).__name__ for w in controls if not w.accessibleName()] == []


def test_the_library_tabs_download_suggestion_opens_this_tab_on_the_model(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window(FakeRuntime(["ok"]))
    box = window.library_view.embedder_box
    # As the library thread sends it for a Korean library read by the English model (no event is
    # handled until the click, so the library's own state cannot replace it in between).
    box.show_state(
        {
            "model": BUNDLED_EMBEDDER_ID,
            "answering": BUNDLED_EMBEDDER_ID,
            "remaining": 0,
            "suggestion": (catalog.EMBEDDERS[0].repo, catalog.EMBEDDERS[0].name, False),
        }
    )
    assert box.use_button.text().startswith("Download Multilingual E5 small")
    box.use_button.click()
    view = window.models.view
    assert view is not None and view.isVisible() and view.tabs.currentWidget() is view.embedders
    assert view.embedders.selected_id() == "multilingual-e5-small" and view.embedders.download_button.isEnabled()


def test_a_download_shows_progress_then_installed_and_the_library_switches_to_it(
    qtbot: QtBot, open_window: OpenWindow, entry: catalog.CatalogModel, upstream: list[Path]
) -> None:
    window = open_window(FakeRuntime(["ok"]))
    box = window.library_view.embedder_box
    assert embedders.installed() == []
    with model_server(upstream, delay=0.1) as server:
        view = embedder_tab(window, server.url)
        panel = view.embedders
        assert state(view, entry.id) == "Not installed"
        assert panel.table.item(row_of(view, entry.id), 1).text() == "Korean and English"  # type: ignore[union-attr]
        with qtbot.waitSignal(window.models.search_models_changed, timeout=60_000):
            panel.table.selectRow(row_of(view, entry.id))
            panel.download_button.click()
            assert panel.busy and panel.cancel_button.isEnabled() and not panel.download_button.isEnabled()
            assert not view.download_button.isEnabled() and not view.rerankers.download_button.isEnabled()
            qtbot.waitUntil(lambda: "MB/s" in panel.status.text() and panel.progress.value() > 100, timeout=30_000)
            assert panel.progress.isVisible() and not view.rerankers.progress.isVisible()
            assert "Tiny Multilingual" in window.models.download_status.label.text()  # the status bar too
    assert not panel.busy and not panel.progress.isVisible()
    assert panel.status.text().startswith("Installed Tiny Multilingual. Choose “Use for my library”")
    assert state(view, entry.id) == "Installed"
    assert not panel.download_button.isEnabled() and panel.remove_button.isEnabled()
    folder = embedders_dir() / entry.id
    assert (folder / "modules.json").is_file() and embedders.installed() == [entry]
    assert all((folder / f.name).read_bytes() == f.read_bytes() for f in upstream)
    assert [m.id for m in ModelRegistry().models()] == ["smollm2-135m-instruct"]  # not a chat model
    qtbot.waitUntil(lambda: box.model.findData(entry.repo) >= 0, timeout=30_000)  # the Library tab offers it

    worker = window.library_thread.worker
    assert worker._library.target_embedder.model_id == BUNDLED_EMBEDDER_ID
    with qtbot.waitSignal(window.models.embedder_chosen, timeout=5_000) as chosen:
        use_button(view).click()
    assert chosen.args == [entry.repo]
    assert "uses Tiny Multilingual from now on" in panel.status.text()
    qtbot.waitUntil(lambda: worker._library.target_embedder.model_id == entry.repo, timeout=60_000)
    qtbot.waitUntil(lambda: box.model.currentData() == entry.repo, timeout=30_000)


def test_remove_deletes_the_embedder_folder(
    qtbot: QtBot,
    open_window: OpenWindow,
    entry: catalog.CatalogModel,
    upstream: list[Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = install(entry, upstream)
    window = open_window(FakeRuntime(["ok"]))
    box = window.library_view.embedder_box
    qtbot.waitUntil(lambda: box.model.findData(entry.repo) >= 0, timeout=30_000)
    view = embedder_tab(window)
    assert state(view, entry.id) == "Installed"
    asked: list[str] = []

    def yes(parent: object, title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    view.embedders.table.selectRow(row_of(view, entry.id))
    with qtbot.waitSignal(window.models.search_models_changed, timeout=5_000):
        view.embedders.remove_button.click()
    assert asked and asked[0].startswith("Remove search model: Delete Tiny Multilingual")
    assert not folder.exists() and embedders.installed() == []
    assert state(view, entry.id) == "Not installed" and view.embedders.status.text() == "Removed Tiny Multilingual."
    qtbot.waitUntil(lambda: box.model.findData(entry.repo) < 0, timeout=30_000)  # no longer offered


def test_a_bad_checksum_is_a_clear_error_and_nothing_is_kept(
    qtbot: QtBot, open_window: OpenWindow, entry: catalog.CatalogModel, upstream: list[Path], tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged" / "model.safetensors"
    damaged.parent.mkdir()
    data = bytearray(upstream[-1].read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte in the weights
    damaged.write_bytes(bytes(data))
    window = open_window(FakeRuntime(["ok"]))
    with model_server([*upstream[:-1], damaged]) as server:
        view = embedder_tab(window, server.url)
        panel = view.embedders
        panel.table.selectRow(row_of(view, entry.id))
        panel.download_button.click()
        qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)
    assert "does not match its SHA-256 checksum" in panel.status.text() and "try again" in panel.status.text()
    assert not list(embedders_dir().iterdir())  # no damaged weights, no half-done folder
    assert embedders.installed() == []
    assert state(view, entry.id) == "Not installed" and panel.download_button.isEnabled()
    assert not panel.remove_button.isEnabled() and not use_button(view).isEnabled()


def test_the_tab_is_in_korean_with_nothing_left_in_english(korean: None, qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(FakeRuntime(["ok"]))
    view = embedder_tab(window)
    panel = view.embedders
    assert view.tabs.tabText(view.tabs.indexOf(panel)) == "검색 모델"
    assert use_button(view).text() == "내 라이브러리에 사용"
    assert panel.table.item(0, 1).text() == "한국어, 일본어, 중국어 및 약 90개의 다른 언어"  # type: ignore[union-attr]
    assert panel.download_button.accessibleName() == "선택한 검색 모델 다운로드"
    assert left_in_english(panel) == []
