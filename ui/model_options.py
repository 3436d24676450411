"""Per-model settings: context length, sampling, GPU layers, system prompt, thinking.

The sampling rows show the values in effect and where each comes from (the model itself, the
catalog, the small-model defaults, the general settings or this model's own choice), so a person
sees what the model runs with before changing anything.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from assistant.config import ModelSettings
from assistant.runtime.facts import stated_sampling
from assistant.runtime.registry import InstalledModel, ModelOptions
from assistant.runtime.sampling import CUSTOM, FIELDS, LIMITS, SOURCE_LABELS, ResolvedSampling, chosen, for_model
from ui.i18n import QT_TRANSLATE_NOOP

GENERAL = QT_TRANSLATE_NOOP("ModelOptionsDialog", "General setting")

# field -> (label, decimals, step, what it does)
_ROWS = {
    "temperature": (
        QT_TRANSLATE_NOOP("ModelOptionsDialog", "Temperature"),
        2,
        0.05,
        QT_TRANSLATE_NOOP(
            "ModelOptionsDialog", "How adventurous each word is: 0 picks the most likely word every time."
        ),
    ),
    "top_p": (
        QT_TRANSLATE_NOOP("ModelOptionsDialog", "Top-p"),
        2,
        0.05,
        QT_TRANSLATE_NOOP(
            "ModelOptionsDialog", "Only the most likely words whose chances add up to this are considered; 1 is off."
        ),
    ),
    "top_k": (
        QT_TRANSLATE_NOOP("ModelOptionsDialog", "Top-k"),
        0,
        5,
        QT_TRANSLATE_NOOP("ModelOptionsDialog", "Only this many of the most likely words are considered; 0 is off."),
    ),
    "min_p": (
        QT_TRANSLATE_NOOP("ModelOptionsDialog", "Min-p"),
        3,
        0.01,
        QT_TRANSLATE_NOOP(
            "ModelOptionsDialog", "Words less likely than this share of the likeliest word are left out; 0 is off."
        ),
    ),
    "repeat_penalty": (
        QT_TRANSLATE_NOOP("ModelOptionsDialog", "Repeat penalty"),
        2,
        0.05,
        QT_TRANSLATE_NOOP("ModelOptionsDialog", "Makes the words of the last 64 tokens less likely; 1 is off."),
    ),
    "presence_penalty": (
        QT_TRANSLATE_NOOP("ModelOptionsDialog", "Presence penalty"),
        2,
        0.1,
        QT_TRANSLATE_NOOP("ModelOptionsDialog", "Subtracted from every word already used recently; 0 is off."),
    ),
}


class ModelOptionsDialog(QDialog):
    """Each field starts at its default; only what the person changes is kept for this model."""

    def __init__(self, model: InstalledModel, general: ModelSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings for {name}").format(name=model.name))
        general_text = self.tr(GENERAL)
        options = model.options
        trained = model.context_length or 131072
        self.context = QSpinBox()
        self.context.setRange(0, trained)
        self.context.setSingleStep(512)
        self.context.setSpecialValueText(f"{general_text} ({min(general.context_length, trained)})")
        self.context.setValue(options.context_length or 0)
        self.context.setToolTip(
            self.tr("Tokens the model keeps in view; it was trained for {trained}.").format(trained=trained)
        )
        self.gpu_mode = QComboBox()
        self.gpu_mode.addItems(
            [
                general_text,
                self.tr("Automatic (all layers that fit)"),
                self.tr("CPU only"),
                self.tr("Custom number of layers"),
            ]
        )
        self.gpu_layers = QSpinBox()
        self.gpu_layers.setRange(1, 999)
        layers = options.gpu_layers
        self.gpu_mode.setCurrentIndex(0 if layers is None else 1 if layers < 0 else 2 if layers == 0 else 3)
        self.gpu_layers.setValue(layers if layers and layers > 0 else 16)
        self.gpu_layers.setEnabled(self.gpu_mode.currentIndex() == 3)
        self.gpu_mode.currentIndexChanged.connect(lambda i: self.gpu_layers.setEnabled(i == 3))
        if model.runtime != "llama.cpp":
            self.gpu_mode.setEnabled(False)
            self.gpu_mode.setToolTip(
                self.tr("transformers models use the GPU whole when there is one (CUDA or Apple MPS).")
            )
        self.system_prompt = QPlainTextEdit(options.system_prompt or "")
        self.system_prompt.setPlaceholderText(f"{general_text}: {general.system_prompt}")
        self.system_prompt.setMaximumHeight(90)
        self.thinking = QCheckBox(self.tr("Let the model think before it answers (shown folded above the answer)"))
        self.thinking.setChecked(options.thinking)
        self.thinking.setEnabled(model.thinking_switch)
        if not model.thinking_switch:
            self.thinking.setToolTip(self.tr("This model's chat template has no switch for thinking."))
        sampling = self._sampling_box(model, general)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Context length"), self.context)
        form.addRow(sampling)
        form.addRow("GPU", self.gpu_mode)
        form.addRow(self.tr("GPU layers"), self.gpu_layers)
        form.addRow(self.tr("System prompt"), self.system_prompt)
        form.addRow("", self.thinking)
        form.addRow(buttons)

    def _sampling_box(self, model: InstalledModel, general: ModelSettings) -> QGroupBox:
        self._path, self._general = Path(model.path), general
        self._stated = stated_sampling(self._path)  # read the file once; thinking on or off resolves again
        self._defaults = self._model_defaults()
        self._custom = chosen(model.options)
        self.sampling_values: dict[str, QSpinBox | QDoubleSpinBox] = {}
        self.sampling_sources: dict[str, QLabel] = {}
        box = QGroupBox(self.tr("Sampling: how the model picks each word"))
        grid = QGridLayout(box)
        for row, name in enumerate(FIELDS):
            label, decimals, step, tip = _ROWS[name]
            low, high = LIMITS[name]
            spin: QSpinBox | QDoubleSpinBox
            if decimals:
                spin = QDoubleSpinBox()
                spin.setDecimals(decimals)
                spin.setRange(low, high)
                spin.setSingleStep(step)
            else:
                spin = QSpinBox()
                spin.setRange(int(low), int(high))
                spin.setSingleStep(int(step))
            spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
            spin.setToolTip(self.tr(tip))
            source = QLabel()
            source.setToolTip(self.tr("Where this value comes from"))
            self.sampling_values[name], self.sampling_sources[name] = spin, source
            grid.addWidget(QLabel(self.tr(label)), row, 0)
            grid.addWidget(spin, row, 1)
            grid.addWidget(source, row, 2)
            spin.valueChanged.connect(lambda value, n=name: self._on_sampling_edited(n, value))
        self.reset_sampling = QPushButton(self.tr("Reset to the model's defaults"))
        self.reset_sampling.setToolTip(
            self.tr("Forget the values set for this model: use its own, the catalog's or safe defaults.")
        )
        self.reset_sampling.clicked.connect(self._on_reset_clicked)
        grid.addWidget(self.reset_sampling, len(FIELDS), 0, 1, 3)
        self._show_sampling()
        self.thinking.toggled.connect(self._on_thinking_toggled)
        self.temperature = self.sampling_values["temperature"]
        return box

    def _model_defaults(self) -> ResolvedSampling:
        """What "reset" shows: the model's own values (or the catalog's, or the defaults) under the general settings."""
        general = dataclasses.replace(self._general, thinking=self.thinking.isChecked())
        return for_model(self._path, general, None, stated=self._stated)

    def _on_thinking_toggled(self) -> None:  # a reasoning model may have other values with thinking off
        self._defaults = self._model_defaults()
        self._show_sampling()

    def _show_sampling(self) -> None:
        """The values in effect: this model's own choices over the defaults."""
        defaults = self._defaults.values
        for name, spin in self.sampling_values.items():
            value = self._custom.get(name, getattr(defaults, name))
            source = CUSTOM if name in self._custom else self._defaults.source(name)
            spin.blockSignals(True)
            if isinstance(spin, QSpinBox):
                spin.setValue(int(value))
            else:
                spin.setValue(float(value))
            spin.blockSignals(False)
            self.sampling_sources[name].setText(SOURCE_LABELS[source])
        self.reset_sampling.setEnabled(bool(self._custom))

    def _on_sampling_edited(self, name: str, value: float) -> None:
        self._custom[name] = value
        self.sampling_sources[name].setText(SOURCE_LABELS[CUSTOM])
        self.reset_sampling.setEnabled(True)

    def _on_reset_clicked(self) -> None:
        self._custom.clear()
        self._show_sampling()

    def options(self) -> ModelOptions:
        mode = self.gpu_mode.currentIndex()
        gpu = None if mode == 0 else -1 if mode == 1 else 0 if mode == 2 else self.gpu_layers.value()
        prompt = self.system_prompt.toPlainText().strip()
        options = ModelOptions(
            context_length=self.context.value() or None,
            gpu_layers=gpu,
            system_prompt=prompt or None,
            thinking=self.thinking.isChecked(),
        )
        for name in self._custom:  # the sampling values set here; the others stay the model's defaults
            setattr(options, name, self._value(name))
        return options

    def _value(self, name: str) -> float | int:
        spin = self.sampling_values[name]
        return spin.value() if isinstance(spin, QSpinBox) else round(spin.value(), spin.decimals())
