"""A first launch makes the embedder's int8 copy in a child process, so later launches never import torch.

The copy used to be made only before the first indexing: a person who only chatted loaded torch on
every launch (seconds of start-up, stalls of the GUI thread while it imported) for the router alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from assistant.library import embedder_onnx
from assistant.library.embedder import Embedder, bundled_embedder_path, onnx_importable
from tests.fakes import FakeRuntime
from tests.ui.conftest import OpenWindow
from ui import library_worker
from ui.library_worker import LibraryWorker

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not onnx_importable(), reason="onnxruntime is not installed"),
]


def test_the_first_launch_makes_the_int8_copy_and_the_next_launch_loads_it(
    qtbot: QtBot, open_window: OpenWindow, data_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not embedder_onnx.is_exported(bundled_embedder_path())  # a fresh data folder: a first launch
    first = Embedder()
    first.embed(["warm"])  # as the router's warm-up loads it: no copy yet, so torch
    assert first.backend == "torch"
    monkeypatch.setattr(library_worker, "shared_embedder", lambda: first)
    monkeypatch.setattr(LibraryWorker, "make_fast_copy", True)

    def not_here(*args: object) -> None:
        raise AssertionError("exported in the window's process: torch would hold its GIL for seconds")

    monkeypatch.setattr(embedder_onnx, "_export_into", not_here)  # a spawned child does not see this

    window = open_window(FakeRuntime(["ok"]))
    qtbot.waitUntil(lambda: first.backend != "torch", timeout=180_000)  # made, and the embedder switched
    assert embedder_onnx.is_exported(bundled_embedder_path())
    window.composer.setPlainText("Hello")
    window.composer.submit()  # the router embeds on the new copy meanwhile
    qtbot.waitUntil(lambda: not window.generating, timeout=30_000)
    assert first.embed(["after"]) and first.backend == "onnx"  # the switch loads the copy on the next use

    later = Embedder()  # the next launch, on the same data folder
    later.embed(["warm"])
    assert later.backend == "onnx"
