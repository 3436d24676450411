"""Values that cross the library's boundaries: what a loader reads, what gets indexed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """A run of text from one place in a document.

    Attributes:
        text: the text as a reader sees it.
        page: 1-based page number (PDF), else None.
        heading_path: the headings above this text, outermost first (Markdown, DOCX, HTML, RST).
        start, end: character offsets of ``text`` in the document's extracted text
            (the concatenation of every section's text, in order, joined by "\\n\\n").
        hidden: True when the text would be invisible to a reader (white, zero-size or
            hidden-styled text, invisible PDF render mode), where detectable.
    """

    text: str
    page: int | None = None
    heading_path: tuple[str, ...] = ()
    start: int = 0
    end: int = 0
    hidden: bool = False


@dataclass(frozen=True)
class Chunk:
    """One piece of a document as stored and retrieved."""

    id: str
    path: str
    collection: str
    ordinal: int
    text: str
    page: int | None
    heading_path: tuple[str, ...]
    start: int
    end: int
    hidden: bool = False
    title: str = ""  # the document's title (titles.document_title): indexed with the chunk, never shown as its text


@dataclass(frozen=True)
class Source:
    """A retrieved passage, best first in a result list."""

    path: str
    page: int | None
    heading_path: tuple[str, ...]
    text: str
    score: float  # fused rank score (higher is better)
    chunk_id: str
    start: int = 0
    end: int = 0
    similarity: float = 0.0  # cosine similarity to the question, 0 when found by keywords only
    keyword_hit: bool = False
    collection: str = ""  # the collection the index holds the passage in; "" when unknown (treat as local-only)
