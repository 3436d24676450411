"""Our own JSON file: every field of each conversation and its messages, under a ``format`` and ``version``.

Version 1::

    {"format": "private-assistant.conversations", "version": 1, "exported": 1765000000.0, "app": "0.9.0",
     "conversations": [{"id": 3, "title": "…", "created": …, "updated": …, "collections": ["Documents"],
                        "model": "", "messages": [{"id": 7, "role": "user", "content": "…", "reasoning": "",
                        "created": …, "complete": true, "sources": [{"path": …, "page": 2, "text": …}],
                        "origin": "", "stopped": "", "claims": []}]}]}

The ids are the exporting store's and are not reused: an import always makes new conversations. A reader
takes files of its own version or older, and refuses newer ones (a later app may add fields it cannot keep).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from assistant import __version__
from assistant.conversation_files.drafts import (
    ROLES,
    ConversationDraft,
    ConversationFileError,
    MessageDraft,
    is_time,
)
from assistant.conversations import DEFAULT_TITLE, Conversation, Message

FORMAT = "private-assistant.conversations"
VERSION = 1


def dumps(items: Sequence[tuple[Conversation, Sequence[Message]]]) -> str:
    """The conversations and their messages as our JSON file's text."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported": time.time(),
        "app": __version__,
        "conversations": [_conversation(c, messages) for c, messages in items],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _conversation(conversation: Conversation, messages: Sequence[Message]) -> dict[str, Any]:
    return {
        "id": conversation.id,
        "title": conversation.title,
        "created": conversation.created,
        "updated": conversation.updated,
        "collections": list(conversation.collections),
        "model": conversation.model,
        "messages": [
            {
                "id": m.id,
                "role": m.role,
                "content": m.content,
                "reasoning": m.reasoning,
                "created": m.created,
                "complete": m.complete,
                "sources": list(m.sources),
                "origin": m.origin,
                "stopped": m.stopped,
                "claims": list(m.claims),
            }
            for m in messages
        ],
    }


def parse(document: dict[str, Any], name: str) -> list[ConversationDraft]:
    """The conversations of our JSON file, every field checked; raises ConversationFileError naming the fault."""
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ConversationFileError(f"{name} has no valid format version. {_NOTHING}")
    if version > VERSION:
        raise ConversationFileError(
            f"{name} was exported by a newer Private Assistant (format version {version}; this one reads up to "
            f"{VERSION}). Update Private Assistant and import it again. {_NOTHING}"
        )
    items = document.get("conversations")
    if not isinstance(items, list):
        raise ConversationFileError(f"{name} has no 'conversations' list. {_NOTHING}")
    return [_read_conversation(item, f"{name}: conversation {i}") for i, item in enumerate(items, start=1)]


_NOTHING = "Nothing was imported."


def _fail(where: str, fault: str) -> ConversationFileError:
    return ConversationFileError(f"{where} {fault}. {_NOTHING}")


def _read_conversation(item: Any, where: str) -> ConversationDraft:
    if not isinstance(item, dict):
        raise _fail(where, "is not an object")
    title = item.get("title", DEFAULT_TITLE)
    if not isinstance(title, str):
        raise _fail(where, "has a 'title' that is not text")
    now = time.time()
    created, updated = item.get("created", now), item.get("updated", now)
    if not is_time(created) or not is_time(updated):
        raise _fail(where, "has a 'created' or 'updated' time that is not a number of seconds")
    collections = item.get("collections", [])
    if not isinstance(collections, list) or not all(isinstance(c, str) for c in collections):
        raise _fail(where, "has 'collections' that are not a list of names")
    model = item.get("model", "")
    if not isinstance(model, str):
        raise _fail(where, "has a 'model' that is not text")
    messages = item.get("messages")
    if not isinstance(messages, list):
        raise _fail(where, "has no 'messages' list")
    return ConversationDraft(
        title=" ".join(title.split()) or DEFAULT_TITLE,
        created=float(created),
        updated=float(updated),
        collections=tuple(collections),
        model=model,
        messages=tuple(
            _read_message(m, f"{where}, message {i}", float(created)) for i, m in enumerate(messages, start=1)
        ),
    )


def _read_message(item: Any, where: str, default_time: float) -> MessageDraft:
    if not isinstance(item, dict):
        raise _fail(where, "is not an object")
    role = item.get("role")
    if role not in ROLES:
        raise _fail(where, f"has the role {role!r}; it must be one of {', '.join(ROLES)}")
    if "content" not in item:
        raise _fail(where, "has no 'content' (its text)")
    for key in ("content", "reasoning", "origin", "stopped"):
        if not isinstance(item.get(key, ""), str):
            raise _fail(where, f"has a '{key}' that is not text")
    created = item.get("created", default_time)
    if not is_time(created):
        raise _fail(where, "has a 'created' time that is not a number of seconds")
    complete = item.get("complete", True)
    if not isinstance(complete, bool):
        raise _fail(where, "has a 'complete' that is not true or false")
    sources = _objects(item.get("sources", []), where, "sources", ("path", "text"))
    claims = _objects(item.get("claims", []), where, "claims", ("text",))
    return MessageDraft(
        role=role,
        content=item["content"],
        reasoning=item.get("reasoning", ""),
        created=float(created),
        complete=complete,
        sources=sources,
        origin=item.get("origin", ""),
        stopped=item.get("stopped", ""),
        claims=claims,
    )


def _objects(value: Any, where: str, key: str, texts: tuple[str, ...]) -> tuple[dict[str, Any], ...]:
    """A list of objects, each with text under ``texts`` (the window reads those keys)."""
    if not isinstance(value, list):
        raise _fail(where, f"has '{key}' that are not a list")
    for i, entry in enumerate(value, start=1):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(t), str) for t in texts):
            wanted = " and ".join(f"'{t}'" for t in texts)
            raise _fail(where, f"has {key} entry {i} without {wanted} as text")
    return tuple(value)
