"""Issue 12 against the real OpenAI-compatible server on 127.0.0.1 (findings 7 and 9)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator

import pytest

from assistant.agents import cloud
from assistant.agents.audit import AuditLog
from assistant.agents.escalation import INVISIBLE, Provider, prepare
from assistant.conversations import Message
from tests.conftest import CloudServer

pytestmark = pytest.mark.integration


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it gets (a would-be proxy)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def proxy_listener() -> Iterator[Listener]:
    listener = Listener()
    yield listener
    listener.close()


def question(text: str) -> list[Message]:
    return [Message(1, 1, "user", text, "", 0.0, True)]


def test_proxy_variables_never_carry_the_request(
    cloud_server: CloudServer, proxy_listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = f"http://127.0.0.1:{proxy_listener.port}"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    approved = prepare(Provider("Test server", cloud_server.base_url, "smollm2", 8), question("Hello")).approve()
    list(cloud.send(approved, cloud_server.key, AuditLog()))
    assert len(cloud_server.proxy.received) == 1 and proxy_listener.connections == 0


def test_invisible_characters_are_stripped_from_the_bytes_the_server_receives(cloud_server: CloudServer) -> None:
    text = "Read\u202e gnp.exe\u202c this\u200b\u2066 note\U000e0041\ufeff"
    draft = prepare(Provider("Test server", cloud_server.base_url, "smollm2", 8), question(text))
    approved = draft.approve()
    list(cloud.send(approved, cloud_server.key, AuditLog()))
    [received] = cloud_server.proxy.received
    assert received.body == approved.payload == draft.payload()
    assert not INVISIBLE.search(received.body.decode())
    assert json.loads(received.body)["messages"][-1]["content"] == "Read gnp.exe this note"
