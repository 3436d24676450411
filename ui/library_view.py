"""The library page: collections, folders, files with their status, and indexing progress.

A page of the main area of its own (see ``ui/navigation.py``), so the file list has the window's width;
files or folders dropped anywhere on the window come here (``add_dropped``) and show their progress here.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assistant.library.indexer import Progress, SyncControl
from ui.embedder_box import EmbedderBox
from ui.i18n import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from ui.library_worker import LibraryWorker

STATUS_TEXT = {
    "indexed": QT_TRANSLATE_NOOP("LibraryView", "Indexed"),
    "failed": QT_TRANSLATE_NOOP("LibraryView", "Failed"),
    "pending": QT_TRANSLATE_NOOP("LibraryView", "Pending"),
}
DEFAULT_COLLECTION = "Documents"  # a stored name, not translated


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` as it is: Qt renders a tooltip that looks like HTML as HTML."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>" if text else ""


def _status_text(status: str) -> str:
    return QCoreApplication.translate("LibraryView", STATUS_TEXT[status]) if status in STATUS_TEXT else status


class LibraryView(QWidget):
    """Shows the library and asks the library thread to change it.

    Signals:
        add_requested(str, str): a folder or file to add, and its collection.
        remove_requested(str): a folder to forget.
        sync_requested(str): re-check a collection ("" for all).
    """

    add_requested = Signal(str, str)
    remove_requested = Signal(str)
    sync_requested = Signal(str)

    def __init__(self, control: SyncControl, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.control = control
        title = html.escape(self.tr("Library"))
        self.heading = QLabel(f"<span style='font-size:x-large; font-weight:600'>{title}</span>")
        self.heading.setTextFormat(Qt.TextFormat.RichText)  # x-large of the window's text size, as it changes
        self.drop_hint = QLabel(
            self.tr("Drop files or folders anywhere in the window to add them to the current collection")
        )
        self.drop_hint.setWordWrap(True)
        self.drop_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.collection = QComboBox()
        self.collection.setEditable(True)
        self.collection.setToolTip(self.tr("Collection: type a new name to start one"))
        self.collection.addItem(DEFAULT_COLLECTION)
        self.collection.setMinimumWidth(240)
        self.collection_label = QLabel(self.tr("Collection:"))
        self.collection_label.setBuddy(self.collection)
        self.add_folder_button = QPushButton(self.tr("Add folder…"))
        self.add_files_button = QPushButton(self.tr("Add files…"))
        self.sync_button = QPushButton(self.tr("Sync"))
        self.folders = QListWidget()
        self.folders.setMaximumHeight(90)
        self.folders.setMinimumWidth(240)
        self.remove_button = QPushButton(self.tr("Remove folder"))
        self.files = QTableWidget(0, 4)
        self.folders.setAccessibleName(self.tr("Folders in this collection"))
        self.files.setAccessibleName(self.tr("Files and their status"))
        self.files.setHorizontalHeaderLabels([self.tr("File"), self.tr("Status"), self.tr("Chunks"), self.tr("Reason")])
        header = self.files.horizontalHeader()
        fit, share = QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch
        for column, mode in enumerate((share, fit, fit, share)):  # names and reasons share the page's width
            header.setSectionResizeMode(column, mode)
        self.files.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.files.verticalHeader().setVisible(False)
        self.setFocusProxy(self.files)  # shown by Ctrl+2 or a drop: the keyboard lands on the files
        self.progress = QProgressBar()
        self.progress_label = QLabel("")
        self.progress_label.setTextFormat(Qt.TextFormat.PlainText)  # it shows file names
        self.watch_label = QLabel("")  # whether changes on disk are picked up by themselves
        self.watch_label.setWordWrap(True)
        self.pause_button = QPushButton(self.tr("Pause"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.embedder_box = EmbedderBox()
        self._build()
        self.set_indexing(False)
        self._state: dict[str, Any] = {"collections": [], "folders": [], "files": []}

    def _build(self) -> None:
        top = QHBoxLayout()  # one row on a wide page: which collection, and what to add to it
        top.addWidget(self.collection_label)
        top.addWidget(self.collection)
        top.addWidget(self.sync_button)
        top.addStretch(1)
        top.addWidget(self.add_folder_button)
        top.addWidget(self.add_files_button)
        folders = QHBoxLayout()
        folders.addWidget(self.folders, 1)
        folders.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        running = QHBoxLayout()
        running.addWidget(self.progress, 1)
        running.addStretch(0)  # takes the width while no bar shows, so the buttons keep their size, on the right
        running.addWidget(self.pause_button)
        running.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.addWidget(self.heading)
        layout.addWidget(self.drop_hint)
        layout.addSpacing(6)
        layout.addLayout(top)
        layout.addWidget(QLabel(self.tr("Folders")))
        layout.addLayout(folders)
        layout.addWidget(self.files, 1)
        layout.addWidget(self.progress_label)
        layout.addLayout(running)
        layout.addWidget(self.watch_label)
        layout.addWidget(self.embedder_box)
        self.add_folder_button.clicked.connect(self._on_add_folder)
        self.add_files_button.clicked.connect(self._on_add_files)
        self.remove_button.clicked.connect(self._on_remove)
        self.sync_button.clicked.connect(lambda: self.sync_requested.emit(self.current_collection()))
        self.pause_button.clicked.connect(self._on_pause)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.collection.currentTextChanged.connect(lambda _: self._show_files())

    def current_collection(self) -> str:
        return self.collection.currentText().strip() or DEFAULT_COLLECTION

    # -- state from the library thread --------------------------------------------------

    def show_state(self, state: dict[str, Any]) -> None:
        self._state = state
        self.embedder_box.show_state(state.get("embedder"))
        current = self.current_collection()
        names = sorted(set(state["collections"]) | {current})
        self.collection.blockSignals(True)
        self.collection.clear()
        self.collection.addItems(names)
        self.collection.setCurrentText(current)
        self.collection.blockSignals(False)
        self._show_files()

    def _show_files(self) -> None:
        collection = self.current_collection()
        self.folders.clear()
        self.folders.addItems([path for path, owner in self._state["folders"] if owner == collection])
        rows = [f for f in self._state["files"] if f.collection == collection]
        self.files.setRowCount(len(rows))
        for row, record in enumerate(rows):
            name = QTableWidgetItem(Path(record.path).name)
            name.setToolTip(plain_tooltip(record.path))
            status = QTableWidgetItem(_status_text(record.status))
            if record.status == "failed":
                status.setForeground(Qt.GlobalColor.darkRed)
            reason = QTableWidgetItem(record.error)
            reason.setToolTip(plain_tooltip(record.error))
            for column, item in enumerate((name, status, QTableWidgetItem(str(record.chunks)), reason)):
                self.files.setItem(row, column, item)
        self.remove_button.setEnabled(bool(self.folders.count()))

    def show_watching(self, state: dict[str, Any]) -> None:
        """The folder watcher's state: how many folders, paused for battery saver, what it just picked up."""
        if state["paused"]:
            text = self.tr("Watching paused while the computer saves power; press Sync to update now.")
        elif state["changed"]:
            text = self.tr("Changes on disk picked up in {collections}.").format(
                collections=", ".join(state["changed"])
            )
        elif state["folders"]:
            text = self.tr("Watching your folders: changes are picked up within seconds.")
        else:
            text = ""
        self.watch_label.setText(text)

    def show_progress(self, progress: Progress) -> None:
        self.set_indexing(True)
        self.progress.setRange(0, max(progress.total, 1))
        self.progress.setValue(progress.done)
        self.progress_label.setText(
            self.tr("{done} of {total}: {name}").format(
                done=progress.done, total=progress.total, name=Path(progress.path).name
            )
        )

    def show_synced(self, counts: dict[str, int]) -> None:
        self.set_indexing(False)
        if counts.get("cancelled"):
            text = self.tr("Stopped: {indexed} indexed, {skipped} unchanged, {failed} failed, {removed} removed")
        else:
            text = self.tr("Done: {indexed} indexed, {skipped} unchanged, {failed} failed, {removed} removed")
        self.progress_label.setText(
            text.format(
                indexed=counts["indexed"], skipped=counts["skipped"], failed=counts["failed"], removed=counts["removed"]
            )
        )

    def set_indexing(self, running: bool) -> None:
        self.pause_button.setEnabled(running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)
        if not running:
            self.pause_button.setText(self.tr("Pause"))

    def connect_worker(self, library: LibraryWorker) -> None:
        """Send the person's requests to ``library`` (on its thread), and show what it reports."""
        self.add_requested.connect(library.add)
        self.add_requested.connect(lambda *_: self.starting())
        self.sync_requested.connect(lambda *_: self.starting())
        self.remove_requested.connect(library.remove)
        self.sync_requested.connect(library.sync)
        self.embedder_box.choose_requested.connect(library.choose_embedder)
        library.changed.connect(self.show_state)
        library.progress.connect(self.show_progress)
        library.synced.connect(self.show_synced)
        library.watching.connect(self.show_watching)

    # -- actions ----------------------------------------------------------------------

    def add_dropped(self, paths: list[str]) -> None:
        """Files or folders dropped on the window: added to the collection shown here."""
        collection = self.current_collection()
        for path in paths:
            self.add_requested.emit(path, collection)

    def starting(self) -> None:
        """Indexing was asked for: show it at once (the embedder may take seconds to load)."""
        self.set_indexing(True)
        self.progress.setRange(0, 0)
        self.progress_label.setText(self.tr("Preparing to index…"))

    def _on_add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a folder to the library"))
        if folder:
            self.add_requested.emit(folder, self.current_collection())

    def _on_add_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Add files"),
            "",
            self.tr("Documents") + " (*.pdf *.docx *.md *.markdown *.rst *.txt *.html *.htm)",
        )
        for path in files:
            self.add_requested.emit(path, self.current_collection())

    def _on_remove(self) -> None:
        item = self.folders.currentItem() or self.folders.item(0)
        if item is not None:
            self.remove_requested.emit(item.text())

    def _on_pause(self) -> None:
        if self.control.paused.is_set():
            self.control.paused.clear()
            self.pause_button.setText(self.tr("Pause"))
        else:
            self.control.paused.set()
            self.pause_button.setText(self.tr("Resume"))

    def _on_cancel(self) -> None:
        self.control.stop()
        self.progress_label.setText(self.tr("Stopping after the current file…"))
