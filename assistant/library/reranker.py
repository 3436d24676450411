"""A second-stage reranker: a cross-encoder reads the question with each passage and scores the pair.

:class:`CrossEncoderReranker` wraps sentence-transformers' ``CrossEncoder`` loaded from a local folder
(offline, safetensors weights only). ``sentence_transformers`` (and torch) are imported at the first
rerank, not when this module is imported. Scoring runs in small batches so a cancel takes effect
within one batch. :func:`find_installed` finds a reranker the person downloaded from the catalog.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError

log = logging.getLogger(__name__)

BATCH_SIZE = 8  # pairs per forward pass: a cancel waits for at most one batch
MAX_TOKENS = 512  # question + passage; longer pairs are truncated (the passages are chunks, far shorter)
SMALL_BATCH_CHARS = 4000  # up to this much text is scored on one thread, as Embedder.embed does


class RerankerError(AssistantError):
    """The reranker's folder is missing, incomplete, not safetensors, or does not load."""


@dataclass(frozen=True)
class RerankResult:
    """``scores[i]`` belongs to ``texts[i]`` (higher is more relevant).

    When ``cancelled``, ``scores`` covers only the texts scored before the cancel (possibly none);
    the caller then keeps its own order.
    """

    scores: list[float] = field(default_factory=list)
    seconds: float = 0.0
    cancelled: bool = False

    def order(self) -> list[int]:
        """Indices of the scored texts, best first; equal scores keep their input order."""
        return sorted(range(len(self.scores)), key=lambda i: -self.scores[i])


def check_folder(path: Path) -> None:
    """Raise :class:`RerankerError` unless ``path`` holds a cross-encoder with safetensors weights."""
    if not path.is_dir():
        raise RerankerError(f"The reranker folder {path} does not exist. Download a reranker again, or choose none.")
    if not (path / "config.json").is_file():
        raise RerankerError(f"The reranker folder {path} has no config.json, so it is not a complete model.")
    if not any(path.glob("*.safetensors")):
        if any(path.glob("*.bin")):
            raise RerankerError(
                f"The reranker in {path} has only pytorch_model.bin weights. Private Assistant loads only "
                "safetensors weights (a .bin file can run code when it is loaded). Download the reranker from "
                "the catalog, or convert the model to model.safetensors."
            )
        raise RerankerError(f"The reranker folder {path} has no weights (model.safetensors).")


class CrossEncoderReranker:
    """Scores (question, passage) pairs with a cross-encoder. Thread-safe: one lock around the model.

    Args:
        model_path: a sentence-transformers / transformers cross-encoder folder (one output label).
        batch_size: pairs per forward pass; a cancel is seen between batches.
        max_tokens: question + passage tokens read per pair; the rest is cut (less is faster on a CPU).
    """

    def __init__(self, model_path: Path, batch_size: int = BATCH_SIZE, max_tokens: int = MAX_TOKENS) -> None:
        self.model_path = Path(model_path)
        self.batch_size = max(1, batch_size)
        self.max_tokens = max_tokens
        self.device = ""
        self._model: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load the model now (off the GUI thread), instead of at the first :meth:`rerank`."""
        with self._lock:
            self._load()

    def _load(self) -> Any:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            check_folder(self.model_path)
            try:
                from sentence_transformers import CrossEncoder

                from assistant.library.embedder import pick_device

                self.device = pick_device()
                self._model = CrossEncoder(
                    str(self.model_path),
                    max_length=self.max_tokens,
                    device=self.device,
                    local_files_only=True,
                    model_kwargs={"use_safetensors": True},
                )
            except Exception as exc:
                log.exception("reranker load failed")
                raise RerankerError(f"The reranker at {self.model_path} could not be loaded ({exc}).") from exc
            log.info("reranker %s on %s", self.model_path.name, self.device)
        return self._model

    def rerank(self, query: str, texts: Sequence[str], cancel: threading.Event | None = None) -> RerankResult:
        """One score per text for how well it answers ``query``, in the order of ``texts``."""
        start = time.perf_counter()
        scores: list[float] = []
        if cancel is not None and cancel.is_set():
            return RerankResult(scores, time.perf_counter() - start, cancelled=True)
        if not texts:
            return RerankResult(scores, time.perf_counter() - start)
        pairs = [(query, text) for text in texts]
        with self._lock:
            model = self._load()
            import torch

            threads = torch.get_num_threads()
            if sum(len(query) + len(t) for t in texts) <= SMALL_BATCH_CHARS:
                torch.set_num_threads(1)
            try:
                for at in range(0, len(pairs), self.batch_size):
                    if cancel is not None and cancel.is_set():
                        return RerankResult(scores, time.perf_counter() - start, cancelled=True)
                    batch = model.predict(
                        pairs[at : at + self.batch_size],
                        batch_size=self.batch_size,
                        show_progress_bar=False,
                        convert_to_numpy=True,
                    )
                    scores.extend(float(s) for s in batch.reshape(-1).tolist())
            finally:
                torch.set_num_threads(threads)
        return RerankResult(scores, time.perf_counter() - start)


def is_complete(folder: Path) -> bool:
    """Whether ``folder`` holds a finished reranker download (its config and safetensors weights)."""
    return (folder / "config.json").is_file() and (folder / "model.safetensors").is_file()


def find_installed(models_dir: Path) -> Path | None:
    """The folder of a reranker the person downloaded, or None.

    Downloads live in ``<models_dir>/rerankers/<id>/`` (``fetch.download_reranker`` renames a folder
    there only once every file is verified; ``.<id>.downloading`` folders are unfinished). Catalog
    rerankers come first, in catalog order; then any other complete folder there, by name.
    """
    from assistant.runtime.catalog import RERANKERS, RERANKERS_FOLDER

    root = Path(models_dir) / RERANKERS_FOLDER
    if not root.is_dir():
        return None
    known = [root / entry.id for entry in RERANKERS]
    others = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and p not in known)
    for folder in [*known, *others]:
        if is_complete(folder):
            return folder
    return None
