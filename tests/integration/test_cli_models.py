"""``private-assistant models …`` and ``--model ID``, as separate processes on the real models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.paths import bundled_model_path
from tests.integration.test_cli_real import cli
from tests.tiny_models import tiny_llama

pytestmark = pytest.mark.integration


def test_list_import_chat_with_an_id_and_remove(data_home: Path, tmp_path: Path) -> None:
    listed = json.loads(cli("models", "list", "--json", home=data_home).stdout)
    assert [(m["id"], m["default"]) for m in listed] == [("smollm2-135m-instruct", True)]
    assert listed[0]["parameters"] > 100e6 and listed[0]["runtime"] == "llama.cpp"

    copy = tmp_path / "My-Model.gguf"
    copy.write_bytes(bundled_model_path().read_bytes())
    added = cli("models", "import", str(copy), "--default", home=data_home)
    assert added.returncode == 0, added.stderr
    assert "Added" in added.stdout and "'my-model' is now the default model" in added.stdout

    chat = cli("chat", "Say hello.", "--model", "my-model", "--json", "--max-tokens", "8", home=data_home)
    assert chat.returncode == 0, chat.stderr
    assert json.loads(chat.stdout)["model"] == "My-Model"

    removed = cli("models", "remove", "my-model", home=data_home)
    assert removed.returncode == 0 and not (data_home / "models" / "my-model").exists()
    listed = json.loads(cli("models", "list", "--json", home=data_home).stdout)
    assert [(m["id"], m["default"]) for m in listed] == [("smollm2-135m-instruct", True)]


def test_refusals_exit_2_with_the_reason(data_home: Path, tmp_path: Path) -> None:
    fake = tmp_path / "notes.gguf"
    fake.write_text("not a model")
    done = cli("models", "import", str(fake), home=data_home)
    assert done.returncode == 2 and "not a GGUF model file" in done.stderr and "Traceback" not in done.stderr
    done = cli("chat", "hi", "--model", "no-such-id", home=data_home)
    assert done.returncode == 2 and "Installed: smollm2-135m-instruct" in done.stderr
    done = cli("models", "remove", "smollm2-135m-instruct", home=data_home)
    assert done.returncode == 2 and "cannot be removed" in done.stderr


def test_a_safetensors_folder_chats_through_transformers(data_home: Path, tmp_path: Path) -> None:
    folder = tiny_llama(tmp_path / "Tiny-Llama")
    assert cli("models", "import", str(folder), home=data_home).returncode == 0
    done = cli("chat", "Hello", "--model", "tiny-llama", "--json", "--max-tokens", "6", home=data_home)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["backend"] == "CPU (transformers)" and result["tokens"] > 0
