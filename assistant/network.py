"""The offline guarantee, enforced in-process.

``install()`` adds a Python audit hook that refuses every attempt to resolve or connect to anything but
loopback (and local Unix sockets). The only way past it is ``allow(host)``, which the escalation code
enters on its own thread for the one request the person approved; other threads stay blocked meanwhile.
So with no provider configured (the default), or with "offline only" switched on, the process cannot
reach the network at all, whatever a library tries (telemetry, update checks, remote images).

Audit hooks cannot be removed, so the guard stays for the life of the process once installed.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

log = logging.getLogger(__name__)

_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})


class NetworkBlocked(ConnectionRefusedError):
    """A connection the offline guarantee refused (an OSError, so libraries treat it as 'unreachable')."""


class _Guard:
    def __init__(self) -> None:
        self.installed = False
        self.lock = threading.Lock()
        self.allowed: dict[int, set[str]] = {}  # thread id -> hosts that thread may reach now
        self.blocked: list[str] = []
        self.offline_only = False

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not event.startswith("socket."):
            return
        if event == "socket.getaddrinfo" or event == "socket.gethostbyname":
            self.check_host(args[0], event)
        elif event in ("socket.connect", "socket.sendto"):
            sock, address = args[0], args[1]
            if getattr(sock, "family", None) in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
                self.check_address(str(address[0]), event)

    def check_host(self, host: object, event: str) -> None:
        if host is None:
            return
        name = host.decode("ascii", "replace") if isinstance(host, bytes | bytearray) else str(host)
        if is_loopback(name) or name.lower() in self.allowed.get(threading.get_ident(), set()):
            return
        self.refuse(name, event)

    def check_address(self, address: str, event: str) -> None:
        if is_loopback(address) or self.allowed.get(threading.get_ident()):
            return
        self.refuse(address, event)

    def refuse(self, target: str, event: str) -> None:
        with self.lock:
            self.blocked.append(target)
        raise NetworkBlocked(
            f"Private Assistant works offline: a connection to {target} was blocked ({event}). "
            "Only a cloud request you approve may leave this device."
        )


_guard = _Guard()


def is_loopback(host: str) -> bool:
    host = host.strip().strip("[]").lower()
    if host in _LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def install() -> None:
    """Refuse non-loopback connections from now on (idempotent)."""
    with _guard.lock:
        if _guard.installed:
            return
        sys.addaudithook(_guard.hook)
        _guard.installed = True
    log.info("network guard installed: loopback only, plus requests the person approves")


def installed() -> bool:
    return _guard.installed


def blocked_attempts() -> list[str]:
    with _guard.lock:
        return list(_guard.blocked)


def set_offline_only(offline: bool) -> None:
    """The settings switch: while on, ``allow`` refuses too, so nothing but loopback is ever reached."""
    _guard.offline_only = offline


def offline_only() -> bool:
    return _guard.offline_only


@contextmanager
def allow(host: str) -> Iterator[None]:
    """Let the current thread resolve ``host`` and connect for the duration of the block."""
    if _guard.offline_only and not is_loopback(host):
        raise NetworkBlocked(
            f"Offline only is switched on, so nothing was sent to {host}. Switch it off in Settings to use "
            "the cloud provider."
        )
    ident = threading.get_ident()
    with _guard.lock:
        previous = _guard.allowed.get(ident)
        _guard.allowed[ident] = (previous or set()) | {host.lower()}
    try:
        yield
    finally:
        with _guard.lock:
            if previous is None:
                _guard.allowed.pop(ident, None)
            else:
                _guard.allowed[ident] = previous
