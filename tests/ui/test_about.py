"""Help → About: version, bundled models and libraries with their licenses; the app's icon; the Qt check."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication, QPlainTextEdit
from pytestqt.qtbot import QtBot

from assistant import __version__
from tests.fakes import FakeRuntime
from tests.ui.conftest import OpenWindow
from ui.about_dialog import LICENSE_LINK, AboutDialog
from ui.icons import app_icon
from ui.launcher import check_qt


def test_about_lists_the_bundled_models_licenses_and_shows_a_license_text(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window(FakeRuntime())
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    next(a for a in help_menu.actions() if a.text() == "&About Private Assistant").trigger()
    dialog = window.menus.about_dialog
    assert isinstance(dialog, AboutDialog) and dialog.isVisible()
    text = dialog.credits_view.toPlainText()
    assert f"Private Assistant {__version__}" in dialog.title.text()
    models = text.split("Libraries")[0]
    assert "SmolLM2-135M-Instruct" in models and "all-MiniLM-L6-v2" in models
    assert models.count("Apache-2.0") == 2  # read from the GGUF header and the model card
    for library in ("llama-cpp-python", "PySide6", "Chroma", "PyTorch", "pypdf"):
        assert library in text
    assert "not installed" not in text  # every version was read from the installed packages
    dialog.credits_view.anchorClicked.emit(QUrl(LICENSE_LINK + "llama-cpp-python (llama.cpp)"))
    shown = dialog.license_window
    assert shown is not None and shown.isVisible()
    assert "MIT" in shown.windowTitle()
    assert "Permission is hereby granted" in shown.findChildren(QPlainTextEdit)[0].toPlainText()
    dialog.credits_view.anchorClicked.emit(QUrl(LICENSE_LINK + "all-MiniLM-L6-v2"))
    assert dialog.license_window is not shown and dialog.license_window is not None
    assert "Apache License" in dialog.license_window.findChildren(QPlainTextEdit)[0].toPlainText()


def test_the_app_and_its_windows_carry_the_icon_in_every_size() -> None:
    icon = app_icon()
    assert not icon.isNull()
    assert {s.width() for s in icon.availableSizes()} >= {16, 32, 48, 256}


def test_qt_check_of_the_self_test_names_the_platform_plugins() -> None:
    assert QApplication.instance() is not None
    line = check_qt({})
    assert line.startswith("Qt 6.") and "xcb" in line and "offscreen" in line
