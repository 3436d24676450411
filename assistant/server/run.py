"""Runs the local server with uvicorn: in the foreground (``serve``) or on a thread (the window)."""

from __future__ import annotations

import contextlib
import errno
import logging
import socket
import threading
import time
from typing import Any

from assistant import network
from assistant.errors import AssistantError
from assistant.server.app import MAX_BODY, build_app
from assistant.server.service import Service

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, or a sentence saying why it cannot be had."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as exc:
        raise AssistantError(f"'{host}' is not an address of this computer ({exc}). Use 127.0.0.1.") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        if hasattr(socket, "SO_REUSEADDR") and not hasattr(socket, "SO_EXCLUSIVEADDRUSE"):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(64)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise AssistantError(
                f"Port {port} is already in use on {host}: another program (or another Private Assistant) "
                "is listening there. Choose another port."
            ) from None
        raise AssistantError(f"The server cannot listen on {host}:{port} ({exc.strerror or exc}).") from None
    return sock


class LocalServer:
    """One server: ``run()`` blocks until :meth:`stop`; ``start()`` runs it on a thread."""

    def __init__(
        self, service: Service, key: str, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, max_body: int = MAX_BODY
    ) -> None:
        import uvicorn

        self.service = service
        self.host = host
        self.loopback = network.is_loopback(host)
        # A typed address that is not loopback: the guard lets this thread look it up to listen on it.
        with self._allowed():
            self.socket = bind(host, port)
        self.port = int(self.socket.getsockname()[1])
        config = uvicorn.Config(
            build_app(service, key, max_body),
            log_level="warning",
            access_log=False,
            lifespan="off",
            loop="asyncio",
            http="h11",
            timeout_graceful_shutdown=3,
        )
        self._server: Any = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/v1"

    def _allowed(self) -> contextlib.AbstractContextManager[None]:
        return contextlib.nullcontext() if self.loopback else network.allow(self.host)

    def run(self) -> None:
        try:
            self._server.run(sockets=[self.socket])
        finally:
            self.service.stop()
            self.socket.close()

    def start(self, timeout: float = 30.0) -> None:
        self._thread = threading.Thread(target=self.run, name="local-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise AssistantError("The local server did not start. Details are in the log file.")
            time.sleep(0.02)
        log.info("local server on %s", self.base_url)

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(10)
