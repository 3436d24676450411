"""Parse functions the sandbox tests run in the child, by name ("tests.unit.sandbox_targets:...").

``parse_by_name`` picks one by the file's stem, so one sandbox can meet every kind of
bad file in turn: ``sleep_forever.txt`` sleeps, ``segfault.txt`` crashes, anything else
parses.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import pickle
import socket
import struct
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

from assistant.errors import AssistantError
from assistant.library.documents import Section

_MB = 1024 * 1024


class FakeDocumentError(AssistantError):
    """Stands in for the loaders' DocumentError: any AssistantError is passed through."""


def parse_ok(path: Path) -> list[Section]:
    text = path.read_text(encoding="utf-8")
    return [Section(text=text, page=1, start=0, end=len(text))]


def parse_sleep_forever(path: Path) -> list[Section]:
    while True:
        time.sleep(60)


def parse_eat_memory(path: Path) -> list[Section]:
    chunks = [bytearray(10 * _MB) for _ in range(100)]  # 1 GB, in 10 MB pieces
    return [Section(text=str(len(chunks)))]


def parse_segfault(path: Path) -> list[Section]:
    ctypes.string_at(0)
    return []


def parse_abort(path: Path) -> list[Section]:
    os.abort()


def parse_raise_document_error(path: Path) -> list[Section]:
    raise FakeDocumentError(f"{path.name} is not a PDF file (it starts with 'GIF8'). Save it as a PDF again.")


def parse_raise_other(path: Path) -> list[Section]:
    raise ValueError("unexpected token at byte 17")


def parse_unpicklable(path: Path) -> list[Section]:
    return [lambda: None]  # type: ignore[list-item]


def parse_loaded_modules(path: Path) -> list[Section]:
    """Reports which heavy or GUI packages the child has imported."""
    heavy = ("PySide6", "shiboken6", "ui", "torch", "chromadb", "sentence_transformers", "pytest")
    loaded = sorted(name for name in sys.modules if name.split(".")[0] in heavy)
    return [Section(text=" ".join(loaded))]


# A parser taken over by a crafted file: it writes what it likes to the pipe to the parent.


def _pipe() -> Connection:
    """The child's end of the pipe, found the way code running in the child could find it."""
    return next(o for o in gc.get_objects() if isinstance(o, Connection) and not o.closed)


class _MakeDirectory:
    """Unpickled, it creates the folder named in the file: proof the parent ran the child's code."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.mkdir, (self.path,)


def parse_pickle_bomb(path: Path) -> list[Section]:
    """Sends a pickle that would run os.mkdir in the parent, shaped as a plain error reply."""
    marker = path.read_text(encoding="utf-8").strip()
    _pipe().send_bytes(pickle.dumps(("error", "nothing to see", _MakeDirectory(marker))))
    return []


CRAFTED: dict[str, bytes] = {
    "not_json": b"\x80\x04not json at all",
    "not_utf8": b'["error", "\xff\xfe", null]',
    "deep": b"[" * 100_000 + b"]" * 100_000,
    "unknown_kind": json.dumps(["run", "rm -rf ~"]).encode(),
    "sections_not_a_list": json.dumps(["ok", "text"]).encode(),
    "text_not_a_string": json.dumps(
        ["ok", [{"text": 5, "page": 1, "heading_path": [], "start": 0, "end": 1, "hidden": False}]]
    ).encode(),
    "page_a_bool": json.dumps(
        ["ok", [{"text": "a", "page": True, "heading_path": [], "start": 0, "end": 1, "hidden": False}]]
    ).encode(),
    "extra_field": json.dumps(
        ["ok", [{"text": "a", "page": 1, "heading_path": [], "start": 0, "end": 1, "hidden": False, "x": 1}]]
    ).encode(),
    "headings_not_strings": json.dumps(
        ["ok", [{"text": "a", "page": None, "heading_path": [1], "start": 0, "end": 1, "hidden": False}]]
    ).encode(),
    "negative_offset": json.dumps(
        ["ok", [{"text": "a", "page": None, "heading_path": [], "start": -1, "end": 1, "hidden": False}]]
    ).encode(),
    "error_without_details": json.dumps(["error", "only a message"]).encode(),
}


def parse_crafted(path: Path) -> list[Section]:
    """Sends the crafted reply named in the file instead of a real one."""
    _pipe().send_bytes(CRAFTED[path.read_text(encoding="utf-8").strip()])
    return []


def parse_huge_header(path: Path) -> list[Section]:
    """Announces a 1 TB reply (multiprocessing's framing: -1, then the 8-byte length) and dies."""
    os.write(_pipe().fileno(), struct.pack("!i", -1) + struct.pack("!Q", 1 << 40))
    os._exit(0)


def parse_big_text(path: Path) -> list[Section]:
    """A well-formed reply with 2 MB of text."""
    return [Section(text="x" * (2 * _MB), page=1, start=0, end=2 * _MB)]


def parse_connect(path: Path) -> list[Section]:
    """Tries to reach the loopback port named in the file."""
    with socket.create_connection(("127.0.0.1", int(path.read_text(encoding="utf-8"))), timeout=5):
        return [Section(text="connected")]


def parse_by_name(path: Path) -> list[Section]:
    parse = globals().get(f"parse_{path.stem}", parse_ok)
    return parse(path)
