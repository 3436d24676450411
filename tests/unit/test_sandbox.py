"""The parser sandbox: bad files fail alone, with a reason, and the reader carries on."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assistant.library.documents import Section
from assistant.library.sandbox import ParserSandbox

TARGET = "tests.unit.sandbox_targets:parse_by_name"
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and resource limits")

MakeSandbox = Callable[..., ParserSandbox]


@pytest.fixture
def make_sandbox() -> Iterator[MakeSandbox]:
    made: list[ParserSandbox] = []

    def make(target: str = TARGET, timeout_s: float = 10.0, **options: int) -> ParserSandbox:
        sandbox = ParserSandbox(target, timeout_s, **options)
        made.append(sandbox)
        return sandbox

    yield make
    for sandbox in made:
        sandbox.close()


def write(directory: Path, name: str, text: str = "hello world") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_parses(sandbox: ParserSandbox, path: Path) -> None:
    result = sandbox.parse(path)
    assert result.error is None
    text = path.read_text(encoding="utf-8")
    assert result.sections == [Section(text=text, page=1, start=0, end=len(text))]


def test_a_good_file_returns_its_sections(make_sandbox: MakeSandbox, tmp_path: Path) -> None:
    path = write(tmp_path, "notes.txt", "Some notes")
    result = make_sandbox().parse(path)
    assert result.path == str(path)
    assert result.error is None
    assert result.sections == [Section(text="Some notes", page=1, start=0, end=10)]


def test_one_child_reads_many_files(make_sandbox: MakeSandbox, tmp_path: Path) -> None:
    sandbox = make_sandbox()
    assert sandbox.pid is None  # started lazily
    pids: set[int | None] = set()
    for number in range(20):
        assert_parses(sandbox, write(tmp_path, f"file{number}.txt", f"text {number}"))
        pids.add(sandbox.pid)
    assert len(pids) == 1 and None not in pids
    assert pids != {os.getpid()}


def test_a_document_error_message_is_passed_through(make_sandbox: MakeSandbox, tmp_path: Path) -> None:
    result = make_sandbox().parse(write(tmp_path, "raise_document_error.txt"))
    assert result.sections is None
    assert result.error == "raise_document_error.txt is not a PDF file (it starts with 'GIF8'). Save it as a PDF again."


def test_an_unexpected_exception_reads_as_could_not_be_read(make_sandbox: MakeSandbox, tmp_path: Path) -> None:
    sandbox = make_sandbox()
    result = sandbox.parse(write(tmp_path, "raise_other.txt"))
    assert result.sections is None
    assert result.error == "raise_other.txt could not be read (ValueError: unexpected token at byte 17)."
    pid = sandbox.pid
    assert_parses(sandbox, write(tmp_path, "after.txt"))
    assert sandbox.pid == pid


def test_a_result_that_cannot_be_sent_back_fails_alone(make_sandbox: MakeSandbox, tmp_path: Path) -> None:
    sandbox = make_sandbox()
    result = sandbox.parse(write(tmp_path, "unpicklable.txt"))
    assert result.sections is None
    assert result.error is not None and result.error.startswith("unpicklable.txt could not be read (")
    assert_parses(sandbox, write(tmp_path, "after.txt"))


def test_a_slow_file_times_out_and_the_next_file_gets_a_fresh_child(make_sandbox: MakeSandbox, tmp_path: Path) -> None:
    sandbox = make_sandbox(timeout_s=1.5)
    assert_parses(sandbox, write(tmp_path, "before.txt"))
    first_pid = sandbox.pid
    result = sandbox.parse(write(tmp_path, "sleep_forever.txt"))
    assert result.sections is None
    assert result.error == "sleep_forever.txt took longer than 1.5 s to read; it was skipped."
    assert sandbox.pid is None
    assert_parses(sandbox, write(tmp_path, "after.txt"))
    assert sandbox.pid not in (None, first_pid)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux")
def test_a_memory_hog_fails_with_the_memory_message_and_the_next_file_reads(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    sandbox = make_sandbox(memory_limit_mb=300)
    result = sandbox.parse(write(tmp_path, "eat_memory.txt"))
    assert result.sections is None
    assert result.error == "eat_memory.txt needs more than 300 MB of memory to read; it was skipped."
    assert_parses(sandbox, write(tmp_path, "after.txt"))


@posix_only
@pytest.mark.parametrize("stem", ["segfault", "abort"])
def test_a_crashing_parser_gives_the_crash_message_and_the_next_file_reads(
    make_sandbox: MakeSandbox, tmp_path: Path, stem: str
) -> None:
    sandbox = make_sandbox()
    result = sandbox.parse(write(tmp_path, f"{stem}.txt"))
    assert result.sections is None
    assert result.error == f"{stem}.txt made the reader crash; it was skipped."
    assert sandbox.pid is None
    assert_parses(sandbox, write(tmp_path, "after.txt"))


def test_a_file_over_the_size_limit_is_refused_without_starting_the_child(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as file:
        file.truncate(350 * 1024 * 1024)  # sparse: nothing is written
    sandbox = make_sandbox(max_file_mb=1)
    result = sandbox.parse(path)
    assert result.sections is None
    assert result.error == "huge.pdf is 350 MB; files over 1 MB are not indexed. Split it or leave it out."
    assert sandbox.pid is None


def test_a_missing_file_is_reported_without_starting_the_child(make_sandbox: MakeSandbox, tmp_path: Path) -> None:
    sandbox = make_sandbox()
    result = sandbox.parse(tmp_path / "gone.txt")
    assert result.sections is None
    assert result.error is not None and result.error.startswith("gone.txt could not be opened (")
    assert sandbox.pid is None


def test_a_target_that_cannot_be_imported_fails_the_file_with_a_reason(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    sandbox = make_sandbox(target="tests.unit.no_such_module:parse")
    result = sandbox.parse(write(tmp_path, "notes.txt"))
    assert result.sections is None
    assert result.error is not None
    assert result.error.startswith("notes.txt was not read: the document reader could not start (ModuleNotFoundError")
    assert sandbox.pid is None


def test_the_child_imports_no_qt_or_heavy_libraries(make_sandbox: MakeSandbox, tmp_path: Path) -> None:
    result = make_sandbox().parse(write(tmp_path, "loaded_modules.txt"))
    assert result.sections == [Section(text="")]


@posix_only
def test_the_child_ignores_ctrl_c(make_sandbox: MakeSandbox, tmp_path: Path) -> None:
    sandbox = make_sandbox()
    assert_parses(sandbox, write(tmp_path, "before.txt"))
    pid = sandbox.pid
    assert pid is not None
    os.kill(pid, signal.SIGINT)
    assert_parses(sandbox, write(tmp_path, "after.txt"))
    assert sandbox.pid == pid


def test_close_stops_the_child_and_may_be_repeated(tmp_path: Path) -> None:
    with ParserSandbox(TARGET) as sandbox:
        assert_parses(sandbox, write(tmp_path, "notes.txt"))
        pid = sandbox.pid
        assert pid is not None
    assert sandbox.pid is None
    sandbox.close()
    assert sandbox.pid is None


@posix_only
def test_ctrl_c_while_waiting_stops_the_child_so_its_late_reply_cannot_answer_the_next_file(
    make_sandbox: MakeSandbox, tmp_path: Path
) -> None:
    sandbox = make_sandbox()
    assert_parses(sandbox, write(tmp_path, "before.txt"))
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        sandbox.parse(write(tmp_path, "sleep_forever.txt"))
    timer.join()
    assert sandbox.pid is None
    assert_parses(sandbox, write(tmp_path, "after.txt"))
