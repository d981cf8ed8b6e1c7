"""The shared core of the inspection service: store, actor, clock, lookups and result views.

:class:`InspectionServiceBase` holds what the use-case groups (tasks, results, photos,
interviews and notices) all need: reading a task, a checklist or a result, and turning a
stored result into an :class:`~desktop_app.services.inspections_views.InspectionView`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from desktop_app.domain import records
from desktop_app.domain.clock import china_now
from desktop_app.domain.commitment_catalog import DEMO_CHECKLIST
from desktop_app.domain.inspections import OUTCOME_LABELS, Outcome
from desktop_app.services.errors import ServiceError
from desktop_app.services.inspections_forms import (
    Result,
    _answer_of,
    _dicts,
    _findings,
    _int,
    _photo_of,
    _text,
)
from desktop_app.services.inspections_views import (
    Checklist,
    ChecklistItem,
    FindingView,
    InspectionView,
)
from desktop_app.store import audit
from desktop_app.store.database import Store
from desktop_app.store.repository import FormRepository


class InspectionServiceBase:
    """What every 现场检查 use case shares: the store, the actor, the clock and the result view.

    Args:
        store: The open store.
        actor: Who uses the app (written on results and to the audit log).
        clock: Local "now" (tests pass a fixed one).
    """

    def __init__(self, store: Store, actor: str, clock: Callable[[], datetime] = china_now) -> None:
        self._store = store
        self.actor = actor
        self._clock = clock

    # --- helpers -------------------------------------------------------------------------

    def _now(self) -> datetime:
        return self._clock().replace(microsecond=0, tzinfo=None)

    def _today(self) -> date:
        return self._now().date()

    def _audit(self, s: Session, action: str, record_id: str, **details: Any) -> None:
        audit.append(
            s,
            actor=self.actor,
            action=action,
            subject_type="inspection",
            subject_id=record_id,
            details=details,
        )

    def _mine(self, form: Result) -> bool:
        return form.version is None or form.record.inspector == self.actor

    @staticmethod
    def _task(s: Session, task_id: str) -> records.InspectionTask:
        task = FormRepository(s).reference(records.InspectionTask, task_id)
        if task is None or not task.uscc:
            raise ServiceError.of("inspection.task_missing", task_id=task_id)
        return task

    @staticmethod
    def _checklist_in(s: Session, checklist_id: str | None) -> Checklist:
        wanted = checklist_id or DEMO_CHECKLIST
        stored = FormRepository(s).reference(records.Checklist, wanted)
        if stored is None:
            raise ServiceError.of("inspection.checklist_missing", checklist_id=wanted)
        items = []
        for raw in _dicts(stored.items):
            no = _int(raw.get("no"))
            if no is not None:
                items.append(
                    ChecklistItem(no, _text(raw.get("item")), _text(raw.get("legal_basis")))
                )
        return Checklist(
            id=wanted,
            domain=stored.domain,
            title=stored.title,
            legal_basis=stored.legal_basis,
            items=tuple(sorted(items, key=lambda i: i.no)),
        )

    def _result(self, s: Session, record_id: str) -> Result:
        form = FormRepository(s).get(records.InspectionResult, record_id)
        if form is None:
            raise ServiceError.of("inspection.result_not_found")
        return form

    @staticmethod
    def _published(s: Session, form: Result) -> bool | None:
        mirrors = FormRepository(s).references(records.PublicInspection, uscc=form.record.uscc)
        if any(m.record.source == form.record_id and m.record.published_on for m in mirrors):
            return True
        return False if form.confirmed else None

    def _view(self, s: Session, form: Result) -> InspectionView:
        r = form.record
        if r.inspected_on is None:
            raise ServiceError.of("inspection.result_incomplete", record=form.record_id[:8])
        findings = sorted(
            _findings(s, form.record_id), key=lambda x: (x.record.item_no or 0, x.record_id)
        )
        warnings = FormRepository(s).find(records.Warning, result_id=form.record_id)
        deadline = r.rectify_deadline
        if deadline is None and warnings:
            deadline = warnings[0].record.rectify_deadline  # the platform's
        outcome = r.outcome or Outcome.NO_PROBLEM  # a result made elsewhere without one
        answers = tuple(a for a in map(_answer_of, _dicts(r.items)) if a is not None)
        return InspectionView(
            record_id=form.record_id,
            task_id=r.task_id,
            uscc=r.uscc,
            entity_name=r.entity_name,
            inspected_on=r.inspected_on,
            location=r.location,
            representative_name=r.representative_name,
            representative_role=r.representative_role,
            answers=answers,
            findings=tuple(
                FindingView(
                    x.record_id,
                    x.record.description,
                    x.record.severity.value if x.record.severity else "general",
                    x.record.item_no,
                )
                for x in findings
            ),
            conclusion=r.conclusion,
            outcome=outcome,
            outcome_label=OUTCOME_LABELS[outcome],
            deadline=deadline,
            warning_id=warnings[0].record_id if warnings else None,
            publishable=r.publishable or r.publish,
            published=self._published(s, form),
            photos=tuple(_photo_of(p) for p in _dicts(r.photos)),
            signed_scans=len(_dicts(r.signed_scans)),
            amendments=tuple(dict(a) for a in _dicts(r.amendments)),
            reinspection_of=r.reinspection_of or None,
            synced=form.synced,
            warning_content=r.warning_content,
            rectify_working_days=r.rectify_working_days,
            verification=r.verification.value if r.verification else "",
            verification_severity=(
                r.verification_severity.value if r.verification_severity else ""
            ),
        )

    def _views(self, s: Session, forms: Iterable[Result]) -> list[InspectionView]:
        views = []
        for form in forms:
            try:
                views.append(self._view(s, form))
            except ServiceError:
                continue  # a malformed record from elsewhere: not listable
        return views
