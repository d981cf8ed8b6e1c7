"""Table models of the 同步 page: history, rejected items, conflicts and conflicting fields.

Each holds a short list of immutable rows handed over from the database worker (the lists
are bounded by the service: at most a few hundred rows), so no paging is needed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from desktop_app.services.sync_status import ConflictField, ItemError, RecordConflicts, RunSummary

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

COLLECTION_NAMES = {
    "commitments": QT_TRANSLATE_NOOP("SyncTables", "信用承诺"),
    "tolerance_acceptances": QT_TRANSLATE_NOOP("SyncTables", "容缺受理"),
    "education_sessions": QT_TRANSLATE_NOOP("SyncTables", "诚信教育"),
    "findings": QT_TRANSLATE_NOOP("SyncTables", "检查发现"),
    "inspection_records": QT_TRANSLATE_NOOP("SyncTables", "检查记录"),
}


def _tr(text: object) -> str:
    # For strings marked with QT_TRANSLATE_NOOP("SyncTables", ...) where they are defined.
    return QCoreApplication.translate("SyncTables", str(text))


def local_time(value: datetime) -> str:
    """A naive-UTC timestamp from the store, shown in local time."""
    return value.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")


def show_value(value: Any) -> str:
    """A field value as the user reads it (strings bare, others as JSON)."""
    if value is None:
        return QCoreApplication.translate("SyncTables", "（空）")
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def collection_name(collection: str) -> str:
    """The Chinese name of a form collection (its code when unknown)."""
    name = COLLECTION_NAMES.get(collection)
    return _tr(name) if name else collection


class RowsModel(QAbstractTableModel, Generic[R]):
    """A read-only table over a list of rows, one column per ``(header, cell)`` pair."""

    def __init__(
        self,
        columns: Sequence[tuple[str, Callable[[R], str]]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        """Replace every row."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

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
        """Cell text (display and tooltip)."""
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._columns[index.column()][1](self._rows[index.row()])
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


OUTCOMES = {
    "ok": QT_TRANSLATE_NOOP("SyncTables", "成功"),
    "failed": QT_TRANSLATE_NOOP("SyncTables", "失败"),
    "cancelled": QT_TRANSLATE_NOOP("SyncTables", "已取消"),
}


def history_model(parent: QObject | None = None) -> RowsModel[RunSummary]:
    """Past sync runs."""
    return RowsModel[RunSummary](
        [
            (
                QCoreApplication.translate("SyncTables", "完成时间"),
                lambda r: local_time(r.finished_at),
            ),
            (
                QCoreApplication.translate("SyncTables", "结果"),
                lambda r: _tr(OUTCOMES.get(r.outcome, r.outcome)),
            ),
            (QCoreApplication.translate("SyncTables", "上传"), lambda r: str(r.pushed)),
            (QCoreApplication.translate("SyncTables", "下载"), lambda r: str(r.pulled)),
            (QCoreApplication.translate("SyncTables", "冲突"), lambda r: str(r.conflicts)),
            (QCoreApplication.translate("SyncTables", "被拒绝"), lambda r: str(r.rejected)),
            (QCoreApplication.translate("SyncTables", "说明"), lambda r: r.message),
        ],
        parent,
    )


def errors_model(parent: QObject | None = None) -> RowsModel[ItemError]:
    """Changes the platform rejected, with its reason."""
    return RowsModel[ItemError](
        [
            (QCoreApplication.translate("SyncTables", "时间"), lambda e: local_time(e.at)),
            (
                QCoreApplication.translate("SyncTables", "类别"),
                lambda e: collection_name(e.collection),
            ),
            (QCoreApplication.translate("SyncTables", "记录"), lambda e: e.record_id),
            (QCoreApplication.translate("SyncTables", "平台说明"), lambda e: e.message),
        ],
        parent,
    )


def conflicts_model(parent: QObject | None = None) -> RowsModel[RecordConflicts]:
    """Records with open conflicts."""
    return RowsModel[RecordConflicts](
        [
            (
                QCoreApplication.translate("SyncTables", "类别"),
                lambda c: collection_name(c.collection),
            ),
            (QCoreApplication.translate("SyncTables", "记录"), lambda c: c.record_id),
            (
                QCoreApplication.translate("SyncTables", "冲突字段"),
                lambda c: "、".join(f.field for f in c.fields),
            ),
            (
                QCoreApplication.translate("SyncTables", "发现时间"),
                lambda c: local_time(c.found_at),
            ),
        ],
        parent,
    )


def conflict_fields_model(parent: QObject | None = None) -> RowsModel[ConflictField]:
    """The conflicting fields of one record: this device's value beside the platform's."""
    return RowsModel[ConflictField](
        [
            (QCoreApplication.translate("SyncTables", "字段"), lambda f: f.field),
            (
                QCoreApplication.translate("SyncTables", "本机值"),
                lambda f: show_value(f.local_value),
            ),
            (
                QCoreApplication.translate("SyncTables", "平台值"),
                lambda f: show_value(f.server_value),
            ),
        ],
        parent,
    )
