"""The chat in the window: send, stop, answer again, edit the last message, and show replies as they stream.

One request at a time: from the message sent (or the reply asked again) until its reply ends, fails or
is stopped, the chat is ``generating`` and the conversation list is locked. The dispatcher decides which
agent answers; replies stream from the model thread, or from the cloud thread once the person approved
(``begin_external_reply``). Words of a message that was never stored go back into the message box.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QTextCursor
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from assistant.agents import qa
from assistant.errors import AssistantError
from ui.dispatcher import Dispatcher
from ui.message_html import shown_message
from ui.source_viewer import open_source

if TYPE_CHECKING:
    from assistant.agents.chat import Finished
    from assistant.config import Settings
    from assistant.conversations import ConversationStore
    from assistant.runtime.types import RuntimeInfo
    from ui.answer_from import AnswerFrom
    from ui.chat_view import ChatView
    from ui.composer import Composer
    from ui.conversation_list import ConversationList
    from ui.library_worker import LibraryWorker
    from ui.route_bar import RouteBar, RoutePicker
    from ui.status_bar import StatusBar
    from ui.worker import ModelWorker

log = logging.getLogger(__name__)


class ChatController(QObject):
    """The chat flow, between the chat's widgets and the model and library threads.

    Signals:
        request(str, int, str, object): to the model thread: action, conversation id, text, extra.
        answering(int): a reply in this conversation is about to be asked for (its model is set first).
        conversation_shown(int): this conversation (0: none) is now shown.
        cloud_offer(str, bool): offer the cloud, or not, for the last message: its route, whether the
            answer looks weak.
        stopping(): Stop was pressed while a reply streams.
        library_requested(): a link in the conversation asked for the Library.
    """

    request = Signal(str, int, str, object)
    answering = Signal(int)
    conversation_shown = Signal(int)
    cloud_offer = Signal(str, bool)
    stopping = Signal()
    library_requested = Signal()

    def __init__(
        self,
        settings: Settings,
        store: ConversationStore,
        worker: ModelWorker,
        library: LibraryWorker,
        *,
        chat: ChatView,
        composer: Composer,
        conversations: ConversationList,
        answer_from: AnswerFrom,
        route_picker: RoutePicker,
        route_bar: RouteBar,
        status: StatusBar,
        send_button: QPushButton,
        stop_button: QPushButton,
        edit_hint: QLabel,
        show_error: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        """``show_error``: how the window tells the person; ``parent``: the window viewers belong to."""
        super().__init__(parent)
        self.settings = settings
        self.store = store
        self.worker = worker
        self.library = library
        self.chat = chat
        self.composer = composer
        self.conversations = conversations
        self.answer_from = answer_from
        self.route_bar = route_bar
        self.status = status
        self.send_button = send_button
        self.stop_button = stop_button
        self.edit_hint = edit_hint
        self._show_error = show_error
        self.parent_widget = parent
        self.generating = False
        self.editing = False
        self.viewers: list[QWidget] = []
        self._active_conversation = 0
        self._pending_text = ""
        # Under the last reply as links (ChatView.set_reply_actions), in the Chat menu, and by shortcut.
        self.regenerate_action = QAction(self.tr("&Regenerate the reply"), self)
        self.regenerate_action.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.copy_action = QAction(self.tr("&Copy the last reply"), self)
        self.copy_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.edit_action = QAction(self.tr("&Edit my last message"), self)
        self.edit_action.setShortcut(QKeySequence("Ctrl+E"))
        self.dispatcher = Dispatcher(
            self, store, route_picker, answer_from, route_bar, library.search_cancel, parent=self
        )
        self.menu_actions = (self.regenerate_action, self.copy_action, self.edit_action)  # the Chat menu's
        self._connect(worker, library)

    def _connect(self, worker: ModelWorker, library: LibraryWorker) -> None:
        # The workers' signals go to methods of objects on this thread (queued): a lambda would run on theirs.
        self.request.connect(worker.run)
        worker.loading.connect(self.status.show_loading)
        worker.loaded.connect(self._on_loaded)
        worker.load_failed.connect(self._on_load_failed)
        worker.token.connect(self.chat.append_token)
        worker.notice.connect(self._on_notice)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_failed)
        self.dispatcher.search_requested.connect(library.search)
        self.dispatcher.route_requested.connect(library.route)
        library.routed.connect(self.dispatcher.on_routed)
        library.results.connect(self.dispatcher.on_search_results)
        library.failed.connect(self._on_library_failed)
        library.changed.connect(self._on_library_changed)
        self.composer.submitted.connect(self.send)
        self.send_button.clicked.connect(self.composer.submit)
        self.stop_button.clicked.connect(self.stop)
        self.regenerate_action.triggered.connect(self.regenerate)
        self.copy_action.triggered.connect(self.copy_reply)
        self.edit_action.triggered.connect(self.edit_last)
        self.conversations.selected.connect(self.show_conversation)
        self.conversations.deleted.connect(self._on_conversation_deleted)
        self.route_bar.rerouted.connect(self.reroute)
        self.chat.link_clicked.connect(
            lambda url: self.status.showMessage(self.tr("Links are not opened from chats: {url}").format(url=url), 8000)
        )
        self.chat.source_clicked.connect(self.open_source)
        self.chat.action_clicked.connect(self._on_chat_action)
        self.chat.example_chosen.connect(self._use_example)
        self.answer_from.changed.connect(self._on_answer_from_changed)

    def show_first(self, remembered: int) -> None:
        """At start: the conversation open when the app last closed, else the newest."""
        self.conversations.refresh()
        self.conversations.refresh(select=remembered)
        if not self.conversations.current_id() and self.conversations.list.count():
            self.conversations.list.setCurrentRow(0)  # the last one is gone: open the newest
        self.show_conversation(self.conversations.current_id())
        self._update_actions()

    # -- the person's actions -----------------------------------------------------------

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
            self.library.search_cancel.set()  # a cross-encoder stops within one batch
            self._on_failed("")
            return
        if self.generating:
            self.worker.cancel.set()
            self.stopping.emit()
            self.status.set_busy(self.tr("Stopping…"))

    def escape(self) -> None:
        """Esc: stop the reply, or stop editing the last message."""
        if self.generating:
            self.stop()
        elif self.editing:
            self._set_editing(False)
            self.composer.clear()

    def copy_reply(self) -> None:
        self._copy(self.chat.last_reply_text())

    def _copy(self, text: str) -> None:
        if text:
            QGuiApplication.clipboard().setText(text)
            self.status.showMessage(self.tr("Reply copied."), 3000)

    def open_source(self, source: dict[str, Any]) -> None:
        """Open a cited file: PDFs in the viewer at the page, others at the passage."""
        try:
            self.viewers.append(open_source(source, self.parent_widget))
        except AssistantError as exc:
            self.show_error(str(exc))
        except Exception as exc:  # noqa: BLE001 - a file moved or unreadable since indexing
            log.exception("opening %s failed", source.get("path"))
            self.show_error(self.tr("{path} could not be opened ({error}).").format(path=source.get("path"), error=exc))

    def offer_cloud_again(self) -> None:
        """The cloud settings changed: offer the cloud, or not, for the last message as it stands now."""
        self.cloud_offer.emit(self.dispatcher.route, False)

    def _on_chat_action(self, action: str) -> None:
        """A link in the conversation: open the Library, or one of the last reply's actions."""
        if action == "library":
            self.library_requested.emit()
        elif action == "regenerate":
            self.regenerate_action.trigger()
        elif action == "edit":
            self.edit_action.trigger()
        elif action.startswith("copy:"):
            index = action.removeprefix("copy:")
            shown = self.chat.messages()
            if index.isdigit() and int(index) < len(shown):
                self._copy(shown[int(index)].text)

    def _use_example(self, text: str) -> None:
        self.composer.setPlainText(text)  # to send as it is, or to change first
        self.composer.moveCursor(QTextCursor.MoveOperation.End)
        self.composer.setFocus()

    def _on_answer_from_changed(self, names: list[str]) -> None:
        conversation_id = self.conversations.current_id()
        if not conversation_id:
            conversation_id = self.conversations.new_conversation()  # shows it, resetting the picker
            self.answer_from.set_chosen(names)
        self.store.set_collections(conversation_id, names)

    # -- a request's life (the dispatcher's and escalation's host) ------------------------

    def show_error(self, message: str) -> None:
        self._show_error(message)

    def wait_for_library(self, text: str, busy: str) -> None:
        """The message waits for the library thread (routing or searching) before the model answers."""
        self.generating = True
        self._pending_text = text
        self.status.set_busy(busy)
        self._update_actions()

    def begin_reply(self, action: str, conversation_id: int, text: str, extra: Any = None) -> None:
        self.generating = True
        self.worker.cancel.clear()  # here, not on the worker: a quick Stop is never lost
        self._active_conversation = conversation_id
        self._pending_text = text
        self.chat.begin_reply()
        self.status.set_busy(self.tr("Writing…"))
        self._update_actions()
        self.answering.emit(conversation_id)  # the conversation's model, from this message on
        self.request.emit(action, conversation_id, text, extra)

    def show_app_reply(self, text: str, origin: str) -> None:
        """A reply the app writes itself, with no model (how to add documents); the request ends."""
        self.chat.add_app_reply(text, origin)
        self._end_request()

    def begin_external_reply(self, busy: str) -> None:
        """A reply that comes from elsewhere (the approved cloud request) starts streaming."""
        self.generating = True
        self.chat.begin_reply()
        self.status.set_busy(busy)
        self.route_bar.show_offer("", can_escalate=False)
        self._update_actions()

    def end_external_reply(self, complete: bool, origin: str, failed: bool = False) -> None:
        self.chat.end_reply(complete=complete, origin=origin)
        self._end_request()
        if failed:
            self.show_conversation(self.conversations.current_id())  # the local answer, as stored

    # -- model and library thread events -------------------------------------------------

    def _on_loaded(self, info: RuntimeInfo) -> None:
        self.status.show_loaded(info)
        if not self.generating:
            self.status.set_busy("")

    def _on_notice(self, text: str) -> None:
        self.status.showMessage(text, 15000)

    def _on_load_failed(self, message: str) -> None:
        self.status.show_not_loaded()
        self.status.set_busy("")
        self.show_error(message)

    def _on_finished(self, event: Finished) -> None:
        cited = tuple(dataclasses.asdict(s) for s in event.sources)
        self.chat.end_reply(
            complete=not event.stats.cancelled,
            sources=cited,
            text=event.text,  # the kept reply: a loop trimmed, an extractive lead added
            stopped=event.stopped,
            claims=tuple(event.claims),
        )
        self.status.show_speed(event.stats.tokens_per_s)
        self._end_request()
        weak = not event.text.strip() or event.text.strip() == qa.NOT_FOUND
        self.cloud_offer.emit(self.dispatcher.route, weak)

    def _on_failed(self, message: str) -> None:
        self.chat.end_reply(complete=False)
        self._end_request()
        self.show_conversation(self.conversations.current_id())
        stored = [m.text for m in self.chat.messages() if m.role == "user"]
        if self._pending_text and (not stored or stored[-1] != self._pending_text):
            # Nothing was saved: give the person their words back instead of losing them.
            if not self.composer.toPlainText().strip():
                self.composer.setPlainText(self._pending_text)
        if message:
            self.show_error(message)

    def _on_library_changed(self, state: dict[str, Any]) -> None:
        self.answer_from.set_available(state["collections"])

    def _on_library_failed(self, message: str) -> None:
        if self.dispatcher.abandon():
            self._on_failed("")
        self.show_error(message)

    def _end_request(self) -> None:
        self.generating = False
        self.status.set_busy("")
        self.conversations.refresh()
        self._update_actions()

    # -- what is shown -------------------------------------------------------------------

    def show_conversation(self, conversation_id: int) -> None:
        """Show the stored messages of ``conversation_id`` (0: none); not while a reply streams."""
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
        self.conversation_shown.emit(conversation_id)
        self._update_actions()

    def _on_conversation_deleted(self, conversation_id: int) -> None:
        if self.generating and self._active_conversation == conversation_id:
            self.worker.cancel.set()

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

    def close(self) -> None:
        """The window closes: so do the source viewers it opened."""
        for viewer in self.viewers:
            viewer.close()
