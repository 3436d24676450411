"""Open a cited source: PDFs in an in-app viewer at the cited page, other files at the passage."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QDialog, QLabel, QTextBrowser, QVBoxLayout, QWidget

log = logging.getLogger(__name__)


class PdfViewer(QDialog):
    """A PDF (QtPdf) opened at one page."""

    def __init__(self, path: Path, page: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.setWindowTitle(f"{path.name}, page {page}")
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
    """A document's text with the cited passage selected and scrolled into view."""

    def __init__(self, path: Path, start: int, end: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from assistant.library.loaders import load_document

        self.setWindowTitle(path.name)
        self.resize(760, 700)
        self.text = QTextBrowser(self)
        self.text.setOpenLinks(False)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(str(path)))
        layout.addWidget(self.text)
        sections = load_document(path)
        self.text.setPlainText("\n\n".join(s.text for s in sections))
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(min(start, len(self.text.toPlainText())))
        cursor.setPosition(min(end, len(self.text.toPlainText())), QTextCursor.MoveMode.KeepAnchor)
        highlight = QTextCharFormat()
        highlight.setBackground(QColor("#fff3a0"))
        cursor.mergeCharFormat(highlight)
        self.text.setTextCursor(cursor)
        self.text.ensureCursorVisible()

    def selected(self) -> str:
        return self.text.textCursor().selectedText().replace("\u2029", "\n")


def open_source(source: dict[str, Any], parent: QWidget | None = None) -> QDialog:
    """The right viewer for a cited source, shown (not modal) and returned."""
    path = Path(source["path"])
    viewer: QDialog
    if path.suffix.lower() == ".pdf":
        viewer = PdfViewer(path, int(source.get("page") or 1), parent)
    else:
        viewer = PassageViewer(path, int(source.get("start", 0)), int(source.get("end", 0)), parent)
    viewer.show()
    return viewer
