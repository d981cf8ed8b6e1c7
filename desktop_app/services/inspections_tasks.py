"""Inspection tasks and checklists: the task list, each task's entity facts and history.

Tasks and checklists are pulled from the platform and read-only here; a task's status and
history come from the results recorded for its entity (own, co-inspectors', published).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.inspections import OUTCOME_LABELS, Outcome
from desktop_app.services.entities import ListMembership, credit_check
from desktop_app.services.forms import load_fields
from desktop_app.services.inspections_base import InspectionServiceBase
from desktop_app.services.inspections_forms import (
    CREDIT_GRADES,
    PUBLIC_INSPECTIONS,
    RESULTS,
    TASKS,
    _date,
    _Form,
    _forms,
    _outcome,
    _text,
)
from desktop_app.services.inspections_views import (
    STATUS_ASSIGNED,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    Checklist,
    PastResult,
    TaskView,
)
from desktop_app.store.entities import EntityRepository
from desktop_app.store.models import ReferenceRecord

_OPEN_OUTCOMES = frozenset({Outcome.RECTIFY.value, Outcome.WARNING.value})


class TaskUseCases(InspectionServiceBase):
    """检查任务 and 检查表: the inspector's task list, one task with history, checklists."""

    @staticmethod
    def _credit_grade(s: Session, uscc: str, fallback: str | None) -> str | None:
        best: tuple[str, str] | None = None
        rows = s.scalars(
            select(ReferenceRecord.data).where(
                ReferenceRecord.collection == CREDIT_GRADES,
                ReferenceRecord.entity_uscc == uscc,
                ReferenceRecord.deleted.is_(False),
            )
        )
        for raw in rows:
            fields = load_fields(raw)
            grade, since = fields.get("grade"), _text(fields.get("assessed_on"))
            if isinstance(grade, str) and grade and (best is None or since >= best[1]):
                best = (grade, since)
        return best[0] if best else fallback

    def _history(
        self, s: Session, uscc: str, results: list[_Form], exclude: str | None
    ) -> tuple[tuple[PastResult, ...], int]:
        reinspected = {_text(r.fields.get("reinspection_of")) for r in results} - {""}
        past: list[PastResult] = []
        open_count = 0
        for r in results:
            f = r.fields
            outcome = _outcome(f.get("outcome"))
            is_open = f.get("outcome") in _OPEN_OUTCOMES and r.record_id not in reinspected
            open_count += is_open
            if r.record_id == exclude:
                continue
            past.append(
                PastResult(
                    record_id=r.record_id,
                    inspected_on=_text(f.get("inspected_on"))[:10],
                    outcome_label=OUTCOME_LABELS[outcome],
                    conclusion=_text(f.get("conclusion")),
                    rectify_deadline=_text(f.get("rectify_deadline")),
                    open_rectification=is_open,
                )
            )
        own = {r.record_id for r in results}
        rows = s.execute(
            select(ReferenceRecord.record_id, ReferenceRecord.data).where(
                ReferenceRecord.collection == PUBLIC_INSPECTIONS,
                ReferenceRecord.entity_uscc == uscc,
                ReferenceRecord.deleted.is_(False),
            )
        )
        for record_id, raw in rows:
            f = load_fields(raw)
            if f.get("source") in own:
                continue  # the mirror of a result listed already
            past.append(
                PastResult(
                    record_id=record_id,
                    inspected_on=_text(f.get("inspected_on"))[:10],
                    outcome_label=_text(f.get("inspection_kind")) or "公开的检查结果",
                    conclusion=_text(f.get("result")),
                    rectify_deadline="",
                    open_rectification=False,
                )
            )
        past.sort(key=lambda p: (p.inspected_on, p.record_id), reverse=True)
        return tuple(past), open_count

    def _task_view(
        self, s: Session, task_id: str, task: dict[str, Any], results: list[_Form]
    ) -> TaskView:
        uscc = _text(task.get("uscc"))
        entity = EntityRepository(s).get_by_uscc(uscc)
        for_task = [r for r in results if r.fields.get("task_id") == task_id]
        mine = [r for r in for_task if self._mine(r) and not r.fields.get("reinspection_of")]
        mine.sort(key=lambda r: (_text(r.fields.get("recorded_at")), r.record_id))
        own = mine[-1] if mine else None
        if own is not None:
            status = STATUS_DONE if own.confirmed else STATUS_IN_PROGRESS
        elif any(r.confirmed and not r.fields.get("reinspection_of") for r in for_task):
            status = STATUS_DONE  # a co-inspector's result of the same task
        else:
            status = STATUS_ASSIGNED
        history, open_count = self._history(
            s, uscc, results, own.record_id if own is not None else None
        )
        lists: tuple[ListMembership, ...] = ()
        if entity is not None:
            lists = credit_check(s, entity, self._today()).lists
        raw_checklist = task.get("checklist_id")
        return TaskView(
            task_id=task_id,
            uscc=uscc,
            entity_name=_text(task.get("entity_name")) or (entity.name if entity else ""),
            draw_title=_text(task.get("draw_title")),
            assigned_on=_date(task.get("assigned_on")),
            due_on=_date(task.get("due_on")),
            checklist_id=raw_checklist
            if isinstance(raw_checklist, str) and raw_checklist
            else None,
            status=status,
            result_id=own.record_id if own is not None else None,
            address=entity.address if entity else "",
            legal_representative=entity.legal_representative if entity else "",
            industry=entity.industry if entity else "",
            credit_grade=self._credit_grade(s, uscc, entity.credit_grade if entity else None),
            lists=lists,
            history=history,
            open_rectifications=open_count,
        )

    def tasks(self, include_done: bool = True) -> list[TaskView]:
        """The cached inspection tasks, due first (no due date last).

        Args:
            include_done: False leaves out the tasks already done.
        """
        with self._store.read() as s:
            rows = s.execute(
                select(ReferenceRecord.record_id, ReferenceRecord.data).where(
                    ReferenceRecord.collection == TASKS, ReferenceRecord.deleted.is_(False)
                )
            )
            tasks = [(rid, load_fields(raw)) for rid, raw in rows]
            by_uscc: dict[str, list[_Form]] = {}
            for form in _forms(s, RESULTS):
                by_uscc.setdefault(_text(form.fields.get("uscc")), []).append(form)
            views = [
                self._task_view(s, rid, task, by_uscc.get(_text(task.get("uscc")), []))
                for rid, task in tasks
                if isinstance(task.get("uscc"), str)
            ]
        if not include_done:
            views = [v for v in views if v.status != STATUS_DONE]
        return sorted(
            views, key=lambda v: (v.due_on or date.max, v.assigned_on or date.max, v.task_id)
        )

    def task(self, task_id: str) -> TaskView:
        """One task with the entity's facts and history.

        Raises:
            ServiceError: The task is not cached.
        """
        with self._store.read() as s:
            task = self._task(s, task_id)
            results = _forms(s, RESULTS, uscc=_text(task.get("uscc")))
            return self._task_view(s, task_id, task, results)

    def checklist(self, checklist_id: str | None) -> Checklist:
        """A cached checklist; None means the demo default checklist.

        Raises:
            ServiceError: It is not cached (sync or 离线准备 first).
        """
        with self._store.read() as s:
            return self._checklist_in(s, checklist_id)
