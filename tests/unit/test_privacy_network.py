"""The offline guard, one socket path at a time, against real sockets and a real process listening on loopback.

The listener runs in another process, as a local proxy or DNS stub would: it records every TCP
connection and UDP datagram that reaches it, so "refused" means nothing arrived there.
"""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import network
from assistant.errors import DownloadError
from assistant.runtime.download import download

LISTENER = r"""
import socket, sys, threading
tcp = socket.socket()
tcp.bind(("127.0.0.1", 0))
tcp.listen()
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", 0))
print(tcp.getsockname()[1], udp.getsockname()[1], flush=True)
lock = threading.Lock()

def report(kind, data):
    with lock:  # one line per arrival, never two threads' words in one line
        sys.stdout.write(f"{kind} {data[:40]!r}\n")
        sys.stdout.flush()

def datagrams():
    while True:
        data, _ = udp.recvfrom(65536)
        report("udp", data)

threading.Thread(target=datagrams, daemon=True).start()
while True:
    conn, _ = tcp.accept()
    conn.settimeout(1)
    try:
        data = conn.recv(40)
    except OSError:
        data = b""
    report("tcp", data)
    conn.close()
"""
SENTINEL = b"sentinel"


class Listener:
    """A process on loopback (think: a proxy on 127.0.0.1:3128) that records what reaches it."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", LISTENER], stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        tcp, udp = self.proc.stdout.readline().split()
        self.tcp, self.udp = int(tcp), int(udp)
        self.lines: queue.Queue[str] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())

    def hits(self) -> list[str]:
        """Everything that reached it so far: a TCP and a UDP sentinel, sent on an allowed path, mark the end."""
        network.allow_local_port(self.tcp)
        network.allow_local_port(self.udp)
        try:
            with socket.create_connection(("127.0.0.1", self.tcp), timeout=5) as conn:
                conn.sendall(SENTINEL)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
                udp.sendto(SENTINEL, ("127.0.0.1", self.udp))
        finally:
            network.forget_local_port(self.tcp)
            network.forget_local_port(self.udp)
        seen: list[str] = []
        sentinels = 0
        while sentinels < 2:
            try:
                line = self.lines.get(timeout=30)
            except queue.Empty:
                pytest.fail(f"the listener did not report the sentinels (exit code {self.proc.poll()}); saw {seen}")
            if repr(SENTINEL) in line:
                sentinels += 1
            else:
                seen.append(line)
        return seen

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.reader.join(timeout=10)  # it ends at the end of the output; then the pipe can be closed
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    network.install()
    running = Listener()
    yield running
    running.close()


def test_a_proxy_on_loopback_is_not_reached_outside_an_approved_request(listener: Listener) -> None:
    with pytest.raises(network.NetworkBlocked, match=f"127.0.0.1:{listener.tcp}"):
        socket.create_connection(("127.0.0.1", listener.tcp), timeout=2).close()
    with pytest.raises(network.NetworkBlocked):
        socket.create_connection(("localhost", listener.tcp), timeout=2).close()
    proxied = urllib.request.build_opener(urllib.request.ProxyHandler({"http": f"http://127.0.0.1:{listener.tcp}"}))
    with pytest.raises(urllib.error.URLError) as error:
        proxied.open("http://example.com/", timeout=2)
    assert isinstance(error.value.reason, network.NetworkBlocked)
    assert f"127.0.0.1:{listener.tcp}" in network.blocked_attempts()
    assert listener.hits() == []


def test_the_app_s_own_loopback_servers_stay_reachable(listener: Listener) -> None:
    with socket.socket() as server:  # a server this process runs: always reachable
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    with pytest.raises(network.NetworkBlocked):  # closed: the port may be someone else's now
        socket.create_connection(("127.0.0.1", port), timeout=2).close()

    network.allow_local_port(listener.tcp)  # a server this app started in a child process
    try:
        with socket.create_connection(("127.0.0.1", listener.tcp), timeout=2) as conn:
            conn.sendall(b"mine")
    finally:
        network.forget_local_port(listener.tcp)
    with pytest.raises(network.NetworkBlocked):
        socket.create_connection(("127.0.0.1", listener.tcp), timeout=2).close()
    assert listener.hits() == ["tcp b'mine'"]


def test_udp_to_a_loopback_dns_stub_or_service_is_refused(listener: Listener) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        with pytest.raises(network.NetworkBlocked):
            udp.sendto(b"query", ("127.0.0.1", listener.udp))
        with pytest.raises(network.NetworkBlocked):
            udp.sendto(b"query", ("127.0.0.53", 53))  # systemd-resolved's stub: it forwards anywhere
        with pytest.raises(network.NetworkBlocked):
            udp.connect(("127.0.0.1", listener.udp))
    assert listener.hits() == []


def test_sendmsg_with_an_address_is_checked(listener: Listener) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        with pytest.raises(network.NetworkBlocked, match="socket.sendmsg"):
            udp.sendmsg([b"query"], [], 0, ("127.0.0.1", listener.udp))
        with pytest.raises(network.NetworkBlocked, match="socket.sendmsg"):
            udp.sendmsg([b"query"], [], 0, ("203.0.113.7", 53))
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as udp6:
        with pytest.raises(network.NetworkBlocked):  # an IPv4-mapped address is the IPv4 address
            udp6.sendmsg([b"query"], [], 0, ("::ffff:127.0.0.1", listener.udp))
    assert listener.hits() == []


def test_reverse_lookups_are_checked() -> None:
    network.install()
    with pytest.raises(network.NetworkBlocked, match="socket.gethostbyaddr"):
        socket.gethostbyaddr("203.0.113.7")
    with pytest.raises(network.NetworkBlocked, match="socket.getnameinfo"):
        socket.getnameinfo(("203.0.113.7", 443), 0)
    with pytest.raises(network.NetworkBlocked, match="socket.gethostbyname"):
        socket.gethostbyname_ex("example.com")
    try:  # loopback is answered on this machine
        socket.gethostbyaddr("127.0.0.1")
        socket.getnameinfo(("127.0.0.1", 80), socket.NI_NUMERICHOST | socket.NI_NUMERICSERV)
    except network.NetworkBlocked:  # pragma: no cover - the assertion below names the failure
        pytest.fail("a loopback lookup was blocked")
    except OSError:
        pass


def test_a_connect_by_name_is_checked(listener: Listener) -> None:
    # connect() resolves a name inside C with no getaddrinfo event, so the connect event checks the name
    with socket.socket() as sock, pytest.raises(network.NetworkBlocked, match=f"localhost:{listener.tcp}"):
        sock.connect(("localhost", listener.tcp))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, pytest.raises(network.NetworkBlocked):
        udp.sendto(b"query", ("localhost", listener.udp))
    assert listener.hits() == []


def test_an_approved_request_reaches_only_its_host_s_addresses(listener: Listener) -> None:
    with network.allow("203.0.113.7", port=443):
        with pytest.raises(network.NetworkBlocked):  # a proxy on loopback is not the provider
            socket.create_connection(("127.0.0.1", listener.tcp), timeout=2).close()
        with pytest.raises(network.NetworkBlocked):  # nor is any other address
            socket.create_connection(("198.51.100.7", 443), timeout=0.2).close()
        with pytest.raises(network.NetworkBlocked):  # nor another port of the provider
            socket.create_connection(("203.0.113.7", 80), timeout=0.2).close()
        try:  # the provider itself: the guard lets it through to whatever the network does
            socket.create_connection(("203.0.113.7", 443), timeout=0.2).close()
        except OSError as exc:
            assert not isinstance(exc, network.NetworkBlocked)
    with network.allow("localhost"):  # a provider the person configured on loopback: its resolved addresses
        with socket.create_connection(("127.0.0.1", listener.tcp), timeout=2) as conn:
            conn.sendall(b"provider")
        with pytest.raises(network.NetworkBlocked):
            socket.create_connection(("203.0.113.7", 443), timeout=0.2).close()
    assert listener.hits() == ["tcp b'provider'"]


@pytest.mark.skipif(not hasattr(socket, "AF_PACKET"), reason="AF_PACKET is Linux only")
def test_sockets_that_reach_the_network_without_ip_are_refused() -> None:
    network.install()
    with pytest.raises(network.NetworkBlocked, match="socket.__new__"):
        socket.socket(socket.AF_PACKET, socket.SOCK_RAW).close()


def test_install_forces_the_hub_offline_and_drops_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    import huggingface_hub.constants

    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:3128")
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        monkeypatch.setenv(name, "0")
    monkeypatch.setenv("NO_PROXY", "")
    monkeypatch.setenv("no_proxy", "")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    network.install()
    assert [name for name in os.environ if name.lower().endswith("_proxy") and name.lower() != "no_proxy"] == []
    assert urllib.request.getproxies() == {"no": "*"}  # nor the system's proxy (macOS, Windows)
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        assert os.environ[name] == "1"
    assert huggingface_hub.constants.HF_HUB_OFFLINE is True  # imported before: forced too


def test_downloads_ignore_proxy_settings(listener: Listener, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):  # set after install(): the client itself ignores them
        monkeypatch.setenv(name, f"http://127.0.0.1:{listener.tcp}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with pytest.raises(DownloadError):  # straight to the host the person chose (unreachable here)
        download("http://203.0.113.7:9/model.gguf", tmp_path / "model.gguf", timeout=0.5)
    assert listener.hits() == []


def test_install_works_in_a_fresh_child_process(listener: Listener) -> None:
    """What the document parser's child calls: ``network.install()``, no arguments, nothing set up before."""
    script = (
        "import socket, sys\n"
        "from assistant import network\n"
        "network.install()\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {listener.tcp}), timeout=2).close()\n"
        "except network.NetworkBlocked:\n"
        "    print('blocked')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "blocked"
    assert listener.hits() == []
