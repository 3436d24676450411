"""Every test gets its own data directory and runs offline.

With ``PA_BLOCK_QT=1`` importing PySide6 (or ``ui``) fails, as it would with PySide6
uninstalled: ``make test`` runs the core suite that way to hold the boundary.
"""

from __future__ import annotations

import importlib.abc
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

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
