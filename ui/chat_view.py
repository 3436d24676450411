"""The conversation as rich text: Markdown rendered safely, the streaming reply repainted
at most every ``REPAINT_MS`` so a fast model never floods the GUI thread.

A finished reply shows what the app knows about it: why it stopped early (the loop guard), and
which of its sentences its sources do not bear out (a dotted underline and a tooltip, so the
mark does not rest on colour alone).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QColor,
    QGuiApplication,
    QHelpEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QTextBrowser, QToolTip, QWidget

from assistant.conversations import Message
from assistant.runtime.loop_guard import REPETITION_NOTICE
from ui.answer_marks import mark_unsupported, unsupported_tip
from ui.i18n import QT_TRANSLATE_NOOP
from ui.markdown_html import code_blocks, markdown_to_html

REPAINT_MS = 60
_ROLE_LABEL = {
    "user": QT_TRANSLATE_NOOP("ChatView", "You"),
    "assistant": QT_TRANSLATE_NOOP("ChatView", "Assistant"),
    "system": QT_TRANSLATE_NOOP("ChatView", "System"),
}
LIBRARY_ORIGIN = "app: how to add documents"  # a reply the app wrote itself, with a link to the Library
_MARK_COLOR = "#b07d3a"  # the underline of an unsupported sentence: muted amber
# Who wrote each message (the name is written too: never colour alone), for a light and a dark palette.
_ROLE_COLORS = {False: {"user": "#1a5fb4", "assistant": "#26a269"}, True: {"user": "#7fb0ff", "assistant": "#6fd39a"}}


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
    )


class ChatView(QTextBrowser):
    """Shows messages; never loads a resource and never follows a link.

    Signals:
        link_clicked(str): the person clicked a link (the window says where it points).
        source_clicked(object): the person clicked a citation (a source dict).
        action_clicked(str): the person clicked a button-like link of the app ("library": open the Library).
        example_chosen(str): the person chose an example request of the empty conversation.
    """

    link_clicked = Signal(str)
    source_clicked = Signal(object)
    action_clicked = Signal(str)
    example_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.setPlaceholderText(self.tr("Ask anything. Your words stay on this computer."))
        self.setAccessibleName(self.tr("Conversation"))
        self.setAccessibleDescription(self.tr("The messages of this conversation; citations are links to the sources"))
        self._messages: list[ShownMessage] = []
        self._finished_html = ""
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setInterval(REPAINT_MS)
        self._timer.timeout.connect(self._flush)
        self.repaints = 0  # how many times the document was rebuilt (tests, benchmarks)
        self._reply_actions = False
        self._dark = False  # the theme's: colours that read on a dark background

    def loadResource(self, type: int, name: QUrl | str) -> object:  # noqa: A002 - Qt's name
        """Refuse every resource: no remote (or local) image is ever fetched."""
        return None

    # -- content ----------------------------------------------------------------------

    def set_messages(self, messages: list[ShownMessage]) -> None:
        self._timer.stop()
        self._messages = list(messages)
        self._finished_html = "".join(_message_html(m, i, self._dark) for i, m in enumerate(self._messages))
        self._render(stick_to_bottom=True)

    def messages(self) -> list[ShownMessage]:
        return list(self._messages)

    def begin_reply(self) -> None:
        self._messages.append(ShownMessage("assistant", "", streaming=True))
        self._dirty = True
        self._timer.start()

    def append_token(self, text: str, reasoning: bool = False) -> None:
        if not self._messages or self._messages[-1].role != "assistant":
            self.begin_reply()
        last = self._messages[-1]
        if reasoning:
            last.reasoning += text
        else:
            last.text += text
        self._dirty = True

    def end_reply(
        self,
        complete: bool,
        sources: tuple[dict[str, Any], ...] = (),
        origin: str = "",
        text: str | None = None,
        stopped: str = "",
        claims: tuple[Any, ...] = (),
    ) -> None:
        """The reply is done. ``text``: the reply as kept, when it differs from the streamed tokens."""
        if self._messages and self._messages[-1].role == "assistant":
            last = self._messages[-1]
            last.sources = sources
            last.origin = origin
            last.complete = complete
            last.streaming = False
            last.stopped = stopped
            last.claims = claims
            if text is not None and (text.strip() or not last.text.strip()):
                last.text = text
            self._finished_html += _message_html(last, len(self._messages) - 1, self._dark)
        self._timer.stop()
        self._dirty = False
        self._render(stick_to_bottom=False, finished_only=True)
        if self._messages and self._messages[-1].role == "assistant":
            self.announce(self._messages[-1].text, complete)

    def announce(self, reply: str, complete: bool = True) -> None:
        """Tell screen readers the reply is done, and read it out (politely: after what they are reading)."""
        if not reply.strip():
            return
        lead = self.tr("Reply finished:") if complete else self.tr("Reply stopped:")
        event = QAccessibleAnnouncementEvent(self, f"{lead} {reply.strip()}")
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Polite)
        QAccessible.updateAccessibility(event)

    def add_app_reply(self, text: str, origin: str) -> None:
        """A reply the app writes itself (no model): e.g. how to add documents, with a Library link."""
        message = ShownMessage("assistant", text, origin=origin)
        self._messages.append(message)
        self._finished_html += _message_html(message, len(self._messages) - 1, self._dark)
        self._render(stick_to_bottom=True, finished_only=True)

    def add_user_message(self, text: str) -> None:
        message = ShownMessage("user", text)
        self._messages.append(message)
        self._finished_html += _message_html(message, len(self._messages) - 1, self._dark)
        self._render(stick_to_bottom=True, finished_only=True)

    def last_reply_text(self) -> str:
        replies = [m.text for m in self._messages if m.role == "assistant"]
        return replies[-1] if replies else ""

    # -- painting ---------------------------------------------------------------------

    def _flush(self) -> None:
        if self._dirty:
            self._dirty = False
            self._render(stick_to_bottom=False)

    def _render(self, stick_to_bottom: bool, finished_only: bool = False) -> None:
        bar = self.verticalScrollBar()
        at_bottom = stick_to_bottom or bar.value() >= bar.maximum() - 4
        streaming = ""
        if not finished_only and self._messages and self._messages[-1].streaming:
            streaming = _message_html(self._messages[-1], len(self._messages) - 1, self._dark)
        if not self._messages:
            self.setHtml(_empty_state_html())
        else:
            last = self._messages[-1]
            actions = self._reply_actions and last.role == "assistant" and not last.streaming and not streaming
            shown = self._finished_html + streaming
            self.setHtml(_with_reply_actions(shown) if actions else shown)
        if any(m.claims for m in self._messages):
            self._style_marks()
        self.repaints += 1
        if at_bottom:
            self.moveCursor(QTextCursor.MoveOperation.End)
            bar.setValue(bar.maximum())

    def _style_marks(self) -> None:
        """Qt's HTML has no dotted underline: restyle the marked sentences (found by their tooltip)."""
        tip = unsupported_tip()
        underline = QTextCharFormat()
        underline.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        underline.setUnderlineColor(QColor(_MARK_COLOR))
        document = self.document()
        block = document.begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                if fragment.charFormat().toolTip() == tip:
                    cursor = QTextCursor(document)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
                    cursor.mergeCharFormat(underline)
                fragments += 1
            block = block.next()

    def tooltip_at(self, position: Any) -> str:
        """The tooltip of the text at a viewport position (a marked sentence's "not found in …")."""
        return str(self.cursorForPosition(position).charFormat().toolTip())

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tooltip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def source_at(self, link: str) -> dict[str, Any] | None:
        """The source a ``cite:MESSAGE/NUMBER`` link points at."""
        if not link.startswith("cite:"):
            return None
        try:
            message, number = (int(part) for part in link[5:].split("/"))
            return self._messages[message].sources[number - 1]
        except (ValueError, IndexError):
            return None

    def toggle_thinking(self, index: int) -> None:
        """Fold or unfold a finished reply's reasoning."""
        if 0 <= index < len(self._messages) and not self._messages[index].streaming:
            self._messages[index].thinking_open = not self._messages[index].thinking_open
            bar = self.verticalScrollBar()
            position = bar.value()
            streaming = self._messages[-1].streaming
            done = self._messages[:-1] if streaming else self._messages
            self._finished_html = "".join(_message_html(m, i, self._dark) for i, m in enumerate(done))
            self._render(stick_to_bottom=False)
            bar.setValue(position)

    def set_reply_actions(self, enabled: bool) -> None:
        """Offer Regenerate and Edit under the last reply (not while a reply is being written)."""
        if enabled != self._reply_actions:
            self._reply_actions = enabled
            self._render(stick_to_bottom=False, finished_only=True)

    def set_dark(self, dark: bool) -> None:
        """The theme changed: the messages again, in colours that read on the new background."""
        self._dark = dark
        self._finished_html = "".join(_message_html(m, i, self._dark) for i, m in enumerate(self._messages))
        self._render(stick_to_bottom=False)

    def copy_code(self, link: str) -> None:
        """``copy:MESSAGE/BLOCK``: that code block of that message, exactly, onto the clipboard."""
        message, _, block = link.removeprefix("copy:").partition("/")
        if not (message.isdigit() and block.isdigit()) or int(message) >= len(self._messages):
            return
        blocks = code_blocks(self._messages[int(message)].text)
        if int(block) < len(blocks):
            QGuiApplication.clipboard().setText(blocks[int(block)])

    def _on_anchor_clicked(self, url: QUrl) -> None:
        link = url.toString()
        if link.startswith("think:"):
            self.toggle_thinking(int(link[6:]) if link[6:].isdigit() else -1)
            return
        if link.startswith("action:"):
            self.action_clicked.emit(link[7:])
            return
        if link.startswith("copy:"):
            self.copy_code(link)
            return
        if link.startswith("example:"):
            number = link.removeprefix("example:")
            if number.isdigit() and int(number) < len(EXAMPLES):
                self.example_chosen.emit(_tr(EXAMPLES[int(number)][1]))
            return
        source = self.source_at(link)
        if source is not None:
            self.source_clicked.emit(source)
        else:
            self.link_clicked.emit(link)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ChatView", text)


def _thinking_html(message: ShownMessage, index: int) -> str:
    """The reasoning: unfolded while it streams, then folded behind a link that unfolds it."""
    words = len(message.reasoning.split())
    if message.streaming:
        header = "▾ " + QCoreApplication.translate("ChatView", "Thinking… ({words} words)").format(words=words)
    else:
        arrow = "▾" if message.thinking_open else "▸"
        header = (
            f'<a href="think:{index}" style="color:#777">{arrow} '
            + QCoreApplication.translate("ChatView", "Thought for {words} words").format(words=words)
            + "</a>"
        )
    parts = [f'<p style="color:#777; font-size:small; margin-bottom:2px"><i>{header}</i></p>']
    if message.streaming or message.thinking_open:
        thought = html.escape(message.reasoning.strip()).replace("\n", "<br/>")
        parts.append(f'<p style="color:#777; font-size:small; margin-left:12px">{thought}</p>')
    return "".join(parts)


# The empty conversation's examples: (what kind of request, the request). A click puts it in the message box.
EXAMPLES = [
    (
        QT_TRANSLATE_NOOP("ChatView", "Chat"),
        QT_TRANSLATE_NOOP("ChatView", "Explain how a heat pump works, in three sentences."),
    ),
    (
        QT_TRANSLATE_NOOP("ChatView", "Chat"),
        QT_TRANSLATE_NOOP("ChatView", "Give me five names for a bakery by the sea."),
    ),
    (
        QT_TRANSLATE_NOOP("ChatView", "Your documents"),
        QT_TRANSLATE_NOOP("ChatView", "What do my notes say about the project budget?"),
    ),
    (
        QT_TRANSLATE_NOOP("ChatView", "Your documents"),
        QT_TRANSLATE_NOOP("ChatView", "Summarize the main points of the report I added."),
    ),
    (
        QT_TRANSLATE_NOOP("ChatView", "Writing"),
        QT_TRANSLATE_NOOP("ChatView", "Make this more polite: Send me the report by tomorrow."),
    ),
    (QT_TRANSLATE_NOOP("ChatView", "Writing"), "이 문장을 더 공손하게 바꿔 주세요: 내일까지 보고서 보내."),
]


def _empty_state_html() -> str:
    """A new conversation: what the assistant can do, with example requests to start from."""
    parts = [
        '<p style="margin-top:24px; font-size:large"><b>'
        + html.escape(_tr(QT_TRANSLATE_NOOP("ChatView", "Ask anything. Your words stay on this computer.")))
        + "</b></p>",
        "<p>"
        + html.escape(
            _tr(
                QT_TRANSLATE_NOOP(
                    "ChatView",
                    "Chat with the local model, ask about the documents in your Library (answers cite their "
                    "sources), or get help with writing. Try one:",
                )
            )
        )
        + "</p>",
    ]
    kind = ""
    for number, (label, request) in enumerate(EXAMPLES):
        if label != kind:
            kind = label
            parts.append(f'<p style="margin-bottom:2px"><b>{html.escape(_tr(label))}</b></p>')
        parts.append(f'<p style="margin:2px 0 2px 12px"><a href="example:{number}">{html.escape(_tr(request))}</a></p>')
    return "".join(parts)


_ACTIONS_END = "</p><!--actions-->"  # ends a reply's action line

# A source chip, on a light and a dark background.
_CHIP = {
    False: "background-color:#e6edf7; color:#1a3f7a; text-decoration:none",
    True: "background-color:#2a3442; color:#cfe0ff; text-decoration:none",
}


def _with_reply_actions(shown: str) -> str:
    """``shown`` with Regenerate and Edit my message after the last reply's Copy (or on a line of their own)."""
    regenerate = QCoreApplication.translate("ChatView", "Regenerate")
    edit = QCoreApplication.translate("ChatView", "Edit my message")
    links = f'<a href="action:regenerate">{regenerate}</a> · <a href="action:edit">{edit}</a>'
    if shown.endswith(_ACTIONS_END):
        return shown[: -len(_ACTIONS_END)] + f" · {links}</p>"
    return shown + f'<p style="font-size:small; margin:2px 0">{links}</p>'  # a reply without text


def _message_html(message: ShownMessage, index: int, dark: bool = False) -> str:
    label = _tr(_ROLE_LABEL[message.role]) if message.role in _ROLE_LABEL else message.role
    color = _ROLE_COLORS[dark]["user" if message.role == "user" else "assistant"]
    parts = [f'<p style="margin-top:12px"><b style="color:{color}">{label}</b>']
    if message.origin.startswith("cloud:"):
        via = html.escape(message.origin.removeprefix("cloud:").strip())
        parts.append(
            ' <span style="color:#a0522d">☁ '
            + QCoreApplication.translate("ChatView", "{via}, sent with your approval").format(via=via)
            + "</span>"
        )
    if message.streaming:
        parts.append(' <span style="color:#888">' + QCoreApplication.translate("ChatView", "(writing…)") + "</span>")
    elif not message.complete:
        parts.append(' <span style="color:#888">' + QCoreApplication.translate("ChatView", "(stopped)") + "</span>")
    parts.append("</p>")
    if message.reasoning:
        parts.append(_thinking_html(message, index))
    if message.role == "user":
        parts.append("<p>" + html.escape(message.text).replace("\n", "<br/>") + "</p>")
    elif message.claims and not message.streaming:
        parts.append(mark_unsupported(message.text, message.claims, _MARK_COLOR))
    else:
        parts.append(markdown_to_html(message.text, f"copy:{index}/", dark) if message.text else "<p>…</p>")
    if message.origin == LIBRARY_ORIGIN:
        parts.append(
            '<p><a href="action:library" style="color:#1a5fb4; font-weight:600; text-decoration:none">'
            + QCoreApplication.translate("ChatView", "Open the Library →")
            + "</a></p>"
        )
    chips = []
    for number, source in enumerate(message.sources, start=1):
        where = html.escape(Path(source["path"]).name) + (
            QCoreApplication.translate("ChatView", ", page {page}").format(page=source["page"])
            if source.get("page")
            else ""
        )
        snippet = html.escape(" ".join(str(source["text"]).split())[:300], quote=True)
        chip = _CHIP[dark]
        chips.append(
            f'<a href="cite:{index}/{number}" title="{snippet}…" style="{chip}">&nbsp;[{number}] {where}&nbsp;</a>'
        )
    if chips:  # compact chips in one line; the passage shows on hover, the click opens it
        parts.append('<p style="font-size:small; margin:4px 0">' + " ".join(chips) + "</p>")
    if message.stopped == "repetition" and not message.streaming:
        parts.append(f'<p style="color:#888; font-size:small; margin-top:2px"><i>{REPETITION_NOTICE}</i></p>')
    if message.role == "assistant" and not message.streaming and message.text:
        parts.append(
            f'<p style="font-size:small; margin:2px 0"><a href="action:copy:{index}">'
            + QCoreApplication.translate("ChatView", "Copy")
            + "</a>"
            + _ACTIONS_END  # where the last reply's other actions join this line
        )
    return "".join(parts)
