"""Library folders kept in sync while the app runs: changes on disk, debounced into batches.

:class:`FolderWatcher` watches the library's folders with watchdog (inotify on Linux, FSEvents on
macOS, ReadDirectoryChangesW on Windows) and, once the folders have been quiet for ``quiet``
seconds (or ``longest`` seconds after the first change, whichever comes first), calls ``on_batch``
with the changed paths. The caller then syncs the collections those paths belong to
(:func:`collections_for`): a sync compares the disk with the index file by file, so a burst of
changes costs one pass, each new file is indexed once, and the indexer's crash-safety is the sync's.

Battery saver (where the system says so, :func:`battery_saver`) holds batches until it is off.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from assistant import paths as app_paths
from assistant.library.loaders import SUPPORTED_SUFFIXES

log = logging.getLogger(__name__)

QUIET_SECONDS = 1.0
LONGEST_SECONDS = 4.0
BATTERY_RECHECK_SECONDS = 60.0
# Editors and browsers write these while saving or downloading; the real file's own event follows.
_TEMPORARY = ("~$", ".~lock.", ".#")
_TEMPORARY_SUFFIXES = (".swp", ".swx", ".tmp", ".part", ".crdownload", ".download", "~")


def relevant(path: str, is_directory: bool) -> bool:
    """Could a change at ``path`` change the library? (A folder's can: files may have moved with it.)"""
    name = os.path.basename(path.rstrip("/\\"))
    if not name or name.startswith(".") or name.startswith(_TEMPORARY) or name.endswith(_TEMPORARY_SUFFIXES):
        return False
    return is_directory or Path(name).suffix.lower() in SUPPORTED_SUFFIXES


def collections_for(changed: Iterable[str], folders: Sequence[tuple[str, str]]) -> list[str]:
    """The collections whose folders (or added files) hold any of the ``changed`` paths, in folder order."""
    found: list[str] = []
    changed = list(changed)
    for root, collection in folders:
        prefix = root.rstrip("/\\") + os.sep
        if collection not in found and any(p == root or p.startswith(prefix) for p in changed):
            found.append(collection)
    return found


def battery_saver() -> bool:
    """Does the system say it is saving power (battery saver, low power mode, a low-power profile)?"""
    try:
        if sys.platform.startswith("linux"):
            profile = Path("/sys/firmware/acpi/platform_profile")
            return profile.is_file() and profile.read_text().strip() in ("low-power", "quiet")
        if sys.platform == "darwin":
            out = subprocess.run(["pmset", "-g"], capture_output=True, text=True, timeout=5).stdout
            return any(line.split()[:2] == ["lowpowermode", "1"] for line in out.splitlines())
        if sys.platform == "win32":
            import ctypes

            class Status(ctypes.Structure):
                _fields_ = [  # noqa: RUF012 - ctypes reads the class attribute
                    ("ACLineStatus", ctypes.c_ubyte),
                    ("BatteryFlag", ctypes.c_ubyte),
                    ("BatteryLifePercent", ctypes.c_ubyte),
                    ("SystemStatusFlag", ctypes.c_ubyte),
                    ("BatteryLifeTime", ctypes.c_ulong),
                    ("BatteryFullLifeTime", ctypes.c_ulong),
                ]

            status = Status()
            if ctypes.windll.kernel32.GetSystemPowerStatus(ctypes.byref(status)):  # type: ignore[attr-defined]
                return status.SystemStatusFlag == 1
    except (OSError, subprocess.SubprocessError, ValueError):
        return False
    return False


class FolderWatcher:
    """Watches folders (and single added files) and hands over changed paths in debounced batches.

    Args:
        on_batch: called on the watcher's own thread with the set of changed paths.
        quiet: seconds without a change before a batch goes.
        longest: seconds after a batch's first change by which it goes even if changes go on.
        saving_power: asked before each batch; while it says yes, batches wait.
    """

    def __init__(
        self,
        on_batch: Callable[[set[str]], None],
        quiet: float = QUIET_SECONDS,
        longest: float = LONGEST_SECONDS,
        saving_power: Callable[[], bool] = battery_saver,
    ) -> None:
        from watchdog.observers import Observer

        self.on_batch = on_batch
        self.quiet, self.longest = quiet, longest
        self.saving_power = saving_power
        self.paused_for_power = False
        self._observer: Any = Observer()
        self._observer.daemon = True
        self._watches: dict[str, Any] = {}  # watched folder -> watchdog's handle
        self._files: set[str] = set()  # single files added to the library (their folder is watched)
        self._recursive: set[str] = set()
        self._pending: set[str] = set()
        self._first = self._last = 0.0
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._ignored = str(app_paths.data_dir(create=False))
        self._handler = _Handler(self)
        self._observer.start()
        self._thread = threading.Thread(target=self._run, name="folder-watcher", daemon=True)
        self._thread.start()

    def watch(self, roots: Iterable[str | Path]) -> None:
        """Watch exactly these library roots (folders recursively; a file through its folder)."""
        wanted: dict[str, bool] = {}
        files: set[str] = set()
        for root in map(str, roots):
            if os.path.isdir(root):
                wanted[root] = True
            elif os.path.isdir(os.path.dirname(root)):
                files.add(root)
                wanted.setdefault(os.path.dirname(root), False)
        with self._lock:
            self._files = files
            self._recursive = {folder for folder, recursive in wanted.items() if recursive}
        for folder in [f for f in self._watches if f not in wanted]:
            self._observer.unschedule(self._watches.pop(folder))
        for folder, recursive in wanted.items():
            if folder not in self._watches:
                try:
                    self._watches[folder] = self._observer.schedule(self._handler, folder, recursive=recursive)
                except OSError as exc:  # e.g. the inotify watch limit: that folder is synced by hand
                    log.warning("cannot watch %s: %s", folder, exc)

    def covers(self, path: str) -> bool:
        """Inside a watched folder, or one of the single files (not a sibling of one)."""
        with self._lock:
            if path in self._files:
                return True
            return any(path.startswith(folder.rstrip("/\\") + os.sep) for folder in self._recursive)

    def changed(self, path: str) -> None:
        """One changed path (from watchdog's thread)."""
        if path == self._ignored or path.startswith(self._ignored + os.sep):
            return  # the app's own data folder, inside a watched folder: its writes are not the person's
        now = time.monotonic()
        with self._lock:
            if not self._pending:
                self._first = now
            self._pending.add(path)
            self._last = now
        self._wake.set()

    def _due(self) -> float | None:
        """Seconds until the pending batch is due (0: now); None when nothing waits."""
        with self._lock:
            if not self._pending:
                return None
            now = time.monotonic()
            return max(0.0, min(self._last + self.quiet, self._first + self.longest) - now)

    def _run(self) -> None:
        while not self._stopped.is_set():
            wait = self._due()
            if wait is None:
                self._wake.wait()
                self._wake.clear()
                continue
            if wait > 0:
                self._wake.wait(wait)
                self._wake.clear()
                continue
            if self.saving_power():
                if not self.paused_for_power:
                    log.info("folder watching paused: the system is saving power")
                self.paused_for_power = True
                self._stopped.wait(BATTERY_RECHECK_SECONDS)
                continue
            self.paused_for_power = False
            with self._lock:
                batch, self._pending = self._pending, set()
            try:
                self.on_batch(batch)
            except Exception:  # noqa: BLE001 - one failed batch must not end watching
                log.exception("folder watcher: a batch failed")

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()
        self._observer.stop()
        self._observer.join(5)
        self._thread.join(5)


class _Handler:
    """watchdog's event handler: every relevant path, both ends of a move."""

    def __init__(self, watcher: FolderWatcher) -> None:
        self.watcher = watcher

    def dispatch(self, event: Any) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reads, not changes
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            path = os.fsdecode(raw) if raw else ""
            if path and relevant(path, event.is_directory) and self.watcher.covers(path):
                self.watcher.changed(path)
