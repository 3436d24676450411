"""Read a DOCX with python-docx: Sections under the heading stack, tables as "cell | cell" rows.

Runs that are hidden (Word's hidden font), white or near-white (every channel at least F5), or
1 pt or smaller go to a hidden Section with the same heading path. python-docx is imported here,
only when a DOCX is read; the caller has already checked the zip container
(``loaders.check_docx_container``).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.library.documents import Section
from assistant.library.loaders import DocumentError
from assistant.library.loaders_text import Outline

if TYPE_CHECKING:
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

_HEADING_STYLE = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
# A run this close to white cannot be read on a white page (FAFAFA, FEFEFE); F0F0F0 still can, faintly.
_NEAR_WHITE = 0xF5
# A run this small cannot be read: 1 pt is two half-points, Word's unit for font sizes.
_MAX_HIDDEN_POINTS = 1.0
_EMU_PER_POINT = 12700


def read_docx(path: Path) -> list[Section]:
    """Sections of a DOCX body in document order.

    Raises:
        DocumentError: python-docx cannot open it, or its body cannot be walked.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            document = docx.Document(str(path))
        except PackageNotFoundError as error:
            raise DocumentError.damaged(path, "DOCX", "it holds no Word document") from error
        except Exception as error:  # python-docx and lxml fail on broken files in many ways
            raise DocumentError.damaged(path, "DOCX", f"{type(error).__name__}: {error}") from error
        outline = Outline()
        try:
            for block in _blocks(document.element.body, document._body):
                _add_block(outline, block)
        except Exception as error:  # a malformed body can break any step of the walk
            raise DocumentError.damaged(path, "DOCX", f"its text cannot be read: {error}") from error
        return outline.finish()


def _blocks(element: Any, parent: Any) -> Iterator[Paragraph | Table]:
    """Paragraphs and tables under ``element`` in document order, looking inside content controls."""
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent)
        elif child.tag == qn("w:tbl"):
            yield Table(child, parent)
        elif child.tag == qn("w:sdt"):
            for content in child.iterchildren(qn("w:sdtContent")):
                yield from _blocks(content, parent)


def _add_block(outline: Outline, block: Paragraph | Table) -> None:
    from docx.text.paragraph import Paragraph

    if isinstance(block, Paragraph):
        visible, hidden = _paragraph_text(block)
        if hidden.strip():
            outline.hidden.append(hidden)
        level = _heading_level(block)
        if level is not None and visible.strip():
            outline.heading(level, " ".join(visible.split()))
        else:
            outline.lines.append(visible)
        return
    for row_text, hidden in _table_rows(block):
        outline.lines.append(row_text)
        if hidden:
            outline.hidden.append(hidden)


def _heading_level(paragraph: Paragraph) -> int | None:
    name = (paragraph.style.name if paragraph.style is not None else None) or ""
    if name.lower() == "title":
        return 0
    match = _HEADING_STYLE.match(name.strip())
    return int(match.group(1)) if match else None


def _paragraph_text(paragraph: Paragraph) -> tuple[str, str]:
    """(visible, hidden) text of a paragraph's runs, hyperlinks included."""
    from docx.text.run import Run

    visible: list[str] = []
    hidden: list[str] = []
    for item in paragraph.iter_inner_content():
        runs = [item] if isinstance(item, Run) else item.runs
        for run in runs:
            (hidden if _run_hidden(run, paragraph) else visible).append(run.text)
    return "".join(visible), "".join(hidden)


def _first_set(values: Iterator[Any]) -> Any:
    return next((value for value in values if value is not None), None)


def _run_hidden(run: Run, paragraph: Paragraph) -> bool:
    """Whether a reader would not see the run: hidden font, (near-)white colour or a size of 1 pt or less,
    set on it or its styles."""
    fonts = [run.font]
    if run.style is not None:
        fonts.append(run.style.font)
    if paragraph.style is not None:
        fonts.append(paragraph.style.font)
    if _first_set(font.hidden for font in fonts):
        return True
    colour = _first_set(font.color.rgb for font in fonts)
    if colour is not None and _near_white(str(colour)):
        return True
    size = _first_set(font.size for font in fonts)
    return size is not None and int(size) <= _MAX_HIDDEN_POINTS * _EMU_PER_POINT


def _near_white(hex_code: str) -> bool:
    try:
        channels = bytes.fromhex(hex_code)
    except ValueError:
        return False
    return len(channels) == 3 and min(channels) >= _NEAR_WHITE


def _table_rows(table: Table) -> Iterator[tuple[str, str]]:
    """("cell | cell | cell", hidden text) per row; merged cells count once, nested tables become lines."""
    for row in table.rows:
        cells: list[str] = []
        hidden: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            parts: list[str] = []
            for block in _blocks(cell._tc, cell):
                nested = Outline()
                _add_block(nested, block)
                parts.extend(line.strip() for line in nested.lines if line.strip())
                hidden.extend(line.strip() for line in nested.hidden if line.strip())
            cells.append(" ".join(parts))
        if any(cells):
            yield " | ".join(cells), " ".join(hidden)
        elif hidden:
            yield "", " ".join(hidden)
