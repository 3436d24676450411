import errno
import json
import os
from pathlib import Path

import pytest

from assistant.atomic import atomic_write_text
from assistant.config import SETTINGS_VERSION, Settings, load_settings, save_settings, settings_path
from assistant.errors import DiskFullError


def test_missing_settings_give_defaults_and_save_round_trips() -> None:
    settings = load_settings()
    assert settings.model.path is None and settings.version == SETTINGS_VERSION
    settings.model.temperature = 0.2
    settings.window["conversation"] = 7
    save_settings(settings)
    again = load_settings()
    assert again.model.temperature == 0.2 and again.window["conversation"] == 7
    assert json.loads(settings_path().read_text())["version"] == SETTINGS_VERSION


def test_version_1_settings_are_migrated() -> None:
    settings_path().write_text(json.dumps({"version": 1, "model_path": "/m.gguf", "n_ctx": 1024}))
    settings = load_settings()
    assert settings.model.path == "/m.gguf" and settings.model.context_length == 1024


def test_corrupt_settings_are_kept_aside_and_defaults_used() -> None:
    settings_path().write_text('{"version": 2, "model": {"temper')
    assert load_settings() == Settings()
    aside = settings_path().with_name("settings.json.bad")
    assert aside.read_text().startswith('{"version": 2')


def test_settings_from_a_newer_version_are_not_overwritten_blindly() -> None:
    settings_path().write_text(json.dumps({"version": 99}))
    assert load_settings() == Settings()
    assert json.loads(settings_path().with_name("settings.json.bad").read_text()) == {"version": 99}


def test_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "settings.json"
    target.write_text("old")

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(DiskFullError, match="disk holding .* is full"):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_the_welcome_choice_is_remembered_and_an_earlier_default_model_counts_as_chosen() -> None:
    assert load_settings().model_chosen is False  # a first launch shows the welcome page
    settings = load_settings()
    settings.model_chosen = True
    save_settings(settings)
    assert load_settings().model_chosen is True
    settings_path().write_text(json.dumps({"version": 4, "default_model": "qwen3-1.7b"}))
    assert load_settings().model_chosen is True  # chose a model before the welcome page existed


def test_version_5_settings_gain_the_window_language_following_the_system() -> None:
    settings_path().write_text(json.dumps({"version": 5, "default_model": "qwen3-1.7b", "model_chosen": True}))
    settings = load_settings()
    assert settings.language == "" and settings.default_model == "qwen3-1.7b" and settings.version == 6


def test_the_window_language_is_kept() -> None:
    settings = Settings()
    settings.language = "ko"
    save_settings(settings)
    assert load_settings().language == "ko"
    assert json.loads(settings_path().read_text())["language"] == "ko"
