"""A word-level diff the person accepts or rejects change by change (click a change to toggle it).

Accepted changes show the old words in red strikethrough and the new ones in green; a rejected
change shows the old words as they stay (faintly marked) and the proposal in grey strikethrough,
so every change stays visible and clickable. Each change is a link ``change:N`` (Tab and Enter
reach it from the keyboard too). All text is HTML-escaped; nothing is ever loaded from a URL.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QTextBrowser, QWidget

from assistant.agents.diff import Segment, apply, changes

OLD_STYLE = "color:#c01c28;background:#fde7e9"
NEW_STYLE = "color:#1a7f37;background:#e6f6ea"
DROPPED_STYLE = "color:#8a8a8a"


class DiffView(QTextBrowser):
    """Signals:
    changed(): a change was accepted or rejected (by a click, ``toggle``, ``accept_all`` or ``reject_all``).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self._segments: list[Segment] = []
        self._accepted: set[int] = set()

    def loadResource(self, type: int, name: QUrl | str) -> object:  # noqa: A002 - Qt's name
        """Never fetch anything (no images or files named in the text)."""
        return None

    def set_diff(self, segments: Sequence[Segment]) -> None:
        """Show ``segments`` with every change accepted."""
        self._segments = list(segments)
        self._accepted = {c.index for c in changes(self._segments)}
        self._render(keep_scroll=False)

    def show_text(self, text: str) -> None:
        """Show plain ``text`` (e.g. a result while it streams in); there is no diff until ``set_diff``."""
        self._segments = []
        self._accepted = set()
        self.setPlainText(text)

    def append_text(self, text: str) -> None:
        """Add ``text`` to the plain text shown (a streamed piece of the result)."""
        cursor = self.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        self.ensureCursorVisible()

    def segments(self) -> list[Segment]:
        return list(self._segments)

    def accepted(self) -> set[int]:
        """The indexes of the accepted changes."""
        return set(self._accepted)

    def change_count(self) -> int:
        return len(changes(self._segments))

    def toggle(self, index: int) -> None:
        """Accept change ``index`` if it is rejected, reject it if accepted."""
        if not 0 <= index < self.change_count():
            return
        self._accepted ^= {index}
        self._render()
        self.changed.emit()

    def accept_all(self) -> None:
        self._accepted = {c.index for c in changes(self._segments)}
        self._render()
        self.changed.emit()

    def reject_all(self) -> None:
        self._accepted = set()
        self._render()
        self.changed.emit()

    def result(self) -> str:
        """The text with the accepted changes applied (the plain text shown when there is no diff)."""
        if not self._segments:
            return self.toPlainText()
        return apply(self._segments, self._accepted)

    def _on_anchor(self, url: QUrl) -> None:
        link = url.toString()
        if link.startswith("change:") and link.removeprefix("change:").isdigit():
            self.toggle(int(link.removeprefix("change:")))

    def _render(self, keep_scroll: bool = True) -> None:
        bar = self.verticalScrollBar()
        position = bar.value()
        palette = self.palette()
        kept = f"color:{palette.text().color().name()};background:{palette.alternateBase().color().name()}"
        parts: list[str] = []
        for segment in self._segments:
            change = segment.change
            if change is None:
                parts.append(_text(segment.text))
                continue
            if change.index in self._accepted:
                title = self.tr("Accepted: click to reject this change")
                shown = _span("s", OLD_STYLE, change.old) + _span("span", NEW_STYLE, change.new)
            else:
                title = self.tr("Rejected: click to accept this change")
                shown = _span("span", kept, change.old) + _span("s", DROPPED_STYLE, change.new)
            parts.append(f'<a href="change:{change.index}" title="{title}" style="text-decoration:none">{shown}</a>')
        self.setHtml('<div style="white-space:pre-wrap">' + "".join(parts) + "</div>")
        if keep_scroll:
            bar.setValue(position)


def _span(tag: str, style: str, text: str) -> str:
    return f'<{tag} style="{style}">{_text(text)}</{tag}>' if text else ""


def _text(text: str) -> str:
    return html.escape(text).replace("\n", "<br/>")
