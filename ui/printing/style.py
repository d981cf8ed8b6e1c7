"""Page geometry, type sizes and colours of every printed document.

All layout happens in *layout units*: pixels of a virtual 300 dpi device (:data:`LAYOUT_DPI`).
The text is laid out once in those units and the painter is scaled to whatever device draws
it (a 300 dpi PDF, a 1200 dpi printer, a 96 dpi preview, a test image), so page breaks never
depend on the device.

The margins follow GB/T 9704 (党政机关公文格式): top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm, which leaves room for the running header and the footer.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QColor, QFont, QImage

from ui.fonts import BUNDLED_CJK_FAMILY

LAYOUT_DPI = 300
PDF_DPI = 300
MM_PER_INCH = 25.4
# QTextFormat lengths (padding, borders, vertical margins) are CSS pixels: the text layout
# scales them by the device's dpi / 96.
CSS_DPI = 96

PAPER_MM = QSizeF(210.0, 297.0)
MARGIN_TOP_MM = 37.0
MARGIN_BOTTOM_MM = 35.0
MARGIN_LEFT_MM = 28.0
MARGIN_RIGHT_MM = 26.0

HEADER_RULE_MM = 30.0  # from the top edge of the paper
HEADER_TEXT_GAP_MM = 1.5  # between the header text and its rule
FOOTER_QR_MM = 18.0
FOOTER_QR_TOP_MM = 297.0 - MARGIN_BOTTOM_MM + 7.0
COVER_QR_MM = 30.0
QR_QUIET_MODULES = 4

# Type sizes in points (五号 10.5 pt is the body text of Chinese forms).
BODY_PT = 10.5
NOTE_PT = 9.0
SMALL_PT = 8.0
HEADING_PT = 12.0
SECTION_PT = 14.0
TABLE_PT = 9.0
HEADER_PT = 9.0
FOOTER_PT = 9.0
COVER_TITLE_PT = 24.0
COVER_SUBTITLE_PT = 14.0
COVER_FACT_PT = 12.0
WATERMARK_PT = 22.0

INK = QColor(0x1A, 0x1A, 0x1A)
MUTED = QColor(0x55, 0x55, 0x55)
RULE = QColor(0x40, 0x40, 0x40)
GRID = QColor(0x80, 0x80, 0x80)
SHADE = QColor(0xEE, 0xEE, 0xEE)
WARNING_INK = QColor(0xB3, 0x26, 0x1E)
WARNING_FILL = QColor(0xFD, 0xEC, 0xEA)
# Light enough that black text drawn over it keeps a contrast ratio above 14:1.
WATERMARK_INK = QColor(0xE0, 0xE0, 0xE0)


def mm(value: float) -> float:
    """``value`` millimetres in layout units."""
    return value / MM_PER_INCH * LAYOUT_DPI


def css(value_mm: float) -> float:
    """``value_mm`` millimetres as a QTextFormat length (CSS pixels, scaled by the layout)."""
    return value_mm / MM_PER_INCH * CSS_DPI


def paper_rect() -> QRectF:
    """The whole A4 sheet in layout units."""
    return QRectF(0.0, 0.0, mm(PAPER_MM.width()), mm(PAPER_MM.height()))


def body_rect() -> QRectF:
    """The text area inside the margins, in layout units."""
    return QRectF(
        mm(MARGIN_LEFT_MM),
        mm(MARGIN_TOP_MM),
        mm(PAPER_MM.width() - MARGIN_LEFT_MM - MARGIN_RIGHT_MM),
        mm(PAPER_MM.height() - MARGIN_TOP_MM - MARGIN_BOTTOM_MM),
    )


def pixel_font(points: float, *, bold: bool = False) -> QFont:
    """The bundled CJK font at ``points``, sized in layout pixels.

    Page decorations are painted through a painter scaled from layout units to the device; a
    point size would be resolved against the device's dpi and then scaled a second time.
    """
    font = QFont()
    font.setFamilies([BUNDLED_CJK_FAMILY])
    font.setPixelSize(round(points * LAYOUT_DPI / 72))
    font.setBold(bold)
    return font


def layout_device() -> QImage:
    """A 1×1 image of :data:`LAYOUT_DPI`: the device every text layout measures against.

    A ``QImage`` (not a widget or the screen) so layout works on any thread and gives the same
    page breaks on every machine, whatever its screen scaling.
    """
    image = QImage(1, 1, QImage.Format.Format_ARGB32_Premultiplied)
    dots_per_metre = round(LAYOUT_DPI / MM_PER_INCH * 1000)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    return image
