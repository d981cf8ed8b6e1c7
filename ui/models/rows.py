"""The one generic read-only table model: a list of rows, one column per (header, cell)."""

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
    """

    def __init__(
        self,
        columns: Sequence[tuple[str, Callable[[R], str]]] = (),
        parent: QObject | None = None,
        aligned: Mapping[int, Qt.AlignmentFlag] | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns: list[Column] = list(columns)
        self._aligned: dict[int, Qt.AlignmentFlag] = dict(aligned or {})
        self._rows: list[R] = []

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

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Rows under the root (a table has no children)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Columns under the root."""
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text (display and tooltip) and alignment."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._columns[index.column()][1](self._rows[index.row()])
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self._aligned:
            return int(self._aligned[index.column()].value)
        return None

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
