"""What this machine and the installed llama.cpp can run on, found without importing llama_cpp."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

log = logging.getLogger(__name__)

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
    if not found and sys.platform == "darwin" and "libggml" in names:
        found = ["Metal"]
    return found


@dataclass(frozen=True)
class Gpu:
    name: str
    memory: int  # bytes; 0 when unknown
    backend: str  # "CUDA", "Metal", ...


@dataclass(frozen=True)
class Machine:
    """What the models page says about this computer."""

    cpus: int
    memory: int  # bytes of RAM; 0 when unknown
    gpus: tuple[Gpu, ...]
    backends: tuple[str, ...]  # GPU backends compiled into the installed llama.cpp

    def describe(self) -> str:
        parts = [f"{self.cpus} CPU cores", f"{self.memory / 1e9:.0f} GB memory" if self.memory else "memory unknown"]
        parts += [f"{g.name} ({g.memory / 1e9:.0f} GB)" if g.memory else g.name for g in self.gpus]
        usable = ", ".join(self.backends) if self.backends else "CPU only"
        return " · ".join(parts) + f" · llama.cpp: {usable}"


def machine() -> Machine:
    total = memory()
    backends = tuple(gpu_backends())
    return Machine(available_cpus(), total, tuple(gpus(backends, total)), backends)


def memory() -> int:
    """Bytes of RAM, or 0 where it cannot be read."""
    try:
        if sys.platform.startswith("linux"):
            for line in Path("/proc/meminfo").read_text().splitlines():
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
        if sys.platform == "darwin":
            out = subprocess.run(["sysctl", "-n", "hw.memsize"], capture_output=True, text=True, timeout=2)
            return int(out.stdout.strip() or 0)
        if sys.platform == "win32":
            return _windows_memory()
    except (OSError, ValueError, subprocess.SubprocessError):
        pass
    return 0


def _windows_memory() -> int:
    import ctypes

    class _Status(ctypes.Structure):
        _fields_ = [("length", ctypes.c_ulong), ("load", ctypes.c_ulong)] + [
            (name, ctypes.c_ulonglong)
            for name in ("total", "avail", "total_page", "avail_page", "total_virtual", "avail_virtual", "ext")
        ]

    status = _Status()
    status.length = ctypes.sizeof(_Status)
    ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status))  # type: ignore[attr-defined]
    return int(status.total)


def gpus(backends: tuple[str, ...], ram: int) -> list[Gpu]:
    """GPUs llama.cpp can use here: NVIDIA ones through nvidia-smi, Apple's unified memory for Metal."""
    found: list[Gpu] = []
    if "CUDA" in backends and shutil.which("nvidia-smi"):
        try:
            out = subprocess.run(
                ["nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader,nounits"],
                capture_output=True,
                text=True,
                timeout=3,
            )
            for line in out.stdout.strip().splitlines():
                name, _, mib = line.rpartition(",")
                found.append(Gpu(name.strip(), int(float(mib)) * 1024 * 1024, "CUDA"))
        except (OSError, ValueError, subprocess.SubprocessError):
            log.info("nvidia-smi did not answer", exc_info=True)
    if "Metal" in backends and sys.platform == "darwin":
        # Apple silicon shares memory; Metal may use about three quarters of it.
        found.append(Gpu("Apple GPU (Metal)", ram * 3 // 4, "Metal"))
    if not found:
        found += [Gpu(f"{b} GPU", 0, b) for b in backends]
    return found


def auto_gpu_layers(model_bytes: int, block_count: int, gpu_memory: int, context_bytes: int = 512 << 20) -> int:
    """GPU layers to offload: all (-1) when the model fits, else the share of layers that fits, else 0.

    ``gpu_memory`` 0 (unknown) gives all: llama.cpp then fails on a GPU that is too small, and
    the runtime falls back to the CPU with a message.
    """
    if gpu_memory <= 0 or model_bytes <= 0 or block_count <= 0:
        return -1
    usable = gpu_memory * 0.9 - context_bytes
    if usable >= model_bytes:
        return -1
    return max(0, int(block_count * usable / model_bytes))
