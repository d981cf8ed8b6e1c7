"""Building a ``QTextDocument`` block by block with ``QTextCursor``: formats and a writer.

Text goes in through the cursor as plain text, never as HTML, so characters such as ``<`` or
``&`` in a company name print as they are.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QImage,
    QPainter,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrameFormat,
    QTextLength,
    QTextTable,
    QTextTableCell,
    QTextTableCellFormat,
    QTextTableFormat,
)

from ui.fonts import BUNDLED_CJK_FAMILY
from ui.printing.style import BODY_PT, GRID, INK, css

ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft,
    "center": Qt.AlignmentFlag.AlignHCenter,
    "right": Qt.AlignmentFlag.AlignRight,
}
PROPORTIONAL = QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
FIXED = QTextBlockFormat.LineHeightTypes.FixedHeight.value


def new_document(device: QImage, width: float, page_height: float | None = None) -> QTextDocument:
    """An empty document laid out against ``device``.

    Args:
        device: The layout device (see :func:`ui.printing.style.layout_device`); it must
            outlive the document.
        width: The text width in layout units.
        page_height: The page height in layout units to paginate, or ``None`` for one
            endless page.
    """
    doc = QTextDocument()
    doc.setUndoRedoEnabled(False)
    doc.documentLayout().setPaintDevice(device)
    # Design metrics: glyph advances independent of hinting, so the layout is the same
    # whatever the device that later draws it.
    doc.setUseDesignMetrics(True)
    doc.setDocumentMargin(0)
    font = QFont()
    font.setFamilies([BUNDLED_CJK_FAMILY])
    font.setPointSizeF(BODY_PT)
    doc.setDefaultFont(font)
    if page_height is None:
        doc.setTextWidth(width)
    else:
        doc.setPageSize(QSizeF(width, page_height))
    return doc


def char_format(points: float, *, bold: bool = False, color: QColor = INK) -> QTextCharFormat:
    """Text in the bundled CJK font."""
    fmt = QTextCharFormat()
    fmt.setFontFamilies([BUNDLED_CJK_FAMILY])
    fmt.setFontPointSize(points)
    fmt.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
    fmt.setForeground(QBrush(color))
    return fmt


def block_format(
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
    *,
    top_mm: float = 0.0,
    bottom_mm: float = 0.0,
    line_height: int = 100,
) -> QTextBlockFormat:
    """A paragraph format.

    Args:
        align: Horizontal alignment.
        top_mm: Space above, in millimetres.
        bottom_mm: Space below, in millimetres.
        line_height: Line height in percent of the font's natural line height.
    """
    fmt = QTextBlockFormat()
    fmt.setAlignment(align)
    fmt.setTopMargin(css(top_mm))
    fmt.setBottomMargin(css(bottom_mm))
    if line_height != 100:
        fmt.setLineHeight(line_height, PROPORTIONAL)
    return fmt


def table_format(
    widths: Sequence[float],
    *,
    border_mm: float = 0.3,
    border: QColor = GRID,
    padding_mm: float = 1.2,
    top_mm: float = 1.5,
    bottom_mm: float = 2.5,
    width_percent: float = 100.0,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
) -> QTextTableFormat:
    """A collapsed-border table whose columns take ``widths`` percent of its width.

    Qt draws no border thinner than one CSS pixel (0.27 mm): ``border_mm`` is either 0 or
    at least that.
    """
    fmt = QTextTableFormat()
    fmt.setBorderCollapse(True)
    fmt.setBorder(css(border_mm))
    fmt.setBorderBrush(QBrush(border))
    fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    fmt.setCellSpacing(0)
    fmt.setCellPadding(css(padding_mm))
    fmt.setMargin(0)
    fmt.setTopMargin(css(top_mm))
    fmt.setBottomMargin(css(bottom_mm))
    fmt.setAlignment(align)
    fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, width_percent))
    fmt.setColumnWidthConstraints(
        [QTextLength(QTextLength.Type.PercentageLength, w) for w in widths]
    )
    return fmt


def cell_format(*, background: QColor | None = None) -> QTextTableCellFormat:
    """A table cell's format (text formats are set per block, not here)."""
    fmt = QTextTableCellFormat()
    if background is not None:
        fmt.setBackground(QBrush(background))
    return fmt


def decorate_cell(cell: QTextTableCell, fmt: QTextTableCellFormat) -> None:
    """Add ``fmt``'s properties (background, borders) to a cell.

    A cell's format is the character format of its first paragraph; setting it outright
    would drop that paragraph's font.
    """
    merged = cell.format()
    merged.merge(fmt)
    cell.setFormat(merged)


def spacer_format() -> QTextBlockFormat:
    """The zero-height block Qt keeps after every table."""
    fmt = QTextBlockFormat()
    fmt.setLineHeight(0, FIXED)
    return fmt


class TextWriter:
    """Appends paragraphs and tables at the end of a document.

    Qt keeps an empty block after every table (and the document starts with one); the writer
    reuses such a block for the next paragraph and squeezes it to zero height otherwise, so
    space between blocks comes only from their formats. Use it as a context manager: the
    edits then form one edit block and the text is laid out once, at the end.
    """

    def __init__(self, doc: QTextDocument) -> None:
        self.doc = doc
        self.cursor = QTextCursor(doc)
        self._fresh = True  # the cursor's block is empty and nothing has claimed it

    def __enter__(self) -> TextWriter:
        # One edit block: the layout runs once at the end instead of after every insertion
        # (which made a few hundred table rows take seconds).
        self.cursor.beginEditBlock()
        return self

    def __exit__(self, *exc: object) -> None:
        self.cursor.endEditBlock()

    def paragraph(self, text: str, block: QTextBlockFormat, char: QTextCharFormat) -> QTextBlock:
        """Append ``text`` (newlines start new paragraphs of the same format).

        Returns:
            The paragraph's first block.
        """
        if self._fresh:
            self.cursor.setBlockFormat(block)
            self.cursor.setBlockCharFormat(char)
        else:
            self.cursor.insertBlock(block, char)
        self._fresh = False
        first = self.cursor.block()
        self.cursor.insertText(text, char)
        return first

    def table(
        self,
        cells: Sequence[Sequence[str]],
        fmt: QTextTableFormat,
        style: TableStyle,
    ) -> QTextTable:
        """Append a table of ``cells`` (rows of equal length) and move past it.

        Args:
            cells: The texts, one sequence per row.
            fmt: The table's format.
            style: Formats of header, label and value cells.

        Returns:
            The table, whose cell formats the caller may still adjust.
        """
        if self._fresh:
            self.cursor.setBlockFormat(spacer_format())
        table = self.cursor.insertTable(len(cells), len(cells[0]), fmt)
        header_rows = fmt.headerRowCount()
        for row, texts in enumerate(cells):
            for column, text in enumerate(texts):
                # cellAt, not MoveOperation.NextCell: inside an edit block the cursor does
                # not see the new table's cells and NextCell stays in the first one.
                cell = table.cellAt(row, column)
                cursor = cell.firstCursorPosition()
                block, char = style.cell(row, column, header_rows)
                cursor.setBlockFormat(block)
                cursor.setBlockCharFormat(char)
                if text:
                    cursor.insertText(text, char)
                if row < header_rows:
                    decorate_cell(cell, style.header_cell)
                elif column in style.label_columns:
                    decorate_cell(cell, style.label_cell)
        self.cursor.movePosition(QTextCursor.MoveOperation.End)
        self.cursor.setBlockFormat(spacer_format())
        self.cursor.setBlockCharFormat(QTextCharFormat())
        self._fresh = True
        return table


class TableStyle:
    """Formats of a table's cells: the header row(s), and body cells by column.

    Attributes:
        header_cell: Cell format (background) of header cells.
        label_cell: Cell format of the label columns' body cells.
        label_columns: The columns that hold labels (of a key-value grid).
    """

    def __init__(
        self,
        body: tuple[QTextBlockFormat, QTextCharFormat],
        header: tuple[QTextBlockFormat, QTextCharFormat] | None = None,
        labels: tuple[QTextBlockFormat, QTextCharFormat] | None = None,
        label_columns: frozenset[int] = frozenset(),
        header_cell: QTextTableCellFormat | None = None,
        label_cell: QTextTableCellFormat | None = None,
    ) -> None:
        self._body = body
        self._header = header or body
        self._labels = labels or body
        self.label_columns = label_columns
        self.header_cell = header_cell or QTextTableCellFormat()
        self.label_cell = label_cell or QTextTableCellFormat()

    def cell(
        self, row: int, column: int, header_rows: int
    ) -> tuple[QTextBlockFormat, QTextCharFormat]:
        """The block and character format of the cell at ``row``, ``column``."""
        if row < header_rows:
            return self._header
        if column in self.label_columns:
            return self._labels
        return self._body


def first_block(table: QTextTable, row: int, column: int = 0) -> QTextBlock:
    """The first paragraph of a table cell."""
    return table.cellAt(row, column).firstCursorPosition().block()


def set_break_before(table_or_block: QTextTable | QTextBlock) -> None:
    """Make a table or a paragraph start on a new page."""
    policy = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
    if isinstance(table_or_block, QTextTable):
        fmt = table_or_block.format()
        fmt.setPageBreakPolicy(policy)
        table_or_block.setFormat(fmt)
        return
    cursor = QTextCursor(table_or_block)
    block_fmt = table_or_block.blockFormat()
    block_fmt.setPageBreakPolicy(policy)
    cursor.setBlockFormat(block_fmt)


def draw_document(
    painter: QPainter, doc: QTextDocument, x: float, y: float, clip: QRectF | None = None
) -> None:
    """Draw ``doc`` with its top-left corner at ``x``, ``y``.

    Args:
        painter: An active painter in layout units.
        doc: The document.
        x: Left edge.
        y: Top edge.
        clip: The part of the document to draw, in document coordinates; all when omitted.
    """
    with saved_state(painter):
        painter.translate(x, y)
        doc.drawContents(painter, clip or QRectF())


@contextmanager
def saved_state(painter: QPainter) -> Iterator[QPainter]:
    """``painter.save()`` … ``painter.restore()``, restored even when painting fails."""
    painter.save()
    try:
        yield painter
    finally:
        painter.restore()
