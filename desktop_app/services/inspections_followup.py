"""Interviews and rectifications: 约谈 records and the documents printed for a result.

The on-site record (现场检查记录) and the rectification or warning notice are built from the
stored result, its task, checklist and the entity's registry facts.
"""

from __future__ import annotations

from datetime import date

from desktop_app.domain import inspections as rules
from desktop_app.domain import records
from desktop_app.domain.inspections import (
    INTERVIEW_KINDS,
    ITEM_RESULT_LABELS,
    OUTCOME_LABELS,
    SEVERITY_LABELS,
)
from desktop_app.reports.document import Document
from desktop_app.reports.inspection_record import (
    InspectionRecordData,
    RecordFinding,
    RecordItem,
    RecordPhoto,
    build_onsite_record,
    build_rectification_notice,
)
from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import LocalForms
from desktop_app.services.inspections_base import InspectionServiceBase
from desktop_app.services.inspections_forms import INTERVIEWS
from desktop_app.services.inspections_views import Checklist, ChecklistItem
from desktop_app.store.entities import EntityRepository
from desktop_app.store.repository import FormRepository


class FollowUpUseCases(InspectionServiceBase):
    """约谈 records and the printed 现场检查记录 / 责令整改通知书 / 失信警示告知书."""

    def record_interview(
        self,
        task_id: str,
        kind: str,
        held_on: date,
        participants: str,
        content: str,
        commitments_made: str = "",
    ) -> str:
        """Record a 提示约谈 (``reminder``) or 警示约谈 (``warning``) as an ``interviews`` form.

        Returns:
            The interview's record id.

        Raises:
            ServiceError: Unknown kind, a future date, no participants or no record.
        """
        code = next((k for k, label in INTERVIEW_KINDS.items() if kind in (k, label)), None)
        if code is None:
            raise ServiceError.of(
                "inspection.interview_kind_invalid",
                kind=kind,
                kinds="、".join(INTERVIEW_KINDS.values()),
            )
        if held_on > self._today():
            raise ServiceError.of("inspection.interview_date_future")
        if not participants.strip():
            raise ServiceError.of("inspection.interview_participants_missing")
        if not content.strip():
            raise ServiceError.of("inspection.interview_record_missing")
        with self._store.write() as s:
            task = self._task(s, task_id)
            record_id = LocalForms(s).create(
                INTERVIEWS,
                {
                    "task_id": task_id,
                    "uscc": task.uscc,
                    "entity_name": task.entity_name,
                    "kind": code,
                    "held_on": held_on.isoformat(),
                    "record": content.strip(),
                    "participants": participants.strip(),
                    "commitments_made": commitments_made.strip(),
                    "inspector": self.actor,
                },
            )
            self._audit(
                s, "inspection.interview", record_id, task_id=task_id, kind=code, uscc=task.uscc
            )
        return record_id

    # --- printing ------------------------------------------------------------------------

    def _record_data(self, record_id: str) -> InspectionRecordData:
        with self._store.read() as s:
            form = self._result(s, record_id)
            view = self._view(s, form)
            task = FormRepository(s).reference(
                records.InspectionTask, view.task_id
            ) or records.InspectionTask.read({})
            entity = EntityRepository(s).get_by_uscc(view.uscc)
            try:
                checklist: Checklist | None = self._checklist_in(
                    s,
                    form.record.checklist_id or task.checklist_id or None,
                )
            except ServiceError:
                checklist = None  # printed from the answers alone
        answers = {a.no: a for a in view.answers}
        items = (
            checklist.items
            if checklist
            else tuple(ChecklistItem(a.no, f"第{a.no}项", "") for a in view.answers)
        )
        inspectors = list(task.inspectors)
        days = form.record.rectify_working_days
        return InspectionRecordData(
            record_id=record_id,
            task_id=view.task_id,
            draw_title=task.draw_title,
            checklist_title=checklist.title if checklist else "",
            checklist_legal_basis=checklist.legal_basis if checklist else "",
            entity_name=view.entity_name or (entity.name if entity else ""),
            uscc=view.uscc,
            legal_representative=entity.legal_representative if entity else "",
            address=entity.address if entity else "",
            industry=entity.industry if entity else "",
            inspected_on=view.inspected_on,
            location=view.location,
            inspectors=tuple(inspectors or [self.actor]),
            representative_name=view.representative_name,
            representative_role=view.representative_role,
            items=tuple(
                RecordItem(
                    item.no,
                    item.item,
                    item.legal_basis,
                    ITEM_RESULT_LABELS[answer.result]
                    if (answer := answers.get(item.no)) and answer.result
                    else "未填写",
                    answer.note if answer else "",
                )
                for item in items
            ),
            findings=tuple(
                RecordFinding(f.description, SEVERITY_LABELS.get(f.severity, f.severity), f.item_no)
                for f in view.findings
            ),
            photos=tuple(RecordPhoto(p.filename, p.captured_at, p.sha256) for p in view.photos),
            conclusion=view.conclusion,
            outcome=view.outcome,
            deadline=view.deadline,
            deadline_working_days=days,
            warning_content=form.record.warning_content,
            issued_at=self._now(),
            reinspection_of=(view.reinspection_of or "")[:8].upper(),
        )

    def onsite_record(self, record_id: str) -> Document:
        """The 现场检查记录 to print and sign on site.

        Raises:
            ServiceError: No such result.
        """
        return build_onsite_record(self._record_data(record_id))

    def rectification_notice(self, record_id: str) -> Document:
        """The 责令整改通知书 (责令整改) or 失信警示告知书 (失信警示) to print.

        Raises:
            ServiceError: No such result, or its outcome sets no rectification.
        """
        data = self._record_data(record_id)
        if not rules.needs_deadline(data.outcome):
            raise ServiceError.of(
                "inspection.notice_not_needed", outcome=OUTCOME_LABELS[data.outcome]
            )
        return build_rectification_notice(data)
