"""The conversation as rich text: Markdown rendered safely, the streaming reply repainted
at most every ``REPAINT_MS`` so a fast model never floods the GUI thread.

Each message is a block of its own (``ui/message_html``), built once when it is finished; only the
streaming reply is built again at each repaint. A finished reply shows what the app knows about it:
why it stopped early (the loop guard), and which of its sentences its sources do not bear out (a
dotted underline and a tooltip, so the mark does not rest on colour alone).
"""

from __future__ import annotations

import html
import time
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
from PySide6.QtWidgets import QApplication, QTextBrowser, QToolTip, QWidget

from ui.answer_marks import unsupported_tip
from ui.i18n import QT_TRANSLATE_NOOP
from ui.markdown_html import code_blocks
from ui.message_html import MARK_COLOR, PAGE_MARGIN, ShownMessage, look_of, message_html, with_reply_actions

REPAINT_MS = 60


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
        self._blocks: list[str] = []  # each message's HTML, built once it is finished ("" while it streams)
        self._dirty = False
        self._timer = QTimer(self)
        self._timer.setInterval(REPAINT_MS)
        self._timer.timeout.connect(self._flush)
        self.repaints = 0  # how many times the document was rebuilt (tests, benchmarks)
        self._reply_actions = False
        self._look = look_of(self.palette(), dark=False)  # the theme's colours (set_dark)
        self._tail_at = -1  # where the last message shown begins in the document; -1: none is
        self._tail_index = 0  # which message that is
        self.document().setUndoRedoEnabled(False)  # the view rewrites its end while a reply streams
        self.document().setDocumentMargin(PAGE_MARGIN)  # room around the message blocks

    def loadResource(self, type: int, name: QUrl | str) -> object:  # noqa: A002 - Qt's name
        """Refuse every resource: no remote (or local) image is ever fetched."""
        return None

    # -- content ----------------------------------------------------------------------

    def set_messages(self, messages: list[ShownMessage]) -> None:
        self._timer.stop()
        self._messages = list(messages)
        self._blocks = [self._html(i) for i in range(len(self._messages))]
        self._render(stick_to_bottom=True)

    def messages(self) -> list[ShownMessage]:
        return list(self._messages)

    def begin_reply(self) -> None:
        self._messages.append(ShownMessage("assistant", "", streaming=True))
        self._blocks.append("")
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
            self._blocks[-1] = self._html(len(self._messages) - 1)
        self._timer.stop()
        self._dirty = False
        self._render(stick_to_bottom=False, from_tail=True)
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
        self._append(ShownMessage("assistant", text, origin=origin))

    def add_user_message(self, text: str) -> None:
        self._append(ShownMessage("user", text, created=time.time()))

    def _append(self, message: ShownMessage) -> None:
        self._messages.append(message)
        self._blocks.append(self._html(len(self._messages) - 1))
        self._render(stick_to_bottom=True, from_tail=True)

    def last_reply_text(self) -> str:
        replies = [m.text for m in self._messages if m.role == "assistant"]
        return replies[-1] if replies else ""

    # -- painting ---------------------------------------------------------------------

    def _flush(self) -> None:
        if self._dirty:
            self._dirty = False
            self._render(stick_to_bottom=False, from_tail=True)

    def _render(self, stick_to_bottom: bool, from_tail: bool = False) -> None:
        """Show the messages. ``from_tail``: only the last message shown before and those after it changed;
        the document keeps the others as they are laid out, so a long conversation costs nothing more."""
        bar = self.verticalScrollBar()
        at_bottom = stick_to_bottom or bar.value() >= bar.maximum() - 4
        last = len(self._messages) - 1
        if last < 0:
            self._tail_at = -1
            self.setHtml(_empty_state_html())
        else:
            first = self._tail_index if from_tail and 0 <= self._tail_at and self._tail_index <= last else 0
            cursor = QTextCursor(self.document())
            if first:
                cursor.setPosition(self._tail_at)
                cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
                cursor.removeSelectedText()
                between = "".join(self._blocks[first:last])
                if between:
                    cursor.insertHtml(between)
            else:
                self.setHtml("".join(self._blocks[:last]))
            self._tail_at, self._tail_index = self.document().characterCount() - 1, last
            cursor = QTextCursor(self.document())
            cursor.setPosition(self._tail_at)
            cursor.insertHtml(self._last_html())
            if any(m.claims for m in self._messages[first:]):
                self._style_marks()
        self.repaints += 1
        if at_bottom:
            self.moveCursor(QTextCursor.MoveOperation.End)
            bar.setValue(bar.maximum())

    def _last_html(self) -> str:
        """The last message (built again while it streams), with Regenerate and Edit under a reply."""
        index = len(self._messages) - 1
        message = self._messages[index]
        if message.streaming:
            return self._html(index)
        actions = self._reply_actions and message.role == "assistant"
        return with_reply_actions(self._blocks[index], self._look) if actions else self._blocks[index]

    def _style_marks(self) -> None:
        """Qt's HTML has no dotted underline: restyle the marked sentences (found by their tooltip)."""
        tip = unsupported_tip()
        underline = QTextCharFormat()
        underline.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        underline.setUnderlineColor(QColor(MARK_COLOR))
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
            self._blocks[index] = self._html(index)
            self._render(stick_to_bottom=False)
            bar.setValue(position)

    def set_reply_actions(self, enabled: bool) -> None:
        """Offer Regenerate and Edit under the last reply (not while a reply is being written)."""
        if enabled != self._reply_actions:
            self._reply_actions = enabled
            self._render(stick_to_bottom=False, from_tail=True)

    def _html(self, index: int) -> str:
        return message_html(self._messages[index], index, self._look)

    def set_dark(self, dark: bool) -> None:
        """The theme changed: the messages again, in colours that read on the new background."""
        self._look = look_of(QApplication.palette(self), dark)  # the new palette (this widget learns it later)
        self._blocks = [self._html(i) for i in range(len(self._messages))]
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
