"""Markdown to the HTML subset Qt's rich text shows, safely.

Raw HTML in the text is escaped, images are never loaded (shown as a text placeholder),
and links are kept only as inert anchors that the view does not follow. Code blocks are
highlighted by Pygments (inline colours, which Qt's rich text reads) and, given a ``copy_link``,
followed by a "Copy code" link to that address with the block's number.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from PySide6.QtCore import QCoreApplication

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.enable(["table", "strikethrough"])


def _image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    alt = tokens[idx].content or "image"
    src = str(tokens[idx].attrGet("src") or "")
    return f'<span style="color:#888">[image not loaded: {html.escape(alt)} ({html.escape(src)})]</span>'


_md.add_render_rule("image", _image)


# Each theme's code block: its background, its plain text, and the Pygments style that colours it.
_CODE = {
    False: ("#f3f3f3", "#1f1f1f", "friendly"),
    True: ("#26282e", "#e6e6e6", "monokai"),
}


def _highlighted(code: str, language: str, style: str) -> str:
    """``code`` as HTML spans with inline colours (plain, escaped text for an unknown language)."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language, stripnl=False, ensurenl=False) if language else None
    except ClassNotFound:
        lexer = None
    if lexer is None:
        return html.escape(code)
    return highlight(code, lexer, HtmlFormatter(nowrap=True, noclasses=True, style=style))


def warm_up() -> None:
    """Load Pygments, its styles and the commonest lexers: the first highlight costs about 60 ms, which a
    reply's first code block would otherwise take from the GUI thread mid-stream. Pure Python, no Qt:
    call it on a thread of its own at start-up."""
    for language in ("python", "bash", "json"):
        for _, _, style in _CODE.values():
            _highlighted("x = 1", language, style)


def code_blocks(text: str) -> list[str]:
    """The code of each fenced or indented code block of a Markdown text, in order, without its last newline."""
    return [t.content.removesuffix("\n") for t in _md.parse(text) if t.type in ("fence", "code_block")]


def markdown_to_html(text: str, copy_link: str = "", dark: bool = False, code_background: str = "") -> str:
    """``copy_link``: when given, each code block is followed by a "Copy code" link to ``{copy_link}{n}``;
    ``dark``: code blocks coloured for a dark background; ``code_background``: theirs, when not the theme's
    (a code block in a tinted message stands out on the page's own colour)."""
    env: dict[str, Any] = {"copy_link": copy_link, "blocks": 0, "dark": dark, "code_background": code_background}
    rendered = _md.render(text, env)
    # Qt's rich text has no CSS borders for tables; the HTML attributes draw them.
    return rendered.replace("<table>", '<table border="1" cellspacing="0" cellpadding="4">')


def _code(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    language = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
    env = env if isinstance(env, dict) else {}
    background, color, style = _CODE[bool(env.get("dark"))]
    background = env.get("code_background") or background
    body = _highlighted(token.content.removesuffix("\n"), language, style)
    # A one-cell table: Qt's rich text pads a table cell, not a paragraph, and the code needs room around it.
    block = (
        '<table width="100%" cellspacing="0" cellpadding="8" style="margin:8px 0 4px 0">'
        f'<tr><td bgcolor="{background}"><pre style="margin:0; color:{color}">{body}</pre></td></tr></table>\n'
    )
    link = env.get("copy_link")
    if link:
        number = env["blocks"]
        env["blocks"] += 1
        label = html.escape(_copy_label())
        block += f'<p style="margin:0 0 8px 0; font-size:small"><a href="{link}{number}">{label}</a></p>\n'
    return block


def _copy_label() -> str:
    return QCoreApplication.translate("ChatView", "Copy code")


_md.add_render_rule("fence", _code)
_md.add_render_rule("code_block", _code)
