"""Issue 12, finding 6, for the window: it starts with the same rule as the CLI (umask 077, modes fixed)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX matter")


def _with_umask_022() -> None:
    os.umask(0o022)


def test_the_window_under_umask_022_keeps_the_data_folder_private_and_fixes_an_open_one(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "library").mkdir(parents=True)
    (home / "library" / "manifest.sqlite3").write_bytes(b"")
    os.chmod(home / "library" / "manifest.sqlite3", 0o644)
    os.chmod(home / "library", 0o755)
    os.chmod(home, 0o755)
    env = {
        **os.environ,
        "PRIVATE_ASSISTANT_HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "PRIVATE_ASSISTANT_STARTUP_PROBE": "1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "ui"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        preexec_fn=_with_umask_022,  # noqa: PLW1509 - the person's usual umask, in the child only
    )
    assert done.returncode == 0, done.stderr
    assert "first-paint" in done.stdout
    assert (home / "conversations.sqlite3").is_file() and (home / "settings.json").is_file()
    wrong = {}
    for path in [home, *home.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode != (0o700 if path.is_dir() else 0o600):
            wrong[str(path.relative_to(home))] = oct(mode)
    assert wrong == {}
