from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.config import ModelSettings
from assistant.library.embedder import Embedder
from assistant.paths import bundled_model_path
from assistant.runtime.llama import LlamaRuntime


@pytest.fixture(scope="session")
def bundled_runtime() -> Iterator[LlamaRuntime]:
    """The real bundled SmolLM2 model, loaded once; greedy so outputs are repeatable."""
    runtime = LlamaRuntime(bundled_model_path(), ModelSettings(temperature=0.0, max_tokens=48))
    runtime.load()
    yield runtime
    runtime.close()


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real bundled embedder, loaded once for the session."""
    return Embedder()
