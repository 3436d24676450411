"""The window's menu bar (File, Chat, Tools, Settings, View, Help) and the dialogs only a menu opens.

The theme and the text size chosen here are kept in the settings' window section for the next start.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from assistant.config import save_settings
from assistant.errors import AssistantError
from ui.conversation_files import FilesHost, add_file_menu
from ui.shortcuts import ShortcutsDialog, TextSize

if TYPE_CHECKING:
    from assistant.config import Settings
    from ui.escalation import EscalationController
    from ui.local_server import LocalServerControl
    from ui.models_controller import ModelsController
    from ui.theme import Theme
    from ui.writing_controller import WritingController


class Menus(QObject):
    """Builds the menu bar of ``window`` and opens the dialogs its items name."""

    def __init__(
        self,
        window: FilesHost,
        settings: Settings,
        theme: Theme,
        chat_actions: Sequence[QAction],
        writing: WritingController,
        escalation: EscalationController,
        models: ModelsController,
        local_server: LocalServerControl,
    ) -> None:
        """``window``: its menu bar, errors and File menu; ``chat_actions``: the Chat menu's items."""
        self.parent_widget = window.window()  # the dialogs' parent
        super().__init__(self.parent_widget)
        self.window = window
        self.settings = settings
        self.theme = theme
        self.local_server = local_server
        self.text_size = TextSize(int(settings.window.get("text_step", 0)))
        bar = window.menuBar()
        add_file_menu(window)
        chat = bar.addMenu(self.tr("&Chat"))
        for action in chat_actions:
            chat.addAction(action)
        tools = bar.addMenu(self.tr("&Tools"))
        tools.addAction(self.tr("&Writing help…"), QKeySequence("Ctrl+Shift+W"), writing.open)
        self.ask_cloud_action = tools.addAction(
            self.tr("Ask &cloud model…"), QKeySequence("Ctrl+Shift+E"), escalation.ask_cloud
        )
        settings_menu = bar.addMenu(self.tr("&Settings"))
        settings_menu.addAction(self.tr("&Models…"), QKeySequence("Ctrl+Shift+M"), models.open)
        settings_menu.addAction(self.tr("&Cloud provider…"), escalation.open_settings)
        settings_menu.addAction(self.tr("&Language…"), self.open_language)
        settings_menu.addAction(self.tr("Local &server…"), self.open_local_server)
        view = bar.addMenu(self.tr("&View"))
        view.addAction(self.tr("What &left this device…"), escalation.open_audit)
        view.addSeparator()
        themes = view.addMenu(self.tr("&Theme"))
        group = QActionGroup(self)
        for choice, label in (
            ("system", self.tr("Follow the &system")),
            ("light", self.tr("&Light")),
            ("dark", self.tr("&Dark")),
        ):
            action = themes.addAction(label, functools.partial(self._choose_theme, choice))
            action.setCheckable(True)
            action.setChecked(choice == theme.choice)
            group.addAction(action)
        for label, keys, change in (
            (self.tr("&Larger text"), QKeySequence(QKeySequence.StandardKey.ZoomIn), self.text_size.larger),
            (self.tr("&Smaller text"), QKeySequence(QKeySequence.StandardKey.ZoomOut), self.text_size.smaller),
            (self.tr("&Normal text size"), QKeySequence("Ctrl+0"), self.text_size.normal),
        ):
            view.addAction(label, keys, functools.partial(self._change_text_size, change))
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.tr("&Keyboard shortcuts"), QKeySequence("Ctrl+/"), self.open_shortcuts)
        about = help_menu.addAction(self.tr("&About Private Assistant"), self.open_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        self.update_cloud_action()

    def update_cloud_action(self) -> None:
        """Ask cloud model… only when a provider is set up and Offline only is off."""
        self.ask_cloud_action.setEnabled(self.settings.cloud.available)

    def _choose_theme(self, choice: str) -> None:
        self.theme.choose(choice)
        self.settings.window["theme"] = choice  # remembered for the next start

    def _change_text_size(self, change: Callable[[], int]) -> None:
        self.settings.window["text_step"] = change()  # remembered for the next start

    def open_shortcuts(self) -> None:
        self.shortcuts_dialog = ShortcutsDialog(self.parent_widget)
        self.shortcuts_dialog.show()

    def open_about(self) -> None:
        from ui.about_dialog import AboutDialog

        self.about_dialog = AboutDialog(self.parent_widget)
        self.about_dialog.show()

    def open_language(self) -> None:
        from ui.language_dialog import LanguageDialog

        self.language_dialog = LanguageDialog(self.settings, self.parent_widget)
        self.language_dialog.open()

    def open_local_server(self) -> None:
        from ui.local_server import LocalServerDialog

        self.local_server_dialog = LocalServerDialog(self.local_server, self.parent_widget)
        self.local_server_dialog.finished.connect(lambda _: self._save_settings())
        self.local_server_dialog.open()

    def _save_settings(self) -> None:
        try:
            save_settings(self.settings)
        except AssistantError as exc:
            self.window.show_error(str(exc))
