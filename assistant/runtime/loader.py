"""Which model a request uses, and the runtime that runs it.

A conversation may name its own model; otherwise the default model (Settings → Models)
is used, and the bundled model when nothing else is set. A model that was removed since
falls back to the default, with a notice. A ``.gguf`` file runs on llama.cpp, a model
folder on transformers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.config import ModelSettings, Settings
from assistant.errors import AssistantError
from assistant.runtime.registry import BUNDLED_ID, InstalledModel, ModelRegistry


@dataclass(frozen=True)
class Choice:
    model: InstalledModel
    settings: ModelSettings  # the general settings with the model's path and options
    notice: str = ""


def choose_model(settings: Settings, model_id: str = "", registry: ModelRegistry | None = None) -> Choice:
    registry = registry or ModelRegistry()
    notice = ""
    for ref in (model_id, settings.default_model, settings.model.path or "", BUNDLED_ID):
        if not ref:
            continue
        try:
            model = registry.resolve(ref)
        except AssistantError as exc:
            notice = notice or f"{exc} Using another model instead."
            continue
        return Choice(model, model.settings(settings.model), notice)
    raise AssistantError(
        "No model is available: the bundled model is missing. Reinstall Private Assistant (`make run` does it), "
        "or import a model in the Models tab."
    )


def open_runtime(path: Path, settings: ModelSettings) -> Any:
    """A runtime for ``path``: transformers for a model folder, llama.cpp for a ``.gguf`` file."""
    path = Path(path)
    if path.is_dir():
        from assistant.runtime.transformers_runtime import TransformersRuntime

        return TransformersRuntime(path, settings, thinking=settings.thinking)
    from assistant.runtime.llama import LlamaRuntime

    return LlamaRuntime(path, settings)
