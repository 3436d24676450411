"""The model catalog: consistent, pinned entries, lookup by id, memory fit, download URLs and sampling."""

from __future__ import annotations

import dataclasses
import re

import pytest

from assistant.errors import AssistantError
from assistant.runtime import catalog
from assistant.runtime.catalog import CATALOG, CatalogFile, CatalogModel, find, fits
from assistant.runtime.sampling import Sampling

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
        assert m.parameters > 0, m.id
        assert m.size == sum(f.size for f in m.files)
        assert m.size < m.ram_needed < 12 * GB, m.id  # a laptop, or a desktop with a gaming GPU
        if m.runtime == "llama.cpp":
            assert len(m.files) == 1 and m.files[0].name.endswith(".gguf"), m.id
        if not m.permissive:
            assert "accept" in m.note, m.id  # a licence with terms says so before the download


def test_every_file_is_pinned_to_a_commit_with_its_size_and_sha256() -> None:
    for m in CATALOG:
        assert re.fullmatch(r"[0-9a-f]{40}", m.revision), m.id  # a commit, never a branch like main
        for f in m.files:
            assert f.sha256 is not None and re.fullmatch(r"[0-9a-f]{64}", f.sha256), f.name
            assert f.size % 1_000_000 != 0, f.name  # an exact byte count, not a listing's rounded size
        assert m.pinned, m.id
        assert m.url(m.files[0]) == f"https://huggingface.co/{m.repo}/resolve/{m.revision}/{m.files[0].name}"
    assert len({f.sha256 for m in CATALOG for f in m.files}) == len(CATALOG)  # no hash pasted twice


def test_an_unpinned_entry_is_told_apart() -> None:
    loose = CatalogModel("x", "X", "o/x", (CatalogFile("x.gguf", 10),), "llama.cpp", "1B", "Q8_0", "MIT", 4096, False)
    assert not loose.pinned
    assert not dataclasses.replace(loose, files=(CatalogFile("x.gguf", 10, "a" * 64),)).pinned  # revision main
    assert dataclasses.replace(loose, files=(CatalogFile("x.gguf", 10, "a" * 64),), revision="b" * 40).pinned


def test_the_qwen3_sizes_from_0_6b_to_14b_are_all_there() -> None:
    assert [m.id for m in CATALOG if m.id.startswith("qwen3-")] == [
        "qwen3-0.6b", "qwen3-1.7b", "qwen3-4b", "qwen3-8b", "qwen3-14b"
    ]  # fmt: skip
    assert all(find(i).permissive and find(i).multilingual for i in ("qwen3-0.6b", "qwen3-14b"))
    assert not find("smollm2-1.7b-instruct").multilingual and not find("llama-3.2-3b-instruct").permissive


def test_each_model_carries_its_publishers_sampling() -> None:
    qwen = find("qwen3-4b")
    assert qwen.sampling == Sampling(0.6, 0.95, 20, 0.0, 1.0, 1.5)  # thinking mode, as the app runs Qwen3
    assert qwen.sampling_without_thinking == Sampling(0.7, 0.8, 20, 0.0, 1.0, 1.5)
    gemma = find("gemma-3-4b-it").sampling
    assert gemma is not None and (gemma.temperature, gemma.top_p, gemma.top_k, gemma.min_p) == (1.0, 0.95, 64, 0.0)
    llama = find("llama-3.2-1b-instruct").sampling
    assert llama is not None and (llama.temperature, llama.top_p) == (0.6, 0.9)
    assert find("phi-4-mini-instruct").sampling is None  # its card states none: the app's defaults apply
    for m in CATALOG:
        if m.sampling is not None:
            assert 0.0 < m.sampling.temperature <= 1.5 and 0.0 < m.sampling.top_p <= 1.0, m.id
        assert (m.sampling_without_thinking is not None) == m.reasoning, m.id


def test_reasoning_models_are_marked() -> None:
    reasoning = {m.id for m in CATALOG if m.reasoning}
    assert reasoning == {"qwen3-0.6b", "qwen3-1.7b", "qwen3-4b", "qwen3-8b", "qwen3-14b"}
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


def test_url_points_at_the_file_in_the_repo_at_its_pinned_revision() -> None:
    m = find("qwen3-0.6b")
    assert m.url(m.files[0]) == (
        "https://huggingface.co/Qwen/Qwen3-0.6B-GGUF/resolve/23749fefcc72300e3a2ad315e1317431b06b590a/"
        "Qwen3-0.6B-Q8_0.gguf"
    )
    pinned = CatalogModel(
        "z", "Z", "o/z", (CatalogFile("z.gguf", 1),), "llama.cpp", "1B", "Q8_0", "MIT", 4096, False, revision="abc123"
    )
    assert pinned.url(pinned.files[0]) == "https://huggingface.co/o/z/resolve/abc123/z.gguf"


def test_parameters_read_the_size_label() -> None:
    assert find("qwen3-0.6b").parameters == pytest.approx(0.6e9)
    assert find("smollm2-360m-instruct").parameters == pytest.approx(3.6e8)
    assert find("phi-4-mini-instruct").parameters == pytest.approx(3.8e9)
