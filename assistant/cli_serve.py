"""``private-assistant serve``: the local OpenAI-compatible server, from the command line."""

from __future__ import annotations

import argparse
import sys

from assistant.errors import AssistantError

EXAMPLE = """\
from openai import OpenAI
client = OpenAI(base_url="{url}", api_key="<the key>")
print(client.chat.completions.create(model="{model}", messages=[{{"role": "user", "content": "Hello"}}]))"""


def add_command(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from assistant.server.keys import ENVIRONMENT
    from assistant.server.run import DEFAULT_HOST, DEFAULT_PORT

    serve = commands.add_parser(
        "serve",
        help="serve the local models and documents to other programs (an OpenAI-compatible API on this computer)",
        description="An OpenAI-compatible API (/v1/models, /v1/chat/completions, /v1/embeddings) on this computer. "
        "Every request needs the key. Model ids: each installed model, the library's embedding model, and "
        "documents:<collection> for answers from your documents with their sources.",
    )
    serve.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this "
        "computer only; any other address lets other machines reach it)",
    )
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 picks a free one)"
    )
    serve.add_argument(
        "--key",
        help=f"the API key clients must send (default: ${ENVIRONMENT}, else the one "
        "kept in the system keychain, made the first time)",
    )
    serve.add_argument(
        "--queue",
        type=int,
        default=4,
        help="requests that may wait for the model (default 4); more are answered 429 with Retry-After",
    )
    serve.add_argument("--max-request-bytes", type=int, default=None, help="largest request body (default 2 MiB)")


def run(args: argparse.Namespace) -> int:
    from assistant import network
    from assistant.server.app import MAX_BODY
    from assistant.server.keys import server_key
    from assistant.server.run import LocalServer
    from assistant.server.service import OwnLibrary, Service

    if not 0 <= args.port <= 65535:
        raise AssistantError("--port must be between 0 and 65535.")
    if args.queue < 0:
        raise AssistantError("--queue must be 0 or more.")
    limit = args.max_request_bytes or MAX_BODY
    if limit < 1024:
        raise AssistantError("--max-request-bytes must be at least 1024.")
    key = server_key(args.key)
    library = OwnLibrary()
    try:
        server = LocalServer(Service(library, waiting=args.queue), key.value, args.host, args.port, limit)
        if not network.is_loopback(args.host):
            print(
                f"Warning: listening on {args.host}, so other machines can reach this server. Anyone with the key "
                "can use your models and read your documents through it.",
                file=sys.stderr,
            )
        print(f"Serving on {server.base_url}", flush=True)
        if key.origin in ("keychain", "new", "session"):
            kept = {
                "keychain": "from the system keychain",
                "new": "new, saved in the system keychain",
                "session": "new; no keychain here, so it lasts for this run only",
            }[key.origin]
            print(f"API key ({kept}): {key.value}", flush=True)
        print(EXAMPLE.format(url=server.base_url, model=_example_model()), flush=True)
        print("Press Ctrl+C to stop.", flush=True)
        server.run()
    finally:
        library.close()
    return 0


def _example_model() -> str:
    from assistant.runtime.registry import ModelRegistry

    models = ModelRegistry().models()
    return models[0].id if models else "MODEL"
