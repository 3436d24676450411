"""Help → About Private Assistant: version, where data lives, the bundled models and libraries with licenses."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from assistant import __version__, about
from assistant.paths import data_dir
from ui.icons import app_icon

LICENSE_LINK = "license:"


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Private Assistant"))
        self.resize(640, 560)
        self.models, self.libraries = about.models(), about.libraries()
        self.credits = {c.name: c for c in [*self.models, *self.libraries]}
        self.license_texts = {c.name: c.license_text() for c in self.credits.values()}
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(64, 64))
        self.title = title = QLabel(
            f"<h2>Private Assistant {html.escape(__version__)}</h2>"
            + self.tr(
                "<p>A private assistant: the model runs on this computer, your documents stay here, and the cloud is "
                "used only for requests you approve.</p>"
            )
            + self.tr("<p>Your data: <code>{folder}</code></p>").format(folder=html.escape(str(data_dir(create=False))))
        )
        title.setWordWrap(True)
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(title, 1)
        self.credits_view = QTextBrowser()
        self.credits_view.setOpenLinks(False)
        self.credits_view.anchorClicked.connect(self._open_link)
        self.credits_view.setHtml(self._credits_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.credits_view, 1)
        layout.addWidget(buttons)
        self.license_window: QDialog | None = None

    def _credits_html(self) -> str:
        def rows(listed: list[about.Credit]) -> str:
            out = []
            for c in listed:
                has_text = self.license_texts[c.name]
                link = (
                    f' · <a href="{LICENSE_LINK}{html.escape(c.name)}">' + self.tr("license text") + "</a>"
                    if has_text
                    else ""
                )
                out.append(
                    f'<tr><td><a href="{html.escape(c.url)}">{html.escape(c.name)}</a> {html.escape(c.version)}'
                    f"<br><small>{html.escape(c.role)}</small></td><td>{html.escape(c.license)}{link}</td></tr>"
                )
            return "".join(out)

        table = '<table width="100%" cellspacing="0" cellpadding="4">'
        return (
            "<h3>"
            + self.tr("Bundled models")
            + f"</h3>{table}{rows(self.models)}</table><h3>"
            + self.tr("Libraries")
            + f"</h3>{table}{rows(self.libraries)}</table>"
            + self.tr(
                "<p><small>Qt is used under the LGPL-3.0: its libraries are separate files in the app folder and "
                "can be replaced with your own build.</small></p>"
            )
        )

    def _open_link(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith(LICENSE_LINK):
            self.show_license(target.removeprefix(LICENSE_LINK))
        else:
            QDesktopServices.openUrl(url)

    def show_license(self, name: str) -> None:
        credit = self.credits[name]
        window = QDialog(self)
        window.setWindowTitle(f"{credit.name}: {credit.license}")
        window.resize(640, 520)
        text = QPlainTextEdit(
            self.license_texts[name] or self.tr("{license}: see {url}").format(license=credit.license, url=credit.url)
        )
        text.setReadOnly(True)
        layout = QVBoxLayout(window)
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(window.reject)
        layout.addWidget(buttons)
        self.license_window = window
        window.show()
