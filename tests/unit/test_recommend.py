"""The first-launch recommendation over machine profiles: what each computer is offered, and that it fits."""

from __future__ import annotations

import json

import pytest

from assistant.runtime import recommend as policy
from assistant.runtime.catalog import CATALOG, CatalogFile, CatalogModel, fits
from assistant.runtime.hardware import Gpu, Machine
from assistant.runtime.recommend import Recommendation, recommend

GIB = 1 << 30


def cpu_only(gib: float) -> Machine:
    return Machine(cpus=8, memory=int(gib * GIB), gpus=(), backends=())


def nvidia(ram_gib: float, vram_gib: float) -> Machine:
    return Machine(8, int(ram_gib * GIB), (Gpu("NVIDIA GeForce RTX", int(vram_gib * GIB), "CUDA"),), ("CUDA",))


def apple(gib: float) -> Machine:
    ram = int(gib * GIB)  # hardware.gpus: Metal may use about three quarters of the unified memory
    return Machine(8, ram, (Gpu("Apple GPU (Metal)", ram * 3 // 4, "Metal"),), ("Metal",))


PROFILES: dict[str, tuple[Machine, str | None, bool]] = {
    "4 GB, no GPU": (cpu_only(4), None, False),
    "8 GB, no GPU": (cpu_only(8), "qwen3-1.7b", False),
    "8 GB laptop reporting 7.6 GiB": (cpu_only(7.6), "qwen3-1.7b", False),
    "16 GB, no GPU": (cpu_only(16), "qwen3-4b", False),
    "32 GB, no GPU": (cpu_only(32), "qwen3-4b", False),
    "8 GB with a 6 GB NVIDIA GPU": (nvidia(8, 6), "qwen3-4b", True),
    "16 GB with a 6 GB NVIDIA GPU": (nvidia(16, 6), "qwen3-4b", True),
    "16 GB with a 24 GB NVIDIA GPU": (nvidia(16, 24), "qwen3-14b", True),
    "32 GB with a 24 GB NVIDIA GPU": (nvidia(32, 24), "qwen3-14b", True),
    "Apple, 8 GB unified": (apple(8), "qwen3-1.7b", True),
    "Apple, 16 GB unified": (apple(16), "qwen3-8b", True),
    "Apple, 32 GB unified": (apple(32), "qwen3-14b", True),
}


@pytest.mark.parametrize("name", PROFILES)
def test_each_machine_is_offered_the_expected_model(name: str) -> None:
    machine, expected, on_gpu = PROFILES[name]
    choice = recommend(machine)
    if expected is None:
        assert choice is None
        return
    assert choice is not None and choice.model.id == expected and choice.on_gpu is on_gpu


@pytest.mark.parametrize("name", PROFILES)
def test_nothing_recommended_needs_more_than_the_machine_has(name: str) -> None:
    machine, _, _ = PROFILES[name]
    choice = recommend(machine)
    if choice is None:
        return
    gpu = policy.usable_gpu(machine)
    for model in (choice.model, *choice.alternatives):
        where = policy.placement(model, machine, gpu)
        assert where is not None, model.id
        if where and gpu is not None and gpu.backend == "CUDA":
            assert model.ram_needed <= gpu.memory, model.id  # all layers on the GPU
        else:
            assert fits(model, machine.memory)[0], model.id  # in RAM (or unified memory) with room to spare
            assert model.ram_needed + policy.APP_RESERVE <= machine.memory / 2, model.id
        if not where:
            assert model.parameters <= 4e9, model.id  # the CPU alone answers too slowly past 4B
    assert choice.model not in choice.alternatives


def test_a_gpu_earns_a_larger_model_than_the_cpu_alone() -> None:
    without, with_gpu = recommend(cpu_only(32)), recommend(nvidia(32, 24))
    assert without is not None and with_gpu is not None
    assert with_gpu.model.parameters > without.model.parameters


def test_alternatives_are_the_other_fitting_models_best_first() -> None:
    choice = recommend(cpu_only(16))
    assert choice is not None
    ids = [m.id for m in choice.alternatives]
    assert ids[:3] == ["phi-4-mini-instruct", "qwen3-1.7b", "qwen3-0.6b"]  # free and multilingual first
    assert "qwen3-8b" not in ids and "smollm2-360m-instruct" not in ids  # too slow on a CPU; too small to matter
    assert ids.index("gemma-3-4b-it") < ids.index("gemma-3-1b-it")  # then larger before smaller


def test_a_free_multilingual_licence_wins_over_a_larger_restricted_one() -> None:
    restricted = _model("big-restricted", "3B", 1 * 10**9, terms="Llama-3.2")
    free = _model("small-free", "1B", 5 * 10**8, terms="Apache-2.0", multilingual=True)
    english = _model("english-free", "2B", 5 * 10**8, terms="MIT")
    choice = recommend(cpu_only(16), (restricted, english, free))
    assert choice is not None and choice.model.id == "small-free"
    assert [m.id for m in choice.alternatives] == ["big-restricted", "english-free"]


def test_the_reason_says_where_it_runs_and_how_much_memory_there_is() -> None:
    cpu = recommend(cpu_only(16))
    assert cpu is not None
    assert "16 GB" in cpu.reason and "CPU" in cpu.reason and "without a GPU" in cpu.reason
    assert "Apache-2.0" in cpu.reason and "Korean" in cpu.reason
    gpu = recommend(nvidia(16, 24))
    assert gpu is not None and "24 GB" in gpu.reason and "NVIDIA GeForce RTX" in gpu.reason and "CUDA" in gpu.reason
    mac = recommend(apple(16))
    assert mac is not None and "Mac's 16 GB of shared memory" in mac.reason and "Metal" in mac.reason
    gated = recommend(cpu_only(16), (_model("llama", "3B", 10**9, terms="Llama-3.2", note="Accept Meta's licence."),))
    assert gated is not None and gated.reason.endswith("Accept Meta's licence.")


def test_a_gpu_of_unknown_memory_counts_as_none_and_the_reason_says_so() -> None:
    machine = Machine(8, 16 * GIB, (Gpu("Vulkan GPU", 0, "Vulkan"),), ("Vulkan",))
    choice = recommend(machine)
    assert choice is not None and choice.model.id == "qwen3-4b" and not choice.on_gpu
    assert "could not be read" in choice.reason


def test_unknown_memory_and_no_gpu_recommends_nothing() -> None:
    assert recommend(Machine(4, 0, (), ())) is None


def test_models_too_small_to_beat_the_built_in_one_are_never_offered() -> None:
    tiny = _model("tiny", "360M", 10**8, terms="Apache-2.0", multilingual=True)
    assert recommend(cpu_only(64), (tiny,)) is None


def test_recommendation_is_a_frozen_value() -> None:
    choice = recommend(cpu_only(8))
    assert isinstance(choice, Recommendation)
    with pytest.raises(AttributeError):
        choice.on_gpu = True  # type: ignore[misc]


def test_every_recommendable_model_is_pinned() -> None:
    for machine, _, _ in PROFILES.values():
        choice = recommend(machine, CATALOG)
        if choice is not None:
            assert all(m.pinned for m in (choice.model, *choice.alternatives))


def _model(
    model_id: str, params: str, size: int, *, terms: str, multilingual: bool = False, note: str = ""
) -> CatalogModel:
    return CatalogModel(
        model_id, model_id, f"o/{model_id}", (CatalogFile(f"{model_id}.gguf", size, "0" * 64),), "llama.cpp",
        params, "Q4_K_M", terms, 8192, False, note=note, revision="a" * 40, multilingual=multilingual,
    )  # fmt: skip


def test_the_cli_prints_this_machine_and_its_recommendation(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant import cli
    from assistant.runtime import hardware

    monkeypatch.setattr(hardware, "machine", lambda: nvidia(32, 24))
    assert cli.main(["models", "recommend", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["recommended"]["id"] == "qwen3-14b" and out["recommended"]["on_gpu"] is True
    assert out["machine"]["gpus"] == [{"name": "NVIDIA GeForce RTX", "memory": 24 * GIB, "backend": "CUDA"}]
    assert "qwen3-8b" in out["alternatives"]
    assert cli.main(["models", "recommend"]) == 0
    text = capsys.readouterr().out
    assert "Recommended: Qwen3 14B (qwen3-14b)" in text and "models download qwen3-14b" in text

    monkeypatch.setattr(hardware, "machine", lambda: cpu_only(4))
    assert cli.main(["models", "recommend", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["recommended"] is None
    assert cli.main(["models", "recommend"]) == 0
    assert "built-in model stays in use" in capsys.readouterr().out
