"""Approved escalation against a real OpenAI-compatible server (llama_cpp.server) on 127.0.0.1."""

from __future__ import annotations

import hashlib

import httpx2
import pytest

from assistant.agents import cloud
from assistant.agents.audit import AuditLog
from assistant.agents.escalation import Provider, prepare
from assistant.agents.events import Token
from assistant.conversations import ConversationStore, Message
from assistant.paths import data_dir
from tests.cloud_server import free_port
from tests.conftest import CloudServer

pytestmark = pytest.mark.integration

EMAIL = "jane.doe@example.com"


def conversation(question: str) -> list[Message]:
    store = ConversationStore(data_dir() / "conversations.sqlite3")
    cid = store.create().id
    store.add_message(cid, "user", question)
    store.add_message(cid, "assistant", "A short local answer.")
    messages = store.messages(cid)
    store.close()
    return messages


def provider(base_url: str) -> Provider:
    return Provider("Test server", base_url, "smollm2", max_tokens=24)


def run(approved: cloud.ApprovedRequest, key: str, audit: AuditLog) -> tuple[str, cloud.CloudDone]:
    tokens: list[str] = []
    done: cloud.CloudDone | None = None
    for event in cloud.send(approved, key, audit):
        if isinstance(event, Token):
            tokens.append(event.text)
        else:
            done = event
    assert done is not None
    return "".join(tokens), done


def test_approved_request_reaches_the_server_byte_for_byte_and_streams_back(cloud_server: CloudServer) -> None:
    draft = prepare(provider(cloud_server.base_url), conversation(f"Write one sentence to {EMAIL} about lunch."))
    approved = draft.approve()
    audit = AuditLog()
    text, done = run(approved, cloud_server.key, audit)

    assert len(cloud_server.proxy.received) == 1
    received = cloud_server.proxy.received[0]
    assert received.path == "/v1/chat/completions"
    assert received.body == approved.payload == draft.payload()  # the bytes shown are the bytes sent
    assert EMAIL.encode() not in received.body and b"[EMAIL_1]" in received.body
    assert received.headers["authorization"] == f"Bearer {cloud_server.key}"
    assert not [h for h in received.headers if h.startswith("x-stainless")]  # no platform fingerprint
    assert text and text == done.text and not done.stopped
    [entry] = audit.entries()
    assert entry.status == "completed" and entry.payload_sha256 == hashlib.sha256(received.body).hexdigest()
    assert entry.payload_bytes == len(received.body) and entry.redactions == ("[EMAIL_1]",)
    assert entry.completion_tokens and entry.completion_tokens > 0


def test_a_body_other_than_the_approved_one_is_refused_before_it_leaves(cloud_server: CloudServer) -> None:
    approved = prepare(provider(cloud_server.base_url), conversation("Hello there")).approve()
    transport = cloud.ApprovedTransport(approved)
    with httpx2.Client(transport=transport) as client, pytest.raises(cloud.RequestNotApproved):
        client.post(approved.provider.url, content=approved.payload.replace(b"Hello", b"Leak!"))
    assert cloud_server.proxy.received == []


def test_wrong_key_gives_a_clear_message_and_is_audited(cloud_server: CloudServer) -> None:
    approved = prepare(provider(cloud_server.base_url), conversation("Hello")).approve()
    audit = AuditLog()
    with pytest.raises(cloud.CloudError, match=r"refused the API key \(401\).*Settings"):
        run(approved, "sk-wrong", audit)
    assert len(cloud_server.proxy.received) == 1  # it did leave, and was refused
    assert audit.entries()[0].status == "refused"


def test_server_down_gives_a_clear_message_and_nothing_left() -> None:
    approved = prepare(provider(f"http://127.0.0.1:{free_port()}/v1"), conversation("Hello")).approve()
    audit = AuditLog()
    with pytest.raises(cloud.CloudError, match="Could not reach .* nothing was sent"):
        run(approved, "sk-any", audit)
    assert audit.entries()[0].status == "not sent"
