"""Start the window: it appears first, then the model loads on its own thread.

Nothing on this path imports llama_cpp, torch, chromadb or sentence_transformers.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Sequence
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from assistant import __version__, network
from assistant.config import load_settings
from assistant.conversations import ConversationStore
from assistant.errors import AssistantError
from assistant.logs import log_path, setup_logging
from assistant.paths import data_dir, make_private
from assistant.runtime.loader import open_runtime
from ui import i18n
from ui.icons import app_icon
from ui.library_worker import LibraryWorker
from ui.main_window import MainWindow
from ui.worker import ModelWorker, RuntimeFactory

log = logging.getLogger(__name__)

# Set by the startup benchmark and the packaged-app test: print a line at the first paint, then
# quit; with the value "ready", also load the model and print its status-bar line before quitting.
STARTUP_PROBE_ENV = "PRIVATE_ASSISTANT_STARTUP_PROBE"


def create_window(factory: RuntimeFactory = open_runtime) -> MainWindow:
    """Build the window on the data directory; raise AssistantError if it is unusable.

    The window's language (Settings → Language, else the system's) is installed first.
    """
    settings = load_settings()
    i18n.apply(settings.language)
    store = ConversationStore(data_dir() / "conversations.sqlite3")
    window = MainWindow(settings, store, ModelWorker(store.path, factory), LibraryWorker())
    window.restore_geometry(settings.window.get("geometry"))
    return window


def _report_to(window: MainWindow) -> Callable[..., None]:
    """Unexpected errors in a slot: the traceback to the log, a sentence to the person."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error", exc_info=(kind, error, tb))
        if isinstance(error, AssistantError):
            window.show_error(str(error))
        else:
            window.show_error(
                QApplication.translate("MainWindow", "Something went wrong ({error}). Details are in {log}.").format(
                    error=error, log=log_path()
                )
            )

    return hook


def main(argv: Sequence[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(list(argv or sys.argv[:1]))
    app.setApplicationName("Private Assistant")
    app.setApplicationVersion(__version__)
    QApplication.setDesktopFileName("private-assistant")  # matches the Linux desktop entry (Wayland uses it)
    QApplication.setWindowIcon(app_icon())
    make_private()  # umask 077, and the data folder 0700 / its files 0600 (fixes older installs)
    setup_logging()
    network.install()  # loopback only, plus cloud requests the person approves
    probe = os.environ.get(STARTUP_PROBE_ENV)
    if probe:  # a launch check that quits at once: no embedder export left half made behind it
        LibraryWorker.make_fast_copy = False
    try:
        window = create_window()
    except AssistantError as exc:
        log.info("cannot start: %s", exc)
        QMessageBox.critical(None, "Private Assistant", str(exc))
        return 2
    window.show()
    sys.excepthook = _report_to(window)
    if probe and probe != "ready":
        window.first_painted.connect(lambda: (print("first-paint", flush=True), window.close()))
    else:
        window.first_painted.connect(lambda: QTimer.singleShot(0, window.start))
    if probe == "ready":
        _report_when_loaded(window)
    return int(app.exec())


def _report_when_loaded(window: MainWindow) -> None:
    """The probe's "ready": print the first paint, then the model line once it has loaded, and close."""
    window.first_painted.connect(lambda: print(f"first-paint {window.windowTitle()}", flush=True))
    timer = QTimer(window)

    def check() -> None:
        text = window.status.model_label.text()
        if text != window.status.not_loaded_text and not window.status.busy_label.text():
            timer.stop()
            print(f"ready {text}", flush=True)
            window.close()

    def failed(message: str) -> None:
        print(f"failed {message}", flush=True)
        window.close()  # stops the worker threads
        QApplication.exit(1)

    window.show_error = failed  # type: ignore[method-assign]  # the probe reports errors instead of showing them
    timer.timeout.connect(check)
    timer.start(100)
