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

from PySide6.QtCore import QCoreApplication, Qt, QTimer
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
from ui.i18n import QT_TRANSLATE_NOOP

TYPING_PAUSE_MS = 250
KIND_LABELS = {
    "EMAIL": QT_TRANSLATE_NOOP("ApprovalDialog", "email address"),
    "PHONE": QT_TRANSLATE_NOOP("ApprovalDialog", "phone number"),
    "CARD": QT_TRANSLATE_NOOP("ApprovalDialog", "card number"),
    "IBAN": QT_TRANSLATE_NOOP("ApprovalDialog", "IBAN"),
    "API_KEY": QT_TRANSLATE_NOOP("ApprovalDialog", "key or token"),
    "IP": QT_TRANSLATE_NOOP("ApprovalDialog", "IP address"),
    "NAME": QT_TRANSLATE_NOOP("ApprovalDialog", "name"),
}


class ApprovalDialog(QDialog):
    def __init__(self, draft: EscalationDraft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.draft = draft
        self.approved: ApprovedRequest | None = None
        self.setWindowTitle(self.tr("Send to {provider}?").format(provider=draft.provider.name))
        self.resize(900, 680)

        self.intro = intro = QLabel(
            self.tr(
                "This request would leave your computer for <b>{provider}</b>. "
                "Nothing is sent unless you click <b>Send</b>. Detected personal details are replaced by "
                "placeholders and put back in the reply on this computer."
            ).format(provider=html.escape(draft.provider.label))
        )
        intro.setTextFormat(Qt.TextFormat.RichText)  # our markup; the provider's name is escaped
        intro.setWordWrap(True)
        self.question = QPlainTextEdit(draft.question)
        self.question.setAccessibleName(self.tr("Question to send"))
        self.include_history = QCheckBox(
            self.tr("Include the earlier conversation ({count} messages)").format(count=len(draft.history))
        )
        self.include_history.setChecked(draft.include_history and bool(draft.history))
        self.include_history.setEnabled(bool(draft.history))
        self.include_passages = QCheckBox(
            self.tr("Include passages from your documents ({count})").format(count=len(draft.passages))
        )
        self.include_passages.setChecked(draft.include_passages and bool(draft.passages))
        self.include_passages.setEnabled(bool(draft.passages))
        self.keep_invisible = QCheckBox()
        self.keep_invisible.setChecked(draft.keep_invisible)
        self.keep_invisible.setToolTip(
            self.tr(
                "Direction overrides, zero-width and tag characters change how text reads without being seen. "
                "They are removed unless you keep them; kept, the exact request shows each one as \\uXXXX."
            )
        )
        self.detected = QListWidget()
        self.detected.setAccessibleName(self.tr("Detected personal or secret details"))
        self.omitted = _plain_label(
            "\n".join(self.tr("Kept on this device: {note}").format(note=note) for note in draft.omitted)
        )
        self.omitted.setVisible(bool(draft.omitted))
        self.cost = _plain_label("")
        self.payload = QPlainTextEdit()
        self.payload.setReadOnly(True)
        self.payload.setAccessibleName(self.tr("Exact request"))
        self.payload.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.payload.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel(self.tr("Question (you may edit it):")))
        column.addWidget(self.question, 2)
        column.addWidget(self.include_history)
        column.addWidget(self.include_passages)
        column.addWidget(self.keep_invisible)
        box = QGroupBox(self.tr("Detected personal or secret details (checked: hidden behind a placeholder)"))
        QVBoxLayout(box).addWidget(self.detected)
        column.addWidget(box, 1)
        column.addWidget(self.omitted)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel(self.tr("Exact request (these bytes, and nothing else, are sent):")))
        column.addWidget(self.payload, 1)
        column.addWidget(self.cost)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([380, 520])

        self.buttons = QDialogButtonBox()
        self.send_button = self.buttons.addButton(self.tr("Send"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.deny_button = self.buttons.addButton(self.tr("Deny"), QDialogButtonBox.ButtonRole.RejectRole)
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
        if invisible == 1:
            keep = self.tr("Keep 1 invisible character (direction overrides, zero-width, tags); unticked it is removed")
        else:
            keep = self.tr(
                "Keep {count} invisible characters (direction overrides, zero-width, tags); unticked they are removed"
            )
        self.keep_invisible.setText(keep.format(count=invisible))
        self.keep_invisible.setVisible(bool(invisible))
        self._fill_detected()
        self._refresh_payload()

    def _fill_detected(self) -> None:
        self.detected.blockSignals(True)
        self.detected.clear()
        for item in self.draft.items():
            kind = (
                QCoreApplication.translate("ApprovalDialog", KIND_LABELS[item.kind])
                if item.kind in KIND_LABELS
                else item.kind
            )
            earlier = "  " + self.tr("(hidden earlier in this conversation)") if item.earlier else ""
            row = QListWidgetItem(f"{item.placeholder}  {kind}: {escape_unseen(item.value)}{earlier}")
            row.setData(Qt.ItemDataRole.UserRole, item.value)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            hidden = item.value not in self.draft.disabled
            row.setCheckState(Qt.CheckState.Checked if hidden else Qt.CheckState.Unchecked)
            self.detected.addItem(row)
        if not self.detected.count():
            self.detected.addItem(QListWidgetItem(self.tr("Nothing detected. Check the request before you send it.")))
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
            self.tr(
                "About {tokens_in:,} tokens in and up to {tokens_out:,} out ({size:,} bytes). "
                "The provider may charge for these tokens."
            ).format(
                tokens_in=approved.estimated_prompt_tokens,
                tokens_out=self.draft.provider.max_tokens,
                size=len(approved.payload),
            )
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
