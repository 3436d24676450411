"""Personal and secret details: found before a request leaves, hidden behind placeholders, put back after.

``detect`` finds emails, phone numbers, card numbers (Luhn), IBANs (mod 97), API keys and tokens, IP
addresses and, where a pattern shows them, names. A :class:`Redactor` gives each distinct value one
placeholder (``[EMAIL_1]``) across all the texts of a request, replaces them, and restores them in the
reply, also while it streams (:class:`StreamRestorer` holds back a placeholder split across chunks).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

KINDS = ("EMAIL", "PHONE", "CARD", "IBAN", "API_KEY", "IP", "NAME")
_PRIORITY = {"API_KEY": 0, "EMAIL": 1, "IBAN": 2, "CARD": 3, "IP": 4, "PHONE": 5, "NAME": 6}


@dataclass(frozen=True)
class Finding:
    kind: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Item:
    kind: str
    value: str
    placeholder: str
    count: int  # occurrences across the scanned texts


_EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}(?![\w-])")
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,5}\)[ .-]?)?\d{2,5}(?:[ .-]\d{2,5}){1,4}(?![\w-])"
    r"|(?<![\w+])\+\d{7,15}(?!\w)"
)
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
_KEYS = re.compile(
    "|".join(
        (
            r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}",
            r"\b(?:ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{20,}",
            r"\bgithub_pat_[A-Za-z0-9_]{20,}",
            r"\bAKIA[0-9A-Z]{16}\b",
            r"\bxox[abprs]-[A-Za-z0-9-]{10,}",
            r"\bAIza[0-9A-Za-z_-]{35}",
            r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}",
            r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----",
        )
    )
)
_BEARER = re.compile(r"\bBearer\s+([A-Za-z0-9._~+/=-]{12,})")
_ASSIGNED = re.compile(
    r"(?i)\b(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret)\b\s*[:=]\s*"
    r"[\"']?([^\s\"',;]{6,})"
)
_CAP = r"[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?"
_NAMES = (
    re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof|Mx)\.? ({_CAP}(?: {_CAP}){{0,2}})"),
    re.compile(rf"\b(?:[Mm]y name is|I am|I'm) ({_CAP} {_CAP}(?: {_CAP})?)"),
    re.compile(rf"(?m)^\s*(?:Name|Full name|Patient|Client|Employee)\s*:\s*({_CAP}(?: {_CAP}){{1,2}})"),
    re.compile(
        rf"(?im)^\s*(?:best regards|kind regards|regards|best|thanks|thank you|cheers|sincerely|yours)[,!.]?\s*\n"
        rf"\s*({_CAP}(?: {_CAP}){{0,2}})\s*$"
    ),
)
_DATE_LIKE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_ok(text: str) -> bool:
    iban = text.replace(" ", "")
    if not 15 <= len(iban) <= 34:
        return False
    moved = iban[4:] + iban[:4]
    number = "".join(str(int(ch, 36)) for ch in moved)
    return int(number) % 97 == 1


def _candidates(text: str) -> Iterator[Finding]:
    for m in _KEYS.finditer(text):
        yield Finding("API_KEY", m.group(0), m.start(), m.end())
    for pattern in (_BEARER, _ASSIGNED):
        for m in pattern.finditer(text):
            yield Finding("API_KEY", m.group(1), m.start(1), m.end(1))
    for m in _EMAIL.finditer(text):
        yield Finding("EMAIL", m.group(0), m.start(), m.end())
    for m in _IBAN.finditer(text):
        if iban_ok(m.group(0)):
            yield Finding("IBAN", m.group(0), m.start(), m.end())
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if 13 <= len(digits) <= 19 and luhn_ok(digits) and len(set(digits)) > 1:
            yield Finding("CARD", m.group(0), m.start(), m.end())
    for m in _IPV4.finditer(text):
        if all(int(part) <= 255 for part in m.group(0).split(".")):
            yield Finding("IP", m.group(0), m.start(), m.end())
    for m in _IPV6.finditer(text):
        value = m.group(0)
        if value.count(":") >= 2 and any(c.isalnum() for c in value) and _is_ipv6(value):
            yield Finding("IP", value, m.start(), m.end())
    for m in _PHONE.finditer(text):
        value = m.group(0).strip()
        digits = re.sub(r"\D", "", value)
        if (
            7 <= len(digits) <= 15
            and not _DATE_LIKE.match(value)
            and ("+" in value or "(" in value or " " in value or "-" in value or "." in value)
        ):
            if "." in value and "+" not in value and value.count(".") >= 2 and "-" not in value and " " not in value:
                continue  # 1.2.3.4-style version or address, not a phone
            yield Finding("PHONE", value, m.start(), m.start() + len(value))
    for pattern in _NAMES:
        for m in pattern.finditer(text):
            yield Finding("NAME", m.group(1), m.start(1), m.end(1))


def _is_ipv6(value: str) -> bool:
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


def detect(text: str) -> list[Finding]:
    """All findings in ``text``, by position, without overlaps (the longer, more specific one wins)."""
    chosen: list[Finding] = []
    ranked = sorted(_candidates(text), key=lambda f: (-(f.end - f.start), _PRIORITY[f.kind], f.start))
    for finding in ranked:
        if all(finding.end <= c.start or finding.start >= c.end for c in chosen):
            chosen.append(finding)
    return sorted(chosen, key=lambda f: f.start)


class Redactor:
    """One placeholder per distinct value, consistent across every text of a request."""

    def __init__(self) -> None:
        self._items: dict[str, Item] = {}

    def scan(self, texts: Sequence[str]) -> list[Item]:
        counts: dict[str, int] = {}
        kinds: dict[str, str] = {}
        order: list[str] = []
        for text in texts:
            for finding in detect(text):
                if finding.value not in counts:
                    order.append(finding.value)
                    kinds[finding.value] = finding.kind
                counts[finding.value] = counts.get(finding.value, 0) + 1
        numbers: dict[str, int] = {}
        self._items = {}
        for value in order:
            kind = kinds[value]
            numbers[kind] = numbers.get(kind, 0) + 1
            self._items[value] = Item(kind, value, f"[{kind}_{numbers[kind]}]", counts[value])
        return list(self._items.values())

    def redact(self, text: str, enabled: Collection[str] | None = None) -> str:
        """Replace each scanned value whose placeholder is ``enabled`` (None: all of them)."""
        wanted = {
            item.value: item.placeholder
            for item in self._items.values()
            if enabled is None or item.placeholder in enabled
        }
        if not wanted:
            return text
        pattern = re.compile("|".join(re.escape(v) for v in sorted(wanted, key=len, reverse=True)))
        return pattern.sub(lambda m: wanted[m.group(0)], text)

    def restore(self, text: str) -> str:
        by_placeholder = {item.placeholder: item.value for item in self._items.values()}
        if not by_placeholder:
            return text
        return _PLACEHOLDER.sub(lambda m: by_placeholder.get(m.group(0), m.group(0)), text)

    def restorer(self) -> StreamRestorer:
        return StreamRestorer(self)


_PLACEHOLDER = re.compile(r"\[(?:" + "|".join(KINDS) + r")_\d+\]")
_PARTIAL = re.compile(r"\[(?:[A-Z_]{0,8}\d{0,4})?$")
_LONGEST_PLACEHOLDER = len("[API_KEY_9999]")


class StreamRestorer:
    """Restores placeholders in a reply that arrives in pieces."""

    def __init__(self, redactor: Redactor) -> None:
        self._redactor = redactor
        self._held = ""

    def feed(self, chunk: str) -> str:
        text = self._held + chunk
        tail = _PARTIAL.search(text[-_LONGEST_PLACEHOLDER:])
        if tail is not None:
            cut = len(text) - (len(text[-_LONGEST_PLACEHOLDER:]) - tail.start())
            self._held, text = text[cut:], text[:cut]
        else:
            self._held = ""
        return self._redactor.restore(text)

    def flush(self) -> str:
        text, self._held = self._held, ""
        return self._redactor.restore(text)
