"""Split sections into chunks that follow the document's structure.

A chunk never spans two sections (so never two pages or two headings). Inside a section,
paragraphs are packed up to ``max_tokens`` of the embedder's own tokenizer; a paragraph
too long for one chunk is cut at sentences, then at clauses, then at words, then (a word
longer than a chunk) at characters. Each new chunk starts with the last ``overlap`` tokens'
worth of sentences of the previous one, so an answer that straddles a boundary is still found whole.

Korean, Japanese and Chinese often have no space after a sentence: "。", "！", "？" end a
sentence wherever they stand, and so does "." (or "!", "?") right after a Hangul, kana or Han
character ("...합니다.다음"). Their size is never taken below one token per character: a
WordPiece tokenizer reads a long run without spaces as a single unknown token.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from assistant.library.documents import Section

# Hangul (syllables, jamo), kana (without the ・ separator) and Han, with 々〆〇: scripts written
# without spaces between words.
CJK_CHARS = (
    "\u1100-\u11ff\u3005-\u3007\u3040-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3130-\u318f\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
)
_CJK = re.compile(f"[{CJK_CHARS}]")
_PARAGRAPH = re.compile(r"\S(?:.*?\S)?(?=[ \t]*\n\s*\n|\s*\Z)", re.S)
_SENTENCE = re.compile(
    r"\S.*?(?:[.!?。](?=\s)"  # Latin: a stop, then a space
    r"|[。！？｡][」』）〕】”’\"']*"  # full-width stops end a sentence wherever they stand
    rf"|(?<=[{CJK_CHARS}])[.!?]"  # "...합니다.다음": a stop right after Hangul, kana or Han
    r"|\n|\Z)",
    re.S,
)
_CLAUSE = re.compile(r"\S.*?(?:[、，；：]|\Z)", re.S)
_WORD = re.compile(r"\S+")
_CHARACTERS = re.compile(r".{1,32}", re.S)


@dataclass(frozen=True)
class Piece:
    text: str
    page: int | None
    heading_path: tuple[str, ...]
    start: int
    end: int
    hidden: bool


def chunk_sections(
    sections: Sequence[Section],
    count_tokens: Callable[[Sequence[str]], list[int]],
    max_tokens: int = 200,
    overlap: int = 32,
) -> list[Piece]:
    """Chunks of every section, in document order. ``count_tokens`` counts a batch of texts."""
    pieces: list[Piece] = []
    for section in sections:
        spans = list(_spans(section, count_tokens, max_tokens))
        for start, end in _pack(spans, max_tokens, overlap):
            text = section.text[start - section.start : end - section.start]
            pieces.append(Piece(text, section.page, section.heading_path, start, end, section.hidden))
    return pieces


def _spans(
    section: Section, count_tokens: Callable[[Sequence[str]], list[int]], max_tokens: int
) -> Iterator[tuple[int, int, int]]:
    """(start, end, tokens) of units no longer than ``max_tokens``: paragraphs, else sentences, clauses, ..."""
    yield from _split(section.text, section.start, 0, len(section.text), 0, count_tokens, max_tokens)


_LEVELS = (_PARAGRAPH, _SENTENCE, _CLAUSE, _WORD, _CHARACTERS)


def _sizes(texts: Sequence[str], count_tokens: Callable[[Sequence[str]], list[int]]) -> list[int]:
    """Tokens of each text, at least one per Hangul, kana or Han character."""
    return [max(n, len(_CJK.findall(t))) for n, t in zip(count_tokens(texts), texts, strict=True)]


def _split(
    text: str,
    base: int,
    lo: int,
    hi: int,
    level: int,
    count_tokens: Callable[[Sequence[str]], list[int]],
    max_tokens: int,
) -> Iterator[tuple[int, int, int]]:
    matches = [(m.start() + lo, m.end() + lo) for m in _LEVELS[level].finditer(text[lo:hi])]
    counts = _sizes([text[a:b] for a, b in matches], count_tokens) if matches else []
    for (a, b), n in zip(matches, counts, strict=True):
        if n <= max_tokens or level == len(_LEVELS) - 1:
            yield (base + a, base + b, n)
        else:
            yield from _split(text, base, a, b, level + 1, count_tokens, max_tokens)


def _pack(spans: list[tuple[int, int, int]], max_tokens: int, overlap: int) -> Iterator[tuple[int, int]]:
    """Greedily join consecutive spans into windows of at most ``max_tokens``, with overlap."""
    i = 0
    while i < len(spans):
        j, used = i, 0
        while j < len(spans) and (used + spans[j][2] <= max_tokens or j == i):
            used += spans[j][2]
            j += 1
        yield spans[i][0], spans[j - 1][1]
        if j >= len(spans):
            return
        # Step back over the last spans (up to ``overlap`` tokens) so they open the next chunk too.
        back, carried = j, 0
        while back - 1 > i and carried + spans[back - 1][2] <= overlap:
            back -= 1
            carried += spans[back][2]
        i = back
