"""Deterministic stand-ins for fast unit tests of logic (the real model has its own tests)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from assistant.config import ModelSettings
from assistant.runtime.context import FittedPrompt, fit_messages
from assistant.runtime.llama import ReasoningText
from assistant.runtime.reasoning import ReasoningSplitter
from assistant.runtime.types import ChatMessage, RuntimeInfo, StreamStats


class FakeRuntime:
    """Streams queued replies word by word; counts one token per word.

    ``delay`` slows each token so that Stop can land mid-stream; ``gate`` (when set)
    holds the stream after the first token until the test releases it.
    """

    def __init__(
        self,
        replies: Sequence[str] = ("Hello from the fake model.",),
        context_length: int = 4096,
        delay: float = 0.0,
    ) -> None:
        self.replies = list(replies)
        self.context_length = context_length
        self.delay = delay
        self.gate: threading.Event | None = None
        self.seen: list[list[ChatMessage]] = []
        self.last_stats: StreamStats | None = None
        self.loaded = False
        self.loads = 0

    @property
    def info(self) -> RuntimeInfo:
        return RuntimeInfo("fake-model", "CPU", 0, self.context_length, 1)

    def load(self) -> RuntimeInfo:
        self.loaded = True
        self.loads += 1
        return self.info

    def close(self) -> None:
        self.loaded = False

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def fit(self, messages: Sequence[ChatMessage], max_tokens: int | None = None) -> FittedPrompt:
        return fit_messages(messages, self.context_length, max_tokens or 64, self.count_tokens, 4)

    def stream(
        self,
        messages: Sequence[ChatMessage],
        cancel: threading.Event | None = None,
        max_tokens: int | None = None,
    ) -> Iterator[str]:
        self.seen.append(list(messages))
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        splitter = ReasoningSplitter()
        words = reply.split(" ")
        produced = 0
        cancelled = False
        try:
            for i, word in enumerate(words):
                if cancel is not None and cancel.is_set():
                    cancelled = True
                    break
                produced += 1
                for piece in splitter.feed(word + (" " if i < len(words) - 1 else "")):
                    yield ReasoningText(piece.text) if piece.kind == "reasoning" else piece.text
                if i == 0 and self.gate is not None:
                    self.gate.wait(10)
                if self.delay:
                    time.sleep(self.delay)
            for piece in splitter.flush():
                yield piece.text
        finally:  # as the real runtimes do: closed early (Stop, the loop guard) still leaves stats
            self.last_stats = StreamStats(produced, 0, max(produced * 0.01, 0.01), 0.01, 0, cancelled)


def fake_factory(runtime: FakeRuntime):  # type: ignore[no-untyped-def]
    def factory(path: Path, settings: ModelSettings) -> FakeRuntime:
        return runtime

    return factory
