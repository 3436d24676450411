"""The writing pane: the person's text, a task, and the result as a diff to accept change by change.

The pane runs no model: Run emits ``requested`` and the window answers through ``on_token``,
``on_finished`` and ``on_failed``. The person's text is never changed unless they click
"Replace text" (which replaces only the selection when the task ran on a selection).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from assistant.agents.diff import word_diff
from assistant.agents.writer import TASKS
from assistant.atomic import atomic_write_text
from assistant.errors import AssistantError
from ui.diff_view import DiffView

LANGUAGES = ("English", "French", "German", "Spanish", "Italian", "Portuguese", "Dutch", "Chinese", "Japanese")


class WritingPane(QWidget):
    """Signals:
    requested(str, str, str): task id, the text to work on, target language ("" unless translating).
    stop_requested(): the person clicked Stop.
    """

    requested = Signal(str, str, str)
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task = QComboBox()
        for task, label in TASKS.items():
            self.task.addItem(label, task)
        self.language = QComboBox()
        self.language.setEditable(True)
        self.language.addItems(LANGUAGES)
        self.language.setCurrentText("French")
        self.language_label = QLabel("into")
        self.run_button = QPushButton("Run")
        self.stop_button = QPushButton("Stop")
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText("Paste or type your text here. Select part of it to work on that part only.")
        self.diff = DiffView()
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.accept_all = QPushButton("Accept all")
        self.reject_all = QPushButton("Reject all")
        self.copy_button = QPushButton("Copy result")
        self.save_button = QPushButton("Save as…")
        self.replace_button = QPushButton("Replace text")

        top = QHBoxLayout()
        top.addWidget(QLabel("Task"))
        top.addWidget(self.task)
        top.addWidget(self.language_label)
        top.addWidget(self.language)
        top.addStretch(1)
        top.addWidget(self.stop_button)
        top.addWidget(self.run_button)
        result_actions = QHBoxLayout()
        for button in (self.accept_all, self.reject_all):
            result_actions.addWidget(button)
        result_actions.addStretch(1)
        for button in (self.copy_button, self.save_button, self.replace_button):
            result_actions.addWidget(button)
        lower = QWidget()
        column = QVBoxLayout(lower)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("Result (click a change to accept or reject it)"))
        column.addWidget(self.diff, 1)
        column.addLayout(result_actions)
        split = QSplitter()
        split.setOrientation(Qt.Orientation.Vertical)
        split.addWidget(self.editor)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

        self._original = ""
        self._selection: tuple[int, int] | None = None  # (start, end) in the editor when run on a selection
        self._streamed = ""
        self.running = False
        self.task.currentIndexChanged.connect(self._update)
        self.run_button.clicked.connect(self.run)
        self.stop_button.clicked.connect(self.stop_requested)
        self.accept_all.clicked.connect(self.diff.accept_all)
        self.reject_all.clicked.connect(self.diff.reject_all)
        self.copy_button.clicked.connect(self.copy_result)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.replace_button.clicked.connect(self.replace_text)
        self.diff.changed.connect(self._update)
        self._update()

    def chosen_task(self) -> str:
        return str(self.task.currentData())

    def run(self) -> None:
        cursor = self.editor.textCursor()
        if cursor.hasSelection():
            self._selection = (cursor.selectionStart(), cursor.selectionEnd())
            text = self.editor.toPlainText()[self._selection[0] : self._selection[1]]
        else:
            self._selection = None
            text = self.editor.toPlainText()
        if not text.strip():
            self.status.setText("There is no text to work on. Paste or type some text first.")
            return
        task = self.chosen_task()
        language = self.language.currentText().strip() if task == "translate" else ""
        if task == "translate" and not language:
            self.status.setText("Choose the language to translate into.")
            return
        self._original = text
        self._streamed = ""
        self.running = True
        self.diff.set_diff([])
        self.status.setText("Working…")
        self._update()
        self.requested.emit(task, text, language)

    def on_token(self, text: str) -> None:
        self._streamed += text
        self.diff.setPlainText(self._streamed)

    def on_finished(self, result: str) -> None:
        self.running = False
        if self.chosen_task() == "continue" and result:
            result = self._original.rstrip() + ("\n\n" if "\n\n" in self._original else " ") + result
        self.diff.set_diff(word_diff(self._original, result))
        count = self.diff.change_count()
        self.status.setText(
            f"{count} change{'s' if count != 1 else ''}; click one to reject or accept it." if count else "No changes."
        )
        self._update()

    def on_failed(self, message: str) -> None:
        self.running = False
        self.status.setText(message + " Your text is unchanged.")
        self._update()

    def result(self) -> str:
        return self.diff.result()

    def copy_result(self) -> None:
        QGuiApplication.clipboard().setText(self.result())
        self.status.setText("Result copied.")

    def _on_save_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the result", "", "Text (*.txt *.md);;All files (*)")
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        try:
            atomic_write_text(path, self.result())
        except (AssistantError, OSError) as exc:
            self.status.setText(f"Not saved: {exc}")
            return
        self.status.setText(f"Saved to {path}.")

    def replace_text(self) -> None:
        """Put the result into the editor (only over the selection the task ran on)."""
        result = self.result()
        cursor = self.editor.textCursor()
        if self._selection is not None:
            start, end = self._selection
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        else:
            cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(result)  # one undo step: Ctrl+Z brings the old text back
        self._original = result
        self._selection = (self._selection[0], self._selection[0] + len(result)) if self._selection else None
        self.diff.set_diff(word_diff(result, result))
        self.status.setText("Text replaced (Ctrl+Z in the text undoes it).")
        self._update()

    def _update(self) -> None:
        translate = self.chosen_task() == "translate"
        self.language.setVisible(translate)
        self.language_label.setVisible(translate)
        self.run_button.setEnabled(not self.running)
        self.stop_button.setEnabled(self.running)
        has_result = not self.running and bool(self.diff.toPlainText().strip() or self.diff.change_count())
        for button in (self.copy_button, self.save_button, self.replace_button):
            button.setEnabled(has_result)
        for button in (self.accept_all, self.reject_all):
            button.setEnabled(not self.running and self.diff.change_count() > 0)
