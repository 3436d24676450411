"""The cloud thread: sends one approved request and streams the reply, off the GUI thread.

It is only ever invoked from the approval dialog's Send button; it has no other way in.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from assistant.agents.audit import AuditLog
from assistant.agents.escalation import ApprovedRequest
from assistant.agents.events import Token
from assistant.conversations import ConversationStore
from assistant.errors import AssistantError
from assistant.secrets import KeyStore

log = logging.getLogger(__name__)


class CloudWorker(QObject):
    """Signals:
    token(str): a piece of the cloud reply, placeholders already restored.
    finished(object): the stored Message (None when nothing came back).
    failed(str): why nothing (more) came back; the local answer is unchanged.
    """

    token = Signal(str)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, store_path: Path, keys: KeyStore, audit_path: Path) -> None:
        super().__init__()
        self.cancel = threading.Event()
        self._store_path = store_path
        self._audit_path = audit_path
        self._keys = keys
        self._store: ConversationStore | None = None
        self._audit: AuditLog | None = None

    @Slot(int, object)
    def send(self, conversation_id: int, approved: ApprovedRequest) -> None:
        from assistant.agents import cloud  # the openai SDK: seconds to import, so only when sending

        try:
            if self._store is None:
                self._store = ConversationStore(self._store_path)
                self._audit = AuditLog(self._audit_path)
            assert self._audit is not None
            key = self._keys.get(approved.provider.key_account)  # the key saved for this address only
            done: Any = None
            parts: list[str] = []
            for event in cloud.send(approved, key, self._audit, self.cancel):
                if isinstance(event, Token):
                    parts.append(event.text)
                    self.token.emit(event.text)
                else:
                    done = event
            text = (done.text if done is not None else "".join(parts)).strip()
            stored = None
            if text:
                stored = self._store.add_message(
                    conversation_id,
                    "assistant",
                    text,
                    complete=done is not None and not done.stopped,
                    origin=f"cloud: {approved.provider.label}",
                )
            self.finished.emit(stored)
        except AssistantError as exc:
            log.info("cloud request failed: %s", exc)
            self.failed.emit(str(exc))
        except Exception as exc:
            log.exception("cloud request failed")
            self.failed.emit(
                self.tr("The cloud request failed ({error}). Details are in the log file.").format(
                    error=type(exc).__name__
                )
            )

    @Slot()
    def shutdown(self) -> None:
        for closable in (self._store, self._audit):
            if closable is not None:
                closable.close()
        self._store = self._audit = None
