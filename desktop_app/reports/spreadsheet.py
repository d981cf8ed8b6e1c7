"""A table handed to others as a file: CSV that Excel opens in Chinese, or an XLSX workbook.

Pages export what they list (e.g. the 公示台账 for the city website's team) through
:func:`write_table`, which picks the format by the file's suffix. CSV is UTF-8 with a BOM (so
Excel on a Chinese Windows reads it as UTF-8, not GBK) and CRLF line ends; XLSX is written with
openpyxl: a bold, frozen header row with an auto-filter, columns sized to their text, marked
rows in red. Either file is written to a temporary name beside the target and moved into place,
so a failed export never leaves half a file, and a cell that a spreadsheet would run as a
formula (``=``, ``+``, ``@`` …) is kept as text (control characters, which XLSX cannot hold,
are dropped there).
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

__all__ = ["FORMATS", "Table", "write_csv", "write_table", "write_xlsx"]

FORMATS = (".xlsx", ".csv")
_FORMULA_START = ("=", "+", "@", "\t", "\r")
_MARKED = "B71C1C"
_HEADER_FILL = "E8EEF6"
_MAX_WIDTH = 60
_SHEET_TITLE_LIMIT = 31  # Excel's limit
_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


@dataclass(frozen=True)
class Table:
    """Rows of text under a header row.

    Args:
        title: What the table is (the XLSX sheet's name and title).
        headers: Column titles.
        rows: One sequence of cell texts per row, as long as ``headers``.
        marked: Indexes of rows to show in red (e.g. overdue items).
    """

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    marked: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        width = len(self.headers)
        for number, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"row {number} has {len(row)} cells, the header {width}")


def _csv_cell(text: str) -> str:
    # A leading apostrophe is how spreadsheets show "text, not a formula".
    return "'" + text if text.startswith(_FORMULA_START) else text


def _replace_atomically(path: Path, write: Callable[[Path], object]) -> None:
    folder = path.parent
    handle, temp_name = tempfile.mkstemp(prefix=".export-", suffix=path.suffix, dir=folder)
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_csv(table: Table, path: Path) -> None:
    """Write ``table`` as CSV (UTF-8 with BOM, CRLF), replacing ``path`` atomically.

    Raises:
        OSError: The folder cannot be written.
    """

    def write(target: Path) -> None:
        with target.open("w", newline="", encoding="utf-8-sig") as out:
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(table.headers)
            writer.writerows([_csv_cell(cell) for cell in row] for row in table.rows)

    _replace_atomically(path, write)


def _display_width(text: str) -> int:
    # CJK characters take two columns of a spreadsheet's default width.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write_xlsx(table: Table, path: Path) -> None:
    """Write ``table`` as an XLSX workbook of one sheet, replacing ``path`` atomically.

    Raises:
        OSError: The folder cannot be written.
    """
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its first sheet
    sheet.title = table.title.translate(_SHEET_FORBIDDEN)[:_SHEET_TITLE_LIMIT] or "Sheet1"
    book.properties.title = table.title
    sheet.append(list(table.headers))
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(vertical="center")
    red = Font(color=_MARKED)
    for number, row in enumerate(table.rows):
        # XML cannot hold most control characters; a pushed text may (they carry nothing).
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # openpyxl would store it as a formula
            if number in table.marked:
                cell.font = red
    sheet.freeze_panes = "A2"
    if table.rows:
        sheet.auto_filter.ref = sheet.dimensions
    for column, header in enumerate(table.headers, start=1):
        texts = [header, *(row[column - 1] for row in table.rows)]
        width = max(_display_width(t) for t in texts) + 2
        sheet.column_dimensions[get_column_letter(column)].width = min(width, _MAX_WIDTH)
    _replace_atomically(path, book.save)


def write_table(table: Table, path: Path) -> Path:
    """Write ``table`` in the format of ``path``'s suffix (``.xlsx``, else CSV).

    A path without one of :data:`FORMATS` gets ``.csv`` added.

    Returns:
        The path written.

    Raises:
        OSError: The folder cannot be written.
    """
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        write_xlsx(table, path)
        return path
    if suffix != ".csv":
        path = path.with_name(path.name + ".csv")
    write_csv(table, path)
    return path
