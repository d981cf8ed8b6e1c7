"""The cover page: title, subtitle, the document's facts, a warning box, the QR code."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QImage, QPainter, QTextDocument, QTextFrameFormat

from desktop_app.reports.document import Cover
from ui.printing.qr import draw_qr
from ui.printing.style import (
    COVER_FACT_PT,
    COVER_QR_MM,
    COVER_SUBTITLE_PT,
    COVER_TITLE_PT,
    GRID,
    MUTED,
    NOTE_PT,
    WARNING_FILL,
    WARNING_INK,
    body_rect,
    css,
    mm,
)
from ui.printing.text import (
    TableStyle,
    TextWriter,
    block_format,
    cell_format,
    char_format,
    decorate_cell,
    draw_document,
    new_document,
    saved_state,
    table_format,
)

CENTER = Qt.AlignmentFlag.AlignHCenter
CONTENT_OFFSET_MM = 12.0
QR_GAP_MM = 10.0
CAPTION_WIDTH_MM = 90.0


@dataclass
class CoverLayout:
    """The laid-out parts of a cover page.

    Attributes:
        content: Title, subtitle, facts and warning, laid out at the body width.
        footer: ``Cover.footer`` centred at the foot of the body area, if any.
        caption: The line under the QR code, if any.
        qr_payload: The QR code's text; empty for none.
    """

    content: QTextDocument
    footer: QTextDocument | None
    caption: QTextDocument | None
    qr_payload: str


def build_cover(cover: Cover, qr_payload: str, qr_caption: str, device: QImage) -> CoverLayout:
    """Lay out the parts of ``cover`` against ``device`` (which must outlive the result)."""
    width = body_rect().width()
    content = new_document(device, width)
    with TextWriter(content) as writer:
        _cover_content(writer, cover)
    footer = None
    if cover.footer:
        footer = new_document(device, width)
        with TextWriter(footer) as writer:
            writer.paragraph(
                cover.footer,
                block_format(CENTER, line_height=140),
                char_format(COVER_SUBTITLE_PT),
            )
    caption = None
    if qr_payload and qr_caption:
        caption = new_document(device, mm(CAPTION_WIDTH_MM))
        with TextWriter(caption) as writer:
            writer.paragraph(
                qr_caption,
                block_format(CENTER, top_mm=1.5, line_height=120),
                char_format(NOTE_PT, color=MUTED),
            )
    return CoverLayout(content, footer, caption, qr_payload)


def _cover_content(writer: TextWriter, cover: Cover) -> None:
    writer.paragraph(
        cover.title,
        block_format(CENTER, bottom_mm=4.0, line_height=130),
        char_format(COVER_TITLE_PT, bold=True),
    )
    if cover.subtitle:
        writer.paragraph(
            cover.subtitle,
            block_format(CENTER, bottom_mm=4.0, line_height=130),
            char_format(COVER_SUBTITLE_PT, color=MUTED),
        )
    if cover.facts:
        facts = writer.table(
            [list(pair) for pair in cover.facts],
            table_format(
                [30.0, 70.0],
                border_mm=0,
                padding_mm=2.2,
                top_mm=14.0,
                bottom_mm=4.0,
                width_percent=86.0,
                align=CENTER,
            ),
            TableStyle(
                body=(block_format(line_height=125), char_format(COVER_FACT_PT)),
                labels=(block_format(line_height=125), char_format(COVER_FACT_PT, color=MUTED)),
                label_columns=frozenset({0}),
            ),
        )
        rule = cell_format()
        rule.setBottomBorder(css(0.3))
        rule.setBottomBorderBrush(QBrush(GRID))
        rule.setBottomBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        for row in range(facts.rows()):
            for column in range(2):
                decorate_cell(facts.cellAt(row, column), rule)
    if cover.warning:
        box = writer.table(
            [[cover.warning]],
            table_format(
                [100.0],
                border_mm=0.4,
                border=WARNING_INK,
                padding_mm=3.0,
                top_mm=8.0,
                width_percent=86.0,
                align=CENTER,
            ),
            TableStyle(
                body=(
                    block_format(line_height=140),
                    char_format(COVER_FACT_PT - 1, bold=True, color=WARNING_INK),
                )
            ),
        )
        decorate_cell(box.cellAt(0, 0), cell_format(background=WARNING_FILL))


def paint_cover(painter: QPainter, cover: CoverLayout) -> None:
    """Paint the cover's parts in layout units (the painter's origin is the paper's corner).

    From the foot of the body area up: the footer text, then the QR code with its caption;
    the content starts near the top and shrinks to fit what is left if it is too long.
    """
    area = body_rect()
    bottom = area.bottom()
    if cover.footer is not None:
        height = cover.footer.size().height()
        bottom -= height
        draw_document(painter, cover.footer, area.left(), bottom)
        bottom -= mm(QR_GAP_MM)
    if cover.qr_payload:
        side = mm(COVER_QR_MM)
        if cover.caption is not None:
            caption_height = cover.caption.size().height()
            bottom -= caption_height
            caption_left = area.center().x() - cover.caption.textWidth() / 2
            draw_document(painter, cover.caption, caption_left, bottom)
        bottom -= side
        draw_qr(painter, cover.qr_payload, QRectF(area.center().x() - side / 2, bottom, side, side))
        bottom -= mm(QR_GAP_MM)
    top = area.top() + mm(CONTENT_OFFSET_MM)
    height = cover.content.size().height()
    room = max(bottom - top, mm(40.0))
    scale = min(1.0, room / height) if height > 0 else 1.0
    with saved_state(painter):
        painter.translate(area.center().x() - area.width() * scale / 2, top)
        painter.scale(scale, scale)
        draw_document(painter, cover.content, 0.0, 0.0)
