"""Interviews and rectifications: 约谈 records and the documents printed for a result.

The on-site record (现场检查记录) and the rectification or warning notice are built from the
stored result, its task, checklist and the entity's registry facts.
"""

from __future__ import annotations

from datetime import date

from desktop_app.domain import inspections as rules
from desktop_app.domain import records
from desktop_app.domain.followup import overdue_warnings
from desktop_app.domain.inspections import (
    INTERVIEW_KINDS,
    ITEM_RESULT_LABELS,
    OUTCOME_LABELS,
    SEVERITY_LABELS,
)
from desktop_app.reports.document import Document
from desktop_app.reports.inspection_record import (
    WARNING_PREFIX,
    InspectionRecordData,
    RecordFinding,
    RecordItem,
    RecordPhoto,
    build_onsite_record,
    build_rectification_notice,
    document_number,
)
from desktop_app.reports.interview_record import InterviewFacts, build_interview_record
from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import LocalForms
from desktop_app.services.inspections_base import InspectionServiceBase
from desktop_app.services.inspections_forms import INTERVIEWS
from desktop_app.services.inspections_views import Checklist, ChecklistItem, OverdueItem
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
        warning_id: str = "",
        location: str = "",
    ) -> str:
        """Record a 提示约谈 (``reminder``) or 警示约谈 (``warning``) as an ``interviews`` form.

        Args:
            task_id: A task of this inspector for the entity (the warning's, or a follow-up).
            kind: ``reminder`` / ``warning`` (or the Chinese label).
            held_on: The day it took place (not in the future).
            participants: Who took part.
            content: What was said and required.
            commitments_made: What the entity committed to.
            warning_id: The overdue 失信警示 this interview follows up, if any (same entity).
            location: Where it took place.

        Returns:
            The interview's record id.

        Raises:
            ServiceError: Unknown kind, a future date, no participants or no record, or a
                warning of another entity.
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
            fields = {
                "task_id": task_id,
                "uscc": task.uscc,
                "entity_name": task.entity_name,
                "kind": code,
                "held_on": held_on.isoformat(),
                "record": content.strip(),
                "participants": participants.strip(),
                "commitments_made": commitments_made.strip(),
                "location": location.strip(),
                "inspector": self.actor,
            }
            if warning_id:
                warned = FormRepository(s).get(records.Warning, warning_id)
                if warned is None or warned.record.uscc != task.uscc:
                    raise ServiceError.of("inspection.interview_warning_mismatch")
                fields["warning_id"] = warning_id
            record_id = LocalForms(s).create(INTERVIEWS, fields)
            self._audit(
                s,
                "inspection.interview",
                record_id,
                task_id=task_id,
                kind=code,
                uscc=task.uscc,
                warning_id=warning_id,
            )
        return record_id

    def overdue_warnings(self, today: date | None = None) -> list[OverdueItem]:
        """失信警示 on this device past their deadline with no rectification on record.

        The inspector's follow-up list (offline): the warnings of the entities of this
        inspector's tasks, each with the task an interview can be recorded under (the
        follow-up task a supervisor made, else the warning's own task, else another task of
        this inspector for the entity).
        """
        day = today or self._today()
        with self._store.read() as s:
            repo = FormRepository(s)
            warnings = [(w.record_id, w.record.to_fields()) for w in repo.find(records.Warning)]
            results = [r.record.to_fields() for r in repo.find(records.InspectionResult)]
            interviews = [i.record.to_fields() for i in repo.find(records.Interview)]
            tasks = {t.record_id: t.record for t in repo.references(records.InspectionTask)}
            entities = EntityRepository(s)
            out: list[OverdueItem] = []
            for w in overdue_warnings(warnings, results, interviews, day):
                mine = sorted(tid for tid, t in tasks.items() if t.uscc == w.uscc)
                choices = [w.followup_task_id, w.task_id, *mine]
                task_id = next((tid for tid in choices if tid and tid in tasks), "")
                entity = entities.get_by_uscc(w.uscc)
                out.append(
                    OverdueItem(
                        warning=w,
                        record_task_id=task_id,
                        entity_name=w.entity_name or (entity.name if entity else ""),
                        days_late=w.days_late(day),
                    )
                )
        return out

    def interview_record(self, record_id: str) -> Document:
        """The 约谈记录 of an interview, to print and sign (audited).

        Raises:
            ServiceError: No such interview, or it lacks what the record prints.
        """
        with self._store.write() as s:
            repo = FormRepository(s)
            stored = repo.get(records.Interview, record_id)
            if stored is None:
                raise ServiceError.of("inspection.interview_missing")
            r = stored.record
            entity = EntityRepository(s).get_by_uscc(r.uscc)
            warning = repo.get(records.Warning, r.warning_id) if r.warning_id else None
            w = warning.record if warning is not None else None
            try:
                document = build_interview_record(
                    InterviewFacts(
                        record_id=record_id,
                        kind=r.kind.value if r.kind else "",
                        entity_name=r.entity_name or (entity.name if entity else ""),
                        uscc=r.uscc,
                        legal_representative=entity.legal_representative if entity else "",
                        held_on=r.held_on or self._today(),
                        location=r.location,
                        participants=r.participants,
                        content=r.record,
                        commitments_made=r.commitments_made,
                        interviewer=r.inspector or self.actor,
                        warning_no=(
                            document_number(WARNING_PREFIX, w.result_id or r.warning_id)
                            if w
                            else ""
                        ),
                        warning_issued_on=w.issued_on if w else None,
                        warning_deadline=w.rectify_deadline if w else None,
                        warning_content=w.content if w else "",
                        issued_at=self._now(),
                    )
                )
            except ValueError:
                raise ServiceError.of("inspection.interview_incomplete") from None
            self._audit(s, "inspection.interview_printed", record_id, number=document.number)
        return document

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
