"""Cloud escalation in the window: the offer, the approval dialog, the cloud thread, settings and audit.

Only ``ask_cloud`` (a button or menu click) opens the approval dialog, and only the dialog's Send
starts the cloud thread. Routes, document text and model output can at most *show* the offer.

Whether a passage may leave is decided by the collection its stored source names (``escalation.prepare``),
not by looking its path up in the library, which may be closed, locked or changed since.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStatusBar, QWidget

from assistant import network
from assistant.agents.audit import AuditLog, audit_path
from assistant.agents.escalation import Provider, prepare
from assistant.config import save_settings
from assistant.errors import AssistantError
from assistant.secrets import KeyStore
from ui.approval_dialog import ApprovalDialog
from ui.audit_view import AuditDialog
from ui.cloud_settings import CloudSettingsDialog
from ui.cloud_worker import CloudWorker
from ui.threads import WorkerThread

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.conversations import ConversationStore
    from ui.answer_from import AnswerFrom
    from ui.chat_view import ChatView
    from ui.conversation_list import ConversationList
    from ui.route_bar import RouteBar


class CloudHost(Protocol):
    """What escalation needs of the chat: its settings and store, the views it updates, how replies show."""

    settings: Settings
    store: ConversationStore
    generating: bool
    route_bar: RouteBar
    conversations: ConversationList
    chat: ChatView
    answer_from: AnswerFrom

    @property
    def status(self) -> QStatusBar: ...

    def show_error(self, message: str) -> None: ...

    def begin_external_reply(self, busy: str) -> None: ...

    def end_external_reply(self, complete: bool, origin: str, failed: bool = False) -> None: ...


log = logging.getLogger(__name__)


class EscalationController(QObject):
    """Signals:
    send_approved(int, object): to the cloud thread: conversation id, ApprovedRequest.
    cloud_changed(): the person saved the cloud settings (a provider may be there now, or gone).
    """

    send_approved = Signal(int, object)
    cloud_changed = Signal()

    def __init__(self, host: CloudHost, parent: QWidget, keys: KeyStore | None = None) -> None:
        """``host``: the chat's parts escalation uses; ``parent``: the window its dialogs belong to."""
        super().__init__(parent)
        self.host = host
        self.parent_widget = parent
        self.keys = keys or KeyStore()
        self.sent_texts: dict[int, list[str]] = {}  # conversation id -> texts of requests sent this session
        self.dialog: ApprovalDialog | None = None
        self.settings_dialog: CloudSettingsDialog | None = None
        self.dialog_conversation = 0
        self.worker = CloudWorker(host.store.path, self.keys, audit_path())
        self.cloud_thread = WorkerThread(self.worker, "cloud", self.worker.cancel.set)
        self.send_approved.connect(self.worker.send)
        self.worker.token.connect(host.chat.append_token)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        host.route_bar.escalate_clicked.connect(self.ask_cloud)
        self.busy = False
        network.set_offline_only(host.settings.cloud.offline_only)
        self.offer("chat", weak=False)  # the button shows from the start when a provider is set up

    # -- the offer ----------------------------------------------------------------------

    def offer(self, route: str, weak: bool) -> None:
        """After a local answer: offer the cloud for a complex question or a weak answer."""
        cloud = self.host.settings.cloud
        bar = self.host.route_bar
        if not (route == "complex" or weak):
            bar.show_offer("", can_escalate=cloud.available)
        elif cloud.available:
            if route == "complex":
                why = self.tr("This looks like a hard question. A cloud model may do better.")
            else:
                why = self.tr("The local answer looks weak. A cloud model may do better.")
            bar.show_offer(why, can_escalate=True)
        elif not cloud.offline_only:
            bar.show_offer(self.tr("A cloud model could help here: set one up in Settings → Cloud provider."), False)
        else:
            bar.show_offer("", can_escalate=False)

    # -- approval -----------------------------------------------------------------------

    def ask_cloud(self) -> None:
        """The person asked: show the exact request for the last question (nothing is sent yet)."""
        host = self.host
        cloud = host.settings.cloud
        conversation_id = host.conversations.current_id()
        if host.generating or not conversation_id:
            return
        if not cloud.available:
            host.show_error(
                self.tr(
                    "Offline only is switched on, so nothing can be sent. Switch it off in Settings → Cloud provider."
                )
                if cloud.offline_only
                else self.tr("No cloud provider is set up. Add one in Settings → Cloud provider.")
            )
            return
        try:
            messages = host.store.messages(conversation_id)
            draft = prepare(
                Provider.from_settings(cloud),
                messages,
                local_only=cloud.local_only_collections,
                earlier=self.sent_texts.get(conversation_id, ()),
            )
        except ValueError:
            host.show_error(self.tr("There is no question in this conversation to send."))
            return
        except AssistantError as exc:
            host.show_error(str(exc))
            return
        self.dialog = ApprovalDialog(draft, self.parent_widget)
        self.dialog_conversation = conversation_id
        self.dialog.finished.connect(self._on_dialog_closed)
        self.dialog.open()

    def _on_dialog_closed(self) -> None:
        dialog, self.dialog = self.dialog, None
        conversation_id = self.dialog_conversation
        if dialog is None or dialog.approved is None:
            self.host.status.showMessage(self.tr("Denied: nothing was sent."), 5000)
            return
        # What was sent stays hidden in this conversation's later requests, also where the person edited it in.
        self.sent_texts.setdefault(conversation_id, []).extend(dialog.draft.plain_texts())
        self.busy = True
        self.worker.cancel.clear()
        self.host.begin_external_reply(self.tr("Asking {provider}…").format(provider=dialog.approved.provider.label))
        self.send_approved.emit(conversation_id, dialog.approved)

    def _on_finished(self, message: Any) -> None:
        self.busy = False
        origin = getattr(message, "origin", "")
        self.host.end_external_reply(complete=bool(getattr(message, "complete", False)), origin=origin)

    def _on_failed(self, message: str) -> None:
        self.busy = False
        self.host.end_external_reply(complete=False, origin="", failed=True)
        self.host.show_error(message)

    def stop(self) -> None:
        self.worker.cancel.set()

    # -- settings and audit ------------------------------------------------------------

    def open_settings(self) -> CloudSettingsDialog:
        names = self.host.answer_from.available()
        dialog = CloudSettingsDialog(self.host.settings.cloud, self.keys, names, self.parent_widget)
        self.settings_dialog = dialog
        dialog.accepted.connect(self._on_settings_saved)
        dialog.open()
        return dialog

    def _on_settings_saved(self) -> None:
        if self.settings_dialog is None:
            return
        self.host.settings.cloud = self.settings_dialog.result_settings()
        network.set_offline_only(self.host.settings.cloud.offline_only)
        try:
            save_settings(self.host.settings)
        except AssistantError as exc:
            self.host.show_error(str(exc))
        self.cloud_changed.emit()

    def open_audit(self, path: Path | None = None) -> AuditDialog:
        audit = AuditLog(path)
        try:
            entries = audit.entries()
        finally:
            audit.close()
        dialog = AuditDialog(entries, self.parent_widget)
        dialog.open()
        return dialog

    def shutdown(self) -> None:
        self.cloud_thread.stop()
