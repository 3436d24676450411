"""Split decoded text formats (Markdown, reStructuredText, plain text, HTML) into Sections.

Each reader returns Sections in reading order with offsets left at 0;
``loaders.finish_sections`` strips them and sets the offsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from assistant.library.documents import Section

PLAIN_SECTION_CHARS = 4000

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_ATX_CLOSING = re.compile(r"(?:^|[ \t]+)#+$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_RST_ADORNMENT = re.compile(r"^([!-/:-@\[-`{-~])\1+$")


class Outline:
    """Collects visible and hidden lines under a heading stack and emits Sections."""

    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.stack: list[tuple[int, str]] = []
        self.lines: list[str] = []
        self.hidden: list[str] = []
        self.fresh_heading = False  # the last line is a heading's title

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(title for _, title in self.stack)

    def flush(self) -> None:
        if any(line.strip() for line in self.lines):
            self.sections.append(Section(text="\n".join(self.lines), heading_path=self.path))
        if any(line.strip() for line in self.hidden):
            self.sections.append(Section(text="\n".join(self.hidden), heading_path=self.path, hidden=True))
        self.lines, self.hidden = [], []

    def add(self, line: str) -> None:
        self.lines.append(line)
        self.fresh_heading = False

    def heading(self, level: int, title: str) -> None:
        if not title:
            return
        self.flush()
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, title))
        self.lines.append(title)
        self.fresh_heading = True

    def finish(self) -> list[Section]:
        self.flush()
        return self.sections


def _split_comments(line: str, in_comment: bool) -> tuple[str, str, bool]:
    """Split a Markdown line into its visible text and the text inside ``<!-- ... -->`` comments."""
    visible: list[str] = []
    hidden: list[str] = []
    rest = line
    while rest:
        if in_comment:
            end = rest.find("-->")
            if end < 0:
                hidden.append(rest)
                break
            hidden.append(rest[:end])
            rest, in_comment = rest[end + 3 :], False
        else:
            start = rest.find("<!--")
            if start < 0:
                visible.append(rest)
                break
            visible.append(rest[:start])
            rest, in_comment = rest[start + 4 :], True
    return "".join(visible), " ".join(part.strip() for part in hidden if part.strip()), in_comment


def read_markdown(text: str) -> list[Section]:
    """Sections split at ATX and setext headings; HTML comments become hidden Sections."""
    outline = Outline()
    fence: str | None = None
    in_comment = False
    lines = text.split("\n")
    if lines[0].rstrip() == "---":  # YAML front matter: its closing "---" is not a setext underline
        end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")), 0)
        for line in lines[: end + 1]:
            outline.add(line)
        lines = lines[end + 1 :]
    for raw in lines:
        if fence is not None:
            outline.add(raw)
            closing = _FENCE.match(raw)
            if closing and closing.group(1)[0] == fence[0] and len(closing.group(1)) >= len(fence):
                if not raw.strip().strip(fence[0]):
                    fence = None
            continue
        had_comment = in_comment or "<!--" in raw
        line, hidden, in_comment = _split_comments(raw, in_comment)
        if hidden:
            outline.hidden.append(hidden)
        if had_comment and not line.strip():
            continue
        if opening := _FENCE.match(line):
            fence = opening.group(1)
            outline.add(line)
        elif atx := _ATX.match(line):
            title = _ATX_CLOSING.sub("", atx.group(2) or "").strip()
            outline.heading(len(atx.group(1)), title)
        elif (setext := _SETEXT.match(line)) and _setext_title(outline):
            title = outline.lines.pop().strip()
            outline.heading(1 if setext.group(1)[0] == "=" else 2, title)
        else:
            outline.add(line)
    return outline.finish()


def _setext_title(outline: Outline) -> bool:
    """Whether the last line collected can be underlined into a setext heading."""
    if not outline.lines or outline.fresh_heading:
        return False
    line = outline.lines[-1]
    return bool(line.strip()) and not line.startswith("    ") and not _SETEXT.match(line) and not _LIST_ITEM.match(line)


def read_rst(text: str) -> list[Section]:
    """Sections split at reStructuredText titles; levels follow each adornment style's first use."""
    outline = Outline()
    styles: list[tuple[str, bool]] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        found = _rst_title(lines, index)
        if found is None:
            outline.lines.append(lines[index])
            index += 1
            continue
        title, style, used = found
        if style not in styles:
            styles.append(style)
        outline.heading(styles.index(style) + 1, title)
        index += used
    return outline.finish()


def _rst_title(lines: list[str], index: int) -> tuple[str, tuple[str, bool], int] | None:
    """(title, (adornment char, has overline), lines used) when a title starts at ``lines[index]``."""
    line = lines[index].rstrip()
    after = lines[index + 1].rstrip() if index + 1 < len(lines) else ""
    if _RST_ADORNMENT.match(line) and index + 2 < len(lines):
        under = lines[index + 2].rstrip()
        title = after.strip()
        if title and under == line and len(line) >= len(title) and not _RST_ADORNMENT.match(title):
            return title, (line[0], True), 3
    previous_blank = index == 0 or not lines[index - 1].strip()
    if (
        line
        and previous_blank
        and not line[0].isspace()
        and not _RST_ADORNMENT.match(line)
        and _RST_ADORNMENT.match(after)
        and len(after) >= len(line)
    ):
        return line, (after[0], False), 2
    return None


def read_plain(text: str, limit: int = PLAIN_SECTION_CHARS) -> list[Section]:
    """Blank-line separated paragraphs, packed into Sections of up to about ``limit`` characters."""
    pieces: list[str] = []
    for paragraph in re.split(r"\n[ \t]*\n", text):
        paragraph = paragraph.rstrip().lstrip("\n")
        if not paragraph.strip():
            continue
        while len(paragraph) > limit:
            cut = paragraph.rfind("\n", 0, limit)
            if cut <= 0:
                cut = paragraph.rfind(" ", 0, limit)
            if cut <= 0:
                cut = limit
            pieces.append(paragraph[:cut])
            paragraph = paragraph[cut:].lstrip()
        pieces.append(paragraph)
    sections: list[Section] = []
    current: list[str] = []
    size = 0
    for piece in pieces:
        if current and size + 2 + len(piece) > limit:
            sections.append(Section(text="\n\n".join(current)))
            current, size = [], 0
        size += len(piece) + (2 if current else 0)
        current.append(piece)
    if current:
        sections.append(Section(text="\n\n".join(current)))
    return sections


_SKIPPED = frozenset({"script", "style", "noscript", "template", "head"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
_BLOCK = frozenset(
    {"address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt", "figcaption"}
    | {"figure", "footer", "form", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary"}
    | {"table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "title"}
)
_SPACES = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace: a no-break space stays
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_HIDING_STYLE = re.compile(
    r"display:none|visibility:hidden|(?:opacity|font-size):(?:0+\.?0*|\.0+)(?:[a-z]+|%)?(?:;|$|!)"
)


def _hides(attrs: list[tuple[str, str | None]]) -> bool:
    for name, value in attrs:
        if name == "hidden":
            return True
        if name == "style" and value and _declares_hiding(value):
            return True
    return False


def _declares_hiding(declarations: str) -> bool:
    return bool(_HIDING_STYLE.search(re.sub(r"\s+", "", declarations.lower())))


# --- style sheets: which elements a <style> rule hides ------------------------------------------

_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)
_COMBINATOR = re.compile(r"\s*[>+~]\s*|\s+")
_PSEUDO_ELEMENT = re.compile(r"::|:(?:before|after|first-line|first-letter|marker|placeholder)\b", re.IGNORECASE)
_PSEUDO_CLASS = re.compile(r":[-\w]+(?:\([^)]*\))?")
_COMPOUND = re.compile(r"^(\*|[a-z][a-z0-9-]*)?((?:[.#][-\w]+|\[[^\]]*\])*)$", re.IGNORECASE)
_SIMPLE_PART = re.compile(
    r"([.#])([-\w]+)|\[\s*([-\w]+)\s*(?:[~|^$*]?=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\]\s]*))\s*)?(?:\s[is])?\]"
)


class _Selector:
    """The last compound of a CSS selector (``div.note#x[data-a=b]``): what an element must have to match.

    Ancestors in the selector are not checked (``.a .b`` counts for every ``.b``) and pseudo-classes are
    dropped (``.b:hover`` counts for every ``.b``): text that might be hidden is treated as hidden.
    """

    def __init__(self, tag: str, parts: str) -> None:
        self.tag = "" if tag in ("", "*") else tag.lower()
        self.classes: set[str] = set()
        self.ids: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []
        for mark, name, attr, *values in _SIMPLE_PART.findall(parts):
            if mark == ".":
                self.classes.add(name)
            elif mark == "#":
                self.ids.add(name)
            else:
                given = next((v for v in values if v), None)
                self.attrs.append((attr.lower(), given))

    @property
    def key(self) -> str:
        """The one thing an element surely needs to match, to look rules up by: ``.class``, ``#id`` or tag."""
        if self.classes:
            return "." + min(self.classes)
        if self.ids:
            return "#" + min(self.ids)
        return self.tag or "*"

    def matches(self, tag: str, attrs: dict[str, str]) -> bool:
        if self.tag and self.tag != tag:
            return False
        if not self.classes <= set(attrs.get("class", "").split()):
            return False
        if self.ids and attrs.get("id") not in self.ids:
            return False
        # An attribute with an operator other than "=" counts when the attribute is there at all.
        return all(name in attrs and (value is None or value in attrs[name]) for name, value in self.attrs)


def _parse_selector(text: str) -> _Selector | None:
    if _PSEUDO_ELEMENT.search(text):
        return None  # it hides generated content, not the element's own text
    compound = _COMBINATOR.split(_PSEUDO_CLASS.sub("", text).strip())[-1]
    match = _COMPOUND.match(compound)
    if not compound or not match:
        return None
    return _Selector(match.group(1) or "", match.group(2))


def _css_rules(css: str) -> Iterator[tuple[str, str]]:
    """(selector list, declarations) of every rule, including those nested in @media and @supports blocks.

    Rules only for print (``@media print``) are left out: they do not hide anything on screen.
    """
    css = _CSS_COMMENT.sub("", css)
    position = 0
    while True:
        opening = css.find("{", position)
        if opening < 0:
            return
        prelude = css[position:opening].strip()
        depth, closing = 1, opening + 1
        while closing < len(css) and depth:
            depth += {"{": 1, "}": -1}.get(css[closing], 0)
            closing += 1
        body = css[opening + 1 : closing - 1 if depth == 0 else closing]
        position = closing
        prelude = prelude.rsplit(";", 1)[-1].strip()  # after an @import or @charset statement
        if prelude.startswith("@"):
            words = prelude.lower()
            if words.startswith(("@media", "@supports", "@layer", "@container", "@document")) and not (
                words.startswith("@media")
                and re.search(r"\bprint\b", words)
                and not re.search(r"\b(screen|all)\b", words)
            ):
                yield from _css_rules(body)
            continue
        yield prelude, body


def hiding_selectors(css: str) -> dict[str, list[_Selector]]:
    """The selectors of ``css`` whose rules hide an element (display:none, visibility:hidden, size or
    opacity 0), by :attr:`_Selector.key`."""
    found: dict[str, list[_Selector]] = {}
    for selectors, declarations in _css_rules(css):
        if _declares_hiding(declarations):
            for selector in map(_parse_selector, selectors.split(",")):
                if selector is not None:
                    found.setdefault(selector.key, []).append(selector)
    return found


class _StyleSheets(HTMLParser):
    """Collects the text of every ``<style>`` element, wherever it is in the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.sheets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        media = (dict(attrs).get("media") or "").lower()
        self.inside = tag == "style" and not (re.search(r"\bprint\b", media) and "screen" not in media)

    def handle_endtag(self, tag: str) -> None:
        self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.sheets.append(data)


class _HtmlSections(HTMLParser):
    def __init__(self, hiding: dict[str, list[_Selector]] | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.hiding_rules = hiding or {}  # from the page's style sheets, by selector key
        self.outline = Outline()
        self.open: list[tuple[str, bool, bool]] = []  # (tag, hides, skips)
        self.hiding = 0
        self.skipping = 0
        self.pre = 0
        self.in_title = False
        self.heading_level = 0
        self.heading_text: list[str] = []
        self.visible: list[str] = []
        self.hidden: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and self._is_open("head"):
            self.in_title = True
        if (tag == "body" or tag in _BLOCK or tag in _HEADINGS) and tag != "title" and self._is_open("head"):
            self.handle_endtag("head")  # </head> may be left out
        if tag in _BLOCK and tag != "br":
            self._end_heading()  # a block ends an unclosed heading
        if tag in _BLOCK:
            self._break()
        hides, skips = _hides(attrs) or self._hidden_by_sheet(tag, attrs), tag in _SKIPPED
        if tag in _HEADINGS and not (hides or self.hiding or self.skipping):
            self._end_heading()
            self._flush_text()
            self.heading_level = _HEADINGS[tag]
        if tag in _VOID:
            return
        self.open.append((tag, hides, skips))
        self.hiding += hides
        self.skipping += skips
        self.pre += tag == "pre"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if not self._is_open(tag):
            return
        while self.open:
            name, hides, skips = self.open.pop()
            self.hiding -= hides
            self.skipping -= skips
            self.pre -= name == "pre"
            if name == tag:
                break
        if tag in _HEADINGS and self.heading_level:
            self._end_heading()
        if tag in _BLOCK:
            self._break()

    def handle_data(self, data: str) -> None:
        if self.skipping and not self.in_title:
            return
        target = self.hidden if self.hiding else self.heading_text if self.heading_level else self.visible
        if not self.pre:
            data = _SPACES.sub(" ", data)
            if not target or target[-1].endswith(("\n", " ")):
                data = data.lstrip(" ")
        target.append(data)

    def handle_comment(self, data: str) -> None:
        if not self.skipping and data.strip() and not data.startswith("[if"):
            self.hidden.append("\n" + data.strip() + "\n")

    def _hidden_by_sheet(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if not self.hiding_rules:
            return False
        values = {name: value or "" for name, value in attrs}
        keys = {tag, "*", "#" + values.get("id", ""), *("." + name for name in values.get("class", "").split())}
        return any(rule.matches(tag, values) for key in keys for rule in self.hiding_rules.get(key, ()))

    def _is_open(self, tag: str) -> bool:
        return any(name == tag for name, _, _ in self.open)

    def _break(self) -> None:
        (self.hidden if self.hiding else self.visible).append("\n")

    def _end_heading(self) -> None:
        if not self.heading_level:
            return
        title = " ".join("".join(self.heading_text).split())
        level, self.heading_level, self.heading_text = self.heading_level, 0, []
        if title:
            self.outline.heading(level, title)

    def _flush_text(self) -> None:
        self.outline.lines.extend(_tidy("".join(self.visible)))
        self.outline.hidden.extend(_tidy("".join(self.hidden)))
        self.visible, self.hidden = [], []

    def sections(self) -> list[Section]:
        self.close()
        self._end_heading()
        self._flush_text()
        return self.outline.finish()


def _tidy(text: str) -> list[str]:
    return [line.rstrip() for line in text.split("\n") if line.strip()]


def read_html(text: str) -> list[Section]:
    """Sections split at h1-h6, without scripts, styles or the head (except the title); hidden elements apart.

    An element is hidden by its ``hidden`` attribute, its ``style`` attribute, or a rule of a ``<style>``
    sheet anywhere in the page (linked sheets are never fetched).
    """
    sheets = _StyleSheets()
    sheets.feed(text)
    sheets.close()
    parser = _HtmlSections(hiding_selectors("\n".join(sheets.sheets)))
    parser.feed(text)
    return parser.sections()
