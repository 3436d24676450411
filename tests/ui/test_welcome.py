"""The first launch: the welcome page shows this computer and a model for it, and either choice leads on."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from assistant.config import ModelSettings, load_settings
from assistant.paths import bundled_model_path
from assistant.runtime import catalog, hardware, recommend
from assistant.runtime.hardware import Gpu, Machine
from tests.fakes import FakeRuntime
from tests.model_server import model_server, served_model
from tests.ui.conftest import OpenWindow
from tests.ui.test_chat_window import type_and_send, wait_done
from ui.main_window import MainWindow
from ui.welcome_page import WelcomePage

GIB = 1 << 30
LAPTOP = Machine(8, 16 * GIB, (Gpu("NVIDIA GeForce RTX 4060 Laptop GPU", 8 * GIB, "CUDA"),), ("CUDA",))
OLD_NETBOOK = Machine(2, 2 * GIB, (), ())


def welcome_page(qtbot: QtBot, window: MainWindow) -> WelcomePage:
    """The page on screen, once the look at this computer (on the models thread) has come back."""
    assert window.welcome is not None
    page = window.welcome.page
    assert window.pages.currentWidget() is page and page.isVisible()
    qtbot.waitUntil(lambda: not page.checking.isVisible(), timeout=30_000)
    return page


def test_first_start_shows_this_computer_and_the_model_recommended_for_it(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hardware, "machine", lambda: LAPTOP)
    window = open_window(FakeRuntime(), welcome=True)
    assert not window.composer.isVisible()  # the chat waits until the person chooses
    page = welcome_page(qtbot, window)
    expected = recommend.recommend(LAPTOP)
    assert expected is not None
    assert page.memory.text() == "16 GB" and "RTX 4060" in page.graphics.text() and "(8 GB)" in page.graphics.text()
    assert page.backend.text() == "CUDA"
    assert page.model_name.text() == expected.model.name and page.reason.text() == expected.reason
    assert page.download_button.isVisible() and page.download_button.text() == f"Download {expected.model.name}"
    assert f"licence: {expected.model.license}" in page.facts.text() and "GB download" in page.facts.text()
    assert page.builtin_button.isVisible() and page.builtin_button.isEnabled()
    page.compare_button.click()  # every model, with what fits, in the Models window
    assert window.models.view is not None and window.models.view.isVisible()
    assert window.pages.currentWidget() is page  # comparing is not choosing


def test_the_built_in_model_starts_a_working_chat_and_the_welcome_does_not_return(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hardware, "machine", lambda: LAPTOP)
    window = open_window(FakeRuntime(["Hello! How can I help?"]), welcome=True)
    page = welcome_page(qtbot, window)
    page.builtin_button.click()
    assert window.pages.currentWidget() is window.chat_page and window.composer.isVisible()
    assert load_settings().model_chosen and load_settings().default_model == ""
    type_and_send(qtbot, window, "Hi there")
    wait_done(qtbot, window)
    assert window.chat.last_reply_text() == "Hello! How can I help?"
    window.close()

    again = open_window(FakeRuntime(), welcome=True)  # the same data folder, started again
    assert again.welcome is None and again.pages.currentWidget() is again.chat_page
    assert again.composer.isVisible()


def test_when_nothing_fits_only_the_built_in_model_is_offered(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hardware, "machine", lambda: OLD_NETBOOK)
    window = open_window(FakeRuntime(), welcome=True)
    page = welcome_page(qtbot, window)
    assert page.memory.text() == "2 GB" and page.graphics.text().startswith("none")
    assert page.model_name.text() == "No download fits this computer" and "None of the models" in page.reason.text()
    assert not page.download_button.isVisible() and page.builtin_button.isVisible()


class RecordingFactory:
    """The fake model, remembering which model file each load was for."""

    def __init__(self, runtime: FakeRuntime) -> None:
        self.runtime = runtime
        self.paths: list[Path] = []

    def __call__(self, path: Path, settings: ModelSettings) -> FakeRuntime:
        self.paths.append(Path(path))
        return self.runtime


def test_download_runs_while_the_person_chats_then_offers_to_switch(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = served_model(bundled_model_path().stat().st_size)
    monkeypatch.setattr(catalog, "CATALOG", (*catalog.CATALOG, entry))
    monkeypatch.setattr(hardware, "machine", lambda: LAPTOP)
    monkeypatch.setattr(
        recommend, "recommend", lambda machine: recommend.Recommendation(entry, "It fits this laptop.", True, ())
    )
    factory = RecordingFactory(FakeRuntime(["Still here while it downloads."]))
    window = open_window(factory=factory, welcome=True)
    with model_server([bundled_model_path()], delay=0.01) as server:
        window.models.worker.base_url = server.url
        page = welcome_page(qtbot, window)
        assert page.download_button.text() == "Download Test SmolLM2"
        page.download_button.click()
        assert window.pages.currentWidget() is window.chat_page and load_settings().model_chosen
        status = window.models.download_status
        assert status.isVisible() and "Test SmolLM2" in status.label.text()
        type_and_send(qtbot, window, "Are you there?")  # the chat works during the download
        wait_done(qtbot, window)
        assert window.chat.last_reply_text() == "Still here while it downloads."
        qtbot.waitUntil(lambda: "MB" in status.label.text() or not status.isVisible(), timeout=30_000)
        offer = window.models.switch_offer
        qtbot.waitUntil(offer.isVisible, timeout=60_000)
    assert not status.isVisible() and "Test SmolLM2 is downloaded" in offer.label.text()
    assert load_settings().default_model == ""  # nothing changes until the person says so
    loads = len(factory.paths)
    offer.switch_button.click()
    assert not offer.isVisible() and load_settings().default_model == entry.id
    assert window.models.picker.itemText(0) == "Default model (Test SmolLM2)"
    qtbot.waitUntil(lambda: len(factory.paths) > loads, timeout=10_000)  # loaded now, not at the next message
    assert factory.paths[-1].parent.name == entry.id
