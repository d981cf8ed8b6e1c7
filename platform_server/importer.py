"""Reference-data import from CSV or JSON, validated row by row, with a report of rejections.

Collections: ``entities``, ``list_memberships``, ``credit_grades``, ``commitment_catalog``,
``checklists``, ``calendar_overrides``, and the public record ``licences``, ``penalties``,
``public_inspections`` (field rules in :mod:`platform_server.import_rules`).

Files: CSV with a header row (UTF-8, with or without BOM; GB18030 as saved by Chinese Excel is
accepted too), list fields separated by ``；``, ``;`` or ``|``; or JSON, a list of objects (or
``{"records": [...]}``). Row numbers in the report are spreadsheet rows for CSV (the header is
row 1, so the first data row is 2) and 1-based positions for JSON. ``calendar_overrides`` also
takes the State Council's holiday notice as a ``.txt`` file of ``2027-01-01,休`` lines
(:mod:`platform_server.holiday_table`); its row numbers are line numbers.

A rejected row stores nothing. Valid rows are upserted: new ids in bulk, existing ids replaced
(``put_record(replace=True)``: the new row is the whole truth), in transactions of
:data:`BATCH` rows, so a very large import that fails midway keeps the batches before it and
can simply be run again. Warnings (unknown region codes, a USCC accepted with a recorded
override reason, …) never reject a row.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop_app.domain.records import RECORDS, RecordInvalid
from platform_server.credit_projection import refresh_standing
from platform_server.db import refresh_statistics, transaction
from platform_server.holiday_table import read_notice
from platform_server.import_rules import (
    CSV_REQUIRED,
    VALIDATORS,
    RowRejected,
    Valid,
    merge_checklist_rows,
)
from platform_server.models import Record
from platform_server.publication import refresh_unknown_deadlines
from platform_server.publication_desk import REFERENCE_KINDS, ReferenceRow, note_reference_rows
from platform_server.records import bulk_insert_new, put_record
from sync.protocol import Collection

BATCH = 5000
SUPPORTED = tuple(VALIDATORS)


class ImportFileError(ValueError):
    """The file as a whole cannot be imported; ``str(error)`` is a Chinese reason."""


@dataclass(frozen=True)
class RowIssue:
    """A rejected row or a warning about an accepted one."""

    row: int
    key: str
    reason: str


@dataclass
class ImportReport:
    """The outcome of one import."""

    collection: str
    source: str
    total: int = 0
    inserted: int = 0
    updated: int = 0
    rejected: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)

    def text(self) -> str:
        """The report in Chinese, one line per rejected row and warning."""
        lines = [
            f"导入 {self.collection}（{self.source}）：共 {self.total} 行，"
            f"新增 {self.inserted} 条，"
            f"更新 {self.updated} 条，拒绝 {len(self.rejected)} 行，警告 {len(self.warnings)} 条。"
        ]
        lines += [f"  拒绝 第{i.row}行 {i.key}：{i.reason}" for i in self.rejected]
        lines += [f"  警告 第{i.row}行 {i.key}：{i.reason}" for i in self.warnings]
        if self.rejected:
            lines.append("被拒绝的行未写入任何数据；请按原因修改后只重新导入这些行。")
        return "\n".join(lines)

    def write_csv(self, path: Path) -> None:
        """Write rejected rows and warnings as CSV (UTF-8 with BOM, so Excel opens it)."""
        with path.open("w", newline="", encoding="utf-8-sig") as out:
            writer = csv.writer(out)
            writer.writerow(["行号", "记录", "结果", "原因"])
            for issue in self.rejected:
                writer.writerow([issue.row, issue.key, "拒绝", issue.reason])
            for issue in self.warnings:
                writer.writerow([issue.row, issue.key, "警告", issue.reason])


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("文件编码无法识别，请另存为 UTF-8 编码的 CSV 后重试。")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def read_rows(path: Path, collection: str) -> list[tuple[int, dict[str, Any]]]:
    """Read a CSV or JSON file into numbered rows (empty CSV cells become missing).

    Raises:
        ImportFileError: Unreadable file, unknown format, or a required CSV column is missing.
    """
    try:
        text = _decode(path.read_bytes())
    except OSError as exc:
        raise ImportFileError(f"无法读取文件 {path}：{exc.strerror or exc}") from None
    suffix = path.suffix.lower()
    if suffix == ".txt" and collection == Collection.CALENDAR_OVERRIDES.value:
        return read_notice(text)
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(f"JSON 格式错误（第{exc.lineno}行第{exc.colno}列）。") from None
        if isinstance(data, dict) and isinstance(data.get("records"), list):
            data = data["records"]
        if not isinstance(data, list):
            raise ImportFileError('JSON 文件应为对象数组，或形如 {"records": [...]} 的对象。')
        return [
            (i, {k: _clean(v) for k, v in item.items()} if isinstance(item, dict) else {"": item})
            for i, item in enumerate(data, start=1)
        ]
    if suffix != ".csv":
        raise ImportFileError(
            "只支持 .csv 和 .json 文件（节假日表 calendar_overrides 还可用 .txt 文本）。"
        )
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in CSV_REQUIRED.get(collection, ()) if c not in header]
    if missing:
        raise ImportFileError(f"CSV 表头缺少必填列：{'、'.join(missing)}。请对照导入模板补齐表头。")
    reader.fieldnames = header
    rows = []
    for i, raw in enumerate(reader, start=2):
        extra = raw.pop(None, None)
        row = {k: _clean(v) for k, v in raw.items() if k}
        if extra:
            row["__extra__"] = extra
        rows.append((i, row))
    return rows


def validate(
    collection: str, rows: Iterable[tuple[int, dict[str, Any]]], report: ImportReport
) -> list[Valid]:
    """Validate every row; rejected rows go into ``report``, valid ones are returned."""
    check = VALIDATORS[collection]
    first_row: dict[str, int] = {}
    valid: list[Valid] = []
    for number, raw in rows:
        report.total += 1
        key = str(raw.get("id") or raw.get("uscc") or raw.get("date") or raw.get("year") or "")
        try:
            if "__extra__" in raw:
                raise RowRejected("该行的列数多于表头，可能含有未加引号的逗号。")
            if "__problem__" in raw:  # a line the file's reader could not make a row of
                raise RowRejected(str(raw["__problem__"]))
            result = replace(check(raw), row=number)
            if not result.fields.get("__item_row__"):
                conform(collection, result.fields)
        except RowRejected as exc:
            report.rejected.append(RowIssue(number, key, str(exc)))
            continue
        report.warnings += [RowIssue(number, result.record_id, w) for w in result.warnings]
        if collection == Collection.CHECKLISTS.value and result.fields.get("__item_row__"):
            valid.append(result)  # several CSV rows make one checklist: merged below
            continue
        if result.record_id in first_row:
            reason = (
                f"记录编号 {result.record_id} 与第{first_row[result.record_id]}行重复。"
                "同一记录只能导入一次；如确为不同记录，请在 id 列为它们填写不同的记录编号。"
            )
            report.rejected.append(RowIssue(number, result.record_id, reason))
            continue
        first_row[result.record_id] = number
        valid.append(result)
    if collection == Collection.CHECKLISTS.value:
        valid, problems = merge_checklist_rows(valid)
        report.rejected += [RowIssue(n, k, r) for n, k, r in problems]
        for v in list(valid):
            try:
                conform(collection, v.fields)
            except RowRejected as exc:
                valid.remove(v)
                report.rejected.append(RowIssue(v.row, v.record_id, str(exc)))
    return valid


def conform(collection: str, fields: dict[str, Any]) -> None:
    """An imported record fits the shared definition of its collection (one schema).

    Raises:
        RowRejected: It does not; the message names the field.
    """
    try:
        RECORDS[collection].check(fields)
    except RecordInvalid as exc:
        raise RowRejected(str(exc)) from None


def _store(session: Session, collection: str, batch: list[Valid], report: ImportReport) -> None:
    grades: list[Valid] = []
    if collection == Collection.ENTITIES.value:
        # A registry may carry the risk class on the entity row; it is kept in credit_grades
        # (supervisors) and never on the entity record every window pulls.
        for v in batch:
            grade = v.fields.pop("credit_grade", None)
            if isinstance(grade, str) and grade:
                uscc = str(v.fields["uscc"])
                grades.append(Valid(f"cg-{uscc}", {"uscc": uscc, "grade": grade}, v.scope, ()))
    _upsert(session, collection, batch, report)
    if collection in REFERENCE_KINDS:  # 行政许可 and 行政处罚 go online within 7 working days
        rows = (ReferenceRow(v.record_id, v.fields, v.scope.region_code) for v in batch)
        note_reference_rows(session, collection, rows)
    if grades:
        _upsert(session, Collection.CREDIT_GRADES.value, grades, ImportReport(collection, ""))
    if collection in (Collection.ENTITIES.value, Collection.CREDIT_GRADES.value):
        # The window's 容缺受理 answer follows the grades (never the grade itself).
        refresh_standing(session, {str(v.fields.get("uscc")) for v in (*batch, *grades)})


def _upsert(session: Session, collection: str, batch: list[Valid], report: ImportReport) -> None:
    ids = [v.record_id for v in batch]
    existing = set(
        session.scalars(
            select(Record.record_id).where(
                Record.collection == collection, Record.record_id.in_(ids)
            )
        )
    )
    new = [(v.record_id, v.fields, v.scope) for v in batch if v.record_id not in existing]
    report.inserted += bulk_insert_new(session, collection, new)
    for v in batch:
        if v.record_id in existing:
            put_record(session, collection, v.record_id, v.fields, v.scope, replace=True)
            report.updated += 1


def import_rows(
    sessions: sessionmaker[Session],
    collection: str,
    rows: Iterable[tuple[int, dict[str, Any]]],
    source: str = "",
) -> ImportReport:
    """Validate and upsert rows of one collection.

    Args:
        sessions: Write sessions of the platform database.
        collection: One of :data:`SUPPORTED`.
        rows: ``(row number, fields)`` pairs.
        source: Where the rows came from (for the report).

    Raises:
        ImportFileError: The collection cannot be imported.
    """
    if collection not in VALIDATORS:
        raise ImportFileError(f"不支持导入集合 {collection}；可导入：{'、'.join(SUPPORTED)}。")
    report = ImportReport(collection, source)
    valid = validate(collection, rows, report)
    for start in range(0, len(valid), BATCH):
        with transaction(sessions) as session:
            _store(session, collection, valid[start : start + BATCH], report)
    if collection == Collection.CALENDAR_OVERRIDES.value and valid:
        with transaction(sessions) as session:
            refresh_unknown_deadlines(session)  # deadlines that were unknown may now be known
    if valid:
        refresh_statistics(sessions)
    report.rejected.sort(key=lambda i: i.row)
    report.warnings.sort(key=lambda i: i.row)
    return report


def import_file(
    sessions: sessionmaker[Session],
    collection: str,
    path: Path,
    report_path: Path | None = None,
) -> ImportReport:
    """Import one CSV or JSON file; optionally write the report as CSV.

    Raises:
        ImportFileError: The file or collection cannot be imported at all.
    """
    if collection not in VALIDATORS:
        raise ImportFileError(f"不支持导入集合 {collection}；可导入：{'、'.join(SUPPORTED)}。")
    report = import_rows(sessions, collection, read_rows(path, collection), str(path))
    if report_path is not None:
        report.write_csv(report_path)
    return report
