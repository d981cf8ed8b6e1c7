"""The bundled font and the text a document prints: which characters it cannot draw."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from PySide6.QtGui import QGuiApplication

from desktop_app.reports.document import (
    Document,
    KeyValues,
    Paragraph,
    SignatureBlock,
    SignatureForm,
    Table,
)
from ui.fonts import BUNDLED_CJK_FAMILY, load_bundled_fonts, missing_glyphs
from ui.printing.body import chinese_number
from ui.printing.page import ISSUED_LABEL, NUMBER_LABEL

log = logging.getLogger(__name__)

FOOTER_TEMPLATE = "第 0123456789 页 / 共 页"  # every character the footer can print

_font_lock = threading.Lock()


def ensure_fonts() -> None:
    """Register the bundled CJK font with Qt (once; safe from any thread).

    Raises:
        RuntimeError: No ``QGuiApplication`` exists (Qt cannot load fonts without one).
    """
    if QGuiApplication.instance() is None:
        raise RuntimeError("printing needs a QGuiApplication")
    with _font_lock:
        families = load_bundled_fonts()
    if BUNDLED_CJK_FAMILY not in families:
        log.warning("bundled font %s is not loaded: PDFs will lack it", BUNDLED_CJK_FAMILY)


def printed_text(document: Document) -> str:
    """Every piece of text the document prints, decorations included, one per line."""
    parts: list[str] = [document.title, NUMBER_LABEL, document.number, FOOTER_TEMPLATE]
    if document.issued_at:
        parts += [ISSUED_LABEL, document.issued_at]
    parts += [document.watermark, document.qr_caption if document.qr_payload else ""]
    if document.cover is not None:
        cover = document.cover
        parts += [cover.title, cover.subtitle, cover.warning, cover.footer]
        parts += [text for pair in cover.facts for text in pair]
    for number, section in enumerate(document.sections, start=1):
        parts.append(f"{chinese_number(number)}、{section.title}")
        for block in section.blocks:
            parts.extend(_block_text(block))
    return "\n".join(part for part in parts if part)


def _block_text(block: object) -> Iterable[str]:
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, KeyValues):
        return [text for pair in block.rows for text in pair]
    if isinstance(block, Table):
        cells = [text for row in block.rows for text in row]
        return [block.caption, *block.columns, *(cells or [block.empty_text])]
    if isinstance(block, SignatureBlock):
        return list(block.lines)
    if isinstance(block, SignatureForm):
        return [text for row in block.rows for text in (row.label, row.date_text)]
    return []


def missing_characters(document: Document) -> list[str]:
    """The characters of ``document`` the bundled CJK font cannot draw, each once, in order.

    Callers warn the user before printing: such characters (e.g. 𠀀, U+20000, of CJK
    Extension B) may come out as empty boxes.
    """
    ensure_fonts()
    return missing_glyphs(BUNDLED_CJK_FAMILY, printed_text(document))
