"""The offline guarantee, enforced in-process.

``install()`` adds a Python audit hook that sees every name lookup, connect and addressed send made
through Python's ``socket`` module, and refuses all of them except:

- Unix-domain sockets (multiprocessing, local IPC);
- loopback ports this process owns: a socket it bound itself (a server it runs), or a port named with
  ``allow_local_port`` (a server it started in a child process). Other loopback ports stay closed, so a
  proxy or DNS stub on 127.0.0.1 cannot carry traffic anywhere;
- inside ``allow(host)``, on that thread only: the addresses ``host`` resolves to (looked up when the
  thread first connects, and again if it meets an address it does not know), never any other address.
  The escalation and download code enter it for the one request the person approved.

``install()`` also forces the Hugging Face offline switches and clears proxy settings from the
environment, so this process and the processes it starts neither look anything up on the hub nor
route through a proxy. With "offline only" switched on, ``allow`` refuses too.

What it cannot see: native code that opens sockets without Python (a C library's own networking),
and other processes unless they install it too (the document parser's child does). README, "What the
offline guard covers", lists each path and the test that holds it. Audit hooks cannot be removed,
so the guard stays for the life of the process once installed.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import sys
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_IP_FAMILIES = (socket.AF_INET, socket.AF_INET6)
# Families that reach other machines without an IP address; the guard refuses to create them.
_OTHER_NETWORKS = frozenset(
    getattr(socket, name)
    for name in ("AF_PACKET", "AF_BLUETOOTH", "AF_CAN", "AF_TIPC", "AF_RDS", "AF_VSOCK")
    if hasattr(socket, name)
)
_LOOKUPS = ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr")
_SENDS = ("socket.connect", "socket.sendto", "socket.sendmsg")
OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    # onnxruntime 1.29+ starts an uploader on import that, about eight seconds later, resolves and calls
    # mobile.events.data.microsoft.com from native code (past this guard) and keeps a device id in
    # ~/.cache/Microsoft; the variable, read when onnxruntime starts, turns all of that off.
    "ORT_DISABLE_TELEMETRY": "1",
}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class NetworkBlocked(ConnectionRefusedError):
    """A connection the offline guarantee refused (an OSError, so libraries treat it as 'unreachable')."""


@dataclass(eq=False)
class _Grant:
    """One ``allow(host)`` on one thread: the host, its port if given, and the addresses it resolved to."""

    host: str
    port: int | None
    addresses: set[IPAddress] = field(default_factory=set)

    def resolve(self) -> None:
        literal = _ip(self.host)
        if literal is not None:
            self.addresses.add(literal)
            return
        try:  # the hook lets this lookup through: the name is allowed on this thread
            infos = socket.getaddrinfo(self.host, self.port, proto=socket.IPPROTO_TCP)
        except OSError:
            return
        for info in infos:
            address = _ip(str(info[4][0]))
            if address is not None:
                self.addresses.add(address)


class _Guard:
    def __init__(self) -> None:
        self.installed = False
        self.lock = threading.Lock()
        self.allowed: dict[int, list[_Grant]] = {}  # thread id -> what that thread may reach now
        self.local_ports: set[int] = set()  # loopback ports of servers this app started
        self.bound: weakref.WeakSet[socket.socket] = weakref.WeakSet()  # IP sockets this process bound
        self.blocked: list[str] = []
        self.offline_only = False

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if not event.startswith("socket."):
            return
        if event in _LOOKUPS:
            self.check_name(args[0], event)
        elif event == "socket.getnameinfo":
            if isinstance(args[0], tuple) and args[0]:
                self.check_name(args[0][0], event)
        elif event in _SENDS:
            sock, address = args[0], args[1]
            if getattr(sock, "family", None) in _IP_FAMILIES and isinstance(address, tuple) and len(address) >= 2:
                self.check_endpoint(address[0], address[1], event)
        elif event == "socket.bind":
            if getattr(args[0], "family", None) in _IP_FAMILIES:
                with self.lock, suppress(TypeError):  # a bare _socket.socket cannot be weakly referenced
                    self.bound.add(args[0])
        elif event == "socket.__new__" and args[1] in _OTHER_NETWORKS:
            self.refuse(f"a socket of family {args[1]}", event)

    def grants(self) -> list[_Grant]:
        with self.lock:
            return list(self.allowed.get(threading.get_ident(), ()))

    def check_name(self, host: object, event: str) -> None:
        """A lookup: loopback names and addresses, and the hosts allowed on this thread, only."""
        if host is None:
            return
        name = _text(host)
        address = _ip(name)
        if _is_local(name) or (address is not None and address.is_unspecified):
            return  # answered on this machine
        for grant in self.grants():
            if name == grant.host or (address is not None and address in grant.addresses):
                return
        self.refuse(name, event)

    def check_endpoint(self, host: object, port: object, event: str) -> None:
        """A connect or an addressed send: see the module docstring for what passes."""
        name = _text(host)
        number = port if isinstance(port, int) else None
        address = _ip(name)
        local = _is_local(name) or (address is not None and address.is_unspecified)
        if local and number is not None and self.owns(address, number):
            return
        for grant in self.grants():
            if grant.port is not None and number != grant.port:
                continue
            if address is None:  # connect(("name", port)) resolves inside C: the name must be the allowed one
                if name == grant.host:
                    return
                continue
            if address not in grant.addresses:
                grant.resolve()  # first connect, or the name now resolves elsewhere (round-robin DNS)
            if address in grant.addresses:
                return
        self.refuse(f"{name}:{port}" if local else name, event)

    def owns(self, address: IPAddress | None, port: int) -> bool:
        """Whether loopback ``port`` belongs to this app: allowed by name, or bound by a live socket here."""
        with self.lock:
            if port in self.local_ports:
                return True
            sockets = list(self.bound)
        for sock in sockets:
            try:
                bound_host, bound_port = sock.getsockname()[:2]
            except OSError:  # closed since: the port may belong to someone else now
                continue
            mine = _ip(str(bound_host))
            if bound_port == port and (mine is None or mine.is_unspecified or address is None or mine == address):
                return True
        return False

    def refuse(self, target: str, event: str) -> None:
        with self.lock:
            self.blocked.append(target)
        raise NetworkBlocked(
            f"Private Assistant works offline: a connection to {target} was blocked ({event}). "
            "Only a cloud request you approve may leave this device."
        )


_guard = _Guard()


def _text(host: object) -> str:
    name = host.decode("ascii", "replace") if isinstance(host, bytes | bytearray) else str(host)
    return name.strip().strip("[]").rstrip(".").lower()


def _ip(host: str) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_local(host: str) -> bool:
    if host in _LOCAL_NAMES or host.endswith(".localhost"):
        return True
    address = _ip(host)
    return address is not None and address.is_loopback


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine's loopback interface (``localhost``, 127.0.0.0/8, ``::1``)."""
    return _is_local(_text(host))


def force_offline_environment() -> None:
    """Force the hub's offline switches on and drop every proxy setting, for this process and its children.

    Proxy variables (``HTTPS_PROXY``, ``http_proxy``, ``ALL_PROXY`` … in either case) are removed and
    ``NO_PROXY=*`` set, so urllib, httpx and requests go direct (with ``NO_PROXY`` set they also skip
    the macOS and Windows system proxy settings).
    """
    for name in list(os.environ):
        if name.lower().endswith("_proxy") and name.lower() != "no_proxy":
            del os.environ[name]
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "*"
    os.environ.update(OFFLINE_ENVIRONMENT)
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None:  # imported before: it read the variable at import time
        setattr(constants, "HF_HUB_OFFLINE", True)  # noqa: B010 - a module attribute mypy cannot see


def install() -> None:
    """Refuse every connection but the ones the module docstring lists, from now on (idempotent).

    Call it first thing in any process of the app (the window, the CLI, the document parser's child);
    it takes no arguments and needs nothing set up before it.
    """
    force_offline_environment()
    with _guard.lock:
        if _guard.installed:
            return
        sys.addaudithook(_guard.hook)
        _guard.installed = True
    log.info("network guard installed: own loopback servers only, plus requests the person approves")


def installed() -> bool:
    return _guard.installed


def blocked_attempts() -> list[str]:
    with _guard.lock:
        return list(_guard.blocked)


def allow_local_port(port: int) -> None:
    """Let every thread reach loopback ``port``: a local server this app started (in a child process)."""
    with _guard.lock:
        _guard.local_ports.add(int(port))


def forget_local_port(port: int) -> None:
    """The server on ``port`` stopped: loopback ``port`` is refused again."""
    with _guard.lock:
        _guard.local_ports.discard(int(port))


def set_offline_only(offline: bool) -> None:
    """The settings switch: while on, ``allow`` refuses too, so nothing leaves the device."""
    _guard.offline_only = offline


def offline_only() -> bool:
    return _guard.offline_only


@contextmanager
def allow(host: str, port: int | None = None) -> Iterator[None]:
    """Let the current thread resolve ``host`` and reach the addresses it resolves to (on ``port`` if given)."""
    if _guard.offline_only and not is_loopback(host):
        raise NetworkBlocked(
            f"Offline only is switched on, so nothing was sent to {host}. Switch it off in Settings to use "
            "the cloud provider."
        )
    ident = threading.get_ident()
    grant = _Grant(_text(host), port)
    with _guard.lock:
        _guard.allowed.setdefault(ident, []).append(grant)
    try:
        yield
    finally:
        with _guard.lock:
            grants = _guard.allowed.get(ident, [])
            if grant in grants:
                grants.remove(grant)
            if not grants:
                _guard.allowed.pop(ident, None)
