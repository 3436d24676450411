"""A word-level diff the person accepts or rejects change by change (click a change to toggle it)."""

from __future__ import annotations

import html

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QWidget

from assistant.agents.diff import Segment, apply, changes


class DiffView(QTextBrowser):
    """Signals:
    changed(): a change was accepted or rejected.
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
        return None  # never fetch anything

    def set_diff(self, segments: list[Segment]) -> None:
        """Show ``segments``, every change accepted."""
        self._segments = list(segments)
        self._accepted = {c.index for c in changes(self._segments)}
        self._render()

    def accepted(self) -> set[int]:
        return set(self._accepted)

    def change_count(self) -> int:
        return len(changes(self._segments))

    def toggle(self, index: int) -> None:
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
        return apply(self._segments, self._accepted)

    def _on_anchor(self, url: QUrl) -> None:
        link = url.toString()
        if link.startswith("change:"):
            self.toggle(int(link.removeprefix("change:")))

    def _render(self) -> None:
        parts: list[str] = []
        for segment in self._segments:
            change = segment.change
            if change is None:
                parts.append(_text(segment.text))
                continue
            accepted = change.index in self._accepted
            old = f'<s style="color:#c01c28;background:#fde7e9">{_text(change.old)}</s>' if change.old else ""
            new = f'<span style="color:#26a269;background:#e6f6ea">{_text(change.new)}</span>' if change.new else ""
            shown = (old + new) if accepted else (_text(change.old) if change.old else "")
            title = "accepted: click to reject" if accepted else "rejected: click to accept"
            if not accepted and not change.old:
                shown = '<span style="color:#999">⁁</span>'
            parts.append(f'<a href="change:{change.index}" title="{title}" style="text-decoration:none">{shown}</a>')
        self.setHtml('<div style="white-space:pre-wrap">' + "".join(parts) + "</div>")


def _text(text: str) -> str:
    return html.escape(text).replace("\n", "<br/>")
