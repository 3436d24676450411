"""Open a cited source: PDFs in an in-app viewer at the cited page, other files as the stored passage."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QDialog, QLabel, QTextBrowser, QVBoxLayout, QWidget

log = logging.getLogger(__name__)


class PdfViewer(QDialog):
    """A PDF (QtPdf) opened at one page."""

    def __init__(self, path: Path, page: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.setWindowTitle(self.tr("{name}, page {page}").format(name=path.name, page=page))
        self.resize(800, 900)
        self.document = QPdfDocument(self)
        self.document.load(str(path))
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.view.pageNavigator().jump(max(page - 1, 0), QPointF(), 0)

    def current_page(self) -> int:
        """1-based, as people count pages."""
        return int(self.view.pageNavigator().currentPage()) + 1


class PassageViewer(QDialog):
    """The cited passage as it was indexed: the stored chunk text, shown selected.

    The file itself is not read here. Parsing an untrusted document belongs in the parser
    sandbox (:mod:`assistant.library.sandbox`), never in the window's process, and the passage
    the answer was built from is the one the person should see, even when the file has changed
    or gone since.

    Args:
        path: the cited file (shown, not opened).
        text: the passage's stored text.
        page: its page, when the document has pages.
        start, end: its place in the document's extracted text (characters), shown.
    """

    def __init__(
        self,
        path: Path,
        text: str,
        page: int | None = None,
        start: int = 0,
        end: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(path.name)
        self.resize(760, 500)
        where = self.tr(", page {page}").format(page=page) if page else ""
        where += self.tr(", characters {start:,}–{end:,}").format(start=start, end=end) if end > start else ""
        self.label = QLabel(f"{path}{where}\n" + self.tr("The passage as it was indexed:"))
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # a file name is not markup
        self.label.setWordWrap(True)
        self.text = QTextBrowser(self)
        self.text.setOpenLinks(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.text)
        self.text.setPlainText(text or self.tr("The text of this passage was not stored with the answer."))
        if text:
            cursor = QTextCursor(self.text.document())
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.movePosition(QTextCursor.MoveOperation.Start, QTextCursor.MoveMode.KeepAnchor)
            highlight = QTextCharFormat()
            highlight.setBackground(QColor("#fff3a0"))
            cursor.mergeCharFormat(highlight)
            self.text.setTextCursor(cursor)  # all of it selected, its start in view

    def selected(self) -> str:
        return self.text.textCursor().selectedText().replace("\u2029", "\n")


def open_source(source: dict[str, Any], parent: QWidget | None = None) -> QDialog:
    """The right viewer for a cited source, shown (not modal) and returned."""
    path = Path(source["path"])
    viewer: QDialog
    if path.suffix.lower() == ".pdf":
        viewer = PdfViewer(path, int(source.get("page") or 1), parent)
    else:
        viewer = PassageViewer(
            path,
            str(source.get("text") or ""),
            int(source.get("page") or 0) or None,
            int(source.get("start") or 0),
            int(source.get("end") or 0),
            parent,
        )
    viewer.show()
    return viewer
