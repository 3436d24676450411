"""Importing models: checked by the real llama.cpp and transformers before anything is copied."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.errors import ModelImportError
from assistant.paths import bundled_model_path
from assistant.runtime.registry import BUNDLED_ID, ModelRegistry
from assistant.runtime.validate import check_model
from tests.gguf_builder import build_gguf
from tests.tiny_models import tiny_llama4

TEMPLATE = "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}"


def refused(path: Path, reason: str) -> str:
    with pytest.raises(ModelImportError, match=reason) as caught:
        check_model(path)
    return str(caught.value)


def test_the_bundled_model_is_accepted_and_imported() -> None:
    facts = check_model(bundled_model_path())
    assert facts.runtime == "llama.cpp" and facts.has_chat_template
    model = ModelRegistry().import_model(bundled_model_path(), facts)
    assert Path(model.path).stat().st_size == bundled_model_path().stat().st_size
    assert {m.id for m in ModelRegistry().models()} == {BUNDLED_ID, model.id}


def test_a_text_file_renamed_gguf_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "notes.gguf"
    fake.write_text("These are my meeting notes, not a model.\n" * 20)
    message = refused(fake, "not a GGUF model file")
    assert "GGUF signature" in message


def test_a_truncated_download_is_refused(tmp_path: Path) -> None:
    cut = tmp_path / "half.gguf"
    with bundled_model_path().open("rb") as source:
        cut.write_bytes(source.read(bundled_model_path().stat().st_size // 2))
    assert "incomplete" in refused(cut, "incomplete")


def test_a_template_reaching_python_internals_is_refused(tmp_path: Path) -> None:
    evil = "{{ ''.__class__.__mro__[1].__subclasses__() }}{% for m in messages %}{{ m.content }}{% endfor %}"
    message = refused(build_gguf(tmp_path / "evil.gguf", template=evil), "Python internals")
    assert "refused" in message
    assert not (ModelRegistry().root / "evil").exists()


def test_an_unsupported_architecture_is_refused_by_llama_cpp(tmp_path: Path) -> None:
    odd = build_gguf(tmp_path / "odd.gguf", template=TEMPLATE, architecture="notanarch")
    message = refused(odd, "does not support the 'notanarch' architecture")
    assert "llama-cpp-python" in message


def test_a_model_without_chat_template_is_refused(tmp_path: Path) -> None:
    bare = build_gguf(tmp_path / "bare.gguf", template="")
    assert "instruct" in refused(bare, "no chat template")


def test_a_file_of_another_kind_is_refused(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"\0" * 64)
    refused(tmp_path / "model.bin", "Choose a .gguf file")


@pytest.fixture(scope="module")
def llama4_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_llama4(tmp_path_factory.mktemp("models") / "MobileLLM-R1-tiny")


def test_a_safetensors_folder_is_accepted_with_its_facts(llama4_folder: Path) -> None:
    facts = check_model(llama4_folder)
    assert facts.runtime == "transformers" and facts.architecture == "Llama4ForCausalLM"
    assert facts.parameters > 0 and facts.has_chat_template and facts.thinking_switch
    model = ModelRegistry().import_model(llama4_folder, facts)
    assert Path(model.path).is_dir() and (Path(model.path) / "config.json").is_file()


def test_folders_that_are_not_usable_models_are_refused(llama4_folder: Path, tmp_path: Path) -> None:
    no_weights = shutil.copytree(llama4_folder, tmp_path / "no-weights")
    for weights in no_weights.glob("*.safetensors"):
        weights.unlink()
    (no_weights / "pytorch_model.bin").write_bytes(b"pickle")
    refused(no_weights, "no .safetensors weights")

    cut = shutil.copytree(llama4_folder, tmp_path / "cut")
    weights = next(cut.glob("*.safetensors"))
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])
    refused(cut, "incomplete")

    unknown = shutil.copytree(llama4_folder, tmp_path / "unknown")
    config = json.loads((unknown / "config.json").read_text())
    config["architectures"] = ["FancyNewForCausalLM"]
    (unknown / "config.json").write_text(json.dumps(config))
    refused(unknown, "does not know the 'FancyNewForCausalLM' architecture")

    refused(tmp_path, "no config.json")
