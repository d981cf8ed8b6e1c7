"""The one generic read-only table model: a list of rows, one column per (header, cell).

Small tables use it as it is. A list with row identity (edited in place after a save), sort
keys or per-row roles subclasses it and overrides :meth:`RowsModel.sort_key` and
:meth:`RowsModel.role_data`; paging, headers, the display/tooltip/alignment roles and the
reset/insert/change signals stay here, once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
Column = tuple[str, Callable[[Any], str]]

__all__ = ["Column", "Index", "RowsModel"]


class RowsModel(QAbstractTableModel, Generic[R]):
    """A read-only table over a list of rows, one column per ``(header, cell)`` pair.

    Args:
        columns: Header text and cell function of each column (subclasses may set
            ``self._columns`` themselves instead).
        parent: The Qt parent.
        aligned: Alignment of some columns, by index (others use the view's default).
        key: A row's identity (e.g. its record id), for :meth:`row_of`, :meth:`upsert` and
            :meth:`replace`.
    """

    def __init__(
        self,
        columns: Sequence[tuple[str, Callable[[R], str]]] = (),
        parent: QObject | None = None,
        aligned: Mapping[int, Qt.AlignmentFlag] | None = None,
        *,
        key: Callable[[R], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns: list[Column] = list(columns)
        self._aligned: dict[int, Qt.AlignmentFlag] = dict(aligned or {})
        self._rows: list[R] = []
        self._key = key

    def set_rows(self, rows: Sequence[R]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[R]:
        """All rows, in display order."""
        return list(self._rows)

    def row_at(self, row: int) -> R | None:
        """The row object at ``row``, or None."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, key: str) -> int:
        """The row whose identity is ``key``, or -1 (always -1 without a ``key`` function)."""
        if self._key is None:
            return -1
        for number, row in enumerate(self._rows):
            if self._key(row) == key:
                return number
        return -1

    def replace(self, row: R) -> int:
        """Show a changed row in place; returns its row number, or -1 when it is not shown."""
        number = self.row_of(self._key(row)) if self._key is not None else -1
        if number >= 0:
            self._rows[number] = row
            self.dataChanged.emit(self.index(number, 0), self.index(number, len(self._columns) - 1))
        return number

    def upsert(self, row: R) -> int:
        """Show a changed row in place, or a new one first; returns its row number."""
        number = self.replace(row)
        if number >= 0:
            return number
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, row)
        self.endInsertRows()
        return 0

    def cell_text(self, row: R, column: int) -> str:
        """The text of one cell (display and tooltip)."""
        return self._columns[column][1](row)

    def sort_key(self, row: R, column: int) -> Any:
        """``Qt.UserRole`` of a cell, for sorting proxies (default: its text)."""
        return self.cell_text(row, column)

    def role_data(self, row: R, column: int, role: int) -> Any:
        """Any other role of a cell (ids, tints …); None by default."""
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Rows under the root (a table has no children)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Columns under the root."""
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text (display and tooltip), alignment, sort key, and what subclasses add."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cell_text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self._aligned:
            return int(self._aligned[column].value)
        if role == Qt.ItemDataRole.UserRole:
            return self.sort_key(row, column)
        return self.role_data(row, column, role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section][0]
        return None
