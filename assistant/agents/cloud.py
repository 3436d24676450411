"""Send one approved request to an OpenAI-compatible provider and stream the reply back, restored.

The ``openai`` SDK does the HTTP and the streaming; underneath it sits :class:`ApprovedTransport`, which
lets exactly one request through: a POST to the approved URL whose body is byte-for-byte the approved
payload, with a fixed set of headers. Anything else raises before a byte is written. Every attempt is
recorded in the audit log, and placeholders in the reply are put back locally as it streams.

The HTTP client ignores the environment (``trust_env=False``): no proxy variables (``HTTPS_PROXY``,
``ALL_PROXY``), no ``.netrc``, no ``SSL_CERT_FILE`` can route or open the request elsewhere. The provider's
address must be https unless it is on this computer (``escalation.check_base_url``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx2
import openai
from openai import Stream
from openai.types.chat import ChatCompletionChunk

from assistant import network
from assistant.agents.audit import AuditLog
from assistant.agents.escalation import USER_AGENT, ApprovedRequest, ProviderAddressError, check_base_url
from assistant.agents.events import Token
from assistant.errors import AssistantError

log = logging.getLogger(__name__)

# Headers that go out; the SDK's platform fingerprint (x-stainless-*) and anything else is dropped.
SENT_HEADERS = ("host", "accept", "accept-encoding", "connection", "content-type", "content-length", "authorization")


class CloudError(AssistantError):
    """The provider could not be reached or refused the request; the local answer is unchanged."""


class RequestNotApproved(CloudError):
    """Something tried to send a request other than the one the person approved."""


@dataclass(frozen=True)
class CloudDone:
    text: str
    prompt_tokens: int | None
    completion_tokens: int | None
    stopped: bool


class ApprovedTransport(httpx2.BaseTransport):
    """Lets exactly the approved request through, once."""

    def __init__(self, approved: ApprovedRequest, inner: httpx2.BaseTransport | None = None) -> None:
        self._approved = approved
        self._inner = inner or httpx2.HTTPTransport(trust_env=False)
        self._lock = threading.Lock()
        self.used = False
        self.reached = False  # True once the provider answered (so the bytes left this device)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        with self._lock:
            if self.used:
                raise RequestNotApproved("An approved request is sent once only; nothing more was sent.")
            self.used = True
        body = request.read()
        if request.method != "POST" or str(request.url) != self._approved.provider.url:
            raise RequestNotApproved(f"Refused to send to {request.url}: it is not the approved address.")
        if body != self._approved.payload:
            raise RequestNotApproved("Refused to send: the request body differs from the one you approved.")
        for name in list(request.headers.keys()):
            if name.lower() not in SENT_HEADERS:
                del request.headers[name]
        request.headers["user-agent"] = USER_AGENT
        response = self._inner.handle_request(request)
        self.reached = True
        return response

    def close(self) -> None:
        self._inner.close()


def send(
    approved: ApprovedRequest,
    key: str | None,
    audit: AuditLog,
    cancel: threading.Event | None = None,
    *,
    timeout: float = 120.0,
    inner: httpx2.BaseTransport | None = None,
) -> Iterator[Token | CloudDone]:
    """Send the approved request; yield the reply as it streams (placeholders restored), then CloudDone."""
    provider = approved.provider
    try:
        check_base_url(provider.base_url)
    except ProviderAddressError as exc:
        raise CloudError(str(exc)) from None
    if not key:
        raise CloudError(
            f"There is no API key for {provider.name} at {provider.key_account}. Add one in Settings → Cloud "
            "provider (a key belongs to one address: after changing the base URL, save the key again)."
        )
    transport = ApprovedTransport(approved, inner)
    client = build_client(provider.base_url, key, transport, timeout)
    entry = audit.start(
        provider=provider.name,
        base_url=provider.base_url,
        model=provider.model,
        sha256=approved.sha256,
        size=len(approved.payload),
        redactions=approved.placeholders,
    )
    restorer = approved.restorer()
    parts: list[str] = []
    usage: tuple[int | None, int | None] = (None, None)
    stopped = False
    chunks = 0
    try:
        where = urlsplit(provider.base_url)
        port = where.port or (443 if where.scheme == "https" else 80)
        with network.allow(where.hostname or "", port):  # that host's addresses, that port only
            stream = client.post(
                "/chat/completions",
                cast_to=ChatCompletionChunk,
                content=approved.payload,
                options={"headers": {"Content-Type": "application/json"}},
                stream=True,
                stream_cls=Stream[ChatCompletionChunk],
            )
            with stream:
                for chunk in stream:
                    if chunk.usage is not None:
                        usage = (chunk.usage.prompt_tokens, chunk.usage.completion_tokens)
                    delta = chunk.choices[0].delta.content if chunk.choices else None
                    if delta:
                        chunks += 1
                        shown = restorer.feed(delta)
                        parts.append(shown)
                        if shown:
                            yield Token(shown)
                    if cancel is not None and cancel.is_set():
                        stopped = True
                        break
        tail = restorer.flush()
        if tail:
            parts.append(tail)
            yield Token(tail)
    except (openai.OpenAIError, network.NetworkBlocked) as exc:
        error = _explain(exc, provider.name, provider.base_url, transport.reached)
        status = "refused" if transport.reached else "not sent"  # a refusal by our transport never reaches it
        audit.finish(entry, status, detail=str(error))
        log.warning("cloud request %s: %s", status, type(exc).__name__)
        raise error from None
    except BaseException:
        audit.finish(entry, "failed", detail="interrupted")
        raise
    finally:
        client.close()
    text = "".join(parts)
    prompt_tokens, completion_tokens = usage
    detail = ""
    if prompt_tokens is None or completion_tokens is None:  # the provider did not report usage
        prompt_tokens = prompt_tokens if prompt_tokens is not None else approved.estimated_prompt_tokens
        completion_tokens = completion_tokens if completion_tokens is not None else chunks
        detail = "token counts estimated (the provider did not report usage)"
    audit.finish(
        entry,
        "stopped" if stopped else "completed",
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens,
        detail=detail,
    )
    yield CloudDone(text, prompt_tokens, completion_tokens, stopped)


def build_client(base_url: str, key: str, transport: httpx2.BaseTransport, timeout: float) -> openai.OpenAI:
    """The SDK client over ``transport``; the environment (proxies, netrc, CA bundle variables) is ignored."""
    return openai.OpenAI(
        base_url=base_url,
        api_key=key,
        organization=None,
        project=None,
        max_retries=0,
        timeout=httpx2.Timeout(timeout, connect=15.0),
        http_client=httpx2.Client(transport=transport, trust_env=False),
    )


def _explain(exc: BaseException, name: str, base_url: str, reached: bool) -> CloudError:
    # The SDK wraps what our transport or the network guard raised in an APIConnectionError.
    cause = exc.__cause__ or exc.__context__
    if isinstance(exc, network.NetworkBlocked):
        return CloudError(str(exc))
    if isinstance(cause, network.NetworkBlocked):
        return CloudError(str(cause))
    if isinstance(cause, RequestNotApproved):
        return cause
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return CloudError(
            f"{name} refused the API key ({exc.status_code}). Check the key in Settings → Cloud provider. "
            "Your local answer is unchanged."
        )
    if isinstance(exc, openai.NotFoundError):
        return CloudError(
            f"{name} answered 404 (not found). Check the base URL (it usually ends in /v1) and the model name."
        )
    if isinstance(exc, openai.RateLimitError):
        return CloudError(f"{name} says the rate limit or quota is used up (429). Try again later.")
    if isinstance(exc, openai.APITimeoutError):
        return CloudError(f"{name} did not answer in time. Try again, or check {base_url}.")
    if isinstance(exc, openai.APIConnectionError) and reached:
        return CloudError(f"The connection to {base_url} broke during the reply. Your local answer is unchanged.")
    if isinstance(exc, openai.APIConnectionError):
        return CloudError(
            f"Could not reach {base_url}, so nothing was sent. Check the address and your connection. "
            "Your local answer is unchanged."
        )
    if isinstance(exc, openai.APIStatusError):
        return CloudError(f"{name} answered with an error ({exc.status_code}): {str(exc.message)[:200]}")
    return CloudError(f"The cloud request failed ({type(exc).__name__}). Your local answer is unchanged.")
