"""Parse untrusted documents in a child process with bounded time and memory.

A corrupt PDF, a zip bomb or a huge file then fails alone, with a readable reason,
instead of crashing or hanging the app. The child is long-lived and reused, so
thousands of small files stay fast; it is replaced only when it dies or overruns.

The child is not trusted: a parser exploited by a crafted file runs there. It installs the
offline guard (:func:`assistant.network.install`) before it reads anything, and it answers in
JSON, never pickle: the parent reads at most ``max_reply_mb`` of it (256 MB by default, room for
about 50,000 pages of text while bounding the parent's memory; a file cannot bound it, as
compressed formats expand), checks every field's type, and replaces a child that sends
anything else.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import json
import logging
import math
import multiprocessing
import signal
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import TracebackType
from typing import Any

from assistant.errors import AssistantError
from assistant.library.documents import Section

log = logging.getLogger(__name__)

_MB = 1024 * 1024
_KILL_GRACE_S = 2.0  # between asking the child to stop and killing it
_MIN_START_S = 30.0  # a cold start may import large parsing libraries
MAX_REPLY_MB = 256  # the most of one reply (a file's text as JSON) the parent reads; see the module docstring
_SECTION_FIELDS = {"text", "page", "heading_path", "start", "end", "hidden"}


@dataclass(frozen=True)
class ParseResult:
    """What came of parsing one file.

    Attributes:
        path: the file, as given.
        sections: the document's sections, or None when it failed.
        error: a complete, readable reason for the person when it failed, else None.
    """

    path: str
    sections: list[Section] | None
    error: str | None


class _StartError(Exception):
    """The child could not be started (a program or installation fault, not the file's)."""


class ReaderReplyError(AssistantError):
    """The document reader sent something other than a well-formed reply; ``str()`` says what."""


Reply = tuple[Any, ...]  # ("ready",) | ("ok", list[Section]) | ("error", message, details or None)


def encode_reply(reply: Reply) -> bytes:
    """The child's reply as UTF-8 JSON (lone surrogates, which UTF-8 cannot hold, become "?")."""
    if reply[0] == "ok":
        sections = []
        for section in reply[1]:
            if not isinstance(section, Section):
                raise TypeError(f"the reader returned a {type(section).__name__}, not a Section")
            sections.append(dataclasses.asdict(section))
        reply = ("ok", sections)
    return json.dumps(list(reply), ensure_ascii=False).encode("utf-8", "replace")


def decode_reply(data: bytes) -> Reply:
    """Check a reply from the child, field by field, and build it; raise :class:`ReaderReplyError`."""
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ReaderReplyError(f"its reply is not JSON ({type(exc).__name__})") from None
    if not isinstance(value, list) or not value or not isinstance(value[0], str):
        raise ReaderReplyError("its reply is not a list starting with its kind")
    kind = value[0]
    if kind == "ready" and len(value) == 1:
        return ("ready",)
    if kind == "error" and len(value) == 3 and isinstance(value[1], str) and _is_optional(value[2], str):
        return ("error", value[1], value[2])
    if kind == "ok" and len(value) == 2 and isinstance(value[1], list):
        return ("ok", [_section(item, number) for number, item in enumerate(value[1], start=1)])
    raise ReaderReplyError(f"its reply of kind {kind[:20]!r} has the wrong shape")


def _is_optional(value: object, kind: type) -> bool:
    return value is None or (type(value) is kind)


def _is_count(value: object) -> bool:
    return type(value) is int and value >= 0  # not bool, which is an int to isinstance


def _section(item: object, number: int) -> Section:
    if not isinstance(item, dict) or set(item) != _SECTION_FIELDS:
        raise ReaderReplyError(f"its section {number} does not have exactly the fields of a section")
    text, page, headings = item["text"], item["page"], item["heading_path"]
    start, end, hidden = item["start"], item["end"], item["hidden"]
    if not (
        isinstance(text, str)
        and (page is None or _is_count(page))
        and isinstance(headings, list)
        and all(isinstance(h, str) for h in headings)
        and _is_count(start)
        and _is_count(end)
        and start <= end
        and isinstance(hidden, bool)
    ):
        raise ReaderReplyError(f"its section {number} has a field of the wrong type")
    return Section(text=text, page=page, heading_path=tuple(headings), start=start, end=end, hidden=hidden)


def _load_target(target: str) -> Callable[[Path], list[Section]]:
    module_name, _, name = target.partition(":")
    function: Callable[[Path], list[Section]] = getattr(importlib.import_module(module_name), name)
    return function


def _limit_resources(memory_limit_mb: int) -> None:
    """Caps the address space and disables core dumps (POSIX only; best effort)."""
    try:
        import resource
    except ImportError:  # Windows
        return
    for limit, value in ((resource.RLIMIT_CORE, 0), (resource.RLIMIT_AS, memory_limit_mb * _MB)):
        try:
            hard = resource.getrlimit(limit)[1]
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):  # e.g. macOS does not enforce RLIMIT_AS
            log.debug("Could not set resource limit %s", limit)


def _parse_one(parse: Callable[[Path], list[Section]], path: Path, memory_limit_mb: int) -> bytes:
    """Runs the target on one file and turns the outcome into a reply for the parent."""
    reply: Reply
    try:
        return encode_reply(("ok", parse(path)))
    except AssistantError as exc:
        reply = ("error", str(exc), None)
    except MemoryError:
        reply = ("error", f"{path.name} needs more than {memory_limit_mb} MB of memory to read; it was skipped.", None)
    except Exception as exc:  # noqa: BLE001 - any parser fault is this file's failure
        reply = ("error", f"{path.name} could not be read ({type(exc).__name__}: {exc}).", traceback.format_exc())
    return encode_reply(reply)


def _child_main(conn: Connection, target: str, memory_limit_mb: int) -> None:
    """The child's loop: receive a path, parse it, send back the reply; None or EOF stops it."""
    from assistant import network

    network.install()  # before any parser runs: this process reaches no network either
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    _limit_resources(memory_limit_mb)
    try:
        parse = _load_target(target)
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        conn.send_bytes(encode_reply(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc())))
        return
    conn.send_bytes(encode_reply(("ready",)))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return  # the parent has gone
        if request is None:
            return
        path = Path(request)
        try:
            conn.send_bytes(_parse_one(parse, path, memory_limit_mb))
        except OSError:
            return


class ParserSandbox:
    """Runs a document parser in a reusable child process with a time and memory budget.

    Args:
        target: the parse function as "package.module:function"; it takes a Path, returns
            a list of Section and raises AssistantError for files it cannot read.
        timeout_s: seconds one file may take before the child is killed.
        memory_limit_mb: the child's address-space limit (POSIX only).
        max_file_mb: larger files are refused without being read.
        max_reply_mb: a reply (the file's text as JSON) larger than this is refused and the
            child replaced; see the module docstring for the default.

    Not for concurrent use from several threads (calls are serialised).
    """

    def __init__(
        self,
        target: str = "assistant.library.loaders:load_document",
        timeout_s: float = 60.0,
        memory_limit_mb: int = 2048,
        max_file_mb: int = 200,
        max_reply_mb: int = MAX_REPLY_MB,
    ) -> None:
        self._target = target
        self._max_reply_mb = max_reply_mb
        self._timeout_s = timeout_s
        self._memory_limit_mb = memory_limit_mb
        self._max_file_mb = max_file_mb
        self._context = multiprocessing.get_context("spawn")  # fork would copy threads and a loaded model
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        """The child's process id, or None while no child is running."""
        return self._process.pid if self._process is not None else None

    def parse(self, path: Path) -> ParseResult:
        """Parses one file in the child.

        Args:
            path: the file to read.

        Returns:
            The sections, or a readable error when the file is too big, unreadable,
            too slow, too hungry or crashes the reader. Never raises for a bad file.
        """
        path = Path(path)
        with self._lock:
            reply = self._exchange(path)
        if reply[0] == "ok":
            return ParseResult(str(path), reply[1], None)
        _, message, details = reply
        log.warning("Could not read %s: %s%s", path, message, f"\n{details}" if details else "")
        return ParseResult(str(path), None, message)

    def close(self) -> None:
        """Stops the child, killing it if it does not stop in time. Safe to call more than once."""
        with self._lock:
            self._stop_child(graceful=True)

    def __enter__(self) -> ParserSandbox:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def _size_refusal(self, path: Path) -> str | None:
        try:
            size = path.stat().st_size
        except OSError as exc:
            return f"{path.name} could not be opened ({exc.strerror or exc})."
        if size <= self._max_file_mb * _MB:
            return None
        return (
            f"{path.name} is {math.ceil(size / _MB)} MB; files over {self._max_file_mb} MB are not indexed. "
            "Split it or leave it out."
        )

    def _receive(self, conn: Connection) -> Reply:
        """One reply from the child: at most ``max_reply_mb`` read, never unpickled, every field checked.

        Raises:
            ReaderReplyError: the reply is too large or not a well-formed reply.
            EOFError, OSError: the child has gone.
        """
        try:
            data = conn.recv_bytes(self._max_reply_mb * _MB)
        except OSError:
            if conn.readable:
                raise  # the pipe broke
            # multiprocessing stops reading a message over the limit, before reading it
            raise ReaderReplyError(f"its reply was larger than {self._max_reply_mb} MB") from None
        return decode_reply(data)

    def _exchange(self, path: Path) -> Reply:
        """Gets the child's reply for one file, or makes one up when the file is refused or the child fails."""
        refusal = self._size_refusal(path)
        if refusal is not None:
            return ("error", refusal, None)
        try:
            conn = self._send(path)
        except _StartError as exc:
            return ("error", f"{path.name} was not read: the document reader could not start ({exc}).", None)
        try:
            if conn.poll(self._timeout_s):
                return self._receive(conn)
        except ReaderReplyError as exc:
            self._stop_child()  # it may be compromised: the next file gets a fresh one
            return ("error", f"{path.name} was not read: the document reader sent a bad reply ({exc}).", None)
        except (EOFError, OSError):
            code = self._stop_child()
            return ("error", f"{path.name} made the reader crash; it was skipped.", f"exit code {code}")
        except BaseException:  # e.g. Ctrl-C while waiting: the child's late reply must not answer the next file
            self._stop_child()
            raise
        self._stop_child()
        return ("error", f"{path.name} took longer than {self._timeout_s:g} s to read; it was skipped.", None)

    def _send(self, path: Path) -> Connection:
        """Hands the path to a live child, starting one if needed (twice at most, so a child
        that died between files is not blamed on this one)."""
        for _ in range(2):
            if self._process is None or self._conn is None or not self._process.is_alive():
                self._stop_child()
                self._start()
            assert self._conn is not None
            try:
                self._conn.send(str(path))
                return self._conn
            except OSError:
                self._stop_child()
        raise _StartError("it stopped before it could take the file")

    def _start(self) -> None:
        parent_conn, child_conn = self._context.Pipe()
        process = self._context.Process(
            target=_child_main,
            args=(child_conn, self._target, self._memory_limit_mb),
            name="document-reader",
            daemon=True,  # dies with the app; a parser cannot start processes of its own
        )
        process.start()
        child_conn.close()  # so the child's death reads as EOF here
        self._process, self._conn = process, parent_conn
        try:
            ready = parent_conn.poll(max(self._timeout_s, _MIN_START_S))
            reply = self._receive(parent_conn) if ready else ("error", "it did not answer in time", None)
        except ReaderReplyError as exc:
            reply = ("error", f"it sent a bad reply ({exc})", None)
        except (EOFError, OSError):
            reply = ("error", "it crashed while starting", None)
        if reply[0] != "ready":
            self._stop_child()
            if reply[2]:
                log.error("The document reader failed to start:\n%s", reply[2])
            raise _StartError(reply[1])

    def _stop_child(self, *, graceful: bool = False) -> int | None:
        """Stops the child (asking first when graceful, then terminate, then kill); returns its exit code."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if process is None:
            return None
        if graceful and conn is not None:
            with contextlib.suppress(OSError):
                conn.send(None)
            process.join(_KILL_GRACE_S)
        for stop in (process.terminate, process.kill):
            if process.is_alive():
                stop()
                process.join(_KILL_GRACE_S)
        code = process.exitcode
        if conn is not None:
            conn.close()
        if code is not None:
            process.close()
        return code
