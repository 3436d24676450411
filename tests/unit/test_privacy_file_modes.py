"""Issue 12, finding 6: the data folder is the person's alone (0700), and so is every file in it (0600).

Real processes under the usual umask (022), real files, real modes: the CLI as a person runs it.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.runtime.registry import BUNDLED_ID

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX matter")


def _with_umask_022() -> None:
    os.umask(0o022)


def run(code_or_args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRIVATE_ASSISTANT_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    env.pop("PA_BLOCK_QT", None)
    return subprocess.run(
        [sys.executable, *code_or_args],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        preexec_fn=_with_umask_022,  # noqa: PLW1509 - the person's usual umask, set in the child only
    )


def modes(root: Path) -> dict[str, int]:
    """Every folder and file under ``root`` (links left out), relative path -> permission bits."""
    found = {".": stat.S_IMODE(root.stat().st_mode)}
    for path in root.rglob("*"):
        if not path.is_symlink():
            found[str(path.relative_to(root))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def open_ones(root: Path) -> dict[str, str]:
    wrong = {}
    for name, mode in modes(root).items():
        wanted = 0o700 if (root / name).is_dir() else 0o600
        if mode != wanted:
            wrong[name] = oct(mode)
    return wrong


def test_the_cli_under_umask_022_keeps_the_data_folder_and_its_files_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    note = tmp_path / "note.txt"
    note.write_text("The lease on the flat ends in March. The deposit is 1200 euros.\n")
    done = run(["-m", "assistant", "models", "default", BUNDLED_ID], home)
    assert done.returncode == 0, done.stderr
    done = run(["-m", "assistant", "index", str(note)], home)
    assert done.returncode == 0, done.stderr
    for name in ("settings.json", "library/manifest.sqlite3", "logs/private-assistant.log"):
        assert (home / name).is_file(), name
    assert open_ones(home) == {}


def test_stores_opened_after_the_start_are_private_with_their_wal_files(tmp_path: Path) -> None:
    home = tmp_path / "home"
    code = (
        "from assistant import paths; paths.make_private(); "
        "from assistant.conversations import ConversationStore; from assistant.agents.audit import AuditLog; "
        "from assistant.library.manifest import Manifest; "
        "d = paths.data_dir(); c = ConversationStore(d / 'conversations.sqlite3'); c.create('t'); "
        "a = AuditLog(); a.start(provider='p', base_url='https://x', model='m', sha256='0', size=1, redactions=[]); "
        "(d / 'library').mkdir(); m = Manifest(d / 'library' / 'manifest.sqlite3'); "
        "import pathlib, stat; print(sorted(p.name for p in d.rglob('*-wal')))"
    )
    done = run(["-c", code], home)
    assert done.returncode == 0, done.stderr
    assert "conversations.sqlite3-wal" in done.stdout and "audit.sqlite3-wal" in done.stdout
    assert {"conversations.sqlite3", "audit.sqlite3", "library/manifest.sqlite3"} <= set(modes(home))
    assert open_ones(home) == {}


def test_an_existing_install_left_open_is_fixed_on_start(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "library" / "chroma").mkdir(parents=True)
    (home / "logs").mkdir()
    for name in (
        "settings.json",
        "conversations.sqlite3",
        "audit.sqlite3",
        "library/manifest.sqlite3",
        "library/chroma/chroma.sqlite3",
        "logs/private-assistant.log",
    ):
        (home / name).write_bytes(b"")
        os.chmod(home / name, 0o644)
    for folder in (home, home / "library", home / "library" / "chroma", home / "logs"):
        os.chmod(folder, 0o755)
    elsewhere = tmp_path / "shared.txt"  # a link the person made to a file of their own: not ours to change
    elsewhere.write_text("shared")
    os.chmod(elsewhere, 0o644)
    (home / "link.txt").symlink_to(elsewhere)
    (home / "settings.json").write_text("{}")

    done = run(["-m", "assistant", "models", "list"], home)

    assert done.returncode == 0, done.stderr
    assert open_ones(home) == {}
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o644
