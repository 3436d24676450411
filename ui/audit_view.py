"""View → What left this device: the audit log of approved cloud requests."""

from __future__ import annotations

import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from assistant.agents.audit import AuditEntry
from ui.i18n import QT_TRANSLATE_NOOP

COLUMNS = (
    QT_TRANSLATE_NOOP("AuditDialog", "Time"),
    QT_TRANSLATE_NOOP("AuditDialog", "Provider"),
    QT_TRANSLATE_NOOP("AuditDialog", "Model"),
    QT_TRANSLATE_NOOP("AuditDialog", "Status"),
    QT_TRANSLATE_NOOP("AuditDialog", "Bytes"),
    QT_TRANSLATE_NOOP("AuditDialog", "Tokens in / out"),
    QT_TRANSLATE_NOOP("AuditDialog", "Hidden details"),
    "SHA-256",
)


class AuditDialog(QDialog):
    def __init__(self, entries: list[AuditEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("What left this device"))
        self.resize(980, 420)
        summary = QLabel(
            self.tr(
                "Every request you approved for a cloud model, newest first. Only a fingerprint (SHA-256) and the "
                "size of each request are kept here, never its text."
            )
            if entries
            else self.tr("Nothing has left this device: no cloud request was ever sent.")
        )
        summary.setWordWrap(True)
        self.table = QTableWidget(len(entries), len(COLUMNS))
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("AuditDialog", c) for c in COLUMNS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, entry in enumerate(entries):
            when = datetime.datetime.fromtimestamp(entry.time).strftime("%Y-%m-%d %H:%M:%S")
            tokens = f"{_n(entry.prompt_tokens)} / {_n(entry.completion_tokens)}"
            status = entry.status + (f" ({entry.detail})" if entry.detail else "")
            hidden = ", ".join(entry.redactions) or self.tr("none")
            digest = entry.payload_sha256[:16] + "…"
            cells = (when, entry.provider, entry.model, status, f"{entry.payload_bytes:,}", tokens, hidden, digest)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(entry.payload_sha256 if column == 7 else text)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


def _n(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"
