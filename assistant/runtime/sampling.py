"""How a model picks its next token: temperature, top-p, top-k, min-p and repetition penalties.

Each model has its own best values. They come, in order, from what the model states about itself
(GGUF ``general.sampling.*`` metadata or ``generation_config.json``), from the catalog entry, and
last from :data:`SMALL_MODEL_DEFAULTS`, which keep a small model on topic and out of loops. Each
field resolves on its own (a model may state only its temperature). The person can set any of
them in the general settings or for one model; those win, and :func:`resolve` says where each
value in effect came from, for the per-model settings to show.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from assistant.runtime.facts import stated_sampling


@dataclass(frozen=True)
class Sampling:
    temperature: float = 0.7
    top_p: float = 0.9
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1  # llama.cpp's multiplicative penalty; 1.0 is off
    presence_penalty: float = 0.0  # OpenAI-style additive penalty; 0.0 is off


# For models that state nothing and are not in the catalog: a floor on probability and a mild repetition
# penalty keep a small model on topic. Not a low temperature: at 0.3 a 0.5 B instruct model's likeliest
# reply to a documents question became the refusal the prompt quotes (52% of answerable tldr questions
# refused, against 15% at 0.7; bench/bench_answers.py), and the loop guard handles loops.
SMALL_MODEL_DEFAULTS = Sampling(temperature=0.7, top_p=0.9, top_k=40, min_p=0.05, repeat_penalty=1.1)


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Sampling))

# Where a value in effect comes from, weakest first. The first three are the model's defaults.
DEFAULT, CATALOG, MODEL, GENERAL, CUSTOM = "default", "catalog", "model", "general", "custom"
SOURCE_LABELS = {
    DEFAULT: "small-model default",
    CATALOG: "catalog recommendation",
    MODEL: "stated by the model",
    GENERAL: "general setting",
    CUSTOM: "set for this model",
}
# The values that make sense; anything outside (a typo in a settings file, a strange model file) is ignored.
LIMITS: dict[str, tuple[float, float]] = {
    "temperature": (0.0, 5.0),  # 0: always the most likely token
    "top_p": (0.0, 1.0),  # 1: off
    "top_k": (0, 100_000),  # 0: off
    "min_p": (0.0, 1.0),  # 0: off
    "repeat_penalty": (0.5, 2.0),  # 1: off
    "presence_penalty": (-2.0, 2.0),  # 0: off
}


@dataclass(frozen=True)
class ResolvedSampling:
    """The values in effect and, for each field, where it came from (a key of :data:`SOURCE_LABELS`)."""

    values: Sampling
    sources: Mapping[str, str]

    def source(self, name: str) -> str:
        return self.sources[name]


def checked(name: str, value: object) -> float | int | None:
    """``value`` as the type of field ``name`` when it is a number in :data:`LIMITS`, else ``None``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        return None
    low, high = LIMITS[name]
    if not low <= value <= high:
        return None
    return int(value) if name == "top_k" else round(float(value), 4)  # GGUF stores float32: 0.949999988


def chosen(settings: object | None) -> dict[str, float | int]:
    """The sampling values set on ``settings`` (a ``ModelSettings`` or ``ModelOptions``); unset ones left out."""
    values = {name: checked(name, getattr(settings, name, None)) for name in FIELDS}
    return {name: value for name, value in values.items() if value is not None}


def resolve(
    stated: Mapping[str, object] | None = None,
    catalog: Sampling | None = None,
    *,
    general: Mapping[str, object] | None = None,
    custom: Mapping[str, object] | None = None,
    default: Sampling = SMALL_MODEL_DEFAULTS,
) -> ResolvedSampling:
    """Each field from the strongest layer that has a usable value for it.

    ``custom`` (this model's own settings) beats ``general`` (the general settings), which beats
    ``stated`` (what the model says about itself), then the ``catalog`` entry, then ``default``.
    """
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    layers = ((CUSTOM, custom or {}), (GENERAL, general or {}), (MODEL, stated or {}))
    for name in FIELDS:
        for source, layer in layers:
            value = checked(name, layer.get(name))
            if value is not None:
                values[name], sources[name] = value, source
                break
        else:
            values[name], sources[name] = getattr(catalog or default, name), CATALOG if catalog else DEFAULT
    return ResolvedSampling(Sampling(**values), sources)


def catalog_sampling(path: Path, thinking: bool = True) -> Sampling | None:
    """The catalog's sampling for the model at ``path``, matched by file name or by its folder's catalog id.

    A download lives in ``models/<catalog id>/``; an imported GGUF keeps its file name, so a catalog
    file imported by hand is recognised too. ``thinking=False``: the values for a reasoning model
    that was asked not to think, where the catalog has them.
    """
    from assistant.runtime import catalog  # imported here: the catalog imports this module

    path = Path(path)
    folder = path if path.is_dir() else path.parent
    for entry in catalog.CATALOG:
        sampling = (None if thinking else entry.sampling_without_thinking) or entry.sampling
        by_folder = folder.name.lower() in (entry.id, entry.repo.rsplit("/", 1)[-1].lower())
        by_file = path.is_file() and any(f.name.lower() == path.name.lower() for f in entry.files)
        if sampling is not None and (by_folder or by_file):
            return sampling
    return None


def for_model(
    path: Path,
    general: object | None = None,
    custom: object | None = None,
    stated: Mapping[str, object] | None = None,
) -> ResolvedSampling:
    """The sampling for the model at ``path``: its own, its catalog entry's or the defaults, under the settings.

    ``general`` and ``custom`` are a ``ModelSettings`` and a ``ModelOptions`` (``None`` fields: not set;
    their ``thinking`` chooses the catalog's values for thinking on or off). ``stated`` saves reading
    the model's file again when the caller has read it already.
    """
    path = Path(path)
    thinking = bool(getattr(custom, "thinking", getattr(general, "thinking", True)))
    return resolve(
        stated_sampling(path) if stated is None else stated,
        catalog_sampling(path, thinking),
        general=chosen(general),
        custom=chosen(custom),
    )
