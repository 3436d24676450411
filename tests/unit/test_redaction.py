"""What is hidden before a request leaves, what is not, and how it comes back (also mid-stream)."""

from __future__ import annotations

import pytest

from assistant.agents.redaction import KINDS, Finding, Redactor, detect, iban_ok, luhn_ok

PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAx9\nq8Zk==\n-----END RSA PRIVATE KEY-----"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N"

CAUGHT = [
    ("EMAIL", "Write to jane.doe+tax@mail.example.co.uk today", "jane.doe+tax@mail.example.co.uk"),
    ("EMAIL", "from BOB_99@corp-mail.io.", "BOB_99@corp-mail.io"),
    ("EMAIL", "<a.b@sub.domain.example.org>", "a.b@sub.domain.example.org"),
    ("PHONE", "call +44 20 7946 0958 now", "+44 20 7946 0958"),
    ("PHONE", "cell +1-202-555-0173.", "+1-202-555-0173"),
    ("PHONE", "office (202) 555-0173", "(202) 555-0173"),
    ("PHONE", "desk 202.555.0173 or", "202.555.0173"),
    ("PHONE", "ext line 555-0173, ask", "555-0173"),
    ("PHONE", "London 020 7946 0958", "020 7946 0958"),
    ("PHONE", "UK +44 (0)20 7946 0958", "+44 (0)20 7946 0958"),
    ("PHONE", "plain +442079460958", "+442079460958"),
    ("CARD", "card 4111 1111 1111 1111 exp 12/29", "4111 1111 1111 1111"),
    ("CARD", "card 4111-1111-1111-1111", "4111-1111-1111-1111"),
    ("CARD", "amex 3782 822463 10005", "3782 822463 10005"),
    ("CARD", "mc 5555555555554444", "5555555555554444"),
    ("IBAN", "pay GB82 WEST 1234 5698 7654 32 please", "GB82 WEST 1234 5698 7654 32"),
    ("IBAN", "to DE89 3704 0044 0532 0130 00.", "DE89 3704 0044 0532 0130 00"),
    ("IBAN", "DE89370400440532013000", "DE89370400440532013000"),
    ("IBAN", "FR1420041010050500013M02606", "FR1420041010050500013M02606"),
    ("API_KEY", "key sk-proj-abcdefghijklmnopqrstuvwxyz123456", "sk-proj-abcdefghijklmnopqrstuvwxyz123456"),
    ("API_KEY", "OPENAI_API_KEY=sk-abcdefghijklmnop1234567890", "sk-abcdefghijklmnop1234567890"),
    ("API_KEY", "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv12", "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUv12"),
    ("API_KEY", "token ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
    ("API_KEY", "gho_16C7e42F292c6912E7710c838347Ae178B4a", "gho_16C7e42F292c6912E7710c838347Ae178B4a"),
    ("API_KEY", "ghs_abcdefghijklmnopqrstuvwxyz0123456789", "ghs_abcdefghijklmnopqrstuvwxyz0123456789"),
    ("API_KEY", "github_pat_11ABCDEFG0123456789_abcdefghijkl", "github_pat_11ABCDEFG0123456789_abcdefghijkl"),
    ("API_KEY", "aws AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    ("API_KEY", "slack xoxb-1234567890-abcdefghij", "xoxb-1234567890-abcdefghij"),
    ("API_KEY", "maps AIzaSyA1234567890abcdefghijklmnopqrstuv", "AIzaSyA1234567890abcdefghijklmnopqrstuv"),
    ("API_KEY", "stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
    ("API_KEY", "stripe rk_live_4eC39HqLyjWDarjtT1zdp7dc", "rk_live_4eC39HqLyjWDarjtT1zdp7dc"),
    ("API_KEY", f"jwt {JWT} here", JWT),
    ("API_KEY", "Authorization: Bearer abcDEF123456ghiJKL789", "abcDEF123456ghiJKL789"),
    ("API_KEY", "password = hunter2", "hunter2"),
    ("API_KEY", "db password: hunter2.", "hunter2"),
    ("API_KEY", 'config {"api_key": "abc123def456"}', "abc123def456"),
    ("API_KEY", "export SECRET=PlainLetters", "PlainLetters"),
    ("API_KEY", f"key:\n{PEM}\nend", PEM),
    ("IP", "server 192.168.1.20 is down", "192.168.1.20"),
    ("IP", "proxy 10.0.0.1:8080", "10.0.0.1"),
    ("IP", "v6 2001:db8::1 and", "2001:db8::1"),
    ("IP", "link fe80::1ff:fe23:4567:890a", "fe80::1ff:fe23:4567:890a"),
    ("IP", "full 2001:0db8:85a3:0000:0000:8a2e:0370:7334.", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"),
    ("NAME", "Dr. Jane Smith will call", "Jane Smith"),
    ("NAME", "ask Mr Patel about it", "Patel"),
    ("NAME", "Hello, my name is Tom Baker.", "Tom Baker"),
    ("NAME", "Name: Jane Smith\nAge: 40", "Jane Smith"),
    ("NAME", "Thanks for the help.\n\nBest regards,\nAlice Walker", "Alice Walker"),
    ("NAME", "See you then.\nThanks,\nTom\n", "Tom"),
]

NOT_CAUGHT = [
    "On 2024-05-01 it cost $1,299.00 at 10:45, or 12/05/2024 and 05.01.2024.",
    "Upgrade from version 1.2.3 to 1.10.0 (build 10.0.19041.1); commit a1b2c3d fixed it, then 3f2a9bc1.",
    "The card 4111 1111 1111 1112 fails the Luhn check; so does 4111111111111112.",
    "Wrong IBANs: GB83 WEST 1234 5698 7654 32 and DE88 3704 0044 0532 0130 00.",
    "We met 12 times between 1999-2024, pages 10-12, +5 points, pi is 3.14159265, order #12345678.",
    "The quick brown fox jumps over the lazy dog. I miss Paris. Miss the train? Thanks for everything.",
    "Address 300.1.1.1 is not an IP address, and neither is 1.2.3 or the time 12:30:45.",
    "In C++ std::vector and a::b are not addresses; deadbeef is just hex.",
    "The bearer of bad news. Bearer responsibilities are heavy. The token: it expires daily.",
    "password = getpass.getpass() and password = os.environ['PW'] and max_tokens: 1024, tokens: 5",
    "My name is not important. name: build\nThanks,\nThe Team",
    "Salary: 90,000, see [1] lease.pdf, page 2.",
]


@pytest.mark.parametrize(("kind", "text", "value"), CAUGHT, ids=[f"{k}-{i}" for i, (k, _, _) in enumerate(CAUGHT)])
def test_personal_and_secret_details_are_caught(kind: str, text: str, value: str) -> None:
    found = detect(text)
    assert [(f.kind, f.value) for f in found] == [(kind, value)]
    assert text[found[0].start : found[0].end] == value


@pytest.mark.parametrize("text", NOT_CAUGHT)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert detect(text) == []


def test_findings_are_sorted_and_the_longer_more_specific_one_wins() -> None:
    text = "Card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, mail a@b.io, call +1-202-555-0173"
    found = detect(text)
    assert [f.kind for f in found] == ["CARD", "IBAN", "EMAIL", "PHONE"]  # no phone inside the card or the IBAN
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))
    assert found[0] == Finding("CARD", "4111 1111 1111 1111", 5, 24)
    assert {f.kind for f in found} <= set(KINDS)


def test_checksums() -> None:
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert iban_ok("GB82 WEST 1234 5698 7654 32") and not iban_ok("GB82 WEST 1234 5698 7654 33")


TEXTS = [
    "Hi, I'm jane@x.org; card 4111 1111 1111 1111. Call +44 20 7946 0958.",
    "Forward to bob@example.com and again to jane@x.org.",
    "Best regards,\nTom",
]


def test_placeholders_are_numbered_per_kind_and_consistent_across_texts() -> None:
    redactor = Redactor()
    items = redactor.scan(TEXTS)
    assert [(i.kind, i.placeholder, i.value, i.count) for i in items] == [
        ("EMAIL", "[EMAIL_1]", "jane@x.org", 2),
        ("CARD", "[CARD_1]", "4111 1111 1111 1111", 1),
        ("PHONE", "[PHONE_1]", "+44 20 7946 0958", 1),
        ("EMAIL", "[EMAIL_2]", "bob@example.com", 1),
        ("NAME", "[NAME_1]", "Tom", 1),
    ]
    redacted = [redactor.redact(t) for t in TEXTS]
    assert redacted == [
        "Hi, I'm [EMAIL_1]; card [CARD_1]. Call [PHONE_1].",
        "Forward to [EMAIL_2] and again to [EMAIL_1].",
        "Best regards,\n[NAME_1]",
    ]
    assert [redactor.restore(t) for t in redacted] == TEXTS
    assert (
        redactor.restore("[EMAIL_9] and [FOO_1] stay, [NAME_1] comes back")
        == "[EMAIL_9] and [FOO_1] stay, Tom comes back"
    )
    later = redactor.scan(["cc carol@example.net and bob@example.com"])  # a later scan keeps earlier numbers
    assert [i.placeholder for i in later] == ["[EMAIL_3]", "[EMAIL_2]"]


def test_only_enabled_placeholders_are_replaced() -> None:
    redactor = Redactor()
    redactor.scan(TEXTS)
    assert (
        redactor.redact(TEXTS[0], enabled={"[CARD_1]"}) == "Hi, I'm jane@x.org; card [CARD_1]. Call +44 20 7946 0958."
    )
    assert redactor.redact(TEXTS[1], enabled=()) == TEXTS[1]
    assert redactor.redact("a stranger@else.where is unknown") == "a stranger@else.where is unknown"


def test_a_value_inside_another_or_inside_a_word_is_not_broken() -> None:
    redactor = Redactor()
    redactor.scan(["bob@example.com and xbob@example.com", "Thanks,\nTom"])
    assert redactor.redact("bob@example.com and xbob@example.com") == "[EMAIL_1] and [EMAIL_2]"
    assert redactor.redact("Tom said Tomorrow, Tom.") == "[NAME_1] said Tomorrow, [NAME_1]."


REPLY = "Hi [NAME_1]! Mail [EMAIL_1], [EMAIL_2] or call [PHONE_1]. [sic] [ a [EMAIL_9] [NAME_"


@pytest.mark.parametrize("i", range(len(REPLY) + 1))
def test_a_streamed_reply_is_restored_whatever_the_split_points(i: int) -> None:
    redactor = Redactor()
    redactor.scan(TEXTS)
    whole = redactor.restore(REPLY)
    assert "jane@x.org" in whole and "bob@example.com" in whole and "Tom" in whole
    for j in range(i, len(REPLY) + 1):
        restorer = redactor.restorer()
        parts = [restorer.feed(REPLY[:i]), restorer.feed(REPLY[i:j]), restorer.feed(REPLY[j:]), restorer.flush()]
        assert "".join(parts) == whole
    restorer = redactor.restorer()  # one character at a time
    assert "".join([restorer.feed(ch) for ch in REPLY] + [restorer.flush()]) == whole


def test_a_literal_bracket_passes_through_and_is_not_held_forever() -> None:
    redactor = Redactor()
    redactor.scan(TEXTS)
    restorer = redactor.restorer()
    assert restorer.feed("see [") == "see "  # could still become [EMAIL_1]
    assert restorer.feed("1] and [x") == "[1] and [x"
    assert restorer.feed(" [EMA") == " "
    assert restorer.feed("IL_1] done [") == "jane@x.org done "
    assert restorer.flush() == "["
    plain = Redactor().restorer()  # nothing scanned: nothing is ever held back
    assert plain.feed("a [") == "a [" and plain.flush() == ""
