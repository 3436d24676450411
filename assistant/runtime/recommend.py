"""Which catalog model to offer at first launch: the best one this computer runs comfortably.

A pure function of a :class:`hardware.Machine` and the catalog, so the policy is tested over machine
profiles without the machines. A person judges the app by its first replies, so the recommendation
aims high, but never at a model that would make the computer crawl:

- *Comfortable*: the model (:attr:`CatalogModel.ram_needed`) plus the app's own embedder, document
  store and window (``APP_RESERVE``) take at most half the memory; the rest stays with the system and
  the person's other programs. (:func:`catalog.fits` answers a different question: can it run at all.)
- *On the CPU only*, at most ``CPU_MAX_PARAMS`` (4B): past that, answers come a few words a second.
- *With a GPU whose memory is known* (CUDA through nvidia-smi; Apple's unified memory for Metal, where
  :func:`hardware.gpus` reports three quarters of RAM), larger models whose needs fit 90% of that
  memory run there. Unified memory is the computer's memory too, so the comfort rule applies as well.
- *Worth a download*: at least ``MIN_PARAMS``; smaller models are hardly better than the built-in one.
- *Best first*: free licences with no terms to accept (Apache-2.0, MIT) that write many languages,
  then the most parameters, then catalog order.

``None`` when nothing fits or the memory is unknown: the app then keeps its built-in model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.runtime.catalog import CATALOG, CatalogModel
from assistant.runtime.hardware import Gpu, Machine

APP_RESERVE = 1_000_000_000  # the embedder (with torch), the document store and the window
COMFORT_SHARE = 0.5  # of the memory, for the model and the app together
CPU_MAX_PARAMS = 4.0e9  # the largest model that answers at a usable speed on a CPU
MIN_PARAMS = 0.5e9  # smaller ones are not worth a download over the built-in model
GPU_SHARE = 0.9  # of the GPU's memory, for the model; the rest for compute buffers and the display
_GIB = 1 << 30


@dataclass(frozen=True)
class Recommendation:
    model: CatalogModel
    reason: str  # a sentence or two for the person: why this model, where it runs
    on_gpu: bool
    alternatives: tuple[CatalogModel, ...]  # the other models that fit comfortably, best first


def recommend(machine: Machine, catalog: Sequence[CatalogModel] = CATALOG) -> Recommendation | None:
    """The best catalog model for ``machine``, or None when none fits comfortably (see the module)."""
    gpu = usable_gpu(machine)
    options: list[tuple[CatalogModel, bool]] = []
    for model in catalog:
        where = placement(model, machine, gpu)
        if where is not None and model.parameters >= MIN_PARAMS:
            options.append((model, where))
    if not options:
        return None
    order = {m.id: i for i, m in enumerate(catalog)}
    options.sort(key=lambda o: (not _preferred(o[0]), -o[0].parameters, order[o[0].id]))
    best, on_gpu = options[0]
    return Recommendation(best, _reason(best, on_gpu, machine, gpu, catalog), on_gpu, tuple(m for m, _ in options[1:]))


def usable_gpu(machine: Machine) -> Gpu | None:
    """The GPU with the most known memory, or None (no GPU, or none whose memory is known)."""
    known = [g for g in machine.gpus if g.memory > 0]
    return max(known, key=lambda g: g.memory) if known else None


def placement(model: CatalogModel, machine: Machine, gpu: Gpu | None) -> bool | None:
    """Where ``model`` runs comfortably: True on the GPU, False on the CPU, None nowhere."""
    comfortable = 0 < machine.memory and model.ram_needed + APP_RESERVE <= machine.memory * COMFORT_SHARE
    if gpu is not None and model.runtime == "llama.cpp" and model.ram_needed <= gpu.memory * GPU_SHARE:
        if not _unified(gpu) or comfortable:
            return True
    if comfortable and model.parameters <= CPU_MAX_PARAMS:
        return False
    return None


def _unified(gpu: Gpu) -> bool:
    return gpu.backend == "Metal"


def _preferred(model: CatalogModel) -> bool:
    return model.permissive and model.multilingual


def _reason(
    model: CatalogModel, on_gpu: bool, machine: Machine, gpu: Gpu | None, catalog: Sequence[CatalogModel]
) -> str:
    if on_gpu and gpu is not None and _unified(gpu):
        where = (
            f"Fits this Mac's {_gb(machine.memory)} GB of shared memory with room to spare; runs on its GPU (Metal)."
        )
    elif on_gpu and gpu is not None:
        where = f"Fits the {_gb(gpu.memory)} GB of memory of the {gpu.name}; runs on that GPU ({gpu.backend}), fast."
    else:
        where = (
            f"Fits this computer's {_gb(machine.memory)} GB of memory with room to spare; "
            "runs on the CPU at a comfortable speed."
        )
        roomy = machine.memory * COMFORT_SHARE - APP_RESERVE
        if any(m.parameters > CPU_MAX_PARAMS and m.ram_needed <= roomy for m in catalog):
            if gpu is not None:
                where += " Larger models need a GPU with more memory."
            elif machine.gpus:
                where += " Larger models are not offered: the memory of this GPU could not be read."
            else:
                where += " Larger models would answer slowly without a GPU."
    if model.permissive and model.multilingual:
        terms = f" Free for any use ({model.license}); writes Korean and many other languages."
    elif model.permissive:
        terms = f" Free for any use ({model.license}); writes English best."
    else:
        terms = f" {model.note}" if model.note else ""
    return where + terms


def _gb(n: int) -> int:
    """Bytes as the GB a computer is sold with (16 GiB of RAM is "16 GB")."""
    return max(1, round(n / _GIB))
