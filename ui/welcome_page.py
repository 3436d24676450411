"""The first-launch page: what this computer can run, the model recommended for it, and two ways on.

A person judges the app by its first replies, and the bundled 135M model writes weak ones; so the
first start shows the machine and the catalog model that fits it best, with one click to download
it. The built-in model stays one click away for those who want to start at once, offline.
The page only shows and asks; the welcome controller saves the choice and starts the download.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from assistant.runtime.catalog import GB
from assistant.runtime.hardware import Machine
from ui.i18n import QT_TRANSLATE_NOOP
from ui.model_figures import gigabytes

BUILTIN_NOTE = QT_TRANSLATE_NOOP(
    "WelcomePage",
    "The built-in model (SmolLM2 135M) works at once and offline, but its answers are short and often wrong. "
    "You can download a model any time from Settings → Models.",
)
NETWORK_NOTE = QT_TRANSLATE_NOOP(
    "WelcomePage",
    "The download comes from huggingface.co, only when you click it, and is checked before use. "
    "Your chats and documents never leave this computer. You can chat while it downloads.",
)
NOTHING_FITS = QT_TRANSLATE_NOOP(
    "WelcomePage",
    "None of the models in the catalog fits this computer's memory, so the built-in small model is the one to use "
    "here. You can import a smaller model file later from Settings → Models.",
)
STYLE = """
QFrame#card { border: 1px solid palette(mid); border-radius: 8px; background: palette(base); }
QLabel#title { font-size: 20pt; font-weight: 600; }
QLabel#heading { font-size: 9pt; font-weight: 600; color: palette(placeholder-text); }
QLabel#model { font-size: 15pt; font-weight: 600; }
QLabel#muted { color: palette(placeholder-text); }
QPushButton#primary {
    background: palette(highlight); color: palette(highlighted-text); border: none;
    border-radius: 6px; padding: 8px 18px; font-weight: 600;
}
QPushButton#primary:hover { background: palette(link); }
QPushButton#secondary { padding: 6px 14px; }
"""


def _label(text: str = "", name: str = "", wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


def _card(heading: str) -> tuple[QFrame, QVBoxLayout]:
    card = QFrame()
    card.setObjectName("card")
    layout = QVBoxLayout(card)
    layout.setContentsMargins(18, 14, 18, 16)
    layout.setSpacing(8)
    layout.addWidget(_label(heading.upper(), "heading"))
    return card, layout


GIB = 1 << 30  # memory is sold and known in these "GB" (a 16 GB laptop has 16 GiB); downloads are in 10^9
SHOWN_ALTERNATIVES = 3


def memory_text(size: int) -> str:
    return f"{size / GIB:.0f} GB" if size else QCoreApplication.translate("WelcomePage", "unknown")


def graphics_text(machine: Machine) -> str:
    """The GPUs llama.cpp can use, with their memory; Apple's GPU shares the main memory."""
    if not machine.gpus:
        return QCoreApplication.translate("WelcomePage", "none that llama.cpp can use here")
    parts = []
    for gpu in machine.gpus:
        if gpu.backend == "Metal":
            parts.append(
                QCoreApplication.translate(
                    "WelcomePage", "{gpu}, shares the main memory (about {memory} usable)"
                ).format(gpu=gpu.name, memory=memory_text(gpu.memory))
            )
        else:
            parts.append(f"{gpu.name} ({memory_text(gpu.memory)})" if gpu.memory else gpu.name)
    return "; ".join(parts)


class WelcomePage(QWidget):
    """Signals:
    download_chosen(str): the person clicked "Download <model>" (a catalog id).
    builtin_chosen(): the person chose the built-in small model for now.
    compare_requested(): the person asked to see every model (the Models page).
    """

    download_chosen = Signal(str)
    builtin_chosen = Signal()
    compare_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setStyleSheet(STYLE)
        self.recommended_id = ""
        self.title = _label(self.tr("Welcome to Private Assistant"), "title")
        self.intro = _label(
            self.tr(
                "Everything runs on this computer. Choose the model that writes your answers: "
                "a larger one answers far better, the built-in one starts at once."
            )
        )
        self.memory = _label()
        self.graphics = _label()
        self.backend = _label()
        self.cpus = _label()
        self.checking = _label(self.tr("Looking at this computer…"), "muted")
        self.model_name = _label("", "model")
        self.reason = _label()
        self.facts = _label("", "muted")
        self.note = _label("", "muted")
        self.alternatives = _label("", "muted")
        self.network = _label(self.tr(NETWORK_NOTE), "muted")
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.setObjectName("primary")
        self.download_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.compare_button = QPushButton(self.tr("Compare all models…"))
        self.compare_button.setFlat(True)
        self.compare_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.builtin_button = QPushButton(self.tr("Use the built-in small model for now"))
        self.builtin_button.setObjectName("secondary")
        self.builtin_note = _label(self.tr(BUILTIN_NOTE), "muted")
        self._build()
        self.download_button.clicked.connect(self._on_download)
        self.builtin_button.clicked.connect(self.builtin_chosen)
        self.compare_button.clicked.connect(self.compare_requested)
        self.show_survey(None, None, surveyed=False)

    def _build(self) -> None:
        machine_card, machine_layout = _card(self.tr("This computer"))
        form = QFormLayout()
        form.setHorizontalSpacing(18)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        for name, value in (
            (self.tr("Memory"), self.memory),
            (self.tr("Graphics"), self.graphics),
            ("llama.cpp", self.backend),
        ):
            form.addRow(_label(name, "muted", wrap=False), value)
        form.addRow(_label(self.tr("Processor"), "muted", wrap=False), self.cpus)
        machine_layout.addWidget(self.checking)
        machine_layout.addLayout(form)
        self.machine_form = form

        self.model_card, model_layout = _card(self.tr("Recommended for this computer"))
        model_layout.addWidget(self.model_name)
        model_layout.addWidget(self.reason)
        model_layout.addWidget(self.facts)
        model_layout.addWidget(self.note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.download_button)
        buttons.addWidget(self.compare_button)
        buttons.addStretch(1)
        model_layout.addSpacing(4)
        model_layout.addLayout(buttons)
        model_layout.addWidget(self.alternatives)
        model_layout.addWidget(self.network)

        builtin_card, builtin_layout = _card(self.tr("Or start now"))
        row = QHBoxLayout()
        row.addWidget(self.builtin_button)
        row.addStretch(1)
        builtin_layout.addLayout(row)
        builtin_layout.addWidget(self.builtin_note)

        column = QWidget()
        column.setMaximumWidth(680)
        column.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(28, 28, 28, 28)
        layout.setSpacing(14)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addSpacing(4)
        layout.addWidget(machine_card)
        layout.addWidget(self.model_card)
        layout.addWidget(builtin_card)
        layout.addStretch(1)

        centred = QWidget()
        outer = QHBoxLayout(centred)
        outer.addStretch(1)
        outer.addWidget(column, 100)
        outer.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(centred)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(scroll)

    # -- showing ----------------------------------------------------------------------

    def show_survey(self, machine: Machine | None, recommendation: Any, surveyed: bool = True) -> None:
        """Show the machine and the recommendation (an ``assistant.runtime.recommend.Recommendation`` or None)."""
        self.checking.setVisible(not surveyed)
        for row in range(self.machine_form.rowCount()):
            self.machine_form.setRowVisible(row, surveyed and machine is not None)
        if machine is not None:
            self.memory.setText(memory_text(machine.memory))
            self.graphics.setText(graphics_text(machine))
            self.backend.setText(
                ", ".join(machine.backends) if machine.backends else self.tr("CPU only (no GPU backend)")
            )
            self.cpus.setText(self.tr("{count} CPU cores").format(count=machine.cpus))
        self.model_card.setVisible(surveyed)
        if not surveyed:
            return
        model = getattr(recommendation, "model", None)
        self.recommended_id = str(model.id) if model is not None else ""
        for widget in (self.download_button, self.compare_button, self.facts, self.network):
            widget.setVisible(model is not None)
        if model is None:
            self.model_name.setText(self.tr("No download fits this computer"))
            self.reason.setText(self.tr(NOTHING_FITS))
            self.note.setVisible(False)
            self.alternatives.setVisible(False)
            self.builtin_note.setText(self.tr("It works offline and starts at once."))
            return
        on_gpu = getattr(recommendation, "on_gpu", False)
        self.model_name.setText(f"{model.name}")
        self.reason.setText(str(getattr(recommendation, "reason", "")))
        facts = (
            self.tr("{size} download · needs about {memory:.1f} GB of memory · runs on the GPU · licence: {license}")
            if on_gpu
            else self.tr(
                "{size} download · needs about {memory:.1f} GB of memory · runs on the processor · licence: {license}"
            )
        )
        self.facts.setText(
            facts.format(size=gigabytes(model.size), memory=model.ram_needed / GB, license=model.license)
        )
        self.note.setText(model.note)
        self.note.setVisible(bool(model.note))
        others = [m.name for m in getattr(recommendation, "alternatives", ())]
        more = len(others) - SHOWN_ALTERNATIVES
        listed = ", ".join(others[:SHOWN_ALTERNATIVES])
        if more > 0:
            listed = self.tr("{models} and {count} more").format(models=listed, count=more)
        self.alternatives.setText(self.tr("Also fits: {models}.").format(models=listed) if others else "")
        self.alternatives.setVisible(bool(others))
        self.download_button.setText(self.tr("Download {name}").format(name=model.name))
        self.download_button.setDefault(True)
        self.builtin_note.setText(self.tr(BUILTIN_NOTE))

    def _on_download(self) -> None:
        if self.recommended_id:
            self.download_chosen.emit(self.recommended_id)
