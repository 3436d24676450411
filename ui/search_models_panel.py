"""The Models window's search-model tabs: "Search reranker" and "Search model", one panel for both.

A tab lists the catalog's models of one kind (``RERANKER``: cross-encoders that reorder search
results; ``EMBEDDER``: sentence-embedding models that read the library), their state on disk, and
buttons to download, cancel and remove them. Downloads run on the models thread like chat models
(see ModelsController). An installed embedder also offers "Use for my library".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from assistant.library import embedders, reranker
from assistant.runtime import catalog
from assistant.runtime.catalog import CatalogModel
from ui.i18n import QT_TRANSLATE_NOOP
from ui.model_figures import gigabytes, model_table, show_download

CONTEXT = "SearchModelsPanel"
# A model's state on disk, as states() finds it.
MISSING, PARTIAL, INSTALLED, IN_USE = "missing", "partial", "installed", "in use"


@dataclass(frozen=True)
class SearchKind:
    """What differs between the tabs. ``texts``: English, marked for translation, shown through :meth:`say`."""

    key: str  # "reranker" or "embedder": the tab, and the models thread's download
    folder: str  # under <models>: catalog.RERANKERS_FOLDER or catalog.EMBEDDERS_FOLDER
    complete: Callable[[Path], bool]  # whether a model's folder holds a finished download
    columns: tuple[str, ...]
    texts: dict[str, str]
    find: Callable[[str], CatalogModel]  # a catalog id -> its entry; AssistantError naming the choices
    first_is_used: bool = False  # rerankers: search uses the first installed one
    languages_from_name: bool = False  # embedders: "Good for" is the name's "(…)" note, translated
    can_use: bool = False  # embedders: "Use for my library"

    def say(self, key: str) -> str:
        return QCoreApplication.translate(CONTEXT, self.texts[key])


RERANKER = SearchKind(
    key="reranker",
    folder=catalog.RERANKERS_FOLDER,
    complete=reranker.is_complete,
    columns=(
        QT_TRANSLATE_NOOP("SearchModelsPanel", "Name"),
        QT_TRANSLATE_NOOP("SearchModelsPanel", "Good for"),
        QT_TRANSLATE_NOOP("SearchModelsPanel", "Download"),
        QT_TRANSLATE_NOOP("SearchModelsPanel", "State"),
    ),
    texts={
        "tab": QT_TRANSLATE_NOOP("SearchModelsPanel", "Search reranker"),
        "note": QT_TRANSLATE_NOOP(
            "SearchModelsPanel",
            "A reranker reads each documents question together with the best passages search found, and puts "
            "the most helpful first. It is optional, runs on this computer, and document search uses it from "
            "your next question. When several are installed, the first one in this list is used.",
        ),
        "about": QT_TRANSLATE_NOOP("SearchModelsPanel", "About search rerankers"),
        "table": QT_TRANSLATE_NOOP("SearchModelsPanel", "Search rerankers"),
        "download": QT_TRANSLATE_NOOP("SearchModelsPanel", "Download the chosen reranker"),
        "cancel": QT_TRANSLATE_NOOP("SearchModelsPanel", "Cancel the reranker download"),
        "remove": QT_TRANSLATE_NOOP("SearchModelsPanel", "Remove the chosen reranker"),
        "progress": QT_TRANSLATE_NOOP("SearchModelsPanel", "Reranker download progress"),
        "status": QT_TRANSLATE_NOOP("SearchModelsPanel", "Reranker status"),
        "multilingual": QT_TRANSLATE_NOOP(
            "SearchModelsPanel", "Korean, English and about 100 other languages; slow without a GPU"
        ),
        "english": QT_TRANSLATE_NOOP("SearchModelsPanel", "English documents and questions; fast on any computer"),
        "in use": QT_TRANSLATE_NOOP("SearchModelsPanel", "Installed, used by search"),
        "installed": QT_TRANSLATE_NOOP("SearchModelsPanel", "Installed, not used (another one comes first)"),
        "added": QT_TRANSLATE_NOOP(
            "SearchModelsPanel", "Installed {name}. Document search uses it from your next question."
        ),
        "remove title": QT_TRANSLATE_NOOP("SearchModelsPanel", "Remove reranker"),
        "remove question": QT_TRANSLATE_NOOP(
            "SearchModelsPanel", "Delete {name} ({size}) from this computer? Search then orders passages without it."
        ),
    },
    find=catalog.find_reranker,
    first_is_used=True,
)
EMBEDDER = SearchKind(
    key="embedder",
    folder=catalog.EMBEDDERS_FOLDER,
    complete=embedders.is_complete,
    columns=(
        QT_TRANSLATE_NOOP("SearchModelsPanel", "Name"),
        QT_TRANSLATE_NOOP("SearchModelsPanel", "Good for"),
        QT_TRANSLATE_NOOP("SearchModelsPanel", "Download size"),
        QT_TRANSLATE_NOOP("SearchModelsPanel", "State"),
    ),
    texts={
        "tab": QT_TRANSLATE_NOOP("SearchModelsPanel", "Search model"),
        "note": QT_TRANSLATE_NOOP(
            "SearchModelsPanel",
            "A search model reads your documents so that questions find them by meaning. The built-in one "
            "reads English; a multilingual one reads Korean, Japanese, Chinese and many more languages. "
            "Choosing one for your library re-reads the library in the background; searches keep working "
            "meanwhile.",
        ),
        "about": QT_TRANSLATE_NOOP("SearchModelsPanel", "About search models"),
        "table": QT_TRANSLATE_NOOP("SearchModelsPanel", "Search models"),
        "download": QT_TRANSLATE_NOOP("SearchModelsPanel", "Download the chosen search model"),
        "cancel": QT_TRANSLATE_NOOP("SearchModelsPanel", "Cancel the search model download"),
        "remove": QT_TRANSLATE_NOOP("SearchModelsPanel", "Remove the chosen search model"),
        "use": QT_TRANSLATE_NOOP("SearchModelsPanel", "Use the chosen search model for my library"),
        "progress": QT_TRANSLATE_NOOP("SearchModelsPanel", "Search model download progress"),
        "status": QT_TRANSLATE_NOOP("SearchModelsPanel", "Search model status"),
        "multilingual": QT_TRANSLATE_NOOP("SearchModelsPanel", "Korean, Japanese, Chinese and many more languages"),
        "english": QT_TRANSLATE_NOOP("SearchModelsPanel", "English"),
        "installed": QT_TRANSLATE_NOOP("SearchModelsPanel", "Installed"),
        "added": QT_TRANSLATE_NOOP(
            "SearchModelsPanel", "Installed {name}. Choose “Use for my library” to search your documents with it."
        ),
        "chosen": QT_TRANSLATE_NOOP(
            "SearchModelsPanel",
            "Your library uses {name} from now on. If it used another model, it re-reads your documents in the "
            "background and searches keep working meanwhile; the Library page shows how far it is.",
        ),
        "remove title": QT_TRANSLATE_NOOP("SearchModelsPanel", "Remove search model"),
        "remove question": QT_TRANSLATE_NOOP(
            "SearchModelsPanel",
            "Delete {name} ({size}) from this computer? A library that uses it goes back to the built-in "
            "English model.",
        ),
    },
    find=catalog.find_embedder,
    languages_from_name=True,
    can_use=True,
)
KINDS = {kind.key: kind for kind in (RERANKER, EMBEDDER)}
# The catalog's "(…)" notes of embedders, so that the Good for column is translated.
LANGUAGE_NOTES = (
    QT_TRANSLATE_NOOP("SearchModelsPanel", "Korean, Japanese, Chinese and about 90 more languages"),
    QT_TRANSLATE_NOOP("SearchModelsPanel", "50 languages"),
)


def states(kind: SearchKind, models_root: Path, entries: Iterable[CatalogModel]) -> dict[str, str]:
    """Each entry's state under ``models_root`` (``<models>``): in use, installed, partly downloaded or missing."""
    from assistant.library.reranker import find_installed

    root = models_root / kind.folder
    used = find_installed(models_root) if kind.first_is_used else None
    found = {}
    for entry in entries:
        folder = root / entry.id
        if kind.complete(folder):
            found[entry.id] = IN_USE if folder == used else INSTALLED
        elif (root / f".{entry.id}.downloading").is_dir():
            found[entry.id] = PARTIAL
        else:
            found[entry.id] = MISSING
    return found


def short_name(entry: CatalogModel) -> str:
    """The catalog name without its English "(…)" note: the Good for column says that, translated."""
    return entry.name.split(" (", 1)[0]


def name_note(entry: CatalogModel) -> str:
    """The catalog name's "(…)" note, or ""."""
    _, _, note = entry.name.partition(" (")
    return note.removesuffix(")")


class SearchModelsPanel(QWidget):
    """Signals: download_requested(str), remove_requested(str): a catalog id.  cancel_requested().
    use_requested(str): an installed embedder's model id (its ``repo``), for the library to embed with.
    """

    download_requested = Signal(str)
    remove_requested = Signal(str)
    cancel_requested = Signal()
    use_requested = Signal(str)

    def __init__(self, kind: SearchKind, entries: tuple[CatalogModel, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.entries = entries
        self.states: dict[str, str] = {}
        self.busy = False
        self.note = QLabel(self.tr(kind.texts["note"]))
        self.note.setWordWrap(True)
        self.note.setAccessibleName(self.tr(kind.texts["about"]))
        self.table = model_table(kind.columns, CONTEXT)
        self.table.setAccessibleName(self.tr(kind.texts["table"]))
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.setAccessibleName(self.tr(kind.texts["download"]))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setAccessibleName(self.tr(kind.texts["cancel"]))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setAccessibleName(self.tr(kind.texts["remove"]))
        self.use_button: QPushButton | None = None
        if kind.can_use:
            self.use_button = QPushButton(self.tr("Use for my library"))
            self.use_button.setAccessibleName(self.tr(kind.texts["use"]))
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr(kind.texts["progress"]))
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr(kind.texts["status"]))
        self._build()
        self.show_states({})
        self.set_busy(False)

    def _build(self) -> None:
        row = QHBoxLayout()
        buttons = (self.download_button, self.cancel_button, self.remove_button, self.use_button)
        for button in filter(None, buttons):
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            row.addWidget(button)
        row.addWidget(self.progress, 1)
        row.addStretch(0)  # keeps the buttons together while the progress bar is hidden
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.download_button.clicked.connect(lambda: self._emit_selected(self.download_requested))
        self.remove_button.clicked.connect(lambda: self._emit_selected(self.remove_requested))
        self.cancel_button.clicked.connect(self.cancel_requested)
        if self.use_button is not None:
            self.use_button.clicked.connect(self._use)

    def show_states(self, states: dict[str, str]) -> None:
        """Fill the table: ``states`` maps catalog ids to MISSING, PARTIAL, INSTALLED or IN_USE."""
        selected = self.selected_id()
        self.states = states
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            cells = (short_name(entry), self._good_for(entry), gigabytes(entry.size), self.state_text(entry.id))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, entry.id)
                item.setToolTip(f"{entry.repo} · {entry.params} · {entry.license}")
                self.table.setItem(row, column, item)
            if entry.id == selected:
                self.table.selectRow(row)
        self._update_buttons()

    def _good_for(self, entry: CatalogModel) -> str:
        note = name_note(entry) if self.kind.languages_from_name else ""
        if note:
            return self.tr(note)  # one of LANGUAGE_NOTES, else the catalog's English
        return self.tr(self.kind.texts["multilingual" if entry.multilingual else "english"])

    def state_text(self, model_id: str) -> str:
        state = self.states.get(model_id, MISSING)
        if state in (IN_USE, INSTALLED):
            return self.tr(self.kind.texts[state])
        if state == PARTIAL:
            return self.tr("Partly downloaded: Download resumes it")
        return self.tr("Not installed")

    def entry(self, model_id: str) -> CatalogModel | None:
        """The listed entry whose catalog id or repository is ``model_id``."""
        return next((e for e in self.entries if model_id in (e.id, e.repo)), None)

    def selected_id(self) -> str:
        items = self.table.selectedItems()
        return str(items[0].data(Qt.ItemDataRole.UserRole)) if items else ""

    def select(self, model_id: str) -> None:
        """Choose the row of ``model_id`` (a catalog id or repository)."""
        entry = self.entry(model_id)
        for row, listed in enumerate(self.entries):
            if listed is entry:
                self.table.selectRow(row)

    def set_busy(self, busy: bool, downloading: bool = False) -> None:
        """Busy: the models thread is adding a model (one at a time); ``downloading``: one of this tab's."""
        self.busy = busy
        self.progress.setVisible(busy and downloading)
        self.cancel_button.setEnabled(busy and downloading)
        if busy:
            self.progress.setRange(0, 0)
        self._update_buttons()

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def show_progress(self, done: int, total: int | None, speed: float) -> None:
        shown = show_download(self.progress, done, total, speed)
        self.status.setText(self.tr("Downloading {progress}").format(progress=shown))

    def _update_buttons(self) -> None:
        chosen = self.selected_id()
        state = self.states.get(chosen, MISSING)
        idle = not self.busy
        self.download_button.setEnabled(idle and bool(chosen) and state in (MISSING, PARTIAL))
        self.remove_button.setEnabled(idle and bool(chosen) and state != MISSING)
        if self.use_button is not None:  # choosing needs no download: it works while one runs
            self.use_button.setEnabled(state in (INSTALLED, IN_USE))

    def _emit_selected(self, signal: SignalInstance) -> None:
        chosen = self.selected_id()
        if chosen:
            signal.emit(chosen)

    def _use(self) -> None:
        entry = self.entry(self.selected_id())
        if entry is not None:
            self.use_requested.emit(entry.repo)
