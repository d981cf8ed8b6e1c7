"""Table models of the 同步 page: history, rejected items, conflicts and conflicting fields.

Each holds a short list of immutable rows handed over from the database worker (the lists
are bounded by the service: at most a few hundred rows), so no paging is needed.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, TypeVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
)

from desktop_app.services.sync_status import (
    WHOLE_RECORD,
    ConflictField,
    ItemError,
    RecordConflicts,
    RunSummary,
)
from ui.models.rows import RowsModel

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex

COLLECTION_NAMES = {
    "commitments": QT_TRANSLATE_NOOP("SyncTables", "信用承诺"),
    "tolerance_acceptances": QT_TRANSLATE_NOOP("SyncTables", "容缺受理"),
    "education_sessions": QT_TRANSLATE_NOOP("SyncTables", "诚信教育"),
    "attendance": QT_TRANSLATE_NOOP("SyncTables", "诚信教育签到"),
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


def show_record_value(field: str, value: Any) -> str:
    """A conflict value: a delete conflict's side is a whole record, or 已删除."""
    if field != WHOLE_RECORD:
        return show_value(value)
    if value is None:
        return QCoreApplication.translate("SyncTables", "已删除")
    if isinstance(value, dict):
        shown = "；".join(f"{k}：{show_value(v)}" for k, v in sorted(value.items()))
        return shown if len(shown) <= 300 else shown[:300] + "…"
    return show_value(value)


def field_name(field: str) -> str:
    """A conflicting field as the user reads it (a delete conflict concerns the record)."""
    if field == WHOLE_RECORD:
        return QCoreApplication.translate("SyncTables", "整条记录")
    return field


def collection_name(collection: str) -> str:
    """The Chinese name of a form collection (its code when unknown)."""
    name = COLLECTION_NAMES.get(collection)
    return _tr(name) if name else collection


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
                lambda c: "、".join(field_name(f.field) for f in c.fields),
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
            (QCoreApplication.translate("SyncTables", "字段"), lambda f: field_name(f.field)),
            (
                QCoreApplication.translate("SyncTables", "本机值"),
                lambda f: show_record_value(f.field, f.local_value),
            ),
            (
                QCoreApplication.translate("SyncTables", "平台值"),
                lambda f: show_record_value(f.field, f.server_value),
            ),
        ],
        parent,
    )
