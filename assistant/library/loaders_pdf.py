"""Read a PDF with pypdf: one Section per page, plus one hidden Section for a page's invisible text.

Text counts as hidden when it is drawn with render mode 3 (invisible), at a size of
(almost) zero, or filled white or near-white, whichever operators set the fill colour: ``g``/``rg``/``k``,
or ``cs`` then ``sc``/``scn`` in a gray, RGB, CMYK, ICC-based, calibrated, Lab or spot colour space.
pypdf is imported here, only when a PDF is read.
"""

from __future__ import annotations

import logging
import math
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.library.documents import Section
from assistant.library.loaders import DocumentError

if TYPE_CHECKING:
    from pypdf import PageObject

log = logging.getLogger(__name__)

INVISIBLE_RENDER_MODE = 3
# Glyphs drawn smaller than this many points (after the text and page matrices) cannot be read.
MIN_VISIBLE_POINTS = 0.5
_SHOW_TEXT = frozenset({b"Tj", b"TJ", b"'", b'"'})
_TRACKED = _SHOW_TEXT | {b"q", b"Q", b"Tr", b"Tf", b"rg", b"g", b"k", b"cs", b"sc", b"scn"}
# A fill this close to white (each component, 0..1) cannot be read on a white page: FAFAFA is 0.98.
_NEAR_WHITE = 0.96
# Fill colour spaces by how their components say "white": gray/rgb all high, cmyk and spot tints
# all low (no ink), lab a high lightness.
_GRAY, _RGB, _CMYK, _TINT, _LAB, _PATTERN = "gray", "rgb", "cmyk", "tint", "lab", "pattern"
_DEVICE_SPACES = {
    "/DeviceGray": _GRAY,
    "/G": _GRAY,
    "/CalGray": _GRAY,
    "/DeviceRGB": _RGB,
    "/RGB": _RGB,
    "/CalRGB": _RGB,
    "/DeviceCMYK": _CMYK,
    "/CMYK": _CMYK,
    "/Separation": _TINT,
    "/DeviceN": _TINT,
    "/Lab": _LAB,
    "/Pattern": _PATTERN,
}
_BY_COMPONENTS = {1: _GRAY, 3: _RGB, 4: _CMYK}


def _space_kind(space: Any) -> str:
    """The kind of a colour space object (a name or an array such as ``[/ICCBased stream]``); "" if unknown."""
    space = space.get_object() if hasattr(space, "get_object") else space
    if isinstance(space, str):
        return _DEVICE_SPACES.get(str(space), "")
    if isinstance(space, list) and space:
        family = str(space[0])
        if family == "/ICCBased" and len(space) > 1:
            stream = space[1].get_object()
            return _BY_COMPONENTS.get(int(stream.get("/N", 0)), "") or _space_kind(stream.get("/Alternate"))
        if family == "/Indexed":
            return ""  # a palette entry: decided by how many operands sc gives (one: unknown, not white)
        return _DEVICE_SPACES.get(family, "")
    return ""


def _page_spaces(page: Any) -> dict[str, str]:
    """The page's named colour spaces (``/CS0`` -> kind), as far as they can be read."""
    try:
        named = page["/Resources"].get_object()["/ColorSpace"].get_object()
        return {str(name): _space_kind(value) for name, value in named.items()}
    except Exception:  # noqa: BLE001 - no or odd resources: the operand count decides instead
        return {}


def _is_white(kind: str, values: list[float]) -> bool:
    """Whether fill colour ``values`` in a space of ``kind`` is (near) white; an unknown kind goes by count."""
    kind = kind or _BY_COMPONENTS.get(len(values), "")
    if kind == _GRAY:
        return len(values) >= 1 and values[0] >= _NEAR_WHITE
    if kind == _RGB:
        return len(values) >= 3 and all(v >= _NEAR_WHITE for v in values[:3])
    if kind == _CMYK:
        return len(values) >= 4 and all(v <= 1 - _NEAR_WHITE for v in values[:4])
    if kind == _TINT:
        return bool(values) and all(v <= 1 - _NEAR_WHITE for v in values)
    if kind == _LAB:
        return len(values) >= 3 and values[0] >= 100 * _NEAR_WHITE and abs(values[1]) <= 4 and abs(values[2]) <= 4
    return False


class _HiddenTextTracker:
    """Follows the graphics state through pypdf's visitors and sorts extracted text into visible and hidden."""

    def __init__(self, spaces: dict[str, str] | None = None) -> None:
        self.spaces = spaces or {}  # the page's named colour spaces
        self.render_mode = 0
        self.font_size = 1.0
        self.white = False
        self.space = _GRAY  # the fill colour space (sc/scn read their operands in it)
        self.saved: list[tuple[int, float, bool, str]] = []
        self.pending: list[bool] = []  # whether each text-showing operator since the last piece was hidden
        self.last_hidden = False
        self.visible: list[str] = []
        self.hidden: list[str] = []

    def before(self, operator: bytes, operands: list[Any], cm: list[float], tm: list[float]) -> None:
        if operator not in _TRACKED:
            return
        try:
            self._update(operator, operands, cm, tm)
        except (TypeError, ValueError, IndexError, ArithmeticError):
            pass  # a malformed operator changes nothing we track

    def _update(self, operator: bytes, operands: list[Any], cm: list[float], tm: list[float]) -> None:
        if operator == b"q":
            self.saved.append((self.render_mode, self.font_size, self.white, self.space))
        elif operator == b"Q" and self.saved:
            self.render_mode, self.font_size, self.white, self.space = self.saved.pop()
        elif operator == b"Tr":
            self.render_mode = int(operands[0])
        elif operator == b"Tf":
            self.font_size = float(operands[1])
        elif operator in (b"g", b"rg", b"k"):
            self.space = {b"g": _GRAY, b"rg": _RGB, b"k": _CMYK}[operator]
            self.white = _is_white(self.space, [float(value) for value in operands])
        elif operator == b"cs":
            name = str(operands[0])
            self.space = _DEVICE_SPACES.get(name) or self.spaces.get(name, "")
            self.white = False  # each space's initial colour is black (or full ink)
        elif operator in (b"sc", b"scn"):
            numbers = [float(value) for value in operands if isinstance(value, (int, float))]
            named = len(numbers) < len(operands)  # scn with a pattern name
            self.white = not named and self.space != _PATTERN and _is_white(self.space, numbers)
        elif operator in _SHOW_TEXT:
            self.pending.append(self._hidden_now(cm, tm))

    def _hidden_now(self, cm: list[float], tm: list[float]) -> bool:
        if self.render_mode == INVISIBLE_RENDER_MODE or self.white:
            return True
        # The vertical scale of the text matrix times the page matrix.
        b, d = tm[0] * cm[1] + tm[1] * cm[3], tm[2] * cm[1] + tm[3] * cm[3]
        a, c = tm[0] * cm[0] + tm[1] * cm[2], tm[2] * cm[0] + tm[3] * cm[2]
        scale = min(math.hypot(a, b), math.hypot(c, d))
        return abs(self.font_size) * scale < MIN_VISIBLE_POINTS

    def text(self, text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if not text:
            return
        hidden = any(self.pending) if self.pending else self.last_hidden
        self.pending.clear()
        self.last_hidden = hidden
        (self.hidden if hidden else self.visible).append(text)


def page_texts(page: PageObject) -> tuple[str, str]:
    """(visible text, hidden text) of one page; all of it visible when the state cannot be followed."""
    tracker = _HiddenTextTracker(_page_spaces(page))
    try:
        plain = page.extract_text(visitor_operand_before=tracker.before, visitor_text=tracker.text)
    except Exception as error:  # noqa: BLE001 - pypdf raises anything on odd content; retry without visitors
        log.debug("pypdf visitors failed on a page (%s); extracting without them", error)
        return page.extract_text(), ""
    if not any(piece.strip() for piece in tracker.hidden):
        return plain, ""
    return "".join(tracker.visible), "".join(tracker.hidden)


def read_pdf(path: Path) -> list[Section]:
    """A Section per page with text (1-based ``page``), and a hidden Section after it where it has hidden text.

    Raises:
        DocumentError: the file is not a PDF, is damaged, or needs a password.
    """
    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise DocumentError.damaged(path, "PDF", "it does not start with a PDF header")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = _open(path)
        try:
            pages = list(reader.pages)
        except Exception as error:  # a broken page tree fails in many ways
            raise DocumentError.damaged(path, "PDF", f"its page list cannot be read: {error}") from error
        if not pages:
            raise DocumentError.damaged(path, "PDF", "it has no pages")
        sections: list[Section] = []
        failed = 0
        for number, page in enumerate(pages, start=1):
            try:
                visible, hidden = page_texts(page)
            except Exception as error:  # noqa: BLE001 - one unreadable page should not lose the others
                log.warning("Skipped page %d of %s: its text cannot be extracted (%s)", number, path, error)
                failed += 1
                continue
            if not visible.strip():
                # A page whose only text is invisible is a scan with an OCR layer: that text is
                # what the reader sees in the image, so it counts as visible.
                visible, hidden = hidden, ""
            sections.append(Section(text=visible, page=number))
            sections.append(Section(text=hidden, page=number, hidden=True))
    if failed == len(pages):
        raise DocumentError.damaged(path, "PDF", "no page's text could be extracted")
    return sections


def _open(path: Path) -> Any:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError.password_protected(path)
    except DocumentError:
        raise
    except FileNotDecryptedError as error:
        raise DocumentError.password_protected(path) from error
    except DependencyError as error:
        raise DocumentError.unsupported_encryption(path, str(error)) from error
    except PdfReadError as error:
        raise DocumentError.damaged(path, "PDF", str(error) or type(error).__name__) from error
    except Exception as error:  # pypdf fails on broken files with all kinds of errors
        raise DocumentError.damaged(path, "PDF", f"{type(error).__name__}: {error}") from error
    return reader
