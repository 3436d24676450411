"""The writing pane: the person's text, a task, and the result as a diff to accept change by change.

The pane runs no model: Run emits ``requested`` and the window answers through ``on_token``,
``on_notice``, ``on_finished`` (the cleaned result, see ``writer.clean_result``) and ``on_failed``.
The result is shown as a word diff against the text the task ran on (the selection, if there was
one); for "continue" the result is that text plus the continuation (``writer.combine``). The
person's text is never changed unless they click "Replace text", which replaces only the
selection when the task ran on a selection, and refuses when the text has changed since the run.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QTextCursor
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
from assistant.agents.writer import TASKS, combine
from assistant.atomic import atomic_write_text
from assistant.errors import AssistantError
from assistant.runtime.loop_guard import REPETITION_NOTICE
from ui.diff_view import DiffView
from ui.i18n import QT_TRANSLATE_NOOP

LANGUAGES = (
    QT_TRANSLATE_NOOP("WritingPane", "English"),
    QT_TRANSLATE_NOOP("WritingPane", "French"),
    QT_TRANSLATE_NOOP("WritingPane", "German"),
    QT_TRANSLATE_NOOP("WritingPane", "Spanish"),
    QT_TRANSLATE_NOOP("WritingPane", "Italian"),
    QT_TRANSLATE_NOOP("WritingPane", "Portuguese"),
    QT_TRANSLATE_NOOP("WritingPane", "Dutch"),
    QT_TRANSLATE_NOOP("WritingPane", "Polish"),
    QT_TRANSLATE_NOOP("WritingPane", "Swedish"),
    QT_TRANSLATE_NOOP("WritingPane", "Russian"),
    QT_TRANSLATE_NOOP("WritingPane", "Chinese"),
    QT_TRANSLATE_NOOP("WritingPane", "Japanese"),
    QT_TRANSLATE_NOOP("WritingPane", "Korean"),
    QT_TRANSLATE_NOOP("WritingPane", "Arabic"),
)
# The task names of writer.TASKS, translated where shown (a task the window does not know shows its own name).
TASK_LABELS = {
    "proofread": QT_TRANSLATE_NOOP("WritingPane", "Proofread"),
    "rewrite-formal": QT_TRANSLATE_NOOP("WritingPane", "Rewrite: formal"),
    "rewrite-friendly": QT_TRANSLATE_NOOP("WritingPane", "Rewrite: friendly"),
    "rewrite-concise": QT_TRANSLATE_NOOP("WritingPane", "Rewrite: concise"),
    "rewrite-polite": QT_TRANSLATE_NOOP("WritingPane", "Rewrite: polite"),
    "shorten": QT_TRANSLATE_NOOP("WritingPane", "Shorten"),
    "expand": QT_TRANSLATE_NOOP("WritingPane", "Expand"),
    "summarize": QT_TRANSLATE_NOOP("WritingPane", "Summarize"),
    "continue": QT_TRANSLATE_NOOP("WritingPane", "Continue"),
    "translate": QT_TRANSLATE_NOOP("WritingPane", "Translate"),
    "email": QT_TRANSLATE_NOOP("WritingPane", "Email from bullet points"),
}


class WritingPane(QWidget):
    """Signals:
    requested(str, str, str): task id, the text to work on, target language ("" unless translating).
    stop_requested(): the person clicked Stop (the window stops the task; the partial result
        still comes to ``on_finished``).
    """

    requested = Signal(str, str, str)
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task = QComboBox()
        for task, label in TASKS.items():
            self.task.addItem(self.tr(TASK_LABELS[task]) if task in TASK_LABELS else label, task)
        self.language = QComboBox()
        self.language.setEditable(True)
        for language in LANGUAGES:  # shown in the window's language; the model is told the English name
            self.language.addItem(self.tr(language), language)
        self.language.setCurrentIndex(self.language.findData("French"))
        self.language_label = QLabel(self.tr("into"))
        self.run_button = QPushButton(self.tr("Run"))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(
            self.tr("Paste or type your text here. Select part of it to work on that part only.")
        )
        self.diff = DiffView()
        self.editor.setAccessibleName(self.tr("Your text"))
        self.diff.setAccessibleName(self.tr("Result, with each change marked"))
        self.diff.setAccessibleDescription(self.tr("Activate a change to accept or reject it"))
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.accept_all = QPushButton(self.tr("Accept all"))
        self.reject_all = QPushButton(self.tr("Reject all"))
        self.copy_button = QPushButton(self.tr("Copy result"))
        self.save_button = QPushButton(self.tr("Save as…"))
        self.replace_button = QPushButton(self.tr("Replace text"))

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Task")))
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
        column.addWidget(QLabel(self.tr("Result (click a change to accept or reject it)")))
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

        self._original = ""  # the text the last task ran on
        self._task = ""  # the task that ran (the picker may change meanwhile)
        self._selection: tuple[int, int] | None = None  # editor positions when the task ran on a selection
        self._stopping = False
        self._repeating = False  # the app stopped the model because it began repeating itself
        self.running = False
        self.task.currentIndexChanged.connect(self._update)
        self.run_button.clicked.connect(self.run)
        self.stop_button.clicked.connect(self.stop)
        self.accept_all.clicked.connect(self.diff.accept_all)
        self.reject_all.clicked.connect(self.diff.reject_all)
        self.copy_button.clicked.connect(self.copy_result)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.replace_button.clicked.connect(self.replace_text)
        self.diff.changed.connect(self._update)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.run)
        self.run_button.setToolTip(self.tr("Run the task on the selection, or on all the text (Ctrl+Enter)"))
        self._update()

    def chosen_task(self) -> str:
        """The task id picked in the task menu."""
        return str(self.task.currentData())

    def target_language(self) -> str:
        """The language to translate into: the English name of a listed one, or what the person typed."""
        text = self.language.currentText().strip()
        index = self.language.findText(text)
        return str(self.language.itemData(index)) if index >= 0 and self.language.itemData(index) else text

    def set_task(self, task: str, to: str = "") -> None:
        """Pick ``task`` (an id of ``writer.TASKS``) and, for translate, the language ``to``."""
        index = self.task.findData(task)
        if index >= 0:
            self.task.setCurrentIndex(index)
        if to:
            index = self.language.findData(to)
            if index >= 0:
                self.language.setCurrentIndex(index)
            else:
                self.language.setCurrentText(to)

    def run(self) -> None:
        """Emit ``requested`` for the chosen task on the selection (or all the text)."""
        if self.running:
            return
        cursor = self.editor.textCursor()
        if cursor.hasSelection():
            self._selection = (cursor.selectionStart(), cursor.selectionEnd())
            text = cursor.selection().toPlainText()
        else:
            self._selection = None
            text = self.editor.toPlainText()
        if not text.strip():
            self.status.setText(self.tr("There is no text to work on. Paste or type some text first."))
            return
        task = self.chosen_task()
        language = self.target_language() if task == "translate" else ""
        if task == "translate" and not language:
            self.status.setText(self.tr("Choose the language to translate into."))
            return
        self._original = text
        self._task = task
        self._stopping = False
        self._repeating = False
        self.running = True
        self.editor.setReadOnly(True)  # the selection's positions must stay right until the result is in
        self.diff.show_text("")
        self.status.setText(self.tr("Working…"))
        self._update()
        self.requested.emit(task, text, language)

    def stop(self) -> None:
        """Ask the window to stop the running task; the partial result still arrives in ``on_finished``."""
        if self.running:
            self._stopping = True
            self.status.setText(self.tr("Stopping…"))
            self.stop_requested.emit()

    def on_token(self, text: str) -> None:
        """A streamed piece of the result: previewed as plain text until ``on_finished``."""
        if self.running:
            self.diff.append_text(text)

    def on_notice(self, text: str) -> None:
        """Something the person should know about the running task (e.g. the result may stop early)."""
        self._repeating = self._repeating or text == REPETITION_NOTICE
        self.status.setText(text)

    def on_finished(self, result: str) -> None:
        """The cleaned result: shown as a word diff against the text the task ran on."""
        if not self.running:
            return
        self._end_run()
        full = combine(self._task, self._original, result)
        if not full.strip():
            self.diff.show_text("")
            self.status.setText(
                self.tr("The model gave no result. Your text is unchanged; try again or pick another task.")
            )
            self._update()
            return
        self.diff.set_diff(word_diff(self._original, full))
        count = self.diff.change_count()
        if count:
            said = (
                self.tr("1 change: click it to reject or accept it.")
                if count == 1
                else self.tr("{count} changes: click one to reject or accept it.").format(count=count)
            )
        else:
            said = self.tr("No changes: the result is the same as your text.")
        stopped = self.tr("Stopped early.") + " " if self._stopping else ""
        repeating = REPETITION_NOTICE[0].upper() + REPETITION_NOTICE[1:] + ". " if self._repeating else ""
        self.status.setText(stopped + repeating + said)
        self._update()

    def on_failed(self, message: str) -> None:
        """The task failed: say why; the person's text is kept as it was."""
        was_running = self.running
        self._end_run()
        if was_running:
            self.diff.show_text("")
        self.status.setText((message.strip() + " " if message.strip() else "") + self.tr("Your text is unchanged."))
        self._update()

    def result(self) -> str:
        """The result with the accepted changes applied."""
        return self.diff.result()

    def copy_result(self) -> None:
        QGuiApplication.clipboard().setText(self.result())
        self.status.setText(self.tr("Result copied."))

    def _on_save_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the result"), "", self.tr("Text") + " (*.txt *.md);;" + self.tr("All files") + " (*)"
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        """Write the result to ``path`` atomically (UTF-8); says in the pane whether it worked."""
        try:
            atomic_write_text(path, self.result())
        except (AssistantError, OSError) as exc:
            self.status.setText(self.tr("Not saved: {error}").format(error=exc))
            return False
        self.status.setText(self.tr("Saved to {path}.").format(path=path))
        return True

    def replace_text(self) -> None:
        """Put the result into the editor, over the selection the task ran on (or all the text).

        Refuses when that text was changed since the run, so no edit of the person's is lost.
        Ctrl+Z in the editor undoes the replacement.
        """
        result = self.result()
        cursor = QTextCursor(self.editor.document())
        if self._selection is not None:
            start, end = self._selection
            last = self.editor.document().characterCount() - 1
            cursor.setPosition(min(start, last))
            cursor.setPosition(min(end, last), QTextCursor.MoveMode.KeepAnchor)
            unchanged = end <= last and cursor.selection().toPlainText() == self._original
        else:
            cursor.select(QTextCursor.SelectionType.Document)
            unchanged = self.editor.toPlainText() == self._original
        if not unchanged:
            self.status.setText(
                self.tr(
                    "Your text has changed since the task ran, so the result was not put in. "
                    "Copy the result instead, or run the task again."
                )
            )
            return
        cursor.insertText(result)  # one undo step
        if self._selection is not None:
            self._selection = (self._selection[0], cursor.position())
            cursor.setPosition(self._selection[0], QTextCursor.MoveMode.KeepAnchor)
            self.editor.setTextCursor(cursor)  # the replaced part stays selected, ready for another task
        self._original = result
        self.diff.set_diff(word_diff(result, result))
        self.status.setText(self.tr("Text replaced (Ctrl+Z in the text undoes it)."))
        self._update()

    def _end_run(self) -> None:
        self.running = False
        self.editor.setReadOnly(False)

    def _update(self) -> None:
        translate = self.chosen_task() == "translate"
        self.language.setVisible(translate)
        self.language_label.setVisible(translate)
        self.run_button.setEnabled(not self.running)
        self.stop_button.setEnabled(self.running)
        has_result = not self.running and (self.diff.change_count() > 0 or bool(self.result().strip()))
        for button in (self.copy_button, self.save_button, self.replace_button):
            button.setEnabled(has_result)
        for button in (self.accept_all, self.reject_all):
            button.setEnabled(not self.running and self.diff.change_count() > 0)
