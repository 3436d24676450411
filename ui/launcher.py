"""The `private-assistant` command: the window with no arguments, the core CLI otherwise.

It lives in ui/ so that the core never imports the window; nothing here imports Qt until
the window is asked for, so the commands work where PySide6 is missing.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
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
