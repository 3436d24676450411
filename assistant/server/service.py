"""The work behind the local server: one thread owns the model, requests wait their turn in a short queue.

The HTTP side (:mod:`assistant.server.app`) is asynchronous; the model and the library are not. A
:class:`Job` carries one request's events from the thread that makes them to the event loop that
sends them, and its ``cancel`` event stops generation between tokens when the client goes away.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import logging
import queue
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from assistant.library.documents import Source
    from assistant.library.library import Library
    from assistant.runtime.registry import ModelRegistry
    from assistant.server.protocol import ChatRequest

log = logging.getLogger(__name__)

T = TypeVar("T")
LibraryCall = Callable[[Callable[["Library"], Any]], "concurrent.futures.Future[Any]"]
"""Runs a function with the library on the thread that owns it; the future holds its result."""

_END = object()


class Busy(Exception):
    """The queue is full: answered with 429 and ``Retry-After``."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"The local model is busy with other requests. Try again in {retry_after} s.")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Delta:
    """Text of the reply, in order."""

    text: str


@dataclass(frozen=True)
class Done:
    """The end of a reply: why it ended, its token counts, and (documents) its sources and claims."""

    finish: str  # "stop" or "length"
    prompt_tokens: int
    completion_tokens: int
    stopped: str = ""  # "repetition" when the loop guard ended it
    sources: tuple[Any, ...] = ()
    claims: tuple[Any, ...] = ()


@dataclass
class _Failure:
    error: BaseException


class Job:
    """One request's work on a lane; its events arrive on the event loop through :meth:`events`."""

    def __init__(self, work: Callable[[threading.Event], Iterator[Any]], loop: asyncio.AbstractEventLoop) -> None:
        self.work = work
        self.loop = loop
        self.cancel = threading.Event()
        self.queue: asyncio.Queue[Any] = asyncio.Queue()

    def _put(self, item: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the event loop closed: the server is stopping
            self.loop.call_soon_threadsafe(self.queue.put_nowait, item)

    def run(self) -> None:
        try:
            if self.cancel.is_set():
                return  # the client left while it waited
            for event in self.work(self.cancel):
                self._put(event)
        except Exception as exc:  # noqa: BLE001 - delivered to the request, which answers with it
            self._put(_Failure(exc))
        finally:
            self._put(_END)

    async def events(self) -> AsyncIterator[Any]:
        """The job's events; text that piled up while the last piece was being sent comes as one :class:`Delta`."""
        held: Any = None
        while True:
            item, held = (held if held is not None else await self.queue.get()), None
            if item is _END:
                return
            if isinstance(item, _Failure):
                raise item.error
            if isinstance(item, Delta):
                texts = [item.text]
                while not self.queue.empty():
                    after = self.queue.get_nowait()
                    if not isinstance(after, Delta):
                        held = after
                        break
                    texts.append(after.text)
                item = Delta("".join(texts))
            yield item


class Lane:
    """A thread that runs jobs one at a time; at most ``waiting`` more may wait (else :class:`Busy`)."""

    def __init__(self, name: str, waiting: int) -> None:
        self.waiting = waiting
        self._jobs: queue.Queue[Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._pending = 0  # running + waiting
        self._seconds = 5.0  # a running average of how long a job takes, for Retry-After
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, job: Job) -> Job:
        with self._lock:
            if self._pending > self.waiting:
                raise Busy(max(1, round(self._pending * self._seconds)))
            self._pending += 1
        self._jobs.put(job)
        return job

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            started = time.monotonic()
            try:
                job.run()
            finally:
                with self._lock:
                    self._pending -= 1
                    self._seconds = 0.7 * self._seconds + 0.3 * (time.monotonic() - started)

    def stop(self) -> None:
        self._jobs.put(None)


class ModelHost:
    """The loaded chat model, on the model lane's thread only: one at a time, loaded when first asked for."""

    def __init__(self, registry: ModelRegistry | None = None) -> None:
        from assistant.runtime.registry import ModelRegistry

        self.registry = registry or ModelRegistry()
        self._loaded: tuple[str, Any] | None = None

    def ids(self) -> list[str]:
        return [m.id for m in self.registry.models()]

    def runtime(self, model_id: str | None) -> Any:
        """The runtime of installed ``model_id`` (None: the default model), loaded."""
        from assistant.config import load_settings
        from assistant.runtime.loader import choose_model, open_runtime

        settings = load_settings()
        if model_id is None:
            choice = choose_model(settings)
            model, model_settings = choice.model, choice.settings
        else:
            model = self.registry.get(model_id)
            model_settings = model.settings(settings.model)
        if self._loaded is not None and self._loaded[0] == model.id:
            return self._loaded[1]
        self.close()
        assert model_settings.path is not None
        runtime = open_runtime(Path(model_settings.path), model_settings)
        runtime.load()
        log.info("server: loaded %s", model.id)
        self._loaded = (model.id, runtime)
        return runtime

    def close(self) -> None:
        if self._loaded is not None:
            with contextlib.suppress(Exception):
                self._loaded[1].close()
            self._loaded = None


@contextlib.contextmanager
def request_options(runtime: Any, request: ChatRequest) -> Iterator[int]:
    """The request's max_tokens, temperature and top_p in effect for one reply; yields the token limit."""
    settings = runtime.settings
    saved = (settings.max_tokens, runtime.sampling)
    if request.max_tokens is not None:
        settings.max_tokens = request.max_tokens
    changes = {k: v for k, v in (("temperature", request.temperature), ("top_p", request.top_p)) if v is not None}
    if changes and runtime.sampling is not None:
        runtime.sampling = dataclasses.replace(
            runtime.sampling, values=dataclasses.replace(runtime.sampling.values, **changes)
        )
    try:
        yield settings.max_tokens
    finally:
        settings.max_tokens, runtime.sampling = saved


@dataclass
class Service:
    """What the HTTP side calls: the model lane, the model host, and the library (through ``library``).

    Args:
        library: runs a function with the library where it lives (its own thread for ``serve``, the
            window's library thread inside the window).
        waiting: requests that may wait for the model while one runs; more get 429.
    """

    library: LibraryCall
    waiting: int = 4
    host: ModelHost = field(default_factory=ModelHost)

    def __post_init__(self) -> None:
        self.lane = Lane("server-model", self.waiting)

    def submit(self, work: Callable[[threading.Event], Iterator[Any]]) -> Job:
        return self.lane.submit(Job(work, asyncio.get_running_loop()))

    def chat(self, request: ChatRequest) -> Callable[[threading.Event], Iterator[Any]]:
        """The work of a chat completion with an installed model."""

        def work(cancel: threading.Event) -> Iterator[Any]:
            from assistant.agents.events import Stopped, Token, stream_reply

            runtime = self.host.runtime(request.model)
            with request_options(runtime, request) as limit:
                stopped = ""
                for event in stream_reply(runtime, request.messages, cancel):
                    if isinstance(event, Token) and not event.reasoning:
                        yield Delta(event.text)
                    elif isinstance(event, Stopped):
                        stopped = event.reason
            yield self._done(runtime, limit, cancel, stopped)

        return work

    def documents(
        self, request: ChatRequest, sources: Sequence[Source], embed: Callable[..., Any]
    ) -> Callable[[threading.Event], Iterator[Any]]:
        """The work of a documents answer: the default model over ``sources``, checked against them."""

        def work(cancel: threading.Event) -> Iterator[Any]:
            from assistant.agents.qa import Answer, answer

            runtime = self.host.runtime(None)
            before = runtime.last_stats
            with request_options(runtime, request) as limit:
                for event in answer(runtime, request.question, sources, cancel, embed=embed):
                    if isinstance(event, Answer):
                        yield Delta(event.text)
                        generated = runtime.last_stats is not before  # no passage good enough: no generation
                        done = self._done(runtime, limit, cancel, event.stopped, generated)
                        yield dataclasses.replace(done, sources=tuple(event.sources), claims=tuple(event.claims))

        return work

    @staticmethod
    def _done(runtime: Any, limit: int, cancel: threading.Event, stopped: str, generated: bool = True) -> Done:
        stats = runtime.last_stats if generated else None
        tokens = stats.tokens if stats else 0
        if cancel.is_set():
            log.info("server: the client went away; generation stopped after %d tokens", tokens)
        return Done(
            finish="length" if tokens >= limit else "stop",
            prompt_tokens=stats.prompt_tokens if stats else 0,
            completion_tokens=tokens,
            stopped=stopped,
        )

    def stop(self) -> None:
        self.lane.stop()


class OwnLibrary:
    """The library on a thread of its own, for ``serve`` (the window passes its library thread instead)."""

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="server-library")
        self._library: Library | None = None

    def _open(self) -> Library:
        if self._library is None:
            from assistant.library.library import Library

            self._library = Library(self._folder)
        return self._library

    def __call__(self, fn: Callable[[Library], T]) -> concurrent.futures.Future[T]:
        return self._pool.submit(lambda: fn(self._open()))

    def close(self) -> None:
        def close() -> None:
            if self._library is not None:
                self._library.close()
                self._library = None

        with contextlib.suppress(RuntimeError):
            self._pool.submit(close).result(timeout=30)
        self._pool.shutdown(wait=False)
