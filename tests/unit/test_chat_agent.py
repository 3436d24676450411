import threading
from pathlib import Path

import pytest

from assistant.agents.chat import ChatAgent, Finished, Notice, Token
from assistant.conversations import ConversationStore
from tests.fakes import FakeRuntime


@pytest.fixture
def store(tmp_path: Path) -> ConversationStore:
    return ConversationStore(tmp_path / "c.sqlite3")


def test_send_stores_both_sides_and_titles_the_conversation(store: ConversationStore) -> None:
    agent = ChatAgent(store, FakeRuntime(["Paris is the capital."]), "be brief")
    cid = store.create().id
    events = list(agent.send(cid, "What is the capital of France?"))
    assert "".join(e.text for e in events if isinstance(e, Token)) == "Paris is the capital."
    finished = events[-1]
    assert isinstance(finished, Finished) and finished.message is not None
    assert [(m.role, m.content) for m in store.messages(cid)] == [
        ("user", "What is the capital of France?"),
        ("assistant", "Paris is the capital."),
    ]
    assert store.get(cid).title == "What is the capital of France?"


def test_stop_keeps_the_partial_reply_marked_as_stopped(store: ConversationStore) -> None:
    cancel = threading.Event()
    agent = ChatAgent(store, FakeRuntime(["one two three four five six"]))
    cid = store.create().id
    for event in agent.send(cid, "count", cancel):
        if isinstance(event, Token) and "two" in event.text:
            cancel.set()
    reply = store.messages(cid)[-1]
    assert reply.content == "one two" and reply.complete is False


def test_regenerate_replaces_the_last_reply(store: ConversationStore) -> None:
    agent = ChatAgent(store, FakeRuntime(["first try", "second try"]))
    cid = store.create().id
    list(agent.send(cid, "hello"))
    list(agent.regenerate(cid))
    assert [m.content for m in store.messages(cid)] == ["hello", "second try"]


def test_edit_last_replaces_the_question_and_its_answer(store: ConversationStore) -> None:
    runtime = FakeRuntime(["about cats", "about dogs"])
    agent = ChatAgent(store, runtime)
    cid = store.create().id
    list(agent.send(cid, "tell me about cats"))
    list(agent.edit_last(cid, "tell me about dogs"))
    assert [m.content for m in store.messages(cid)] == ["tell me about dogs", "about dogs"]
    assert runtime.seen[-1][-1] == {"role": "user", "content": "tell me about dogs"}


def test_reasoning_is_stored_apart_and_never_sent_back(store: ConversationStore) -> None:
    runtime = FakeRuntime(["<think>hmm, greet back</think>Hi there", "Fine thanks"])
    agent = ChatAgent(store, runtime)
    cid = store.create().id
    list(agent.send(cid, "hello"))
    stored = store.messages(cid)[-1]
    assert (stored.content, stored.reasoning) == ("Hi there", "hmm, greet back")
    list(agent.send(cid, "how are you"))
    sent = " ".join(m["content"] for m in runtime.seen[-1])
    assert "greet back" not in sent and "Hi there" in sent


def test_person_is_told_when_old_turns_no_longer_fit(store: ConversationStore) -> None:
    runtime = FakeRuntime(["word " * 30], context_length=200)
    agent = ChatAgent(store, runtime, "sys")
    cid = store.create().id
    notices: list[str] = []
    for i in range(6):
        notices += [e.text for e in agent.send(cid, f"question {i} " + "x " * 20) if isinstance(e, Notice)]
    assert notices and "oldest messages were left out" in notices[-1]
    assert runtime.seen[-1][0] == {"role": "system", "content": "sys"}
    assert runtime.seen[-1][-1]["content"].startswith("question 5")


def test_question_with_sources_is_answered_from_them_and_cites_them(store: ConversationStore) -> None:
    from assistant.library.documents import Source

    runtime = FakeRuntime(["Seventy thousand kilometres [1]."])
    agent = ChatAgent(store, runtime, "sys")
    cid = store.create().id
    tern = Source("/d/birds.pdf", 3, (), "The arctic tern flies 70,000 km a year.", 0.03, "c1", similarity=0.7)
    noise = Source("/d/bikes.txt", None, (), "Inflate tyres to six bar.", 0.02, "c2", similarity=0.05)
    events = list(agent.send(cid, "How far does the tern fly?", sources=[tern, noise]))
    prompt = runtime.seen[-1]
    assert "[1] (birds.pdf, page 3)" in prompt[-1]["content"] and "six bar" not in prompt[-1]["content"]
    assert isinstance(events[-1], Finished) and events[-1].sources == (tern,)
    reply = store.messages(cid)[-1]
    assert reply.sources[0]["path"] == "/d/birds.pdf" and reply.sources[0]["page"] == 3
    list(agent.regenerate(cid))  # a regenerated answer keeps its documents
    assert "[1] (birds.pdf, page 3)" in runtime.seen[-1][-1]["content"]
    assert store.messages(cid)[-1].sources == reply.sources


def test_question_without_evidence_says_so_and_does_not_ask_the_model(store: ConversationStore) -> None:
    from assistant.agents.qa import NOT_FOUND
    from assistant.library.documents import Source

    runtime = FakeRuntime(["should not be used"])
    agent = ChatAgent(store, runtime)
    cid = store.create().id
    weak = Source("/d/bikes.txt", None, (), "Inflate tyres.", 0.01, "c2", similarity=0.02)
    list(agent.send(cid, "Who won in 1966?", sources=[weak]))
    assert store.messages(cid)[-1].content == NOT_FOUND and runtime.seen == []
