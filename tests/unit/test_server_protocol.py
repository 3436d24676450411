"""The local server's wire format: what a client may send, and what it gets back."""

from __future__ import annotations

import asyncio
import base64
import struct
import threading
import time
from collections.abc import Iterator

import pytest

from assistant.library.documents import Source
from assistant.server import protocol
from assistant.server.protocol import BadRequest, StopFilter, parse_chat, parse_embeddings
from assistant.server.service import Busy, Job, Lane


def chat(**fields: object) -> dict[str, object]:
    return {"model": "m", "messages": [{"role": "user", "content": "hi"}], **fields}


def test_a_plain_chat_request_is_read_with_its_options() -> None:
    request = parse_chat(
        chat(
            messages=[
                {"role": "developer", "content": "Be brief."},
                {"role": "user", "content": [{"type": "text", "text": "one"}, {"type": "text", "text": "two"}]},
            ],
            stream=True,
            stream_options={"include_usage": True},
            max_completion_tokens=30,
            temperature=0.2,
            stop="END",
        )
    )
    assert request.messages == [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "one\ntwo"}]
    assert (request.stream, request.include_usage, request.max_tokens, request.stop) == (True, True, 30, ["END"])
    assert request.temperature == pytest.approx(0.2)
    assert request.collection is None
    assert parse_chat(chat(model="documents:Work notes")).collection == "Work notes"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ([], "JSON object"),
        ({"messages": [{"role": "user", "content": "hi"}]}, "model"),
        (chat(messages=[]), "messages"),
        (chat(messages=[{"role": "tool", "content": "x"}]), "tools are not supported"),
        (chat(messages=[{"role": "system", "content": "x"}]), "user message"),
        (chat(messages=[{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]), "image_url"),
        (chat(temperature=3), "temperature"),
        (chat(max_tokens=0), "max_tokens"),
        (chat(n=2), "one choice"),
        (chat(stream="yes"), "stream"),
        (chat(stop=["a", "b", "c", "d", "e"]), "stop"),
    ],
)
def test_bad_chat_requests_say_what_to_change(body: object, says: str) -> None:
    with pytest.raises(BadRequest, match=says):
        parse_chat(body)


def test_embeddings_requests_take_text_only() -> None:
    assert parse_embeddings({"model": "e", "input": "hello"}).inputs == ["hello"]
    assert parse_embeddings({"model": "e", "input": ["a", "b"], "encoding_format": "base64"}).base64
    for bad in (
        {"model": "e", "input": [1, 2, 3]},
        {"model": "e", "input": []},
        {"model": "e", "input": "a", "dimensions": 8},
    ):
        with pytest.raises(BadRequest):
            parse_embeddings(bad)


def test_base64_vectors_are_little_endian_float32_as_the_openai_sdk_reads_them() -> None:
    vector = [0.5, -1.25, 3.0]
    encoded = protocol.encode_vector(vector, as_base64=True)
    assert isinstance(encoded, str)
    assert list(struct.unpack("<3f", base64.b64decode(encoded))) == vector
    assert protocol.encode_vector(vector, as_base64=False) == vector


def test_stop_sequences_cut_the_reply_even_across_pieces() -> None:
    stops = StopFilter(["###"])
    shown = "".join(stops.feed(piece) for piece in ["Hello #", "#", "# and more", " text"]) + stops.finish()
    assert shown == "Hello "
    assert stops.stopped
    plain = StopFilter([])
    assert plain.feed("abc") == "abc" and plain.finish() == ""
    unfinished = StopFilter(["STOP"])
    assert unfinished.feed("no st") + unfinished.feed("op here") + unfinished.finish() == "no stop here"


def test_documents_answers_end_with_their_sources_as_footnotes() -> None:
    source = Source("/notes/birds.pdf", 3, ("Terns",), "The tern flies far.", 0.9, "c1")
    assert protocol.footnotes([source]) == "\n\nSources:\n[1] birds.pdf, page 3 (/notes/birds.pdf)"
    assert protocol.sources_json([source])[0] == {
        "number": 1,
        "path": "/notes/birds.pdf",
        "page": 3,
        "headings": ["Terns"],
        "text": "The tern flies far.",
        "score": 0.9,
    }


def test_a_full_lane_refuses_with_a_retry_time_and_frees_up_after() -> None:
    release = threading.Event()

    def slow(cancel: threading.Event) -> Iterator[str]:
        release.wait(10)
        yield "done"

    async def scenario() -> list[str]:
        loop = asyncio.get_running_loop()
        lane = Lane("test-lane", waiting=1)
        running = lane.submit(Job(slow, loop))
        waiting = lane.submit(Job(slow, loop))
        with pytest.raises(Busy) as busy:
            lane.submit(Job(slow, loop))
        assert busy.value.retry_after >= 1
        release.set()
        out = [event async for event in running.events()] + [event async for event in waiting.events()]
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # both finished: a new one fits
            try:
                lane.submit(Job(slow, loop))
                break
            except Busy:
                await asyncio.sleep(0.01)
        else:
            raise AssertionError("the lane stayed full")
        lane.stop()
        return out

    assert asyncio.run(scenario()) == ["done", "done"]


def test_a_job_whose_client_left_while_waiting_never_runs() -> None:
    ran: list[bool] = []

    def work(cancel: threading.Event) -> Iterator[str]:
        ran.append(True)
        yield "x"

    async def scenario() -> list[str]:
        job = Job(work, asyncio.get_running_loop())
        job.cancel.set()
        threading.Thread(target=job.run).start()
        return [event async for event in job.events()]

    assert asyncio.run(scenario()) == []
    assert ran == []
