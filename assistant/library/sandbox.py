"""Parse untrusted documents in a child process with bounded time and memory.

A corrupt PDF, a zip bomb or a huge file then fails alone, with a readable reason,
instead of crashing or hanging the app. The child is long-lived and reused, so
thousands of small files stay fast; it is replaced only when it dies or overruns.
"""

from __future__ import annotations

import contextlib
import importlib
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


def _parse_one(parse: Callable[[Path], list[Section]], path: Path, memory_limit_mb: int) -> tuple[Any, ...]:
    """Runs the target on one file and turns the outcome into a reply for the parent."""
    try:
        return ("ok", parse(path))
    except AssistantError as exc:
        return ("error", str(exc), None)
    except MemoryError:
        pass  # leave the except block first, so what the parser held is freed
    except Exception as exc:  # noqa: BLE001 - any parser fault is this file's failure
        return ("error", f"{path.name} could not be read ({type(exc).__name__}: {exc}).", traceback.format_exc())
    return ("error", f"{path.name} needs more than {memory_limit_mb} MB of memory to read; it was skipped.", None)


def _child_main(conn: Connection, target: str, memory_limit_mb: int) -> None:
    """The child's loop: receive a path, parse it, send back the reply; None or EOF stops it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    _limit_resources(memory_limit_mb)
    try:
        parse = _load_target(target)
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        conn.send(("error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
        return
    conn.send(("ready",))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return  # the parent has gone
        if request is None:
            return
        path = Path(request)
        reply = _parse_one(parse, path, memory_limit_mb)
        try:
            conn.send(reply)
        except OSError:
            return
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
            conn.send(("error", f"{path.name} could not be read ({type(exc).__name__}: {exc}).", None))


class ParserSandbox:
    """Runs a document parser in a reusable child process with a time and memory budget.

    Args:
        target: the parse function as "package.module:function"; it takes a Path, returns
            a list of Section and raises AssistantError for files it cannot read.
        timeout_s: seconds one file may take before the child is killed.
        memory_limit_mb: the child's address-space limit (POSIX only).
        max_file_mb: larger files are refused without being read.

    Not for concurrent use from several threads (calls are serialised).
    """

    def __init__(
        self,
        target: str = "assistant.library.loaders:load_document",
        timeout_s: float = 60.0,
        memory_limit_mb: int = 2048,
        max_file_mb: int = 200,
    ) -> None:
        self._target = target
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

    def _exchange(self, path: Path) -> tuple[Any, ...]:
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
                return conn.recv()
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
            reply = parent_conn.recv() if ready else ("error", "it did not answer in time", None)
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
