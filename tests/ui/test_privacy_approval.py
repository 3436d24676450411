"""Issue 12 in the approval and cloud settings dialogs (findings 5, 7, 9, 10), against the real server."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from assistant.agents import cloud
from assistant.agents.audit import AuditLog
from assistant.agents.escalation import INVISIBLE, Provider, prepare
from assistant.agents.events import Token
from assistant.config import CloudSettings
from assistant.conversations import Message
from assistant.secrets import KeyStore, key_account
from tests.conftest import CloudServer
from tests.fakes import FakeRuntime
from tests.memory_keyring import MemoryKeyring
from tests.ui.conftest import OpenWindow
from tests.ui.test_chat_window import type_and_send, wait_done
from tests.ui.test_escalation_window import configure, open_dialog
from ui.approval_dialog import ApprovalDialog
from ui.cloud_settings import CloudSettingsDialog

IMG = '<img src="/dev/zero">'
HIDDEN = "Summarise\u202e txt.exe\u202c the\u200b note\U000e0041"


def msg(id: int, role: str, content: str, sources: tuple[dict[str, object], ...] = ()) -> Message:  # noqa: A002
    return Message(id, 1, role, content, "", 0.0, True, sources)


def show(qtbot: QtBot, dialog: ApprovalDialog) -> ApprovalDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_untrusted_names_in_the_dialog_are_plain_text_never_html(qtbot: QtBot) -> None:
    provider = Provider(IMG, "https://cloud.example/v1", "m")
    name = '<img src="zero">.pdf'  # a file name cannot hold the "/" of /dev/zero
    passage = {"path": f"/docs/{name}", "page": 1, "text": "secret", "score": 1.0}  # no collection: stays
    draft = prepare(provider, [msg(1, "user", "Sum up"), msg(2, "assistant", "Done [1].", (passage,))])
    dialog = show(qtbot, ApprovalDialog(draft))
    assert dialog.omitted.textFormat() == Qt.TextFormat.PlainText and name in dialog.omitted.text()
    assert dialog.cost.textFormat() == Qt.TextFormat.PlainText
    assert "&lt;img" in dialog.intro.text() and "<img" not in dialog.intro.text()
    dialog.reject()


def test_invisible_characters_are_shown_escaped_and_the_bytes_sent_are_the_bytes_shown(
    qtbot: QtBot, cloud_server: CloudServer
) -> None:
    draft = prepare(Provider("Test server", cloud_server.base_url, "smollm2", 8), [msg(1, "user", HIDDEN)])
    dialog = show(qtbot, ApprovalDialog(draft))
    assert dialog.keep_invisible.isVisible() and "Keep 4 invisible" in dialog.keep_invisible.text()
    assert not INVISIBLE.search(dialog.payload.toPlainText())  # removed by default
    dialog.keep_invisible.setChecked(True)  # the person keeps them: shown, escaped, never invisible
    shown = dialog.shown_payload()
    assert not INVISIBLE.search(dialog.payload.toPlainText())
    assert "\\u202e" in dialog.payload.toPlainText() and b"\\udb40\\udc41" in shown
    dialog.send_button.click()
    assert dialog.approved is not None

    events = list(cloud.send(dialog.approved, cloud_server.key, AuditLog()))
    assert not isinstance(events[-1], Token)  # it completed
    [received] = cloud_server.proxy.received
    assert received.body == shown  # the bytes sent are the bytes shown
    assert json.loads(received.body)["messages"][-1]["content"] == HIDDEN


def test_the_dialog_says_which_values_were_hidden_earlier_in_the_conversation(qtbot: QtBot) -> None:
    passage = {"path": "/docs/c.pdf", "page": 1, "text": "Name: Jane Smith", "score": 1.0, "collection": "Docs"}
    conversation = [
        msg(1, "user", "Who signed?"),
        msg(2, "assistant", "See [1].", (passage,)),
        msg(3, "assistant", "Jane Smith signed it."),  # the cloud's reply, the name put back
        msg(4, "user", "When did Jane Smith sign?"),
    ]
    dialog = show(qtbot, ApprovalDialog(prepare(Provider("P", "https://cloud.example/v1", "m"), conversation)))
    rows = [dialog.detected.item(i).text() for i in range(dialog.detected.count())]
    assert any("[NAME_1]" in row and "hidden earlier in this conversation" in row for row in rows)
    assert "Jane Smith" not in dialog.payload.toPlainText()
    dialog.reject()


def test_a_value_edited_into_a_sent_request_stays_hidden_in_the_next_one(
    qtbot: QtBot, open_window: OpenWindow, cloud_server: CloudServer, memory_keyring: MemoryKeyring
) -> None:
    configure(cloud_server, memory_keyring)
    window = open_window(FakeRuntime(["A local plan.", "Another local plan."]))
    window.route_picker.choose("complex")
    type_and_send(qtbot, window, "Plan my week.")
    wait_done(qtbot, window)
    dialog = open_dialog(qtbot, window)
    dialog.question.setPlainText("Plan my week. My name is Ada Lovelace.")
    qtbot.waitUntil(dialog.send_button.isEnabled)
    assert b"Ada Lovelace" not in dialog.shown_payload()
    dialog.send_button.click()
    wait_done(qtbot, window)
    qtbot.waitUntil(lambda: not window.escalation.busy, timeout=60_000)
    assert len(cloud_server.proxy.received) == 1

    window.route_picker.choose("complex")
    type_and_send(qtbot, window, "And next week for Ada Lovelace?")  # nothing here says it is a name
    wait_done(qtbot, window)
    second = open_dialog(qtbot, window)
    shown = second.payload.toPlainText()
    assert "Ada Lovelace" not in shown
    second.reject()


def test_settings_refuse_plain_http_off_this_computer_and_keys_belong_to_the_address(
    qtbot: QtBot, memory_keyring: MemoryKeyring
) -> None:
    keys = KeyStore()
    dialog = CloudSettingsDialog(CloudSettings(), keys, [])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("Acme")
    dialog.base_url.setText("http://api.acme.example/v1")
    dialog.model.setText("m")
    dialog.accept()
    assert dialog.isVisible() and dialog.result() != dialog.DialogCode.Accepted
    assert dialog.url_error.isVisible() and "https" in dialog.url_error.text()

    dialog.base_url.setText("https://api.acme.example/v1")
    dialog.key.setText("sk-acme-0123456789abcdef")
    dialog.save_key.click()
    assert keys.get("https://api.acme.example:443") == "sk-acme-0123456789abcdef"
    assert "https://api.acme.example:443" in dialog.key_status.text()
    assert "not reused" in dialog.key_note.text()

    dialog.base_url.setText("https://acme.other.example/v1")  # same name, another host: no key there
    assert dialog.key_status.text() == "No key saved for https://acme.other.example:443."
    assert keys.get(key_account("https://acme.other.example/v1")) is None
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.result_settings().base_url == "https://acme.other.example/v1"


def test_a_local_server_over_plain_http_is_still_accepted(qtbot: QtBot) -> None:
    dialog = CloudSettingsDialog(CloudSettings(), KeyStore(), [])
    qtbot.addWidget(dialog)
    dialog.base_url.setText("http://127.0.0.1:8080/v1")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
