"""The model catalog: consistent entries, lookup by id, memory fit and download URLs."""

from __future__ import annotations

import re

import pytest

from assistant.errors import AssistantError
from assistant.runtime import catalog
from assistant.runtime.catalog import CATALOG, CatalogFile, CatalogModel, find, fits

GB = 1_000_000_000


def test_ids_are_unique_short_and_stable() -> None:
    ids = [m.id for m in CATALOG]
    assert len(ids) == len(set(ids)) >= 12
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9.-]*", i) for i in ids)


def test_every_entry_is_complete_and_honest() -> None:
    for m in CATALOG:
        assert m.runtime in ("llama.cpp", "transformers"), m.id
        assert m.files and all(f.size > 0 for f in m.files), m.id
        assert len({f.name for f in m.files}) == len(m.files), m.id
        assert m.name and m.params and m.quantization and m.license and m.context_length >= 2048, m.id
        assert "/" in m.repo and m.revision, m.id
        assert m.kv_bytes_per_token > 0, m.id
        assert m.size == sum(f.size for f in m.files)
        assert m.size < m.ram_needed < 8 * GB, m.id  # laptop-sized
        assert all(f.sha256 is None or re.fullmatch(r"[0-9a-f]{64}", f.sha256) for f in m.files), m.id
        if m.runtime == "llama.cpp":
            assert len(m.files) == 1 and m.files[0].name.endswith(".gguf"), m.id


def test_mobilellm_r1_is_a_transformers_folder_with_its_licence_said() -> None:
    m = find("mobilellm-r1-950m")
    assert m.runtime == "transformers" and m.reasoning and m.license == "FAIR-NC"
    names = {f.name for f in m.files}
    assert {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"} <= names
    assert "gated" in m.note and "non-commercial" in m.note.lower()


def test_reasoning_models_are_marked() -> None:
    reasoning = {m.id for m in CATALOG if m.reasoning}
    assert {"qwen3-0.6b", "qwen3-1.7b", "qwen3-4b", "deepseek-r1-distill-qwen-1.5b"} <= reasoning
    assert "llama-3.2-1b-instruct" not in reasoning and "gemma-3-1b-it" not in reasoning


def test_find_is_case_insensitive_and_an_unknown_id_lists_the_valid_ones() -> None:
    assert find("Qwen3-0.6B") is find("qwen3-0.6b")
    with pytest.raises(AssistantError, match="no model 'gpt-5' in the catalog") as error:
        find("gpt-5")
    assert all(m.id in str(error.value) for m in CATALOG)


def test_fits_says_so_in_gb() -> None:
    model = find("qwen3-4b")
    ok, why = fits(model, 64 * GB)
    assert ok and why.startswith("Fits: needs about") and "of 64 GB memory" in why
    ok, why = fits(model, 2 * GB)
    assert not ok and why.startswith("Too big for this machine") and "it has 2 GB" in why
    ok, why = fits(model, int(model.ram_needed * 1.05))  # fits in RAM, but leaves the system too little
    assert not ok and "GB" in why


def test_ram_needed_follows_its_formula() -> None:
    gguf = CatalogModel("x", "X", "o/x", (CatalogFile("x.gguf", GB),), "llama.cpp", "1B", "Q4_K_M", "MIT", 4096, False)
    assert gguf.ram_needed == GB + GB // 10 + catalog.OVERHEAD["llama.cpp"]  # no KV size known: a tenth
    sized = CatalogModel(
        "y", "Y", "o/y", (CatalogFile("m.safetensors", GB),), "transformers", "1B", "BF16", "MIT", 4096, False,
        kv_bytes_per_token=1000,
    )  # fmt: skip
    assert sized.ram_needed == 2 * GB + 1000 * catalog.CONTEXT_FOR_FIT + catalog.OVERHEAD["transformers"]


def test_url_points_at_the_file_in_the_repo_at_its_revision() -> None:
    m = find("qwen3-0.6b")
    assert m.url(m.files[0]) == "https://huggingface.co/Qwen/Qwen3-0.6B-GGUF/resolve/main/Qwen3-0.6B-Q8_0.gguf"
    pinned = CatalogModel(
        "z", "Z", "o/z", (CatalogFile("z.gguf", 1),), "llama.cpp", "1B", "Q8_0", "MIT", 4096, False, revision="abc123"
    )
    assert pinned.url(pinned.files[0]) == "https://huggingface.co/o/z/resolve/abc123/z.gguf"
