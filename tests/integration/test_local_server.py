"""``private-assistant serve`` as another program meets it: the real openai SDK against the real server.

One server per module (a real process on 127.0.0.1 with the bundled model and a real library indexed by
the CLI); each test is one thing a client does. The strace test runs its own server under strace and
finds no connection that leaves the machine.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openai
import pytest

from tests.integration.test_privacy_network_cli import strace_works
from tests.library_files import make_corpus

pytestmark = pytest.mark.integration

KEY = "pa-test-" + "s3rv" * 6
BUNDLED = "smollm2-135m-instruct"


@dataclass
class Served:
    proc: subprocess.Popen[str]
    url: str
    home: Path
    clients: list[openai.OpenAI] = field(default_factory=list)

    def client(self, key: str = KEY) -> openai.OpenAI:
        made = openai.OpenAI(base_url=self.url, api_key=key, max_retries=0, timeout=120)
        self.clients.append(made)  # closed with the server, so no connection outlives the tests
        return made

    @property
    def log(self) -> str:
        path = self.home / "logs" / "private-assistant.log"
        return path.read_text(errors="replace") if path.exists() else ""


def environment(home: Path) -> dict[str, str]:
    return {**os.environ, "PRIVATE_ASSISTANT_HOME": str(home), "HF_HUB_OFFLINE": "1"}


def index_corpus(home: Path, docs: Path) -> None:
    make_corpus(docs)
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "index", str(docs), "--collection", "Notes"],
        capture_output=True,
        text=True,
        env=environment(home),
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def start_server(home: Path, *extra: str, wrap: list[str] | None = None) -> Served:
    from assistant import network

    command = [*(wrap or []), sys.executable, "-m", "assistant", "serve", "--port", "0", "--key", KEY, *extra]
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=environment(home),
        start_new_session=True,  # Ctrl+C reaches the server under strace too
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()  # "Serving on http://127.0.0.1:PORT/v1"
    found = re.search(r"http://127\.0\.0\.1:(\d+)/v1", first)
    if found is None:
        proc.kill()
        raise AssertionError(f"serve did not start: {first!r}")
    network.allow_local_port(int(found.group(1)))  # if this test process runs the guard
    threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep the pipe drained
    return Served(proc, found.group(0), home)


def stop_server(served: Served) -> None:
    for client in served.clients:
        client.close()
    os.killpg(served.proc.pid, signal.SIGINT)  # uvicorn stops gracefully on Ctrl+C
    try:
        served.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(served.proc.pid, signal.SIGKILL)
        served.proc.wait(timeout=30)
    if served.proc.stdout is not None:
        served.proc.stdout.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("serve")
    index_corpus(root / "home", root / "docs")
    running = start_server(root / "home", "--queue", "1")
    yield running
    stop_server(running)


def test_models_lists_the_chat_model_the_embedder_and_each_collection(served: Served) -> None:
    ids = [m.id for m in served.client().models.list()]
    assert BUNDLED in ids
    assert "all-MiniLM-L6-v2" in ids
    assert "documents:Notes" in ids


def test_a_chat_completion_with_usage(served: Served) -> None:
    reply = served.client().chat.completions.create(
        model=BUNDLED,
        messages=[{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": "What is the sun?"}],
        max_tokens=24,
        temperature=0,
    )
    choice = reply.choices[0]
    assert choice.message.role == "assistant"
    assert choice.message.content and choice.message.content.strip()
    assert choice.finish_reason in ("stop", "length")
    assert reply.usage is not None
    assert 0 < reply.usage.completion_tokens <= 24
    assert reply.usage.prompt_tokens > 5
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens


def test_a_streamed_chat_arrives_in_pieces_and_ends_with_usage(served: Served) -> None:
    stream = served.client().chat.completions.create(
        model=BUNDLED,
        messages=[{"role": "user", "content": "Name three colours."}],
        max_tokens=24,
        temperature=0,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    pieces = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(pieces) > 3  # streamed, not one block
    assert "".join(pieces).strip()
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes in (["stop"], ["length"])
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0
    # the same greedy request, not streamed, gives the same words
    whole = served.client().chat.completions.create(
        model=BUNDLED, messages=[{"role": "user", "content": "Name three colours."}], max_tokens=24, temperature=0
    )
    assert whole.choices[0].message.content == "".join(pieces)


def test_embeddings_are_the_librarys_vectors(served: Served) -> None:
    from assistant.library import embedders
    from assistant.library.embedder import BUNDLED_EMBEDDER_ID

    texts = ["How far does the arctic tern migrate?", "Tomatoes need sun."]
    result = served.client().embeddings.create(model="all-MiniLM-L6-v2", input=texts)  # base64 on the wire
    assert [d.index for d in result.data] == [0, 1]
    assert all(len(d.embedding) == 384 for d in result.data)
    assert result.usage.prompt_tokens > 5
    floats = served.client().embeddings.create(model="all-MiniLM-L6-v2", input=texts, encoding_format="float")
    assert np.allclose([d.embedding for d in floats.data], [d.embedding for d in result.data], atol=1e-6)
    os.environ["PRIVATE_ASSISTANT_HOME"] = str(served.home)  # the same int8 copy the server's library uses
    ours = embedders.make(BUNDLED_EMBEDDER_ID).embed(texts)
    assert np.allclose(np.array([d.embedding for d in result.data]), np.array(ours), atol=1e-5)


def test_a_documents_model_answers_with_its_sources(served: Served) -> None:
    reply = served.client().chat.completions.create(
        model="documents:Notes",
        messages=[{"role": "user", "content": "How far does the arctic tern migrate each year?"}],
        max_tokens=48,
    )
    text = reply.choices[0].message.content or ""
    assert "seventy thousand" in text
    assert "[1]" in text and "Sources:" in text and "seabirds.pdf" in text
    extra = reply.model_extra or {}
    assert extra["sources"][0]["path"].endswith("seabirds.pdf")
    assert extra["sources"][0]["page"] == 3  # the page that states it
    assert any(claim["supported"] for claim in extra["claims"])


def test_errors_are_clear_json_with_the_right_status(served: Served) -> None:
    with pytest.raises(openai.AuthenticationError) as wrong_key:
        served.client(key="pa-not-the-key-at-all").models.list()
    assert "key" in wrong_key.value.message.lower()
    with pytest.raises(openai.NotFoundError) as unknown:
        served.client().chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    assert "gpt-4o" in unknown.value.message
    with pytest.raises(openai.BadRequestError) as bad:
        served.client().chat.completions.create(
            model=BUNDLED, messages=[{"role": "user", "content": "hi"}], temperature=7
        )
    assert "temperature" in bad.value.message
    with pytest.raises(openai.APIStatusError) as huge:
        served.client().chat.completions.create(
            model=BUNDLED, messages=[{"role": "user", "content": "x" * (3 * 1024 * 1024)}]
        )
    assert huge.value.status_code == 413
    with pytest.raises(openai.NotFoundError):  # an unknown collection is an unknown model
        served.client().chat.completions.create(model="documents:Nope", messages=[{"role": "user", "content": "hi"}])


LONG = [{"role": "user", "content": "Write a long story about a dragon who learns to bake bread."}]


def test_a_flood_beyond_the_queue_gets_429_with_retry_after(served: Served) -> None:
    client = served.client()
    running = client.chat.completions.create(model=BUNDLED, messages=LONG, max_tokens=200, temperature=1.0, stream=True)
    next(iter(running))  # the model is busy with this one
    outcomes: list[object] = []

    def ask() -> None:
        try:
            outcomes.append(client.chat.completions.create(model=BUNDLED, messages=LONG, max_tokens=4))
        except openai.RateLimitError as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    running.close()
    refused = [o for o in outcomes if isinstance(o, openai.RateLimitError)]
    served_ok = [o for o in outcomes if not isinstance(o, openai.RateLimitError)]
    assert len(outcomes) == 4
    assert refused, "four requests behind a running one, with a queue of one: some must be refused"
    assert served_ok, "the one that fits in the queue is served"
    assert all(int(r.response.headers["retry-after"]) >= 1 for r in refused)


def test_a_client_that_disconnects_mid_stream_stops_generation(served: Served) -> None:
    client = served.client()
    stream = client.chat.completions.create(model=BUNDLED, messages=LONG, max_tokens=400, temperature=1.0, stream=True)
    received = 0
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            received += 1
        if received >= 3:
            break
    stream.close()  # the client goes away
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and "client went away" not in served.log:
        time.sleep(0.1)
    stopped = re.findall(r"client went away; generation stopped after (\d+) tokens", served.log)
    assert stopped, "the server did not stop generating"
    assert int(stopped[-1]) < 400
    # the model is free at once for the next request
    reply = client.chat.completions.create(model=BUNDLED, messages=[{"role": "user", "content": "Hi"}], max_tokens=4)
    assert reply.choices[0].message.content is not None


@pytest.mark.skipif(not strace_works(), reason="strace is not installed or may not trace here (ptrace refused)")
def test_under_strace_the_server_opens_no_connection_off_this_machine(tmp_path: Path) -> None:
    home, trace = tmp_path / "home", tmp_path / "strace.txt"
    index_corpus(home, tmp_path / "docs")
    running = start_server(home, wrap=["strace", "-f", "-e", "trace=network", "-o", str(trace)])
    try:
        client = running.client()
        assert client.models.list().data
        client.chat.completions.create(model=BUNDLED, messages=[{"role": "user", "content": "Hi"}], max_tokens=8)
        client.chat.completions.create(
            model="documents:Notes", messages=[{"role": "user", "content": "What do tomatoes need?"}], max_tokens=8
        )
        client.embeddings.create(model="all-MiniLM-L6-v2", input="hello")
        time.sleep(10)  # long enough for a library's delayed telemetry (onnxruntime's calls out after ~8 s)
    finally:
        stop_server(running)
    calls = trace.read_text(errors="replace").splitlines()
    assert any("accept" in line for line in calls), "the trace saw the server at work"
    outgoing = [
        line
        for line in calls
        if re.search(r"\b(connect|sendto|sendmsg)\(.*sa_family=AF_INET", line)
        and not re.search(r'inet_addr\("127\.0\.0\.1"\)|inet_pton\(AF_INET6, "::1"', line)
    ]
    assert outgoing == [], f"a connection off this machine: {outgoing[:3]}"
