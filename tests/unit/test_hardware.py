from pathlib import Path

from assistant.runtime import hardware


def test_gpu_backend_is_read_from_the_installed_libraries(tmp_path: Path) -> None:
    for name in ("libggml-base.so", "libggml-cpu.so", "libggml-cuda.so", "libllama.so"):
        (tmp_path / name).touch()
    assert hardware.gpu_backends(tmp_path) == ["CUDA"]


def test_cpu_only_build_has_no_gpu_backend(tmp_path: Path) -> None:
    for name in ("libggml-base.so", "libggml-cpu.so", "libllama.so"):
        (tmp_path / name).touch()
    assert hardware.gpu_backends(tmp_path) == []


def test_threads_use_every_core_on_small_machines_and_physical_cores_on_large() -> None:
    assert hardware.default_threads(2) == 2
    assert hardware.default_threads(16) == 8
    assert hardware.default_threads(128) == 16
