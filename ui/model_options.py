"""Per-model settings: context length, temperature, GPU layers, system prompt, thinking."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from assistant.config import ModelSettings
from assistant.runtime.registry import InstalledModel, ModelOptions

GENERAL = "General setting"


class ModelOptionsDialog(QDialog):
    """Each field starts at "General setting"; only what the person changes is kept for this model."""

    def __init__(self, model: InstalledModel, general: ModelSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Settings for {model.name}")
        options = model.options
        trained = model.context_length or 131072
        self.context = QSpinBox()
        self.context.setRange(0, trained)
        self.context.setSingleStep(512)
        self.context.setSpecialValueText(f"{GENERAL} ({min(general.context_length, trained)})")
        self.context.setValue(options.context_length or 0)
        self.context.setToolTip(f"Tokens the model keeps in view; it was trained for {trained}.")
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(-0.1, 2.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setSpecialValueText(f"{GENERAL} ({general.temperature:g})")
        self.temperature.setValue(options.temperature if options.temperature is not None else -0.1)
        self.gpu_mode = QComboBox()
        self.gpu_mode.addItems([f"{GENERAL}", "Automatic (all layers that fit)", "CPU only", "Custom number of layers"])
        self.gpu_layers = QSpinBox()
        self.gpu_layers.setRange(1, 999)
        layers = options.gpu_layers
        self.gpu_mode.setCurrentIndex(0 if layers is None else 1 if layers < 0 else 2 if layers == 0 else 3)
        self.gpu_layers.setValue(layers if layers and layers > 0 else 16)
        self.gpu_layers.setEnabled(self.gpu_mode.currentIndex() == 3)
        self.gpu_mode.currentIndexChanged.connect(lambda i: self.gpu_layers.setEnabled(i == 3))
        if model.runtime != "llama.cpp":
            self.gpu_mode.setEnabled(False)
            self.gpu_mode.setToolTip("transformers models use the GPU whole when there is one (CUDA or Apple MPS).")
        self.system_prompt = QPlainTextEdit(options.system_prompt or "")
        self.system_prompt.setPlaceholderText(f"{GENERAL}: {general.system_prompt}")
        self.system_prompt.setMaximumHeight(90)
        self.thinking = QCheckBox("Let the model think before it answers (shown folded above the answer)")
        self.thinking.setChecked(options.thinking)
        self.thinking.setEnabled(model.thinking_switch)
        if not model.thinking_switch:
            self.thinking.setToolTip("This model's chat template has no switch for thinking.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Context length", self.context)
        form.addRow("Temperature", self.temperature)
        form.addRow("GPU", self.gpu_mode)
        form.addRow("GPU layers", self.gpu_layers)
        form.addRow("System prompt", self.system_prompt)
        form.addRow("", self.thinking)
        form.addRow(buttons)

    def options(self) -> ModelOptions:
        mode = self.gpu_mode.currentIndex()
        gpu = None if mode == 0 else -1 if mode == 1 else 0 if mode == 2 else self.gpu_layers.value()
        prompt = self.system_prompt.toPlainText().strip()
        temperature = self.temperature.value()
        return ModelOptions(
            context_length=self.context.value() or None,
            temperature=None if temperature < 0 else round(temperature, 2),
            gpu_layers=gpu,
            system_prompt=prompt or None,
            thinking=self.thinking.isChecked(),
        )
