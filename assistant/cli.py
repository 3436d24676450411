"""The headless commands of ``private-assistant`` (``chat``, ``index``, ``ask``, ``route``, ``write``,
``models``, ``conversations``, ``export``, ``import``, ``serve``).

``ui.launcher`` is the entry point: with no arguments it opens the window, otherwise it
hands over to :func:`main` here.

Errors meant for the person are printed to stderr with exit code 2; tracebacks go to the
log file. The commands use the same core as the window.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from assistant import __version__
from assistant.cli_models import MODEL_HELP
from assistant.errors import AssistantError

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="private-assistant",
        description="A private desktop assistant. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation: load the bundled models, one chat, one embedding, one retrieval",
    )
    parser.add_argument(
        "--install-desktop",
        nargs=argparse.REMAINDER,
        metavar="OPTION",
        help="Linux: add the app to this user's application menu (--install-desktop --help for its options)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    chat = commands.add_parser("chat", help="stream the local model's reply to PROMPT")
    chat.add_argument("prompt", help="what to ask; '-' reads it from standard input")
    chat.add_argument("--json", action="store_true", help="print one JSON object at the end")
    chat.add_argument("--model", metavar="ID", help=MODEL_HELP)
    chat.add_argument("--max-tokens", type=int, help="longest reply, in tokens")
    chat.add_argument("--system", help="system prompt (default: the one in settings)")
    chat.add_argument("--temperature", type=float, help="0 for the most likely reply every time")
    index = commands.add_parser("index", help="add files or folders to the library and index them")
    index.add_argument("paths", nargs="*", type=Path, help="files or folders")
    index.add_argument("--collection", default=None, help="collection name (default: Documents)")
    index.add_argument(
        "--embedder",
        metavar="ID",
        help="embed the library with this model from now on: a downloaded catalog embedder "
        "(see `models list --catalog`) or 'bundled'; every file is re-embedded from its stored text",
    )
    ask = commands.add_parser("ask", help="answer a question from your indexed documents")
    ask.add_argument("question")
    ask.add_argument("--collection", action="append", help="search only this collection (repeatable)")
    ask.add_argument("--top-k", type=int, default=5, help="how many passages to use (default 5)")
    ask.add_argument("--retrieve-only", action="store_true", help="list the passages; do not generate")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.add_argument("--model", metavar="ID", help=MODEL_HELP)
    ask.add_argument("--max-tokens", type=int, help="longest answer, in tokens")
    from assistant import cli_agents, cli_conversations, cli_models, cli_serve

    cli_agents.add_commands(commands)
    cli_models.add_commands(commands)
    cli_conversations.add_commands(commands)
    cli_serve.add_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.self_test:  # the launcher handles it first, adding the window toolkit's check
        from assistant import selftest

        return selftest.main()
    if args.install_desktop is not None:
        from assistant import desktop_entry

        return desktop_entry.main(args.install_desktop)
    if args.command is None:  # the window is `private-assistant` with no arguments (ui.launcher)
        parser.print_help()
        return 0
    from assistant import paths
    from assistant.logs import log_path, setup_logging

    paths.make_private()  # umask 077, and the data folder 0700 / its files 0600 (fixes older installs)
    setup_logging()
    from assistant import network

    # The commands never need the network: the guard refuses it (loopback too, but for servers this
    # process runs), forces HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE / HF_DATASETS_OFFLINE and drops proxies.
    network.install()
    try:
        if args.command == "chat":
            return _chat(args)
        from assistant import cli_agents, cli_conversations, cli_library, cli_models

        if args.command == "models":
            return cli_models.run(args)
        if args.command in ("conversations", "export", "import"):
            return cli_conversations.run(args)
        if args.command == "serve":
            from assistant import cli_serve

            return cli_serve.run(args)

        if args.command == "route":
            return cli_agents.route(args)
        if args.command == "write":
            return cli_agents.write(args)

        if args.command == "index":
            return cli_library.index(args)
        if args.command == "ask":
            return cli_library.ask(args)
        return 2
    except AssistantError as exc:
        log.info("user-facing error: %s", exc)
        print(f"private-assistant: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the person gets a sentence, the log gets the traceback
        log.exception("unexpected error in %s", args.command)
        print(
            f"private-assistant: unexpected error ({exc}). Details are in {log_path()}.",
            file=sys.stderr,
        )
        return 1


def _chat(args: argparse.Namespace) -> int:
    from assistant.agents.events import Stopped, Token, stream_reply
    from assistant.cli_models import load_for_command
    from assistant.runtime.loop_guard import REPETITION_NOTICE

    prompt = sys.stdin.read() if args.prompt == "-" else args.prompt
    if not prompt.strip():
        raise AssistantError("The prompt is empty. Give some text to send to the model.")
    if args.temperature is not None and not 0 <= args.temperature <= 5:
        raise AssistantError("--temperature must be between 0 and 5.")
    runtime, settings = load_for_command(args.model, args.max_tokens)
    if args.temperature is not None:
        settings.temperature = args.temperature
    info = runtime.load()
    if info.notice:
        print(f"private-assistant: {info.notice}", file=sys.stderr)
    system = settings.system_prompt if args.system is None else args.system
    messages = [{"role": "system", "content": system}] if system else []
    messages.append({"role": "user", "content": prompt})
    cancel = threading.Event()
    answer: list[str] = []
    stopped: str | None = None  # JSON null unless the app stopped the reply ("repetition")
    try:
        for event in stream_reply(runtime, messages, cancel):  # type: ignore[arg-type]
            if isinstance(event, Stopped):  # what was printed is the kept text: the loop never shows
                answer, stopped = [event.text], event.reason
            elif not isinstance(event, Token):
                print(f"private-assistant: {event.text}", file=sys.stderr)
            elif not event.reasoning:
                answer.append(event.text)
                if not args.json:
                    sys.stdout.write(event.text)
                    sys.stdout.flush()
    except KeyboardInterrupt:
        cancel.set()
    stats = runtime.last_stats
    if args.json:
        print(
            json.dumps(
                {
                    "text": "".join(answer).strip(),
                    "tokens": stats.tokens if stats else 0,
                    "tokens_per_s": round(stats.tokens_per_s, 2) if stats else 0.0,
                    "model": info.model,
                    "backend": info.backend,
                    "stopped": stopped,
                }
            )
        )
    else:
        sys.stdout.write("\n")
        if stopped:
            print(f"private-assistant: {REPETITION_NOTICE}", file=sys.stderr)
    return 130 if cancel.is_set() else 0


if __name__ == "__main__":
    sys.exit(main())
