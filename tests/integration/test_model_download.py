"""Downloading a catalog model from a real HTTP server on 127.0.0.1, then chatting with it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from assistant.config import ModelSettings
from assistant.errors import AssistantError
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
