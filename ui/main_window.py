"""The main window: conversations on the left, the chat or the library on the right, status at the bottom.

It only assembles the views, threads and controllers and lays them out; behaviour lives in the controllers
(the chat in ``ChatController``, the menu bar in ``Menus``), which receive the parts they use, not the window.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QPaintEvent, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from assistant.config import Settings, save_settings
from assistant.conversations import ConversationStore
from assistant.errors import AssistantError
from ui.answer_from import AnswerFrom
from ui.chat_controller import ChatController
from ui.chat_view import ChatView
from ui.composer import Composer
from ui.conversation_list import ConversationList
from ui.escalation import EscalationController
from ui.file_drop import FileDrop
from ui.library_view import LibraryView
from ui.library_worker import LibraryWorker
from ui.local_server import LocalServerControl
from ui.markdown_html import warm_up
from ui.menus import Menus
from ui.models_controller import ModelsController
from ui.models_worker import ModelsWorker
from ui.navigation import Navigation
from ui.route_bar import RouteBar, RoutePicker
from ui.status_bar import StatusBar
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
    load_requested(): to the model thread: load the model now.
    library_open(): to the library thread: open the library now.
    """

    first_painted = Signal()
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
        self.error_dialog: QMessageBox | None = None
        self._painted = False

        self.conversations = ConversationList(store)
        self.library_view = LibraryView(library.control)
        self.answer_from = AnswerFrom()
        self.chat = ChatView()
        self.composer = Composer()
        self.send_button = QPushButton(self.tr("Send"))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop the reply (Esc)"))
        self.edit_hint = QLabel(self.tr("Editing your last message: Enter resends it, Esc cancels."))
        self.edit_hint.setVisible(False)
        self.route_picker = RoutePicker()
        self.route_bar = RouteBar()
        self._build_layout()
        self.status = StatusBar()
        self.setStatusBar(self.status)  # before the models controller adds its download status

        self.model_thread = WorkerThread(worker, "model", worker.cancel.set)
        self.library_thread = WorkerThread(library, "library", library.control.stop)
        self.chat_controller = ChatController(
            settings, store, worker, library, chat=self.chat, composer=self.composer,
            conversations=self.conversations, answer_from=self.answer_from, route_picker=self.route_picker,
            route_bar=self.route_bar, status=self.status, send_button=self.send_button,
            stop_button=self.stop_button, edit_hint=self.edit_hint,
            show_error=lambda message: self.show_error(message),  # looked up each time: the startup probe replaces it
            parent=self,
        )  # fmt: skip
        self.escalation = EscalationController(self.chat_controller, self)
        self.writing = WritingController(worker, lambda: self.generating, parent=self)
        self.models = ModelsController(self, self, models)
        self.local_server = LocalServerControl(settings.server, library.call, self.escalation.keys)
        self.theme = Theme(str(settings.window.get("theme", "system")), self)  # light or dark, as the system is
        self.theme.changed.connect(self.chat.set_dark)
        self.chat.set_dark(self.theme.dark)
        self.file_drop = FileDrop(self)  # files and folders dropped anywhere go to the library
        self.file_drop.dropped.connect(self._on_dropped)
        self.welcome: WelcomeController | None = None
        if not settings.model_chosen:  # the first launch: choose a model before the first message
            self.welcome = WelcomeController(WelcomePage(), settings, self.models)
            self.nav.set_chat_page(self.welcome.page)  # before the chat, until the person chooses
            self.welcome.closed.connect(self._on_welcome_closed)
        self._connect(worker, library)
        self.menus = Menus(
            self, settings, self.theme, self.chat_controller.menu_actions, self.writing, self.escalation, self.models,
            self.local_server,
        )  # fmt: skip
        self.escalation.cloud_changed.connect(self.menus.update_cloud_action)
        self.escalation.cloud_changed.connect(self.chat_controller.offer_cloud_again)
        self.status.set_busy(self.tr("Starting…"))
        self.chat_controller.show_first(int(settings.window.get("conversation", 0)))

    @property
    def generating(self) -> bool:
        """A chat reply is on its way (the models, files and writing parts wait for it)."""
        return self.chat_controller.generating

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
        self.chat_page = right
        self.pages = QStackedWidget()  # the chat (or the welcome page on the first launch), the library
        self.pages.addWidget(right)
        self.nav = Navigation(self.pages, right, self.library_view, chat_focus=self.composer)
        sidebar = QWidget()
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.nav)
        side.addWidget(self.conversations, 1)
        splitter = QSplitter()
        splitter.addWidget(sidebar)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 700])
        self.setCentralWidget(splitter)
        self.composer.setFocus()

    def _connect(self, worker: ModelWorker, library: LibraryWorker) -> None:
        chat = self.chat_controller
        chat.answering.connect(self.models.configure_for)
        chat.conversation_shown.connect(self.models.show_conversation)
        chat.cloud_offer.connect(self.escalation.offer)
        chat.stopping.connect(self.escalation.stop)
        chat.library_requested.connect(self.open_library)
        chat.answering.connect(lambda _: self.nav.show_chats())  # a reply is on its way: where it shows
        self.conversations.chosen.connect(self.nav.show_chats)
        self.models.configure_requested.connect(worker.configure)
        self.models.load_requested.connect(worker.load)
        self.load_requested.connect(worker.load)
        self.library_open.connect(library.open)
        self.library_view.connect_worker(library)
        self.library_view.embedder_box.models_requested.connect(self.models.open_embedder)
        self.models.search_models_changed.connect(library.reload_models)
        self.models.embedder_chosen.connect(library.choose_embedder)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, chat.escape)
        QShortcut(QKeySequence.StandardKey.New, self, self.conversations.new_conversation)
        QShortcut(QKeySequence("Ctrl+L"), self, self.composer.setFocus)

    def start(self) -> None:
        """Load the model and open the library on their threads; called once the window is on screen."""
        self.models.configure_for(self.conversations.current_id())
        self.load_requested.emit()
        self.library_open.emit()
        threading.Thread(target=warm_up, name="warm-highlighter", daemon=True).start()
        if self.settings.server.enabled and not self.local_server.start():  # switched on in an earlier session
            self.status.showMessage(
                self.tr("The local server did not start: {error}").format(error=self.local_server.error), 15_000
            )
        if self.welcome is not None and self.welcome.open:
            self.welcome.start()

    def _on_welcome_closed(self) -> None:
        self.nav.set_chat_page(self.chat_page)
        self.composer.setFocus()

    def open_library(self) -> None:
        self.nav.show_library()

    def _on_dropped(self, paths: list[str]) -> None:
        self.nav.show_library()  # where the progress and each file's status show
        self.library_view.add_dropped(paths)

    def show_error(self, message: str) -> None:
        """A non-blocking dialog; the window stays usable behind it."""
        log.info("shown to the person: %s", message)
        self.error_dialog = QMessageBox(QMessageBox.Icon.Critical, "Private Assistant", "", parent=self)
        self.error_dialog.setTextFormat(Qt.TextFormat.PlainText)  # provider errors and file names are not markup
        self.error_dialog.setText(message)
        self.error_dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.error_dialog.open()

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
        self.chat_controller.close()
        self.settings.window["conversation"] = self.conversations.current_id()
        self.settings.window["geometry"] = bytes(self.saveGeometry().toHex().data()).decode()
        try:
            save_settings(self.settings)
        except AssistantError:
            log.exception("settings not saved on close")
        self.store.close()
        super().closeEvent(event)

    def restore_geometry(self, data: Any) -> None:
        if isinstance(data, str) and data:
            self.restoreGeometry(QByteArray.fromHex(data.encode()))
