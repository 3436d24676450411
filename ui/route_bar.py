"""Choosing and showing the route of a request: before sending (picker) and after (bar)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMenu, QPushButton, QToolButton, QWidget

ROUTE_LABELS = {"chat": "Chat", "documents": "Documents", "writing": "Writing", "complex": "Complex"}


class RoutePicker(QComboBox):
    """Auto (the router decides) or a route the person chose for the next message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem("Auto route", None)
        for route, label in ROUTE_LABELS.items():
            self.addItem(label, route)
        self.setToolTip("How the next message is handled: Auto lets the router decide")
        self.setAccessibleName("Route")

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
        self.again.setText("Answer as…")
        self.again.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.again)
        for route, label in ROUTE_LABELS.items():
            action = menu.addAction(label)
            action.setData(route)
        menu.triggered.connect(lambda action: self.rerouted.emit(str(action.data())))
        self.again.setMenu(menu)
        self.offer = QLabel()
        self.offer.setWordWrap(True)
        self.escalate = QPushButton("Ask cloud model…")
        self.escalate.setToolTip("Shows exactly what would be sent; nothing leaves until you click Send")
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
        sure = "unsure, " if getattr(decision, "unsure", False) else ""
        self.label.setText(f"Route: {ROUTE_LABELS.get(route, route)} ({sure}{confidence:.0%}) · {reasons}")
        self.label.setToolTip(reasons)
        self.again.setVisible(True)

    def show_offer(self, text: str, can_escalate: bool) -> None:
        self.offer.setText(text)
        self.offer.setVisible(bool(text))
        self.escalate.setVisible(can_escalate)
