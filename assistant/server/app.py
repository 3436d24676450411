"""The local server's HTTP side: OpenAI-compatible routes on Starlette, a bearer key on every request.

``GET /v1/models``, ``POST /v1/chat/completions`` (streamed by server-sent events or not, with
``usage``) and ``POST /v1/embeddings``. Model ids: each installed chat model, the library's
embedding model (e.g. ``all-MiniLM-L6-v2``), and ``documents:<collection>`` for answers from the
person's documents with their sources. Errors are OpenAI's JSON shape: 400 bad input, 401 wrong or
missing key, 404 unknown model or route, 413 body too large, 429 queue full (with ``Retry-After``).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.errors import AssistantError
from assistant.server import protocol
from assistant.server.protocol import BadRequest, ChatRequest
from assistant.server.service import Busy, Delta, Done, Job, Service

log = logging.getLogger(__name__)

MAX_BODY = 2 * 1024 * 1024  # bytes: far more text than any local model's context holds
DRAIN_LIMIT = 64 * 1024 * 1024  # a too-large body is read (and dropped) up to here, so the client sees the 413
SEARCH_TOP_K = 5


class TooLarge(Exception):
    pass


def error_response(status: int, message: str, kind: str, code: str | None = None, **headers: str) -> JSONResponse:
    return JSONResponse(protocol.error(message, kind, code), status_code=status, headers=headers or None)


class KeyCheck:
    """ASGI middleware: every HTTP request needs ``Authorization: Bearer <key>`` (compared in constant time)."""

    def __init__(self, app: ASGIApp, key: str) -> None:
        self.app = app
        self.key = key.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            header = dict(scope.get("headers") or []).get(b"authorization", b"")
            scheme, _, given = header.partition(b" ")
            if scheme.lower() != b"bearer" or not hmac.compare_digest(given.strip(), self.key):
                response = error_response(
                    401,
                    "Wrong or missing API key. Send 'Authorization: Bearer <key>' with the key Private Assistant "
                    "shows (Settings → Local server) or the one given to `serve --key`.",
                    "invalid_request_error",
                    "invalid_api_key",
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def read_json(request: Request, limit: int) -> Any:
    """The body as JSON; :class:`TooLarge` past ``limit`` bytes (after reading the rest, up to a cap)."""
    length = request.headers.get("content-length", "")
    too_large = length.isdigit() and int(length) > limit
    body = bytearray()
    received = 0
    async for piece in request.stream():
        received += len(piece)
        if received <= limit and not too_large:
            body += piece
        elif received > DRAIN_LIMIT:
            break
    too_large = too_large or received > limit
    if too_large:
        raise TooLarge
    try:
        return json.loads(bytes(body))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRequest(f"The request body is not valid JSON ({exc}).") from None


def build_app(service: Service, key: str, max_body: int = MAX_BODY) -> ASGIApp:
    """The ASGI application; ``key`` is required on every request."""

    async def library(fn: Callable[[Any], Any]) -> Any:
        return await asyncio.wrap_future(service.library(fn))

    async def embedder_ids() -> tuple[list[str], list[str]]:
        """The library's embedding model (its short name first, then its full id), and its collections."""

        def read(lib: Any) -> tuple[str, list[str]]:
            return lib.embedder.model_id, lib.manifest.collections()

        full, collections = await library(read)
        return [full.rsplit("/", 1)[-1], full], collections

    async def models(request: Request) -> Response:
        data = [protocol.model_entry(model_id) for model_id in service.host.ids()]
        try:
            ids, collections = await embedder_ids()
        except AssistantError as exc:  # e.g. another process holds the library: chat models only
            log.info("server: the library is not available: %s", exc)
        else:
            data.append(protocol.model_entry(ids[0]))
            data += [protocol.model_entry(protocol.DOCUMENTS_PREFIX + name) for name in collections]
        return JSONResponse({"object": "list", "data": data})

    async def chat(request: Request) -> Response:
        parsed = protocol.parse_chat(await read_json(request, max_body))
        if parsed.collection is not None:
            return await documents(request, parsed)
        if parsed.model not in service.host.ids():
            raise _unknown_model(parsed.model)
        return await respond(request, parsed, service.submit(service.chat(parsed)))

    async def documents(request: Request, parsed: ChatRequest) -> Response:
        collection = parsed.collection or ""

        def search(lib: Any) -> Any:
            from assistant.library.retriever import search

            if collection not in lib.manifest.collections():
                return None
            return search(lib, parsed.question, SEARCH_TOP_K, [collection]), lib.bundled_embedder().embed

        found = await library(search)
        if found is None:
            raise _unknown_model(parsed.model)
        sources, embed = found
        return await respond(request, parsed, service.submit(service.documents(parsed, sources, embed)))

    async def embeddings(request: Request) -> Response:
        parsed = protocol.parse_embeddings(await read_json(request, max_body))
        ids, _ = await embedder_ids()
        if parsed.model not in ids:
            raise _unknown_model(parsed.model, f"The embedding model here is '{ids[0]}'.")

        def embed(lib: Any) -> tuple[list[list[float]], int]:
            embedder = lib.embedder
            return embedder.embed(parsed.inputs, prefix=""), sum(embedder.count_tokens_many(parsed.inputs))

        vectors, tokens = await library(embed)
        return JSONResponse(protocol.embeddings(ids[0], vectors, parsed.base64, tokens))

    routes = [
        Route("/v1/models", models, methods=["GET"]),
        Route("/v1/chat/completions", _errors(chat), methods=["POST"]),
        Route("/v1/embeddings", _errors(embeddings), methods=["POST"]),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    return KeyCheck(app, key)


class UnknownModel(HTTPException):
    """404 for a model id (or documents collection) the server does not have."""


def _unknown_model(model: str, hint: str = "") -> UnknownModel:
    return UnknownModel(404, f"There is no model '{model}' here. {hint or 'GET /v1/models lists the ids.'}")


def _errors(endpoint: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    """Each failure as OpenAI's JSON error with the right status."""

    async def wrapped(request: Request) -> Response:
        try:
            return await endpoint(request)
        except TooLarge:
            return error_response(413, "The request body is too large for the local server.", "invalid_request_error")
        except BadRequest as exc:
            return JSONResponse(protocol.error(str(exc), param=exc.param), status_code=400)
        except Busy as exc:
            return error_response(429, str(exc), "rate_limit_error", "busy", **{"Retry-After": str(exc.retry_after)})
        except HTTPException:
            raise
        except AssistantError as exc:
            log.info("server: %s", exc)
            return error_response(500, str(exc), "server_error")
        except Exception as exc:
            log.exception("server: request failed")
            return error_response(500, f"The local server failed ({type(exc).__name__}).", "server_error")

    return wrapped


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if isinstance(exc, UnknownModel):
        return error_response(404, str(exc.detail), "invalid_request_error", "model_not_found")
    message = f"{request.method} {request.url.path}: {exc.detail}."  # an unknown route or method
    return error_response(exc.status_code, message, "invalid_request_error")


async def respond(request: Request, parsed: ChatRequest, job: Job) -> Response:
    if parsed.stream:
        return StreamingResponse(
            _stream(parsed, job), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
        )
    watcher = asyncio.create_task(_cancel_when_gone(request, job))
    try:
        stops = protocol.StopFilter(parsed.stop)
        text: list[str] = []
        done: Done | None = None
        async for event in job.events():
            if isinstance(event, Delta):
                text.append(stops.feed(event.text))
            elif isinstance(event, Done):
                done = event
    finally:
        watcher.cancel()
    assert done is not None
    reply = "".join(text) + stops.finish()
    finish = "stop" if stops.stopped else done.finish
    extra = _extra(done)
    if done.sources:
        reply += protocol.footnotes(done.sources)
    return JSONResponse(
        protocol.completion(
            protocol.new_id(),
            parsed.model,
            reply,
            finish,
            protocol.usage(done.prompt_tokens, done.completion_tokens),
            extra,
        )
    )


def _extra(done: Done) -> dict[str, Any]:
    """Fields beyond OpenAI's: the documents' sources and claims, and why the app stopped the model."""
    extra: dict[str, Any] = {}
    if done.sources:
        extra["sources"] = protocol.sources_json(done.sources)
        extra["claims"] = [
            {"text": c.text, "sources": c.sources, "supported": c.supported, "score": c.score} for c in done.claims
        ]
    if done.stopped:
        extra["stopped"] = done.stopped
    return extra


async def _cancel_when_gone(request: Request, job: Job) -> None:
    """Stops the job when the client disconnects before a (non-streamed) reply is ready."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            job.cancel.set()
            return


def _sse(value: Any) -> str:
    return f"data: {json.dumps(value, ensure_ascii=False)}\n\n"


async def _stream(parsed: ChatRequest, job: Job) -> AsyncIterator[str]:
    """Server-sent events; leaving early (the client disconnected) stops generation."""
    request_id, model = protocol.new_id(), parsed.model
    stops = protocol.StopFilter(parsed.stop)
    try:
        yield _sse(protocol.chunk(request_id, model, {"role": "assistant", "content": ""}))
        done: Done | None = None
        try:
            async for event in job.events():
                if isinstance(event, Delta):
                    shown = stops.feed(event.text)
                    if shown:
                        yield _sse(protocol.chunk(request_id, model, {"content": shown}))
                    if stops.stopped:
                        job.cancel.set()
                elif isinstance(event, Done):
                    done = event
        except Exception as exc:  # the status line is sent: the error goes in the stream
            log.info("server: streamed request failed: %s", exc, exc_info=not isinstance(exc, AssistantError))
            message = (
                str(exc) if isinstance(exc, AssistantError) else f"The local server failed ({type(exc).__name__})."
            )
            yield _sse(protocol.error(message, "server_error"))
            return
        assert done is not None
        rest = stops.finish() + (protocol.footnotes(done.sources) if done.sources else "")
        if rest:
            yield _sse(protocol.chunk(request_id, model, {"content": rest}))
        finish = "stop" if stops.stopped else done.finish
        yield _sse(protocol.chunk(request_id, model, {}, finish, **_extra(done)))
        if parsed.include_usage:
            tokens = protocol.usage(done.prompt_tokens, done.completion_tokens)
            yield _sse(protocol.chunk(request_id, model, None, usage=tokens))
        yield "data: [DONE]\n\n"
    finally:
        job.cancel.set()  # a no-op after a full reply; after a disconnect, generation stops at the next token
