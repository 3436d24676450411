"""Figures the model windows show: sizes, download progress, and the tables models are listed in."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QProgressBar, QTableWidget


def gigabytes(size: int) -> str:
    return f"{size / 1e9:.2f} GB" if size >= 1e8 else f"{size / 1e6:.0f} MB"


def show_download(bar: QProgressBar, done: int, total: int | None, speed: float) -> str:
    """Move ``bar`` to ``done`` of ``total`` bytes; returns "0.81 GB of 2.50 GB, 23.4 MB/s" to show beside it."""
    if total:
        bar.setRange(0, 1000)
        bar.setValue(int(1000 * done / total))
    of = f" of {gigabytes(total)}" if total else ""
    rate = f", {speed / 1e6:.1f} MB/s" if speed else ""
    return f"{gigabytes(done)}{of}{rate}"


def parameters(count: int) -> str:
    return f"{count / 1e9:.2f} B" if count >= 1e9 else (f"{count / 1e6:.0f} M" if count else "?")


def model_table(columns: tuple[str, ...], context: str = "ModelsView") -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels([QCoreApplication.translate(context, c) if c else "" for c in columns])
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table
