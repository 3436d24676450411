"""The offline guarantee: with no provider, indexing, asking and chatting reach nothing but loopback."""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant import network
from assistant.agents import qa
from assistant.agents.chat import ChatAgent, Finished
from assistant.conversations import ConversationStore
from assistant.library.embedder import Embedder
from assistant.library.indexer import Indexer
from assistant.library.library import Library
from assistant.library.retriever import search
from assistant.paths import data_dir
from assistant.runtime.llama import LlamaRuntime
from tests.library_files import make_corpus

pytestmark = pytest.mark.integration


class _Recorder:
    """Sees every resolve and connect in this process (audit hooks see what libraries do, too)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] | None = None
        sys.addaudithook(self.hook)

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if self.events is None or not event.startswith("socket."):
            return
        if event in ("socket.getaddrinfo", "socket.gethostbyname") and args[0] is not None:
            self.events.append((event, str(args[0])))
        elif event in ("socket.connect", "socket.sendto"):
            family = getattr(args[0], "family", None)
            if family in (socket.AF_INET, socket.AF_INET6):
                self.events.append((event, str(args[1][0])))


_recorder = _Recorder()


@pytest.fixture
def recorded() -> Iterator[list[tuple[str, str]]]:
    _recorder.events = []
    yield _recorder.events
    _recorder.events = None


def test_index_ask_and_chat_with_no_provider_reach_only_loopback(
    recorded: list[tuple[str, str]], tmp_path: Path, bundled_runtime: LlamaRuntime
) -> None:
    make_corpus(tmp_path / "docs")
    with Library(tmp_path / "library", Embedder()) as library:  # loads the embedder inside the recording
        indexer = Indexer(library)
        indexer.add(tmp_path / "docs")
        assert any(p.status == "indexed" for p in indexer.sync())
        sources = search(library, "How far does the arctic tern migrate?", top_k=3)
    answer = [e for e in qa.answer(bundled_runtime, "How far does the arctic tern migrate?", sources)][-1]
    assert isinstance(answer, qa.Answer) and answer.sources
    store = ConversationStore(data_dir() / "conversations.sqlite3")
    events = list(ChatAgent(store, bundled_runtime).send(store.create().id, "Hello!"))
    assert isinstance(events[-1], Finished) and events[-1].text

    outside = [(event, host) for event, host in recorded if not network.is_loopback(host)]
    assert outside == []


def test_the_guard_blocks_non_loopback_and_lets_only_the_allowed_thread_through() -> None:
    network.install()
    with pytest.raises(network.NetworkBlocked, match="works offline"):
        socket.create_connection(("203.0.113.7", 443), timeout=0.2).close()
    with pytest.raises(network.NetworkBlocked):
        socket.getaddrinfo("example.com", 443)
    with socket.socket() as server:  # loopback stays open
        server.bind(("127.0.0.1", 0))
        server.listen()
        socket.create_connection(server.getsockname(), timeout=1).close()

    other: list[BaseException] = []

    def elsewhere() -> None:
        try:
            socket.create_connection(("203.0.113.7", 443), timeout=0.2).close()
        except OSError as exc:
            other.append(exc)

    with network.allow("203.0.113.7"):
        thread = threading.Thread(target=elsewhere)
        thread.start()
        thread.join()
        try:  # allowed on this thread: the guard lets it through to whatever the network does
            socket.create_connection(("203.0.113.7", 443), timeout=0.2).close()
        except OSError as exc:
            assert not isinstance(exc, network.NetworkBlocked)
    assert other and isinstance(other[0], network.NetworkBlocked)  # another thread stayed blocked

    network.set_offline_only(True)
    try:
        with pytest.raises(network.NetworkBlocked, match="Offline only"), network.allow("203.0.113.7"):
            pass
    finally:
        network.set_offline_only(False)
