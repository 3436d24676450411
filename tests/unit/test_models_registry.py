"""The installed-models registry, per-model options and which model a conversation uses."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from assistant.config import ModelSettings, Settings
from assistant.errors import AssistantError, ModelImportError
from assistant.runtime import hardware
from assistant.runtime.facts import describe_gguf
from assistant.runtime.loader import choose_model
from assistant.runtime.registry import BUNDLED_ID, ModelOptions, ModelRegistry
from tests.gguf_builder import build_gguf

TEMPLATE = "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}"


def imported(registry: ModelRegistry, folder: Path, name: str = "tiny.gguf") -> str:
    source = build_gguf(folder / name, template=TEMPLATE)
    # The test files are GGUF in form only (llama.cpp would refuse them): the copy is checked by its header.
    return registry.import_model(source, describe_gguf(source), check=describe_gguf).id


def test_the_bundled_model_is_listed_first_with_its_facts() -> None:
    models = ModelRegistry().models()
    bundled = models[0]
    assert bundled.id == BUNDLED_ID and bundled.source == "bundled"
    assert bundled.runtime == "llama.cpp" and bundled.architecture == "llama"
    assert 130e6 < bundled.parameters < 140e6 and bundled.quantization == "Q4_1"
    assert bundled.context_length == 8192 and bundled.license == "apache-2.0" and bundled.has_chat_template


def test_import_copies_the_file_and_lists_it(tmp_path: Path) -> None:
    registry = ModelRegistry()
    seen: list[tuple[int, int]] = []
    source = build_gguf(tmp_path / "Tiny-Model.Q8_0.gguf", elements=4096, template=TEMPLATE)
    model = registry.import_model(
        source, describe_gguf(source), progress=lambda d, t: seen.append((d, t)), check=describe_gguf
    )
    assert model.id == "tiny-model.q8-0" and model.source == "imported"
    copied = Path(model.path)
    assert copied.read_bytes() == source.read_bytes() and copied.parent == registry.root / model.id
    assert seen[-1] == (source.stat().st_size, source.stat().st_size)
    assert [m.id for m in ModelRegistry().models()] == [BUNDLED_ID, model.id]  # survives a new instance
    again = registry.import_model(source, describe_gguf(source), check=describe_gguf)
    assert again.id == "tiny-model.q8-0-2"  # a second copy never overwrites the first


def test_a_cancelled_import_leaves_nothing(tmp_path: Path) -> None:
    registry = ModelRegistry()
    source = build_gguf(tmp_path / "big.gguf", elements=4 * 1024 * 1024, template=TEMPLATE)  # 16 MB: 2 chunks
    cancel = threading.Event()
    with pytest.raises(ModelImportError, match="cancelled"):
        registry.import_model(
            source, describe_gguf(source), progress=lambda d, t: cancel.set(), cancel=cancel, check=describe_gguf
        )
    assert [m.id for m in registry.models()] == [BUNDLED_ID]
    assert not any(registry.root.iterdir())  # no staging folder, no copy, no list


def test_remove_deletes_the_files_but_never_the_bundled_model(tmp_path: Path) -> None:
    registry = ModelRegistry()
    model_id = imported(registry, tmp_path)
    folder = registry.root / model_id
    assert folder.is_dir()
    registry.remove(model_id)
    assert not folder.exists() and [m.id for m in registry.models()] == [BUNDLED_ID]
    with pytest.raises(AssistantError, match="cannot be removed"):
        registry.remove(BUNDLED_ID)
    with pytest.raises(AssistantError, match=f"Installed: {BUNDLED_ID}"):
        registry.remove("no-such-model")


def test_per_model_options_override_only_what_they_set(tmp_path: Path) -> None:
    registry = ModelRegistry()
    model_id = imported(registry, tmp_path)
    registry.set_options(model_id, ModelOptions(temperature=0.1, gpu_layers=0, thinking=False))
    general = ModelSettings(context_length=2048, temperature=0.7, system_prompt="Be kind.")
    settings = registry.get(model_id).settings(general)
    assert (settings.temperature, settings.gpu_layers, settings.thinking) == (0.1, 0, False)
    assert (settings.context_length, settings.system_prompt) == (2048, "Be kind.")
    assert settings.path == registry.get(model_id).path
    registry.set_options(BUNDLED_ID, ModelOptions(context_length=1024))
    assert registry.get(BUNDLED_ID).settings(general).context_length == 1024


def test_per_model_sampling_is_kept_and_shown_as_set_for_this_model(tmp_path: Path) -> None:
    registry = ModelRegistry()
    model_id = imported(registry, tmp_path)
    registry.set_options(model_id, ModelOptions(top_k=5, presence_penalty=0.5))
    model = ModelRegistry().get(model_id)
    assert (model.options.top_k, model.options.presence_penalty, model.options.top_p) == (5, 0.5, None)
    assert model.settings(ModelSettings()).top_k == 5
    resolved = model.sampling(ModelSettings(top_p=0.8))
    assert (resolved.values.top_k, resolved.source("top_k")) == (5, "custom")
    assert (resolved.values.top_p, resolved.source("top_p")) == (0.8, "general")
    assert resolved.source("temperature") == "default"  # the test file states none and is in no catalog
    registry.set_options(model_id, ModelOptions())  # "reset to the model's defaults"
    assert registry.get(model_id).sampling(ModelSettings()).source("top_k") == "default"


def test_a_conversation_model_wins_then_the_default_then_the_bundled(tmp_path: Path) -> None:
    registry = ModelRegistry()
    first, second = imported(registry, tmp_path, "first.gguf"), imported(registry, tmp_path, "second.gguf")
    settings = Settings(default_model=first)
    assert choose_model(settings, "", registry).model.id == first
    assert choose_model(settings, second, registry).model.id == second
    registry.remove(first)
    choice = choose_model(settings, "", registry)
    assert choice.model.id == BUNDLED_ID and "no installed model 'first'" in choice.notice
    assert choose_model(Settings(), "", registry).model.id == BUNDLED_ID


def test_a_damaged_models_list_is_set_aside_not_fatal(tmp_path: Path) -> None:
    registry = ModelRegistry()
    imported(registry, tmp_path)
    registry.index_path.write_text("{ not json")
    assert [m.id for m in registry.models()] == [BUNDLED_ID]
    assert registry.index_path.with_name("models.json.bad").exists()


def test_resolve_accepts_a_path_without_installing(tmp_path: Path) -> None:
    source = build_gguf(tmp_path / "loose.gguf", template=TEMPLATE)
    model = ModelRegistry().resolve(str(source))
    assert model.source == "file" and model.path == str(source)
    assert ModelRegistry().models()[-1].id == BUNDLED_ID
    with pytest.raises(AssistantError, match="does not exist"):
        ModelRegistry().resolve(str(tmp_path / "missing.gguf"))


def test_automatic_gpu_layers_offload_all_when_the_model_fits() -> None:
    gb = 1_000_000_000
    assert hardware.auto_gpu_layers(2 * gb, 28, 8 * gb) == -1
    assert hardware.auto_gpu_layers(8 * gb, 32, 6 * gb) == 19  # 32 * (5.4 - 0.54) / 8
    assert hardware.auto_gpu_layers(8 * gb, 32, gb // 2) == 0
    assert hardware.auto_gpu_layers(8 * gb, 32, 0) == -1  # unknown memory: try all, fall back on failure


def test_this_machine_reports_its_memory_and_a_cpu_backend() -> None:
    machine = hardware.machine()
    assert machine.cpus >= 1 and machine.memory > 0
    assert machine.backends == () and "CPU only" in machine.describe()  # this CI machine has no GPU build


def test_models_list_json_round_trips(tmp_path: Path) -> None:
    registry = ModelRegistry()
    imported(registry, tmp_path)
    raw = json.loads(registry.index_path.read_text())
    assert raw["models"][0]["runtime"] == "llama.cpp" and "options" in raw["models"][0]
