"""Every test gets its own data directory and runs offline.

With ``PA_BLOCK_QT=1`` importing PySide6 (or ``ui``) fails, as it would with PySide6
uninstalled: ``make test`` runs the core suite that way to hold the boundary.
"""

from __future__ import annotations

import importlib.abc
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest

from tests.cloud_server import RecordingProxy, start_llama_server
from tests.memory_keyring import MemoryKeyring

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
BLOCKED = ("PySide6", "shiboken6", "ui", "pytestqt")  # as if PySide6 were not installed


class _QtBlocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked: the core must work without Qt")
        return None


if os.environ.get("PA_BLOCK_QT") == "1":
    sys.meta_path.insert(0, _QtBlocker())


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "data"
    monkeypatch.setenv("PRIVATE_ASSISTANT_HOME", str(home))
    yield home


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Keys go to memory, never to this machine's real keychain."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@dataclass
class CloudServer:
    key: str
    proxy: RecordingProxy

    @property
    def base_url(self) -> str:
        return self.proxy.base_url


@pytest.fixture(scope="session")
def _cloud_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CloudServer]:
    from assistant.paths import bundled_model_path

    key = "sk-test-" + "k3y" * 8
    log = tmp_path_factory.mktemp("server") / "llama_server.log"
    proc, port = start_llama_server(bundled_model_path(), key, log)
    proxy = RecordingProxy(port)
    yield CloudServer(key, proxy)
    proxy.close()
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def cloud_server(_cloud_server: CloudServer) -> CloudServer:
    """The real llama_cpp.server on 127.0.0.1 behind a recording proxy, with nothing recorded yet."""
    _cloud_server.proxy.received.clear()
    return _cloud_server
