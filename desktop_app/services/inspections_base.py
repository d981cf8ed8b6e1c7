"""The shared core of the inspection service: store, actor, clock, lookups and result views.

:class:`InspectionServiceBase` holds what the use-case groups (tasks, results, photos,
interviews and notices) all need: reading a task, a checklist or a result, and turning a
stored result into an :class:`~desktop_app.services.inspections_views.InspectionView`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.commitment_catalog import DEMO_CHECKLIST
from desktop_app.domain.inspections import OUTCOME_LABELS
from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import load_fields
from desktop_app.services.inspections_forms import (
    CHECKLISTS,
    FINDINGS,
    PUBLIC_INSPECTIONS,
    RESULTS,
    TASKS,
    WARNINGS,
    _answer_of,
    _date,
    _dicts,
    _Form,
    _form,
    _forms,
    _int,
    _outcome,
    _photo_of,
    _reference,
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
from desktop_app.store.models import ReferenceRecord


class InspectionServiceBase:
    """What every 现场检查 use case shares: the store, the actor, the clock and the result view.

    Args:
        store: The open store.
        actor: Who uses the app (written on results and to the audit log).
        clock: Local "now" (tests pass a fixed one).
    """

    def __init__(
        self, store: Store, actor: str, clock: Callable[[], datetime] = datetime.now
    ) -> None:
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

    def _mine(self, form: _Form) -> bool:
        return form.version is None or form.fields.get("inspector") == self.actor

    @staticmethod
    def _task(s: Session, task_id: str) -> dict[str, Any]:
        task = _reference(s, TASKS, task_id)
        if task is None or not isinstance(task.get("uscc"), str):
            raise ServiceError(
                f"本机没有检查任务“{task_id}”。请先联网同步或进行离线准备，下载分配给您的检查任务。"
            )
        return task

    @staticmethod
    def _checklist_in(s: Session, checklist_id: str | None) -> Checklist:
        wanted = checklist_id or DEMO_CHECKLIST
        fields = _reference(s, CHECKLISTS, wanted)
        if fields is None:
            raise ServiceError(
                f"本机没有检查表“{wanted}”。请先联网同步或进行离线准备，下载任务所需的检查表。"
            )
        items = []
        for raw in _dicts(fields.get("items")):
            no = _int(raw.get("no"))
            if no is not None:
                items.append(
                    ChecklistItem(no, _text(raw.get("item")), _text(raw.get("legal_basis")))
                )
        return Checklist(
            id=wanted,
            domain=_text(fields.get("domain")),
            title=_text(fields.get("title")),
            legal_basis=_text(fields.get("legal_basis")),
            items=tuple(sorted(items, key=lambda i: i.no)),
        )

    def _result(self, s: Session, record_id: str) -> _Form:
        form = _form(s, RESULTS, record_id)
        if form is None:
            raise ServiceError("找不到该检查结果（可能已被删除）。请刷新列表后重试。")
        return form

    @staticmethod
    def _published(s: Session, form: _Form) -> bool | None:
        uscc = _text(form.fields.get("uscc"))
        rows = s.scalars(
            select(ReferenceRecord.data).where(
                ReferenceRecord.collection == PUBLIC_INSPECTIONS,
                ReferenceRecord.entity_uscc == uscc,
                ReferenceRecord.deleted.is_(False),
            )
        )
        for raw in rows:
            mirror = load_fields(raw)
            if mirror.get("source") == form.record_id and mirror.get("published_on"):
                return True
        return False if form.confirmed else None

    def _view(self, s: Session, form: _Form) -> InspectionView:
        f = form.fields
        inspected_on = _date(f.get("inspected_on"))
        if inspected_on is None:
            raise ServiceError(f"检查结果 {form.record_id[:8]} 的数据不完整：缺少检查日期。")
        findings = sorted(
            _forms(s, FINDINGS, result_id=form.record_id),
            key=lambda x: (_int(x.fields.get("item_no")) or 0, x.record_id),
        )
        warnings = _forms(s, WARNINGS, result_id=form.record_id)
        deadline = _date(f.get("rectify_deadline"))
        if deadline is None and warnings:
            deadline = _date(warnings[0].fields.get("rectify_deadline"))  # the platform's
        outcome = _outcome(f.get("outcome"))
        answers = tuple(a for a in map(_answer_of, _dicts(f.get("items"))) if a is not None)
        return InspectionView(
            record_id=form.record_id,
            task_id=_text(f.get("task_id")),
            uscc=_text(f.get("uscc")),
            entity_name=_text(f.get("entity_name")),
            inspected_on=inspected_on,
            location=_text(f.get("location")),
            representative_name=_text(f.get("representative_name")),
            representative_role=_text(f.get("representative_role")),
            answers=answers,
            findings=tuple(
                FindingView(
                    x.record_id,
                    _text(x.fields.get("description")),
                    _text(x.fields.get("severity")) or "general",
                    _int(x.fields.get("item_no")),
                )
                for x in findings
            ),
            conclusion=_text(f.get("conclusion")),
            outcome=outcome,
            outcome_label=OUTCOME_LABELS[outcome],
            deadline=deadline,
            warning_id=warnings[0].record_id if warnings else None,
            publishable=f.get("publishable") is True or f.get("publish") is True,
            published=self._published(s, form),
            photos=tuple(_photo_of(p) for p in _dicts(f.get("photos"))),
            signed_scans=len(_dicts(f.get("signed_scans"))),
            amendments=tuple(dict(a) for a in _dicts(f.get("amendments"))),
            reinspection_of=_text(f.get("reinspection_of")) or None,
            synced=form.synced,
            warning_content=_text(f.get("warning_content")),
            rectify_working_days=_int(f.get("rectify_working_days")),
        )

    def _views(self, s: Session, forms: Iterable[_Form]) -> list[InspectionView]:
        views = []
        for form in forms:
            try:
                views.append(self._view(s, form))
            except ServiceError:
                continue  # a malformed record from elsewhere: not listable
        return views
