"""Escalation drafts: the exact request a cloud model would receive, redacted, before anyone sends it.

``prepare`` builds an :class:`EscalationDraft` from a conversation. The person may edit the question,
leave out the earlier conversation or the document passages, and toggle each detected item; every
change recomputes :meth:`EscalationDraft.payload`, the exact bytes of the HTTP body. ``approve`` freezes
those bytes into an :class:`ApprovedRequest`; the cloud client sends nothing else (see ``cloud``).

Nothing here sends anything, and nothing here is called because of what a document or a model wrote:
only the window's Send button (or an explicit CLI flag) turns a draft into a request.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from assistant import __version__
from assistant.agents.redaction import Item, Redactor, StreamRestorer
from assistant.config import CloudSettings
from assistant.conversations import Message
from assistant.runtime.types import ChatMessage

CLOUD_SYSTEM_PROMPT = (
    "You are a helpful expert assistant. The person's own assistant runs on their computer and asked you "
    "for help. Some personal details were replaced by placeholders such as [EMAIL_1] or [NAME_2]; when you "
    "refer to them, write the placeholders exactly as given."
)
USER_AGENT = f"PrivateAssistant/{__version__}"
CHARS_PER_TOKEN = 4  # a rough, provider-neutral estimate
TOKENS_PER_MESSAGE = 4


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
        return messages

    def _redactor(self) -> tuple[Redactor, list[Item]]:
        # Detection is the slow part (tens of milliseconds for a long request): redo it only when the
        # texts change, not for every toggle or every look at the payload.
        texts = tuple(m["content"] for m in self._plain_messages())
        cached = self._scanned
        if cached is None or cached[0] != texts:
            redactor = Redactor()
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
        return (json.dumps(self.body(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")

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
    is_local_only: Callable[[str], bool] = lambda path: False,
) -> EscalationDraft:
    """A draft for the person's last question before ``reply_id`` (default: the last question).

    Passages cited by that reply go along unless their file is in a collection that never leaves this
    device. Earlier answers drawn from such files are left out of the history too.
    """
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
        if m.role == "assistant" and any(is_local_only(str(s.get("path", ""))) for s in m.sources):
            omitted.append("an earlier answer drawn from documents that never leave this device")
            continue
        history.append({"role": m.role, "content": m.content})
    passages: list[Passage] = []
    for n, source in enumerate(reply.sources if reply is not None else (), start=1):
        path = str(source.get("path", ""))
        if is_local_only(path):
            omitted.append(f"passage [{n}] from {Path(path).name} (never leaves this device)")
            continue
        page = source.get("page")
        label = f"[{n}] {Path(path).name}" + (f", page {page}" if page else "")
        passages.append(Passage(label, str(source.get("text", ""))))
    return EscalationDraft(provider, question, history, passages, omitted)


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
