"""Signature areas printed as forms: ``label：________  日期：____年__月__日`` on one line.

Column widths are measured with the bundled font, not guessed: the date column is as wide as
its longest date, and its text may not break, so a date never wraps
(``日期：2026年12月3`` / ``日`` was what percentage columns gave). The label column takes what
its longest label needs (up to half the width, beyond which a label wraps between words),
and the signing line takes the rest.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFontMetricsF, QTextFrameFormat, QTextTable

from desktop_app.reports.document import SignatureBlock, SignatureForm, SignatureLine
from ui.printing.style import BODY_PT, INK, body_rect, css, mm, pixel_font
from ui.printing.text import (
    TableStyle,
    TextWriter,
    block_format,
    cell_format,
    char_format,
    decorate_cell,
    table_format,
)

DATE_LABEL = "日期："
PADDING_MM = 1.5
# Room for rounding between the measured font and the laid-out one (points vs pixels).
SLACK_MM = 2.0
MIN_LINE_PERCENT = 20.0
MAX_LABEL_PERCENT = 50.0
SIGNING_ROOM_MM = 7.0


def form_rows(block: SignatureBlock | SignatureForm) -> tuple[SignatureLine, ...]:
    """The rows of a signature area; an old-style block's lines become undated rows."""
    if isinstance(block, SignatureForm):
        return block.rows
    return tuple(SignatureLine(line.rstrip("：:")) for line in block.lines)


def _label(row: SignatureLine) -> str:
    return f"{row.label.rstrip('：:')}："


def _date(row: SignatureLine) -> str:
    return f"{DATE_LABEL}{row.date_text}" if row.dated else ""


def column_percents(rows: tuple[SignatureLine, ...]) -> tuple[float, float, float]:
    """Widths of the label, line and date columns, in percent of the body width."""
    metrics = QFontMetricsF(pixel_font(BODY_PT))
    width = body_rect().width()

    def needed(texts: list[str]) -> float:
        widest = max((metrics.horizontalAdvance(t) for t in texts if t), default=0.0)
        if widest == 0.0:
            return 0.0
        return (widest + mm(2 * PADDING_MM + SLACK_MM)) / width * 100.0

    date = needed([_date(r) for r in rows])
    label = min(
        needed([_label(r) for r in rows]), MAX_LABEL_PERCENT, 100.0 - date - MIN_LINE_PERCENT
    )
    return label, 100.0 - label - date, date


def write_signature_form(
    writer: TextWriter, block: SignatureBlock | SignatureForm
) -> QTextTable | None:
    """Append a signature area as a borderless form table; its line cells are underlined.

    Returns:
        The table, or None when the block has no rows.
    """
    rows = form_rows(block)
    if not rows:
        return None
    label_width, line_width, date_width = column_percents(rows)
    widths = [label_width, line_width] + ([date_width] if date_width else [])
    cells = [[_label(r), "", _date(r)][: len(widths)] for r in rows]
    date_format = block_format()
    date_format.setNonBreakableLines(True)
    label_format = block_format(Qt.AlignmentFlag.AlignRight)
    table = writer.table(
        cells,
        table_format(widths, border_mm=0, padding_mm=PADDING_MM, top_mm=6.0, bottom_mm=4.0),
        TableStyle(
            body=(date_format, char_format(BODY_PT)),
            labels=(label_format, char_format(BODY_PT)),
            label_columns=frozenset({0}),
        ),
    )
    # Every cell is padded on top: room to sign above the line, and the texts of a row
    # stay on the line's level.
    room = cell_format()
    room.setTopPadding(css(SIGNING_ROOM_MM))
    line = cell_format()
    line.setTopPadding(css(SIGNING_ROOM_MM))
    line.setBottomBorder(css(0.3))
    line.setBottomBorderBrush(QBrush(INK))
    line.setBottomBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    for row in range(table.rows()):
        for column in range(table.columns()):
            decorate_cell(table.cellAt(row, column), line if column == 1 else room)
    return table
