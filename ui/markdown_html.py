"""Markdown to the HTML subset Qt's rich text shows, safely.

Raw HTML in the text is escaped, images are never loaded (shown as a text placeholder),
and links are kept only as inert anchors that the view does not follow.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.enable(["table", "strikethrough"])


def _image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    alt = tokens[idx].content or "image"
    src = str(tokens[idx].attrGet("src") or "")
    return f'<span style="color:#888">[image not loaded: {html.escape(alt)} ({html.escape(src)})]</span>'


_md.add_render_rule("image", _image)


def markdown_to_html(text: str) -> str:
    rendered = _md.render(text)
    # Qt's rich text has no CSS borders for tables; the HTML attributes draw them.
    rendered = rendered.replace("<table>", '<table border="1" cellspacing="0" cellpadding="4">')
    return rendered.replace("<pre>", '<pre style="background:#f3f3f3">')
