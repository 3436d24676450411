"""Marking the sentences of an answer that its sources do not bear out, in the rendered Markdown.

The claim check (``assistant.agents.claims``) returns each sentence as written; here each
unsupported one is found in the reply's Markdown by its text (exactly, else word by word across
line breaks) and wrapped in two rare punctuation characters, which after rendering become a
``<span>`` with a tooltip and an underline. Punctuation, because CommonMark decides whether ``**``
or ``_`` opens or closes emphasis by the characters next to it: beside punctuation, emphasis
renders as it would without the wrap. List, heading and quote markers stay outside the wrap, and a
sentence that runs over several lines (or table cells) is wrapped piece by piece, so no span
crosses a block.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication

from ui.i18n import QT_TRANSLATE_NOOP
from ui.markdown_html import markdown_to_html

UNSUPPORTED_TIP = QT_TRANSLATE_NOOP("ChatView", "not found in the cited source")


def unsupported_tip() -> str:
    """The tooltip of an unsupported sentence, in the window's language."""
    return QCoreApplication.translate("ChatView", UNSUPPORTED_TIP)


_OPEN, _CLOSE = "\u2e3e", "\u2e3f"  # ⸾ ⸿: Unicode punctuation that answers do not use
_LINE_MARKERS = re.compile(r"[ \t]*(?:(?:[-*+•]|\d{1,9}[.)])[ \t]+|#{1,6}[ \t]+|>[ \t]?)*")
_EDGE = " \t|"
_WORDS = re.compile(r"\w")
_TAG = re.compile(r"<[^>]*>")


def claim_fields(claim: Any) -> tuple[str, bool]:
    """A Claim's sentence and verdict (also from a stored dict)."""
    if isinstance(claim, dict):
        return str(claim.get("text", "")), bool(claim.get("supported", True))
    return str(getattr(claim, "text", "")), bool(getattr(claim, "supported", True))


def unsupported_spans(text: str, claims: Sequence[Any]) -> list[tuple[int, int]]:
    """Where in ``text`` the unsupported claims are, in order (claims not found are left out)."""
    spans: list[tuple[int, int]] = []
    at = 0
    for claim in claims:
        sentence, supported = claim_fields(claim)
        sentence = unicodedata.normalize("NFC", sentence).strip()
        if not sentence:
            continue
        found = _find(text, sentence, at) or _find(text, sentence, 0)
        if found is None:
            continue
        at = found[1]
        if not supported:
            spans.append(found)
    return spans


def _find(text: str, sentence: str, at: int) -> tuple[int, int] | None:
    start = text.find(sentence, at)
    if start >= 0:
        return start, start + len(sentence)
    # The check joins a sentence's lines with one space and drops a quote's ">": match word by word.
    pattern = r"\s+(?:>[ \t]?)?".join(re.escape(word) for word in sentence.split())
    match = re.compile(pattern).search(text, at)
    return (match.start(), match.end()) if match else None


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of ``text[start:end]`` to wrap: one per line (per cell in a table row), markers left out."""
    pieces: list[tuple[int, int]] = []
    line_start = text.rfind("\n", 0, start) + 1
    position = start
    while position < end:
        row_end = text.find("\n", position)
        row_end = len(text) if row_end < 0 else row_end
        line_end = min(row_end, end)
        cells = [position, line_end]
        if text[line_start:row_end].lstrip().startswith("|"):
            cells = [position, *(i for i in range(position, line_end) if text[i] == "|"), line_end]
        for left, right in zip(cells, cells[1:], strict=False):
            if left == line_start:
                left = max(left, min(right, _LINE_MARKERS.match(text, left).end()))  # type: ignore[union-attr]
            while left < right and text[left] in _EDGE:
                left += 1
            while right > left and text[right - 1] in _EDGE:
                right -= 1
            if left < right and _WORDS.search(text, left, right):
                pieces.append((left, right))
        position = line_end + 1
        line_start = position
    return pieces


def mark_unsupported(
    text: str, claims: Sequence[Any], color: str, copy_link: str = "", dark: bool = False, code_background: str = ""
) -> str:
    """The reply as HTML, its unsupported sentences underlined in ``color`` with :data:`UNSUPPORTED_TIP`;
    the other arguments go to :func:`~ui.markdown_html.markdown_to_html` (code blocks as in any reply)."""
    text = unicodedata.normalize("NFC", text.replace(_OPEN, "").replace(_CLOSE, ""))
    pieces = [piece for span in unsupported_spans(text, claims) for piece in _pieces(text, *span)]
    for left, right in sorted(pieces, reverse=True):
        text = text[:left] + _OPEN + text[left:right] + _CLOSE + text[right:]
    rendered = markdown_to_html(text, copy_link, dark, code_background) if text else "<p>…</p>"
    # A wrap that landed inside a tag (a link's address) is dropped rather than break the tag.
    rendered = _TAG.sub(lambda m: m.group(0).replace(_OPEN, "").replace(_CLOSE, ""), rendered)
    opening = (
        f'<span title="{html.escape(unsupported_tip())}" '
        f'style="text-decoration: underline; text-decoration-color: {color}">'
    )
    return rendered.replace(_OPEN, opening).replace(_CLOSE, "</span>")
