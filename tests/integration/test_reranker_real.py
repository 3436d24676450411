"""A multi-file reranker downloaded from a real HTTP server on 127.0.0.1: verified, found, reranking."""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from pathlib import Path

import pytest

from assistant.errors import DownloadError, ModelImportError
from assistant.library.reranker import CrossEncoderReranker, find_installed
from assistant.runtime import catalog
from assistant.runtime.download import DownloadCancelled
from assistant.runtime.fetch import download_reranker, rerankers_dir
from assistant.runtime.registry import ModelRegistry
from tests.model_server import model_server
from tests.tiny_models import tiny_cross_encoder

pytestmark = pytest.mark.integration

PINNED = "0123456789abcdef0123456789abcdef01234567"
QUESTION = "which city is the capital of france?"
PASSAGES = ["the ocean is deep.", "paris is the capital of france.", "install the python package."]


def _entry(files: list[Path]) -> catalog.CatalogModel:
    """A reranker entry pinned as the catalog pins its own: a commit, every file's size and SHA-256."""
    pinned = tuple(
        catalog.CatalogFile(f.name, f.stat().st_size, hashlib.sha256(f.read_bytes()).hexdigest()) for f in files
    )
    return dataclasses.replace(
        catalog.RERANKERS[0], id="tiny-reranker", repo="test/tiny-reranker", files=pinned, revision=PINNED
    )


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[catalog.CatalogModel, list[Path]]:
    folder = tiny_cross_encoder(tmp_path / "upstream", minimal_files=True)
    files = [folder / name for name in ("config.json", "tokenizer.json", "model.safetensors")]
    entry = _entry(files)
    monkeypatch.setattr(catalog, "RERANKERS", (entry,))
    return entry, files


def test_a_reranker_downloads_file_by_file_is_found_and_reranks(
    served: tuple[catalog.CatalogModel, list[Path]],
) -> None:
    entry, files = served
    registry = ModelRegistry()
    assert find_installed(registry.root) is None  # the app works without one: nothing found, nothing loaded
    seen: list[tuple[int, int | None]] = []
    with model_server(files) as server:
        folder = download_reranker(entry.id, progress=lambda d, t, s: seen.append((d, t)), base_url=server.url)
    assert server.requests == [f"/test/tiny-reranker/resolve/{PINNED}/{f.name}" for f in files]
    assert folder == rerankers_dir(registry) / "tiny-reranker" == find_installed(registry.root)
    assert all((folder / f.name).read_bytes() == f.read_bytes() for f in files)
    assert seen[-1] == (entry.size, entry.size)
    assert [m.id for m in registry.models()] == ["smollm2-135m-instruct"]  # not listed as a chat model
    expected = CrossEncoderReranker(files[0].parent).rerank(QUESTION, PASSAGES).scores
    assert CrossEncoderReranker(folder).rerank(QUESTION, PASSAGES).scores == pytest.approx(expected, abs=1e-6)
    with pytest.raises(Exception, match="already installed"):
        download_reranker(entry.id, base_url=server.url)


def test_a_file_whose_bytes_differ_is_refused_and_no_reranker_appears(
    served: tuple[catalog.CatalogModel, list[Path]], tmp_path: Path
) -> None:
    entry, files = served
    damaged = tmp_path / "damaged" / "model.safetensors"
    damaged.parent.mkdir()
    data = bytearray(files[2].read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte in the middle of the weights
    damaged.write_bytes(bytes(data))
    with model_server([files[0], files[1], damaged]) as server, pytest.raises(DownloadError, match="SHA-256"):
        download_reranker(entry.id, base_url=server.url)
    root = ModelRegistry().root
    assert find_installed(root) is None and not (rerankers_dir(ModelRegistry()) / entry.id).exists()


def test_a_verified_download_that_is_not_a_model_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = "<html>Sign in to continue</html>" * 50  # what a login wall looks like
    files = []
    for name in ("config.json", "tokenizer.json", "model.safetensors"):
        (tmp_path / name).write_text(page)
        files.append(tmp_path / name)
    entry = _entry(files)
    monkeypatch.setattr(catalog, "RERANKERS", (entry,))
    with model_server(files) as server, pytest.raises(ModelImportError, match="not a usable model"):
        download_reranker(entry.id, base_url=server.url)
    root = rerankers_dir(ModelRegistry())
    assert not (root / entry.id).exists() and not (root / f".{entry.id}.downloading").exists()


def test_a_cancelled_reranker_download_leaves_nothing(served: tuple[catalog.CatalogModel, list[Path]]) -> None:
    entry, files = served
    cancel = threading.Event()

    def stop_early(done: int, total: int | None, speed: float) -> None:
        if done > 0:
            cancel.set()

    with model_server(files, delay=0.01) as server, pytest.raises(DownloadCancelled):
        download_reranker(entry.id, progress=stop_early, cancel=cancel, base_url=server.url)
    root = rerankers_dir(ModelRegistry())
    assert not (root / entry.id).exists() and not (root / f".{entry.id}.downloading").exists()
    assert find_installed(ModelRegistry().root) is None
