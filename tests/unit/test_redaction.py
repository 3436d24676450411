"""What is hidden before a request leaves, and how it comes back."""

from __future__ import annotations

import pytest

from assistant.agents.redaction import Redactor, detect, iban_ok, luhn_ok

CAUGHT = [
    ("EMAIL", "Write to jane.doe+tax@mail.example.co.uk today", "jane.doe+tax@mail.example.co.uk"),
    ("EMAIL", "from BOB_99@corp-mail.io.", "BOB_99@corp-mail.io"),
    ("PHONE", "call +44 20 7946 0958 now", "+44 20 7946 0958"),
    ("PHONE", "office (202) 555-0173", "(202) 555-0173"),
    ("PHONE", "cell +1-202-555-0199", "+1-202-555-0199"),
    ("CARD", "card 4111 1111 1111 1111 exp 12/29", "4111 1111 1111 1111"),
    ("CARD", "amex 3782-822463-10005", "3782-822463-10005"),
    ("CARD", "mc 5555555555554444", "5555555555554444"),
    ("IBAN", "pay GB82 WEST 1234 5698 7654 32 please", "GB82 WEST 1234 5698 7654 32"),
    ("IBAN", "DE89370400440532013000", "DE89370400440532013000"),
    ("API_KEY", "OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz123456", "sk-proj-abcdefghijklmnopqrstuvwxyz123456"),
    ("API_KEY", "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv", "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv"),
    ("API_KEY", "token ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
    ("API_KEY", "aws AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    ("API_KEY", "slack xoxb-1234567890-abcdefghij", "xoxb-1234567890-abcdefghij"),
    ("API_KEY", "stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
    ("API_KEY", "Authorization: Bearer abc.def-ghi_jkl123456", "abc.def-ghi_jkl123456"),
    ("API_KEY", "password = hunter2secret", "hunter2secret"),
    ("API_KEY", "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N", None),
    ("IP", "server 192.168.1.20 is down", "192.168.1.20"),
    ("IP", "v6 2001:db8::1 and", "2001:db8::1"),
    ("IP", "link fe80::1ff:fe23:4567:890a", "fe80::1ff:fe23:4567:890a"),
    ("NAME", "Dr. Jane Smith will call", "Jane Smith"),
    ("NAME", "Hello, my name is Tom Baker.", "Tom Baker"),
    ("NAME", "Thanks for the help.\n\nBest regards,\nAlice Walker", "Alice Walker"),
]

NOT_CAUGHT = [
    "On 2024-05-01 it cost $1,299.00 at 10:45.",
    "Upgrade from version 1.2.3 to 1.10.0; commit a1b2c3d fixed it.",
    "The card 4111 1111 1111 1112 fails the Luhn check.",
    "We met 12 times in 2023 and 2024.",
    "The quick brown fox jumps over the lazy dog.",
    "Address 300.1.1.1 is not an IP address.",
]


@pytest.mark.parametrize(("kind", "text", "value"), CAUGHT, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(CAUGHT)])
def test_personal_and_secret_details_are_caught(kind: str, text: str, value: str | None) -> None:
    found = [(f.kind, f.value) for f in detect(text)]
    expected = value or text.split(" ", 1)[1]
    assert (kind, expected) in found


@pytest.mark.parametrize("text", NOT_CAUGHT)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert [(f.kind, f.value) for f in detect(text) if f.kind in ("CARD", "IP", "EMAIL", "API_KEY")] == []
    assert all(f.kind != "PHONE" for f in detect(text)), detect(text)


def test_checksums() -> None:
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert iban_ok("GB82 WEST 1234 5698 7654 32") and not iban_ok("GB82 WEST 1234 5698 7654 33")
    assert "IBAN" not in {f.kind for f in detect("GB82 WEST 1234 5698 7654 33")}


def test_placeholders_are_consistent_across_texts_and_can_be_toggled() -> None:
    redactor = Redactor()
    items = redactor.scan(["mail a@b.com or c@d.org", "again a@b.com, card 4111 1111 1111 1111"])
    assert [(i.placeholder, i.value, i.count) for i in items] == [
        ("[EMAIL_1]", "a@b.com", 2),
        ("[EMAIL_2]", "c@d.org", 1),
        ("[CARD_1]", "4111 1111 1111 1111", 1),
    ]
    assert redactor.redact("again a@b.com, card 4111 1111 1111 1111") == "again [EMAIL_1], card [CARD_1]"
    assert redactor.redact("a@b.com c@d.org", enabled={"[EMAIL_2]"}) == "a@b.com [EMAIL_2]"
    assert redactor.restore("Dear [EMAIL_1], see [CARD_1] and [EMAIL_9]") == (
        "Dear a@b.com, see 4111 1111 1111 1111 and [EMAIL_9]"
    )


def test_a_value_inside_another_is_not_broken() -> None:
    redactor = Redactor()
    redactor.scan(["bob@example.com and xbob@example.com"])
    assert redactor.redact("bob@example.com and xbob@example.com") == "[EMAIL_1] and [EMAIL_2]"


def test_streamed_placeholders_are_restored_at_every_split_point() -> None:
    redactor = Redactor()
    redactor.scan(["jane@x.org", "+44 20 7946 0958", "192.168.0.1"])
    reply = "Hi [EMAIL_1]! I'll call [PHONE_1] from [IP_1]. [sic] and a [ bracket, [EMAIL_"
    whole = redactor.restore(reply)
    for i in range(len(reply) + 1):
        for j in range(i, len(reply) + 1):
            restorer = redactor.restorer()
            parts = [restorer.feed(reply[:i]), restorer.feed(reply[i:j]), restorer.feed(reply[j:]), restorer.flush()]
            assert "".join(parts) == whole


def test_a_lone_bracket_is_not_held_back_forever() -> None:
    redactor = Redactor()
    redactor.scan(["jane@x.org"])
    restorer = redactor.restorer()
    assert restorer.feed("a [") == "a "
    assert restorer.feed("note] here") == "[note] here"
