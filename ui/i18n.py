"""The window's language: Qt translations from resources/i18n, chosen by the system locale or Settings.

Every string the window shows goes through Qt's translation (``self.tr`` in QObject subclasses,
``QCoreApplication.translate`` elsewhere). The compiled catalogs (``private_assistant_<lang>.qm``)
ship in ``resources/i18n`` beside their ``.ts`` sources; Qt's own strings (standard buttons,
context menus) come from PySide6's ``qtbase_<lang>.qm``. Text that comes from the core (error
messages, model names, file names) is shown as it is.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from assistant import bundle

log = logging.getLogger(__name__)

CATALOG = "private_assistant"
I18N_FOLDER = "resources/i18n"
# The settings value -> the name shown in the Settings dialog ("" follows the system).
LANGUAGES = {"": "System", "en": "English", "ko": "한국어"}
TRANSLATED = ("ko",)  # the languages that have a catalog; English is the source text
_locale_before: QLocale | None = None  # the default locale before a translation replaced it


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pyside6-lupdate looks for
    """Mark ``text`` for translation in ``context`` (translated where shown); typed, unlike Qt's own."""
    return text


def chosen_language(setting: str, system: QLocale | None = None) -> str:
    """The language the window uses: the setting, or the system's when it is "" (English if untranslated)."""
    if setting in LANGUAGES and setting:
        return setting
    locale = system or QLocale.system()
    for language in locale.uiLanguages() or [locale.name()]:
        code = language.replace("-", "_").split("_")[0].lower()
        if code in TRANSLATED or code == "en":
            return code
    return "en"


def install(setting: str, app: QCoreApplication | None = None) -> list[QTranslator]:
    """Install the translators for ``setting`` on the application; return them (keep them alive).

    English needs none. A missing catalog is logged and the window stays in English.
    """
    app = app or QCoreApplication.instance()
    language = chosen_language(setting)
    if app is None or language not in TRANSLATED:
        return []
    global _locale_before
    _locale_before = _locale_before or QLocale()
    QLocale.setDefault(QLocale(language))  # numbers, dates and Qt's own dialogs follow the window
    installed: list[QTranslator] = []
    try:
        folder = str(bundle.locate(I18N_FOLDER))
    except bundle.BundleError:
        log.warning("the window's translations are missing", exc_info=True)
        return []
    own = QTranslator(app)
    if own.load(f"{CATALOG}_{language}", folder):
        app.installTranslator(own)
        installed.append(own)
    else:
        log.warning("no %s translation in %s", language, folder)
    qt = QTranslator(app)
    if any(qt.load(f"qtbase_{language}", folder) for folder in _qt_translation_folders()):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


def _qt_translation_folders() -> list[str]:
    """Where PySide6's own catalogs (qtbase_ko.qm: standard buttons, context menus) may be, packaged or not."""
    import PySide6

    package = Path(PySide6.__file__).resolve().parent
    return [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath), str(package / "Qt" / "translations")]


def uninstall(translators: list[QTranslator], app: QCoreApplication | None = None) -> None:
    """Remove translators installed by :func:`install` (tests switch languages)."""
    app = app or QCoreApplication.instance()
    if app is None:
        return
    for translator in translators:
        app.removeTranslator(translator)
    global _locale_before
    if _locale_before is not None:
        QLocale.setDefault(_locale_before)
        _locale_before = None


_applied: tuple[str, list[QTranslator]] = ("en", [])


def apply(setting: str) -> str:
    """Make the application speak ``setting``'s language (replacing an earlier one); return its code."""
    global _applied
    language = chosen_language(setting)
    if QCoreApplication.instance() is None or language == _applied[0]:
        return language
    uninstall(_applied[1])
    _applied = (language, install(language))
    return language
