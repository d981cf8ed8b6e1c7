"""What Qt's pagination of a text document lacks, made up for after the first layout.

- No "keep with next": :func:`keep_together` moves a heading or caption that would end a page,
  and a signature block that would straddle two, to the next page.
- ``QTextLayout.draw`` always draws one line above its clip: :func:`split_at_page_breaks`.
- A collapsed-border table that continues on the next page is left open at the foot of the
  page, its last row stretched to the margin: :func:`find_table_closings` finds where to
  close it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import (
    QColor,
    QTextBlock,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextTable,
)

from ui.printing.style import CSS_DPI, LAYOUT_DPI
from ui.printing.text import first_block, set_break_before

CSS_TO_LAYOUT = LAYOUT_DPI / CSS_DPI  # the text layout scales format lengths so


@dataclass(frozen=True)
class Closing:
    """A rule that closes a table continuing on the next page, under its last row.

    Attributes:
        y: Where the rule's centre goes, in document coordinates.
        width: The rule's width, in layout units.
        color: The rule's colour.
    """

    y: float
    width: float
    color: QColor


@dataclass
class BodyLayout:
    """The laid-out body and what the pagination fix-ups need to know about it.

    Attributes:
        doc: The paginated text document.
        keep_with_next: Pairs of a heading or caption block and the block that must start
            on the same page (the first line of what follows).
        keep_whole: Tables that must not be split (signature blocks).
        bordered: Tables with a grid (all of them full width).
        closings: Per page (from 0), the rule closing a table that continues on the next.
    """

    doc: QTextDocument
    keep_with_next: list[tuple[QTextBlock, QTextBlock]] = field(default_factory=list)
    keep_whole: list[QTextTable] = field(default_factory=list)
    bordered: list[QTextTable] = field(default_factory=list)
    closings: dict[int, Closing] = field(default_factory=dict)

    @property
    def page_height(self) -> float:
        """The height of one body page, in layout units."""
        return self.doc.pageSize().height()


def keep_together(body: BodyLayout) -> None:
    """Move headings, captions and signature blocks that would break badly to a new page."""
    layout = body.doc.documentLayout()
    height = body.page_height

    def page_of(block: QTextBlock) -> int:
        return int(layout.blockBoundingRect(block).top() // height)

    for lead, follower in body.keep_with_next:
        top = layout.blockBoundingRect(lead).top()
        at_page_top = top - (top // height) * height < 1.0
        if not at_page_top and page_of(follower) != page_of(lead):
            set_break_before(lead)
    for table in body.keep_whole:
        first = first_block(table, 0)
        last = first_block(table, table.rows() - 1)
        top = layout.blockBoundingRect(first).top()
        # A block longer than half a page may split: moving it would only leave a gap.
        if page_of(last) != page_of(first) and top % height > height / 2:
            set_break_before(table)


def split_at_page_breaks(body: BodyLayout) -> None:
    """Cut each paragraph (in the flow or in a table cell) where it continues on a new page.

    ``QTextLayout.draw`` always draws the last line above its clip rectangle as well (it
    keeps that line's index as the first to draw). Clipped, the line is invisible on paper,
    but a PDF keeps it as text: page N+1 would repeat the last line of a paragraph broken at
    the foot of page N for search, copy and text extraction. A paragraph that starts on the
    page being drawn has no line above the clip, so cutting paragraphs at page breaks keeps
    every line on exactly one page. The cut leaves the layout as it was: same width, no
    margin at the cut, and the continuation was already on the next page.
    """
    layout = body.doc.documentLayout()
    height = body.page_height
    cuts: list[int] = []
    block = body.doc.begin()
    while block.isValid():
        lines = block.layout()
        if lines.lineCount() > 1:
            top = layout.blockBoundingRect(block).top()
            page = int((top + lines.lineAt(0).y()) // height)
            for i in range(1, lines.lineCount()):
                line = lines.lineAt(i)
                line_page = int((top + line.y()) // height)
                if line_page != page:
                    cuts.append(block.position() + line.textStart())
                    page = line_page
        block = block.next()
    if not cuts:
        return
    cursor = QTextCursor(body.doc)
    cursor.beginEditBlock()
    for position in reversed(cuts):  # from the end, so earlier positions stay valid
        cursor.setPosition(position)
        head = cursor.blockFormat()
        tail = QTextBlockFormat(head)
        tail.setTopMargin(0)
        tail.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_Auto)
        head.setBottomMargin(0)
        cursor.setBlockFormat(head)
        cursor.insertBlock(tail, cursor.charFormat())
    cursor.endEditBlock()


def find_table_closings(body: BodyLayout) -> None:
    """Find, for each page a gridded table continues from, where to draw its bottom rule.

    With collapsed borders Qt draws no bottom border under the last row of a page when the
    table goes on, and stretches that row's side borders to the margin. The page painter
    clips the body just under the row's content and rules it off there. Call it after
    :func:`split_at_page_breaks`, when every paragraph lies on one page.
    """
    layout = body.doc.documentLayout()
    height = body.page_height
    for table in body.bordered:
        fmt = table.format()
        header_rows = fmt.headerRowCount()
        bottoms: dict[int, float] = {}  # page -> lowest content of the table's rows on it
        for row in range(header_rows, table.rows()):
            for column in range(table.columns()):
                cell = table.cellAt(row, column)
                if cell.row() != row or cell.column() != column:
                    continue  # a merged cell, met at its first row and column
                block = cell.firstCursorPosition().block()
                end = cell.lastCursorPosition().block()
                while block.isValid():
                    rect = layout.blockBoundingRect(block)
                    lines = block.layout()
                    # By its first line: a paragraph pushed to the next page can still have
                    # its top on this one.
                    first_line = lines.lineAt(0).y() if lines.lineCount() else 0.0
                    page = int((rect.top() + first_line) // height)
                    bottoms[page] = max(bottoms.get(page, rect.bottom()), rect.bottom())
                    if block == end:
                        break
                    block = block.next()
        for page, bottom in bottoms.items():
            if page + 1 in bottoms and bottom <= (page + 1) * height:
                body.closings[page] = Closing(
                    bottom + fmt.cellPadding() * CSS_TO_LAYOUT,
                    fmt.border() * CSS_TO_LAYOUT,
                    fmt.borderBrush().color(),
                )
