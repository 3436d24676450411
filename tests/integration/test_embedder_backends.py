"""The bundled embedder's two backends: torch (sentence-transformers) and its int8 ONNX export.

Real bundled weights, a real export made once into a temp data folder, real passages.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant.library import embedder_onnx
from assistant.library.embedder import Embedder, bundled_embedder_path, gpu_likely

pytestmark = pytest.mark.integration

PASSAGES = [
    "tar: archiving utility. Extract a compressed archive into the current directory: tar xf source.tar.gz",
    "gzip: compress or decompress files. Decompress a file, replacing it with the original: gzip -d file.gz",
    "ssh: secure shell client. Connect to a remote server on a specific port: ssh -p 2222 user@host",
    "scp: secure copy. Copy a local file to a remote host over SSH: scp path/to/file user@host:path",
    "git commit: commit files to the repository. Commit staged files with a message: git commit -m 'message'",
    "git log: show a history of commits. Show the last three commits in one line each: git log -3 --oneline",
    "docker run: run a command in a new container from an image, in the background: docker run -d image",
    "ping: send ICMP echo requests to network hosts to check that they are reachable.",
    "cron: a daemon that runs scheduled commands; edit the schedule with crontab -e.",
    "python: the Python language interpreter. Start an interactive shell: python",
    "pip: the Python package manager. Install a package from the package index: pip install package",
    "grep: find patterns in files using regular expressions, recursively: grep -r pattern folder",
    "find: find files or folders under a directory tree by name: find root -name '*.ext'",
    "chmod: change the access permissions of a file or folder: chmod u+x script.sh",
    "df: display an overview of the filesystem disk space usage, in human-readable units: df -h",
    "du: disk usage: estimate and summarize file and folder space use: du -sh folder",
    "ffmpeg: video conversion tool. Extract the sound from a video and save it as MP3.",
    "curl: transfers data from or to a server. Download the contents of a URL to a file: curl -O url",
    "The arctic tern migrates about seventy thousand kilometres every year between the poles.",
    "Puffins nest in burrows on grassy cliff tops and carry several fish crosswise in their beaks.",
]
QUERIES = [
    "how do I unpack a tarball",
    "log in to another machine",
    "copy a file to a server",
    "save my changes in git",
    "which bird flies furthest",
    "how much disk space is free",
    "install a python library",
    "search text inside files",
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data folder holding the export, made once for this module."""
    home = tmp_path_factory.mktemp("onnx-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PRIVATE_ASSISTANT_HOME", str(home))
        assert Embedder(backend="onnx").prepare_onnx()
    yield home


@pytest.fixture(autouse=True)
def cpu_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a machine without a GPU, where ``auto`` prefers the export (with a GPU it keeps torch)."""
    monkeypatch.setattr("assistant.library.embedder.gpu_likely", lambda: False)


def _top5(vectors: np.ndarray, queries: np.ndarray) -> list[list[int]]:
    return [list(np.argsort(-(vectors @ q))[:5]) for q in queries]


def test_the_onnx_backend_finds_the_same_top_five_as_torch(exported: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRIVATE_ASSISTANT_HOME", str(exported))
    torch_side, onnx_side = Embedder(backend="torch"), Embedder()
    torch_passages, torch_queries = np.array(torch_side.embed(PASSAGES)), np.array(torch_side.embed(QUERIES))
    onnx_passages, onnx_queries = np.array(onnx_side.embed(PASSAGES)), np.array(onnx_side.embed(QUERIES))
    assert (torch_side.backend, onnx_side.backend) == ("torch", "onnx")
    assert onnx_side.model_id == torch_side.model_id  # the same vectors' id: no re-embedding
    cosines = np.sum(torch_passages * onnx_passages, axis=1)
    assert cosines.min() >= 0.98
    scores_torch = torch_queries @ torch_passages.T
    scores_onnx = onnx_queries @ onnx_passages.T
    for row, (expected, got) in enumerate(
        zip(_top5(torch_passages, torch_queries), _top5(onnx_passages, onnx_queries), strict=True)
    ):
        # the same passages in the same order, but for near ties: at each rank, torch scores the two alike
        gaps = np.abs(scores_torch[row, got] - scores_torch[row, expected])
        assert gaps.max() < 0.02, (QUERIES[row], expected, got)
    assert np.abs(scores_torch - scores_onnx).max() < 0.05
    assert onnx_side.count_tokens_many(PASSAGES) == torch_side.count_tokens_many(PASSAGES)
    assert (onnx_side.dimension, onnx_side.max_tokens) == (torch_side.dimension, torch_side.max_tokens)


def test_a_missing_export_falls_back_to_torch_with_a_notice(caplog: pytest.LogCaptureFixture) -> None:
    embedder = Embedder()
    with caplog.at_level(logging.INFO, logger="assistant.library.embedder"):
        (vector,) = embedder.embed(["how do I unpack a tarball"])
    assert len(vector) == 384
    assert embedder.backend == "torch"
    assert "has not been made yet" in embedder.notice
    assert embedder.notice in caplog.text


def test_a_broken_export_falls_back_to_torch_until_it_is_made_again(
    exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRIVATE_ASSISTANT_HOME", str(exported))
    source = embedder_onnx.export_dir(bundled_embedder_path())
    monkeypatch.setenv("PRIVATE_ASSISTANT_HOME", str(tmp_path / "home"))
    target = embedder_onnx.export_dir(bundled_embedder_path())
    target.mkdir(parents=True)
    for name in ("tokenizer.json", "embedder.json"):
        (target / name).write_bytes((source / name).read_bytes())
    (target / embedder_onnx.ONNX_FILE).write_bytes(b"not an onnx model")
    embedder = Embedder()
    embedder.embed(["a question"])
    assert embedder.backend == "torch"
    assert "could not be loaded" in embedder.notice
    abandoned = target.parent / ".export-cut-off"  # the app quit during an earlier export: 100+ MB left
    running = target.parent / ".export-running"  # another process exporting now
    for folder in (abandoned, running):
        folder.mkdir()
        (folder / "model.onnx").write_bytes(b"partial")
    two_hours_ago = time.time() - 7200
    os.utime(abandoned, (two_hours_ago, two_hours_ago))
    assert Embedder().prepare_onnx()  # the next index makes it again
    assert not abandoned.exists() and running.exists()
    repaired = Embedder()
    repaired.embed(["a question"])
    assert repaired.backend == "onnx"


def test_the_export_is_written_whole_or_not_at_all(exported: Path) -> None:
    root = exported / "cache" / "embedder-onnx"
    folders = list(root.iterdir())
    assert [f.name.startswith(".export-") for f in folders] == [False]  # no temp folder left behind
    assert sorted(p.name for p in folders[0].iterdir()) == ["embedder.json", "model_qint8.onnx", "tokenizer.json"]


def test_the_export_runs_attention_fused_and_in_int8(exported: Path) -> None:
    """The faster graph: onnxruntime's fused BERT ops with int8 weights, not the traced softmax and matmuls."""
    import onnx

    (folder,) = (exported / "cache" / "embedder-onnx").iterdir()
    ops = {node.op_type for node in onnx.load(str(folder / embedder_onnx.ONNX_FILE)).graph.node}
    assert {"QAttention", "SkipLayerNormalization", "EmbedLayerNormalization", "BiasGelu"} <= ops
    assert not ops & {"Softmax", "Erf", "LayerNormalization"}
    # the optimizer's folder was put on sys.path for its own flat imports, and taken off again
    assert not [p for p in sys.path if Path(p).parts[-2:] == ("onnxruntime", "transformers")]


def test_without_the_graph_optimizer_the_export_still_works_unfused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(sys, "path", [*sys.path])  # the import below may add the optimizer's folder
    import onnxruntime.transformers.optimizer as optimizer  # type: ignore[import-untyped]

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("an optimizer from another onnxruntime")

    monkeypatch.setattr(optimizer, "optimize_model", broken)
    monkeypatch.setenv("PRIVATE_ASSISTANT_HOME", str(tmp_path / "home"))
    with caplog.at_level(logging.WARNING, logger="assistant.library.embedder_onnx"):
        assert Embedder().prepare_onnx()
    assert "could not fuse" in caplog.text
    onnx_side = Embedder()
    vectors = np.array(onnx_side.embed(PASSAGES[:4]))
    assert onnx_side.backend == "onnx"
    reference = np.array(Embedder(backend="torch").embed(PASSAGES[:4]))
    assert np.sum(vectors * reference, axis=1).min() >= 0.98


@pytest.mark.skipif(gpu_likely(), reason="with a GPU the commands embed on torch")
def test_ask_retrieve_only_with_the_export_never_imports_torch(tmp_path: Path) -> None:
    """`index` makes the export; `ask --retrieve-only` then loads neither torch nor the chat model."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for number, text in enumerate(PASSAGES):
        (folder / f"page{number}.txt").write_text(text + "\n")
    home = tmp_path / "home"
    env = {"PRIVATE_ASSISTANT_HOME": str(home), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    index = subprocess.run(
        [sys.executable, "-m", "assistant", "index", str(folder)], env=env, capture_output=True, text=True
    )
    assert index.returncode == 0, index.stderr
    assert list((home / "cache" / "embedder-onnx").glob(f"*/{embedder_onnx.ONNX_FILE}"))
    probe = (
        "import sys; from assistant.cli import main; code = main(sys.argv[1:]); "
        "heavy = sorted(m for m in ('torch', 'sentence_transformers', 'transformers', 'llama_cpp', 'PySide6', "
        "'assistant.agents.qa') if m in sys.modules); print(heavy); sys.exit(code)"
    )
    ask = subprocess.run(
        [sys.executable, "-c", probe, "ask", "--retrieve-only", "--json", "how do I unpack a tarball"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert ask.returncode == 0, ask.stderr
    lines = ask.stdout.strip().splitlines()
    assert lines[-1] == "[]"
    assert str(folder / "page0.txt") in lines[0]  # the tar page, among the passages found


def test_a_window_already_on_torch_switches_to_the_int8_copy_once_it_is_made(
    exported: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PRIVATE_ASSISTANT_HOME", str(tmp_path / "fresh"))  # no copy yet: torch
    embedder = Embedder()
    before = embedder.embed(QUERIES[:2])
    assert embedder.backend == "torch" and "not been made" in embedder.notice
    monkeypatch.setenv("PRIVATE_ASSISTANT_HOME", str(exported))  # the copy now exists (made before indexing)
    assert embedder.prepare_onnx()
    after = embedder.embed(QUERIES[:2])
    assert embedder.backend == "onnx" and embedder.notice == ""
    assert all(float(np.dot(a, b)) > 0.98 for a, b in zip(before, after, strict=True))
