"""ChatGPT's data export (``conversations.json``, also ``conversations-000.json`` …) read as conversations.

The file is a list of conversations. Each has ``title``, ``create_time``, ``update_time``, ``current_node`` and a
``mapping`` of node id to ``{id, message, parent, children}``: a tree, since editing a message or regenerating a
reply starts a new branch. The branch ChatGPT shows ends at ``current_node``; it is read by walking ``parent``
links up from there. A ``message`` has ``author.role``, ``content`` (``content_type`` and ``parts``),
``create_time``, ``metadata`` (``model_slug``, ``is_visually_hidden_from_conversation``), ``recipient`` and
``status``. Kept: user and assistant messages with text, addressed to everyone. Skipped: the root (no message),
system and tool messages, hidden ones, an assistant's calls to a tool (``recipient`` other than ``all``), and
content that is not text (code to run, browsing results, thoughts, the user's custom instructions, images).
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

from assistant.conversation_files.drafts import ConversationDraft, ConversationFileError, MessageDraft, seconds
from assistant.conversations import DEFAULT_TITLE

TEXT_TYPES = ("text", "multimodal_text")
_NOTHING = "Nothing was imported."


def looks_like(document: Any) -> bool:
    """A ChatGPT export: a list of conversations (or one conversation) with a ``mapping``."""
    if isinstance(document, dict):
        return "mapping" in document
    return (
        isinstance(document, list)
        and bool(document)
        and all(isinstance(c, dict) for c in document[:1])
        and ("mapping" in document[0])
    )


def parse(document: Any, name: str) -> list[ConversationDraft]:
    items = [document] if isinstance(document, dict) else document
    return [_conversation(item, f"{name}: conversation {i}") for i, item in enumerate(items, start=1)]


def _fail(where: str, fault: str) -> ConversationFileError:
    return ConversationFileError(f"{where} {fault}. This does not look like ChatGPT's export format. {_NOTHING}")


def _conversation(item: Any, where: str) -> ConversationDraft:
    if not isinstance(item, dict):
        raise _fail(where, "is not an object")
    title = item.get("title")
    if title is not None and not isinstance(title, str):
        raise _fail(where, "has a 'title' that is not text")
    where = f"{where} ({title!r})" if title else where
    mapping = item.get("mapping")
    if not isinstance(mapping, dict) or not all(isinstance(node, dict) for node in mapping.values()):
        raise _fail(where, "has no 'mapping' of message nodes")
    messages = tuple(
        m for m in (_message(node.get("message"), f"{where}, node {key!r}") for key, node in _branch(item, where)) if m
    )
    stamps = [m.created for m in messages if m.created]
    created = seconds(item.get("create_time")) or (stamps[0] if stamps else time.time())
    updated = seconds(item.get("update_time")) or (stamps[-1] if stamps else created)
    messages = tuple(_timed(messages, created))
    return ConversationDraft(
        title=" ".join((title or "").split()) or DEFAULT_TITLE, created=created, updated=updated, messages=messages
    )


def _branch(item: dict[str, Any], where: str) -> list[tuple[str, dict[str, Any]]]:
    """The nodes from the root down to ``current_node`` (the shown branch), in order."""
    mapping: dict[str, dict[str, Any]] = item["mapping"]
    current = item.get("current_node")
    if current is None:  # not written by some older exports: take the newest leaf
        leaves = [key for key, node in mapping.items() if not node.get("children")]
        current = max(leaves, key=lambda key: _time_of(mapping[key]), default=None)
    if current is not None and current not in mapping:
        raise _fail(where, f"has a 'current_node' ({current!r}) that is not in its mapping")
    path: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = set()
    while current is not None:
        if not isinstance(current, str) or current in seen or current not in mapping:
            raise _fail(where, f"has a broken 'parent' link at {current!r}")
        seen.add(current)
        node = mapping[current]
        path.append((current, node))
        current = node.get("parent")
    return path[::-1]


def _time_of(node: dict[str, Any]) -> float:
    message = node.get("message")
    stamp = message.get("create_time") if isinstance(message, dict) else None
    return seconds(stamp) or 0.0


def _message(message: Any, where: str) -> MessageDraft | None:
    if message is None:  # the root
        return None
    if not isinstance(message, dict):
        raise _fail(where, "has a 'message' that is not an object")
    author = message.get("author")
    role = author.get("role") if isinstance(author, dict) else None
    if not isinstance(role, str):
        raise _fail(where, "has a message without 'author.role'")
    metadata = message.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise _fail(where, "has 'metadata' that is not an object")
    if role not in ("user", "assistant") or metadata.get("is_visually_hidden_from_conversation"):
        return None
    if message.get("recipient", "all") not in ("all", None):  # the assistant calling a tool
        return None
    content = message.get("content")
    if not isinstance(content, dict):
        raise _fail(where, "has a message without 'content'")
    if content.get("content_type", "text") not in TEXT_TYPES:
        return None
    parts = content.get("parts")
    if not isinstance(parts, list):
        raise _fail(where, "has text content without a 'parts' list")
    text = "\n\n".join(t for t in (_part_text(p) for p in parts) if t.strip()).strip()
    if not text:
        return None
    stamp = message.get("create_time")
    model = metadata.get("model_slug")
    origin = ""
    if role == "assistant":
        origin = f"imported: ChatGPT / {model}" if isinstance(model, str) and model else "imported: ChatGPT"
    return MessageDraft(role=role, content=text, created=seconds(stamp) or 0.0, origin=origin)


def _part_text(part: Any) -> str:
    """A part's text: a string, or an object's ``text`` (a transcript); images and files have none."""
    if isinstance(part, str):
        return part
    if isinstance(part, dict) and isinstance(part.get("text"), str):
        return str(part["text"])
    return ""


def _timed(messages: tuple[MessageDraft, ...], start: float) -> list[MessageDraft]:
    """Messages without a time take the one before them (or the conversation's)."""
    out: list[MessageDraft] = []
    last = start
    for message in messages:
        if message.created:
            last = message.created
            out.append(message)
        else:
            out.append(dataclasses.replace(message, created=last))
    return out
