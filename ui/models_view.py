"""The Models window: installed models with their facts, import, downloads from the catalog, and search models.

Tabs: "Chat models", "Search reranker" and "Search model" (the last two are SearchModelsPanel).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from assistant.runtime.catalog import CatalogModel, fits
from assistant.runtime.hardware import Machine
from assistant.runtime.registry import InstalledModel
from ui.i18n import QT_TRANSLATE_NOOP
from ui.model_figures import gigabytes, model_table, parameters, show_download
from ui.search_models_panel import EMBEDDER, RERANKER, SearchModelsPanel

INSTALLED_COLUMNS = (
    "",
    QT_TRANSLATE_NOOP("ModelsView", "Name"),
    QT_TRANSLATE_NOOP("ModelsView", "Runtime"),
    QT_TRANSLATE_NOOP("ModelsView", "Architecture"),
    QT_TRANSLATE_NOOP("ModelsView", "Parameters"),
    QT_TRANSLATE_NOOP("ModelsView", "Quantization"),
    QT_TRANSLATE_NOOP("ModelsView", "Size"),
    QT_TRANSLATE_NOOP("ModelsView", "Context"),
    QT_TRANSLATE_NOOP("ModelsView", "License"),
)
CATALOG_COLUMNS = (
    QT_TRANSLATE_NOOP("ModelsView", "Name"),
    QT_TRANSLATE_NOOP("ModelsView", "Runtime"),
    QT_TRANSLATE_NOOP("ModelsView", "Parameters"),
    QT_TRANSLATE_NOOP("ModelsView", "Download"),
    QT_TRANSLATE_NOOP("ModelsView", "Memory needed"),
    QT_TRANSLATE_NOOP("ModelsView", "This machine"),
    QT_TRANSLATE_NOOP("ModelsView", "License"),
)
NETWORK_NOTE = QT_TRANSLATE_NOOP(
    "ModelsView",
    "Downloads come from huggingface.co. This is the only network use Private Assistant makes for models, "
    "and only when you click Download; chats and documents never leave this computer.",
)


class ModelsView(QWidget):
    """Signals (to the models controller):
    default_requested(str), options_requested(str), remove_requested(str): an installed model's id.
    import_requested(str): a .gguf file or a model folder.
    download_requested(str): a catalog id.   cancel_requested(): stop the import or download.
    The "Search reranker" and "Search model" tabs (``rerankers``, ``embedders``: SearchModelsPanel,
    also in ``panels`` by kind) have signals of their own.
    """

    default_requested = Signal(str)
    options_requested = Signal(str)
    remove_requested = Signal(str)
    import_requested = Signal(str)
    download_requested = Signal(str)
    cancel_requested = Signal()

    def __init__(
        self,
        machine: Machine,
        catalog: tuple[CatalogModel, ...],
        parent: QWidget | None = None,
        rerankers: tuple[CatalogModel, ...] = (),
        embedders: tuple[CatalogModel, ...] = (),
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)  # a window of its own, deleted with the main window
        self.setWindowTitle(self.tr("Models — Private Assistant"))
        self.resize(980, 640)
        self.machine = machine
        self.catalog = catalog
        self.models: list[InstalledModel] = []
        self.busy = False
        self.machine_label = QLabel(self.tr("This computer: {machine}").format(machine=machine.describe()))
        self.machine_label.setWordWrap(True)
        self.installed = model_table(INSTALLED_COLUMNS)
        self.details = QLabel("")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.default_button = QPushButton(self.tr("Use by default"))
        self.options_button = QPushButton(self.tr("Settings…"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.import_file_button = QPushButton(self.tr("Import .gguf file…"))
        self.import_folder_button = QPushButton(self.tr("Import model folder…"))
        self.available = model_table(CATALOG_COLUMNS)
        self.network_note = QLabel(self.tr(NETWORK_NOTE))
        self.download_button = QPushButton(self.tr("Download"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.progress = QProgressBar()
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Kinds of model"))
        self.rerankers = SearchModelsPanel(RERANKER, rerankers)
        self.embedders = SearchModelsPanel(EMBEDDER, embedders)
        self.panels = {RERANKER.key: self.rerankers, EMBEDDER.key: self.embedders}
        self._build()
        self._show_catalog(set())
        self.set_busy(False)

    def _build(self) -> None:
        installed = QGroupBox(self.tr("Installed"))
        column = QVBoxLayout(installed)
        column.addWidget(self.installed, 1)
        column.addWidget(self.details)
        buttons = QHBoxLayout()
        for button in (self.default_button, self.options_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_file_button)
        buttons.addWidget(self.import_folder_button)
        column.addLayout(buttons)
        download = QGroupBox(self.tr("Download"))
        column = QVBoxLayout(download)
        self.network_note.setWordWrap(True)
        column.addWidget(self.network_note)
        column.addWidget(self.available, 1)
        row = QHBoxLayout()
        row.addWidget(self.download_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.progress, 1)
        row.addStretch(0)
        for button in (self.download_button, self.cancel_button):
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        column.addLayout(row)
        chat = QWidget()
        page = QVBoxLayout(chat)
        page.addWidget(installed, 3)
        page.addWidget(download, 2)
        page.addWidget(self.status)
        self.tabs.addTab(chat, self.tr("Chat models"))
        self.tabs.addTab(self.rerankers, self.tr("Search reranker"))
        self.tabs.addTab(self.embedders, self.tr("Search model"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.machine_label)
        layout.addWidget(self.tabs, 1)
        self.installed.itemSelectionChanged.connect(self._on_selected)
        self.available.itemSelectionChanged.connect(self._update_buttons)
        self.default_button.clicked.connect(lambda: self._emit_selected(self.default_requested))
        self.options_button.clicked.connect(lambda: self._emit_selected(self.options_requested))
        self.remove_button.clicked.connect(lambda: self._emit_selected(self.remove_requested))
        self.import_file_button.clicked.connect(self._choose_file)
        self.import_folder_button.clicked.connect(self._choose_folder)
        self.download_button.clicked.connect(self._download)
        self.cancel_button.clicked.connect(self.cancel_requested)

    # -- showing ----------------------------------------------------------------------

    def show_models(self, models: list[InstalledModel], default_id: str) -> None:
        selected = self.selected_id()
        self.models = models
        self.installed.setRowCount(len(models))
        for row, model in enumerate(models):
            cells = (
                "★" if model.id == default_id else "",
                model.name,
                model.runtime,
                model.architecture,
                parameters(model.parameters),
                model.quantization,
                gigabytes(model.size),
                str(model.context_length or "?"),
                model.license or "?",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, model.id)
                item.setToolTip(model.path)
                self.installed.setItem(row, column, item)
            if model.id == (selected or default_id):
                self.installed.selectRow(row)
        self._show_catalog({m.id for m in models})
        self._on_selected()

    def _show_catalog(self, installed: set[str]) -> None:
        self.available.setRowCount(len(self.catalog))
        for row, entry in enumerate(self.catalog):
            ok, why = fits(entry, self.machine.memory) if self.machine.memory else (True, self.tr("memory unknown"))
            fit = self.tr("Installed") if entry.id in installed else ("✓ " if ok else "✗ ") + why
            cells = (
                entry.name,
                entry.runtime,
                entry.params,
                gigabytes(entry.size),
                gigabytes(entry.ram_needed),
                fit,
                entry.license,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, entry.id)
                item.setToolTip(entry.note or f"{entry.repo} · {entry.quantization}")
                if column == 5 and not ok:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.available.setItem(row, column, item)

    def selected_id(self) -> str:
        items = self.installed.selectedItems()
        return str(items[0].data(Qt.ItemDataRole.UserRole)) if items else ""

    def selected_model(self) -> InstalledModel | None:
        chosen = self.selected_id()
        return next((m for m in self.models if m.id == chosen), None)

    def selected_download(self) -> str:
        items = self.available.selectedItems()
        return str(items[0].data(Qt.ItemDataRole.UserRole)) if items else ""

    def _on_selected(self) -> None:
        model = self.selected_model()
        if model is None:
            self.details.setText("")
        else:
            template = self.tr("has a chat template") if model.has_chat_template else self.tr("no chat template")
            thinking = ""
            if model.reasoning:
                thinking = " · " + (
                    self.tr("reasoning model (thinking can be turned off)")
                    if model.thinking_switch
                    else self.tr("reasoning model")
                )
            self.details.setText(f"{model.path}\n{model.source.capitalize()} · {template}{thinking}")
        self._update_buttons()

    def show_tab(self, tab: str) -> None:
        """Show the tab ``tab``: "chat", or a search kind's key ("reranker", "embedder")."""
        if tab != "chat" and tab not in self.panels:
            raise ValueError(f"no tab {tab!r} in the Models window: choose chat, {', '.join(self.panels)}")
        self.tabs.setCurrentIndex(0 if tab == "chat" else self.tabs.indexOf(self.panels[tab]))

    def set_busy(self, busy: bool, text: str = "", search: str = "") -> None:
        """Busy: the models thread imports or downloads; ``search``: the kind of search model it downloads."""
        self.busy = busy
        for key, panel in self.panels.items():
            panel.set_busy(busy, downloading=key == search)
        self.progress.setVisible(busy and not search)
        self.cancel_button.setEnabled(busy and not search)
        if busy:
            self.progress.setRange(0, 0)
        if text:
            self.status.setText(text)
        self._update_buttons()

    def show_progress(self, done: int, total: int | None, speed: float, verb: str) -> None:
        shown = QCoreApplication.translate("ModelsController", verb)
        self.status.setText(f"{shown} {show_download(self.progress, done, total, speed)}")

    def _update_buttons(self) -> None:
        model = self.selected_model()
        idle = not self.busy
        self.default_button.setEnabled(model is not None)
        self.options_button.setEnabled(model is not None)
        self.remove_button.setEnabled(model is not None and model.source != "bundled" and idle)
        self.import_file_button.setEnabled(idle)
        self.import_folder_button.setEnabled(idle)
        chosen = self.selected_download()
        installed = {m.id for m in self.models}
        self.download_button.setEnabled(idle and bool(chosen) and chosen not in installed)

    # -- actions ----------------------------------------------------------------------

    def _emit_selected(self, signal: SignalInstance) -> None:
        chosen = self.selected_id()
        if chosen:
            signal.emit(chosen)

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import a GGUF model"), "", self.tr("GGUF models") + " (*.gguf)"
        )
        if path:
            self.import_requested.emit(path)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Import a model folder (config.json + .safetensors)"))
        if folder:
            self.import_requested.emit(folder)

    def _download(self) -> None:
        chosen = self.selected_download()
        if chosen:
            self.download_requested.emit(chosen)
