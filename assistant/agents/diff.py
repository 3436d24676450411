"""Word-level diffs that the person accepts or rejects change by change.

Texts are split into words, whitespace runs and single punctuation marks; the changes between
the two token lists are numbered from 0 in reading order. Adjacent edits (and two edits with only
one space between them) form one change, so "recieved teh" -> "received the" is one click.
``apply(segments, every index)`` gives the new text and ``apply(segments, ())`` the old one, exactly.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Change:
    """One edit: ``old`` (what rejecting keeps) becomes ``new`` (what accepting puts in its place)."""

    index: int
    kind: str  # "insert" | "delete" | "replace"
    old: str
    new: str


@dataclass(frozen=True)
class Segment:
    """A run of the diff: equal text (``change`` None) or one change."""

    text: str  # the old text for a change (what a reject keeps); the equal text otherwise
    change: Change | None = None


def tokens(text: str) -> list[str]:
    """``text`` as words, whitespace runs and single other characters; joined, they give ``text`` back."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Segment]:
    """Equal runs and changes, in order; ``apply`` with every change accepted gives ``new``."""
    a, b = tokens(old), tokens(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    segments: list[Segment] = []
    pending_old: list[str] = []
    pending_new: list[str] = []

    def close_change() -> None:
        if pending_old or pending_new:
            kind = "replace" if pending_old and pending_new else ("delete" if pending_old else "insert")
            index = sum(1 for s in segments if s.change is not None)
            old_text, new_text = "".join(pending_old), "".join(pending_new)
            segments.append(Segment(old_text, Change(index, kind, old_text, new_text)))
            pending_old.clear()
            pending_new.clear()

    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            equal = a[i1:i2]
            # A lone space between two changes joins them into one change (reads better).
            if (pending_old or pending_new) and len(equal) == 1 and equal[0] == " " and i2 < len(a):
                pending_old.append(" ")
                pending_new.append(" ")
                continue
            close_change()
            segments.append(Segment("".join(equal)))
        else:
            pending_old.extend(a[i1:i2])
            pending_new.extend(b[j1:j2])
    close_change()
    return segments


def changes(segments: Sequence[Segment]) -> list[Change]:
    """The changes in ``segments``, in order (their ``index`` is their position in this list)."""
    return [s.change for s in segments if s.change is not None]


def apply(segments: Sequence[Segment], accepted: Collection[int]) -> str:
    """The text with the ``accepted`` changes (by index) applied and the others rejected."""
    out: list[str] = []
    for segment in segments:
        change = segment.change
        if change is None:
            out.append(segment.text)
        else:
            out.append(change.new if change.index in accepted else change.old)
    return "".join(out)
