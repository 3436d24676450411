"""Keep a model's reasoning (``<think>...</think>``) apart from its answer, while streaming.

Tags may arrive split across tokens (``<thi`` + ``nk>``), so text that could still be the
start of a tag is held back until the next piece decides it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

OPEN, CLOSE = "<think>", "</think>"

Kind = Literal["answer", "reasoning"]


@dataclass(frozen=True)
class Piece:
    kind: Kind
    text: str


class ReasoningSplitter:
    """Feed raw text pieces; get back answer and reasoning pieces in order."""

    def __init__(self) -> None:
        self._in_reasoning = False
        self._pending = ""

    def feed(self, text: str) -> Iterator[Piece]:
        self._pending += text
        while self._pending:
            tag = CLOSE if self._in_reasoning else OPEN
            at = self._pending.find(tag)
            if at >= 0:
                if at:
                    yield Piece(self._kind, self._pending[:at])
                self._pending = self._pending[at + len(tag) :]
                self._in_reasoning = not self._in_reasoning
                continue
            keep = _partial_tag_suffix(self._pending, tag)
            emit = self._pending[: len(self._pending) - keep]
            if emit:
                yield Piece(self._kind, emit)
            self._pending = self._pending[len(emit) :]
            return

    def flush(self) -> Iterator[Piece]:
        """End of stream: whatever was held back is plain text of the current kind."""
        if self._pending:
            yield Piece(self._kind, self._pending)
            self._pending = ""

    @property
    def _kind(self) -> Kind:
        return "reasoning" if self._in_reasoning else "answer"


def _partial_tag_suffix(text: str, tag: str) -> int:
    """Length of the longest end of ``text`` that is a proper start of ``tag``."""
    for length in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-length:]):
            return length
    return 0


def split_reasoning(text: str) -> tuple[str, str]:
    """Split a finished text into (answer, reasoning)."""
    splitter = ReasoningSplitter()
    pieces = [*splitter.feed(text), *splitter.flush()]
    answer = "".join(p.text for p in pieces if p.kind == "answer")
    reasoning = "".join(p.text for p in pieces if p.kind == "reasoning")
    return answer, reasoning
