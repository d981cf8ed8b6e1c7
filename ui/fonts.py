"""The bundled CJK font: loading it, and checking which characters a font cannot draw.

A service-hall PC may have no Chinese font at all (a stripped-down Windows image, a Linux
thin client). Credit Desk ships WenQuanYi Micro Hei in ``resources/fonts`` and adds it to the
application's font families, so names with rare characters (堃 喆 昇 玥 镕 赟) never turn into
empty boxes.
"""

from __future__ import annotations

import logging
import unicodedata
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QRawFont

from desktop_app.config import resources_dir

log = logging.getLogger(__name__)

BUNDLED_CJK_FAMILY = "WenQuanYi Micro Hei"
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")

_loaded: dict[Path, list[str]] = {}


def fonts_dir() -> Path:
    """The folder of the fonts shipped with the application."""
    return resources_dir() / "fonts"


def load_bundled_fonts(folder: Path | None = None) -> list[str]:
    """Register every font file in ``folder`` with Qt (once per file).

    Requires a ``QGuiApplication``.

    Args:
        folder: Where the fonts are; the bundled ``resources/fonts`` when omitted.

    Returns:
        The families the files provide, in file-name order.
    """
    folder = folder or fonts_dir()
    families: list[str] = []
    if not folder.is_dir():
        log.warning("font folder %s is missing; Chinese may not render", folder)
        return families
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in FONT_SUFFIXES:
            continue
        if path not in _loaded:
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                log.warning("could not load font %s", path)
                _loaded[path] = []
            else:
                _loaded[path] = list(QFontDatabase.applicationFontFamilies(font_id))
        families.extend(_loaded[path])
    return families


def has_family(family: str) -> bool:
    """Whether Qt knows ``family`` (system-installed or loaded by the application)."""
    return family in QFontDatabase.families()


def with_cjk_fallback(font: QFont, fallback: str = BUNDLED_CJK_FAMILY) -> QFont:
    """A copy of ``font`` that falls back to ``fallback`` for characters it lacks.

    Args:
        font: The font to extend (usually the platform's default UI font).
        fallback: The family to try after the font's own families.

    Returns:
        The extended font; ``font`` itself is unchanged.
    """
    result = QFont(font)
    families = [f for f in font.families() or [font.family()] if f != fallback]
    result.setFamilies([*families, fallback])
    return result


def missing_glyphs(family: str, text: str) -> list[str]:
    """The characters of ``text`` that ``family`` has no glyph for, each once, in order.

    Whitespace and control characters are ignored. When Qt does not know ``family`` at all,
    every character counts as missing (asking Qt to resolve an unknown family would silently
    substitute another font and answer for that one instead).

    Args:
        family: A font family name.
        text: The text to check.
    """
    wanted = [
        ch
        for ch in dict.fromkeys(text)
        if not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf")
    ]
    if not has_family(family):
        return wanted
    font = QFont()
    font.setFamilies([family])
    raw = QRawFont.fromFont(font)
    if not raw.isValid() or raw.familyName() != family:
        return wanted
    # supportsCharacter(str) is bound to the QChar overload and answers wrongly for
    # characters outside the BMP: always pass the code point.
    return [ch for ch in wanted if not raw.supportsCharacter(ord(ch))]
