"""Linux: put Private Assistant in the application menu of this user (freedesktop.org desktop entry).

``private-assistant --install-desktop`` (and ``make install-desktop``) writes
``~/.local/share/applications/private-assistant.desktop`` (or under ``$XDG_DATA_HOME``) and the
icons into the hicolor theme there. Nothing outside the person's home is touched, and
``--uninstall`` removes exactly what was written.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from assistant import __version__, bundle

APP_ID = "private-assistant"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def default_program() -> Path:
    """The program the menu entry starts: the packaged binary, or the installed command."""
    if bundle.frozen():
        # Inside an AppImage: the image file, not its temporary mount. The variables are inherited
        # by anything started from an AppImage, so they count only when this program lies inside it.
        image, mount = os.environ.get("APPIMAGE"), os.environ.get("APPDIR")
        if image and mount and Path(sys.executable).resolve().is_relative_to(Path(mount).resolve()):
            return Path(image).resolve()
        return Path(sys.executable).resolve()
    beside = Path(sys.executable).parent / APP_ID
    found = beside if beside.is_file() else shutil.which(APP_ID)
    if not found:
        raise FileNotFoundError(f"the `{APP_ID}` command was not found; pass --program PATH")
    return Path(found).absolute()


def quote_exec(program: Path) -> str:
    """Quote a path for the Exec key (desktop entry spec: reserved characters inside double quotes)."""
    text = str(program).replace("%", "%%")  # a field code otherwise
    if not re.search(r'[\s"\'\\><~|&;$*?#()`]', text):
        return text
    escaped = re.sub(r'(["`$\\])', r"\\\1", text)
    return '"' + escaped.replace("\\", "\\\\") + '"'  # string values unescape backslashes once more


def entry_text(program: Path) -> str:
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.4",
            "Name=Private Assistant",
            "GenericName=AI Assistant",
            "Comment=A private assistant that runs on this computer and answers from your documents",
            f"Exec={quote_exec(program)}",
            f"TryExec={str(program).replace(chr(92), chr(92) * 2)}",
            f"Icon={APP_ID}",
            "Terminal=false",
            "Categories=Office;",
            "Keywords=AI;LLM;chat;assistant;documents;offline;private;",
            "StartupNotify=true",
            f"StartupWMClass={APP_ID}",
            f"X-Private-Assistant-Version={__version__}",
            "",
        ]
    )


def targets(home: Path) -> list[tuple[Path, Path | None]]:
    """(where it goes, what is copied there; None for the entry itself)."""
    icons = bundle.locate("resources/icons")
    items: list[tuple[Path, Path | None]] = [(home / "applications" / f"{APP_ID}.desktop", None)]
    for size in ICON_SIZES:
        items.append(
            (home / "icons/hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png", icons / f"{APP_ID}-{size}.png")
        )
    items.append((home / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg", icons / f"{APP_ID}.svg"))
    return items


def install(program: Path, home: Path | None = None) -> list[Path]:
    """Write the entry and icons; return the files written."""
    home = home or data_home()
    written = []
    for target, source in targets(home):
        target.parent.mkdir(parents=True, exist_ok=True)
        if source is None:
            partial = target.with_suffix(".desktop.tmp")
            partial.write_text(entry_text(program), encoding="utf-8")
            partial.chmod(0o755)
            os.replace(partial, target)
        else:
            shutil.copyfile(source, target)
        written.append(target)
    _refresh(home)
    return written


def uninstall(home: Path | None = None) -> list[Path]:
    home = home or data_home()
    removed = []
    for target, _ in targets(home):
        if target.exists():
            target.unlink()
            removed.append(target)
    _refresh(home)
    return removed


def _refresh(home: Path) -> None:
    """Tell the menu and icon caches (best effort: both tools are optional)."""
    for command in (
        ["update-desktop-database", str(home / "applications")],
        ["gtk-update-icon-cache", "-q", "-t", str(home / "icons/hicolor")],
    ):
        if shutil.which(command[0]):
            subprocess.run(command, check=False, capture_output=True, timeout=30)


def main(argv: Sequence[str] = ()) -> int:
    parser = argparse.ArgumentParser(
        prog=f"{APP_ID} --install-desktop", description="Add Private Assistant to this user's application menu."
    )
    parser.add_argument("--program", type=Path, help="the program to start (default: this one)")
    parser.add_argument("--uninstall", action="store_true", help="remove the entry and icons again")
    args = parser.parse_args(list(argv))
    if not sys.platform.startswith("linux"):
        print(f"{APP_ID}: --install-desktop is for Linux; see packaging/README.md for macOS and Windows.")
        return 2
    if args.uninstall:
        removed = uninstall()
        print(f"Removed {len(removed)} files." if removed else "Nothing to remove.")
        return 0
    try:
        program = (args.program or default_program()).absolute()
    except FileNotFoundError as exc:
        print(f"{APP_ID}: {exc}", file=sys.stderr)
        return 2
    if any(ord(c) < 32 for c in str(program)):
        print(f"{APP_ID}: the program's path has a line break or tab in it; move the app to a plain folder name")
        return 2
    if not program.is_file():
        print(f"{APP_ID}: {program} is not a file; pass the program with --program PATH", file=sys.stderr)
        return 2
    written = install(program)
    print(f"Private Assistant is in the application menu: {written[0]} starts {program}")
    return 0
