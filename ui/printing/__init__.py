"""Printing: every document the app prints goes through this one pipeline.

A :class:`desktop_app.reports.document.Document` is laid out with ``QTextDocument`` (the
flowing body) and ``QPainter`` (cover, header, footer, watermark, QR code), then painted on a
``QPrinter`` (print and print preview, :mod:`ui.printing.preview`), a ``QPdfWriter``
(:func:`render_pdf`) or images (:func:`render_page_images`).
"""

from ui.printing.glyphs import missing_characters, printed_text
from ui.printing.render import (
    CREATOR,
    PreparedDocument,
    PrintError,
    RenderResult,
    new_printer,
    paint_document,
    prepare,
    render_page_images,
    render_pdf,
)

__all__ = [
    "CREATOR",
    "PreparedDocument",
    "PrintError",
    "RenderResult",
    "missing_characters",
    "new_printer",
    "paint_document",
    "prepare",
    "printed_text",
    "render_page_images",
    "render_pdf",
]
