"""``private-assistant --self-test``: prove this installation works, in a throwaway data folder.

It loads the bundled chat model and runs one short chat, loads the bundled embedder and makes
one embedding, indexes the bundled sample PDF and retrieves the right page, and checks that
nothing tried to leave this computer. The person's own settings, chats and library are never
touched. The report is meant to be pasted into a problem report: versions, paths, timings.
"""

from __future__ import annotations

import logging
import math
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant import __version__, bundle, network
from assistant.paths import HOME_ENV

SAMPLE_PDF = "resources/selftest/house-notes.pdf"
SAMPLE_QUESTION = "Where is the spare key kept?"
SAMPLE_PAGE = 2  # the page of the sample PDF that answers it
CHAT_PROMPT = "Say hello in one short sentence."


@dataclass(frozen=True)
class Check:
    """One line of the report."""

    name: str
    ok: bool
    detail: str
    seconds: float


# A check gets what earlier checks made (the loaded runtime, the embedder) and returns its detail line.
CheckFunction = Callable[[dict[str, Any]], str]


class Skipped(Exception):
    """A check that cannot run because one it depends on failed."""


def header() -> str:
    where = "packaged app" if bundle.frozen() else f"from source ({bundle.root()})"
    return (
        f"Private Assistant {__version__} self-test · {platform.system()} {platform.release()} "
        f"{platform.machine()} · Python {platform.python_version()} · {where}"
    )


def run(extra: Sequence[tuple[str, CheckFunction]] = (), out: Callable[[str], None] = print) -> list[Check]:
    """Run every check, printing each as it ends; return them all."""
    out(header())
    checks: list[Check] = []
    state: dict[str, Any] = {}
    network.install()
    with _scratch_data_dir() as folder:
        state["folder"] = folder
        try:
            for name, function in [*CHECKS, *extra]:
                started = time.perf_counter()
                try:
                    check = Check(name, True, function(state), time.perf_counter() - started)
                except Skipped as exc:
                    check = Check(name, False, f"not run: {exc}", 0.0)
                except Exception as exc:  # noqa: BLE001  (a self-test reports every failure and goes on)
                    check = Check(name, False, f"{type(exc).__name__}: {exc}", time.perf_counter() - started)
                checks.append(check)
                out(format_check(check))
        finally:
            _close(state)
    out(summary(checks))
    return checks


def format_check(check: Check) -> str:
    mark = "PASS" if check.ok else "FAIL"
    return f"  {mark}  {check.name:<16} {check.detail} ({check.seconds:.1f} s)"


def summary(checks: Sequence[Check]) -> str:
    failed = [c.name for c in checks if not c.ok]
    total = sum(c.seconds for c in checks)
    if not failed:
        return f"All {len(checks)} checks passed in {total:.1f} s."
    names = ", ".join(failed)
    return f"{len(failed)} of {len(checks)} checks failed ({names}). Include this report when you ask for help."


@contextmanager
def _scratch_data_dir() -> Iterator[Path]:
    """Point the data folder at a temporary one for the duration, then put it back and delete it."""
    previous = os.environ.get(HOME_ENV)
    folder = Path(tempfile.mkdtemp(prefix="private-assistant-self-test-"))
    os.environ[HOME_ENV] = str(folder)
    try:
        yield folder
    finally:
        if previous is None:
            os.environ.pop(HOME_ENV, None)
        else:
            os.environ[HOME_ENV] = previous
        shutil.rmtree(folder, ignore_errors=True)


def _close(state: dict[str, Any]) -> None:
    for key in ("library", "runtime"):
        thing = state.pop(key, None)
        try:
            if thing is not None:
                thing.close()
        except Exception:  # noqa: BLE001  (closing must not hide the report)
            logging.getLogger(__name__).warning("could not close the self-test's %s", key, exc_info=True)


def _megabytes(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6


def check_files(state: dict[str, Any]) -> str:
    model = bundle.locate(bundle.CHAT_MODEL)
    from assistant.library.embedder import bundled_embedder_path

    embedder = bundled_embedder_path()
    bundle.locate(SAMPLE_PDF)
    return (
        f"chat model {_megabytes(model):.0f} MB, embedder {_megabytes(embedder):.0f} MB, resources in {bundle.root()}"
    )


def check_chat_model(state: dict[str, Any]) -> str:
    from assistant.config import ModelSettings
    from assistant.runtime.llama import LlamaRuntime

    settings = ModelSettings(context_length=1024, max_tokens=24, temperature=0.0)
    runtime = LlamaRuntime(bundle.locate(bundle.CHAT_MODEL), settings)
    state["runtime"] = runtime
    info = runtime.load()
    notice = f"; {info.notice}" if info.notice else ""
    return f"{info.model} on {info.backend}, {info.threads} threads{notice}"


def check_chat(state: dict[str, Any]) -> str:
    from assistant.agents.events import Token, stream_reply
    from assistant.runtime.types import ChatMessage

    runtime = state.get("runtime")
    if runtime is None or not runtime.loaded:
        raise Skipped("the chat model did not load")
    messages: list[ChatMessage] = [
        {"role": "system", "content": runtime.settings.system_prompt},
        {"role": "user", "content": CHAT_PROMPT},
    ]
    reply = "".join(
        event.text
        for event in stream_reply(runtime, messages, threading.Event())
        if isinstance(event, Token) and not event.reasoning
    ).strip()
    if not reply:
        raise RuntimeError("the model gave an empty reply")
    stats = runtime.last_stats
    speed = f", {stats.tokens} tokens at {stats.tokens_per_s:.0f} tokens/s" if stats else ""
    shown = reply if len(reply) <= 60 else reply[:57] + "..."
    return f'replied "{" ".join(shown.split())}"{speed}'


def check_embedding(state: dict[str, Any]) -> str:
    from assistant.library.embedder import Embedder

    embedder = Embedder()
    (vector,) = embedder.embed([SAMPLE_QUESTION])
    norm = math.sqrt(sum(x * x for x in vector))
    if len(vector) != 384 or abs(norm - 1.0) > 1e-3:
        raise RuntimeError(f"expected 384 numbers of length 1, got {len(vector)} of length {norm:.3f}")
    state["embedder"] = embedder
    return f"{len(vector)} dimensions on {embedder.device}"


def check_retrieval(state: dict[str, Any]) -> str:
    from assistant.library.indexer import Indexer
    from assistant.library.library import Library
    from assistant.library.retriever import search

    if "embedder" not in state:
        raise Skipped("the embedder did not load")
    document = state["folder"] / "documents" / Path(SAMPLE_PDF).name
    document.parent.mkdir()
    shutil.copyfile(bundle.locate(SAMPLE_PDF), document)
    library = Library(embedder=state["embedder"])
    state["library"] = library
    indexer = Indexer(library)
    indexer.add(document)
    failures = [p.error for p in indexer.sync() if p.status == "failed"]
    if failures:
        raise RuntimeError(f"indexing the sample PDF failed: {failures[0]}")
    sources = search(library, SAMPLE_QUESTION, top_k=2)
    if not sources:
        raise RuntimeError("the search found nothing in the sample PDF")
    best = sources[0]
    if best.page != SAMPLE_PAGE or "blue tin" not in best.text:
        raise RuntimeError(f"the best passage was page {best.page} ({best.text[:40]!r}), not page {SAMPLE_PAGE}")
    return f'"{SAMPLE_QUESTION}" found page {best.page} of {document.name}'


def check_offline(state: dict[str, Any]) -> str:
    if not network.installed():
        raise RuntimeError("the network guard is not installed")
    blocked = network.blocked_attempts()
    if blocked:
        raise RuntimeError(
            f"{len(blocked)} connection(s) outside this computer were attempted and blocked: {blocked[:3]}"
        )
    return "no connection outside this computer was attempted"


CHECKS: list[tuple[str, CheckFunction]] = [
    ("bundled files", check_files),
    ("chat model", check_chat_model),
    ("chat", check_chat),
    ("embedding", check_embedding),
    ("retrieval", check_retrieval),
]


def main(extra: Sequence[tuple[str, CheckFunction]] = ()) -> int:
    """Exit code 0 when every check passed, 1 otherwise. The offline check runs last."""
    checks = run([*extra, ("offline", check_offline)])
    if sys.stdout:  # None in a program without a console (Windows: use private-assistant-cli.exe)
        sys.stdout.flush()
    return 0 if all(c.ok for c in checks) else 1
