"""Build the packaged app: ``make package`` runs this.

PyInstaller turns ``packaging/private-assistant.spec`` into ``dist/Private Assistant/`` (one folder).
On Linux a tarball of that folder is written beside it, ready to unpack anywhere. Prints the
build time and size.

    python packaging/build.py [--dist DIR] [--no-tarball]
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_FOLDER = "Private Assistant"
sys.path.insert(0, str(ROOT))

from assistant import __version__  # noqa: E402


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build(dist: Path, work: Path) -> Path:
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work), str(ROOT / "packaging" / "private-assistant.spec"),
    ]  # fmt: skip
    subprocess.run(command, check=True, cwd=ROOT)
    return dist / APP_FOLDER


def tarball(app: Path) -> Path:
    name = f"private-assistant-{__version__}-linux-{platform.machine()}"
    target = app.parent / f"{name}.tar.gz"
    partial = target.with_suffix(".partial")
    with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
        archive.add(app, arcname=APP_FOLDER)
    partial.replace(target)
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the app folder goes (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's work folder")
    parser.add_argument("--no-tarball", action="store_true", help="Linux: skip the .tar.gz")
    args = parser.parse_args()
    started = time.perf_counter()
    app = build(args.dist.resolve(), args.work.resolve())
    built = time.perf_counter() - started
    print(f"built {app} in {built:.0f} s: {folder_size(app) / 1e6:.0f} MB")
    if sys.platform.startswith("linux") and not args.no_tarball:
        started = time.perf_counter()
        archive = tarball(app)
        print(f"wrote {archive} in {time.perf_counter() - started:.0f} s: {archive.stat().st_size / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
