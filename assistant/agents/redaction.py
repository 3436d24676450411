"""Personal and secret details: found before a request leaves, hidden behind placeholders, put back after.

``detect`` finds emails, phone numbers, card numbers (network prefix, length and Luhn), IBANs (mod 97),
API keys and tokens, IP addresses and, where a pattern shows them, names. A :class:`Redactor` gives each
distinct value one placeholder (``[EMAIL_1]``) across all the texts of a request, replaces them, and
restores them in the reply, also while it streams (:class:`StreamRestorer` holds back a placeholder split
across chunks). Detection is pattern based: it catches the usual formats, not every way to write a secret.

A redactor can start from another one's values (``Redactor(known)``): a conversation's earlier values stay
hidden behind the same placeholders in every later request, wherever they appear, even where the context
that first revealed them (``my name is ...``) is no longer in the text. Secrets (keys, card numbers, IBANs)
are never put back inside a link or code the provider wrote: there they stay placeholders, so a reply
cannot turn a real key into a URL to click or a command to paste.
"""

from __future__ import annotations

import bisect
import ipaddress
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

KINDS = ("EMAIL", "PHONE", "CARD", "IBAN", "API_KEY", "IP", "NAME")
_RANK = {kind: i for i, kind in enumerate(("API_KEY", "IBAN", "CARD", "EMAIL", "IP", "PHONE", "NAME"))}


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    value: str  # the exact matched text
    start: int
    end: int


@dataclass(frozen=True)
class Item:
    kind: str
    value: str
    placeholder: str
    count: int  # occurrences replaced across the scanned texts
    earlier: bool = False  # known from earlier in the conversation (a ``Redactor(known)`` value)


Check = Callable[[re.Match[str]], str | None]  # the accepted value (the match, or a prefix of it), or None


def _val(m: re.Match[str]) -> str:
    return m["v"] if "v" in m.re.groupindex else m[0]


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def iban_ok(text: str) -> bool:
    iban = text.replace(" ", "")
    if not (15 <= len(iban) <= 34 and iban[:2].isalpha() and iban[2:4].isdigit() and iban.isalnum()):
        return False
    return int("".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])) % 97 == 1


# Card networks: number prefix and the lengths it is issued in (Visa, Mastercard, Amex, Discover/UnionPay, JCB, Diners).
_NETWORKS = (
    (re.compile(r"4"), (13, 16, 19)),
    (re.compile(r"5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)"), (16,)),
    (re.compile(r"3[47]"), (15,)),
    (re.compile(r"6(?:011|5|4[4-9]|2)"), (16, 17, 18, 19)),
    (re.compile(r"35(?:2[89]|[3-8])"), (16, 17, 18, 19)),
    (re.compile(r"3(?:0[0-5]|[689])"), (14, 15, 16, 17, 18, 19)),
)


def _card(m: re.Match[str]) -> str | None:
    digits = re.sub(r"\D", "", m[0])
    issued = any(p.match(digits) and len(digits) in lengths for p, lengths in _NETWORKS)
    return m[0] if issued and luhn_ok(digits) else None


def _iban(m: re.Match[str]) -> str | None:
    value = m[0]  # the pattern may run into a following group of 4: try the longest valid prefix
    ends = sorted({len(value), *(i for i, ch in enumerate(value) if ch == " ")}, reverse=True)
    return next((value[:end] for end in ends if iban_ok(value[:end])), None)


def _phone(m: re.Match[str]) -> str | None:
    return m[0] if 7 <= sum(ch.isdigit() for ch in m[0]) <= 15 else None


def _ip(m: re.Match[str]) -> str | None:
    try:
        ipaddress.ip_address(m[0])
    except ValueError:
        return None
    return m[0] if "." in m[0] or (any(ch.isdigit() for ch in m[0]) and m[0] != "::") else None


def _secretish(value: str) -> bool:
    """Looks generated: letters and digits, or capitals inside the word; not prose."""
    has_digit = any(ch.isdigit() for ch in value)
    return (has_digit and any(ch.isalpha() for ch in value)) or (
        any(ch.isupper() for ch in value[1:]) and any(ch.islower() for ch in value)
    )


def _token(m: re.Match[str]) -> str | None:
    return _val(m) if _secretish(_val(m)) else None


_NOT_VALUES = {"none", "null", "true", "false", "undefined", "required", "optional", "string", "example"}


def _assigned(m: re.Match[str]) -> str | None:
    value = m["v"].rstrip(".!?:") if not m["q"] else m["v"]
    if len(value) < 4 or value.lower() in _NOT_VALUES:
        return None
    return value if m["op"] == "=" or m["q"] or _secretish(value) else None


_NOT_NAMES = set(
    "I A An The And Or But So If In On At To Of For From With By Here There This That It We You He She They Me My "
    "Our Your Team Thanks Thank Regards Best Hi Hello Dear Yes No Not All Please Sent Cheers".split()
)


def _name(m: re.Match[str]) -> str | None:
    value, end = m["v"], 0
    for word in re.finditer(r"\S+", value):
        if not word[0][0].isupper() or word[0] in _NOT_NAMES:
            break
        end = word.end()
    return value[:end] or None


def _any(m: re.Match[str]) -> str | None:
    return _val(m)


_SEP = r"(?<![\w+.-])(?<!\d )"  # a number starts here: not inside a word, a decimal, or a run of digit groups
_END = r"(?![\w]|[.-]\d)"
_WORD = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"
_NAME = rf"(?P<v>{_WORD}(?:[ \t]+{_WORD}){{0,2}})"
_SIGN_OFF = r"best|best regards|kind regards|warm regards|regards|best wishes|all the best|many thanks|thanks|"
_SIGN_OFF += r"thank you|cheers|sincerely|yours|yours truly|yours sincerely"

_EMAIL = (
    r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-])"
)
_ASSIGNED = (
    r"(?i)(?<![A-Za-z0-9])[A-Za-z0-9_]*?(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key"
    r"|private[_-]?key)(?:_key)?[\"']?[ \t]*(?P<op>[:=])[ \t]*(?P<q>[\"']?)(?P<v>[^\s\"'`,;()\[\]{}<>]{4,}+)(?![(\[{])"
)
_RULES: tuple[tuple[str, str, Check], ...] = (
    ("EMAIL", _EMAIL, _any),
    ("PHONE", r"(?<![\w+])\+[1-9]\d{0,2}(?:[ .-]?\(0\))?(?:[ .-]?\(?\d{1,4}\)?){2,5}" + _END, _phone),
    ("PHONE", _SEP + r"(?:1[ .-])?(?:\(\d{3}\)[ .-]?|\d{3}[ .-])\d{3}[ .-]\d{4}" + _END, _phone),
    ("PHONE", _SEP + r"0\d{2,4}[ -]\d{3,4}[ -]?\d{3,4}" + _END, _phone),
    ("PHONE", _SEP + r"[2-9]\d{2}-\d{4}" + _END, _phone),
    ("CARD", r"(?<![\d-])(?<!\d )\d{4}([ -]?)\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?(?![\d]|[ -]\d)", _card),
    ("CARD", r"(?<![\d-])(?<!\d )\d{4}([ -]?)\d{6}\1\d{4,5}(?![\d]|[ -]\d)", _card),
    ("IBAN", r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])", _iban),
    ("IP", r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)", _ip),
    ("IP", r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])", _ip),
    ("API_KEY", r"(?<![\w-])sk-(?:proj-|ant-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}+", _token),
    ("API_KEY", r"\b(?:gh[oprsu]_[A-Za-z0-9]{20,}+|github_pat_[A-Za-z0-9_]{20,}+)", _any),
    ("API_KEY", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", _any),
    ("API_KEY", r"\bxox[abprs]-[A-Za-z0-9-]{10,}+", _any),
    ("API_KEY", r"\bAIza[0-9A-Za-z_-]{35}(?![\w-])", _any),
    ("API_KEY", r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}+", _any),
    ("API_KEY", r"\beyJ[A-Za-z0-9_-]{5,}+\.eyJ[A-Za-z0-9_-]{5,}+\.[A-Za-z0-9_-]{8,}+", _any),
    ("API_KEY", r"(?i:\bbearer)[ \t]+(?P<v>[A-Za-z0-9._~+/-]{16,}+=*)", _token),
    ("API_KEY", _ASSIGNED, _assigned),
    ("API_KEY", r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----", _any),
    ("NAME", rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame)\.?[ \t]+{_NAME}", _name),
    ("NAME", rf"(?i:\bmy[ \t]+name[ \t]+is)[ \t]+{_NAME}", _name),
    ("NAME", rf"(?im:^[ \t]*(?:full[ \t]+)?name[ \t]*:)[ \t]*{_NAME}", _name),
    ("NAME", rf"(?im:^[ \t]*(?:{_SIGN_OFF})[ \t]*[,.!]?[ \t]*\r?\n)[ \t]*{_NAME}(?=[ \t]*(?:\r?\n|\Z))", _name),
)
_COMPILED = tuple((kind, re.compile(pattern), check) for kind, pattern, check in _RULES)


def _candidates(text: str) -> list[Finding]:
    found = []
    for kind, pattern, check in _COMPILED:
        for m in pattern.finditer(text):
            value = check(m)
            if value:
                start = m.start("v") if "v" in pattern.groupindex else m.start()
                found.append(Finding(kind, value, start, start + len(value)))
    return found


def _non_overlapping(spans: list[tuple[int, int, int, str]]) -> list[tuple[int, int, int, str]]:
    """(start, end, rank, ...) spans: the longest first, then the lowest rank; returned by position."""
    chosen: list[tuple[int, int, int, str]] = []  # kept sorted by start
    for span in sorted(spans, key=lambda s: (s[0] - s[1], s[2], s[0])):
        i = bisect.bisect(chosen, span)
        if (i == 0 or chosen[i - 1][1] <= span[0]) and (i == len(chosen) or span[1] <= chosen[i][0]):
            chosen.insert(i, span)
    return chosen


def detect(text: str) -> list[Finding]:
    """All findings in ``text``, by position, without overlaps (the longer, more specific one wins)."""
    spans = [(f.start, f.end, _RANK[f.kind], f.kind) for f in _candidates(text)]
    return [Finding(kind, text[start:end], start, end) for start, end, _, kind in _non_overlapping(spans)]


_PLACEHOLDER = re.compile(r"\[(?:" + "|".join(KINDS) + r")_\d+\]")


SECRET_KINDS = frozenset({"API_KEY", "CARD", "IBAN"})  # never restored inside links or code


class Redactor:
    """One placeholder per distinct value, consistent across every text (and every ``scan``) of a request.

    ``known``: start from that redactor's values and placeholders (a conversation's earlier requests);
    they are hidden wherever they occur as whole words, detected again or not.
    """

    def __init__(self, known: Redactor | None = None) -> None:
        self._kinds: dict[str, tuple[str, str]] = dict(known._kinds) if known else {}  # value -> (kind, placeholder)
        self._values: dict[str, str] = dict(known._values) if known else {}  # placeholder -> value
        self._numbers: dict[str, int] = dict(known._numbers) if known else {}
        self._patterns: dict[str, re.Pattern[str]] = dict(known._patterns) if known else {}
        self._earlier: frozenset[str] = frozenset(self._kinds)

    @property
    def placeholders(self) -> Collection[str]:
        return self._values.keys()

    def learn(self, texts: Sequence[str]) -> None:
        """Give each new value detected in ``texts`` its placeholder, numbered per kind in order of appearance."""
        for text in texts:
            for finding in detect(text):
                if finding.value not in self._kinds:
                    self._numbers[finding.kind] = number = self._numbers.get(finding.kind, 0) + 1
                    placeholder = f"[{finding.kind}_{number}]"
                    self._kinds[finding.value] = (finding.kind, placeholder)
                    self._values[placeholder] = finding.value

    def scan(self, texts: Sequence[str]) -> list[Item]:
        """Learn the values in ``texts``; the items these texts hold (also known ones), in order of appearance."""
        self.learn(texts)
        values = set(self._kinds)
        counts: dict[str, int] = {}
        for text in texts:
            for *_, value in self._spans(text, values):
                counts[value] = counts.get(value, 0) + 1
        return [Item(self._kinds[v][0], v, self._kinds[v][1], n, earlier=v in self._earlier) for v, n in counts.items()]

    def _spans(self, text: str, values: set[str]) -> list[tuple[int, int, int, str]]:
        """Where ``values`` occur: detected there, or as whole words; the longer wins where they overlap."""
        spans = [(f.start, f.end, 0, f.value) for f in detect(text) if f.value in values]
        for value in values:
            if value not in self._patterns:
                head = r"(?<!\w)" if re.match(r"\w", value) else ""
                tail = r"(?!\w)" if re.match(r"\w", value[-1]) else ""
                self._patterns[value] = re.compile(head + re.escape(value) + tail)
            if value in text:
                spans += [(m.start(), m.end(), 1, value) for m in self._patterns[value].finditer(text)]
        return _non_overlapping(spans)

    def redact(self, text: str, enabled: Collection[str] | None = None) -> str:
        """Replace each scanned value whose placeholder is ``enabled`` (None: all of them)."""
        values = {v for v, (_, p) in self._kinds.items() if enabled is None or p in enabled}
        parts, at = [], 0
        for start, end, _, value in self._spans(text, values) if values else []:
            parts += [text[at:start], self._kinds[value][1]]
            at = end
        return "".join(parts) + text[at:]

    def restore(self, text: str, before: str = "") -> str:
        """Known placeholders back to their values; anything else is left as written.

        A secret's placeholder inside a link or code stays as it is; ``before`` is the text the provider
        wrote ahead of ``text`` (earlier chunks of a streamed reply), which decides that.
        """

        def put_back(m: re.Match[str]) -> str:
            value = self._values.get(m[0])
            if value is None:
                return m[0]
            if self._kinds[value][0] in SECRET_KINDS and in_link_or_code(before + text[: m.start()]):
                return m[0]
            return value

        return _PLACEHOLDER.sub(put_back, text)

    def restorer(self) -> StreamRestorer:
        return StreamRestorer(self)


class StreamRestorer:
    """Restores placeholders in a reply that arrives in pieces, holding back only a possible partial one."""

    def __init__(self, redactor: Redactor) -> None:
        self._redactor = redactor
        self._held = ""
        self._written = ""  # what the provider wrote so far, placeholders as written: the context of the next

    def feed(self, chunk: str) -> str:
        text = self._held + chunk
        cut = text.rfind("[")
        tail = text[cut:]
        if cut >= 0 and any(len(p) > len(tail) and p.startswith(tail) for p in self._redactor.placeholders):
            text, self._held = text[:cut], tail
        else:
            self._held = ""
        return self._restore(text)

    def flush(self) -> str:
        text, self._held = self._held, ""
        return self._restore(text)

    def _restore(self, text: str) -> str:
        restored = self._redactor.restore(text, self._written)
        self._written += text
        return restored


_FENCE = re.compile(r"^[ \t]{0,3}(?:`{3,}|~{3,})", re.M)
_URL_START = re.compile(r"(?i)(?:[a-z][a-z0-9+.-]*://|www\.|mailto:|data:|javascript:|file:)")


def in_link_or_code(before: str) -> bool:
    """Would text written right after ``before`` (Markdown or HTML) land in a link, a tag or code?

    Errs on the side of yes: a secret left as a placeholder costs a look, a secret in a URL or a command
    can leave the device with a click or a paste.
    """
    fences = list(_FENCE.finditer(before))
    if len(fences) % 2:
        return True  # inside a fenced code block
    paragraph = before[fences[-1].end() if fences else 0 :]
    paragraph = paragraph[paragraph.rfind("\n\n") + 1 :]
    opened = 0  # an inline code span: a run of backticks until the same run closes it
    for run in re.findall(r"`+", paragraph):
        opened = 0 if opened == len(run) else opened or len(run)
    if opened:
        return True
    line = paragraph[paragraph.rfind("\n") + 1 :]
    if line.rfind("<") > line.rfind(">"):
        return True  # inside an HTML tag or an autolink <https://...>
    target = line.rfind("](")
    if target >= 0 and ")" not in line[target:]:
        return True  # inside a Markdown link or image target
    word = re.split(r"\s", line)[-1]
    return bool(_URL_START.search(word))  # inside a bare URL
