"""Values shared by every runtime: messages in, text and statistics out."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypedDict

if TYPE_CHECKING:
    from assistant.runtime.context import FittedPrompt


class ChatMessage(TypedDict):
    role: str  # "system" | "user" | "assistant"
    content: str


@dataclass(frozen=True)
class RuntimeInfo:
    """What the status bar shows about the loaded model."""

    model: str
    backend: str  # "CPU", "CUDA", "Metal", "Vulkan"
    gpu_layers: int
    context_length: int
    threads: int
    notice: str = ""  # e.g. why the GPU was not used
    parameters: int = 0  # the model's weights, from its files; 0 when unknown


@dataclass(frozen=True)
class StreamStats:
    tokens: int
    prompt_tokens: int
    seconds: float  # first token to last
    time_to_first_token: float
    dropped_messages: int
    cancelled: bool

    @property
    def tokens_per_s(self) -> float:
        """Decode speed: the tokens after the first over the time they took."""
        return (self.tokens - 1) / self.seconds if self.tokens > 1 and self.seconds > 0 else 0.0


class Runtime(Protocol):
    """A loaded model that streams replies. Used from one thread at a time."""

    @property
    def info(self) -> RuntimeInfo: ...

    @property
    def last_stats(self) -> StreamStats | None: ...

    def fit(self, messages: Sequence[ChatMessage], max_tokens: int | None = None) -> FittedPrompt: ...

    def stream(
        self,
        messages: Sequence[ChatMessage],
        cancel: threading.Event | None = None,
        max_tokens: int | None = None,
    ) -> Iterator[str]: ...
