"""The 主体查询 result list: ids up front, rows fetched in pages on the database worker.

Like Anki's browser table, the model holds only the tuple of matching entity ids, so a reset
with 5,000 (or 300,000) ids costs nothing. The visible rows are built on demand: the first
time the view asks for a row whose page is not cached, the model queues
``lookup.rows(page_ids)`` on the database worker, shows a placeholder, and emits
``dataChanged`` for the page when it arrives. A small LRU cache keeps recent pages.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from desktop_app.services.entities import EntityLookupService, EntityRow
from ui.taskman import TaskManager

PAGE_SIZE = 100
CACHE_PAGES = 30
PLACEHOLDER = "…"

ENTITY_ID_ROLE = Qt.ItemDataRole.UserRole + 1

_AnyIndex = QModelIndex | QPersistentModelIndex

COLUMN_FIELDS = ("uscc", "name", "legal_representative", "region", "status")


class EntityResultsModel(QAbstractTableModel):
    """Table of entity rows for a tuple of ids, paged in from the database worker.

    Columns: 统一社会信用代码, 名称, 法定代表人, 所属地区, 登记状态. ``ENTITY_ID_ROLE`` gives the
    entity id of any row without waiting for its page.

    Signals:
        page_loaded(int): A page of rows arrived (its number).
    """

    page_loaded = Signal(int)

    def __init__(
        self, lookup: EntityLookupService, tasks: TaskManager, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._lookup = lookup
        self._tasks = tasks
        self._ids: tuple[int, ...] = ()
        self._pages: OrderedDict[int, dict[int, EntityRow]] = OrderedDict()
        self._requested: set[int] = set()
        self._generation = 0
        self._headers = (
            self.tr("统一社会信用代码"),
            self.tr("名称"),
            self.tr("法定代表人"),
            self.tr("所属地区"),
            self.tr("登记状态"),
        )
        self._missing_text = self.tr("（已不在本地缓存中）")

    # -- public API ----------------------------------------------------------------------

    def set_ids(self, ids: Sequence[int]) -> None:
        """Show these entities, in this order; cached pages of the previous ids are dropped."""
        self.beginResetModel()
        self._ids = tuple(ids)
        self._pages.clear()
        self._requested.clear()
        self._generation += 1
        self.endResetModel()

    def ids(self) -> tuple[int, ...]:
        """The ids shown, in row order."""
        return self._ids

    def entity_id(self, row: int) -> int:
        """The entity id shown in ``row``."""
        return self._ids[row]

    def row_data(self, row: int) -> EntityRow | None:
        """The loaded row, or None while its page is still being fetched."""
        page = self._pages.get(row // PAGE_SIZE)
        return None if page is None else page.get(self._ids[row])

    def is_loading(self) -> bool:
        """Whether any page request is still in flight."""
        return bool(self._requested)

    # -- QAbstractTableModel -------------------------------------------------------------

    def rowCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt default
        """Number of ids (0 under a valid parent: this is a flat table)."""
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt default
        """Five columns (0 under a valid parent)."""
        return 0 if parent.isValid() else len(COLUMN_FIELDS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """Column titles, and 1-based row numbers."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._headers):
                return self._headers[section]
            return None
        return str(section + 1) if 0 <= section < len(self._ids) else None

    def data(self, index: _AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text; asks for the row's page when it is not cached yet."""
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        if role == ENTITY_ID_ROLE:
            return self._ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        page_no = index.row() // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            self._request(page_no)
            return PLACEHOLDER if role == Qt.ItemDataRole.DisplayRole else None
        self._pages.move_to_end(page_no)
        row = page.get(self._ids[index.row()])
        if row is None:
            return self._missing_text if index.column() == 1 else ""
        return str(getattr(row, COLUMN_FIELDS[index.column()]))

    def flags(self, index: _AnyIndex) -> Qt.ItemFlag:
        """Rows are selectable and read-only."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    # -- paging --------------------------------------------------------------------------

    def _request(self, page_no: int) -> None:
        if page_no in self._requested:
            return
        self._requested.add(page_no)
        generation = self._generation
        page_ids = self._ids[page_no * PAGE_SIZE : (page_no + 1) * PAGE_SIZE]
        lookup = self._lookup

        def on_done(rows: list[EntityRow]) -> None:
            self._page_arrived(generation, page_no, rows)

        def on_error(exc: Exception) -> None:
            # Leave the placeholder; the next repaint asks again.
            if generation == self._generation:
                self._requested.discard(page_no)
            raise exc

        self._tasks.run_db(lambda: lookup.rows(page_ids), on_done, on_error, context=self)

    def _page_arrived(self, generation: int, page_no: int, rows: list[EntityRow]) -> None:
        if generation != self._generation:
            return  # rows of an earlier search
        self._requested.discard(page_no)
        self._pages[page_no] = {row.id: row for row in rows}
        while len(self._pages) > CACHE_PAGES:
            self._pages.popitem(last=False)
        first = page_no * PAGE_SIZE
        last = min(first + PAGE_SIZE, len(self._ids)) - 1
        if last >= first:
            self.dataChanged.emit(
                self.index(first, 0),
                self.index(last, self.columnCount() - 1),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole],
            )
        self.page_loaded.emit(page_no)
