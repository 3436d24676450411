"""The app's icon, from resources/icons (the window, the task bar, the About dialog)."""

from __future__ import annotations

import logging

from PySide6.QtGui import QIcon

from assistant import bundle

log = logging.getLogger(__name__)


def app_icon() -> QIcon:
    """The app's icon in every size it ships (the window, the task bar, the About dialog)."""
    icon = QIcon()
    try:
        folder = bundle.locate("resources/icons")
    except bundle.BundleError:
        log.warning("the app's icons are missing", exc_info=True)
        return icon
    for png in sorted(folder.glob("private-assistant-*.png")):
        icon.addFile(str(png))
    return icon
