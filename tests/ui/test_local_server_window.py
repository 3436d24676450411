"""Settings → Local server in the window: switched on, a real openai client uses it, switched off.

The server runs inside the window and reaches the library through the window's library thread.
"""

from __future__ import annotations

from pathlib import Path

import openai
import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from assistant.config import load_settings
from assistant.library.indexer import Indexer
from assistant.library.library import Library
from assistant.secrets import KeyStore
from assistant.server.keys import ACCOUNT
from tests.cloud_server import free_port
from tests.fakes import FakeRuntime
from tests.ui.conftest import OpenWindow
from ui.local_server import LocalServerDialog


def test_the_local_server_switch_serves_models_and_documents_then_stops(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "tern.md").write_text("# Terns\n\nThe arctic tern migrates about 70,000 km each year.\n")
    with Library() as library:
        indexer = Indexer(library)
        indexer.add(notes, "Notes")
        list(indexer.sync("Notes"))

    window = open_window(FakeRuntime(["hello"]))
    settings_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Settings")
    action = next(a for a in settings_menu.actions() if a.text() == "Local &server…")
    action.trigger()
    dialog = window.menus.local_server_dialog
    assert isinstance(dialog, LocalServerDialog)
    assert not dialog.enabled.isChecked() and dialog.status.text() == "Off."  # off by default

    key = KeyStore().get(ACCOUNT)
    assert key and dialog.key.text() == key  # made once, kept in the keychain
    assert dialog.key.echoMode() == QLineEdit.EchoMode.Password and key not in dialog.example.toPlainText()
    dialog.copy_key.click()
    assert QGuiApplication.clipboard().text() == key

    dialog.host.setText("192.168.1.20")
    assert dialog.warning.isVisibleTo(dialog)  # another computer could reach it
    dialog.host.setText("127.0.0.1")
    assert not dialog.warning.isVisibleTo(dialog)
    port = free_port()
    dialog.port.setValue(port)
    dialog.enabled.setChecked(True)
    url = f"http://127.0.0.1:{port}/v1"
    assert dialog.status.text() == f"Running at {url}"
    assert url in dialog.example.toPlainText()

    client = openai.OpenAI(base_url=url, api_key=key, max_retries=0, timeout=60)
    try:
        ids = [m.id for m in client.models.list()]
        assert {"smollm2-135m-instruct", "all-MiniLM-L6-v2", "documents:Notes"} <= set(ids)
        vectors = client.embeddings.create(model="all-MiniLM-L6-v2", input=["terns", "bread"])
        assert [len(d.embedding) for d in vectors.data] == [384, 384]
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=url, api_key="pa-wrong-key-0000000000", max_retries=0).models.list()

        dialog.enabled.setChecked(False)
        assert dialog.status.text() == "Off."
        with pytest.raises(openai.APIConnectionError):
            client.models.list()
    finally:
        client.close()
    dialog.enabled.setChecked(True)  # on again, and remembered for the next start
    dialog.close()
    assert load_settings().server.enabled and load_settings().server.port == port
    window.close()
    assert not window.local_server.running

    again = open_window(FakeRuntime(["hello"]))  # the next start serves at once
    assert again.local_server.running and again.local_server.base_url == url
    with openai.OpenAI(base_url=url, api_key=key, max_retries=0, timeout=60) as client:
        assert "documents:Notes" in [m.id for m in client.models.list()]
