"""Files and folders dropped anywhere on the window: added to the library's current collection.

An application-wide event filter, so that a drop on any part of the window (the chat, the message box,
the library) counts, and a text box never pastes the dropped file's address instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget


def local_paths(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[str]:
    """The local files and folders a drag carries (none for text, links or remote URLs)."""
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


class FileDrop(QObject):
    """Watches drags over ``window``; ``dropped`` gives the local paths of a drop."""

    dropped = Signal(list)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        window.setAcceptDrops(True)  # so drags reach the window wherever no child takes them
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        assert isinstance(event, QDropEvent)
        paths = local_paths(event)
        if not paths:
            return False  # text or a link: the widget handles it as before
        event.acceptProposedAction()
        if kind == QEvent.Type.Drop:
            self.dropped.emit(paths)
        return True

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
