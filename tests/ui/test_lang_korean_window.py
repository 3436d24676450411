"""Issue 13, item 6: the window in Korean (Qt translations from resources/i18n), English by default.

The real window is built with the Korean catalog installed the way the app installs it (Settings →
Language, or the system locale), then every visible widget is walked: no string the window itself
shows may be left in English. Names that are not words of the window (the product's name, model and
file names, keys, short technical tokens) are allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTableWidget,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from assistant.agents.escalation import Provider, prepare
from assistant.config import load_settings, save_settings
from assistant.conversations import Message
from tests.fakes import FakeRuntime
from tests.ui.conftest import OpenWindow
from ui import i18n
from ui.approval_dialog import ApprovalDialog
from ui.language_dialog import LanguageDialog
from ui.main_window import MainWindow

HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Words that are names, not text of the window: they stay as they are in every language.
ALLOWED = (
    "Private Assistant",
    "fake-model",
    "SmolLM2 135M Instruct",
    "all-MiniLM-L6-v2",
    "SmolLM2",
    "llama.cpp",
    "Shift+Enter",
    "Ctrl+N",
    "Ctrl+1",
    "Ctrl+2",
    "Ctrl+Enter",
    "Enter",
    "Esc",
    "GPU",
    "CPU",
    "API",
    "URL",
    "IBAN",
    "SHA-256",
    "Documents",  # the default collection's name: a stored name, like a folder's
    "Test server",  # the provider's name, from its settings
)
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain(text: str) -> str:
    if "<" in text and ">" in text:
        parser = _Text()
        parser.feed(text)
        return " ".join(parser.parts)
    return text


def shown_strings(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every string a visible widget under ``root`` shows."""
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        name = type(widget).__name__
        if widget.isWindow() and widget.windowTitle():
            yield f"{name} title", widget.windowTitle()
        if widget.toolTip():
            yield f"{name} tooltip", widget.toolTip()
        if isinstance(widget, QLabel):
            yield name, widget.text()
        elif isinstance(widget, QAbstractButton):
            yield name, widget.text()
            menu = getattr(widget, "menu", lambda: None)()
            for action in menu.actions() if menu else []:
                yield f"{name} menu", action.text()
        elif isinstance(widget, QGroupBox):
            yield name, widget.title()
        elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            yield f"{name} placeholder", widget.placeholderText()
        elif isinstance(widget, QComboBox) and not widget.isEditable():
            for index in range(widget.count()):
                yield f"{name} item", widget.itemText(index)
        elif isinstance(widget, QTabWidget):
            for index in range(widget.count()):
                yield f"{name} tab", widget.tabText(index)
        elif isinstance(widget, QTableWidget):
            for column in range(widget.columnCount()):
                header = widget.horizontalHeaderItem(column)
                yield f"{name} header", header.text() if header else ""
                for row in range(widget.rowCount()):
                    item = widget.item(row, column)
                    if item is not None and column == 1:  # the status column is the window's text
                        yield f"{name} cell", item.text()
    if isinstance(root, QMainWindow):
        for menu_action in root.menuBar().actions():
            yield "menu", menu_action.text()
            for action in menu_action.menu().actions():
                if not action.isSeparator():
                    yield "menu item", action.text()


def left_in_english(root: QWidget, also_allowed: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The strings under ``root`` that still hold an English word (after the allowed names)."""
    left = []
    for where, text in shown_strings(root):
        rest = plain(text)
        for allowed in (*also_allowed, *ALLOWED):
            rest = rest.replace(allowed, " ")
        rest = re.sub(r"/\S+|\S+\.(?:py|pdf|md|txt|log)\b|\{[^}]*\}", " ", rest)  # paths, file names
        if ENGLISH_WORD.search(rest):
            left.append((where, text))
    return left


def has_korean(root: QWidget) -> bool:
    return any(HANGUL.search(text) for _, text in shown_strings(root))


def msg(id: int, role: str, content: str) -> Message:  # noqa: A002
    return Message(id, 1, role, content, "", 0.0, True, ())


def fill_library(window: MainWindow, tmp_path: Path) -> None:
    good = SimpleNamespace(
        path=str(tmp_path / "notes.md"), collection="Documents", status="indexed", chunks=3, error=""
    )
    bad = SimpleNamespace(path=str(tmp_path / "scan.pdf"), collection="Documents", status="failed", chunks=0, error="")
    window.library_view.show_state(
        {"collections": ["Documents"], "folders": [(str(tmp_path), "Documents")], "files": [good, bad]}
    )
    window.library_view.show_synced({"indexed": 1, "skipped": 0, "failed": 1, "removed": 0})


def test_the_main_window_and_library_are_in_korean_with_nothing_left_in_english(
    korean: None, open_window: OpenWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window(FakeRuntime(["안녕하세요"]))
    qtbot.waitUntil(lambda: window.status.model_label.text() == "모델: fake-model", timeout=20_000)
    assert window.send_button.text() == "보내기" and window.nav.library_button.text() == "라이브러리"
    assert has_korean(window)
    assert left_in_english(window) == []

    window.open_library()
    fill_library(window, tmp_path)
    view = window.library_view
    assert view.add_folder_button.text() == "폴더 추가…" and view.files.item(0, 1).text() == "색인됨"
    assert view.progress_label.text().startswith("완료: 색인 1개")
    assert left_in_english(view) == []

    dialog = LanguageDialog(window.settings, window)  # Settings → Language, with Qt's own buttons in Korean too
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "언어" and "다음에 시작할 때" in dialog.note.text()
    assert left_in_english(dialog, also_allowed=("English",)) == []
    dialog.reject()


def test_the_approval_dialog_is_in_korean_and_the_request_sent_is_unchanged(
    korean: None, open_window: OpenWindow, qtbot: QtBot
) -> None:
    open_window(FakeRuntime(["ok"]))  # installs the language as the app does
    provider = Provider("Test server", "https://cloud.example/v1", "m")
    history = [msg(1, "user", "My email is kim@example.com"), msg(2, "assistant", "Noted."), msg(3, "user", "Why?")]
    draft = prepare(provider, history)
    dialog = ApprovalDialog(draft)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.send_button.text() == "보내기" and dialog.deny_button.text() == "거부"
    assert dialog.windowTitle() == "Test server(으)로 보낼까요?"
    assert "이메일 주소" in dialog.detected.item(0).text()
    # The exact request is the bytes sent, never translated.
    assert dialog.shown_payload() == draft.approve().payload
    assert left_in_english(dialog, also_allowed=("\\uXXXX",)) == []
    dialog.reject()


def test_the_language_dialog_offers_the_system_english_and_korean_and_says_it_needs_a_restart(
    open_window: OpenWindow, qtbot: QtBot
) -> None:
    window = open_window(FakeRuntime(["ok"]))
    dialog = LanguageDialog(window.settings, window)
    qtbot.addWidget(dialog)
    assert [dialog.language.itemText(i) for i in range(dialog.language.count())] == ["System", "English", "한국어"]
    assert "next time you start" in dialog.note.text()
    dialog.language.setCurrentIndex(dialog.language.findData("ko"))
    dialog.accept()
    assert load_settings().language == "ko"


def test_korean_follows_the_system_locale_when_no_language_is_set(qtbot: QtBot) -> None:
    assert i18n.chosen_language("", QLocale("ko_KR")) == "ko"
    assert i18n.chosen_language("", QLocale("de_DE")) == "en"  # no German catalog yet: English
    assert i18n.chosen_language("en", QLocale("ko_KR")) == "en"  # the setting wins


def test_english_stays_english_by_default(open_window: OpenWindow, qtbot: QtBot) -> None:
    settings = load_settings()
    settings.language = "en"
    save_settings(settings)
    window = open_window(FakeRuntime(["hello"]))
    assert window.send_button.text() == "Send" and window.nav.library_button.text() == "Library"
    assert not has_korean(window)
    assert len(left_in_english(window)) > 20  # the walk sees the window's text (it would see it untranslated)


def test_the_compiled_korean_catalog_ships_with_its_source() -> None:
    from assistant import bundle

    folder = bundle.locate(i18n.I18N_FOLDER)
    assert (folder / "private_assistant_ko.qm").stat().st_size > 10_000
    assert (folder / "private_assistant_ko.ts").exists()
    shipped = [dest for source, dest in bundle.contents() if source == bundle.root() / "resources"]
    assert shipped == ["resources"]  # resources/i18n travels with the packaged app


def test_every_string_of_the_window_has_korean_with_the_same_placeholders(tmp_path: Path) -> None:
    """A string added to ui/ without its Korean fails here (resources/i18n/update.py refreshes the catalog)."""
    import subprocess
    import sys
    import xml.etree.ElementTree as ET

    root = Path(__file__).resolve().parents[2]
    ts = tmp_path / "check_ko.ts"
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    sources = sorted(str(p) for p in (root / "ui").glob("*.py"))
    subprocess.run([lupdate, *sources, "-ts", str(ts), "-silent"], check=True, capture_output=True)
    found = {m.findtext("source") or "" for m in ET.parse(ts).iter("message")}
    shipped = {
        m.findtext("source") or "": m.findtext("translation") or ""
        for m in ET.parse(root / "resources/i18n/private_assistant_ko.ts").iter("message")
    }
    assert len(found) > 300
    assert sorted(found - {s for s, k in shipped.items() if HANGUL.search(k) or s == k}) == []
    placeholder = re.compile(r"\{[^{}]*\}")
    for source in found:
        assert sorted(placeholder.findall(source)) == sorted(placeholder.findall(shipped[source])), source
