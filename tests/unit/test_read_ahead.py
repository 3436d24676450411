"""The indexer parses and chunks the next files while the current batch is embedded."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest

from assistant.library import indexer
from assistant.library.indexer import SyncControl, _read_ahead

STAT = os.stat(__file__)


class Sandbox:
    """Stands in for the parser's child process: records whether it was closed."""

    closed = threading.Event()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: Any) -> None:
        Sandbox.closed.set()


def todo(count: int) -> list[tuple[str, str, os.stat_result]]:
    return [(f"/docs/{n}.md", "default", STAT) for n in range(count)]


@pytest.fixture(autouse=True)
def fresh() -> None:
    Sandbox.closed.clear()


def test_the_next_file_is_read_while_the_caller_works_on_this_one() -> None:
    started: list[str] = []
    second_read = threading.Event()

    def prepare(sandbox: Any, path: str, owner: str, stat: os.stat_result) -> str:
        started.append(path)
        if len(started) == 2:
            second_read.set()
        return f"read {path}"

    items = _read_ahead(todo(3), SyncControl(), prepare, Sandbox)  # type: ignore[arg-type]
    first = next(items)
    # The caller is still "embedding" the first file: the reader goes on without it.
    assert second_read.wait(5), "the second file was not read while the first was in the caller's hands"
    rest = list(items)
    assert [item[0] for item in [first, *rest]] == ["/docs/0.md", "/docs/1.md", "/docs/2.md"]
    assert [item[3] for item in rest] == ["read /docs/1.md", "read /docs/2.md"]
    assert Sandbox.closed.is_set()


def test_a_caller_that_stops_early_stops_the_reader_and_closes_the_sandbox() -> None:
    read: list[str] = []

    def prepare(sandbox: Any, path: str, owner: str, stat: os.stat_result) -> str:
        read.append(path)
        return ""

    items = _read_ahead(todo(100), SyncControl(), prepare, Sandbox)  # type: ignore[arg-type]
    next(items)
    items.close()  # the sync was cancelled, or its consumer left
    assert Sandbox.closed.is_set()
    assert len(read) <= indexer.READ_AHEAD + 2  # never the whole folder


def test_a_cancel_stops_reading_and_a_pause_holds_it() -> None:
    control = SyncControl()
    read: list[str] = []

    def prepare(sandbox: Any, path: str, owner: str, stat: os.stat_result) -> str:
        read.append(path)
        if len(read) == 2:
            control.paused.set()
        return ""

    items = _read_ahead(todo(50), control, prepare, Sandbox)  # type: ignore[arg-type]
    timer = threading.Timer(0.5, control.stop)
    timer.start()
    got = list(items)  # the pause holds both threads until the cancel
    timer.join()
    assert len(got) <= 2 and len(read) == 2
    assert Sandbox.closed.is_set()


def test_a_failure_while_reading_reaches_the_caller() -> None:
    def prepare(sandbox: Any, path: str, owner: str, stat: os.stat_result) -> str:
        if path.endswith("1.md"):
            raise OSError("the disk went away")
        return ""

    items = _read_ahead(todo(5), SyncControl(), prepare, Sandbox)  # type: ignore[arg-type]
    assert next(items)[0] == "/docs/0.md"
    with pytest.raises(OSError, match="disk went away"):
        next(items)
    assert Sandbox.closed.wait(5)


def test_a_caller_that_leaves_while_paused_is_not_held_until_resume() -> None:
    control = SyncControl()
    items = _read_ahead(todo(20), control, lambda *a: "", Sandbox)  # type: ignore[arg-type]
    next(items)
    control.paused.set()  # the person pressed Pause; then the sync ends (an error while writing, say)
    leaving = threading.Thread(target=items.close)
    leaving.start()
    leaving.join(5)
    held = leaving.is_alive()
    control.stop()  # release it either way, so a failure does not hang the run
    leaving.join(5)
    assert not held, "the library thread waited for Resume to leave a sync"
    assert Sandbox.closed.is_set()
