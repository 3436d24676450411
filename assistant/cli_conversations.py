"""The ``conversations``, ``export`` and ``import`` commands: find a chat, save it as a file, bring chats in."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant import paths
from assistant.conversations import ConversationStore
from assistant.errors import AssistantError, ConversationNotFound


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listing = commands.add_parser("conversations", help="list the conversations: id, title, updated, messages")
    listing.add_argument("--search", metavar="TEXT", default="", help="only those whose title or messages have TEXT")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    export = commands.add_parser("export", help="write a conversation as Markdown (to read) or JSON (lossless)")
    export.add_argument("id", type=int, help="the conversation's id (see `conversations`)")
    export.add_argument("--format", choices=("md", "json"), default="md", help="md (default) or json")
    export.add_argument("--output", "-o", type=Path, metavar="FILE", help="write to FILE (default: standard output)")
    imports = commands.add_parser(
        "import", help="add the conversations in a file: our JSON export, or ChatGPT's conversations.json or ZIP"
    )
    imports.add_argument("file", type=Path, help="a .json file, or the .zip ChatGPT mailed you")
    imports.add_argument("--json", action="store_true", help='print {"kind", "imported": [{"id", "title"}], …}')


def run(args: argparse.Namespace) -> int:
    store = ConversationStore(paths.data_dir() / "conversations.sqlite3")
    try:
        if args.command == "conversations":
            return _list(store, args)
        if args.command == "export":
            return _export(store, args)
        return _import(store, args)
    finally:
        store.close()


def _list(store: ConversationStore, args: argparse.Namespace) -> int:
    from assistant.conversation_files.markdown import when

    rows = [(c, len(store.messages(c.id))) for c in store.conversations(args.search)]
    if args.json:
        out = [
            {"id": c.id, "title": c.title, "created": c.created, "updated": c.updated, "messages": n} for c, n in rows
        ]
        print(json.dumps(out, ensure_ascii=False))
        return 0
    if not rows:
        print("No conversations." if not args.search else f"No conversation mentions {args.search!r}.")
        return 0
    width = max(len(str(c.id)) for c, _ in rows)
    for c, n in rows:
        print(f"{c.id:>{width}}  {when(c.updated):<22} {n:>4} messages  {c.title}")
    return 0


def _export(store: ConversationStore, args: argparse.Namespace) -> int:
    from assistant.conversation_files import ConversationFileError, export_json, export_markdown, model_name

    try:
        text = export_json(store, [args.id]) if args.format == "json" else export_markdown(store, args.id, model_name)
    except ConversationNotFound:
        raise AssistantError(
            f"There is no conversation {args.id}. `private-assistant conversations` lists them with their ids."
        ) from None
    if args.output is None:
        sys.stdout.write(text)
        return 0
    from assistant.atomic import atomic_write_text

    if args.output.is_dir():
        raise ConversationFileError(f"{args.output} is a folder. Give a file name, e.g. {args.output / 'chat.md'}.")
    atomic_write_text(args.output, text)
    print(f"Wrote conversation {args.id} to {args.output}.", file=sys.stderr)
    return 0


def _import(store: ConversationStore, args: argparse.Namespace) -> int:
    from assistant.conversation_files import import_file

    result = import_file(store, args.file)
    if args.json:
        imported = [{"id": c.id, "title": c.title} for c in result.conversations]
        print(json.dumps({"kind": result.kind, "imported": imported, "skipped": result.skipped}, ensure_ascii=False))
        return 0
    count = len(result.conversations)
    print(f"Imported {count} conversation{'s' if count != 1 else ''} from {args.file.name} ({result.kind}):")
    for c in result.conversations:
        print(f"  {c.id}  {c.title}")
    if result.skipped:
        print(f"Skipped {result.skipped} with no messages to keep (only tool, system or hidden ones).")
    return 0
