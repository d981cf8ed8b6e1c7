"""The flowing body of a document: numbered sections of paragraphs, grids and tables.

Qt paginates the body (``QTextDocument.setPageSize``): a table's header row repeats on every
page it spans and long rows break between lines. What Qt's pagination lacks is made up for in
:mod:`ui.printing.pagination` once the body is laid out.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QTextBlock, QTextFormat

from desktop_app.reports.document import (
    Block,
    KeyValues,
    Paragraph,
    Section,
    SignatureBlock,
    SignatureForm,
    Table,
)
from ui.printing.pagination import (
    BodyLayout,
    find_table_closings,
    keep_together,
    split_at_page_breaks,
)
from ui.printing.signature import write_signature_form
from ui.printing.style import (
    BODY_PT,
    HEADING_PT,
    MUTED,
    NOTE_PT,
    SECTION_PT,
    SHADE,
    SMALL_PT,
    TABLE_PT,
    WARNING_FILL,
    WARNING_INK,
    body_rect,
)
from ui.printing.text import (
    ALIGN,
    TableStyle,
    TextWriter,
    block_format,
    cell_format,
    char_format,
    decorate_cell,
    first_block,
    new_document,
    table_format,
)

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """``n`` (1–99) in Chinese numerals, as sections of official documents are numbered.

    Raises:
        ValueError: ``n`` is out of range.
    """
    if not 1 <= n <= 99:
        raise ValueError(f"section number {n} is out of range 1-99")
    tens, units = divmod(n, 10)
    if tens == 0:
        return _DIGITS[units]
    text = ("" if tens == 1 else _DIGITS[tens]) + "十"
    return text + (_DIGITS[units] if units else "")


def build_body(sections: tuple[Section, ...], device: QImage) -> BodyLayout:
    """Lay out ``sections`` on pages of the body area.

    Args:
        sections: The document's body.
        device: The layout device; it must outlive the result.
    """
    area = body_rect()
    body = BodyLayout(new_document(device, area.width(), area.height()))
    with TextWriter(body.doc) as text:
        writer = _BodyWriter(text, body)
        for number, section in enumerate(sections, start=1):
            writer.section(number, section)
    keep_together(body)
    split_at_page_breaks(body)
    find_table_closings(body)
    return body


class _BodyWriter:
    """Turns the document model's blocks into formatted text."""

    def __init__(self, writer: TextWriter, body: BodyLayout) -> None:
        self.w = writer
        self.body = body
        self._pending_lead: list[QTextBlock] = []

    def section(self, number: int, section: Section) -> None:
        heading_format = block_format(top_mm=0 if number == 1 else 5, bottom_mm=2.5)
        if section.page_break_before:
            heading_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        heading = self.w.paragraph(
            f"{chinese_number(number)}、{section.title}",
            heading_format,
            char_format(SECTION_PT, bold=True),
        )
        self._pending_lead.append(heading)
        for block in section.blocks:
            self.block(block)
        self._settle(None)

    def block(self, block: Block) -> None:
        if isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, KeyValues):
            self.key_values(block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, SignatureBlock | SignatureForm):
            self.signature(block)
        else:  # pragma: no cover - the model's Block union is closed
            raise TypeError(f"cannot print {type(block).__name__}")

    def _settle(self, follower: QTextBlock | None) -> None:
        """Tie the headings and captions waiting for content to ``follower``."""
        if follower is not None:
            self.body.keep_with_next.extend((lead, follower) for lead in self._pending_lead)
        self._pending_lead.clear()

    def paragraph(self, para: Paragraph) -> None:
        align = ALIGN[para.align]
        if para.style == "warning":
            table = self.w.table(
                [[para.text]],
                table_format(
                    [100],
                    border_mm=0.35,
                    border=WARNING_INK,
                    padding_mm=2.0,
                    top_mm=1.5,
                    bottom_mm=3.0,
                ),
                TableStyle(
                    body=(
                        block_format(align, line_height=140),
                        char_format(BODY_PT, bold=True, color=WARNING_INK),
                    )
                ),
            )
            decorate_cell(table.cellAt(0, 0), cell_format(background=WARNING_FILL))
            self.body.bordered.append(table)
            self._settle(first_block(table, 0))
            return
        if para.style == "heading":
            first = self.w.paragraph(
                para.text,
                block_format(align, top_mm=2.5, bottom_mm=1.5),
                char_format(HEADING_PT, bold=True),
            )
            self._pending_lead.append(first)
            return
        if para.style == "note":
            fmt = block_format(align, bottom_mm=1.5, line_height=130)
            chars = char_format(NOTE_PT, color=MUTED)
        elif para.style == "small":
            fmt = block_format(align, bottom_mm=1.0, line_height=120)
            chars = char_format(SMALL_PT, color=MUTED)
        else:
            # Chinese prose is justified, with the last line left-aligned.
            justify = align == Qt.AlignmentFlag.AlignLeft
            fmt = block_format(
                Qt.AlignmentFlag.AlignJustify if justify else align,
                bottom_mm=2.0,
                line_height=150,
            )
            chars = char_format(BODY_PT)
        self._settle(self.w.paragraph(para.text, fmt, chars))

    def key_values(self, grid: KeyValues) -> None:
        rows = [list(pair) for pair in grid.rows]
        if grid.columns == 1 or len(rows) < 2:
            cells = rows
            widths = [26.0, 74.0]
            labels = frozenset({0})
        else:
            cells = []
            for i in range(0, len(rows), 2):
                right = rows[i + 1] if i + 1 < len(rows) else ["", ""]
                cells.append(rows[i] + right)
            widths = [17.0, 33.0, 17.0, 33.0]
            labels = frozenset({0, 2})
        if not cells:
            return
        table = self.w.table(
            cells,
            table_format(widths, padding_mm=1.5),
            TableStyle(
                body=(block_format(line_height=115), char_format(TABLE_PT + 0.5)),
                labels=(
                    block_format(line_height=115),
                    char_format(TABLE_PT + 0.5, color=MUTED),
                ),
                label_columns=labels,
                label_cell=cell_format(background=SHADE),
            ),
        )
        if len(cells[-1]) == 4 and len(rows) % 2 == 1:
            # An odd number of facts: the last value takes the whole row.
            table.mergeCells(len(cells) - 1, 1, 1, 3)
        self.body.bordered.append(table)
        self._settle(first_block(table, 0))

    def table(self, spec: Table) -> None:
        if spec.caption:
            caption = self.w.paragraph(
                spec.caption,
                block_format(top_mm=1.5, bottom_mm=0.5),
                char_format(BODY_PT, bold=True),
            )
            self._pending_lead.append(caption)
        if not spec.rows:
            self._settle(
                self.w.paragraph(
                    spec.empty_text,
                    block_format(bottom_mm=2.0, line_height=140),
                    char_format(BODY_PT, color=MUTED),
                )
            )
            return
        widths = [float(w) for w in spec.widths] or [100.0 / len(spec.columns)] * len(spec.columns)
        fmt = table_format(widths)
        fmt.setHeaderRowCount(1)
        table = self.w.table(
            [list(spec.columns), *(list(row) for row in spec.rows)],
            fmt,
            TableStyle(
                body=(block_format(line_height=115), char_format(TABLE_PT)),
                header=(
                    block_format(Qt.AlignmentFlag.AlignHCenter, line_height=115),
                    char_format(TABLE_PT, bold=True),
                ),
                header_cell=cell_format(background=SHADE),
            ),
        )
        self.body.bordered.append(table)
        # The first data row, not the header: a header alone at the foot of a page is the
        # break to avoid.
        self._settle(first_block(table, 1))

    def signature(self, block: SignatureBlock | SignatureForm) -> None:
        table = write_signature_form(self.w, block)
        if table is None:
            return
        self.body.keep_whole.append(table)
        self._settle(first_block(table, 0))
