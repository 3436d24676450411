"""Escalation drafts: what would leave, redacted and editable, and nothing from local-only collections."""

from __future__ import annotations

import json

from assistant.agents.escalation import Provider, prepare
from assistant.conversations import Message

PROVIDER = Provider("Cloud", "https://cloud.example/v1", "big-model", max_tokens=256)


def msg(id: int, role: str, content: str, sources: tuple[dict[str, object], ...] = ()) -> Message:  # noqa: A002
    return Message(id, 1, role, content, "", 0.0, True, sources)


def source(path: str, text: str, page: int | None = 2, collection: str = "Docs") -> dict[str, object]:
    found = {"path": path, "page": page, "text": text, "score": 1.0, "start": 0, "end": len(text)}
    return {**found, "collection": collection} if collection else found


CONVERSATION = [
    msg(1, "user", "Hi, I'm writing from jane.doe@example.com"),
    msg(2, "assistant", "Hello!"),
    msg(
        3,
        "user",
        "Summarise the salary clause",
    ),
    msg(4, "assistant", "It says...", (source("/home/j/private/contract.pdf", "Salary: 90,000", collection="HR"),)),
    msg(5, "user", "What does the lease say about pets? Call me at +44 20 7946 0958."),
    msg(
        6,
        "assistant",
        "Pets need consent [1].",
        (source("/home/j/lease.pdf", "No pets without written consent.", collection="Home"),),
    ),
]


def body(draft: object) -> dict[str, object]:
    return json.loads(draft.payload())  # type: ignore[attr-defined]


def test_the_draft_holds_the_question_history_and_cited_passages_redacted() -> None:
    draft = prepare(PROVIDER, CONVERSATION)
    sent = body(draft)
    assert sent["model"] == "big-model" and sent["stream"] is True and sent["max_tokens"] == 256
    messages = sent["messages"]  # type: ignore[index]
    assert messages[0]["role"] == "system"
    question = messages[-1]["content"]
    assert question.startswith("What does the lease say about pets? Call me at [PHONE_1].")
    assert "[1] lease.pdf, page 2" in question and "No pets without written consent." in question
    assert messages[1]["content"] == "Hi, I'm writing from [EMAIL_1]"
    everything = draft.payload().decode()
    assert "jane.doe@example.com" not in everything and "7946 0958" not in everything
    assert [i.placeholder for i in draft.items()] == ["[EMAIL_1]", "[PHONE_1]"]


def test_local_only_collections_never_leave_not_even_through_earlier_answers() -> None:
    draft = prepare(PROVIDER, CONVERSATION, local_only=["HR", "Home"])
    everything = draft.payload().decode()
    assert "No pets without written consent." not in everything
    assert "It says..." not in everything  # an answer drawn from a local-only file
    assert len(draft.omitted) == 2


def test_toggles_edits_and_inclusions_change_exactly_what_is_sent() -> None:
    draft = prepare(PROVIDER, CONVERSATION)
    draft.set_redacted("+44 20 7946 0958", False)  # the person chose to send the number
    assert "+44 20 7946 0958" in body(draft)["messages"][-1]["content"]  # type: ignore[index]
    draft.question = "Only this, mail me at bob@example.org"
    draft.include_history = False
    draft.include_passages = False
    messages = body(draft)["messages"]  # type: ignore[index]
    assert [m["role"] for m in messages] == ["system", "user"]
    assert messages[-1]["content"] == "Only this, mail me at [EMAIL_2]"  # [EMAIL_1] is the conversation's


def test_approval_freezes_the_bytes_and_restores_placeholders_locally() -> None:
    draft = prepare(PROVIDER, CONVERSATION)
    approved = draft.approve()
    draft.question = "changed after approval"
    assert approved.payload != draft.payload()
    assert b"changed after approval" not in approved.payload
    assert approved.placeholders == ("[EMAIL_1]", "[PHONE_1]")
    assert approved.redactor.restore("Write to [EMAIL_1].") == "Write to jane.doe@example.com."
    assert approved.estimated_prompt_tokens > 0


def test_reply_id_picks_the_question_that_reply_answered() -> None:
    draft = prepare(PROVIDER, CONVERSATION, reply_id=4)
    assert draft.question == "Summarise the salary clause"
    assert [p.label for p in draft.passages] == ["[1] contract.pdf, page 2"]
