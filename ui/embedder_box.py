"""The library view's search model: which model reads the documents, a switch under way, a suggestion.

The library thread sends its state (``LibraryWorker._embedder_state``); this box shows it and asks
for another model with ``choose_requested``. Downloading a model is the Models window's job
(``models_requested`` opens its "Search model" tab with the suggested model chosen).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from assistant.library.embedder import BUNDLED_EMBEDDER_ID


class EmbedderBox(QWidget):
    """Signals: choose_requested(str): a model id to embed with.
    models_requested(str): open the Models window's "Search model" tab to download this model id.
    """

    choose_requested = Signal(str)
    models_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = QComboBox()
        self.model.setAccessibleName(self.tr("Search model"))
        self.model.setToolTip(
            self.tr(
                "The model that reads your documents so that questions find them by meaning. "
                "Changing it re-reads every file in the background."
            )
        )
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)  # it shows model names
        self.status.setAccessibleName(self.tr("Search model status"))
        self.suggestion = QLabel("")
        self.suggestion.setWordWrap(True)
        self.suggestion.setTextFormat(Qt.TextFormat.PlainText)
        self.suggestion.setAccessibleName(self.tr("Search model suggestion"))
        self.use_button = QPushButton("")
        self.use_button.setAccessibleName(self.tr("Use the suggested search model"))
        self._suggested = ""
        self._installed_suggestion = False
        self._build()
        self.show_state(None)

    def _build(self) -> None:
        row = QHBoxLayout()
        label = QLabel(self.tr("Search model:"))
        label.setBuddy(self.model)
        row.addWidget(label)
        row.addWidget(self.model, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.suggestion)
        layout.addWidget(self.use_button)
        self.model.activated.connect(self._on_chosen)
        self.use_button.clicked.connect(self._on_use)

    def show_state(self, state: dict[str, Any] | None) -> None:
        state = state or {"model": BUNDLED_EMBEDDER_ID, "answering": BUNDLED_EMBEDDER_ID, "remaining": 0}
        choices = [(BUNDLED_EMBEDDER_ID, self.tr("Built-in (English): all-MiniLM-L6-v2"))]
        choices += [tuple(c) for c in state.get("installed", []) if c[0] != BUNDLED_EMBEDDER_ID]
        if state["model"] not in {c[0] for c in choices}:
            choices.append((state["model"], state["model"]))
        self.model.blockSignals(True)
        self.model.clear()
        for model_id, name in choices:
            self.model.addItem(name, model_id)
        self.model.setCurrentIndex(self.model.findData(state["model"]))
        self.model.blockSignals(False)
        self.status.setText(self._status(state))
        self.status.setVisible(bool(self.status.text()))
        suggestion = state.get("suggestion")
        self._suggested = suggestion[0] if suggestion else ""
        self._installed_suggestion = bool(suggestion and suggestion[2])
        if suggestion:
            self.suggestion.setText(
                self.tr(
                    "Most of this library is not in English, which the built-in search model reads best. "
                    "{name} reads Korean, Japanese, Chinese and many more languages."
                ).format(name=suggestion[1])
            )
            self.use_button.setText(
                self.tr("Use {name}").format(name=suggestion[1])
                if self._installed_suggestion
                else self.tr("Download {name}…").format(name=suggestion[1])
            )
        self.suggestion.setVisible(bool(suggestion))
        self.use_button.setVisible(bool(suggestion))

    def _status(self, state: dict[str, Any]) -> str:
        if state.get("notice"):
            return str(state["notice"])
        if state["answering"] != state["model"] and state["remaining"]:
            return self.tr(
                "Re-reading the library with the new model: {count} files left. "
                "Searches use the previous model until then."
            ).format(count=state["remaining"])
        return ""

    def _on_chosen(self, index: int) -> None:
        model_id = self.model.itemData(index)
        if model_id:
            self.choose_requested.emit(str(model_id))

    def _on_use(self) -> None:
        if self._installed_suggestion:
            self.choose_requested.emit(self._suggested)
        else:
            self.models_requested.emit(self._suggested)
