"""The Models window and the per-conversation model picker, with real runtimes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from assistant.config import ModelSettings, load_settings
from assistant.paths import bundled_model_path
from assistant.runtime import catalog
from assistant.runtime.facts import describe_gguf
from assistant.runtime.fetch import staging_dir
from assistant.runtime.loader import open_runtime
from assistant.runtime.registry import BUNDLED_ID, ModelRegistry
from tests.model_server import model_server, served_model
from tests.stated_sampling import gguf_stating
from tests.tiny_models import tiny_llama
from tests.ui.conftest import OpenWindow
from ui.main_window import MainWindow
from ui.models_view import ModelsView


class RecordingFactory:
    """The real runtimes (llama.cpp or transformers), remembering which model each load was for."""

    def __init__(self) -> None:
        self.paths: list[Path] = []

    def __call__(self, path: Path, settings: ModelSettings) -> Any:
        self.paths.append(Path(path))
        return open_runtime(path, settings)


def import_and_wait(qtbot: QtBot, window: MainWindow, path: Path) -> str:
    view = window.models.open()
    view.import_requested.emit(str(path))
    assert view.busy  # shown at once; the check and the copy run on the models thread
    qtbot.waitUntil(lambda: not view.busy, timeout=60_000)
    return view.status.text()


def test_models_page_lists_the_bundled_model_with_its_facts(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(factory=RecordingFactory())
    view = window.models.open()
    assert view.isVisible() and "CPU cores" in view.machine_label.text()
    cells = [view.installed.item(0, c).text() for c in range(view.installed.columnCount())]  # type: ignore[union-attr]
    assert cells[:3] == ["★", "SmolLM2 135M Instruct", "llama.cpp"]
    assert "Q4_1" in cells and "8192" in cells and "apache-2.0" in cells
    assert view.available.rowCount() >= 10 and not view.remove_button.isEnabled()  # the bundled one stays
    assert "only network use" in view.network_note.text()


def test_import_errors_are_shown_and_nothing_is_added(qtbot: QtBot, open_window: OpenWindow, tmp_path: Path) -> None:
    window = open_window(factory=RecordingFactory())
    fake = tmp_path / "notes.gguf"
    fake.write_text("not a model\n" * 10)
    message = import_and_wait(qtbot, window, fake)
    assert "not a GGUF model file" in message
    assert [m.id for m in ModelRegistry().models()] == [BUNDLED_ID]
    assert window.models.view is not None and window.models.view.installed.rowCount() == 1


def test_switching_a_conversation_to_a_transformers_model_takes_effect_on_its_next_message(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path
) -> None:
    factory = RecordingFactory()
    window = open_window(factory=factory)
    qtbot.waitUntil(lambda: "Backend: CPU" in window.status.backend_label.text(), timeout=60_000)
    folder = tiny_llama(tmp_path / "Tiny-Llama")
    assert "Added" in import_and_wait(qtbot, window, folder)
    imported = ModelRegistry().models()[-1]
    assert imported.runtime == "transformers" and window.models.picker.count() == 3  # default + 2

    conversation = window.conversations.new_conversation()
    window.models.picker.setCurrentIndex(window.models.picker.findData(imported.id))
    assert window.store.get(conversation).model == imported.id
    window.composer.setPlainText("Hello there")
    window.composer.submit()
    qtbot.waitUntil(lambda: not window.generating, timeout=60_000)
    assert factory.paths[-1] == Path(imported.path)
    assert "transformers" in window.status.backend_label.text()
    assert window.store.messages(conversation)[-1].role == "assistant"

    window.models.picker.setCurrentIndex(0)  # back to the default model
    window.composer.setPlainText("And again")
    window.composer.submit()
    # The bundled model answers this one: once it is loaded and its reply begun, the reply's length is moot.
    qtbot.waitUntil(lambda: factory.paths[-1] == bundled_model_path(), timeout=60_000)
    qtbot.waitUntil(lambda: "transformers" not in window.status.backend_label.text(), timeout=60_000)
    window.chat_controller.stop()
    qtbot.waitUntil(lambda: not window.generating, timeout=60_000)


def test_set_default_and_remove(qtbot: QtBot, open_window: OpenWindow, tmp_path: Path) -> None:
    window = open_window(factory=RecordingFactory())
    folder = tiny_llama(tmp_path / "Tiny-Default")
    import_and_wait(qtbot, window, folder)
    model = ModelRegistry().models()[-1]
    window.models.set_default(model.id)
    assert load_settings().default_model == model.id
    assert window.models.picker.itemText(0) == f"Default model ({model.name})"
    window.models.remove(model.id, confirm=False)
    assert load_settings().default_model == "" and not Path(model.path).exists()
    assert window.models.picker.count() == 2


def test_per_model_settings_are_saved(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(factory=RecordingFactory())
    window.models.open()
    dialog = window.models.edit_options(BUNDLED_ID)
    assert dialog is not None and not dialog.thinking.isEnabled()  # SmolLM2 cannot switch thinking
    dialog.temperature.setValue(0.2)
    dialog.gpu_mode.setCurrentIndex(2)  # CPU only
    dialog.accept()
    options = ModelRegistry().get(BUNDLED_ID).options
    assert (options.temperature, options.gpu_layers, options.context_length) == (0.2, 0, None)


def test_per_model_settings_show_the_sampling_in_effect_and_where_it_comes_from(
    qtbot: QtBot, open_window: OpenWindow, tmp_path: Path
) -> None:
    window = open_window(factory=RecordingFactory())
    window.models.open()
    dialog = window.models.edit_options(BUNDLED_ID)
    assert dialog is not None
    values, sources = dialog.sampling_values, dialog.sampling_sources
    assert (values["temperature"].value(), values["top_k"].value()) == (0.7, 40)  # the bundled model states none
    assert {label.text() for label in sources.values()} == {"small-model default"}
    assert not dialog.reset_sampling.isEnabled()
    values["top_k"].setValue(10)
    assert sources["top_k"].text() == "set for this model" and dialog.reset_sampling.isEnabled()
    dialog.accept()
    options = ModelRegistry().get(BUNDLED_ID).options
    assert (options.top_k, options.temperature, options.min_p) == (10, None, None)  # only what was changed

    again = window.models.edit_options(BUNDLED_ID)
    assert again is not None and again.sampling_values["top_k"].value() == 10
    assert again.sampling_sources["top_k"].text() == "set for this model"
    again.reset_sampling.click()
    assert (
        again.sampling_values["top_k"].value() == 40 and again.sampling_sources["top_k"].text() == "small-model default"
    )
    again.accept()
    assert ModelRegistry().get(BUNDLED_ID).options.top_k is None

    source = gguf_stating(tmp_path / "stated.gguf", temp=0.6, top_k=20)
    stated = ModelRegistry().import_model(source, describe_gguf(source), check=describe_gguf)
    dialog = window.models.edit_options(stated.id)
    assert dialog is not None
    assert (dialog.sampling_values["temperature"].value(), dialog.sampling_values["top_k"].value()) == (0.6, 20)
    assert dialog.sampling_sources["temperature"].text() == "stated by the model"
    assert dialog.sampling_sources["top_p"].text() == "small-model default"
    dialog.reject()


def start_download(qtbot: QtBot, window: MainWindow, server_url: str, model_id: str) -> ModelsView:
    window.models.worker.base_url = server_url
    view = window.models.open()
    row = next(r for r in range(view.available.rowCount()) if view.available.item(r, 0).text() == "Test SmolLM2")  # type: ignore[union-attr]
    view.available.selectRow(row)
    assert view.download_button.isEnabled() and "Fits" in view.available.item(row, 5).text()  # type: ignore[union-attr]
    view.download_button.click()
    assert view.busy and view.cancel_button.isEnabled()
    return view


def test_download_from_the_models_page_shows_progress_and_adds_the_model(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = served_model(bundled_model_path().stat().st_size)
    monkeypatch.setattr(catalog, "CATALOG", (*catalog.CATALOG, entry))
    window = open_window(factory=RecordingFactory())
    with model_server([bundled_model_path()], delay=0.005) as server:
        view = start_download(qtbot, window, server.url, entry.id)
        qtbot.waitUntil(lambda: "MB/s" in view.status.text(), timeout=30_000)
        qtbot.waitUntil(lambda: not view.busy, timeout=60_000)
    assert "Added Test SmolLM2" in view.status.text()
    assert view.installed.rowCount() == 2 and not view.download_button.isEnabled()
    assert window.models.picker.findData(entry.id) > 0


def test_cancelling_a_download_keeps_nothing(
    qtbot: QtBot, open_window: OpenWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = served_model(bundled_model_path().stat().st_size)
    monkeypatch.setattr(catalog, "CATALOG", (*catalog.CATALOG, entry))
    window = open_window(factory=RecordingFactory())
    with model_server([bundled_model_path()], delay=0.05) as server:
        view = start_download(qtbot, window, server.url, entry.id)
        qtbot.waitUntil(lambda: "MB/s" in view.status.text(), timeout=30_000)
        view.cancel_button.click()
        qtbot.waitUntil(lambda: not view.busy, timeout=30_000)
    assert "cancel" in view.status.text().lower()
    registry = ModelRegistry()
    assert [m.id for m in registry.models()] == [BUNDLED_ID]
    assert not staging_dir(registry, entry.id).exists()
