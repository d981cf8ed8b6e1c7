"""Inspection tasks and checklists: the task list, each task's entity facts and history.

Tasks and checklists are pulled from the platform and read-only here; a task's status and
history come from the results recorded for its entity (own, co-inspectors', published).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from desktop_app.domain import commitments as cm
from desktop_app.domain import records, verification
from desktop_app.domain.inspections import OUTCOME_LABELS, Outcome
from desktop_app.services.entities import ListMembership, credit_check
from desktop_app.services.inspections_base import InspectionServiceBase
from desktop_app.services.inspections_forms import Result, _results
from desktop_app.services.inspections_views import (
    STATUS_ASSIGNED,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    Checklist,
    CommitmentToVerify,
    PastResult,
    TaskView,
)
from desktop_app.store.entities import EntityRepository
from desktop_app.store.repository import FormRepository

_OPEN_OUTCOMES = frozenset({Outcome.RECTIFY, Outcome.WARNING})


def _to_verify(task: records.InspectionTask, own: Result | None) -> CommitmentToVerify | None:
    """The commitment a 承诺核查 task checks, with this inspector's verdict if recorded."""
    if task.purpose != verification.TASK_PURPOSE or not task.commitment_id:
        return None
    try:
        kind_label = cm.KIND_LABELS[cm.parse_kind(task.commitment_kind)]
    except cm.CommitmentError:
        kind_label = task.commitment_kind
    verdict = own.record.verification if own is not None else None
    return CommitmentToVerify(
        commitment_id=task.commitment_id,
        matter=task.matter,
        kind_label=kind_label,
        signed_on=task.signed_on,
        verdict=verdict.value if verdict is not None else "",
    )


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


class TaskUseCases(InspectionServiceBase):
    """检查任务 and 检查表: the inspector's task list, one task with history, checklists."""

    @staticmethod
    def _credit_grade(s: Session, uscc: str, fallback: str | None) -> str | None:
        best: tuple[str, str] | None = None
        for stored in FormRepository(s).references(records.CreditGrade, uscc=uscc):
            grade, since = stored.record.grade, stored.record.assessed_on
            if grade and (best is None or since >= best[1]):
                best = (grade, since)
        return best[0] if best else fallback

    def _history(
        self, s: Session, uscc: str, results: list[Result], exclude: str | None
    ) -> tuple[tuple[PastResult, ...], int]:
        reinspected = {r.record.reinspection_of for r in results} - {""}
        past: list[PastResult] = []
        open_count = 0
        for r in results:
            outcome = r.record.outcome or Outcome.NO_PROBLEM
            is_open = r.record.outcome in _OPEN_OUTCOMES and r.record_id not in reinspected
            open_count += is_open
            if r.record_id == exclude:
                continue
            past.append(
                PastResult(
                    record_id=r.record_id,
                    inspected_on=_day(r.record.inspected_on),
                    outcome_label=OUTCOME_LABELS[outcome],
                    conclusion=r.record.conclusion,
                    rectify_deadline=_day(r.record.rectify_deadline),
                    open_rectification=is_open,
                )
            )
        own = {r.record_id for r in results}
        for mirror in FormRepository(s).references(records.PublicInspection, uscc=uscc):
            m = mirror.record
            if m.source in own:
                continue  # the mirror of a result listed already
            past.append(
                PastResult(
                    record_id=mirror.record_id,
                    inspected_on=m.inspected_on[:10],
                    outcome_label=m.inspection_kind or "公开的检查结果",
                    conclusion=m.result,
                    rectify_deadline="",
                    open_rectification=False,
                )
            )
        past.sort(key=lambda p: (p.inspected_on, p.record_id), reverse=True)
        return tuple(past), open_count

    def _task_view(
        self, s: Session, task_id: str, task: records.InspectionTask, results: list[Result]
    ) -> TaskView:
        entity = EntityRepository(s).get_by_uscc(task.uscc)
        for_task = [r for r in results if r.record.task_id == task_id]
        mine = [r for r in for_task if self._mine(r) and not r.record.reinspection_of]
        mine.sort(key=lambda r: (r.record.recorded_at, r.record_id))
        own = mine[-1] if mine else None
        if own is not None:
            status = STATUS_DONE if own.confirmed else STATUS_IN_PROGRESS
        elif any(r.confirmed and not r.record.reinspection_of for r in for_task):
            status = STATUS_DONE  # a co-inspector's result of the same task
        else:
            status = STATUS_ASSIGNED
        history, open_count = self._history(
            s, task.uscc, results, own.record_id if own is not None else None
        )
        lists: tuple[ListMembership, ...] = ()
        if entity is not None:
            lists = credit_check(s, entity, self._today()).lists
        return TaskView(
            task_id=task_id,
            uscc=task.uscc,
            entity_name=task.entity_name or (entity.name if entity else ""),
            draw_title=task.draw_title,
            assigned_on=task.assigned_on,
            due_on=task.due_on,
            checklist_id=task.checklist_id or None,
            status=status,
            result_id=own.record_id if own is not None else None,
            address=entity.address if entity else "",
            legal_representative=entity.legal_representative if entity else "",
            industry=entity.industry if entity else "",
            credit_grade=self._credit_grade(s, task.uscc, entity.credit_grade if entity else None),
            lists=lists,
            history=history,
            open_rectifications=open_count,
            verification=_to_verify(task, own),
        )

    def tasks(self, include_done: bool = True) -> list[TaskView]:
        """The cached inspection tasks, due first (no due date last).

        Args:
            include_done: False leaves out the tasks already done.
        """
        with self._store.read() as s:
            tasks = list(FormRepository(s).references(records.InspectionTask))
            by_uscc: dict[str, list[Result]] = {}
            for form in _results(s):
                by_uscc.setdefault(form.record.uscc, []).append(form)
            views = [
                self._task_view(s, t.record_id, t.record, by_uscc.get(t.record.uscc, []))
                for t in tasks
                if t.record.uscc
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
            results = _results(s, uscc=task.uscc)
            return self._task_view(s, task_id, task, results)

    def checklist(self, checklist_id: str | None) -> Checklist:
        """A cached checklist; None means the demo default checklist.

        Raises:
            ServiceError: It is not cached (sync or 离线准备 first).
        """
        with self._store.read() as s:
            return self._checklist_in(s, checklist_id)
