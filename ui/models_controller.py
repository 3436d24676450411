"""Models in the window: the Models page, the per-conversation model picker, and which model loads.

A conversation's model takes effect on its next message: before each request the window
sends the model thread the chosen model's settings, and the thread reloads only if they
changed.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QMessageBox

from assistant.config import save_settings
from assistant.errors import AssistantError
from assistant.runtime import catalog, hardware
from assistant.runtime.loader import choose_model
from assistant.runtime.registry import BUNDLED_ID, InstalledModel, ModelRegistry
from ui.model_options import ModelOptionsDialog
from ui.models_view import ModelsView
from ui.models_worker import ModelsWorker
from ui.threads import WorkerThread

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger(__name__)


class ModelPicker(QComboBox):
    """The model of the shown conversation: "Default model (…)" or an installed one."""

    def __init__(self) -> None:
        super().__init__()
        self.setToolTip("The model this conversation uses, from its next message on")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

    def show_models(self, models: list[InstalledModel], default: InstalledModel, chosen: str) -> None:
        self.blockSignals(True)
        self.clear()
        self.addItem(f"Default model ({default.name})", "")
        for model in models:
            self.addItem(model.name, model.id)
        index = self.findData(chosen)
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)

    def chosen(self) -> str:
        return str(self.currentData() or "")


class ModelsController(QObject):
    import_requested = Signal(str)
    download_requested = Signal(str)

    def __init__(self, window: MainWindow, worker: ModelsWorker | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.registry = ModelRegistry()
        self.worker = worker or ModelsWorker()
        self.models_thread = WorkerThread(self.worker, "models", self.worker.cancel.set)
        self.picker = ModelPicker()
        window.model_slot.addWidget(self.picker)
        self.view: ModelsView | None = None
        self._verb = ""
        self.import_requested.connect(self.worker.import_path)
        self.download_requested.connect(self.worker.download)
        self.worker.progress.connect(self._on_progress)
        self.worker.added.connect(self._on_added)
        self.worker.failed.connect(self._on_failed)
        self.picker.currentIndexChanged.connect(self._on_picked)

    # -- which model ------------------------------------------------------------------

    def _conversation_model(self, conversation_id: int) -> str:
        """The model id a conversation chose ("" for the default, or for no conversation)."""
        if not conversation_id:
            return ""
        try:
            return self.window.store.get(conversation_id).model
        except AssistantError:
            return ""

    def configure_for(self, conversation_id: int) -> None:
        """Send the model thread the settings of the model this conversation uses."""
        choice = choose_model(self.window.settings, self._conversation_model(conversation_id), self.registry)
        if choice.notice:
            self.window.statusBar().showMessage(choice.notice, 15000)
        self.window.configure.emit(choice.settings)

    def show_conversation(self, conversation_id: int) -> None:
        self._refresh_picker(self._conversation_model(conversation_id))

    def _refresh_picker(self, chosen: str | None = None) -> None:
        models = self.registry.models()
        default = choose_model(self.window.settings, "", self.registry).model
        self.picker.show_models(models, default, self.picker.chosen() if chosen is None else chosen)

    def _on_picked(self) -> None:
        window = self.window
        conversation_id = window.conversations.current_id() or window.conversations.new_conversation()
        window.store.set_model(conversation_id, self.picker.chosen())
        window.statusBar().showMessage(f"{self.picker.currentText()} answers this conversation's next message.", 8000)

    # -- the Models page --------------------------------------------------------------

    def open(self) -> ModelsView:
        if self.view is None:
            self.view = ModelsView(hardware.machine(), catalog.CATALOG, self.window)
            self.view.default_requested.connect(self.set_default)
            self.view.options_requested.connect(self.edit_options)
            self.view.remove_requested.connect(self.remove)
            self.view.import_requested.connect(self.start_import)
            self.view.download_requested.connect(self.start_download)
            self.view.cancel_requested.connect(self.worker.cancel.set)
        self.refresh()
        self.view.show()
        self.view.raise_()
        return self.view

    def refresh(self) -> None:
        if self.view is not None:
            default = self.window.settings.default_model or BUNDLED_ID
            self.view.show_models(self.registry.models(), default)
        self._refresh_picker()

    def set_default(self, model_id: str) -> None:
        self.window.settings.default_model = "" if model_id == BUNDLED_ID else model_id
        self._save()
        self.window.statusBar().showMessage("New conversations and those on “Default model” now use it.", 8000)
        self.refresh()

    def edit_options(self, model_id: str) -> ModelOptionsDialog | None:
        try:
            model = self.registry.get(model_id)
        except AssistantError as exc:
            self.window.show_error(str(exc))
            return None
        dialog = ModelOptionsDialog(model, self.window.settings.model, self.view)
        dialog.accepted.connect(lambda: self._save_options(model_id, dialog))
        dialog.open()
        return dialog

    def _save_options(self, model_id: str, dialog: ModelOptionsDialog) -> None:
        try:
            self.registry.set_options(model_id, dialog.options())
        except AssistantError as exc:
            self.window.show_error(str(exc))
            return
        self.refresh()

    def remove(self, model_id: str, confirm: bool = True) -> None:
        try:
            model = self.registry.get(model_id)
            if confirm:
                answer = QMessageBox.question(
                    self.view,
                    "Remove model",
                    f"Delete {model.name} ({model.size / 1e9:.2f} GB) from this computer?",
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return
            self.registry.remove(model_id)
        except AssistantError as exc:
            self.window.show_error(str(exc))
            return
        if self.window.settings.default_model == model_id:
            self.window.settings.default_model = ""
            self._save()
        self.refresh()

    def start_import(self, path: str) -> None:
        self._begin("Checking and copying", f"Checking {path}…")
        self.import_requested.emit(path)

    def start_download(self, model_id: str) -> None:
        self._begin("Downloading", f"Connecting to huggingface.co for {model_id}…")
        self.download_requested.emit(model_id)

    def _begin(self, verb: str, text: str) -> None:
        self._verb = verb
        self.worker.cancel.clear()
        if self.view is not None:
            self.view.set_busy(True, text)

    def _on_progress(self, done: int, total: int | None, speed: float) -> None:
        if self.view is not None:
            self.view.show_progress(done, total, speed, self._verb)

    def _on_added(self, model: InstalledModel) -> None:
        if self.view is not None:
            self.view.set_busy(False, f"Added {model.name}. Choose it for a conversation, or use it by default.")
        self.refresh()

    def _on_failed(self, message: str) -> None:
        if self.view is not None:
            self.view.set_busy(False, message)
        self.refresh()

    def _save(self) -> None:
        try:
            save_settings(self.window.settings)
        except AssistantError as exc:
            self.window.show_error(str(exc))

    def shutdown(self) -> None:
        self.models_thread.stop()
        if self.view is not None:
            self.view.close()
