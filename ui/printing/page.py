"""Page decorations painted around the body: running header, footer, watermark.

Everything here paints in layout units with the painter's origin at the paper's top-left
corner (see :mod:`ui.printing.style`).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QImage, QPainter, QPen, QTransform

from ui.printing.qr import draw_qr
from ui.printing.style import (
    FOOTER_PT,
    FOOTER_QR_MM,
    FOOTER_QR_TOP_MM,
    HEADER_PT,
    HEADER_RULE_MM,
    HEADER_TEXT_GAP_MM,
    INK,
    MUTED,
    RULE,
    SMALL_PT,
    WATERMARK_INK,
    WATERMARK_PT,
    body_rect,
    mm,
    paper_rect,
    pixel_font,
)
from ui.printing.text import saved_state

NUMBER_LABEL = "编号："  # 报告编号 on the credit report cover; every document has a number
ISSUED_LABEL = "出具时间："
WATERMARK_ANGLE = -30.0
WATERMARK_ROW_MM = 58.0
WATERMARK_GAP_MM = 36.0


def page_label(page: int, total: int) -> str:
    """The footer's page text, e.g. ``第 2 页 / 共 7 页``."""
    return f"第 {page} 页 / 共 {total} 页"


def paint_header(painter: QPainter, device: QImage, title: str, number: str) -> None:
    """The running header: title left, number right, a thin rule under both.

    Args:
        painter: The page's painter.
        device: The layout device (for font metrics).
        title: The document title; elided in the middle when it would meet the number.
        number: The document number.
    """
    area = body_rect()
    font = pixel_font(HEADER_PT)
    metrics = QFontMetricsF(font, device)
    rule_y = mm(HEADER_RULE_MM)
    text_rect = QRectF(
        area.left(),
        rule_y - mm(HEADER_TEXT_GAP_MM) - metrics.height(),
        area.width(),
        metrics.height(),
    )
    right = f"{NUMBER_LABEL}{number}" if number else ""
    room = area.width() - metrics.horizontalAdvance(right) - mm(8.0)
    painter.setFont(font)
    painter.setPen(MUTED)
    painter.drawText(
        text_rect,
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
        metrics.elidedText(title, Qt.TextElideMode.ElideMiddle, max(room, 0.0)),
    )
    if right:
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom, right
        )
    painter.setPen(QPen(RULE, mm(0.2)))
    painter.drawLine(QLineF(area.left(), rule_y, area.right(), rule_y))


def paint_footer(
    painter: QPainter,
    device: QImage,
    page: int,
    total: int,
    *,
    issued_at: str = "",
    qr_payload: str = "",
) -> None:
    """The footer: page x of y centred, the issue time left, the QR code right.

    Args:
        painter: The page's painter.
        device: The layout device (for font metrics).
        page: This page's number, from 1.
        total: The number of pages, the cover included.
        issued_at: The issue time as printed; nothing when empty.
        qr_payload: The QR code's text; no code when empty.
    """
    area = body_rect()
    side = mm(FOOTER_QR_MM)
    top = mm(FOOTER_QR_TOP_MM)
    middle = top + side / 2
    font = pixel_font(FOOTER_PT)
    height = QFontMetricsF(font, device).height()
    row = QRectF(area.left(), middle - height / 2, area.width(), height)
    painter.setFont(font)
    painter.setPen(INK)
    painter.drawText(
        row, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, page_label(page, total)
    )
    if issued_at:
        painter.setFont(pixel_font(SMALL_PT))
        painter.setPen(MUTED)
        painter.drawText(
            row,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"{ISSUED_LABEL}{issued_at}",
        )
    if qr_payload:
        draw_qr(painter, qr_payload, QRectF(area.right() - side, top, side, side))


def paint_watermark(painter: QPainter, device: QImage, text: str) -> None:
    """``text`` in light grey, rotated and repeated over the whole sheet.

    Painted before the body, so text and table lines always lie on top of it.

    Args:
        painter: The page's painter.
        device: The layout device (for font metrics).
        text: The watermark, e.g. 仅供招标投标使用.
    """
    page = paper_rect()
    font = pixel_font(WATERMARK_PT)
    metrics = QFontMetricsF(font, device)
    width = metrics.horizontalAdvance(text)
    step_x = width + mm(WATERMARK_GAP_MM)
    step_y = mm(WATERMARK_ROW_MM)
    reach = math.hypot(page.width(), page.height()) / 2
    rotation = QTransform()
    rotation.translate(page.center().x(), page.center().y())
    rotation.rotate(WATERMARK_ANGLE)
    with saved_state(painter):
        painter.setClipRect(page)
        painter.setFont(font)
        painter.setPen(WATERMARK_INK)
        painter.setTransform(rotation, combine=True)
        rows = math.ceil(reach / step_y)
        columns = math.ceil(reach / step_x) + 1
        for row in range(-rows, rows + 1):
            shift = step_x / 2 if row % 2 else 0.0
            for column in range(-columns, columns + 1):
                x = column * step_x + shift - width / 2
                y = row * step_y
                tile = QRectF(x, y - metrics.ascent(), width, metrics.height())
                # Tiles wholly off the sheet would still be written into a PDF: skip them.
                if rotation.mapRect(tile).intersects(page):
                    painter.drawText(QPointF(x, y), text)
