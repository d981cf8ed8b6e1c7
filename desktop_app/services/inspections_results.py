"""Inspection results and findings: record, amend (with a reason) and read results.

A result's findings and its ``warnings`` form (失信警示) are kept in step with the result in
the same transaction; every check runs before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from desktop_app.domain import commitments as cm
from desktop_app.domain import inspections as rules
from desktop_app.domain import records, verification
from desktop_app.domain.inspections import SEVERITY_LABELS, InspectionError, ItemResult, Outcome
from desktop_app.domain.working_days import CalendarUnknown
from desktop_app.services.calendar import local_calendar
from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import LocalForms
from desktop_app.services.inspections_base import InspectionServiceBase
from desktop_app.services.inspections_forms import (
    FINDINGS,
    RESULTS,
    WARNINGS,
    Result,
    _dicts,
    _finding_key,
    _finding_key_of,
    _findings,
    _results,
)
from desktop_app.services.inspections_views import (
    Checklist,
    FindingInput,
    InspectionInput,
    InspectionView,
)
from desktop_app.store.repository import FormRepository

_AMENDABLE = (
    "inspected_on",
    "conclusion",
    "items",
    "location",
    "representative_name",
    "representative_role",
    "outcome",
    "rectify_working_days",
    "rectify_deadline",
    "warning_content",
    "publishable",
)


def _calendar_message(err: CalendarUnknown) -> str:
    return (
        f"{err.year}年的法定节假日安排（节假日表）在本机尚不可用，无法按工作日计算整改期限。"
        "请先同步或离线准备以获取节假日表，再保存；请勿按周一至周五自行推算期限。"
    )


class ResultUseCases(InspectionServiceBase):
    """检查结果 with findings and the 失信警示 warning: record, amend and read results."""

    def _check_input(self, data: InspectionInput) -> Outcome:
        try:
            outcome = rules.parse_outcome(data.outcome)
        except InspectionError as exc:
            raise ServiceError(str(exc)) from None
        if data.inspected_on > self._today():
            raise ServiceError.of("inspection.date_future")
        for i, finding in enumerate(data.findings, start=1):
            if not finding.description.strip():
                raise ServiceError.of("inspection.finding_empty", number=i)
            if finding.severity not in SEVERITY_LABELS:
                known = "、".join(SEVERITY_LABELS.values())
                raise ServiceError.of(
                    "inspection.finding_severity_invalid",
                    number=i,
                    severity=finding.severity,
                    known=known,
                )
        return outcome

    def _compose(
        self,
        s: Session,
        data: InspectionInput,
        outcome: Outcome,
        task: records.InspectionTask,
        checklist: Checklist,
    ) -> dict[str, Any]:
        """The result fields to store (checked; nothing written)."""
        answers = [rules.AnsweredItem(a.no, a.result, a.note) for a in data.answers]
        try:
            rules.check_answers(
                [i.no for i in checklist.items], answers, [f.item_no for f in data.findings]
            )
            failed = sum(1 for a in data.answers if a.result is ItemResult.FAIL)
            rules.check_outcome(
                outcome,
                failed,
                len(data.findings),
                data.deadline_working_days,
                data.warning_content,
            )
        except InspectionError as exc:
            raise ServiceError(str(exc)) from None
        days = data.deadline_working_days if rules.needs_deadline(outcome) else None
        deadline = None
        if days is not None:
            try:
                deadline = rules.rectify_deadline(data.inspected_on, days, local_calendar(s))
            except CalendarUnknown as err:
                raise ServiceError(_calendar_message(err)) from None
        order = {a.no: a for a in data.answers}
        return {
            "task_id": data.task_id,
            "uscc": task.uscc,
            "entity_name": task.entity_name,
            "checklist_id": checklist.id,
            "inspected_on": data.inspected_on.isoformat(),
            "conclusion": data.conclusion.strip() or rules.default_conclusion(outcome),
            "items": [
                {
                    "no": item.no,
                    "result": order[item.no].result.value,  # type: ignore[union-attr]
                    "note": order[item.no].note.strip(),
                }
                for item in checklist.items
            ],
            "location": data.location.strip(),
            "representative_name": data.representative_name.strip(),
            "representative_role": data.representative_role.strip(),
            "outcome": outcome.value,
            "rectify_working_days": days,
            "rectify_deadline": deadline.isoformat() if deadline else None,
            "warning_content": data.warning_content.strip() if outcome is Outcome.WARNING else "",
            "publishable": bool(data.publishable),
        }

    def _sync_findings(
        self,
        s: Session,
        forms: LocalForms,
        result_id: str,
        fields: dict[str, Any],
        findings: Sequence[FindingInput],
    ) -> None:
        unmatched = {f.record_id: _finding_key_of(f.record) for f in _findings(s, result_id)}
        for finding in findings:
            key = _finding_key(finding.description, finding.severity, finding.item_no)
            kept = next((rid for rid, k in unmatched.items() if k == key), None)
            if kept is not None:
                del unmatched[kept]
                continue
            forms.create(
                FINDINGS,
                {
                    "task_id": fields["task_id"],
                    "uscc": fields["uscc"],
                    "description": finding.description.strip(),
                    "severity": finding.severity,
                    "result_id": result_id,
                    "item_no": finding.item_no,
                },
            )
        for record_id in unmatched:
            forms.delete(FINDINGS, record_id)

    def _sync_warning(
        self, s: Session, forms: LocalForms, result_id: str, fields: dict[str, Any]
    ) -> None:
        existing = FormRepository(s).find(records.Warning, result_id=result_id)
        if fields["outcome"] != Outcome.WARNING.value:
            for warning in existing:
                forms.delete(WARNINGS, warning.record_id)
            return
        wanted = {
            "issued_on": fields["inspected_on"],
            "content": fields["warning_content"],
            "rectify_working_days": fields["rectify_working_days"],
            "rectify_deadline": fields["rectify_deadline"],
        }
        if not existing:
            forms.create(
                WARNINGS,
                {
                    "task_id": fields["task_id"],
                    "uscc": fields["uscc"],
                    "entity_name": fields["entity_name"],
                    "result_id": result_id,
                    **wanted,
                },
            )
            return
        first, *extra = existing
        changes = first.record.differing(wanted)
        if changes:
            forms.update(WARNINGS, first.record_id, changes)
        for warning in extra:
            forms.delete(WARNINGS, warning.record_id)

    @staticmethod
    def _verdict(
        task: records.InspectionTask, data: InspectionInput, existing: Result | None
    ) -> dict[str, Any]:
        """A 承诺核查 task's verdict fields (checked: given once, only on such a task)."""
        if task.purpose != verification.TASK_PURPOSE:
            if data.verification is not None:
                raise ServiceError.of("inspection.verdict_not_verification")
            return {}
        given = existing.record.verification if existing is not None else None
        if data.verification is None:
            if given is not None:
                raise ServiceError.of("inspection.verdict_locked")
            return {}
        try:
            verdict = verification.VerificationOutcome(data.verification)
            severity = cm.parse_severity(data.verification_severity)
        except (ValueError, cm.CommitmentError):
            raise ServiceError.of("inspection.verdict_invalid") from None
        if given is not None and given is not verdict:
            raise ServiceError.of("inspection.verdict_locked")
        if verdict is verification.VerificationOutcome.BREACHED and not data.conclusion.strip():
            raise ServiceError.of("inspection.verdict_evidence")
        out: dict[str, Any] = {"verification": verdict.value}
        if verdict is verification.VerificationOutcome.BREACHED:
            out["verification_severity"] = severity.value
        return out

    def _own_result(self, s: Session, task_id: str, reinspection_of: str | None) -> Result | None:
        found = [
            r
            for r in _results(s, task_id=task_id)
            if self._mine(r) and (r.record.reinspection_of or None) == reinspection_of
        ]
        found.sort(key=lambda r: (r.record.recorded_at, r.record_id))
        return found[-1] if found else None

    def record(self, data: InspectionInput) -> InspectionView:
        """Create or update this inspector's result for a task (one per task).

        A re-inspection (``reinspection_of`` set) is a separate result. Findings are replaced
        by those given; a 失信警示 keeps one ``warnings`` form in step with the result.

        Raises:
            ServiceError: Nothing was saved; the message says what to fix.
        """
        outcome = self._check_input(data)
        now = self._now()
        with self._store.write() as s:
            task = self._task(s, data.task_id)
            checklist = self._checklist_in(s, task.checklist_id or None)
            fields = self._compose(s, data, outcome, task, checklist)
            target = data.reinspection_of or None
            if target is not None:
                earlier = FormRepository(s).get(records.InspectionResult, target)
                if earlier is None or earlier.record.uscc != task.uscc:
                    raise ServiceError.of("inspection.reinspected_not_found")
            existing = self._own_result(s, data.task_id, target)
            forms = LocalForms(s)
            if existing is not None and existing.confirmed:
                raise ServiceError.of("inspection.result_submitted")
            fields.update(self._verdict(task, data, existing))
            if existing is None:
                created = {
                    **fields,
                    "reinspection_of": target,
                    "inspector": self.actor,
                    "recorded_at": now.isoformat(),
                    "photos": [],
                    "signed_scans": [],
                    "attachments": [],
                    "amendments": [],
                }
                record_id = forms.create(RESULTS, created)
                action = "inspection.recorded"
            else:
                record_id = existing.record_id
                changes = existing.record.differing(fields)
                if changes:
                    forms.update(RESULTS, record_id, changes)
                action = "inspection.updated"
            self._sync_findings(s, forms, record_id, fields, data.findings)
            self._sync_warning(s, forms, record_id, fields)
            self._audit(
                s,
                action,
                record_id,
                task_id=data.task_id,
                uscc=fields["uscc"],
                outcome=outcome.value,
                findings=len(data.findings),
            )
            return self._view(s, self._result(s, record_id))

    def amend(self, record_id: str, changes: InspectionInput, reason: str) -> InspectionView:
        """Correct a result the platform has confirmed, keeping why, when and by whom.

        The amendment (``reason``, ``at``, ``by``, ``changes``: field → ``from``/``to``) is
        added to the form's ``amendments`` and to the audit log; findings and the warning
        follow the corrected input.

        Raises:
            ServiceError: Not confirmed yet, no reason (at least 5 characters), another task,
                nothing changed, or the corrected input breaks a rule.
        """
        why = reason.strip()
        if len(why) < rules.MIN_AMEND_REASON:
            raise ServiceError.of("inspection.amend_reason_missing", least=rules.MIN_AMEND_REASON)
        outcome = self._check_input(changes)
        now = self._now()
        with self._store.write() as s:
            form = self._result(s, record_id)
            if not form.confirmed:
                raise ServiceError.of("inspection.amend_not_submitted")
            stored = form.record.to_fields()
            if changes.task_id != form.record.task_id:
                raise ServiceError.of("inspection.amend_task_changed")
            if (changes.reinspection_of or None) != (form.record.reinspection_of or None):
                raise ServiceError.of("inspection.amend_reinspection_changed")
            task = self._task(s, changes.task_id)
            checklist = self._checklist_in(s, form.record.checklist_id or task.checklist_id or None)
            fields = self._compose(s, changes, outcome, task, checklist)
            diff: dict[str, Any] = {
                k: {"from": stored.get(k), "to": fields[k]}
                for k in _AMENDABLE
                if stored.get(k) != fields[k]
            }
            before = sorted(_finding_key_of(f.record) for f in _findings(s, record_id))
            after = sorted(
                _finding_key(f.description, f.severity, f.item_no) for f in changes.findings
            )
            if before != after:
                diff["findings"] = {
                    "from": [list(k) for k in before],
                    "to": [list(k) for k in after],
                }
            if not diff:
                raise ServiceError.of("inspection.amend_unchanged")
            amendment = {"reason": why, "at": now.isoformat(), "by": self.actor, "changes": diff}
            update = {k: fields[k] for k in _AMENDABLE if k in diff}
            update["amendments"] = [*_dicts(form.record.amendments), amendment]
            forms = LocalForms(s)
            forms.update(RESULTS, record_id, update)
            self._sync_findings(s, forms, record_id, fields, changes.findings)
            self._sync_warning(s, forms, record_id, fields)
            self._audit(s, "inspection.amended", record_id, reason=why, fields=sorted(diff))
            return self._view(s, self._result(s, record_id))

    # --- reading -------------------------------------------------------------------------

    def get(self, record_id: str) -> InspectionView:
        """One result.

        Raises:
            ServiceError: No such result (or it is malformed).
        """
        with self._store.read() as s:
            return self._view(s, self._result(s, record_id))

    def for_task(self, task_id: str) -> list[InspectionView]:
        """Every result of a task (own, co-inspectors', re-inspections), oldest first."""
        with self._store.read() as s:
            views = self._views(s, _results(s, task_id=task_id))
        return sorted(views, key=lambda v: (v.inspected_on, v.record_id))

    def unpublished(self) -> list[InspectionView]:
        """Confirmed, publishable results not published yet, oldest inspection first."""
        with self._store.read() as s:
            views = self._views(s, [f for f in _results(s) if f.confirmed])
        found = [v for v in views if v.publishable and v.published is False]
        return sorted(found, key=lambda v: (v.inspected_on, v.record_id))
