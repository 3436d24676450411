"""The OpenAI wire format of the local server: requests read and checked, responses written.

Pure functions over JSON values, so every rule here has a unit test without a server. A request
that breaks a rule raises :class:`BadRequest` with a sentence that says what to change.
"""

from __future__ import annotations

import base64
import struct
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.library.documents import Source
from assistant.runtime.types import ChatMessage

DOCUMENTS_PREFIX = "documents:"
MAX_MESSAGES = 500
MAX_INPUTS = 512  # texts in one embeddings request
MAX_STOP = 4  # as OpenAI
ROLES = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant"}


class BadRequest(ValueError):
    """A request the server cannot serve as sent: answered with 400 and this message."""

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


@dataclass(frozen=True)
class ChatRequest:
    model: str
    messages: list[ChatMessage]
    stream: bool = False
    include_usage: bool = False
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    stop: list[str] = field(default_factory=list)

    @property
    def collection(self) -> str | None:
        """The collection a ``documents:<collection>`` model searches, else None."""
        return self.model[len(DOCUMENTS_PREFIX) :] if self.model.startswith(DOCUMENTS_PREFIX) else None

    @property
    def question(self) -> str:
        """The person's last message: what a documents model answers."""
        return next((m["content"] for m in reversed(self.messages) if m["role"] == "user"), "")


@dataclass(frozen=True)
class EmbeddingsRequest:
    model: str
    inputs: list[str]
    base64: bool = False


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object.")
    return body


def _model(body: dict[str, Any]) -> str:
    model = body.get("model")
    if not isinstance(model, str) or not model.strip():
        raise BadRequest("Name a model: 'model' must be one of the ids GET /v1/models lists.", "model")
    return model.strip()


def _number(body: dict[str, Any], name: str, low: float, high: float) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise BadRequest(f"'{name}' must be a number from {low:g} to {high:g}.", name)
    return float(value)


def _content(raw: Any, index: int) -> str:
    """A message's text: a string, or a list of text parts (images and audio are refused)."""
    if isinstance(raw, str):
        return raw
    if raw is None:
        return ""
    if isinstance(raw, list):
        texts = []
        for part in raw:
            if not isinstance(part, dict) or part.get("type") != "text" or not isinstance(part.get("text"), str):
                kind = part.get("type") if isinstance(part, dict) else type(part).__name__
                raise BadRequest(
                    f"messages[{index}]: only text parts can be read by a local model here, not '{kind}'.",
                    f"messages[{index}].content",
                )
            texts.append(part["text"])
        return "\n".join(texts)
    raise BadRequest(f"messages[{index}].content must be a string or a list of text parts.", "messages")


def parse_chat(body: Any) -> ChatRequest:
    body = _object(body)
    model = _model(body)
    raw = body.get("messages")
    if not isinstance(raw, list) or not raw:
        raise BadRequest("'messages' must be a non-empty list of {role, content} objects.", "messages")
    if len(raw) > MAX_MESSAGES:
        raise BadRequest(f"At most {MAX_MESSAGES} messages per request.", "messages")
    messages: list[ChatMessage] = []
    for index, message in enumerate(raw):
        if not isinstance(message, dict):
            raise BadRequest(f"messages[{index}] must be an object with 'role' and 'content'.", "messages")
        role = ROLES.get(str(message.get("role")))
        if role is None:
            raise BadRequest(
                f"messages[{index}].role must be system, developer, user or assistant "
                f"(tools are not supported), not {message.get('role')!r}.",
                "messages",
            )
        messages.append({"role": role, "content": _content(message.get("content"), index)})
    if not any(m["role"] == "user" for m in messages):
        raise BadRequest("'messages' needs at least one user message.", "messages")
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise BadRequest("'stream' must be true or false.", "stream")
    options = body.get("stream_options") or {}
    if not isinstance(options, dict):
        raise BadRequest("'stream_options' must be an object.", "stream_options")
    limit = body.get("max_completion_tokens", body.get("max_tokens"))
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise BadRequest("'max_tokens' must be a whole number of at least 1.", "max_tokens")
    n = body.get("n", 1)
    if n != 1:
        raise BadRequest("Only one choice per request ('n': 1) is supported.", "n")
    stop = body.get("stop") or []
    stop = [stop] if isinstance(stop, str) else stop
    if not isinstance(stop, list) or not all(isinstance(s, str) and s for s in stop) or len(stop) > MAX_STOP:
        raise BadRequest(f"'stop' must be a string or a list of up to {MAX_STOP} non-empty strings.", "stop")
    return ChatRequest(
        model=model,
        messages=messages,
        stream=stream,
        include_usage=bool(options.get("include_usage")),
        max_tokens=limit,
        temperature=_number(body, "temperature", 0.0, 2.0),
        top_p=_number(body, "top_p", 0.0, 1.0),
        stop=list(stop),
    )


def parse_embeddings(body: Any) -> EmbeddingsRequest:
    body = _object(body)
    model = _model(body)
    raw = body.get("input")
    inputs = [raw] if isinstance(raw, str) else raw
    if not isinstance(inputs, list) or not inputs or not all(isinstance(t, str) for t in inputs):
        raise BadRequest("'input' must be a string or a non-empty list of strings (not token ids).", "input")
    if len(inputs) > MAX_INPUTS:
        raise BadRequest(f"At most {MAX_INPUTS} texts per embeddings request.", "input")
    encoding = body.get("encoding_format") or "float"
    if encoding not in ("float", "base64"):
        raise BadRequest("'encoding_format' must be 'float' or 'base64'.", "encoding_format")
    if body.get("dimensions") is not None:
        raise BadRequest("'dimensions' cannot be changed: the embedding model has a fixed size.", "dimensions")
    return EmbeddingsRequest(model, list(inputs), encoding == "base64")


# -- responses ------------------------------------------------------------------------------------


def error(
    message: str, kind: str = "invalid_request_error", code: str | None = None, param: str | None = None
) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def new_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex[:24]}"


def usage(prompt: int, completion: int) -> dict[str, int]:
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def model_entry(model_id: str, owner: str = "private-assistant", created: int = 0) -> dict[str, Any]:
    return {"id": model_id, "object": "model", "created": created or int(time.time()), "owned_by": owner}


def sources_json(sources: Sequence[Source]) -> list[dict[str, Any]]:
    return [
        {
            "number": number,
            "path": source.path,
            "page": source.page,
            "headings": list(source.heading_path),
            "text": source.text,
            "score": round(source.score, 6),
        }
        for number, source in enumerate(sources, start=1)
    ]


def footnotes(sources: Sequence[Source]) -> str:
    """The sources under a documents answer, as its ``[n]`` citations number them."""
    if not sources:
        return ""
    lines = []
    for number, source in enumerate(sources, start=1):
        page = f", page {source.page}" if source.page else ""
        lines.append(f"[{number}] {Path(source.path).name}{page} ({source.path})")
    return "\n\nSources:\n" + "\n".join(lines)


def completion(
    request_id: str,
    model: str,
    text: str,
    finish: str,
    tokens: dict[str, int],
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "id": request_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish, "logprobs": None}
        ],
        "usage": tokens,
        **(extra or {}),
    }


def chunk(
    request_id: str, model: str, delta: dict[str, Any] | None, finish: str | None = None, **extra: Any
) -> dict[str, Any]:
    """One streamed ``chat.completion.chunk``; ``delta=None`` gives the usage chunk (no choices)."""
    choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}]
    return {
        "id": request_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": choices,
        **extra,
    }


def encode_vector(vector: Sequence[float], as_base64: bool) -> list[float] | str:
    """A vector as JSON floats, or as OpenAI's base64 of little-endian float32 (the openai SDK's default)."""
    if not as_base64:
        return [float(v) for v in vector]
    return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode("ascii")


def embeddings(model: str, vectors: Sequence[Sequence[float]], as_base64: bool, tokens: int) -> dict[str, Any]:
    return {
        "object": "list",
        "model": model,
        "data": [
            {"object": "embedding", "index": i, "embedding": encode_vector(v, as_base64)} for i, v in enumerate(vectors)
        ],
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }


def cut_at_stop(text: str, stops: Sequence[str]) -> tuple[str, bool]:
    """``text`` up to the first stop sequence, and whether one was found."""
    cuts = [text.find(s) for s in stops if s in text]
    return (text[: min(cuts)], True) if cuts else (text, False)


class StopFilter:
    """Streams text while holding back what could be the start of a stop sequence."""

    def __init__(self, stops: Sequence[str]) -> None:
        self.stops = list(stops)
        self.hold = max((len(s) for s in self.stops), default=1) - 1
        self.pending = ""
        self.stopped = False

    def feed(self, text: str) -> str:
        """What may be sent now; after a stop sequence, nothing more."""
        if self.stopped:
            return ""
        if not self.stops:
            return text
        self.pending += text
        kept, self.stopped = cut_at_stop(self.pending, self.stops)
        if self.stopped:
            self.pending = ""
            return kept
        cut = len(self.pending) - self.hold
        if cut <= 0:
            return ""
        shown, self.pending = self.pending[:cut], self.pending[cut:]
        return shown

    def finish(self) -> str:
        rest, self.pending = ("" if self.stopped else self.pending), ""
        return rest
