"""Models in the window: the Models page, the per-conversation model picker, and which model loads.

A conversation's model takes effect on its next message: before each request the window
sends the model thread the chosen model's settings, and the thread reloads only if they
changed. A download runs while the person chats: its progress is in the status bar, and when
it is done a bar offers to make it the default model.

Search models (rerankers and embedding models, the Models window's "Search reranker" and "Search
model" tabs) download on the same thread, with the same progress, cancel and checks;
``search_models_changed`` tells whoever holds the library to pick them up (or drop a removed one), and
``embedder_chosen`` asks it to embed with another model.
"""

from __future__ import annotations

import logging
import shutil
from functools import partial
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QBoxLayout, QComboBox, QMessageBox, QStatusBar, QWidget

from assistant.config import save_settings
from assistant.errors import AssistantError
from assistant.runtime import catalog, hardware
from assistant.runtime.loader import choose_model
from assistant.runtime.registry import BUNDLED_ID, InstalledModel, ModelRegistry
from ui.download_status import DownloadStatus, SwitchOffer
from ui.i18n import QT_TRANSLATE_NOOP
from ui.model_figures import gigabytes
from ui.model_options import ModelOptionsDialog
from ui.models_view import ModelsView
from ui.models_worker import ModelsWorker
from ui.search_models_panel import EMBEDDER, KINDS, short_name, states
from ui.threads import WorkerThread

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.conversations import ConversationStore
    from ui.conversation_list import ConversationList


class ModelsHost(Protocol):
    """What the models controller needs of the window: settings, store, the conversation list, where its
    widgets go, and how to tell the person something."""

    settings: Settings
    store: ConversationStore
    conversations: ConversationList

    @property
    def generating(self) -> bool: ...  # a chat reply is on its way

    @property
    def model_slot(self) -> QBoxLayout: ...  # where the model picker goes

    @property
    def notice_slot(self) -> QBoxLayout: ...  # where offers that wait for an answer go

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name

    def show_error(self, message: str) -> None: ...


log = logging.getLogger(__name__)


# What the models thread is doing, shown before its progress (translated where shown).
VERBS = (
    QT_TRANSLATE_NOOP("ModelsController", "Downloading"),
    QT_TRANSLATE_NOOP("ModelsController", "Checking and copying"),
)


class ModelPicker(QComboBox):
    """The model of the shown conversation: "Default model (…)" or an installed one."""

    def __init__(self) -> None:
        super().__init__()
        self.setToolTip(self.tr("The model this conversation uses, from its next message on"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

    def show_models(self, models: list[InstalledModel], default: InstalledModel, chosen: str) -> None:
        self.blockSignals(True)
        self.clear()
        self.addItem(self.tr("Default model ({name})").format(name=default.name), "")
        for model in models:
            self.addItem(model.name, model.id)
        index = self.findData(chosen)
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)

    def chosen(self) -> str:
        return str(self.currentData() or "")


class ModelsController(QObject):
    """Signals:
    import_requested(str), download_requested(str), survey_requested(): to the models thread.
    download_started(str): a catalog model's download began (from the welcome page or the Models page).
    search_download_requested(str, str): a search model's kind and catalog id, to the models thread.
    search_models_changed(): a reranker or embedding model was downloaded or removed; a running library
        should look again (``LibraryWorker.reload_models``) so its next search, and the Library tab's
        search model box, use what is installed now.
    embedder_chosen(str): the person chose an installed embedding model (its repository, the model id a
        library records) for the library (``LibraryWorker.choose_embedder``).
    """

    import_requested = Signal(str)
    download_requested = Signal(str)
    survey_requested = Signal()
    download_started = Signal(str)
    search_download_requested = Signal(str, str)
    search_models_changed = Signal()
    embedder_chosen = Signal(str)
    configure_requested = Signal(object)  # the ModelSettings the next request runs with (to the model thread)
    load_requested = Signal()  # load the configured model now (the model thread)

    def __init__(self, host: ModelsHost, parent: QWidget, worker: ModelsWorker | None = None) -> None:
        """``host``: the window's parts the controller uses; ``parent``: the window its dialogs belong to."""
        super().__init__(parent)
        self.host = host
        self.parent_widget = parent
        self.registry = ModelRegistry()
        self.worker = worker or ModelsWorker()
        self.models_thread = WorkerThread(self.worker, "models", self.worker.cancel.set)
        self.picker = ModelPicker()
        host.model_slot.addWidget(self.picker)
        self.download_status = DownloadStatus()
        host.statusBar().addPermanentWidget(self.download_status)
        self.switch_offer = SwitchOffer()
        host.notice_slot.addWidget(self.switch_offer)
        self.view: ModelsView | None = None
        self.machine: hardware.Machine | None = None  # from the survey, once it ran
        self._verb = ""  # what the models thread is doing: "Downloading", "Checking and copying" or ""
        self._search = ""  # the kind of search model being downloaded ("reranker", "embedder"), if one is
        self._cancelled = False
        self.import_requested.connect(self.worker.import_path)
        self.download_requested.connect(self.worker.download)
        self.survey_requested.connect(self.worker.survey)
        self.search_download_requested.connect(self.worker.download_search_model)
        self.worker.search_model_added.connect(self._on_search_model_added)
        self.worker.surveyed.connect(self._on_surveyed)
        self.worker.progress.connect(self._on_progress)
        self.worker.added.connect(self._on_added)
        self.worker.failed.connect(self._on_failed)
        self.picker.currentIndexChanged.connect(self._on_picked)
        self.download_status.cancel_requested.connect(self.cancel)
        self.switch_offer.switch_requested.connect(self.switch_to)

    # -- which model ------------------------------------------------------------------

    def _conversation_model(self, conversation_id: int) -> str:
        """The model id a conversation chose ("" for the default, or for no conversation)."""
        if not conversation_id:
            return ""
        try:
            return self.host.store.get(conversation_id).model
        except AssistantError:
            return ""

    def configure_for(self, conversation_id: int) -> None:
        """Send the model thread the settings of the model this conversation uses."""
        choice = choose_model(self.host.settings, self._conversation_model(conversation_id), self.registry)
        if choice.notice:
            self.host.statusBar().showMessage(choice.notice, 15000)
        self.configure_requested.emit(choice.settings)

    def show_conversation(self, conversation_id: int) -> None:
        self._refresh_picker(self._conversation_model(conversation_id))

    def _refresh_picker(self, chosen: str | None = None) -> None:
        models = self.registry.models()
        default = choose_model(self.host.settings, "", self.registry).model
        self.picker.show_models(models, default, self.picker.chosen() if chosen is None else chosen)

    def _on_picked(self) -> None:
        host = self.host
        conversation_id = host.conversations.current_id() or host.conversations.new_conversation()
        host.store.set_model(conversation_id, self.picker.chosen())
        host.statusBar().showMessage(
            self.tr("{model} answers this conversation's next message.").format(model=self.picker.currentText()), 8000
        )

    # -- the Models page --------------------------------------------------------------

    def survey(self) -> None:
        """Look at this machine and recommend a model, on the models thread (``worker.surveyed`` answers)."""
        self.survey_requested.emit()

    def _on_surveyed(self, machine: hardware.Machine, recommendation: object) -> None:
        self.machine = machine

    def open(self, *, tab: str = "", select: str = "") -> ModelsView:
        """Show the Models window; ``tab``: "chat", "reranker" or "embedder" shows that tab, and ``select``
        (a catalog id or repository) chooses that search model in it. Keyword-only: a signal's arguments
        (a menu action's ``checked``) never land here."""
        if self.view is None:
            machine = self.machine or hardware.machine()
            self.view = ModelsView(
                machine, catalog.CATALOG, self.parent_widget, rerankers=catalog.RERANKERS, embedders=catalog.EMBEDDERS
            )
            self.view.default_requested.connect(self.set_default)
            self.view.options_requested.connect(self.edit_options)
            self.view.remove_requested.connect(self.remove)
            self.view.import_requested.connect(self.start_import)
            self.view.download_requested.connect(self.start_download)
            self.view.cancel_requested.connect(self.cancel)
            for kind, panel in self.view.panels.items():
                panel.download_requested.connect(partial(self.start_search_download, kind))
                panel.remove_requested.connect(partial(self.remove_search_model, kind))
                panel.cancel_requested.connect(self.cancel)
            self.view.embedders.use_requested.connect(self.use_embedder)
        self.refresh()
        if tab:
            self.view.show_tab(tab)
        if select and tab in self.view.panels:
            self.view.panels[tab].select(select)
        self.view.show()
        self.view.raise_()
        return self.view

    def open_embedder(self, model_id: str = "") -> ModelsView:
        """Show the "Search model" tab with ``model_id`` (a catalog id or repository) chosen, to download it."""
        return self.open(tab=EMBEDDER.key, select=model_id)

    def refresh(self) -> None:
        if self.view is not None:
            default = self.host.settings.default_model or BUNDLED_ID
            self.view.show_models(self.registry.models(), default)
            for panel in self.view.panels.values():
                panel.show_states(states(panel.kind, self.registry.root, panel.entries))
        self._refresh_picker()

    def set_default(self, model_id: str) -> None:
        self.host.settings.default_model = "" if model_id == BUNDLED_ID else model_id
        self.host.settings.model_chosen = True
        self.save()
        self.host.statusBar().showMessage(self.tr("New conversations and those on “Default model” now use it."), 8000)
        self.refresh()

    def switch_to(self, model_id: str) -> None:
        """Make a model the default and load it now, so the next reply does not wait for it."""
        self.set_default(model_id)
        self.host.statusBar().showMessage(self.tr("Your chats use the new model from the next message on."), 8000)
        if not self.host.generating:  # otherwise the next message configures it
            self.configure_for(self.host.conversations.current_id())
            self.load_requested.emit()

    def edit_options(self, model_id: str) -> ModelOptionsDialog | None:
        try:
            model = self.registry.get(model_id)
        except AssistantError as exc:
            self.host.show_error(str(exc))
            return None
        dialog = ModelOptionsDialog(model, self.host.settings.model, self.view)
        dialog.accepted.connect(lambda: self._save_options(model_id, dialog))
        dialog.open()
        return dialog

    def _save_options(self, model_id: str, dialog: ModelOptionsDialog) -> None:
        try:
            self.registry.set_options(model_id, dialog.options())
        except AssistantError as exc:
            self.host.show_error(str(exc))
            return
        self.refresh()

    def remove(self, model_id: str, confirm: bool = True) -> None:
        try:
            model = self.registry.get(model_id)
            if confirm:
                answer = QMessageBox.question(
                    self.view,
                    self.tr("Remove model"),
                    self.tr("Delete {name} ({size:.2f} GB) from this computer?").format(
                        name=model.name, size=model.size / 1e9
                    ),
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return
            self.registry.remove(model_id)
        except AssistantError as exc:
            self.host.show_error(str(exc))
            return
        if self.host.settings.default_model == model_id:
            self.host.settings.default_model = ""
            self.save()
        if self.switch_offer.model_id == model_id:
            self.switch_offer.dismiss()
        self.refresh()

    def start_import(self, path: str) -> None:
        self._begin("Checking and copying", self.tr("Checking {path}…").format(path=path))
        self.import_requested.emit(path)

    def start_download(self, model_id: str) -> None:
        if self._verb:
            self.host.statusBar().showMessage(self.tr("Another model is being added; wait until it is done."), 8000)
            return
        try:
            name = catalog.find(model_id).name
        except AssistantError:
            name = model_id
        self._begin("Downloading", self.tr("Connecting to huggingface.co for {name}…").format(name=name))
        self.download_status.begin(name)
        self.download_requested.emit(model_id)
        self.download_started.emit(model_id)

    def start_search_download(self, kind: str, model_id: str) -> None:
        """Download a reranker (``kind`` "reranker") or an embedding model ("embedder") on the models thread."""
        if self._verb:
            self.host.statusBar().showMessage(self.tr("Another model is being added; wait until it is done."), 8000)
            return
        try:
            entry = KINDS[kind].find(model_id)
        except AssistantError as exc:
            self.host.show_error(str(exc))
            return
        self._search = kind
        self._begin("Downloading", "")
        if self.view is not None:
            text = self.tr("Connecting to huggingface.co for {name}…").format(name=short_name(entry))
            self.view.panels[kind].set_status(text)
        self.download_status.begin(short_name(entry))
        self.search_download_requested.emit(kind, entry.id)

    def remove_search_model(self, kind: str, model_id: str, confirm: bool = True) -> None:
        """Delete a search model's folder (and any unfinished download of it); search goes on without it."""
        if self._verb:
            return
        search = KINDS[kind]
        try:
            entry = search.find(model_id)
        except AssistantError as exc:
            self.host.show_error(str(exc))
            return
        name = short_name(entry)
        if confirm:
            question = search.say("remove question").format(name=name, size=gigabytes(entry.size))
            answer = QMessageBox.question(self.view, search.say("remove title"), question)
            if answer != QMessageBox.StandardButton.Yes:
                return
        root = self.registry.root / search.folder
        try:
            for folder in (root / entry.id, root / f".{entry.id}.downloading"):
                if folder.exists():
                    shutil.rmtree(folder)
        except OSError as exc:
            log.warning("removing %s %s failed: %s", kind, entry.id, exc)
            self.host.show_error(
                self.tr("{name} could not be removed ({error}). Close other programs using it and try again.").format(
                    name=name, error=exc.strerror or exc
                )
            )
        else:
            if self.view is not None:
                self.view.panels[kind].set_status(self.tr("Removed {name}.").format(name=name))
        self.refresh()
        self.search_models_changed.emit()

    def use_embedder(self, model_id: str) -> None:
        """Have the library embed with ``model_id`` (an installed embedder's repository) from now on."""
        if self.view is not None:
            entry = self.view.embedders.entry(model_id)
            name = short_name(entry) if entry is not None else model_id
            self.view.embedders.set_status(EMBEDDER.say("chosen").format(name=name))
        self.embedder_chosen.emit(model_id)

    def cancel(self) -> None:
        """Stop the import or download in progress (the models thread deletes what it had)."""
        self._cancelled = True
        self.worker.cancel.set()

    def _begin(self, verb: str, text: str) -> None:
        self._verb = verb
        self._cancelled = False
        self.worker.cancel.clear()
        if self.view is not None:
            self.view.set_busy(True, text, search=self._search)

    def _on_progress(self, done: int, total: int | None, speed: float) -> None:
        if self.view is not None and self._search:
            self.view.panels[self._search].show_progress(done, total, speed)
        elif self.view is not None:
            self.view.show_progress(done, total, speed, self._verb)
        if self._verb == "Downloading":
            self.download_status.show_progress(done, total, speed)

    def _on_added(self, model: InstalledModel) -> None:
        downloaded, self._verb = self._verb == "Downloading", ""
        self.download_status.finish()
        if self.view is not None:
            self.view.set_busy(
                False,
                self.tr("Added {name}. Choose it for a conversation, or use it by default.").format(name=model.name),
            )
        if downloaded and model.id != self.host.settings.default_model:
            self.switch_offer.offer(model.id, model.name)
        self.refresh()

    def _on_search_model_added(self, kind: str, model_id: str) -> None:
        self._verb = self._search = ""
        self.download_status.finish()
        if self.view is not None:
            panel = self.view.panels[kind]
            entry = panel.entry(model_id)
            self.view.set_busy(False)
            panel.set_status(panel.kind.say("added").format(name=short_name(entry) if entry else model_id))
        self.refresh()
        self.search_models_changed.emit()

    def _on_failed(self, message: str) -> None:
        downloaded, self._verb = self._verb == "Downloading", ""
        search, self._search = self._search, ""
        self.download_status.finish()
        if self.view is not None and search:
            self.view.set_busy(False)
            self.view.panels[search].set_status(message)
        elif self.view is not None:
            self.view.set_busy(False, message)
        if downloaded and not self._cancelled and (self.view is None or not self.view.isVisible()):
            self.host.show_error(message)  # a download started from the welcome page: say why it stopped
        self.refresh()

    def save(self) -> None:
        """Save the settings; an error is shown, not raised."""
        try:
            save_settings(self.host.settings)
        except AssistantError as exc:
            self.host.show_error(str(exc))

    def shutdown(self) -> None:
        self.models_thread.stop()
        if self.view is not None:
            self.view.close()
