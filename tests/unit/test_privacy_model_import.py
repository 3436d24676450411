"""Issue 12, finding 11: an import keeps what it checked, and copies only the model the person chose.

Real files: GGUF headers built here, a real safetensors folder, real symbolic links.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from assistant.errors import ModelImportError
from assistant.runtime.facts import describe, describe_gguf
from assistant.runtime.registry import BUNDLED_ID, ModelRegistry
from tests.gguf_builder import build_gguf

TEMPLATE = "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}"
links = pytest.mark.skipif(os.name != "posix", reason="symbolic links need privileges on Windows")


def safetensors_folder(folder: Path) -> Path:
    """A small but real transformers folder: config, tokenizer config and one safetensors file."""
    import numpy as np
    from safetensors.numpy import save_file

    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps({"architectures": ["LlamaForCausalLM"], "model_type": "llama"}))
    (folder / "tokenizer_config.json").write_text(json.dumps({"chat_template": TEMPLATE}))
    save_file({"weight": np.zeros((4, 4), dtype=np.float32)}, str(folder / "model.safetensors"))
    return folder


def nothing_added(registry: ModelRegistry) -> bool:
    return [m.id for m in registry.models()] == [BUNDLED_ID] and not any(
        p.name.endswith(".importing") for p in registry.root.glob(".*")
    )


def test_the_copy_is_checked_not_the_source_it_came_from(tmp_path: Path) -> None:
    registry = ModelRegistry()
    source = build_gguf(tmp_path / "model.gguf", template=TEMPLATE)
    facts = describe_gguf(source)  # the caller's check passes ...
    source.write_text("Not a model any more: the file changed after it was checked.\n" * 10)  # ... then it changes
    with pytest.raises(ModelImportError, match="did not pass the model check.*not a GGUF model file"):
        registry.import_model(source, facts)  # the real check (validate.check_model) runs on the copy
    assert nothing_added(registry)


def test_what_is_listed_is_what_the_copy_holds(tmp_path: Path) -> None:
    registry = ModelRegistry()
    source = build_gguf(tmp_path / "model.gguf", elements=1024, template=TEMPLATE)
    facts = describe_gguf(source)
    build_gguf(source, elements=2048, template=TEMPLATE)  # still a model, but another one
    checked: list[Path] = []

    def check(path: Path) -> object:
        checked.append(path)
        return describe_gguf(path)

    model = registry.import_model(source, facts, check=check)  # type: ignore[arg-type]
    [copy] = checked
    assert copy.parent.name == f".{model.id}.importing" and copy.parent.parent == registry.root
    assert model.size == source.stat().st_size != facts.size


@links
def test_a_link_out_of_the_model_folder_is_refused_and_nothing_is_copied(tmp_path: Path) -> None:
    secret = tmp_path / "private" / "diary.txt"
    secret.parent.mkdir()
    secret.write_text("Dear diary, my bank PIN is 4921.")
    folder = safetensors_folder(tmp_path / "model")
    (folder / "tokenizer.json").symlink_to(secret)
    registry = ModelRegistry()
    with pytest.raises(ModelImportError, match=r"tokenizer\.json is a link to .*diary\.txt, outside the model folder"):
        registry.import_model(folder, describe(folder))
    assert nothing_added(registry)
    assert not [p for p in registry.root.rglob("*") if p.is_file() and "PIN" in p.read_text(errors="ignore")]


@links
def test_a_linked_folder_out_of_the_model_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "home" / ".ssh").mkdir(parents=True)
    (tmp_path / "home" / ".ssh" / "id_ed25519").write_text("-----BEGIN OPENSSH PRIVATE KEY-----")
    folder = safetensors_folder(tmp_path / "model")
    (folder / "extra").symlink_to(tmp_path / "home" / ".ssh", target_is_directory=True)
    with pytest.raises(ModelImportError, match="outside the model folder"):
        ModelRegistry().import_model(folder, describe(folder))


@links
def test_links_inside_the_folder_and_a_hugging_face_snapshot_are_copied_as_files(tmp_path: Path) -> None:
    repo = tmp_path / "hub" / "models--org--tiny"
    blobs = safetensors_folder(repo / "blobs")  # the cache keeps the files here ...
    snapshot = repo / "snapshots" / "0123abc"
    snapshot.mkdir(parents=True)
    for name in ("config.json", "tokenizer_config.json", "model.safetensors"):
        (snapshot / name).symlink_to(Path("../../blobs") / name)  # ... and links to them by name
    (snapshot / "generation_config.json").write_text("{}")
    (snapshot / "same.json").symlink_to("generation_config.json")
    model = ModelRegistry().import_model(snapshot, describe(snapshot), check=describe)
    copied = Path(model.path)
    for name in ("config.json", "tokenizer_config.json", "model.safetensors", "same.json"):
        assert (copied / name).is_file() and not (copied / name).is_symlink()
    assert (copied / "model.safetensors").read_bytes() == (blobs / "model.safetensors").read_bytes()
