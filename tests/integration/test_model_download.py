"""Downloading a catalog model from a real HTTP server on 127.0.0.1 at its pinned revision, then chatting with it."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import threading
from pathlib import Path

import pytest

from assistant.config import ModelSettings
from assistant.errors import AssistantError, DownloadError
from assistant.paths import bundled_model_path
from assistant.runtime import catalog
from assistant.runtime.download import DownloadCancelled
from assistant.runtime.fetch import download_model, staging_dir
from assistant.runtime.llama import LlamaRuntime
from assistant.runtime.registry import ModelRegistry
from tests.model_server import model_server, served_model

pytestmark = pytest.mark.integration


@pytest.fixture
def served_entry(monkeypatch: pytest.MonkeyPatch) -> catalog.CatalogModel:
    entry = served_model(bundled_model_path().stat().st_size)
    monkeypatch.setattr(catalog, "CATALOG", (*catalog.CATALOG, entry))
    return entry


def test_a_downloaded_model_is_checked_listed_and_chats(served_entry: catalog.CatalogModel) -> None:
    seen: list[tuple[int, int | None]] = []
    with model_server([bundled_model_path()]) as server:
        model = download_model(served_entry.id, progress=lambda d, t, s: seen.append((d, t)), base_url=server.url)
    assert server.requests == ["/test/SmolLM2-GGUF/resolve/main/SmolLM2-135M-Instruct.Q4_1.gguf"]
    assert model.source == "downloaded" and model.name == "Test SmolLM2" and model.license == "apache-2.0"
    assert Path(model.path).read_bytes() == bundled_model_path().read_bytes()
    assert seen[-1] == (served_entry.size, served_entry.size)
    assert [m.id for m in ModelRegistry().models()][-1] == "test-smollm2"
    runtime = LlamaRuntime(Path(model.path), ModelSettings(max_tokens=8))
    assert "".join(runtime.stream([{"role": "user", "content": "Hello"}])).strip()
    runtime.close()
    with pytest.raises(Exception, match="already installed"):
        download_model(served_entry.id, base_url=server.url)


def test_a_cancelled_download_leaves_no_file(served_entry: catalog.CatalogModel) -> None:
    cancel = threading.Event()

    def stop_half_way(done: int, total: int | None, speed: float) -> None:
        if done > served_entry.size // 4:
            cancel.set()

    with model_server([bundled_model_path()], delay=0.01) as server, pytest.raises(DownloadCancelled):
        download_model(served_entry.id, progress=stop_half_way, cancel=cancel, base_url=server.url)
    registry = ModelRegistry()
    assert not staging_dir(registry, served_entry.id).exists() and not (registry.root / served_entry.id).exists()
    assert [m.id for m in registry.models()] == ["smollm2-135m-instruct"]


def test_a_served_file_that_is_not_a_model_is_refused_and_not_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    page = tmp_path / "SmolLM2-135M-Instruct.Q4_1.gguf"
    page.write_text("<html>Sign in to continue</html>" * 50)  # what a login wall looks like
    entry = served_model(page.stat().st_size)
    monkeypatch.setattr(catalog, "CATALOG", (entry,))
    with model_server([page]) as server, pytest.raises(AssistantError, match="not a GGUF model file"):
        download_model(entry.id, base_url=server.url)
    registry = ModelRegistry()
    assert not staging_dir(registry, entry.id).exists() and not (registry.root / entry.id).exists()


PINNED = "c0ffee" + "0" * 34


def pinned_entry(served: Path, sha256: str) -> catalog.CatalogModel:
    """The served-model entry pinned as the catalog pins its own: a commit and the file's SHA-256."""
    entry = served_model(served.stat().st_size)
    return dataclasses.replace(
        entry, revision=PINNED, files=(catalog.CatalogFile(served.name, served.stat().st_size, sha256),)
    )


def test_a_pinned_model_is_fetched_from_its_commit_and_verified(monkeypatch: pytest.MonkeyPatch) -> None:
    model_file = bundled_model_path()
    entry = pinned_entry(model_file, hashlib.sha256(model_file.read_bytes()).hexdigest())
    assert entry.pinned
    monkeypatch.setattr(catalog, "CATALOG", (entry,))
    with model_server([model_file]) as server:
        model = download_model(entry.id, base_url=server.url)
    assert server.requests == [f"/test/SmolLM2-GGUF/resolve/{PINNED}/{model_file.name}"]
    assert Path(model.path).read_bytes() == model_file.read_bytes()


def test_a_pinned_model_whose_bytes_differ_is_removed_and_not_listed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    good = bundled_model_path()
    damaged = tmp_path / good.name
    shutil.copyfile(good, damaged)
    with damaged.open("r+b") as handle:  # one flipped byte in the middle of the weights
        handle.seek(damaged.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0xFF]))
    entry = pinned_entry(damaged, hashlib.sha256(good.read_bytes()).hexdigest())
    monkeypatch.setattr(catalog, "CATALOG", (entry,))
    with model_server([damaged]) as server, pytest.raises(DownloadError, match="SHA-256") as error:
        download_model(entry.id, base_url=server.url)
    assert "The file was removed; try again." in str(error.value)
    registry = ModelRegistry()
    assert [m.id for m in registry.models()] == ["smollm2-135m-instruct"]
    staging = staging_dir(registry, entry.id)
    assert not (registry.root / entry.id).exists() and not list(staging.glob("*.gguf*"))
