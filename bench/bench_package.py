"""The packaged app: its size, and its start time to the first painted window and to a loaded model.

Run after `make package` (or pass the app folder): `make bench-package`.

    python bench/bench_package.py [APP_FOLDER] [--runs N]

Each launch uses a fresh data folder, the offscreen platform unless a display is set, and the
same probe as bench_startup.py: the window prints a line at its first paint (then, with the value
"ready", once the bundled model has loaded) and closes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def size_report(app: Path) -> list[str]:
    files = [p for p in app.rglob("*") if p.is_file() and not p.is_symlink()]
    total = sum(p.stat().st_size for p in files)
    parts: Counter[str] = Counter()
    internal = app / "_internal"
    for p in files:
        relative = p.relative_to(internal) if p.is_relative_to(internal) else p.relative_to(app)
        parts[relative.parts[0] if len(relative.parts) > 1 else "(top-level files)"] += p.stat().st_size
    lines = [f"app folder {app}: {total / 1e6:.0f} MB in {len(files)} files; largest parts:"]
    lines += [f"  {size / 1e6:8.1f} MB  {name}" for name, size in parts.most_common(10)]
    for archive in sorted(app.parent.glob("private-assistant-*.tar.gz")):
        lines.append(f"tarball {archive.name}: {archive.stat().st_size / 1e6:.0f} MB")
    return lines


def launch(app: Path, probe: str) -> tuple[float, float]:
    """Seconds to the first paint and to the probe's last line."""
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PRIVATE_ASSISTANT_HOME": home, "PRIVATE_ASSISTANT_STARTUP_PROBE": probe}
        if not env.get("DISPLAY"):
            env["QT_QPA_PLATFORM"] = "offscreen"
        started = time.perf_counter()
        proc = subprocess.Popen(
            [str(app / "private-assistant")], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
        )
        assert proc.stdout is not None
        painted = ended = 0.0
        for line in proc.stdout:
            now = time.perf_counter() - started
            if line.startswith("first-paint"):
                painted = ended = now
            elif line.startswith("ready"):
                ended = now
        proc.wait(timeout=120)
    if not painted:
        raise SystemExit(f"the packaged window never painted (exit code {proc.returncode})")
    return painted, ended


def drop_page_cache() -> bool:
    """Empty the kernel's file cache (Linux, as root) so the next start reads from disk."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def self_test_seconds(app: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run([str(app / "private-assistant"), "--self-test"], capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"the self-test failed:\n{result.stdout}{result.stderr}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("app", nargs="?", type=Path, default=ROOT / "dist" / "Private Assistant")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not (args.app / "private-assistant").is_file():
        sys.exit(f"no packaged app in {args.app}: run `make package` first")
    print("\n".join(size_report(args.app)))
    cold = launch(args.app, "1")[0] if drop_page_cache() else None  # a first start after a reboot
    launch(args.app, "1")  # later starts find the files in the page cache
    paints = [launch(args.app, "1")[0] for _ in range(args.runs)]
    ready = [launch(args.app, "ready")[1] for _ in range(max(1, args.runs // 2))]
    platform = "xcb" if os.environ.get("DISPLAY") else "offscreen"
    print(
        f"start to first painted window ({platform}, {len(paints)} warm runs): median "
        f"{statistics.median(paints) * 1000:.0f} ms, min {min(paints) * 1000:.0f} ms, max {max(paints) * 1000:.0f} ms"
    )
    if cold is not None:
        print(f"start to first painted window, page cache dropped (as after a reboot): {cold * 1000:.0f} ms")
    print(f"start to bundled model loaded ({len(ready)} runs): median {statistics.median(ready):.1f} s")
    print(f"--self-test: {self_test_seconds(args.app):.1f} s")


if __name__ == "__main__":
    main()
