"""What agents yield while they work, and the one streaming step they share."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.conversations import Message
from assistant.library.documents import Source
from assistant.runtime.llama import ReasoningText
from assistant.runtime.loop_guard import REPETITION, LoopGuard
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
class Stopped:
    """The app (not the person) stopped the reply.

    ``reason``: ``"repetition"`` (the loop guard tripped). ``text``: the reply as it should be kept,
    without the repeated part; it equals the answer tokens streamed before it (the guard holds back
    anything a later trip could cut), so it is what to store.
    """

    reason: str
    text: str


@dataclass(frozen=True)
class Finished:
    text: str
    reasoning: str
    stats: StreamStats
    message: Message | None  # the stored reply; None when not stored
    sources: tuple[Source, ...] = ()
    stopped: str = ""  # "" or why the app stopped it ("repetition")
    claims: tuple[Any, ...] = ()  # assistant.agents.claims.Claim per sentence of a documents answer


Event = Notice | Token | Stopped | Finished


def stream_reply(
    runtime: Runtime,
    messages: Sequence[ChatMessage],
    cancel: threading.Event | None = None,
) -> Iterator[Notice | Token | Stopped]:
    """Fit ``messages`` to the context window, say what was left out, stream the reply.

    The answer (not the reasoning) goes through a :class:`LoopGuard`: its tokens come out only
    once no loop can take them back, and when the model starts repeating itself generation
    stops and the last event is ``Stopped("repetition", text)``, ``text`` being the answer
    tokens already yielded, joined. The runtime's stream is closed whenever this one ends early.
    """
    fitted = runtime.fit(messages)
    if fitted.dropped:
        yield Notice(
            f"The conversation is longer than the model's context window, so the "
            f"{fitted.dropped} oldest message{'s' if fitted.dropped != 1 else ''} "
            "were left out of what the model sees."
        )
    guard = LoopGuard()
    pieces = runtime.stream(fitted.messages, cancel, fitted.max_tokens)
    try:
        for piece in pieces:
            if isinstance(piece, ReasoningText):
                yield Token(str(piece), reasoning=True)
                continue
            shown = guard.feed(str(piece))
            if shown:
                yield Token(shown)
            if guard.tripped:
                break
    finally:
        close = getattr(pieces, "close", None)
        if close is not None:
            close()  # llama.cpp stops generating; the runtime records its statistics
    if guard.tripped:
        yield Stopped(REPETITION, guard.kept)
    else:
        rest = guard.finish()
        if rest:
            yield Token(rest)
