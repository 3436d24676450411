"""Conversations to and from files: export as Markdown (to read) or JSON (lossless), import our JSON or ChatGPT's.

An import reads and checks the whole file first, then stores every conversation in it in one transaction, each
as a new conversation: a bad file (too big, not JSON, a shape we do not know, one faulty message) raises
:class:`ConversationFileError` naming the file and the fault, and changes nothing.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.conversation_files import chatgpt, native
from assistant.conversation_files.drafts import ConversationDraft, ConversationFileError, MessageDraft
from assistant.conversation_files.markdown import render
from assistant.conversations import Conversation, ConversationStore

__all__ = [
    "MAX_BYTES",
    "ConversationDraft",
    "ConversationFileError",
    "Imported",
    "MessageDraft",
    "export_json",
    "export_markdown",
    "import_file",
    "model_name",
    "read_file",
    "store_drafts",
]

_MB = 1024 * 1024
MAX_BYTES = 200 * _MB  # ChatGPT's conversations.json for years of daily use is tens of MB
_NOTHING = "Nothing was imported."
_CHATGPT_MEMBER = re.compile(r"(?:^|/)conversations(?:-\d+)?\.json$")


@dataclass(frozen=True)
class Imported:
    kind: str  # "Private Assistant" or "ChatGPT"
    conversations: list[Conversation]  # the new ones, in the file's order
    skipped: int  # conversations with no message to keep (ChatGPT: only tool or hidden messages)


def export_json(store: ConversationStore, conversation_ids: Sequence[int]) -> str:
    return native.dumps([(store.get(i), store.messages(i)) for i in conversation_ids])


def export_markdown(
    store: ConversationStore, conversation_id: int, model_name: Callable[[str], str] = lambda m: m
) -> str:
    return render(store.get(conversation_id), store.messages(conversation_id), model_name)


def model_name(model_id: str) -> str:
    """An installed model's name for the Markdown ("" is the default model); the id where it is gone."""
    from assistant.config import load_settings
    from assistant.errors import AssistantError
    from assistant.runtime.registry import ModelRegistry

    try:
        return ModelRegistry().resolve(model_id or load_settings().default_model or None).name
    except AssistantError:
        return model_id


def import_file(store: ConversationStore, path: Path) -> Imported:
    kind, drafts = read_file(path)
    kept = [d for d in drafts if d.messages]
    return Imported(kind, store_drafts(store, kept), len(drafts) - len(kept))


def read_file(path: Path) -> tuple[str, list[ConversationDraft]]:
    """The file's kind and its conversations, all checked; raises ConversationFileError, reading nothing more."""
    name = path.name
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ConversationFileError(f"{path} is a folder. Choose the exported file itself. {_NOTHING}")
        if size > MAX_BYTES:
            raise _too_big(name, size)
        if zipfile.is_zipfile(path):
            documents = _from_zip(path)
        else:
            documents = [(name, _parse_json(path.read_bytes(), name))]
    except FileNotFoundError:
        raise ConversationFileError(f"{path} does not exist. Check the name and try again.") from None
    except OSError as exc:
        raise ConversationFileError(f"{path} cannot be read ({exc.strerror or exc}). {_NOTHING}") from None
    kinds: set[str] = set()
    drafts: list[ConversationDraft] = []
    for where, document in documents:
        if isinstance(document, dict) and "format" in document:
            if document["format"] != native.FORMAT:
                raise ConversationFileError(
                    f"{where} is a {document['format']!r} file, not a Private Assistant conversation export. {_NOTHING}"
                )
            kinds.add("Private Assistant")
            drafts += native.parse(document, where)
        elif chatgpt.looks_like(document):
            kinds.add("ChatGPT")
            drafts += chatgpt.parse(document, where)
        elif document == []:
            kinds.add("ChatGPT")
        else:
            raise ConversationFileError(
                f"{where} is JSON, but neither a Private Assistant conversation export nor ChatGPT's "
                f"conversations.json (a list of conversations with a 'mapping'). {_NOTHING}"
            )
    return " and ".join(sorted(kinds)), drafts


def store_drafts(store: ConversationStore, drafts: Sequence[ConversationDraft]) -> list[Conversation]:
    """Every draft as a new conversation, all in one transaction (all or none), keeping their times."""
    return store.add_conversations(drafts)


def _too_big(name: str, size: int) -> ConversationFileError:
    return ConversationFileError(
        f"{name} is {size / _MB:,.1f} MB; the most Private Assistant imports at once is {MAX_BYTES // _MB} MB. "
        f"Split it into smaller files and import them one by one. {_NOTHING}"
    )


def _parse_json(data: bytes, name: str) -> Any:
    try:
        return json.loads(data)
    except UnicodeDecodeError:
        raise ConversationFileError(f"{name} is not text (UTF-8 JSON). {_NOTHING}") from None
    except json.JSONDecodeError as exc:
        raise ConversationFileError(
            f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}). Was it cut short, or "
            f"is it another kind of file? {_NOTHING}"
        ) from None
    except RecursionError:
        raise ConversationFileError(f"{name} is nested too deeply to be a conversation export. {_NOTHING}") from None


def _from_zip(path: Path) -> list[tuple[str, Any]]:
    """ChatGPT's export ZIP: its conversations.json (or conversations-000.json …), size-checked unpacked."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = sorted(
                (i for i in archive.infolist() if _CHATGPT_MEMBER.search(i.filename) and not i.is_dir()),
                key=lambda i: i.filename,
            )
            if not members:
                raise ConversationFileError(
                    f"{path.name} is a ZIP without a conversations.json. Choose ChatGPT's export ZIP, or the "
                    f"conversations.json inside it. {_NOTHING}"
                )
            total = sum(i.file_size for i in members)
            if total > MAX_BYTES:
                raise _too_big(path.name, total)
            documents = []
            for info in members:
                with archive.open(info) as member:
                    data = member.read(MAX_BYTES + 1)
                if len(data) > MAX_BYTES:
                    raise _too_big(path.name, len(data))
                where = f"{path.name}/{info.filename}"
                documents.append((where, _parse_json(data, where)))
            return documents
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise ConversationFileError(f"{path.name} is a damaged or unsupported ZIP ({exc}). {_NOTHING}") from None
