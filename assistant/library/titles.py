"""A document's title and the short header that gives each of its chunks its place.

The header ("Style Guide for Python Code — Code Lay-out > Indentation") is embedded and keyword
indexed with the chunk, so a passage that never repeats its subject ("Use 4 spaces per level")
is still found by it; it is never shown or cited, the passage is.

The title comes from the file's own words, in this order: a ``Title:`` field in the block of
``Key: value`` lines a file may open with (YAML front matter, MultiMarkdown and Pelican metadata,
PEP and e-mail style headers, reST ``:title:`` fields), else the document's first heading, else
the file name ("disk-usage_report.txt" -> "disk usage report").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePath

HEADER_SEP = " — "
PATH_SEP = " > "
_FIELD = re.compile(r"^(?::([A-Za-z][\w -]{0,30}):|([A-Za-z][\w -]{0,30}):)\s*(.*)$")
_CONTINUATION = re.compile(r"^\s+\S")
_FENCE = ("---", "+++", "...")
MAX_FIELD_LINES = 40
MAX_TITLE_CHARS = 200


def document_title(first_text: str, first_headings: Sequence[str], path: str) -> str:
    """The title of a document from its opening text, its first heading path and its file name."""
    title = _field_title(first_text) or (first_headings[0].strip() if first_headings else "")
    return (title or file_words(path))[:MAX_TITLE_CHARS]


def file_words(path: str) -> str:
    """The file name as words: "frames.rst" -> "frames", "disk-usage_report.txt" -> "disk usage report"."""
    return re.sub(r"[-_.\s]+", " ", PurePath(path).stem).strip()


def place_words(path: str) -> str:
    """The file name and its folder as words, for the keyword index ("coordinates/frames.rst")."""
    pure = PurePath(path)
    return f"{re.sub(r'[-_.]+', ' ', pure.parent.name)} {file_words(path)}".strip()


def chunk_header(title: str, heading_path: Sequence[str]) -> str:
    """ "Title — Heading > Subheading", leaving out a first heading that repeats the title."""
    headings = list(heading_path)
    if headings and title and headings[0].strip().casefold() == title.strip().casefold():
        headings = headings[1:]
    trail = PATH_SEP.join(h for h in headings if h)
    return f"{title}{HEADER_SEP}{trail}" if title and trail else title or trail


def _field_title(text: str) -> str:
    """The value of a ``Title`` field in the ``Key: value`` block at the very top of ``text``, if any."""
    lines = text.lstrip("\ufeff").splitlines()[:MAX_FIELD_LINES]
    start = 1 if lines and lines[0].strip() in _FENCE else 0
    for line in lines[start:]:
        if not line.strip() or line.strip() in _FENCE:
            break
        field = _FIELD.match(line)
        if field:
            if (field.group(1) or field.group(2)).strip().lower() == "title":
                return field.group(3).strip().strip("\"'").strip()
        elif not _CONTINUATION.match(line):
            break
    return ""
