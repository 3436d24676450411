"""The model's own thread: loads the runtime and runs chat requests off the GUI thread.

llama.cpp contexts are not thread-safe, so one long-lived QThread owns the runtime; the
window talks to it only through queued signals. Stop sets a ``threading.Event`` that the
runtime checks between tokens.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from assistant import paths
from assistant.agents import writer
from assistant.agents.chat import ChatAgent, Finished, Notice, Token
from assistant.agents.events import Stopped
from assistant.config import ModelSettings
from assistant.conversations import ConversationStore
from assistant.errors import AssistantError
from assistant.runtime.loader import open_runtime  # light: each runtime is imported when first used
from assistant.runtime.loop_guard import REPETITION_NOTICE

log = logging.getLogger(__name__)

RuntimeFactory = Callable[[Path, ModelSettings], Any]


class ModelWorker(QObject):
    """Owns the runtime and a conversation store connection on the model thread.

    Signals:
        loading(str): loading the named model file started.
        loaded(object): a RuntimeInfo, once the model is ready.
        load_failed(str): a message for the person; the window stays usable.
        token(str, bool): a piece of the reply (True: reasoning).
        notice(str): something to tell the person about this reply.
        finished(object): the Finished event (the kept text, stats, stored message; ``stopped`` is
            "repetition" when the model began repeating itself and the reply was cut before the loop).
        failed(str): a request failed; the message says why and what to do.
        write_token(str): a piece of a writing-pane result.
        write_notice(str): something to tell the person about that result (e.g. it may be cut short,
            or ``REPETITION_NOTICE``: the model began repeating itself and was stopped).
        write_finished(str): the cleaned writing-pane result (without the repeated part, if any).
        write_failed(str): the writing task failed; the person's text is untouched.
    """

    loading = Signal(str)
    loaded = Signal(object)
    load_failed = Signal(str)
    token = Signal(str, bool)
    notice = Signal(str)
    finished = Signal(object)
    failed = Signal(str)
    write_token = Signal(str)
    write_notice = Signal(str)
    write_finished = Signal(str)
    write_failed = Signal(str)

    def __init__(self, store_path: Path, factory: RuntimeFactory = open_runtime) -> None:
        super().__init__()
        self.cancel = threading.Event()
        self._store_path = store_path
        self._factory = factory
        self._runtime: Any = None
        self._model_path: Path | None = None
        self._settings = ModelSettings()
        self._store: ConversationStore | None = None

    @Slot(object)
    def configure(self, settings: ModelSettings) -> None:
        """Use these model settings; the model (re)loads on the next request."""
        path = Path(settings.path) if settings.path else None
        if self._runtime is not None and (path != self._model_path or settings != self._settings):
            self._runtime.close()
            self._runtime = None
        self._settings = settings
        self._model_path = path

    @Slot()
    def load(self) -> None:
        self._ensure_runtime()

    def _ensure_runtime(self) -> Any:
        if self._runtime is not None and self._runtime.loaded:
            return self._runtime
        try:
            path = self._model_path or paths.bundled_model_path()
            self.loading.emit(path.name)
            runtime = self._factory(path, self._settings)
            info = runtime.load()
        except AssistantError as exc:
            log.info("model not loaded: %s", exc)
            self.load_failed.emit(str(exc))
            return None
        except Exception as exc:
            log.exception("loading the model failed")
            self.load_failed.emit(
                self.tr("The model could not be loaded ({error}). Details are in the log file.").format(error=exc)
            )
            return None
        self._runtime = runtime
        self.loaded.emit(info)
        return runtime

    @Slot(str, int, str, object)
    def run(self, action: str, conversation_id: int, text: str, extra: Any = None) -> None:
        """``action``: "send", "regenerate", "edit", "write" or "rewrite"; the window clears ``cancel`` first.

        ``extra``: for send and regenerate, passages retrieved for ``text`` (a documents question) or None;
        for write (a new message) and rewrite (answer the last one again), the (task, text, language) of
        a writing task.
        """
        runtime = self._ensure_runtime()
        if runtime is None:
            self.failed.emit("")  # the load failure was already reported
            return
        try:
            if self._store is None:
                self._store = ConversationStore(self._store_path)
            from ui.library_worker import shared_embedder  # checks documents answers against their passages

            agent = ChatAgent(self._store, runtime, self._settings.system_prompt, shared_embedder().embed)
            events: Iterator[Any]
            if action == "send":
                events = agent.send(conversation_id, text, self.cancel, extra)
            elif action == "edit":
                events = agent.edit_last(conversation_id, text, self.cancel)
            elif action == "write":
                messages = writer.build_messages(*extra)
                events = agent.send_prompt(conversation_id, text, messages, self.cancel, writing=extra)
            elif action == "rewrite":
                events = agent.write_again(conversation_id, extra, self.cancel)
            else:
                events = agent.regenerate(conversation_id, self.cancel, extra)
            for event in events:
                if isinstance(event, Token):
                    self.token.emit(event.text, event.reasoning)
                elif isinstance(event, Notice):
                    self.notice.emit(event.text)
                elif isinstance(event, Finished):
                    self.finished.emit(event)
        except AssistantError as exc:
            log.info("request failed: %s", exc)
            self.failed.emit(str(exc))
        except Exception as exc:
            log.exception("request failed")
            self.failed.emit(self.tr("The reply failed ({error}). Details are in the log file.").format(error=exc))

    @Slot(str, str, str)
    def write(self, task: str, text: str, language: str) -> None:
        """A writing-pane task: stream the result, then send it cleaned; nothing is stored."""
        runtime = self._ensure_runtime()
        if runtime is None:
            self.write_failed.emit(self.tr("The model is not loaded, so nothing was changed."))
            return
        try:
            parts: list[str] = []
            for event in writer.run(runtime, task, text, to=language or None, cancel=self.cancel):
                if isinstance(event, Notice):
                    self.write_notice.emit(event.text)
                elif isinstance(event, Stopped):  # the streamed tokens are already the kept text
                    parts = [event.text]
                    self.write_notice.emit(REPETITION_NOTICE)
                elif isinstance(event, Token) and not event.reasoning:
                    parts.append(event.text)
                    self.write_token.emit(event.text)
            self.write_finished.emit(writer.clean_result(task, "".join(parts)))
        except AssistantError as exc:
            self.write_failed.emit(str(exc))
        except Exception as exc:
            log.exception("writing task failed")
            self.write_failed.emit(
                self.tr("The writing task failed ({error}). Details are in the log file.").format(error=exc)
            )

    @Slot()
    def shutdown(self) -> None:
        if self._runtime is not None:
            self._runtime.close()
            self._runtime = None
        if self._store is not None:
            self._store.close()
            self._store = None
