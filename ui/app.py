"""Creating the QApplication: names, the bundled CJK font, and the UI language."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop_app import APP_DISPLAY_NAME, APP_NAME, __version__
from desktop_app.config import Settings, resources_dir
from ui.fonts import BUNDLED_CJK_FAMILY, load_bundled_fonts, with_cjk_fallback

log = logging.getLogger(__name__)

ORGANIZATION_NAME = "Credit Desk"
TRANSLATION_BASENAME = "credit_desk"
SOURCE_LANGUAGE = "zh_CN"

# QTranslator objects must outlive their installation; Python would collect them otherwise.
_installed: list[QTranslator] = []


# The largest size a window carries. On X11 every window shown sends each size of its icon
# to the server (_NET_WM_ICON, uncompressed): 256 and 512 px added ~13 ms to each window's
# first show, the start-up's first window included (docs/PERFORMANCE.md, "Cold start"). Task
# bars and window switchers draw at most 128 px; the launcher's larger icons come from the
# desktop entry's icon theme, which the .deb fills with every size.
WINDOW_ICON_MAX_PX = 128


def application_icon() -> QIcon:
    """The window icon: each size ``scripts/make_icon.py`` draws up to the window's largest.

    Sizes above :data:`WINDOW_ICON_MAX_PX` are left to the desktop entry. Empty if absent.
    """
    icon = QIcon()
    for png in sorted((resources_dir() / "icons").glob("credit-desk-*.png")):
        size = png.stem.rsplit("-", 1)[-1]
        if size.isdigit() and int(size) <= WINDOW_ICON_MAX_PX:
            icon.addFile(str(png))
    return icon


def translations_dir() -> str:
    """Folder of the application's compiled translations (``*.qm``)."""
    return str(resources_dir() / "translations")


def create_application(argv: list[str], settings: Settings) -> QApplication:
    """Create (or configure the existing) QApplication for Credit Desk.

    Sets the organisation and application names and the window icon, registers the bundled
    fonts, appends the bundled CJK family to the application font so Chinese renders on
    machines without a Chinese font, and installs the translators of ``settings.language``.

    Args:
        argv: Command-line arguments for Qt.
        settings: The profile's preferences.

    Returns:
        The application object.
    """
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setOrganizationName(ORGANIZATION_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("credit-desk")  # the .deb's desktop entry: taskbar icon and name
    icon = application_icon()
    if icon.isNull():
        log.warning("application icon not found under %s", resources_dir() / "icons")
    else:
        app.setWindowIcon(icon)
    families = load_bundled_fonts()
    if BUNDLED_CJK_FAMILY in families:
        app.setFont(with_cjk_fallback(app.font()))
    else:
        log.warning("bundled CJK font %s not loaded", BUNDLED_CJK_FAMILY)
    install_translator(app, settings.language)
    return app


def install_translator(app: QCoreApplication, language: str) -> bool:
    """Replace the installed UI translations with those of ``language``.

    Chinese is the language of the source strings, so it needs only Qt's own translations
    (standard dialogs, context menus); English needs ``credit_desk_en.qm``.

    Args:
        app: The running application.
        language: ``"zh_CN"`` or ``"en"``.

    Returns:
        Whether the application's own texts are now in ``language``.
    """
    for translator in _installed:
        app.removeTranslator(translator)
        translator.deleteLater()
    _installed.clear()
    locale = QLocale(language)
    QLocale.setDefault(locale)
    qt_translator = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if language != "en" and qt_translator.load(locale, "qtbase", "_", qt_dir):
        app.installTranslator(qt_translator)
        _installed.append(qt_translator)
    if language == SOURCE_LANGUAGE:
        return True
    ours = QTranslator(app)
    if not ours.load(f"{TRANSLATION_BASENAME}_{language}", translations_dir()):
        log.warning("no %s translation in %s; the UI stays Chinese", language, translations_dir())
        return False
    app.installTranslator(ours)
    _installed.append(ours)
    return True
