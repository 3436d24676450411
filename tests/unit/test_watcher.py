"""The folder watcher with real watchdog on a real folder: changes arrive as debounced batches."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.library.watcher import FolderWatcher, collections_for, relevant


class Batches:
    def __init__(self) -> None:
        self.batches: list[set[str]] = []
        self.arrived = threading.Event()
        self.lock = threading.Lock()

    def __call__(self, batch: set[str]) -> None:
        with self.lock:
            self.batches.append(batch)
        self.arrived.set()

    def next(self, timeout: float = 5.0) -> set[str]:
        assert self.arrived.wait(timeout), "no batch within 5 s"
        time.sleep(0.3)  # a batch may be followed by a straggler event of the same change
        with self.lock:
            merged = set().union(*self.batches)
            self.batches.clear()
            self.arrived.clear()
        return merged


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[FolderWatcher, Batches, Path]]:
    folder = tmp_path / "notes"
    (folder / "sub").mkdir(parents=True)
    batches = Batches()
    watcher = FolderWatcher(batches, quiet=0.3, longest=2.0, saving_power=lambda: False)
    watcher.watch([folder])
    yield watcher, batches, folder
    watcher.stop()


def test_create_modify_rename_and_delete_each_arrive_within_seconds(
    watched: tuple[FolderWatcher, Batches, Path],
) -> None:
    _, batches, folder = watched
    note = folder / "sub" / "plan.md"
    note.write_text("# Plan\n")
    assert str(note) in batches.next()
    with note.open("a") as out:
        out.write("More.\n")
    assert str(note) in batches.next()
    renamed = folder / "plan-2026.md"
    note.rename(renamed)
    assert {str(note), str(renamed)} <= batches.next()  # both ends of a move
    renamed.unlink()
    assert str(renamed) in batches.next()


def test_a_burst_comes_as_one_batch_and_temporary_files_are_ignored(
    watched: tuple[FolderWatcher, Batches, Path],
) -> None:
    _, batches, folder = watched
    for i in range(200):
        (folder / f"page{i}.txt").write_text(f"page {i}")
    (folder / "draft.md.swp").write_text("editor state")
    (folder / ".hidden.md").write_text("hidden")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8")
    batch = batches.next()
    assert {str(folder / f"page{i}.txt") for i in range(200)} <= batch
    assert not {p for p in batch if p.endswith((".swp", ".jpg")) or "/." in p}
    assert len(batches.batches) == 0


def test_a_single_added_file_is_watched_but_not_its_neighbours(tmp_path: Path) -> None:
    (tmp_path / "report.md").write_text("v1")
    batches = Batches()
    watcher = FolderWatcher(batches, quiet=0.3, saving_power=lambda: False)
    try:
        watcher.watch([tmp_path / "report.md"])
        (tmp_path / "neighbour.md").write_text("not in the library")
        (tmp_path / "report.md").write_text("v2")
        assert batches.next() == {str(tmp_path / "report.md")}
    finally:
        watcher.stop()


def test_battery_saver_holds_batches_until_it_is_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import assistant.library.watcher as module

    monkeypatch.setattr(module, "BATTERY_RECHECK_SECONDS", 0.2)
    saving = threading.Event()
    saving.set()
    batches = Batches()
    watcher = FolderWatcher(batches, quiet=0.2, saving_power=saving.is_set)
    try:
        watcher.watch([tmp_path])
        (tmp_path / "a.md").write_text("x")
        assert not batches.arrived.wait(1.5)
        assert watcher.paused_for_power
        saving.clear()
        assert str(tmp_path / "a.md") in batches.next()
        assert not watcher.paused_for_power
    finally:
        watcher.stop()


def test_which_changes_count_and_which_collections_they_touch() -> None:
    assert relevant("/n/a.md", False) and relevant("/n/folder", True)
    assert not relevant("/n/~$report.docx", False) and not relevant("/n/a.md~", False)
    assert not relevant("/n/a.jpg", False) and not relevant("/n/.git", True)
    folders = [("/home/me/notes", "Notes"), ("/home/me/work", "Work"), ("/home/me/work/old.pdf", "Archive")]
    assert collections_for(["/home/me/notes/x/y.md"], folders) == ["Notes"]
    assert collections_for(["/home/me/work/old.pdf"], folders) == ["Work", "Archive"]
    assert collections_for(["/home/me/notes-old/y.md", os.sep], folders) == []
