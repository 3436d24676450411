"""The cloud client over the real openai SDK, with a transport that plays the provider."""

from __future__ import annotations

import json
import threading

import httpx2
import pytest

from assistant import network
from assistant.agents import cloud
from assistant.agents.audit import AuditLog
from assistant.agents.escalation import USER_AGENT, Provider, prepare
from assistant.agents.events import Token
from assistant.conversations import Message

PROVIDER = Provider("Cloud", "https://cloud.example/v1", "big-model")


def approved_request(question: str = "Email jane.doe@example.com about lunch") -> cloud.ApprovedRequest:
    return prepare(PROVIDER, [Message(1, 1, "user", question, "", 0.0, True)]).approve()


def sse(*deltas: str) -> bytes:
    chunks = [
        {
            "id": "c",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "big-model",
            "choices": [{"index": 0, "delta": {"content": d}, "finish_reason": None}],
        }
        for d in deltas
    ]
    usage = {
        "id": "c",
        "object": "chat.completion.chunk",
        "created": 1,
        "model": "big-model",
        "choices": [],
        "usage": {"prompt_tokens": 40, "completion_tokens": len(deltas), "total_tokens": 40 + len(deltas)},
    }
    lines = [f"data: {json.dumps(c)}\n\n" for c in [*chunks, usage]] + ["data: [DONE]\n\n"]
    return "".join(lines).encode()


class Provider_:
    def __init__(self, status: int = 200, body: bytes = b"") -> None:
        self.requests: list[httpx2.Request] = []
        self.status, self.body = status, body

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        headers = {"content-type": "text/event-stream" if self.status == 200 else "application/json"}
        return httpx2.Response(self.status, content=self.body, headers=headers)


def collect(approved: cloud.ApprovedRequest, provider: Provider_, **kw: object) -> tuple[str, cloud.CloudDone]:
    tokens, done = [], None
    for event in cloud.send(approved, "sk-key", AuditLog(), inner=httpx2.MockTransport(provider), **kw):  # type: ignore[arg-type]
        if isinstance(event, Token):
            tokens.append(event.text)
        else:
            done = event
    assert done is not None
    return "".join(tokens), done


def test_placeholders_split_across_chunks_are_restored_and_usage_is_audited() -> None:
    approved = approved_request()
    provider = Provider_(body=sse("Sure, I'll write to [EMA", "IL_1", "] today.", " Bye"))
    text, done = collect(approved, provider)
    assert text == done.text == "Sure, I'll write to jane.doe@example.com today. Bye"
    [request] = provider.requests
    assert request.content == approved.payload
    assert request.headers["user-agent"] == USER_AGENT
    assert not [h for h in request.headers if h.lower().startswith("x-stainless")]
    [entry] = AuditLog().entries()
    assert (entry.status, entry.prompt_tokens, entry.completion_tokens) == ("completed", 40, 4)


def test_stop_ends_the_stream_and_keeps_what_came() -> None:
    cancel = threading.Event()
    cancel.set()
    text, done = collect(approved_request("hello"), Provider_(body=sse("one", " two", " three")), cancel=cancel)
    assert done.stopped and text == "one"
    assert AuditLog().entries()[0].status == "stopped"


def test_a_refused_key_and_a_missing_key_say_what_to_do() -> None:
    with pytest.raises(cloud.CloudError, match=r"refused the API key \(401\)"):
        collect(approved_request(), Provider_(401, b'{"error": {"message": "bad key"}}'))
    assert AuditLog().entries()[0].status == "refused"
    with pytest.raises(cloud.CloudError, match="no API key"):
        list(cloud.send(approved_request(), None, AuditLog()))


def test_offline_only_sends_nothing_even_after_approval() -> None:
    provider = Provider_(body=sse("x"))
    network.set_offline_only(True)
    try:
        with pytest.raises(cloud.CloudError, match="Offline only"):
            collect(approved_request(), provider)
    finally:
        network.set_offline_only(False)
    assert provider.requests == []
    assert AuditLog().entries()[0].status == "not sent"


def test_the_transport_lets_one_request_through_once() -> None:
    approved = approved_request()
    provider = Provider_(body=sse("x"))
    transport = cloud.ApprovedTransport(approved, httpx2.MockTransport(provider))
    with httpx2.Client(transport=transport) as client:
        with pytest.raises(cloud.RequestNotApproved, match="differs"):
            client.post(PROVIDER.url, content=approved.payload + b" ")
        with pytest.raises(cloud.RequestNotApproved, match="once"):
            client.post(PROVIDER.url, content=approved.payload)
    assert provider.requests == []
