"""The approval gate: the exact request that would leave this device, before anything is sent.

Everything the person changes here (the question, what to include, which detected items stay hidden)
recomputes the draft's payload, and the "Exact request" box always shows those bytes. Send freezes them
into an :class:`ApprovedRequest`; Deny (the default button, and Esc) sends nothing.

Untrusted text (file names, the provider's name, detected values) is always shown as plain text, never
as rich text. Invisible characters (direction overrides, zero-width, tags) are removed from the request
unless the person keeps them; kept, they appear in the exact request as visible ``\\uXXXX`` escapes.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from assistant.agents.escalation import ApprovedRequest, EscalationDraft, escape_unseen, shown_headers

TYPING_PAUSE_MS = 250
KIND_LABELS = {
    "EMAIL": "email address",
    "PHONE": "phone number",
    "CARD": "card number",
    "IBAN": "IBAN",
    "API_KEY": "key or token",
    "IP": "IP address",
    "NAME": "name",
}


class ApprovalDialog(QDialog):
    def __init__(self, draft: EscalationDraft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self.approved: ApprovedRequest | None = None
        self.setWindowTitle(f"Send to {draft.provider.name}?")
        self.resize(900, 680)

        self.intro = intro = QLabel(
            f"This request would leave your computer for <b>{html.escape(draft.provider.label)}</b>. "
            "Nothing is sent unless you click <b>Send</b>. Detected personal details are replaced by "
            "placeholders and put back in the reply on this computer."
        )
        intro.setTextFormat(Qt.TextFormat.RichText)  # our markup; the provider's name is escaped
        intro.setWordWrap(True)
        self.question = QPlainTextEdit(draft.question)
        self.question.setAccessibleName("Question to send")
        self.include_history = QCheckBox(f"Include the earlier conversation ({len(draft.history)} messages)")
        self.include_history.setChecked(draft.include_history and bool(draft.history))
        self.include_history.setEnabled(bool(draft.history))
        self.include_passages = QCheckBox(f"Include passages from your documents ({len(draft.passages)})")
        self.include_passages.setChecked(draft.include_passages and bool(draft.passages))
        self.include_passages.setEnabled(bool(draft.passages))
        self.keep_invisible = QCheckBox()
        self.keep_invisible.setChecked(draft.keep_invisible)
        self.keep_invisible.setToolTip(
            "Direction overrides, zero-width and tag characters change how text reads without being seen. "
            "They are removed unless you keep them; kept, the exact request shows each one as \\uXXXX."
        )
        self.detected = QListWidget()
        self.detected.setAccessibleName("Detected personal or secret details")
        self.omitted = _plain_label("\n".join(f"Kept on this device: {note}" for note in draft.omitted))
        self.omitted.setVisible(bool(draft.omitted))
        self.cost = _plain_label("")
        self.payload = QPlainTextEdit()
        self.payload.setReadOnly(True)
        self.payload.setAccessibleName("Exact request")
        self.payload.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.payload.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("Question (you may edit it):"))
        column.addWidget(self.question, 2)
        column.addWidget(self.include_history)
        column.addWidget(self.include_passages)
        column.addWidget(self.keep_invisible)
        box = QGroupBox("Detected personal or secret details (checked: hidden behind a placeholder)")
        QVBoxLayout(box).addWidget(self.detected)
        column.addWidget(box, 1)
        column.addWidget(self.omitted)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("Exact request (these bytes, and nothing else, are sent):"))
        column.addWidget(self.payload, 1)
        column.addWidget(self.cost)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([380, 520])

        self.buttons = QDialogButtonBox()
        self.send_button = self.buttons.addButton("Send", QDialogButtonBox.ButtonRole.AcceptRole)
        self.deny_button = self.buttons.addButton("Deny", QDialogButtonBox.ButtonRole.RejectRole)
        self.deny_button.setDefault(True)  # Enter never sends by accident
        self.send_button.setAutoDefault(False)
        self.buttons.accepted.connect(self._on_send)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(split, 1)
        layout.addWidget(self.buttons)

        self._typing = QTimer(self)  # re-detect once typing pauses, not on every key
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._on_edited)
        self.question.textChanged.connect(self._on_typed)
        self.include_history.toggled.connect(self._on_edited)
        self.include_passages.toggled.connect(self._on_edited)
        self.keep_invisible.toggled.connect(self._on_edited)
        self.detected.itemChanged.connect(self._on_item_toggled)
        self._on_edited()

    def _on_typed(self) -> None:
        self._typing.start()
        self.send_button.setEnabled(False)  # never send a payload the person has not seen

    def _on_edited(self) -> None:
        self._typing.stop()
        self.send_button.setEnabled(True)
        self.draft.question = self.question.toPlainText()
        self.draft.include_history = self.include_history.isChecked()
        self.draft.include_passages = self.include_passages.isChecked()
        self.draft.keep_invisible = self.keep_invisible.isChecked()
        invisible = self.draft.invisible_count()
        self.keep_invisible.setText(
            f"Keep {invisible} invisible character{'s' * (invisible != 1)} (direction overrides, zero-width, "
            "tags); unticked they are removed"
        )
        self.keep_invisible.setVisible(bool(invisible))
        self._fill_detected()
        self._refresh_payload()

    def _fill_detected(self) -> None:
        self.detected.blockSignals(True)
        self.detected.clear()
        for item in self.draft.items():
            kind = KIND_LABELS.get(item.kind, item.kind)
            earlier = "  (hidden earlier in this conversation)" if item.earlier else ""
            row = QListWidgetItem(f"{item.placeholder}  {kind}: {escape_unseen(item.value)}{earlier}")
            row.setData(Qt.ItemDataRole.UserRole, item.value)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            hidden = item.value not in self.draft.disabled
            row.setCheckState(Qt.CheckState.Checked if hidden else Qt.CheckState.Unchecked)
            self.detected.addItem(row)
        if not self.detected.count():
            self.detected.addItem(QListWidgetItem("Nothing detected. Check the request before you send it."))
        self.detected.blockSignals(False)

    def _on_item_toggled(self, row: QListWidgetItem) -> None:
        value = row.data(Qt.ItemDataRole.UserRole)
        if isinstance(value, str):
            self.draft.set_redacted(value, row.checkState() == Qt.CheckState.Checked)
            self._refresh_payload()

    def _refresh_payload(self) -> None:
        approved = self.draft.approve()
        self.payload.setPlainText(shown_headers(approved) + "\n\n" + approved.payload.decode("utf-8"))
        self.cost.setText(
            f"About {approved.estimated_prompt_tokens:,} tokens in and up to {self.draft.provider.max_tokens:,} "
            f"out ({len(approved.payload):,} bytes). The provider may charge for these tokens."
        )

    def shown_payload(self) -> bytes:
        """The body as shown in the dialog (after the headers)."""
        return self.payload.toPlainText().split("\n\n", 1)[1].encode("utf-8")

    def _on_send(self) -> None:
        self.approved = self.draft.approve()
        self.accept()


def _plain_label(text: str) -> QLabel:
    """A label for text that may come from files, models or providers: never read as HTML."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label
