"""The main window: conversations on the left, the chat on the right, status at the bottom."""

from __future__ import annotations

import dataclasses
import functools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QPaintEvent,
    QShortcut,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from assistant.agents import qa
from assistant.agents.chat import Finished
from assistant.config import Settings, save_settings
from assistant.conversations import ConversationStore
from assistant.errors import AssistantError
from assistant.runtime.types import RuntimeInfo
from ui.answer_from import AnswerFrom
from ui.chat_view import ChatView, shown_message
from ui.composer import Composer
from ui.conversation_files import add_file_menu
from ui.conversation_list import ConversationList
from ui.dispatcher import Dispatcher
from ui.escalation import EscalationController
from ui.file_drop import FileDrop
from ui.library_view import LibraryView
from ui.library_worker import LibraryWorker
from ui.local_server import LocalServerControl
from ui.models_controller import ModelsController
from ui.models_worker import ModelsWorker
from ui.route_bar import RouteBar, RoutePicker
from ui.shortcuts import ShortcutsDialog, TextSize
from ui.source_viewer import open_source
from ui.theme import Theme
from ui.threads import WorkerThread
from ui.welcome import WelcomeController
from ui.welcome_page import WelcomePage
from ui.worker import ModelWorker
from ui.writing_controller import WritingController

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Signals:
    first_painted(): the window was painted for the first time.
    request(str, int, str): to the model thread: action, conversation id, text.
    configure(object): to the model thread: new ModelSettings.
    load_requested(): to the model thread: load the model now.
    """

    first_painted = Signal()
    request = Signal(str, int, str, object)
    configure = Signal(object)
    load_requested = Signal()
    library_open = Signal()

    def __init__(
        self,
        settings: Settings,
        store: ConversationStore,
        worker: ModelWorker,
        library: LibraryWorker,
        models: ModelsWorker | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.store = store
        self.setWindowTitle("Private Assistant")
        self.resize(1000, 700)
        self.generating = False
        self.editing = False
        self.error_dialog: QMessageBox | None = None
        self._painted = False
        self._active_conversation = 0
        self._pending_text = ""

        self.conversations = ConversationList(store)
        self.library_view = LibraryView(library.control)
        self.answer_from = AnswerFrom()
        self.viewers: list[QWidget] = []
        self.chat = ChatView()
        self.composer = Composer()
        self.send_button = QPushButton(self.tr("Send"))
        self.stop_button = QPushButton(self.tr("Stop"))
        # Under the last reply as links (ChatView.set_reply_actions), in the Chat menu, and by shortcut.
        self.regenerate_action = QAction(self.tr("&Regenerate the reply"), self)
        self.regenerate_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.copy_action = QAction(self.tr("&Copy the last reply"), self)
        self.copy_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.edit_action = QAction(self.tr("&Edit my last message"), self)
        self.edit_action.setShortcut(QKeySequence("Ctrl+E"))
        self.stop_button.setToolTip(self.tr("Stop the reply (Esc)"))
        self.edit_hint = QLabel(self.tr("Editing your last message: Enter resends it, Esc cancels."))
        self.edit_hint.setVisible(False)
        self.route_picker = RoutePicker()
        self.route_bar = RouteBar()
        self._build_layout()
        self._build_status_bar()

        self.model_thread = WorkerThread(worker, "model", worker.cancel.set)
        self.library_thread = WorkerThread(library, "library", library.control.stop)
        self.escalation = EscalationController(self, self)
        self.dispatcher = Dispatcher(
            self, store, self.route_picker, self.answer_from, self.route_bar, library.search_cancel, parent=self
        )
        self.writing = WritingController(worker, lambda: self.generating, parent=self)
        self.models = ModelsController(self, self, models)
        self.models.configure_requested.connect(self.configure)
        self.models.load_requested.connect(self.load_requested)
        self.local_server = LocalServerControl(settings.server, library.call, self.escalation.keys)
        self.theme = Theme(str(settings.window.get("theme", "system")), self)  # light or dark, as the system is
        self.theme.changed.connect(self.chat.set_dark)
        self.chat.set_dark(self.theme.dark)
        self.file_drop = FileDrop(self)  # files and folders dropped anywhere go to the library
        self.file_drop.dropped.connect(self._on_dropped)
        self.welcome: WelcomeController | None = None
        if not settings.model_chosen:  # the first launch: choose a model before the first message
            self.welcome = WelcomeController(WelcomePage(), settings, self.models)
            self.pages.addWidget(self.welcome.page)
            self.pages.setCurrentWidget(self.welcome.page)
            self.welcome.closed.connect(self._on_welcome_closed)
        self._connect(worker)
        self._connect_library(library)
        self._build_menus()
        self.set_busy(self.tr("Starting…"))
        self.conversations.refresh()
        self.conversations.refresh(select=int(settings.window.get("conversation", 0)))
        if not self.conversations.current_id() and self.conversations.list.count():
            self.conversations.list.setCurrentRow(0)  # the last one is gone: open the newest
        self._show_conversation(self.conversations.current_id())
        self._update_actions()

    # -- building ---------------------------------------------------------------------

    def _build_layout(self) -> None:
        actions = QHBoxLayout()
        actions.addStretch(1)
        self.model_slot = QHBoxLayout()  # the models controller puts its picker here
        actions.addLayout(self.model_slot)
        actions.addWidget(self.route_picker)
        actions.addWidget(self.stop_button)
        actions.addWidget(self.send_button)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.chat, 1)
        column.addWidget(self.route_bar)
        column.addWidget(self.answer_from)
        column.addWidget(self.edit_hint)
        self.notice_slot = QVBoxLayout()  # offers that wait for an answer (a downloaded model)
        column.addLayout(self.notice_slot)
        column.addWidget(self.composer)
        column.addLayout(actions)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.conversations, self.tr("Chats"))
        self.tabs.addTab(self.library_view, self.tr("Library"))
        self.chat_page = right
        self.pages = QStackedWidget()  # the chat, or the welcome page on the first launch
        self.pages.addWidget(right)
        splitter = QSplitter()
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 700])
        self.setCentralWidget(splitter)
        self.composer.setFocus()

    def _build_menus(self) -> None:
        add_file_menu(self)
        chat = self.menuBar().addMenu(self.tr("&Chat"))
        for action in (self.regenerate_action, self.copy_action, self.edit_action):
            chat.addAction(action)
        tools = self.menuBar().addMenu(self.tr("&Tools"))
        tools.addAction(self.tr("&Writing help…"), QKeySequence("Ctrl+Shift+W"), self.writing.open)
        self.ask_cloud_action = tools.addAction(
            self.tr("Ask &cloud model…"), QKeySequence("Ctrl+Shift+E"), self.escalation.ask_cloud
        )
        settings = self.menuBar().addMenu(self.tr("&Settings"))
        settings.addAction(self.tr("&Models…"), QKeySequence("Ctrl+Shift+M"), self.models.open)
        settings.addAction(self.tr("&Cloud provider…"), self.escalation.open_settings)
        settings.addAction(self.tr("&Language…"), self.open_language)
        settings.addAction(self.tr("Local &server…"), self.open_local_server)
        view = self.menuBar().addMenu(self.tr("&View"))
        view.addAction(self.tr("What &left this device…"), self.escalation.open_audit)
        view.addSeparator()
        themes = view.addMenu(self.tr("&Theme"))
        group = QActionGroup(self)
        for choice, label in (
            ("system", self.tr("Follow the &system")),
            ("light", self.tr("&Light")),
            ("dark", self.tr("&Dark")),
        ):
            action = themes.addAction(label, functools.partial(self._choose_theme, choice))
            action.setCheckable(True)
            action.setChecked(choice == self.theme.choice)
            group.addAction(action)
        self.text_size = TextSize(int(self.settings.window.get("text_step", 0)))
        for label, keys, change in (
            (self.tr("&Larger text"), QKeySequence(QKeySequence.StandardKey.ZoomIn), self.text_size.larger),
            (self.tr("&Smaller text"), QKeySequence(QKeySequence.StandardKey.ZoomOut), self.text_size.smaller),
            (self.tr("&Normal text size"), QKeySequence("Ctrl+0"), self.text_size.normal),
        ):
            view.addAction(label, keys, functools.partial(self._change_text_size, change))
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        help_menu.addAction(self.tr("&Keyboard shortcuts"), QKeySequence("Ctrl+/"), self.open_shortcuts)
        about = help_menu.addAction(self.tr("&About Private Assistant"), self.open_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        self.update_cloud_actions()

    def _choose_theme(self, choice: str) -> None:
        self.theme.choose(choice)
        self.settings.window["theme"] = choice  # remembered for the next start

    def _change_text_size(self, change: Callable[[], int]) -> None:
        self.settings.window["text_step"] = change()  # remembered for the next start

    def open_shortcuts(self) -> None:
        self.shortcuts_dialog = ShortcutsDialog(self)
        self.shortcuts_dialog.show()

    def open_about(self) -> None:
        from ui.about_dialog import AboutDialog

        self.about_dialog = AboutDialog(self)
        self.about_dialog.show()

    def open_language(self) -> None:
        from ui.language_dialog import LanguageDialog

        self.language_dialog = LanguageDialog(self.settings, self)
        self.language_dialog.open()

    def _use_example(self, text: str) -> None:
        self.composer.setPlainText(text)  # to send as it is, or to change first
        self.composer.moveCursor(QTextCursor.MoveOperation.End)
        self.composer.setFocus()

    def _on_dropped(self, paths: list[str]) -> None:
        self.tabs.setCurrentWidget(self.library_view)  # where the progress and each file's status show
        self.library_view.add_dropped(paths)

    def open_local_server(self) -> None:
        from ui.local_server import LocalServerDialog

        self.local_server_dialog = LocalServerDialog(self.local_server, self)
        self.local_server_dialog.finished.connect(lambda _: self._save_settings())
        self.local_server_dialog.open()

    def _save_settings(self) -> None:
        try:
            save_settings(self.settings)
        except AssistantError as exc:
            self.show_error(str(exc))

    def update_cloud_actions(self) -> None:
        available = self.settings.cloud.available
        self.ask_cloud_action.setEnabled(available)
        self.escalation.offer(self.dispatcher.route, weak=False)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy_label = QLabel()
        self.not_loaded_text = self.tr("Model: not loaded")
        self.model_label = QLabel(self.not_loaded_text)
        self.backend_label = QLabel("")
        self.speed_label = QLabel("")
        bar.addWidget(self.busy_label, 1)
        bar.addWidget(self.busy)
        for label in (self.model_label, self.backend_label, self.speed_label):
            bar.addPermanentWidget(label)
        # A model's own name (GGUF general.name), error text and file names are never markup.
        for label in (self.busy_label, self.model_label, self.backend_label, self.speed_label):
            label.setTextFormat(Qt.TextFormat.PlainText)

    def _connect(self, worker: ModelWorker) -> None:
        self.request.connect(worker.run)
        self.configure.connect(worker.configure)
        self.load_requested.connect(worker.load)
        worker.loading.connect(self._on_loading)
        worker.loaded.connect(self._on_loaded)
        worker.load_failed.connect(self._on_load_failed)
        worker.token.connect(self.chat.append_token)
        worker.notice.connect(self._on_notice)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        self.composer.submitted.connect(self.send)
        self.send_button.clicked.connect(self.composer.submit)
        self.stop_button.clicked.connect(self.stop)
        self.regenerate_action.triggered.connect(self.regenerate)
        self.copy_action.triggered.connect(self.copy_reply)
        self.edit_action.triggered.connect(self.edit_last)
        self.conversations.selected.connect(self._show_conversation)
        self.conversations.deleted.connect(self._on_conversation_deleted)
        self.route_bar.rerouted.connect(self.reroute)
        self.route_bar.escalate_clicked.connect(self.escalation.ask_cloud)
        self.chat.link_clicked.connect(
            lambda url: self.statusBar().showMessage(
                self.tr("Links are not opened from chats: {url}").format(url=url), 8000
            )
        )
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self._on_escape)
        QShortcut(QKeySequence.StandardKey.New, self, self.conversations.new_conversation)
        QShortcut(QKeySequence("Ctrl+L"), self, self.composer.setFocus)
        QShortcut(QKeySequence("Ctrl+1"), self, lambda: self.tabs.setCurrentWidget(self.conversations))
        QShortcut(QKeySequence("Ctrl+2"), self, lambda: self.tabs.setCurrentWidget(self.library_view))

    def _connect_library(self, library: LibraryWorker) -> None:
        self.library_open.connect(library.open)
        self.library_view.add_requested.connect(library.add)
        self.library_view.add_requested.connect(lambda *_: self.library_view.starting())
        self.library_view.sync_requested.connect(lambda *_: self.library_view.starting())
        self.library_view.remove_requested.connect(library.remove)
        self.library_view.sync_requested.connect(library.sync)
        self.library_view.embedder_box.choose_requested.connect(library.choose_embedder)
        self.library_view.embedder_box.models_requested.connect(self.models.open_embedder)
        self.models.search_models_changed.connect(library.reload_models)
        self.models.embedder_chosen.connect(library.choose_embedder)
        self.dispatcher.search_requested.connect(library.search)
        self.dispatcher.route_requested.connect(library.route)
        library.routed.connect(self.dispatcher.on_routed)
        library.changed.connect(self._on_library_changed)
        library.progress.connect(self.library_view.show_progress)
        library.synced.connect(self.library_view.show_synced)
        library.watching.connect(self.library_view.show_watching)
        library.results.connect(self.dispatcher.on_search_results)
        library.failed.connect(self._on_library_failed)
        self.answer_from.changed.connect(self._on_answer_from_changed)
        self.chat.source_clicked.connect(self.open_source)
        self.chat.action_clicked.connect(self._on_chat_action)
        self.chat.example_chosen.connect(self._use_example)

    def start(self) -> None:
        """Load the model and open the library on their threads; called once the window is on screen."""
        self.models.configure_for(self.conversations.current_id())
        self.load_requested.emit()
        self.library_open.emit()
        if self.settings.server.enabled and not self.local_server.start():  # switched on in an earlier session
            self.statusBar().showMessage(
                self.tr("The local server did not start: {error}").format(error=self.local_server.error), 15_000
            )
        if self.welcome is not None and self.welcome.open:
            self.welcome.start()

    def _on_welcome_closed(self) -> None:
        self.pages.setCurrentWidget(self.chat_page)
        self.composer.setFocus()

    def open_library(self) -> None:
        self.tabs.setCurrentWidget(self.library_view)
        self.library_view.setFocus()

    def _on_chat_action(self, action: str) -> None:
        """A link in the conversation: open the Library, or one of the last reply's actions."""
        if action == "library":
            self.open_library()
        elif action == "regenerate":
            self.regenerate_action.trigger()
        elif action == "edit":
            self.edit_action.trigger()
        elif action.startswith("copy:"):
            index = action.removeprefix("copy:")
            shown = self.chat.messages()
            if index.isdigit() and int(index) < len(shown) and shown[int(index)].text:
                QGuiApplication.clipboard().setText(shown[int(index)].text)
                self.statusBar().showMessage(self.tr("Reply copied."), 3000)

    # -- actions ----------------------------------------------------------------------

    def send(self, text: str) -> None:
        if self.generating or not text.strip():
            return
        conversation_id = self.conversations.current_id() or self.conversations.new_conversation()
        action = "edit" if self.editing else "send"
        if self.editing:
            self._drop_shown_from_last_user()
        self._set_editing(False)
        self.composer.clear()
        self.chat.add_user_message(text)
        self.route_bar.show_offer("", can_escalate=False)
        if action == "edit":
            self.begin_reply(action, conversation_id, text)
        else:
            self.dispatcher.send(conversation_id, text)

    def reroute(self, route: str) -> None:
        """Answer the last message again on ``route`` (the person's override after sending)."""
        conversation_id = self.conversations.current_id()
        users = [m for m in self.chat.messages() if m.role == "user"]
        if self.generating or not conversation_id or not users:
            return
        self._drop_shown_after_last_user()
        self.dispatcher.reroute(conversation_id, users[-1].text, route)

    def regenerate(self) -> None:
        conversation_id = self.conversations.current_id()
        if self.generating or not conversation_id:
            return
        shown = self.chat.messages()
        while shown and shown[-1].role == "assistant":
            shown.pop()
        self.chat.set_messages(shown)
        self.begin_reply("regenerate", conversation_id, "")

    def edit_last(self) -> None:
        users = [m for m in self.chat.messages() if m.role == "user"]
        if self.generating or not users:
            return
        self.composer.setPlainText(users[-1].text)
        self._set_editing(True)
        self.composer.setFocus()

    def stop(self) -> None:
        if self.generating and self.dispatcher.abandon():  # still routing or searching: nothing was asked yet
            self.library_thread.worker.search_cancel.set()  # a cross-encoder stops within one batch
            self._on_failed("")
            return
        if self.generating:
            self.model_thread.worker.cancel.set()
            self.escalation.stop()
            self.set_busy(self.tr("Stopping…"))

    def copy_reply(self) -> None:
        text = self.chat.last_reply_text()
        if text:
            QGuiApplication.clipboard().setText(text)
            self.statusBar().showMessage(self.tr("Reply copied."), 3000)

    def _on_library_failed(self, message: str) -> None:
        if self.dispatcher.abandon():
            self._on_failed("")
        self.show_error(message)

    def _on_library_changed(self, state: dict[str, Any]) -> None:
        self.library_view.show_state(state)
        self.answer_from.set_available(state["collections"])

    def _on_answer_from_changed(self, names: list[str]) -> None:
        conversation_id = self.conversations.current_id()
        if not conversation_id:
            conversation_id = self.conversations.new_conversation()  # shows it, resetting the picker
            self.answer_from.set_chosen(names)
        self.store.set_collections(conversation_id, names)

    def open_source(self, source: dict[str, Any]) -> None:
        """Open a cited file: PDFs in the viewer at the page, others at the passage."""
        try:
            self.viewers.append(open_source(source, self))
        except AssistantError as exc:
            self.show_error(str(exc))
        except Exception as exc:  # noqa: BLE001 - a file moved or unreadable since indexing
            log.exception("opening %s failed", source.get("path"))
            self.show_error(self.tr("{path} could not be opened ({error}).").format(path=source.get("path"), error=exc))

    def wait_for_library(self, text: str, busy: str) -> None:
        """The message waits for the library thread (routing or searching) before the model answers."""
        self.generating = True
        self._pending_text = text
        self.set_busy(busy)
        self._update_actions()

    def begin_reply(self, action: str, conversation_id: int, text: str, extra: Any = None) -> None:
        self.generating = True
        self.model_thread.worker.cancel.clear()  # here, not on the worker: a quick Stop is never lost
        self._active_conversation = conversation_id
        self._pending_text = text
        self.chat.begin_reply()
        self.set_busy(self.tr("Writing…"))
        self._update_actions()
        self.models.configure_for(conversation_id)  # the conversation's model, from this message on
        self.request.emit(action, conversation_id, text, extra)

    # -- model thread events ----------------------------------------------------------

    def _on_loading(self, name: str) -> None:
        self.set_busy(self.tr("Loading the model…"))
        self.model_label.setText(self.tr("Model: {name} (loading)").format(name=name))

    def _on_loaded(self, info: RuntimeInfo) -> None:
        self.model_label.setText(self.tr("Model: {name}").format(name=info.model))
        if info.gpu_layers:
            backend = self.tr("Backend: {backend}, {layers} GPU layers").format(
                backend=info.backend, layers=info.gpu_layers
            )
        else:
            backend = self.tr("Backend: {backend}").format(backend=info.backend)
        self.backend_label.setText(backend)
        if info.notice:
            self.statusBar().showMessage(info.notice, 15000)
        if not self.generating:
            self.set_busy("")

    def _on_load_failed(self, message: str) -> None:
        self.model_label.setText(self.not_loaded_text)
        self.set_busy("")
        self.show_error(message)

    def _on_notice(self, text: str) -> None:
        self.statusBar().showMessage(text, 15000)

    def _on_finished(self, event: Finished) -> None:
        cited = tuple(dataclasses.asdict(s) for s in event.sources)
        self.chat.end_reply(
            complete=not event.stats.cancelled,
            sources=cited,
            text=event.text,  # the kept reply: a loop trimmed, an extractive lead added
            stopped=event.stopped,
            claims=tuple(event.claims),
        )
        self.speed_label.setText(self.tr("{speed:.1f} tokens/s").format(speed=event.stats.tokens_per_s))
        self._end_request()
        weak = not event.text.strip() or event.text.strip() == qa.NOT_FOUND
        self.escalation.offer(self.dispatcher.route, weak=weak)

    def show_app_reply(self, text: str, origin: str) -> None:
        """A reply the app writes itself, with no model (how to add documents); the request ends."""
        self.chat.add_app_reply(text, origin)
        self._end_request()

    def begin_external_reply(self, busy: str) -> None:
        """A reply that comes from elsewhere (the approved cloud request) starts streaming."""
        self.generating = True
        self.chat.begin_reply()
        self.set_busy(busy)
        self.route_bar.show_offer("", can_escalate=False)
        self._update_actions()

    def end_external_reply(self, complete: bool, origin: str, failed: bool = False) -> None:
        self.chat.end_reply(complete=complete, origin=origin)
        self._end_request()
        if failed:
            self._show_conversation(self.conversations.current_id())  # the local answer, as stored

    def _on_failed(self, message: str) -> None:
        self.chat.end_reply(complete=False)
        self._end_request()
        self._show_conversation(self.conversations.current_id())
        stored = [m.text for m in self.chat.messages() if m.role == "user"]
        if self._pending_text and (not stored or stored[-1] != self._pending_text):
            # Nothing was saved: give the person their words back instead of losing them.
            if not self.composer.toPlainText().strip():
                self.composer.setPlainText(self._pending_text)
        if message:
            self.show_error(message)

    def _end_request(self) -> None:
        self.generating = False
        self.set_busy("")
        self.conversations.refresh()
        self._update_actions()

    # -- helpers ----------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        """A non-blocking dialog; the window stays usable behind it."""
        log.info("shown to the person: %s", message)
        self.error_dialog = QMessageBox(QMessageBox.Icon.Critical, "Private Assistant", "", parent=self)
        self.error_dialog.setTextFormat(Qt.TextFormat.PlainText)  # provider errors and file names are not markup
        self.error_dialog.setText(message)
        self.error_dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.error_dialog.open()

    def set_busy(self, text: str) -> None:
        self.busy_label.setText(text)
        self.busy.setVisible(bool(text))

    def _show_conversation(self, conversation_id: int) -> None:
        if self.generating:
            return
        self._set_editing(False)
        if not conversation_id:
            self.chat.set_messages([])
        else:
            try:
                messages = self.store.messages(conversation_id)
            except AssistantError as exc:
                self.show_error(str(exc))
                return
            self.chat.set_messages([shown_message(m) for m in messages if m.role != "system"])
            self.answer_from.set_chosen(self.store.get(conversation_id).collections)
        self.models.show_conversation(conversation_id)
        self._update_actions()

    def _on_conversation_deleted(self, conversation_id: int) -> None:
        if self.generating and self._active_conversation == conversation_id:
            self.model_thread.worker.cancel.set()

    def _drop_shown_after_last_user(self) -> None:
        shown = self.chat.messages()
        last_user = max((i for i, m in enumerate(shown) if m.role == "user"), default=len(shown) - 1)
        self.chat.set_messages(shown[: last_user + 1])

    def _drop_shown_from_last_user(self) -> None:
        shown = self.chat.messages()
        last_user = max((i for i, m in enumerate(shown) if m.role == "user"), default=len(shown))
        self.chat.set_messages(shown[:last_user])

    def _set_editing(self, editing: bool) -> None:
        self.editing = editing
        self.edit_hint.setVisible(editing)

    def _on_escape(self) -> None:
        if self.generating:
            self.stop()
        elif self.editing:
            self._set_editing(False)
            self.composer.clear()

    def _update_actions(self) -> None:
        shown = self.chat.messages()
        has_user = any(m.role == "user" for m in shown)
        self.send_button.setEnabled(not self.generating)
        self.stop_button.setEnabled(self.generating)
        self.regenerate_action.setEnabled(not self.generating and has_user)
        self.edit_action.setEnabled(not self.generating and has_user)
        self.copy_action.setEnabled(any(m.role == "assistant" and m.text for m in shown))
        self.chat.set_reply_actions(not self.generating and has_user)
        self.conversations.setEnabled(not self.generating)

    # -- Qt events --------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.local_server.stop(notify=False)  # before the library thread it reads through
        self.file_drop.stop()
        self.model_thread.stop()
        self.library_thread.stop()
        self.escalation.shutdown()
        self.models.shutdown()
        self.writing.close()
        for viewer in self.viewers:
            viewer.close()
        self.settings.window["conversation"] = self.conversations.current_id()
        self.settings.window["geometry"] = bytes(self.saveGeometry().toHex().data()).decode()
        try:
            save_settings(self.settings)
        except AssistantError:
            log.exception("settings not saved on close")
        self.store.close()
        super().closeEvent(event)

    def restore_geometry(self, data: Any) -> None:
        from PySide6.QtCore import QByteArray

        if isinstance(data, str) and data:
            self.restoreGeometry(QByteArray.fromHex(data.encode()))
