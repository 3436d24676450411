"""A conversation as Markdown to read: the title, each message with who wrote it, the model on replies,
times, and the cited passages as footnotes (``[^1]: report.pdf, page 3``) at the end."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant import __version__
from assistant.agents.sentences import strip_citations
from assistant.conversations import Conversation, Message

# [1], [1, 3], [2-3], [Source 2], 【1】: the answer's citations of its sources, by number
_CITATION = re.compile(r"[\[【]\s*(?:sources?\s*)?(\d{1,3}(?:\s*[,;–-]\s*(?:sources?\s*)?\d{1,3})*)\s*[\]】]", re.I)
_ROLE = {"user": "You", "assistant": "Assistant", "system": "System"}
_STOPPED = {"repetition": "The app stopped this reply: the model began repeating itself."}


def when(stamp: float) -> str:
    """A time as people read it, in this computer's time zone."""
    return datetime.fromtimestamp(stamp).astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()


def render(
    conversation: Conversation, messages: Sequence[Message], model_name: Callable[[str], str] = lambda m: m
) -> str:
    """The Markdown text. ``model_name`` turns an installed model's id ("" for the default) into its name."""
    local = model_name(conversation.model) or "the default model"
    lines = [f"# {conversation.title}", ""]
    about = [f"Created {when(conversation.created)}, last message {when(conversation.updated)}."]
    if conversation.collections:
        about.append("Answers from the documents in: " + ", ".join(conversation.collections) + ".")
    about.append(f"Exported from Private Assistant {__version__} on {when(time.time())}.")
    lines += ["*" + " ".join(about) + "*", ""]
    notes: list[str] = []
    for message in messages:
        lines += _message(message, local, notes)
    if notes:
        lines += ["---", "", *notes, ""]
    return "\n".join(lines).rstrip() + "\n"


def _message(message: Message, local_model: str, notes: list[str]) -> list[str]:
    head = _ROLE.get(message.role, message.role.capitalize())
    if message.role == "assistant":
        head += f" · {_model(message.origin, local_model)}"
    lines = [f"## {head} · {when(message.created)}", ""]
    if message.reasoning.strip():
        lines += ["> *Thinking:*", *(f"> {line}".rstrip() for line in message.reasoning.strip().splitlines()), ""]
    first = len(notes) + 1  # footnote numbers run through the whole file
    text, cited = _footnoted(message.content.strip(), first, len(message.sources))
    lines += [text or "*(empty)*", ""]
    uncited = [first + i for i in range(len(message.sources)) if first + i not in cited]
    if uncited:
        lines += ["Sources: " + " ".join(f"[^{n}]" for n in uncited), ""]
    notes.extend(f"[^{first + i}]: {_source(source)}" for i, source in enumerate(message.sources))
    if not message.complete and not message.stopped:
        lines += ["*(stopped before it finished)*", ""]
    if message.stopped:
        lines += [f"*{_STOPPED.get(message.stopped, 'Stopped: ' + message.stopped)}*", ""]
    unsupported = [strip_citations(c["text"]) for c in message.claims if c.get("supported") is False]
    if unsupported:
        lines += ["*Not found in the cited sources:*", *(f"- {t}" for t in unsupported), ""]
    return lines


def _model(origin: str, local_model: str) -> str:
    if origin.startswith("cloud:"):
        return origin.removeprefix("cloud:").strip() + " (cloud, sent with your approval)"
    if origin.startswith("imported:"):
        return origin.removeprefix("imported:").strip()
    if origin.startswith("app:"):
        return "Private Assistant"
    return local_model


def _footnoted(text: str, first: int, count: int) -> tuple[str, set[int]]:
    """``[1]`` → ``[^first]`` for citations of this message's sources; others are left as written."""
    cited: set[int] = set()

    def swap(match: re.Match[str]) -> str:
        numbers: list[int] = []
        for part in re.split(r"\s*[,;]\s*", match.group(1)):
            ends = [int(n) for n in re.findall(r"\d+", part)]
            numbers += list(range(ends[0], ends[-1] + 1)) if len(ends) == 2 and 0 < ends[1] - ends[0] < 10 else ends
        if not numbers or not all(1 <= n <= count for n in numbers):
            return match.group(0)
        cited.update(first + n - 1 for n in numbers)
        return "".join(f"[^{first + n - 1}]" for n in numbers)

    return (_CITATION.sub(swap, text) if count else text), cited


def _source(source: dict[str, Any]) -> str:
    path = str(source.get("path", ""))
    where = f"{Path(path).name}" + (f", page {source['page']}" if source.get("page") else "")
    headings = source.get("heading_path") or ()
    if headings:
        where += " — " + " › ".join(str(h) for h in headings)
    quote = " ".join(str(source.get("text", "")).split())
    quote = quote if len(quote) <= 200 else quote[:200].rstrip() + "…"
    return f"{where} (`{path}`)" + (f": “{quote}”" if quote else "")
