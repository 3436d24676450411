"""``private-assistant index`` and ``ask``: the document library from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import AssistantError

if TYPE_CHECKING:
    from assistant.agents.qa import Answer
    from assistant.library.library import Library


def index(args: argparse.Namespace) -> int:
    from assistant.library.indexer import Indexer
    from assistant.library.library import DEFAULT_COLLECTION, Library

    if not args.paths and not args.embedder:
        raise AssistantError("Name the files or folders to index, or choose an embedding model with --embedder ID.")
    collection = args.collection or DEFAULT_COLLECTION
    with Library() as library:
        if args.embedder:
            _choose_embedder(library, args.embedder)
        if library.notice:
            print(f"Note: {library.notice}", file=sys.stderr)
        library.target_embedder.prepare_onnx()  # the fast int8 embedder, made once (seconds) before the first index
        indexer = Indexer(library)
        for path in args.paths:
            indexer.add(path, collection)
        counts = {"indexed": 0, "skipped": 0, "failed": 0, "removed": 0}
        failures: list[tuple[str, str]] = []
        show_bar = sys.stderr.isatty()
        for progress in indexer.sync(None if args.embedder else collection):
            counts[progress.status] += 1
            if progress.status == "failed":
                failures.append((progress.path, progress.error))
            if show_bar:
                filled = int(30 * progress.done / max(progress.total, 1))
                name = Path(progress.path).name[:40]
                bar = "#" * filled + "." * (30 - filled)
                sys.stderr.write(f"\r[{bar}] {progress.done}/{progress.total} {name:<40}")
                sys.stderr.flush()
        if show_bar:
            sys.stderr.write("\n")
    print(
        f"{collection}: {counts['indexed']} indexed, {counts['skipped']} unchanged, "
        f"{counts['failed']} failed, {counts['removed']} removed"
    )
    for path, error in failures:
        print(f"  failed: {path}: {error}")
    return 0


def _choose_embedder(library: Library, choice: str) -> None:
    from assistant.library.embedder import BUNDLED_EMBEDDER_ID

    model_id = BUNDLED_EMBEDDER_ID if choice.strip().lower() in ("bundled", "built-in", "builtin") else choice
    if library.choose_embedder(model_id):
        print(
            f"The library now embeds with {library.target_embedder.model_id}; re-embedding every file "
            "from its stored text (searches use the old vectors until it is done).",
            file=sys.stderr,
        )


def ask(args: argparse.Namespace) -> int:
    from assistant.library.library import Library

    if not args.question.strip():
        raise AssistantError("The question is empty. Ask something about your documents.")
    if args.top_k < 1:
        raise AssistantError("--top-k must be 1 or more.")
    with Library() as library:
        if library.manifest.chunk_count() == 0:
            raise AssistantError("Your library is empty. Index some documents first: private-assistant index FOLDER")
        library.embedder.start_loading()  # on a thread, while the vector store opens
        from assistant.library.retriever import search_detailed

        found = search_detailed(library, args.question, args.top_k, args.collection)
        sources = found.sources
        searched_with = library.embedder.model_id
        # The answer's sentences are checked with the bundled model, whose scores the checks are tuned to
        # (the same object as the search's when the library uses it).
        embedder = library.bundled_embedder()
    result: Answer | None = None
    streamed: list[str] = []
    if not args.retrieve_only:
        from assistant.agents.chat import Token
        from assistant.agents.events import Stopped
        from assistant.agents.qa import Answer, answer
        from assistant.cli_models import load_for_command

        runtime, _ = load_for_command(args.model, args.max_tokens)
        runtime.load()  # before answering: the answer's form depends on the model's size
        for event in answer(runtime, args.question, sources, embed=embedder.embed):
            if isinstance(event, Answer):
                result = event
            elif isinstance(event, Stopped):
                streamed = [event.text]
            elif isinstance(event, Token) and not event.reasoning:
                streamed.append(event.text)
                if not args.json:
                    sys.stdout.write(event.text)
                    sys.stdout.flush()
    shown = result.sources if result else sources
    if args.json:
        print(
            json.dumps(
                {
                    "answer": result.text if result else None,
                    "sources": [{"path": s.path, "page": s.page, "score": s.score, "text": s.text} for s in shown],
                    "claims": [
                        {"text": c.text, "sources": c.sources, "supported": c.supported, "score": c.score}
                        for c in (result.claims if result else [])
                    ],
                    "stopped": (result.stopped or None) if result else None,
                    "embedder": searched_with,
                    "reranker": found.reranker or None,
                    "rerank_ms": round(found.rerank_seconds * 1000, 1),
                }
            )
        )
        return 0
    if result is not None:
        _print_checked(result, "".join(streamed).strip())
    for number, source in enumerate(shown, start=1):
        page = f", page {source.page}" if source.page else ""
        snippet = " ".join(source.text.split())[:160]
        print(f"[{number}] {source.path}{page} (score {source.score:.4f})\n    {snippet}")
    return 0


def _print_checked(result: Answer, streamed: str) -> None:
    """After the streamed answer: why it stopped, the checked answer if it differs, what is unsupported."""
    sys.stdout.write("\n\n")
    if result.stopped == "repetition":
        print("(stopped: the model began repeating itself)\n")
    if result.text != streamed:
        print(f"Checked against your documents:\n\n{result.text}\n")
    unsupported = [c for c in result.claims if not c.supported]
    for claim in unsupported:
        print(f"Not found in the cited source: {claim.text}")
    if unsupported:
        print()
