"""What this machine and the installed llama.cpp can run on, found without importing llama_cpp."""

from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path

# Shared-library name fragment -> backend name, in order of preference.
_GPU_BACKENDS = (("cuda", "CUDA"), ("metal", "Metal"), ("vulkan", "Vulkan"), ("hip", "ROCm"))


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def default_threads(cpus: int | None = None) -> int:
    """Decode threads: every core on small machines, about the physical cores on larger ones.

    Token generation is memory-bound; past the physical core count, hyper-threads only add
    contention, and most machines with more than 4 logical CPUs have 2 per core.
    """
    cpus = cpus or available_cpus()
    return cpus if cpus <= 4 else min(max(4, cpus // 2), 16)


def llama_lib_dir() -> Path | None:
    spec = find_spec("llama_cpp")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "lib"


def gpu_backends(lib_dir: Path | None = None) -> list[str]:
    """GPU backends compiled into the installed llama.cpp (from its shared libraries)."""
    lib_dir = lib_dir or llama_lib_dir()
    if lib_dir is None or not lib_dir.is_dir():
        return []
    names = " ".join(p.name.lower() for p in lib_dir.iterdir())
    found = [label for fragment, label in _GPU_BACKENDS if f"ggml-{fragment}" in names]
    # A Metal build on macOS may embed the backend in libggml itself.
    if not found and "darwin" in os.uname().sysname.lower() and "libggml" in names:
        found = ["Metal"]
    return found
