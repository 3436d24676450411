"""Parse functions the sandbox tests run in the child, by name ("tests.unit.sandbox_targets:...").

``parse_by_name`` picks one by the file's stem, so one sandbox can meet every kind of
bad file in turn: ``sleep_forever.txt`` sleeps, ``segfault.txt`` crashes, anything else
parses.
"""

from __future__ import annotations

import ctypes
import os
import sys
import time
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


def parse_by_name(path: Path) -> list[Section]:
    parse = globals().get(f"parse_{path.stem}", parse_ok)
    return parse(path)
