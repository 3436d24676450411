"""Library folders kept in sync while the window is open: files created, changed, renamed and deleted on
disk are in the index within 5 s, and a burst of 500 files is indexed once each."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from assistant.library.indexer import Progress
from tests.fakes import FakeRuntime
from tests.ui.conftest import OpenWindow
from tests.ui.test_library_window import index_folder
from ui.library_worker import LibraryWorker

pytestmark = pytest.mark.integration


def indexed(data_home: Path) -> dict[str, str]:
    """What the index holds now, path -> SHA-256, read from the manifest as another reader would."""
    uri = f"file:{data_home / 'library' / 'manifest.sqlite3'}?mode=ro"
    with sqlite3.connect(uri, uri=True) as db:
        return {p: h for p, h, s in db.execute("SELECT path, sha256, status FROM files") if s == "indexed"}


def test_changes_on_disk_reach_the_index_within_seconds(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path, data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(LibraryWorker, "watch_folders", True)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "tern.md").write_text("# Terns\n\nThe arctic tern migrates about 70,000 km each year.\n")
    window = open_window(FakeRuntime(["ok"]))
    index_folder(qtbot, window, notes, "Notes")
    label = window.library_view.watch_label
    qtbot.waitUntil(lambda: label.text().startswith("Watching your folders"), timeout=5_000)

    new = notes / "sub" / "puffin.md"
    new.parent.mkdir()
    new.write_text("# Puffins\n\nPuffins nest in burrows.\n")
    qtbot.waitUntil(lambda: str(new) in indexed(data_home), timeout=5_000)
    assert label.text() == "Changes on disk picked up in Notes."
    qtbot.waitUntil(lambda: window.library_view.progress_label.text().startswith("Done"), timeout=5_000)

    before = indexed(data_home)[str(new)]
    new.write_text("# Puffins\n\nPuffins nest in burrows and eat sand eels.\n")
    qtbot.waitUntil(lambda: indexed(data_home).get(str(new)) not in (None, before), timeout=5_000)

    moved = notes / "puffins-2026.md"
    new.rename(moved)
    qtbot.waitUntil(lambda: str(moved) in indexed(data_home) and str(new) not in indexed(data_home), timeout=5_000)

    moved.unlink()
    qtbot.waitUntil(lambda: str(moved) not in indexed(data_home), timeout=5_000)
    assert set(indexed(data_home)) == {str(notes / "tern.md")}


def test_a_burst_of_500_new_files_is_indexed_once_each(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path, data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(LibraryWorker, "watch_folders", True)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "readme.txt").write_text("The inbox.")
    window = open_window(FakeRuntime(["ok"]))
    index_folder(qtbot, window, inbox, "Inbox")
    counts: Counter[str] = Counter()

    def count(progress: Progress) -> None:
        if progress.status == "indexed":
            counts[progress.path] += 1

    window.library_thread.worker.progress.connect(count)
    burst = [inbox / f"note-{i:03}.txt" for i in range(500)]
    for i, path in enumerate(burst):
        path.write_text(f"Note {i}: the meeting about topic {i} moved to room {i % 17}.")
    qtbot.waitUntil(lambda: len(indexed(data_home)) == 501, timeout=180_000)
    qtbot.waitUntil(lambda: window.library_view.progress_label.text().startswith("Done"), timeout=30_000)
    qtbot.wait(2_500)  # anything still to come from the watcher would come by now
    assert set(counts) == {str(p) for p in burst}
    assert max(counts.values()) == 1, [p for p, n in counts.items() if n > 1][:5]
