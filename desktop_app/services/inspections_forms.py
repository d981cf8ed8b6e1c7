"""How inspection records are stored: collection names, form queries and field readers.

Results, findings, warnings and interviews are client forms; tasks, checklists, credit grades
and the ``public_inspections`` mirror are pulled reference records. Fields come back as loose
JSON, so every reader here tolerates a missing or mistyped value (a record made elsewhere).
The underscored names are internal to the ``inspections_*`` modules, not part of the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.inspections import ItemResult, Outcome
from desktop_app.services.forms import load_fields
from desktop_app.services.inspections_views import ItemAnswer, PhotoView
from desktop_app.store.models import FormRecord, ReferenceRecord

TASKS = "inspection_tasks"
CHECKLISTS = "checklists"
RESULTS = "inspection_results"
FINDINGS = "findings"
WARNINGS = "warnings"
INTERVIEWS = "interviews"
PUBLIC_INSPECTIONS = "public_inspections"
CREDIT_GRADES = "credit_grades"


@dataclass(frozen=True)
class _Form:
    record_id: str
    fields: dict[str, Any]
    dirty: bool
    version: int | None

    @property
    def confirmed(self) -> bool:
        """Whether the platform has accepted the form at least once."""
        return self.version is not None

    @property
    def synced(self) -> bool:
        return not self.dirty and self.version is not None


def _date(value: object) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _datetime(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _dicts(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _outcome(value: object) -> Outcome:
    try:
        return Outcome(str(value))
    except ValueError:
        return Outcome.NO_PROBLEM  # a result made elsewhere without an outcome


def _forms(s: Session, collection: str, **where: str) -> list[_Form]:
    stmt = select(
        FormRecord.record_id, FormRecord.data, FormRecord.dirty, FormRecord.version
    ).where(FormRecord.collection == collection, FormRecord.deleted.is_(False))
    for name, value in where.items():
        stmt = stmt.where(func.json_extract(FormRecord.data, f"$.{name}") == value)
    return [
        _Form(rid, load_fields(data), bool(dirty), version)
        for rid, data, dirty, version in s.execute(stmt)
    ]


def _form(s: Session, collection: str, record_id: str) -> _Form | None:
    row = s.get(FormRecord, (collection, record_id))
    if row is None or row.deleted:
        return None
    return _Form(record_id, load_fields(row.data), bool(row.dirty), row.version)


def _reference(s: Session, collection: str, record_id: str) -> dict[str, Any] | None:
    row = s.get(ReferenceRecord, (collection, record_id))
    if row is None or row.deleted:
        return None
    return load_fields(row.data)


def _answer_of(item: dict[str, Any]) -> ItemAnswer | None:
    no = _int(item.get("no"))
    if no is None:
        return None
    try:
        result: ItemResult | None = ItemResult(str(item.get("result")))
    except ValueError:
        result = None
    return ItemAnswer(no, result, _text(item.get("note")))


def _photo_of(item: dict[str, Any]) -> PhotoView:
    return PhotoView(
        sha256=_text(item.get("sha256")),
        filename=_text(item.get("filename")),
        size=_int(item.get("size")) or 0,
        captured_at=_datetime(item.get("captured_at")),
        mime_type=_text(item.get("mime_type")),
    )


def _finding_key(description: str, severity: str, item_no: int | None) -> tuple[str, str, int]:
    return (description.strip(), severity, -1 if item_no is None else item_no)
