"""The `private-assistant` command: the window with no arguments, the core CLI otherwise.

It lives in ui/ so that the core never imports the window; nothing here imports Qt until
the window is asked for, so the commands work where PySide6 is missing.

``--self-test`` is handled here rather than in the CLI: here it can add the window toolkit's check.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--self-test"]:
        from assistant import selftest

        return selftest.main(extra=[("window toolkit", check_qt)])
    if args:
        from assistant.cli import main as cli_main

        return cli_main(args)
    try:
        from ui.app import main as window_main
    except ImportError as exc:
        print(
            f"private-assistant: the window needs PySide6, which is not installed ({exc}). "
            "Install it with `pip install PySide6-Essentials`, or use `private-assistant chat`.",
            file=sys.stderr,
        )
        return 2
    return window_main(sys.argv[:1])


def check_qt(state: object) -> str:
    """Qt loads, with the platform plugins the window needs (no window is opened)."""
    from pathlib import Path

    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, qVersion
    from PySide6.QtPdf import QPdfDocument  # noqa: F401  (the citation viewer)

    folders = [QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath), *QCoreApplication.libraryPaths()]
    found = {p for folder in folders for p in (Path(folder) / "platforms").glob("*") if p.is_file()}
    plugins = sorted({p.name.split(".")[0].removeprefix("libq") for p in found})
    needed = {"darwin": "cocoa", "win32": "windows"}.get(sys.platform, "xcb")
    if needed not in plugins:
        raise RuntimeError(f"Qt's '{needed}' platform plugin is missing from {folders[0]} (found: {plugins})")
    return f"Qt {qVersion()} (PySide6 {pyside_version}), platforms: {', '.join(plugins)}"
