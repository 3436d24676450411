"""The passage viewer shows the stored passage and never parses the file in the window (issue 12, finding 4)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.source_viewer import PassageViewer, open_source

STORED = "Bake the loaf at 250 degrees for forty minutes."


def source(path: Path, text: str = STORED) -> dict[str, object]:
    return {"path": str(path), "page": None, "text": text, "start": 120, "end": 120 + len(text), "score": 1.0}


def test_the_viewer_shows_the_stored_passage_not_the_file_as_it_is_now(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "bread.md"
    path.write_text("# Changed since indexing\n\nSECRET written later, never indexed.", encoding="utf-8")
    viewer = open_source(source(path))
    qtbot.addWidget(viewer)
    assert isinstance(viewer, PassageViewer) and viewer.isVisible()
    assert viewer.text.toPlainText() == STORED
    assert viewer.selected() == STORED
    assert "SECRET" not in viewer.text.toPlainText()
    assert "characters 120–167" in viewer.label.text()


def test_a_file_gone_or_unreadable_still_shows_its_passage(qtbot: QtBot, tmp_path: Path) -> None:
    gone = open_source(source(tmp_path / "deleted.txt"))
    qtbot.addWidget(gone)
    assert gone.text.toPlainText() == STORED  # type: ignore[attr-defined]
    # Not a Word document at all: parsing it in the window used to raise here.
    broken = tmp_path / "report.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip" * 1000)
    viewer = open_source(source(broken))
    qtbot.addWidget(viewer)
    assert viewer.text.toPlainText() == STORED  # type: ignore[attr-defined]


def test_a_file_name_is_shown_as_text_not_markup(qtbot: QtBot, tmp_path: Path) -> None:
    viewer = open_source(source(tmp_path / '<img src="/dev/zero">.txt'))
    qtbot.addWidget(viewer)
    assert viewer.label.textFormat() == Qt.TextFormat.PlainText  # type: ignore[attr-defined]
    assert '<img src="/dev/zero">.txt' in viewer.label.text()  # type: ignore[attr-defined]


def test_a_passage_stored_without_text_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    viewer = open_source(source(tmp_path / "old.txt", text=""))
    qtbot.addWidget(viewer)
    assert viewer.text.toPlainText() == "The text of this passage was not stored with the answer."  # type: ignore[attr-defined]
    assert viewer.selected() == ""  # type: ignore[attr-defined]
