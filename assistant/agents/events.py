"""What agents yield while they work, and the one streaming step they share."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from assistant.conversations import Message
from assistant.library.documents import Source
from assistant.runtime.llama import ReasoningText
from assistant.runtime.types import ChatMessage, Runtime, StreamStats


@dataclass(frozen=True)
class Notice:
    """Something the person should know about this reply (e.g. older turns left out)."""

    text: str


@dataclass(frozen=True)
class Token:
    text: str
    reasoning: bool = False


@dataclass(frozen=True)
class Finished:
    text: str
    reasoning: str
    stats: StreamStats
    message: Message | None  # the stored reply; None when not stored
    sources: tuple[Source, ...] = ()


Event = Notice | Token | Finished


def stream_reply(
    runtime: Runtime,
    messages: Sequence[ChatMessage],
    cancel: threading.Event | None = None,
) -> Iterator[Notice | Token]:
    """Fit ``messages`` to the context window, say what was left out, stream the reply."""
    fitted = runtime.fit(messages)
    if fitted.dropped:
        yield Notice(
            f"The conversation is longer than the model's context window, so the "
            f"{fitted.dropped} oldest message{'s' if fitted.dropped != 1 else ''} "
            "were left out of what the model sees."
        )
    for piece in runtime.stream(fitted.messages, cancel, fitted.max_tokens):
        yield Token(str(piece), reasoning=isinstance(piece, ReasoningText))
