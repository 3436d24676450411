"""The parser sandbox does not trust its child (issue 12, finding 4).

A parser taken over by a crafted file runs in the child. Each target here writes to the pipe
what such a parser could: a pickle that runs code when unpickled, a reply of the wrong shape or
types, a reply larger than the limit, a frame header announcing a terabyte. The parent must
refuse each cleanly, never run or allocate what it was sent, and read the next file in a fresh child.
And the child runs under the offline guard.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.library.documents import Section
from assistant.library.sandbox import ParserSandbox
from tests.unit.sandbox_targets import CRAFTED

TARGET = "tests.unit.sandbox_targets:parse_by_name"


@pytest.fixture
def sandbox() -> Iterator[ParserSandbox]:
    with ParserSandbox(TARGET, timeout_s=20.0, max_reply_mb=1) as made:
        yield made


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def assert_next_file_reads_in_a_fresh_child(sandbox: ParserSandbox, tmp_path: Path, old_pid: int | None) -> None:
    assert sandbox.pid is None  # the child that sent it was stopped
    result = sandbox.parse(write(tmp_path / "after.txt", "fine"))
    assert result.sections == [Section(text="fine", page=1, start=0, end=4)]
    assert sandbox.pid not in (None, old_pid)


def test_a_pickle_from_the_child_is_never_unpickled(sandbox: ParserSandbox, tmp_path: Path) -> None:
    assert sandbox.parse(write(tmp_path / "before.txt", "x")).error is None
    pid = sandbox.pid
    marker = tmp_path / "the-parent-ran-my-code"
    result = sandbox.parse(write(tmp_path / "pickle_bomb.txt", str(marker)))
    assert not marker.exists()
    assert result.sections is None
    assert result.error == (
        "pickle_bomb.txt was not read: the document reader sent a bad reply "
        "(its reply is not JSON (UnicodeDecodeError))."
    )
    assert_next_file_reads_in_a_fresh_child(sandbox, tmp_path, pid)


@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_a_reply_of_the_wrong_shape_or_types_is_refused(sandbox: ParserSandbox, tmp_path: Path, name: str) -> None:
    assert sandbox.parse(write(tmp_path / "before.txt", "x")).error is None
    pid = sandbox.pid
    result = sandbox.parse(write(tmp_path / "crafted.txt", name))
    assert result.sections is None
    assert result.error is not None
    assert result.error.startswith("crafted.txt was not read: the document reader sent a bad reply (")
    assert_next_file_reads_in_a_fresh_child(sandbox, tmp_path, pid)


def test_a_reply_over_the_size_limit_is_refused_unread(sandbox: ParserSandbox, tmp_path: Path) -> None:
    assert sandbox.parse(write(tmp_path / "before.txt", "x")).error is None
    pid = sandbox.pid
    result = sandbox.parse(write(tmp_path / "big_text.txt", ""))
    assert (
        result.error
        == "big_text.txt was not read: the document reader sent a bad reply (its reply was larger than 1 MB)."
    )
    assert_next_file_reads_in_a_fresh_child(sandbox, tmp_path, pid)


def test_a_frame_announcing_a_terabyte_is_refused_at_once(sandbox: ParserSandbox, tmp_path: Path) -> None:
    result = sandbox.parse(write(tmp_path / "huge_header.txt", ""))
    assert result.error == (
        "huge_header.txt was not read: the document reader sent a bad reply (its reply was larger than 1 MB)."
    )
    assert_next_file_reads_in_a_fresh_child(sandbox, tmp_path, None)


def test_the_child_cannot_reach_the_network(sandbox: ParserSandbox, tmp_path: Path) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        result = sandbox.parse(write(tmp_path / "connect.txt", str(listener.getsockname()[1])))
        with pytest.raises(TimeoutError):
            listener.accept()[0].close()
    assert result.sections is None
    assert result.error is not None
    assert result.error.startswith("connect.txt could not be read (NetworkBlocked: Private Assistant works offline")


def test_sections_survive_the_trip_exactly() -> None:
    from assistant.library.sandbox import ReaderReplyError, decode_reply, encode_reply

    sections = [
        Section(text="Größe 🐦\n", page=3, heading_path=("A", "B"), start=5, end=14, hidden=True),
        Section(text="", page=None),
    ]
    assert decode_reply(encode_reply(("ok", sections))) == ("ok", sections)
    assert decode_reply(encode_reply(("error", "why", None))) == ("error", "why", None)
    assert decode_reply(encode_reply(("ready",))) == ("ready",)
    with pytest.raises(ReaderReplyError, match="wrong shape"):
        decode_reply(b'["ready", 1]')
