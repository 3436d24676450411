"""The CLI as a person runs it, with every proxy variable pointing at a listener on 127.0.0.1: nothing reaches it.

A ``sitecustomize`` module on ``PYTHONPATH`` plays a library inside the CLI process that tries the
network once the guard is up, as telemetry or an update check would: through the proxy (urllib reads
the proxy variables), and straight to the listener. The listener records every connection; when
``strace`` runs here, the test also reads the system calls of the CLI and all its children and finds
no ``connect()`` to the listener's port, nor any connect or send on an IP socket at all (which native
code, unseen by the guard, would show).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.library_files import make_corpus

pytestmark = pytest.mark.integration

PROBE = r"""
import json, os, sys, threading, time


def _probe():
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        installed = getattr(sys.modules.get("assistant.network"), "installed", None)  # None while it imports
        if installed is not None and installed():
            break
        time.sleep(0.01)
    else:
        return
    import socket, urllib.request

    seen = {name: os.environ.get(name) for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")}
    attempts = {}
    for url in ("http://example.com/", "https://example.com/"):
        try:
            urllib.request.urlopen(url, timeout=5).close()
            attempts[url] = "reached"
        except Exception as exc:
            attempts[url] = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
    try:
        socket.create_connection(("127.0.0.1", int(os.environ["PA_PROBE_PORT"])), timeout=5).close()
        attempts["listener"] = "reached"
    except Exception as exc:
        attempts["listener"] = f"{type(exc).__name__}: {exc}"
    with open(os.environ["PA_PROBE_OUT"], "w") as out:
        json.dump({"environment": seen, "attempts": attempts}, out)


if os.environ.get("PA_PROBE_OUT") and "-m" in sys.orig_argv and "assistant" in sys.orig_argv:  # the CLI only
    threading.Thread(target=_probe, daemon=True).start()
"""


class Listener:
    """A TCP listener on 127.0.0.1 (a local proxy) that records every connection it accepts."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen()
        self.port = int(self.server.getsockname()[1])
        self.accepted: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                try:
                    self.accepted.append(conn.recv(200))
                except OSError:
                    self.accepted.append(b"")

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    running = Listener()
    yield running
    running.close()


def strace_works() -> bool:
    if shutil.which("strace") is None:
        return False
    done = subprocess.run(["strace", "-f", "-e", "trace=network", "true"], capture_output=True, timeout=30)
    return done.returncode == 0  # ptrace may be forbidden in a container


def run_cli(args: list[str], env: dict[str, str], trace: Path | None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "assistant", *args]
    if trace is not None:
        command = ["strace", "-f", "-e", "trace=network", "-o", str(trace), *command]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)


def cli_environment(listener: Listener, tmp_path: Path, data_home: Path) -> dict[str, str]:
    probe_dir = tmp_path / "probe"
    probe_dir.mkdir()
    (probe_dir / "sitecustomize.py").write_text(PROBE)
    proxy = f"http://127.0.0.1:{listener.port}"
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env.update({name: proxy for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY")})
    env.update({"HF_HUB_OFFLINE": "0", "TRANSFORMERS_OFFLINE": "0", "HF_DATASETS_OFFLINE": "0"})  # the app forces them
    env.update(
        {
            "PRIVATE_ASSISTANT_HOME": str(data_home),
            "PYTHONPATH": os.pathsep.join([str(probe_dir), *filter(None, [os.environ.get("PYTHONPATH")])]),
            "PA_PROBE_PORT": str(listener.port),
        }
    )
    return env


def index_and_ask(listener: Listener, tmp_path: Path, data_home: Path, traced: bool) -> None:
    env = cli_environment(listener, tmp_path, data_home)
    docs = tmp_path / "docs"
    make_corpus(docs)
    commands = {
        "index": ["index", str(docs)],
        "ask": ["ask", "How far does the arctic tern migrate?", "--max-tokens", "16", "--json"],
    }
    for name, args in commands.items():
        out = tmp_path / f"probe-{name}.json"
        trace = tmp_path / f"strace-{name}.txt" if traced else None
        done = run_cli(args, {**env, "PA_PROBE_OUT": str(out)}, trace)
        assert done.returncode == 0, done.stderr[-3000:]
        assert out.is_file(), f"the probe did not run in `{name}`: {done.stderr[-2000:]}"
        if trace is not None:
            calls = trace.read_text(errors="replace").splitlines()
            to_listener = [line for line in calls if re.search(rf"\bconnect\(.*_port=htons\({listener.port}\)", line)]
            assert to_listener == [], f"{name}: connect() to the listener: {to_listener[:3]}"
            # nor any IP traffic at all, from Python or native code, in the CLI or its children
            ip = [line for line in calls if re.search(r"\b(connect|sendto|sendmsg)\(.*sa_family=AF_INET", line)]
            assert ip == [], f"{name}: IP traffic: {ip[:3]}"
        assert listener.accepted == [], f"{name}: the proxy on loopback was reached"
        probe = json.loads(out.read_text())
        for target, outcome in probe["attempts"].items():
            assert "works offline" in outcome, f"{name}: {target}: {outcome}"
        assert probe["environment"] == {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}


def test_the_cli_reaches_nothing_through_a_proxy_on_loopback(
    listener: Listener, tmp_path: Path, data_home: Path
) -> None:
    index_and_ask(listener, tmp_path, data_home, traced=False)


@pytest.mark.skipif(not strace_works(), reason="strace is not installed or may not trace here (ptrace refused)")
def test_under_strace_the_cli_and_its_children_call_connect_on_no_proxy(
    listener: Listener, tmp_path: Path, data_home: Path
) -> None:
    index_and_ask(listener, tmp_path, data_home, traced=True)


ONNX_WINDOW = r"""
import sys, time
from assistant import network

network.install()  # first thing, as the window and the CLI do
from assistant.library.embedder import Embedder

embedder = Embedder(backend="onnx")
assert embedder.prepare_onnx(), "no int8 copy"
embedder.embed(["how far does the arctic tern migrate"])
assert embedder.backend == "onnx", embedder.notice
time.sleep(float(sys.argv[1]))  # onnxruntime's uploader calls out about eight seconds after it starts
"""


def test_the_int8_embedder_in_a_long_running_process_never_calls_microsoft(tmp_path: Path) -> None:
    if not strace_works():
        pytest.skip("strace is not available (or ptrace is not allowed) here")
    trace = tmp_path / "strace.txt"
    env = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    env.update({"PRIVATE_ASSISTANT_HOME": str(tmp_path / "data"), "HOME": str(tmp_path / "home")})
    done = subprocess.run(
        ["strace", "-f", "-e", "trace=network", "-o", str(trace), sys.executable, "-c", ONNX_WINDOW, "12"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    calls = trace.read_text(errors="replace").splitlines()
    ip = [line for line in calls if re.search(r"\b(connect|sendto|sendmsg|sendmmsg)\(.*sa_family=AF_INET", line)]
    assert ip == [], f"IP traffic: {ip[:3]}"
    assert not (tmp_path / "home" / ".cache" / "Microsoft").exists()  # no device id kept either
