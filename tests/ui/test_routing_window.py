"""Routes in the window: the real router decides, the person overrides before or after sending."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from assistant.config import CloudSettings, Settings, save_settings
from assistant.secrets import SERVICE, key_account
from tests.conftest import CloudServer
from tests.fakes import FakeRuntime
from tests.library_files import make_corpus
from tests.memory_keyring import MemoryKeyring
from tests.ui.conftest import OpenWindow
from tests.ui.test_chat_window import stored, type_and_send, wait_done
from tests.ui.test_library_window import index_folder


def test_the_router_picks_the_route_and_the_person_can_answer_again_another_way(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    runtime = FakeRuntime(["Hi! How can I help?", "Your plan: step 1, step 2."])
    window = open_window(runtime)
    type_and_send(qtbot, window, "hey there, how are you?")
    wait_done(qtbot, window)
    assert window.route_bar.label.text().startswith("Route: Chat (")
    assert window.route_bar.again.isVisible()

    window.route_bar.rerouted.emit("complex")  # "Answer as… Complex"
    wait_done(qtbot, window)
    assert "Route: Complex" in window.route_bar.label.text() and "chosen by you" in window.route_bar.label.text()
    assert stored(window) == [("user", "hey there, how are you?"), ("assistant", "Your plan: step 1, step 2.")]
    assert "Settings → Cloud provider" in window.route_bar.offer.text()  # offered, never sent


def test_a_chosen_route_applies_to_one_message(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(FakeRuntime(["Corrected.", "Hello!"]))
    window.route_picker.choose("writing")
    type_and_send(qtbot, window, "Proofread this: teh cat")
    wait_done(qtbot, window)
    assert "Route: Writing" in window.route_bar.label.text()
    assert window.route_picker.chosen() is None  # back to Auto
    type_and_send(qtbot, window, "hello!")
    wait_done(qtbot, window)
    assert "Route: Chat" in window.route_bar.label.text()


@pytest.mark.integration
def test_documents_route_without_ticking_collections_and_local_only_passages_stay_home(
    qtbot: QtBot,
    open_window: OpenWindow,
    tmp_path: Path,
    cloud_server: CloudServer,
    memory_keyring: MemoryKeyring,
) -> None:
    cloud = CloudSettings(enabled=True, name="Test server", base_url=cloud_server.base_url, model="smollm2")
    cloud.local_only_collections = ["Private"]
    save_settings(Settings(cloud=cloud))
    memory_keyring.set_password(SERVICE, key_account(cloud_server.base_url), cloud_server.key)
    make_corpus(tmp_path / "docs")
    window = open_window(FakeRuntime(["Terns fly about seventy thousand kilometres [1]."]))
    index_folder(qtbot, window, tmp_path / "docs", collection="Private")
    window.nav.show_chats()

    type_and_send(qtbot, window, "According to my documents, how far does the arctic tern migrate?")
    wait_done(qtbot, window)
    assert "Route: Documents" in window.route_bar.label.text()
    shown = window.chat.messages()[-1]
    assert shown.sources and Path(shown.sources[0]["path"]).name == "seabirds.pdf"

    window.route_bar.escalate.click()  # the person asks; the dialog shows what would leave
    qtbot.waitUntil(lambda: window.escalation.dialog is not None)
    dialog = window.escalation.dialog
    assert dialog is not None
    assert "seventy thousand" not in dialog.payload.toPlainText()  # the passage never leaves
    assert "never leaves this device" in dialog.omitted.text()
    dialog.reject()
    assert cloud_server.proxy.received == []
