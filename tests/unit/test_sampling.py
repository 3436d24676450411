"""Each model's sampling: what it states, else its catalog entry's, else the small-model defaults; the person's win."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.config import ModelSettings, load_settings, settings_path
from assistant.paths import bundled_model_path
from assistant.runtime import catalog
from assistant.runtime.gguf import read_gguf
from assistant.runtime.llama import completion_sampling
from assistant.runtime.registry import ModelOptions
from assistant.runtime.sampling import (
    CATALOG,
    CUSTOM,
    DEFAULT,
    FIELDS,
    GENERAL,
    MODEL,
    SMALL_MODEL_DEFAULTS,
    Sampling,
    for_model,
    resolve,
)
from tests.stated_sampling import gguf_stating

QWEN3 = catalog.find("qwen3-0.6b")


def test_a_gguf_that_states_its_sampling_runs_with_it(tmp_path: Path) -> None:
    path = gguf_stating(tmp_path / "stated.gguf", temp=0.6, top_p=0.95, top_k=20, min_p=0.0, penalty_repeat=1.05)
    assert read_gguf(path).sampling["top_p"] == pytest.approx(0.95)
    resolved = for_model(path)
    assert resolved.values == Sampling(
        temperature=0.6, top_p=0.95, top_k=20, min_p=0.0, repeat_penalty=1.05, presence_penalty=0.0
    )
    assert dict(resolved.sources) == {**dict.fromkeys(FIELDS, MODEL), "presence_penalty": DEFAULT}


def test_a_model_folder_states_its_sampling_in_generation_config(tmp_path: Path) -> None:
    folder = tmp_path / "Some-Model"
    folder.mkdir()
    config = {"do_sample": True, "temperature": 0.7, "top_p": 0.8, "top_k": 20, "repetition_penalty": 1.05}
    (folder / "generation_config.json").write_text(json.dumps(config))
    resolved = for_model(folder)
    assert (resolved.values.temperature, resolved.values.top_p, resolved.values.top_k) == (0.7, 0.8, 20)
    assert resolved.values.repeat_penalty == 1.05 and resolved.source("repeat_penalty") == MODEL
    assert resolved.values.min_p == SMALL_MODEL_DEFAULTS.min_p and resolved.source("min_p") == DEFAULT


def test_a_damaged_generation_config_states_nothing(tmp_path: Path) -> None:
    (tmp_path / "generation_config.json").write_text("{not json")
    assert for_model(tmp_path).values == SMALL_MODEL_DEFAULTS


def test_what_the_model_leaves_out_comes_from_its_catalog_entry(tmp_path: Path) -> None:
    assert QWEN3.sampling is not None
    downloaded = gguf_stating(tmp_path / "models" / QWEN3.id / QWEN3.files[0].name, temp=0.5)
    resolved = for_model(downloaded)
    assert resolved.values.temperature == 0.5 and resolved.source("temperature") == MODEL
    assert (resolved.values.top_k, resolved.values.presence_penalty) == (QWEN3.sampling.top_k, 1.5)
    assert {resolved.source(name) for name in FIELDS if name != "temperature"} == {CATALOG}


def test_a_catalog_file_imported_by_hand_is_recognised_by_its_name(tmp_path: Path) -> None:
    imported = gguf_stating(tmp_path / "models" / "my-copy" / QWEN3.files[0].name)
    assert for_model(imported).values == QWEN3.sampling
    renamed = gguf_stating(tmp_path / "models" / "my-copy" / "renamed.gguf")
    assert for_model(renamed).values == SMALL_MODEL_DEFAULTS


def test_a_reasoning_model_told_not_to_think_uses_its_non_thinking_values(tmp_path: Path) -> None:
    path = gguf_stating(tmp_path / "models" / QWEN3.id / QWEN3.files[0].name)
    assert for_model(path, ModelSettings(thinking=False)).values == QWEN3.sampling_without_thinking
    assert for_model(path, ModelSettings(), ModelOptions(thinking=False)).values == QWEN3.sampling_without_thinking


def test_the_bundled_model_states_nothing_and_gets_the_small_model_defaults() -> None:
    resolved = for_model(bundled_model_path())
    assert resolved.values == SMALL_MODEL_DEFAULTS
    assert set(dict(resolved.sources).values()) == {DEFAULT}


def test_the_persons_settings_win_field_by_field(tmp_path: Path) -> None:
    path = gguf_stating(tmp_path / "stated.gguf", temp=0.6, top_k=20)
    general = ModelSettings(temperature=0.9, min_p=0.1)
    custom = ModelOptions(temperature=0.2)
    resolved = for_model(path, general, custom)
    assert (resolved.values.temperature, resolved.source("temperature")) == (0.2, CUSTOM)
    assert (resolved.values.min_p, resolved.source("min_p")) == (0.1, GENERAL)
    assert (resolved.values.top_k, resolved.source("top_k")) == (20, MODEL)
    assert (resolved.values.top_p, resolved.source("top_p")) == (SMALL_MODEL_DEFAULTS.top_p, DEFAULT)


def test_a_temperature_of_zero_is_a_choice_not_unset() -> None:
    resolved = resolve({"temperature": 0.7}, custom={"temperature": 0.0, "min_p": 0})
    assert (resolved.values.temperature, resolved.values.min_p) == (0.0, 0.0)
    assert resolved.source("temperature") == resolved.source("min_p") == CUSTOM


def test_impossible_values_are_ignored_not_used() -> None:
    stated = {"temperature": 99.0, "top_p": float("nan"), "top_k": -3, "repeat_penalty": True}
    resolved = resolve(stated, general={"min_p": "high", "presence_penalty": 5})
    assert resolved.values == SMALL_MODEL_DEFAULTS and set(dict(resolved.sources).values()) == {DEFAULT}


def test_llama_cpp_gets_every_resolved_value() -> None:
    values = Sampling(temperature=0.6, top_p=0.95, top_k=20, min_p=0.0, repeat_penalty=1.05, presence_penalty=1.5)
    assert completion_sampling(values) == {
        "temperature": 0.6,
        "top_p": 0.95,
        "top_k": 20,
        "min_p": 0.0,
        "repeat_penalty": 1.05,
        "presence_penalty": 1.5,
    }


def test_an_old_settings_file_with_the_old_default_temperature_takes_each_models_own() -> None:
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text(json.dumps({"version": 4, "model": {"temperature": 0.7, "max_tokens": 300}}))
    settings = load_settings()
    assert settings.model.temperature is None and settings.model.max_tokens == 300


def test_an_old_settings_file_keeps_a_temperature_the_person_chose() -> None:
    settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings_path().write_text(json.dumps({"version": 4, "model": {"temperature": 0.2}}))
    assert load_settings().model.temperature == 0.2
