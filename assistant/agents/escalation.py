"""Escalation drafts: the exact request a cloud model would receive, redacted, before anyone sends it.

``prepare`` builds an :class:`EscalationDraft` from a conversation. The person may edit the question,
leave out the earlier conversation or the document passages, and toggle each detected item; every
change recomputes :meth:`EscalationDraft.payload`, the exact bytes of the HTTP body. ``approve`` freezes
those bytes into an :class:`ApprovedRequest`; the cloud client sends nothing else (see ``cloud``).

Nothing here sends anything, and nothing here is called because of what a document or a model wrote:
only the window's Send button (or an explicit CLI flag) turns a draft into a request.

What the draft guarantees beyond redaction:

- A passage, or an earlier answer drawn from documents, goes along only when its stored source names a
  collection the person has not marked "never leaves this device". A source that names no collection
  (answers stored before sources carried one) counts as local-only: unknown never leaves.
- Values hidden earlier in the conversation stay hidden: the draft starts from a redactor that has
  learned every message and passage of the conversation, so a name hidden as ``[NAME_1]`` once is
  hidden in every later request, also in replies where it was put back.
- Characters that change how text looks without being seen (direction overrides, zero-width, tag
  characters) are removed unless the person keeps them; kept or not, every invisible or control
  character is written as a ``\\uXXXX`` escape in the payload, so the bytes shown are the bytes sent
  and nothing in them is invisible.
- The provider's address must be https, except on this computer (loopback), where plain http is allowed.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from assistant import __version__
from assistant.agents.redaction import Item, Redactor, StreamRestorer
from assistant.config import CloudSettings
from assistant.conversations import Message
from assistant.errors import AssistantError
from assistant.runtime.types import ChatMessage
from assistant.secrets import key_account

CLOUD_SYSTEM_PROMPT = (
    "You are a helpful expert assistant. The person's own assistant runs on their computer and asked you "
    "for help. Some personal details were replaced by placeholders such as [EMAIL_1] or [NAME_2]; when you "
    "refer to them, write the placeholders exactly as given."
)
USER_AGENT = f"PrivateAssistant/{__version__}"
CHARS_PER_TOKEN = 4  # a rough, provider-neutral estimate
TOKENS_PER_MESSAGE = 4

# Bidi embeddings and overrides, bidi isolates, zero-width characters and marks, word joiner, BOM, tags.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\U000e0000-\U000e007f]")
_UNSEEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp"})


class ProviderAddressError(AssistantError):
    """The provider's base URL would send the key and the request where others can read them."""


def check_base_url(base_url: str) -> str:
    """``base_url`` if it is https, or http to this computer; else a clear error."""
    url = urlsplit(base_url.strip())
    host = (url.hostname or "").lower()
    if url.scheme not in ("http", "https") or not host:
        raise ProviderAddressError(
            f"The cloud provider's base URL {base_url!r} is not a web address. Enter one such as "
            "https://api.openai.com/v1 in Settings → Cloud provider."
        )
    if url.scheme == "http" and not _is_loopback(host):
        raise ProviderAddressError(
            f"The cloud provider's base URL {base_url} uses plain http to another computer, so your API key "
            "and the request would travel unencrypted. Use its https:// address in Settings → Cloud provider "
            "(plain http is allowed only for a server on this computer: localhost, 127.0.0.1 or ::1)."
        )
    return base_url


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def strip_invisible(text: str) -> str:
    return INVISIBLE.sub("", text)


def escape_unseen(text: str) -> str:
    """Write invisible and control characters (beyond ASCII's, which JSON escapes) as ``\\uXXXX``.

    Used on serialized JSON, where such characters only occur inside strings: the escapes decode to the
    same characters, so the provider receives the same text, and the person sees every one of them.
    """

    def escape(m: re.Match[str]) -> str:
        code = ord(m[0])
        if unicodedata.category(m[0]) not in _UNSEEN_CATEGORIES:
            return m[0]
        if code < 0x10000:
            return f"\\u{code:04x}"
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"

    return _BEYOND_ASCII.sub(escape, text)


_BEYOND_ASCII = re.compile("[^\x00-\x7e]")


@dataclass(frozen=True)
class Provider:
    name: str
    base_url: str
    model: str
    max_tokens: int = 1024

    @classmethod
    def from_settings(cls, cloud: CloudSettings) -> Provider:
        return cls(cloud.name or cloud.base_url, cloud.base_url.rstrip("/"), cloud.model, cloud.max_tokens)

    @property
    def url(self) -> str:
        return self.base_url.rstrip("/") + "/chat/completions"

    @property
    def key_account(self) -> str:
        """The keychain entry of this provider's key: its origin, so another address never gets it."""
        return key_account(self.base_url)

    @property
    def label(self) -> str:
        return f"{self.name} / {self.model}"


@dataclass(frozen=True)
class Passage:
    label: str  # "[1] report.pdf, page 3"
    text: str


@dataclass
class EscalationDraft:
    provider: Provider
    question: str
    history: list[ChatMessage] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    omitted: list[str] = field(default_factory=list)  # what was kept back and why, for the dialog
    system: str = CLOUD_SYSTEM_PROMPT
    include_history: bool = True
    include_passages: bool = True
    disabled: set[str] = field(default_factory=set)  # detected values the person chose to send as they are
    known: Redactor | None = None  # the values hidden earlier in this conversation
    keep_invisible: bool = False  # send direction overrides, zero-width and tag characters (escaped)
    _scanned: tuple[tuple[str, ...], Redactor, list[Item]] | None = field(default=None, repr=False, compare=False)

    def _plain_messages(self) -> list[ChatMessage]:
        messages: list[ChatMessage] = [{"role": "system", "content": self.system}]
        if self.include_history:
            messages.extend(self.history)
        question = self.question
        if self.include_passages and self.passages:
            blocks = "\n\n".join(f"{p.label}\n```\n{p.text}\n```" for p in self.passages)
            question = f"{question}\n\nPassages from my documents:\n\n{blocks}"
        messages.append({"role": "user", "content": question})
        if not self.keep_invisible:
            messages = [{"role": m["role"], "content": strip_invisible(m["content"])} for m in messages]
        return messages

    def plain_texts(self) -> list[str]:
        """The texts as they stand before redaction (what a later request must keep hiding)."""
        return [m["content"] for m in self._plain_messages()]

    def invisible_count(self) -> int:
        """Invisible characters in what would be sent if they were kept (the person decides)."""
        keep, self.keep_invisible = self.keep_invisible, True
        try:
            return sum(len(INVISIBLE.findall(m["content"])) for m in self._plain_messages())
        finally:
            self.keep_invisible = keep

    def _redactor(self) -> tuple[Redactor, list[Item]]:
        # Detection is the slow part (tens of milliseconds for a long request): redo it only when the
        # texts change, not for every toggle or every look at the payload.
        texts = tuple(m["content"] for m in self._plain_messages())
        cached = self._scanned
        if cached is None or cached[0] != texts:
            redactor = Redactor(self.known)
            cached = (texts, redactor, redactor.scan(list(texts)))
            self._scanned = cached
        return cached[1], cached[2]

    def items(self) -> list[Item]:
        """What was detected as personal or secret, in order of appearance."""
        return self._redactor()[1]

    def set_redacted(self, value: str, redacted: bool) -> None:
        (self.disabled.discard if redacted else self.disabled.add)(value)

    def messages(self) -> list[ChatMessage]:
        """The messages as they would leave: detected items replaced by placeholders unless toggled off."""
        redactor, items = self._redactor()
        enabled = {i.placeholder for i in items if i.value not in self.disabled}
        return [{"role": m["role"], "content": redactor.redact(m["content"], enabled)} for m in self._plain_messages()]

    def body(self) -> dict[str, Any]:
        return {
            "model": self.provider.model,
            "messages": self.messages(),
            "max_tokens": self.provider.max_tokens,
            "stream": True,
            "stream_options": {"include_usage": True},
        }

    def payload(self) -> bytes:
        """The exact bytes of the request body: what the dialog shows is what is sent."""
        text = json.dumps(self.body(), indent=2, ensure_ascii=False) + "\n"
        return escape_unseen(text).encode("utf-8")

    def estimated_prompt_tokens(self, messages: list[ChatMessage] | None = None) -> int:
        messages = messages if messages is not None else self.messages()
        chars = sum(len(m["content"]) for m in messages)
        return -(-chars // CHARS_PER_TOKEN) + TOKENS_PER_MESSAGE * len(messages)

    def approve(self) -> ApprovedRequest:
        redactor, items = self._redactor()
        used = tuple(i.placeholder for i in items if i.value not in self.disabled)
        tokens = self.estimated_prompt_tokens(self.messages())
        return ApprovedRequest(self.provider, self.payload(), used, redactor, tokens)


@dataclass(frozen=True)
class ApprovedRequest:
    """Frozen at the moment the person clicked Send: these bytes, to this URL, and nothing else."""

    provider: Provider
    payload: bytes
    placeholders: tuple[str, ...]
    redactor: Redactor
    estimated_prompt_tokens: int = 0

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.payload).hexdigest()

    def restorer(self) -> StreamRestorer:
        return self.redactor.restorer()


def prepare(
    provider: Provider,
    messages: Sequence[Message],
    *,
    reply_id: int | None = None,
    local_only: Collection[str] = (),
    earlier: Sequence[str] = (),
) -> EscalationDraft:
    """A draft for the person's last question before ``reply_id`` (default: the last question).

    Passages cited by that reply go along unless their source's collection is in ``local_only`` or is
    unknown (a source stored without one); earlier answers drawn from such sources are left out of the
    history too. Every value detected anywhere in ``messages`` (and their passages) or in ``earlier``
    (texts of requests already sent from this conversation) stays hidden behind one placeholder.
    """
    check_base_url(provider.base_url)
    upto = list(messages)
    if reply_id is not None:
        upto = [m for m in upto if m.id < reply_id] + [m for m in upto if m.id == reply_id]
    reply = upto[-1] if upto and upto[-1].role == "assistant" else None
    before = upto[:-1] if reply is not None else upto
    questions = [i for i, m in enumerate(before) if m.role == "user"]
    if not questions:
        raise ValueError("there is no question to escalate")
    q = questions[-1]
    question = before[q].content
    history: list[ChatMessage] = []
    omitted: list[str] = []
    for m in before[:q]:
        if m.role not in ("user", "assistant") or not m.content:
            continue
        if m.role == "assistant" and any(stays_local(s, local_only) for s in m.sources):
            omitted.append("an earlier answer drawn from documents that never leave this device")
            continue
        history.append({"role": m.role, "content": m.content})
    passages: list[Passage] = []
    for n, source in enumerate(reply.sources if reply is not None else (), start=1):
        path = str(source.get("path", ""))
        if stays_local(source, local_only):
            omitted.append(f"passage [{n}] from {Path(path).name} (never leaves this device)")
            continue
        page = source.get("page")
        label = f"[{n}] {Path(path).name}" + (f", page {page}" if page else "")
        passages.append(Passage(label, str(source.get("text", ""))))
    known = conversation_redactor(messages, earlier)
    return EscalationDraft(provider, question, history, passages, omitted, known=known)


def stays_local(source: dict[str, Any], local_only: Collection[str]) -> bool:
    """Does this stored source never leave the device? Its collection is local-only, or unknown."""
    collection = source.get("collection")
    return not isinstance(collection, str) or not collection or collection in local_only


def conversation_redactor(messages: Sequence[Message], earlier: Sequence[str] = ()) -> Redactor:
    """The conversation's values and placeholders: learned from every message, every passage it cited
    and every text already sent, in that order, so the same conversation always gives the same map."""
    texts: list[str] = []
    for m in messages:
        texts.append(m.content)
        texts += [str(s.get("text", "")) for s in m.sources]
    redactor = Redactor()
    redactor.learn([strip_invisible(t) for t in (*texts, *earlier)])
    return redactor


def shown_headers(approved: ApprovedRequest) -> str:
    """The request line and headers as the dialog shows them (the key masked)."""
    url = urlsplit(approved.provider.url)
    return (
        f"POST {approved.provider.url}\n"
        f"Host: {url.netloc}\n"
        "Authorization: Bearer ••••••••\n"
        "Content-Type: application/json\n"
        f"Content-Length: {len(approved.payload)}\n"
        f"User-Agent: {USER_AGENT}"
    )
