"""Which agent serves a message: route it (library thread), search if needed, then start the reply.

The router runs where the embedder lives (the library thread); documents questions are searched
there too, then answered on the model thread. A decision the person made (the route picker, "Answer
as…", or collections ticked under "Answer from") skips the router. A documents question with no
documents never reaches the model (it would invent an answer): the app says how to add documents,
with a link that opens the Library.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal

from assistant.agents import writer
from assistant.agents.chat import title_from
from assistant.agents.router import NO_DOCUMENTS_REPLY, RouteDecision
from assistant.conversations import DEFAULT_TITLE
from assistant.errors import AssistantError
from ui.message_html import LIBRARY_ORIGIN

if TYPE_CHECKING:
    from assistant.conversations import ConversationStore
    from ui.answer_from import AnswerFrom
    from ui.route_bar import RouteBar, RoutePicker


class ReplyHost(Protocol):
    """Where replies are shown (the chat controller): what the dispatcher asks of it."""

    def begin_reply(self, action: str, conversation_id: int, text: str, extra: Any = None) -> None: ...

    def wait_for_library(self, text: str, busy: str) -> None: ...

    def show_app_reply(self, text: str, origin: str) -> None: ...

    def show_error(self, message: str) -> None: ...


class Dispatcher(QObject):
    """Signals:
    route_requested(int, str): to the library thread: request token, text.
    search_requested(int, str, object, int): to the library thread: token, query, collections, top k.
    """

    route_requested = Signal(int, str)
    search_requested = Signal(int, str, object, int)

    def __init__(
        self,
        host: ReplyHost,
        store: ConversationStore,
        route_picker: RoutePicker,
        answer_from: AnswerFrom,
        route_bar: RouteBar,
        search_cancel: threading.Event,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.store = store
        self.route_picker = route_picker
        self.answer_from = answer_from
        self.route_bar = route_bar
        self.search_cancel = search_cancel  # the library thread's: set by Stop to cut a reranking search short
        self.route = "chat"  # the route of the last message
        self._token = 0
        self._pending: tuple[int, int, str, bool] | None = None  # token, conversation, text, again

    def send(self, conversation_id: int, text: str) -> None:
        """A new message, already shown: route it unless the person decided."""
        chosen = self.route_picker.chosen()
        if chosen:
            self.route_picker.choose(None)  # a chosen route is for one message
            self.dispatch(conversation_id, text, RouteDecision(chosen, 1.0, (self.tr("chosen by you"),)))
        elif self.answer_from.chosen():
            names = ", ".join(self.answer_from.chosen())
            self.dispatch(
                conversation_id,
                text,
                RouteDecision("documents", 1.0, (self.tr("this chat answers from {names}").format(names=names),)),
            )
        else:
            self._wait(conversation_id, text, False, self.tr("Routing…"))
            self.route_requested.emit(self._token, text)

    def reroute(self, conversation_id: int, text: str, route: str) -> None:
        """Answer the stored last message again on ``route``."""
        self.dispatch(conversation_id, text, RouteDecision(route, 1.0, (self.tr("chosen by you"),)), again=True)

    def dispatch(self, conversation_id: int, text: str, decision: RouteDecision, again: bool = False) -> None:
        """Serve the message on its route; ``again``: answer the stored last message anew."""
        self.route = decision.route
        self.route_bar.show_route(decision)
        if decision.route == "documents":
            collections = self.answer_from.chosen() or self.answer_from.available()
            if collections:
                self._wait(conversation_id, text, again, self.tr("Searching your documents…"))
                self.search_cancel.clear()  # here, not on its thread: a quick Stop holds
                self.search_requested.emit(self._token, text, collections, 5)
                return
            self._answer_without_documents(conversation_id, text, again)
            return
        task = writer.infer_task(text) if decision.route == "writing" else None
        if task is not None:
            self.host.begin_reply("rewrite" if again else "write", conversation_id, text, task)
        else:
            self.host.begin_reply("regenerate" if again else "send", conversation_id, text)

    def _answer_without_documents(self, conversation_id: int, text: str, again: bool) -> None:
        """Store the question (unless answered again) and the app's how-to-add-documents reply."""
        store = self.store
        try:
            if again:
                messages = store.messages(conversation_id)
                last_user = max((m.id for m in messages if m.role == "user"), default=0)
                later = [m for m in messages if m.id > last_user]
                if later:
                    store.delete_from(conversation_id, later[0].id)
            else:
                store.add_message(conversation_id, "user", text)
                if store.get(conversation_id).title == DEFAULT_TITLE:
                    store.rename(conversation_id, title_from(text))
            store.add_message(conversation_id, "assistant", NO_DOCUMENTS_REPLY, origin=LIBRARY_ORIGIN)
        except AssistantError as exc:
            self.host.show_error(str(exc))
        self.host.show_app_reply(NO_DOCUMENTS_REPLY, LIBRARY_ORIGIN)

    def on_routed(self, token: int, decision: RouteDecision) -> None:
        pending = self._take(token)
        if pending is not None:
            self.dispatch(pending[1], pending[2], decision, pending[3])

    def on_search_results(self, token: int, sources: list[Any]) -> None:
        pending = self._take(token)
        if pending is not None:
            _, conversation_id, text, again = pending
            self.host.begin_reply("regenerate" if again else "send", conversation_id, text, sources)

    def abandon(self) -> bool:
        """Forget the request waiting on the library thread (it failed); True if there was one."""
        had, self._pending = self._pending is not None, None
        return had

    def _wait(self, conversation_id: int, text: str, again: bool, busy: str) -> None:
        self._token += 1
        self._pending = (self._token, conversation_id, text, again)
        self.host.wait_for_library(text, busy)

    def _take(self, token: int) -> tuple[int, int, str, bool] | None:
        if self._pending is None or self._pending[0] != token:
            return None
        pending, self._pending = self._pending, None
        return pending
