"""Conversations read from a file, checked and ready to store, and the error a bad file raises."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from assistant.errors import AssistantError

ROLES = ("user", "assistant", "system")


class ConversationFileError(AssistantError):
    """A conversation file that cannot be imported (or written); the message names the file and the fault."""


@dataclass(frozen=True)
class MessageDraft:
    role: str
    content: str
    reasoning: str = ""
    created: float = 0.0
    complete: bool = True
    sources: tuple[dict[str, Any], ...] = ()
    origin: str = ""
    stopped: str = ""
    claims: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class ConversationDraft:
    title: str
    created: float
    updated: float
    collections: tuple[str, ...] = ()
    model: str = ""
    messages: tuple[MessageDraft, ...] = ()


def is_time(value: Any) -> bool:
    """A Unix time in seconds that SQLite and ``datetime`` can hold (bool is not a number here)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and 0 <= value < 1e11


def seconds(value: Any) -> float | None:
    """``value`` as a Unix time, or None where it is not one."""
    return float(value) if is_time(value) else None
