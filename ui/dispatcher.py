"""Which agent serves a message: route it (library thread), search if needed, then start the reply.

The router runs where the embedder lives (the library thread); documents questions are searched
there too, then answered on the model thread. A decision the person made (the route picker, "Answer
as…", or collections ticked under "Answer from") skips the router.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from assistant.agents import writer
from assistant.agents.router import RouteDecision

if TYPE_CHECKING:
    from ui.main_window import MainWindow

BY_YOU = ("chosen by you",)


class Dispatcher(QObject):
    """Signals:
    route_requested(int, str): to the library thread: request token, text.
    search_requested(int, str, object, int): to the library thread: token, query, collections, top k.
    """

    route_requested = Signal(int, str)
    search_requested = Signal(int, str, object, int)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.route = "chat"  # the route of the last message
        self._token = 0
        self._pending: tuple[int, int, str, bool] | None = None  # token, conversation, text, again

    def send(self, conversation_id: int, text: str) -> None:
        """A new message, already shown: route it unless the person decided."""
        window = self.window
        chosen = window.route_picker.chosen()
        if chosen:
            window.route_picker.choose(None)  # a chosen route is for one message
            self.dispatch(conversation_id, text, RouteDecision(chosen, 1.0, BY_YOU))
        elif window.answer_from.chosen():
            names = ", ".join(window.answer_from.chosen())
            self.dispatch(conversation_id, text, RouteDecision("documents", 1.0, (f"this chat answers from {names}",)))
        else:
            self._wait(conversation_id, text, False, "Routing…")
            self.route_requested.emit(self._token, text)

    def reroute(self, conversation_id: int, text: str, route: str) -> None:
        """Answer the stored last message again on ``route``."""
        self.dispatch(conversation_id, text, RouteDecision(route, 1.0, BY_YOU), again=True)

    def dispatch(self, conversation_id: int, text: str, decision: RouteDecision, again: bool = False) -> None:
        """Serve the message on its route; ``again``: answer the stored last message anew."""
        window = self.window
        self.route = decision.route
        window.route_bar.show_route(decision)
        if decision.route == "documents":
            collections = window.answer_from.chosen() or window.answer_from.available()
            if collections:
                self._wait(conversation_id, text, again, "Searching your documents…")
                self.search_requested.emit(self._token, text, collections, 5)
                return
            window.statusBar().showMessage("No documents are indexed yet: add a folder in the Library tab.", 8000)
        task = writer.infer_task(text) if decision.route == "writing" else None
        if task is not None:
            window.begin_reply("rewrite" if again else "write", conversation_id, text, task)
        else:
            window.begin_reply("regenerate" if again else "send", conversation_id, text)

    def on_routed(self, token: int, decision: RouteDecision) -> None:
        pending = self._take(token)
        if pending is not None:
            self.dispatch(pending[1], pending[2], decision, pending[3])

    def on_search_results(self, token: int, sources: list[Any]) -> None:
        pending = self._take(token)
        if pending is not None:
            _, conversation_id, text, again = pending
            self.window.begin_reply("regenerate" if again else "send", conversation_id, text, sources)

    def abandon(self) -> bool:
        """Forget the request waiting on the library thread (it failed); True if there was one."""
        had, self._pending = self._pending is not None, None
        return had

    def _wait(self, conversation_id: int, text: str, again: bool, busy: str) -> None:
        self._token += 1
        self._pending = (self._token, conversation_id, text, again)
        self.window.wait_for_library(text, busy)

    def _take(self, token: int) -> tuple[int, int, str, bool] | None:
        if self._pending is None or self._pending[0] != token:
            return None
        pending, self._pending = self._pending, None
        return pending
