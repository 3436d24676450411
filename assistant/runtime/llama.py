"""The local runtime: a GGUF model through llama.cpp (llama-cpp-python).

``llama_cpp`` is imported only when a model is loaded, on the worker thread that owns it,
so the window can appear first. Loading checks the file, offloads to the GPU when the
installed llama.cpp has one and falls back to the CPU, saying so, if that fails.

Message text is data, never chat structure: llama-cpp-python renders the chat template and
tokenizes the whole prompt with ``special=True``, so a document holding ``<|im_end|>`` then
``<|im_start|>system`` would become a real system turn. Before templating, every text the
loaded model's vocabulary reads as a special token (control, user-defined, unknown) is broken
with a zero-width space in every message's content: it stays readable, and tokenizes as text.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.config import ModelSettings
from assistant.errors import ModelLoadError
from assistant.runtime import hardware
from assistant.runtime.context import FittedPrompt, fit_messages
from assistant.runtime.gguf import GGUFInfo, read_gguf
from assistant.runtime.reasoning import ReasoningSplitter
from assistant.runtime.sampling import ResolvedSampling, Sampling, for_model
from assistant.runtime.types import ChatMessage, RuntimeInfo, StreamStats

log = logging.getLogger(__name__)

ZERO_WIDTH_SPACE = "\u200b"
# llama.cpp's token attributes (llama.h: LLAMA_TOKEN_ATTR_*): the kinds its tokenizer matches as
# whole special tokens in text (UNKNOWN and CONTROL with special=True, USER_DEFINED always).
_ATTR_UNKNOWN, _ATTR_CONTROL, _ATTR_USER_DEFINED = 1 << 0, 1 << 3, 1 << 4
_MAX_PASSES = 8


class ReasoningText(str):
    """A streamed piece of the model's reasoning, not of its answer."""

    __slots__ = ()


def _default_factory(**kwargs: Any) -> Any:
    import llama_cpp

    return llama_cpp.Llama(**kwargs)


class SpecialTokens:
    """The special-token texts of one vocabulary, and how to make them plain text.

    Args:
        texts: the texts the tokenizer reads as one special token.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        # Single characters cannot be split; whitespace runs (some vocabularies' user-defined
        # tokens) carry no structure.
        kept = sorted({t for t in texts if len(t) > 1 and t.strip()}, key=len, reverse=True)
        self.texts = tuple(kept)
        self._pattern = re.compile("|".join(map(re.escape, kept))) if kept else None

    @classmethod
    def of_model(cls, model: Any) -> SpecialTokens:
        """Read from a loaded ``llama_cpp`` model (``Llama._model``): its token attributes."""
        texts = []
        for token in range(model.n_vocab()):
            if model.token_get_attr(token) & (_ATTR_UNKNOWN | _ATTR_CONTROL | _ATTR_USER_DEFINED):
                try:
                    texts.append(model.token_get_text(token))
                except UnicodeDecodeError:  # not UTF-8, so no str content can hold it
                    continue
        return cls(texts)

    def neutralise(self, text: str) -> str:
        """``text`` with a zero-width space after the first character of every special-token text.

        Repeated until nothing matches, so an occurrence overlapping another (or formed around
        an inserted space) is broken too.
        """
        if self._pattern is None:
            return text
        for _ in range(_MAX_PASSES):
            if not self._pattern.search(text):
                return text
            text = self._pattern.sub(lambda m: m[0][0] + ZERO_WIDTH_SPACE + m[0][1:], text)
        # A pathological vocabulary (special texts holding zero-width spaces): replace what still
        # matches. Every text is two characters or more, so each pass shortens it and this ends.
        while self._pattern.search(text):
            text = self._pattern.sub("\ufffd", text)
        return text

    def messages(self, messages: Sequence[ChatMessage]) -> list[ChatMessage]:
        """Each message with its content neutralised (the roles are the app's own)."""
        return [ChatMessage(role=m["role"], content=self.neutralise(m["content"])) for m in messages]


class LlamaRuntime:
    """One loaded GGUF model. Not thread-safe: keep it on the thread that loaded it.

    Args:
        model_path: the ``.gguf`` file.
        settings: context length, threads, GPU layers, sampling.
        factory: builds the ``llama_cpp.Llama``; tests pass one that fails on the GPU.
        backends: GPU backends to try; ``None`` reads them from the installed llama.cpp.
    """

    def __init__(
        self,
        model_path: Path,
        settings: ModelSettings | None = None,
        factory: Callable[..., Any] = _default_factory,
        backends: list[str] | None = None,
    ) -> None:
        self.model_path = Path(model_path)
        self.settings = settings or ModelSettings()
        self._factory = factory
        self._backends = backends
        self._llm: Any = None
        self._info: RuntimeInfo | None = None
        self.gguf: GGUFInfo | None = None
        self.sampling: ResolvedSampling | None = None  # set by load(): the model's own, under the settings
        self.last_stats: StreamStats | None = None
        self.special_tokens = SpecialTokens(())  # set by load(): the loaded vocabulary's

    # -- loading ----------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self._llm is not None

    @property
    def info(self) -> RuntimeInfo:
        if self._info is None:
            raise RuntimeError("the model is not loaded yet")
        return self._info

    def load(self) -> RuntimeInfo:
        """Check the file, then load it (GPU first where available). Idempotent."""
        if self._info is not None:
            return self._info
        self.gguf = read_gguf(self.model_path)
        self.sampling = for_model(self.model_path, self.settings, stated=self.gguf.sampling)
        trained = self.gguf.context_length or self.settings.context_length
        n_ctx = max(256, min(self.settings.context_length, trained))
        threads = self.settings.threads or hardware.default_threads()
        backends = hardware.gpu_backends() if self._backends is None else self._backends
        want_gpu = bool(backends) and self.settings.gpu_layers != 0
        kwargs = {
            "model_path": str(self.model_path),
            "n_ctx": n_ctx,
            "n_threads": threads,
            "n_threads_batch": hardware.available_cpus(),
            "verbose": False,
        }
        notice = ""
        backend, gpu_layers = "CPU", 0
        if want_gpu:
            gpu_layers = self.settings.gpu_layers
            if gpu_layers < 0:  # automatic: all when the model fits the GPU's memory
                gpu_layers = self._auto_gpu_layers(backends[0])
                if gpu_layers == 0:
                    notice = f"The model does not fit in the {backends[0]} GPU's memory; running on the CPU."
        if want_gpu and gpu_layers != 0:
            try:
                self._llm = self._factory(n_gpu_layers=gpu_layers, **kwargs)
                backend = backends[0]
            except Exception as exc:  # noqa: BLE001 - any GPU failure falls back to the CPU
                log.warning("GPU load of %s failed, falling back to CPU", self.model_path, exc_info=True)
                notice = f"Loading on the {backends[0]} GPU failed ({exc}); running on the CPU instead."
                backend, gpu_layers = "CPU", 0
        if self._llm is None:
            try:
                self._llm = self._factory(n_gpu_layers=0, **kwargs)
            except Exception as exc:
                log.exception("loading %s failed", self.model_path)
                raise ModelLoadError(
                    f"llama.cpp could not load {self.model_path.name} ({exc}). The file may be "
                    "for a newer llama.cpp or an unsupported architecture "
                    f"({self.gguf.architecture}); try another model."
                ) from exc
        self._info = RuntimeInfo(
            model=display_name(self.model_path, self.gguf),
            backend=backend,
            gpu_layers=gpu_layers if gpu_layers >= 0 else self.gguf.block_count + 1,
            context_length=n_ctx,
            threads=threads,
            notice=notice,
            parameters=self.gguf.parameters,
        )
        self.special_tokens = SpecialTokens.of_model(self._llm._model)
        handler = self._thinking_off_handler()
        if handler is not None:
            self._llm.chat_handler = handler
        return self._info

    def _auto_gpu_layers(self, backend: str) -> int:
        assert self.gguf is not None
        machine = hardware.machine()
        memory = max((g.memory for g in machine.gpus if g.backend == backend), default=0)
        return hardware.auto_gpu_layers(self.gguf.file_size, self.gguf.block_count, memory)

    def _thinking_off_handler(self) -> Any:
        """A chat handler rendering the template with ``enable_thinking=False`` (Qwen3-style switch)."""
        assert self.gguf is not None
        template = self.gguf.chat_template or ""
        if self.settings.thinking or "enable_thinking" not in template:
            return None
        llm = self._llm
        eos = llm._model.token_get_text(llm.token_eos()) if llm.token_eos() != -1 else ""
        bos = llm._model.token_get_text(llm.token_bos()) if llm.token_bos() != -1 else ""
        return formatter_without_thinking(template, eos, bos, llm.token_eos()).to_chat_handler()

    def close(self) -> None:
        if self._llm is not None:
            with contextlib.suppress(Exception):
                self._llm.close()
        self._llm, self._info = None, None

    # -- generation -------------------------------------------------------------------

    def count_tokens(self, text: str) -> int:
        if not text:
            return 0
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def fit(self, messages: Sequence[ChatMessage], max_tokens: int | None = None) -> FittedPrompt:
        """The messages that fit the context window, leaving room for the reply.

        Their content is neutralised (:class:`SpecialTokens`), before counting and again after
        fitting (which may cut the newest message's text).
        """
        info = self.load()
        fitted = fit_messages(
            self.special_tokens.messages(messages),
            info.context_length,
            max_tokens or self.settings.max_tokens,
            self.count_tokens,
        )
        return dataclasses.replace(fitted, messages=self.special_tokens.messages(fitted.messages))

    def stream(
        self,
        messages: Sequence[ChatMessage],
        cancel: threading.Event | None = None,
        max_tokens: int | None = None,
    ) -> Iterator[str]:
        """Yield the reply piece by piece; reasoning pieces are :class:`ReasoningText`.

        Stops between tokens once ``cancel`` is set. ``last_stats`` is set when it ends.
        """
        fitted = self.fit(messages, max_tokens)
        assert self.sampling is not None
        splitter = ReasoningSplitter()
        started = time.perf_counter()
        first = last = 0.0
        tokens = 0
        cancelled = False
        chunks = self._llm.create_chat_completion(
            messages=list(fitted.messages),
            stream=True,
            max_tokens=fitted.max_tokens,
            **completion_sampling(self.sampling.values),
        )
        try:
            for chunk in chunks:
                if cancel is not None and cancel.is_set():
                    cancelled = True
                    break
                text = chunk["choices"][0]["delta"].get("content")
                if not text:
                    continue
                last = time.perf_counter()
                if not tokens:
                    first = last
                tokens += 1
                for piece in splitter.feed(text):
                    yield ReasoningText(piece.text) if piece.kind == "reasoning" else piece.text
            for piece in splitter.flush():
                yield ReasoningText(piece.text) if piece.kind == "reasoning" else piece.text
        finally:
            chunks.close()
            self.last_stats = StreamStats(
                tokens=tokens,
                prompt_tokens=fitted.prompt_tokens,
                seconds=last - first,
                time_to_first_token=(first - started) if tokens else 0.0,
                dropped_messages=fitted.dropped,
                cancelled=cancelled or (cancel is not None and cancel.is_set()),
            )


def completion_sampling(sampling: Sampling) -> dict[str, Any]:
    """``create_chat_completion``'s sampling arguments (temperature 0: greedy; top-k 0, min-p 0: off)."""
    return {
        "temperature": sampling.temperature,
        "top_p": sampling.top_p,
        "top_k": sampling.top_k,
        "min_p": sampling.min_p,
        "repeat_penalty": sampling.repeat_penalty,
        "presence_penalty": sampling.presence_penalty,
    }


def formatter_without_thinking(template: str, eos: str, bos: str, eos_id: int) -> Any:
    """llama-cpp-python's sandboxed template formatter, rendering with ``enable_thinking=False``."""
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    class NoThinking(Jinja2ChatFormatter):
        def __call__(self, **kwargs: Any) -> Any:
            return super().__call__(**{**kwargs, "enable_thinking": False})

    return NoThinking(template, eos, bos, stop_token_ids=[eos_id])


def display_name(path: Path, info: GGUFInfo | None) -> str:
    """A short name for the status bar: the file's stem says more than most general.name."""
    stem = path.stem
    return stem if len(stem) <= 48 else (info.name if info else stem[:48])
