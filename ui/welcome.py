"""The first launch: show the welcome page until the person picks a model, and remember that they did.

Either choice counts (a download, or the built-in model for now), as does a download or a default
chosen on the Models page meanwhile; the choice is saved at once, so the page does not come back.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from assistant.config import Settings
from assistant.runtime.hardware import Machine
from ui.models_controller import ModelsController
from ui.welcome_page import WelcomePage


class WelcomeController(QObject):
    """Signals:
    closed(): the person chose; the window shows the chat.
    """

    closed = Signal()

    def __init__(self, page: WelcomePage, settings: Settings, models: ModelsController) -> None:
        super().__init__(page)
        self.page = page
        self.settings = settings
        self.models = models
        self.open = True
        page.download_chosen.connect(self.download)
        page.builtin_chosen.connect(self.use_builtin)
        page.compare_requested.connect(models.open)
        models.download_started.connect(self._on_download_started)
        models.worker.surveyed.connect(self._on_surveyed)

    def start(self) -> None:
        """Look at this machine (on the models thread); the page shows it when the answer comes."""
        self.models.survey()

    def _on_surveyed(self, machine: Machine, recommendation: object) -> None:
        if self.open:
            self.page.show_survey(machine, recommendation)

    def download(self, model_id: str) -> None:
        self.models.start_download(model_id)  # emits download_started, which closes the page

    def use_builtin(self) -> None:
        self._close()
        self.models.host.statusBar().showMessage(
            self.tr("Using the built-in small model. Settings → Models downloads a better one when you want."), 10000
        )

    def _on_download_started(self, model_id: str) -> None:
        if self.open:
            self._close()

    def _close(self) -> None:
        self.open = False
        self.settings.model_chosen = True
        self.models.save()
        self.closed.emit()
