"""Choosing and showing the route of a request: before sending (picker) and after (bar)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMenu, QPushButton, QToolButton, QWidget

from ui.i18n import QT_TRANSLATE_NOOP

ROUTE_LABELS = {
    "chat": QT_TRANSLATE_NOOP("RouteBar", "Chat"),
    "documents": QT_TRANSLATE_NOOP("RouteBar", "Documents"),
    "writing": QT_TRANSLATE_NOOP("RouteBar", "Writing"),
    "complex": QT_TRANSLATE_NOOP("RouteBar", "Complex"),
}


def route_label(route: str) -> str:
    """The route's name in the window's language."""
    return QCoreApplication.translate("RouteBar", ROUTE_LABELS[route]) if route in ROUTE_LABELS else route


class RoutePicker(QComboBox):
    """Auto (the router decides) or a route the person chose for the next message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem(self.tr("Auto route"), None)
        for route in ROUTE_LABELS:
            self.addItem(route_label(route), route)
        self.setToolTip(self.tr("How the next message is handled: Auto lets the router decide"))
        self.setAccessibleName(self.tr("Route"))

    def chosen(self) -> str | None:
        data = self.currentData()
        return data if isinstance(data, str) else None

    def choose(self, route: str | None) -> None:
        self.setCurrentIndex(max(0, self.findData(route)) if route else 0)


class RouteBar(QWidget):
    """After sending: the route taken and why, a way to answer again another way, and the cloud offer.

    Signals:
        rerouted(str): the person asked to answer the last message again on this route.
        escalate_clicked(): the person asked to see the cloud request (nothing is sent yet).
    """

    rerouted = Signal(str)
    escalate_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.again = QToolButton()
        self.again.setText(self.tr("Answer as…"))
        self.again.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.again)
        for route in ROUTE_LABELS:
            action = menu.addAction(route_label(route))
            action.setData(route)
        menu.triggered.connect(lambda action: self.rerouted.emit(str(action.data())))
        self.again.setMenu(menu)
        self.offer = QLabel()
        self.offer.setWordWrap(True)
        self.escalate = QPushButton(self.tr("Ask cloud model…"))
        self.escalate.setToolTip(self.tr("Shows exactly what would be sent; nothing leaves until you click Send"))
        self.escalate.clicked.connect(self.escalate_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.again)
        layout.addWidget(self.offer)
        layout.addWidget(self.escalate)
        self.route = ""
        self.show_route(None)
        self.show_offer("", can_escalate=False)

    def show_route(self, decision: object | None) -> None:
        """Show a RouteDecision (None hides the route line)."""
        if decision is None:
            self.route = ""
            self.label.clear()
            self.again.setVisible(False)
            return
        route = str(getattr(decision, "route", "chat"))
        confidence = float(getattr(decision, "confidence", 0.0))
        reasons = "; ".join(getattr(decision, "reasons", ()))
        self.route = route
        if getattr(decision, "unsure", False):
            line = self.tr("Route: {route} (unsure, {confidence:.0%}) · {reasons}")
        else:
            line = self.tr("Route: {route} ({confidence:.0%}) · {reasons}")
        self.label.setText(line.format(route=route_label(route), confidence=confidence, reasons=reasons))
        self.label.setToolTip(reasons)
        self.again.setVisible(True)

    def show_offer(self, text: str, can_escalate: bool) -> None:
        self.offer.setText(text)
        self.offer.setVisible(bool(text))
        self.escalate.setVisible(can_escalate)
