"""The library view's search model: a Korean library suggests a multilingual model; choosing one re-reads
the library in the background and the window keeps answering from the old vectors until it is done.

A tiny random multilingual BERT stands in for the catalog's model (nothing is downloaded here).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from assistant.library.embedder import BUNDLED_EMBEDDER_ID
from assistant.runtime import catalog
from assistant.runtime.fetch import embedders_dir, write_pooling
from tests.fakes import FakeRuntime
from tests.tiny_models import EMBEDDER_FILES, tiny_embedder_entry, tiny_multilingual_embedder
from tests.ui.conftest import OpenWindow
from tests.ui.test_library_window import index_folder

pytestmark = pytest.mark.integration

KOREAN = {
    "archive.md": "# 아카이브\n\n아카이브를 만들려면 tar 명령을 사용합니다. 아카이브에서 파일을 꺼냅니다.\n",
    "meeting.md": "# 회의\n\n회의는 내일 오전 열 시에 시작합니다. 회의실은 삼 층에 있습니다.\n",
    "photos.md": "# 사진\n\n사진을 편집하려면 편집기를 엽니다. 밝기와 대비를 조절합니다.\n",
}


@pytest.fixture
def entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> catalog.CatalogModel:
    upstream = tiny_multilingual_embedder(tmp_path / "upstream")
    tiny = tiny_embedder_entry(upstream)
    monkeypatch.setattr(catalog, "EMBEDDERS", (tiny,))
    return tiny


def _install(entry: catalog.CatalogModel, upstream: Path) -> None:
    """As a finished download leaves it: the model's files plus the pooling files the app writes."""
    folder = embedders_dir() / entry.id
    folder.mkdir(parents=True)
    for name in EMBEDDER_FILES:
        (folder / name).write_bytes((upstream / name).read_bytes())
    write_pooling(folder, entry)


def test_a_korean_library_suggests_a_multilingual_model_and_switches_to_it(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path, entry: catalog.CatalogModel
) -> None:
    docs = tmp_path / "문서"
    docs.mkdir()
    for name, text in KOREAN.items():
        (docs / name).write_text(text, encoding="utf-8")
    window = open_window(FakeRuntime())
    index_folder(qtbot, window, docs, "한국어")
    box = window.library_view.embedder_box
    qtbot.waitUntil(lambda: box.use_button.isVisible(), timeout=10_000)
    assert "Tiny Multilingual" in box.suggestion.text() and box.use_button.text() == "Download Tiny Multilingual…"
    assert box.model.currentData() == BUNDLED_EMBEDDER_ID

    box.use_button.click()  # not downloaded yet: the Models window opens, where it is downloaded
    assert window.models.view is not None and window.models.view.isVisible()
    window.models.view.close()

    _install(entry, tmp_path / "upstream")
    worker = window.library_thread.worker
    with qtbot.waitSignal(worker.changed, timeout=30_000):
        window.library_open.emit()
    qtbot.waitUntil(lambda: box.use_button.text() == "Use Tiny Multilingual", timeout=10_000)
    assert box.model.findData(entry.repo) >= 0  # offered in the list too

    box.use_button.click()
    qtbot.waitUntil(lambda: box.model.currentData() == entry.repo and not box.use_button.isVisible(), timeout=60_000)
    qtbot.waitUntil(lambda: not box.status.isVisible(), timeout=60_000)  # the re-reading is done
    library = worker._library
    assert library.embedder.model_id == entry.repo and not library.switching
    assert library.store.count() == library.manifest.chunk_count()

    box.model.setCurrentIndex(box.model.findData(BUNDLED_EMBEDDER_ID))  # and back, by the list
    box.model.activated.emit(box.model.currentIndex())
    qtbot.waitUntil(lambda: worker._library.embedder.model_id == BUNDLED_EMBEDDER_ID, timeout=60_000)
    qtbot.waitUntil(box.use_button.isVisible, timeout=10_000)  # the suggestion comes back with the English model


def test_an_english_library_shows_no_suggestion(qtbot: QtBot, open_window: OpenWindow, tmp_path: Path) -> None:
    from tests.library_files import make_corpus

    make_corpus(tmp_path / "docs")
    window = open_window(FakeRuntime())
    index_folder(qtbot, window, tmp_path / "docs")
    box = window.library_view.embedder_box
    assert not box.use_button.isVisible() and not box.status.isVisible()
    assert box.model.currentData() == BUNDLED_EMBEDDER_ID
