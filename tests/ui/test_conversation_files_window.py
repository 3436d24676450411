"""File → Export… and Import… in the window (offscreen), the file dialogs answered by the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from tests.fakes import FakeRuntime
from tests.ui.conftest import OpenWindow
from tests.ui.test_chat_window import type_and_send, wait_done
from tests.unit.test_conversation_files import chatgpt_export
from ui import conversation_files


def test_export_then_import_from_the_file_menu(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(FakeRuntime(["Paris is the capital."]))
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus[0] == "&File"
    file_menu = window.menuBar().actions()[0].menu()
    assert [a.text() for a in file_menu.actions()] == ["&Export conversation…", "&Import conversations…"]
    type_and_send(qtbot, window, "Capital of France?")
    wait_done(qtbot, window)
    first = window.conversations.current_id()

    target = tmp_path / "chat"  # no suffix: the chosen type gives it
    lossless = "JSON, to import again (*.json)"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), lossless))
    file_menu.actions()[0].trigger()
    written = tmp_path / "chat.json"
    assert json.loads(written.read_text(encoding="utf-8"))["conversations"][0]["messages"][1]["content"] == (
        "Paris is the capital."
    )
    assert "chat.json" in window.statusBar().currentMessage()

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(written), ""))
    file_menu.actions()[1].trigger()
    new = window.conversations.current_id()
    assert new != first and window.conversations.list.count() == 2
    assert "Paris is the capital." in window.chat.toPlainText()
    assert window.statusBar().currentMessage() == "Imported 1 conversation from chat.json."

    gpt = tmp_path / "conversations.json"
    gpt.write_text(json.dumps(chatgpt_export()), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(gpt), ""))
    assert len(conversation_files.import_conversations(window)) == 2
    assert window.conversations.list.count() == 4

    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    shown: list[str] = []
    monkeypatch.setattr(window, "show_error", shown.append)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    assert conversation_files.import_conversations(window) == []
    assert shown and "bad.json is not valid JSON" in shown[0] and window.conversations.list.count() == 4

    md = tmp_path / "chat.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(md), "Markdown, to read (*.md)"))
    assert conversation_files.export_current(window) == md
    assert md.read_text(encoding="utf-8").startswith("# ")
