from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pytestqt.qtbot import QtBot  # noqa: E402

from assistant.config import load_settings, save_settings  # noqa: E402
from assistant.runtime.loader import open_runtime  # noqa: E402
from tests.fakes import FakeRuntime, fake_factory  # noqa: E402
from ui import i18n  # noqa: E402
from ui.app import create_window  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.worker import RuntimeFactory  # noqa: E402

OpenWindow = Callable[..., MainWindow]


@pytest.fixture(autouse=True)
def collect_qt_garbage() -> Iterator[None]:
    """Collect each test's Qt leftovers on the GUI thread, not later on some worker thread (a crash)."""
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def no_folder_watching(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests that index by hand count exactly what their Sync did; the watching tests switch it back on.
    Nor does each test's fresh data folder make the embedder's int8 copy in the background (15 s of CPU)."""
    from ui.library_worker import LibraryWorker

    monkeypatch.setattr(LibraryWorker, "watch_folders", False)
    monkeypatch.setattr(LibraryWorker, "make_fast_copy", False)


@pytest.fixture(scope="session", autouse=True)
def warm_router() -> None:
    """Load the real embedder and router once per test run, as the app does once at start."""
    from ui.library_worker import shared_router

    shared_router().warm()


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator[OpenWindow]:
    """Open the real window on the test's data dir; every window is closed at the end.

    The person has answered the first-launch welcome already (they chose the built-in model), unless
    the test asks for ``welcome=True``: a fresh data folder, as on the very first start.
    """
    opened: list[MainWindow] = []

    def open_(
        runtime: FakeRuntime | None = None, factory: RuntimeFactory | None = None, welcome: bool = False
    ) -> MainWindow:
        chosen = factory or (fake_factory(runtime) if runtime else open_runtime)
        settings = load_settings()
        if not welcome and not settings.model_chosen:
            settings.model_chosen = True
            save_settings(settings)
        window = create_window(chosen)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.start()
        opened.append(window)
        return window

    yield open_
    for window in opened:
        if window.isVisible() or window.model_thread.thread.isRunning():
            window.close()
        assert not window.model_thread.thread.isRunning()


@pytest.fixture
def korean(qtbot: QtBot) -> Iterator[None]:
    """The person chose 한국어 in Settings → Language; English again afterwards."""
    settings = load_settings()
    settings.language = "ko"
    save_settings(settings)
    yield
    i18n.apply("en")
