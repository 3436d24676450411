"""One message of the conversation as Qt rich text: a block of its own, in the theme's colours.

Qt's rich text has tables but no rounded corners or flex layout, so each message is a one-cell table:
the person's on a tint of the palette's highlight, to the right and no wider than it needs; a reply
across the width on a quieter tint with a rule on its left. A small muted caption names who wrote it
("You" and when, "Assistant" and the model), so the colours are never the only sign. A reply's
actions (Copy; Regenerate and Edit my message under the last one) are small muted links inside it.
Pure functions, no widgets: the view builds each finished message once and keeps the HTML.
"""

from __future__ import annotations

import html
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale
from PySide6.QtGui import QColor, QPalette

from assistant.conversations import Message
from assistant.runtime.loop_guard import REPETITION_NOTICE
from ui.answer_marks import mark_unsupported
from ui.i18n import QT_TRANSLATE_NOOP
from ui.markdown_html import markdown_to_html

LIBRARY_ORIGIN = "app: how to add documents"  # a reply the app wrote itself, with a link to the Library
MARK_COLOR = "#b07d3a"  # the underline of an unsupported sentence: muted amber
PAGE_MARGIN = 12  # around the messages (the document's margin, which a right-aligned table ignores)
_ROLE_LABEL = {
    "user": QT_TRANSLATE_NOOP("ChatView", "You"),
    "assistant": QT_TRANSLATE_NOOP("ChatView", "Assistant"),
    "system": QT_TRANSLATE_NOOP("ChatView", "System"),
}
_MORE = "<!--actions--></p>"  # ends the Copy line, where the last reply's other actions join it
_END = "<!--end--></td></tr></table>"  # ends every reply's block


@dataclass
class ShownMessage:
    role: str
    text: str
    reasoning: str = ""
    complete: bool = True  # False: stopped before the end
    streaming: bool = False
    sources: tuple[dict[str, Any], ...] = ()  # cited passages, shown as [1], [2] links
    origin: str = ""  # "cloud: <provider> / <model>" for a reply from an approved cloud request
    thinking_open: bool = False  # the reasoning section is unfolded (it always is while streaming)
    stopped: str = ""  # why the app stopped the reply early: "" or "repetition"
    claims: tuple[Any, ...] = ()  # a documents answer's sentences checked against its sources (Claim)
    created: float = 0.0  # when it was written (seconds since the epoch); 0: unknown


def shown_message(message: Message) -> ShownMessage:
    """A stored message as the view shows it."""
    return ShownMessage(
        message.role,
        message.content,
        message.reasoning,
        message.complete,
        sources=message.sources,
        origin=message.origin,
        stopped=message.stopped,
        claims=message.claims,
        created=message.created,
    )


@dataclass(frozen=True)
class Look:
    """The colours of the messages, from the window's palette (``#rrggbb``)."""

    dark: bool
    user: str  # the person's block
    reply: str  # a reply's block
    rule: str  # the rule on a reply's left
    muted: str  # captions and actions: readable on both blocks, quieter than the text
    link: str
    code: str  # a code block's background: the page's own, to stand out in a tinted reply
    chip: str  # a source chip's style
    cloud: str  # "sent with your approval"


def _mix(a: QColor, b: QColor, share: float) -> QColor:
    """``a`` with ``share`` of ``b`` mixed in."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * share,
        a.greenF() + (b.greenF() - a.greenF()) * share,
        a.blueF() + (b.blueF() - a.blueF()) * share,
    )


def look_of(palette: QPalette, dark: bool) -> Look:
    role = QPalette.ColorRole
    base, text, accent = palette.color(role.Base), palette.color(role.Text), palette.color(role.Highlight)
    link = palette.color(role.Link)
    chip = f"background-color:{_mix(base, link, 0.16 if dark else 0.11).name()}; color:{link.name()}"
    return Look(
        dark=dark,
        user=_mix(base, accent, 0.24 if dark else 0.12).name(),
        reply=_mix(base, text, 0.06 if dark else 0.035).name(),
        rule=_mix(base, accent, 0.7).name(),
        muted=_mix(text, base, 0.3).name(),  # 5:1 and more on either block, in either theme
        link=link.name(),
        code=base.name(),
        chip=chip + "; text-decoration:none",
        cloud="#e0a070" if dark else "#a0522d",
    )


def _tr(text: str) -> str:
    return QCoreApplication.translate("ChatView", text)


def _when(created: float) -> str:
    """The time a message was written (and the day, when it was not today), in the window's language."""
    if created <= 0:
        return ""
    moment = QDateTime.fromSecsSinceEpoch(int(created))
    locale = QLocale()
    short = QLocale.FormatType.ShortFormat
    clock = locale.toString(moment.time(), short)
    if moment.date() == QDateTime.fromSecsSinceEpoch(int(time.time())).date():
        return clock
    return f"{locale.toString(moment.date(), short)} {clock}"


def _caption(message: ShownMessage, look: Look) -> str:
    """Who wrote the message (and when), small and muted."""
    label = html.escape(_tr(_ROLE_LABEL[message.role]) if message.role in _ROLE_LABEL else message.role)
    parts = [f"<b>{label}</b>"]
    if message.role == "user" and _when(message.created):
        parts.append(" · " + html.escape(_when(message.created)))
    if message.origin.startswith("cloud:"):
        via = html.escape(message.origin.removeprefix("cloud:").strip())
        notice = _tr(QT_TRANSLATE_NOOP("ChatView", "{via}, sent with your approval")).format(via=via)
        parts.append(f' <span style="color:{look.cloud}">☁ {notice}</span>')
    if message.streaming:
        parts.append(" " + _tr(QT_TRANSLATE_NOOP("ChatView", "(writing…)")))
    elif not message.complete:
        parts.append(" " + _tr(QT_TRANSLATE_NOOP("ChatView", "(stopped)")))
    return f'<p style="margin:0 0 4px 0; font-size:small; color:{look.muted}">{"".join(parts)}</p>'


def thinking_html(message: ShownMessage, index: int, look: Look) -> str:
    """The reasoning: unfolded while it streams, then folded behind a link that unfolds it."""
    words = len(message.reasoning.split())
    if message.streaming:
        header = "▾ " + _tr(QT_TRANSLATE_NOOP("ChatView", "Thinking… ({words} words)")).format(words=words)
    else:
        arrow = "▾" if message.thinking_open else "▸"
        thought = _tr(QT_TRANSLATE_NOOP("ChatView", "Thought for {words} words")).format(words=words)
        header = f'<a href="think:{index}" style="color:{look.muted}">{arrow} {thought}</a>'
    parts = [f'<p style="color:{look.muted}; font-size:small; margin:0 0 2px 0"><i>{header}</i></p>']
    if message.streaming or message.thinking_open:
        thought = html.escape(message.reasoning.strip()).replace("\n", "<br/>")
        parts.append(f'<p style="color:{look.muted}; font-size:small; margin-left:12px">{thought}</p>')
    return "".join(parts)


def _chips(message: ShownMessage, index: int, look: Look) -> str:
    """The cited sources as compact chips in one line; the passage shows on hover, the click opens it."""
    chips = []
    for number, source in enumerate(message.sources, start=1):
        page = _tr(QT_TRANSLATE_NOOP("ChatView", ", page {page}")).format(page=source["page"])
        where = html.escape(Path(source["path"]).name) + (page if source.get("page") else "")
        snippet = html.escape(" ".join(str(source["text"]).split())[:300], quote=True)
        chips.append(
            f'<a href="cite:{index}/{number}" title="{snippet}…" style="{look.chip}">&nbsp;[{number}] {where}&nbsp;</a>'
        )
    return f'<p style="font-size:small; margin:6px 0 0 0">{" ".join(chips)}</p>' if chips else ""


def _action(href: str, label: str, look: Look) -> str:
    return f'<a href="{href}" style="color:{look.muted}">{html.escape(label)}</a>'


def message_html(message: ShownMessage, index: int, look: Look) -> str:
    """The message as a block of its own: a caption, the text, and for a reply its sources and Copy."""
    if message.role == "user":
        text = html.escape(message.text).replace("\n", "<br/>")
        return (
            f'<table align="right" cellspacing="0" cellpadding="10" style="margin:16px {PAGE_MARGIN}px 0 96px">'
            f'<tr><td bgcolor="{look.user}">{_caption(message, look)}<p style="margin:0">{text}</p></td></tr></table>'
        )
    parts = [
        '<table width="100%" cellspacing="0" cellpadding="10" style="margin-top:16px; border-collapse:collapse">'
        f'<tr><td bgcolor="{look.reply}" style="border-left:3px solid {look.rule}">',
        _caption(message, look),
    ]
    if message.reasoning:
        parts.append(thinking_html(message, index, look))
    if message.claims and not message.streaming:
        parts.append(mark_unsupported(message.text, message.claims, MARK_COLOR, f"copy:{index}/", look.dark, look.code))
    elif message.text:
        parts.append(markdown_to_html(message.text, f"copy:{index}/", look.dark, look.code))
    else:
        parts.append("<p>…</p>")
    if message.origin == LIBRARY_ORIGIN:
        label = html.escape(_tr(QT_TRANSLATE_NOOP("ChatView", "Open the Library →")))
        parts.append(
            f'<p><a href="action:library" style="color:{look.link}; font-weight:600; text-decoration:none">'
            f"{label}</a></p>"
        )
    parts.append(_chips(message, index, look))
    if message.stopped == "repetition" and not message.streaming:
        parts.append(f'<p style="color:{look.muted}; font-size:small; margin-top:2px"><i>{REPETITION_NOTICE}</i></p>')
    if not message.streaming and message.text:
        copy = _action(f"action:copy:{index}", _tr(QT_TRANSLATE_NOOP("ChatView", "Copy")), look)
        parts.append(f'<p style="font-size:small; margin:8px 0 0 0">{copy}{_MORE}')
    parts.append(_END)
    return "".join(parts)


def with_reply_actions(shown: str, look: Look) -> str:
    """``shown`` with Regenerate and Edit my message after the last reply's Copy (or on a line of their own)."""
    if not shown.endswith(_END):
        return shown
    regenerate = _action("action:regenerate", _tr(QT_TRANSLATE_NOOP("ChatView", "Regenerate")), look)
    edit = _action("action:edit", _tr(QT_TRANSLATE_NOOP("ChatView", "Edit my message")), look)
    links = f"{regenerate} · {edit}"
    body = shown[: -len(_END)]
    if body.endswith(_MORE):
        return body[: -len(_MORE)] + f" · {links}</p>" + _END
    return body + f'<p style="font-size:small; margin:8px 0 0 0">{links}</p>' + _END  # a reply without text
