"""How inspection records are stored: collection names, typed reads and nested-item readers.

Results, findings, warnings and interviews are client forms; tasks, checklists, credit grades
and the ``public_inspections`` mirror are pulled reference records. They are read as the typed
records of :mod:`desktop_app.domain.records.inspections` through the store's
:class:`~desktop_app.store.repository.FormRepository`; the lists inside a result (checklist
answers, photos, scans, amendments) are loose JSON, so their readers here tolerate a missing
or mistyped value (a record made elsewhere). The underscored names are internal to the
``inspections_*`` modules, not part of the API.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from desktop_app.domain.inspections import ItemResult
from desktop_app.domain.records import Finding, InspectionResult
from desktop_app.services.inspections_views import ItemAnswer, PhotoView
from desktop_app.store.repository import FormRepository, Stored

TASKS = "inspection_tasks"
CHECKLISTS = "checklists"
RESULTS = "inspection_results"
FINDINGS = "findings"
WARNINGS = "warnings"
INTERVIEWS = "interviews"
PUBLIC_INSPECTIONS = "public_inspections"
CREDIT_GRADES = "credit_grades"

Result = Stored[InspectionResult]
"""A stored inspection result with what the store knows about it (dirty, version)."""


def _results(s: Session, **where: str) -> list[Result]:
    return FormRepository(s).find(InspectionResult, **where)


def _findings(s: Session, result_id: str) -> list[Stored[Finding]]:
    return FormRepository(s).find(Finding, result_id=result_id)


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


def _finding_key_of(finding: Finding) -> tuple[str, str, int]:
    severity = finding.severity.value if finding.severity is not None else ""
    return _finding_key(finding.description, severity, finding.item_no)
