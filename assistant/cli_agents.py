"""The ``route`` and ``write`` commands: the router and the writer agent, headless."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from assistant import paths
from assistant.errors import AssistantError


class _WriterTasks:
    """The writer's task names for argparse, read only when a ``write`` command checks or lists them.

    The writer agent imports the runtime's modules (70 ms): other commands (``ask``) need not wait
    for them. ``add_argument`` formats the choices once, to check them: they read as none until then.
    """

    def __init__(self) -> None:
        self.ready = False

    def _names(self) -> list[str]:
        if not self.ready:
            return []
        from assistant.agents.writer import TASKS

        return sorted(TASKS)

    def __contains__(self, item: object) -> bool:
        return item in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    route = commands.add_parser("route", help="say which agent would handle TEXT, and why")
    route.add_argument("text", help="the request; '-' reads it from standard input")
    route.add_argument("--json", action="store_true", help='print {"route", "confidence", "reasons"}')
    write = commands.add_parser("write", help="proofread, rewrite, summarize, translate… offline")
    tasks = _WriterTasks()
    write.add_argument("--task", required=True, choices=tasks, help="what to do with the text")
    tasks.ready = True
    write.add_argument("--to", help="target language (translate)")
    write.add_argument("file", nargs="?", default="-", help="a text file, or '-' for standard input (default)")
    write.add_argument("--model", metavar="ID", help="an installed model's id, or a .gguf file or model folder")
    write.add_argument("--max-tokens", type=int, help="longest result, in tokens")


def read_text(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AssistantError(f"{path} does not exist. Give a text file, or '-' to read standard input.") from None
    except UnicodeDecodeError:
        raise AssistantError(f"{path} is not UTF-8 text. Save it as plain text (UTF-8) and try again.") from None
    except OSError as exc:
        raise AssistantError(f"{path} cannot be read ({exc.strerror}).") from None


def route(args: argparse.Namespace) -> int:
    from assistant.agents.router import Router
    from assistant.library.embedder import Embedder

    text = read_text(args.text) if args.text == "-" else args.text
    decision = Router(Embedder().embed).route(text, has_documents=_has_documents())
    if args.json:
        print(json.dumps(decision.to_json()))
    else:
        print(f"{decision.route} ({decision.confidence:.0%}): " + "; ".join(decision.reasons))
    return 0


def _has_documents() -> bool:
    """Whether any document is indexed, read without opening (or locking) the library."""
    import sqlite3

    manifest = paths.data_dir() / "library" / "manifest.sqlite3"
    if not manifest.exists():
        return False
    try:
        with sqlite3.connect(f"file:{manifest}?mode=ro", uri=True) as db:
            return db.execute("SELECT EXISTS (SELECT 1 FROM chunks)").fetchone()[0] == 1
    except sqlite3.Error:
        return False


def write(args: argparse.Namespace) -> int:
    from assistant.agents import writer
    from assistant.agents.events import Notice, Stopped, Token
    from assistant.cli_models import load_for_command
    from assistant.runtime.loop_guard import REPETITION_NOTICE

    text = read_text(args.file)
    writer.build_messages(args.task, text, args.to)  # refuses bad input before the model loads
    runtime, _ = load_for_command(args.model, args.max_tokens)
    runtime.load()
    cancel = threading.Event()
    parts: list[str] = []
    try:
        for event in writer.run(runtime, args.task, text, to=args.to, cancel=cancel):
            if isinstance(event, Notice):
                print(f"private-assistant: {event.text}", file=sys.stderr)
            elif isinstance(event, Stopped):  # the model looped: keep what came before
                parts = [event.text]
                print(f"private-assistant: {REPETITION_NOTICE}", file=sys.stderr)
            elif isinstance(event, Token) and not event.reasoning:
                parts.append(event.text)
    except KeyboardInterrupt:
        cancel.set()
    print(writer.combine(args.task, text, writer.clean_result(args.task, "".join(parts))))
    return 130 if cancel.is_set() else 0
