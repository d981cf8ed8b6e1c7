"""现场检查: the inspector's tasks, checklists, results, photos, notices and interviews — offline.

Tasks (``inspection_tasks``), checklists (``checklists``), the working-day table
(``calendar_overrides``) and the entity registry come from the platform by pull (离线准备) and
are read-only here. What the inspector records are client forms
(:class:`~desktop_app.services.forms.LocalForms`), compatible with the platform's inspection
collections (``platform_server/collections.py``: task-scoped, created by inspectors only):

* ``inspection_results`` — one per task and inspector (a re-inspection is another result with
  ``reinspection_of``): ``task_id``, ``uscc``, ``entity_name``, ``inspected_on``,
  ``conclusion`` (never empty: a sentence from the outcome by default), ``attachments`` (the
  SHA-256 of every photo and signed scan, uploaded before the form), and the extras ``items``
  (``no``, ``result``, ``note``), ``checklist_id``, ``location``, ``representative_name``,
  ``representative_role``, ``outcome``, ``rectify_working_days``, ``rectify_deadline`` (the
  local computation, same rule as the platform's), ``warning_content``, ``publishable``,
  ``photos`` (``sha256``, ``filename``, ``size``, ``captured_at``, ``mime_type``),
  ``signed_scans``, ``amendments`` (``reason``, ``at``, ``by``, ``changes``),
  ``reinspection_of``, ``inspector`` (the actor) and ``recorded_at``;
* ``findings`` — one per problem: ``task_id``, ``uscc``, ``description``, ``severity``,
  ``result_id``, ``item_no``; saving a result again replaces them (removed ones are deleted,
  new ones created, unchanged ones kept);
* ``warnings`` — for a 失信警示: ``task_id``, ``uscc``, ``issued_on``, ``content``,
  ``rectify_working_days``, ``result_id`` (the platform derives ``rectify_deadline``);
* ``interviews`` — 提示约谈 / 警示约谈: ``task_id``, ``uscc``, ``kind``, ``held_on``,
  ``record``, ``participants``, ``commitments_made``.

Every write is ONE store transaction holding the forms, their outbox entries, the attachments
and the audit row, and every check runs before anything is written: a refusal leaves nothing
half-saved. A result the platform has confirmed changes only by :meth:`InspectionService.amend`
with a reason, kept on the form and in the audit log.

"This inspector's" result of a task is one created on this device or carrying this actor in
``inspector``; results of co-inspectors arrive by pull and show in the entity's history.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain import inspections as rules
from desktop_app.domain.commitment_catalog import DEMO_CHECKLIST
from desktop_app.domain.inspections import (
    INTERVIEW_KINDS,
    ITEM_RESULT_LABELS,
    OUTCOME_LABELS,
    SEVERITY_LABELS,
    InspectionError,
    ItemResult,
    Outcome,
)
from desktop_app.domain.photos import MAX_PHOTO_BYTES, exif_capture_time, sniff_image_type
from desktop_app.domain.working_days import CalendarUnknown
from desktop_app.reports.document import Document
from desktop_app.reports.inspection_record import (
    InspectionRecordData,
    RecordFinding,
    RecordItem,
    RecordPhoto,
    build_onsite_record,
    build_rectification_notice,
)
from desktop_app.services.commitments import local_calendar
from desktop_app.services.entities import ListMembership, credit_check
from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import LocalForms, load_fields
from desktop_app.store import audit
from desktop_app.store.attachments import Attachments, AttachmentTooLargeError
from desktop_app.store.database import Store
from desktop_app.store.entities import EntityRepository
from desktop_app.store.models import AttachmentBlob, FormRecord, ReferenceRecord

TASKS = "inspection_tasks"
CHECKLISTS = "checklists"
RESULTS = "inspection_results"
FINDINGS = "findings"
WARNINGS = "warnings"
INTERVIEWS = "interviews"
PUBLIC_INSPECTIONS = "public_inspections"
CREDIT_GRADES = "credit_grades"
STATUS_ASSIGNED = "assigned"
STATUS_IN_PROGRESS = "in_progress"
STATUS_DONE = "done"
STATUS_LABELS = {
    STATUS_ASSIGNED: "待检查",
    STATUS_IN_PROGRESS: "检查中（未提交）",
    STATUS_DONE: "已完成",
}
_OPEN_OUTCOMES = frozenset({Outcome.RECTIFY.value, Outcome.WARNING.value})
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

__all__ = [
    "STATUS_LABELS",
    "Checklist",
    "ChecklistItem",
    "FindingInput",
    "FindingView",
    "InspectionInput",
    "InspectionService",
    "InspectionView",
    "ItemAnswer",
    "PastResult",
    "PhotoImport",
    "PhotoView",
    "TaskView",
]


@dataclass(frozen=True)
class ChecklistItem:
    """One item of a checklist."""

    no: int
    item: str
    legal_basis: str


@dataclass(frozen=True)
class Checklist:
    """A checklist (检查表) as the platform distributes it."""

    id: str
    domain: str
    title: str
    legal_basis: str
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class PastResult:
    """An earlier inspection of the entity (this device's forms, pulled ones, public ones)."""

    record_id: str
    inspected_on: str
    outcome_label: str
    conclusion: str
    rectify_deadline: str
    open_rectification: bool


@dataclass(frozen=True)
class TaskView:
    """An inspection task as the task list and the task page show it.

    ``status`` is ``assigned``, ``in_progress`` (this inspector's result exists locally and
    the platform has not confirmed it yet) or ``done``. ``credit_grade`` is for the
    inspector's eyes only: it is never printed.
    """

    task_id: str
    uscc: str
    entity_name: str
    draw_title: str
    assigned_on: date | None
    due_on: date | None
    checklist_id: str | None
    status: str
    result_id: str | None
    address: str
    legal_representative: str
    industry: str
    credit_grade: str | None
    lists: tuple[ListMembership, ...]
    history: tuple[PastResult, ...]
    open_rectifications: int


@dataclass(frozen=True)
class ItemAnswer:
    """The inspector's answer to one checklist item (``result`` None: not answered yet)."""

    no: int
    result: ItemResult | None
    note: str = ""


@dataclass(frozen=True)
class FindingInput:
    """A problem found: description, severity (minor/general/serious), the item it concerns."""

    description: str
    severity: str = "general"
    item_no: int | None = None


@dataclass(frozen=True)
class InspectionInput:
    """What the inspector entered for a task.

    Attributes:
        task_id: The task.
        inspected_on: The day of the inspection (not in the future).
        answers: One answer per checklist item.
        conclusion: 检查结论; empty → a sentence from the outcome.
        location: 检查地点 (default on print: the entity's address).
        representative_name: Who represented the entity on site.
        representative_role: Their position.
        findings: The problems found.
        outcome: The outcome.
        deadline_working_days: The rectification period (责令整改, 失信警示 only).
        warning_content: The warning's text (失信警示 only).
        publishable: Whether the result goes into the publication feed.
        reinspection_of: The record id of the result this re-inspects.
    """

    task_id: str
    inspected_on: date
    answers: tuple[ItemAnswer, ...]
    conclusion: str = ""
    location: str = ""
    representative_name: str = ""
    representative_role: str = ""
    findings: tuple[FindingInput, ...] = ()
    outcome: Outcome = Outcome.NO_PROBLEM
    deadline_working_days: int | None = None
    warning_content: str = ""
    publishable: bool = True
    reinspection_of: str | None = None


@dataclass(frozen=True)
class PhotoView:
    """A photo of a result."""

    sha256: str
    filename: str
    size: int
    captured_at: datetime | None
    mime_type: str


@dataclass(frozen=True)
class FindingView:
    """A finding of a result."""

    record_id: str
    description: str
    severity: str
    item_no: int | None


@dataclass(frozen=True)
class InspectionView:
    """An inspection result as the UI shows it.

    ``published`` is None while the platform has not confirmed the result, False when
    confirmed but not (yet) published (no ``published_on`` in its ``public_inspections``
    mirror), True once published.
    """

    record_id: str
    task_id: str
    uscc: str
    entity_name: str
    inspected_on: date
    location: str
    representative_name: str
    representative_role: str
    answers: tuple[ItemAnswer, ...]
    findings: tuple[FindingView, ...]
    conclusion: str
    outcome: Outcome
    outcome_label: str
    deadline: date | None
    warning_id: str | None
    publishable: bool
    published: bool | None
    photos: tuple[PhotoView, ...]
    signed_scans: int
    amendments: tuple[dict[str, Any], ...]
    reinspection_of: str | None
    synced: bool
    warning_content: str = ""
    rectify_working_days: int | None = None


@dataclass(frozen=True)
class PhotoImport:
    """What adding photos did: the photos kept, and one Chinese message per refused file."""

    added: tuple[PhotoView, ...]
    errors: tuple[str, ...]


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


def _calendar_message(err: CalendarUnknown) -> str:
    return (
        f"{err.year}年的法定节假日安排（节假日表）在本机尚不可用，无法按工作日计算整改期限。"
        "请先同步或离线准备以获取节假日表，再保存；请勿按周一至周五自行推算期限。"
    )


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


class InspectionService:
    """现场检查 use cases on one store, for one inspector.

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

    # --- tasks and checklists ------------------------------------------------------------

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
            views,
            key=lambda v: (v.due_on or date.max, v.assigned_on or date.max, v.task_id),
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

    # --- recording -----------------------------------------------------------------------

    def _check_input(self, data: InspectionInput) -> Outcome:
        try:
            outcome = rules.parse_outcome(data.outcome)
        except InspectionError as exc:
            raise ServiceError(str(exc)) from None
        if data.inspected_on > self._today():
            raise ServiceError("检查日期不能晚于今天，请核对后重新填写。")
        for i, finding in enumerate(data.findings, start=1):
            if not finding.description.strip():
                raise ServiceError(f"第{i}个问题的描述为空，请填写问题描述或删除该行。")
            if finding.severity not in SEVERITY_LABELS:
                known = "、".join(SEVERITY_LABELS.values())
                raise ServiceError(
                    f"第{i}个问题的严重程度“{finding.severity}”无效，应为：{known}。"
                )
        return outcome

    def _compose(
        self,
        s: Session,
        data: InspectionInput,
        outcome: Outcome,
        task: dict[str, Any],
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
            "uscc": task["uscc"],
            "entity_name": _text(task.get("entity_name")),
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
        existing = _forms(s, FINDINGS, result_id=result_id)
        unmatched = {
            f.record_id: _finding_key(
                _text(f.fields.get("description")),
                _text(f.fields.get("severity")),
                _int(f.fields.get("item_no")),
            )
            for f in existing
        }
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
        existing = _forms(s, WARNINGS, result_id=result_id)
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
        changes = {k: v for k, v in wanted.items() if first.fields.get(k) != v}
        if changes:
            forms.update(WARNINGS, first.record_id, changes)
        for warning in extra:
            forms.delete(WARNINGS, warning.record_id)

    def _own_result(self, s: Session, task_id: str, reinspection_of: str | None) -> _Form | None:
        found = [
            r
            for r in _forms(s, RESULTS, task_id=task_id)
            if self._mine(r) and (_text(r.fields.get("reinspection_of")) or None) == reinspection_of
        ]
        found.sort(key=lambda r: (_text(r.fields.get("recorded_at")), r.record_id))
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
            checklist = self._checklist_in(s, _text(task.get("checklist_id")) or None)
            fields = self._compose(s, data, outcome, task, checklist)
            target = data.reinspection_of or None
            if target is not None:
                earlier = _form(s, RESULTS, target)
                if earlier is None or earlier.fields.get("uscc") != task["uscc"]:
                    raise ServiceError(
                        "找不到被复查的检查结果，或它不是同一被检查单位的记录。请重新选择。"
                    )
            existing = self._own_result(s, data.task_id, target)
            forms = LocalForms(s)
            if existing is not None and existing.confirmed:
                raise ServiceError(
                    "该检查结果已提交平台，不能直接修改。如需更正，请使用“更正”并写明更正理由。"
                )
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
                changes = {k: v for k, v in fields.items() if existing.fields.get(k) != v}
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
            raise ServiceError(
                f"请填写更正理由（至少{rules.MIN_AMEND_REASON}个字），例如“检查日期录入错误”。"
            )
        outcome = self._check_input(changes)
        now = self._now()
        with self._store.write() as s:
            form = self._result(s, record_id)
            if not form.confirmed:
                raise ServiceError("该检查结果尚未提交平台，可直接修改保存，无需更正。")
            if changes.task_id != form.fields.get("task_id"):
                raise ServiceError("更正不能改变检查任务；如检查任务有误，请联系科室负责人。")
            if (changes.reinspection_of or None) != (
                _text(form.fields.get("reinspection_of")) or None
            ):
                raise ServiceError("更正不能改变所复查的检查结果。")
            task = self._task(s, changes.task_id)
            checklist = self._checklist_in(
                s, _text(form.fields.get("checklist_id")) or _text(task.get("checklist_id")) or None
            )
            fields = self._compose(s, changes, outcome, task, checklist)
            diff: dict[str, Any] = {
                k: {"from": form.fields.get(k), "to": fields[k]}
                for k in _AMENDABLE
                if form.fields.get(k) != fields[k]
            }
            before = sorted(
                _finding_key(
                    _text(f.fields.get("description")),
                    _text(f.fields.get("severity")),
                    _int(f.fields.get("item_no")),
                )
                for f in _forms(s, FINDINGS, result_id=record_id)
            )
            after = sorted(
                _finding_key(f.description, f.severity, f.item_no) for f in changes.findings
            )
            if before != after:
                diff["findings"] = {
                    "from": [list(k) for k in before],
                    "to": [list(k) for k in after],
                }
            if not diff:
                raise ServiceError("更正后的内容与原记录相同，无需更正。")
            amendment = {"reason": why, "at": now.isoformat(), "by": self.actor, "changes": diff}
            update = {k: fields[k] for k in _AMENDABLE if k in diff}
            update["amendments"] = [*_dicts(form.fields.get("amendments")), amendment]
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
            views = self._views(s, _forms(s, RESULTS, task_id=task_id))
        return sorted(views, key=lambda v: (v.inspected_on, v.record_id))

    def unpublished(self) -> list[InspectionView]:
        """Confirmed, publishable results not published yet, oldest inspection first."""
        with self._store.read() as s:
            views = self._views(s, [f for f in _forms(s, RESULTS) if f.confirmed])
        found = [v for v in views if v.publishable and v.published is False]
        return sorted(found, key=lambda v: (v.inspected_on, v.record_id))

    # --- photos and scans ----------------------------------------------------------------

    def add_photos(self, record_id: str, files: Sequence[tuple[str, bytes]]) -> PhotoImport:
        """Keep photos with a result: each checked, good ones kept, bad ones reported.

        A photo must be an image (by its content, not its name), at most
        :data:`~desktop_app.domain.photos.MAX_PHOTO_BYTES`, and not already on the result.
        Kept photos are encrypted attachments cited in the result's ``photos`` and
        ``attachments``; their capture time comes from EXIF when the file has one.

        Raises:
            ServiceError: No such result.
        """
        now = self._now()
        added: list[PhotoView] = []
        errors: list[str] = []
        with self._store.write() as s:
            form = self._result(s, record_id)
            photos = _dicts(form.fields.get("photos"))
            cited = [str(x) for x in form.fields.get("attachments") or []]
            by_sha = {_text(p.get("sha256")): _text(p.get("filename")) for p in photos}
            attachments = Attachments(s)
            for filename, content in files:
                name = Path(filename).name.strip() or "照片"
                if not content:
                    errors.append(f"“{name}”是空文件，未添加。")
                    continue
                if len(content) > MAX_PHOTO_BYTES:
                    errors.append(
                        f"“{name}”大小为 {len(content) / 1048576:.1f} MB，超过 "
                        f"{MAX_PHOTO_BYTES // 1048576} MB 的上限，未添加。请压缩后再添加。"
                    )
                    continue
                mime = sniff_image_type(content)
                if mime is None:
                    errors.append(
                        f"“{name}”不是可识别的图片文件（支持 JPEG、PNG、HEIC、WebP 等），未添加。"
                    )
                    continue
                digest = hashlib.sha256(content).hexdigest()
                if digest in by_sha:
                    errors.append(f"“{name}”与已添加的照片“{by_sha[digest]}”内容相同，未重复添加。")
                    continue
                try:
                    stored = attachments.add(content, name, mime, RESULTS, record_id)
                except AttachmentTooLargeError as exc:
                    errors.append(str(exc))
                    continue
                taken = exif_capture_time(content)
                entry = {
                    "sha256": stored.sha256,
                    "filename": name,
                    "size": len(content),
                    "captured_at": taken.isoformat() if taken else None,
                    "mime_type": mime,
                }
                photos.append(entry)
                by_sha[stored.sha256] = name
                if stored.sha256 not in cited:
                    cited.append(stored.sha256)
                added.append(_photo_of(entry))
                self._audit(
                    s,
                    "inspection.photo_added",
                    record_id,
                    sha256=stored.sha256,
                    filename=name,
                    size=len(content),
                    at=now.isoformat(),
                )
            if added:
                LocalForms(s).update(RESULTS, record_id, {"photos": photos, "attachments": cited})
        return PhotoImport(tuple(added), tuple(errors))

    def import_photo_files(self, record_id: str, paths: Sequence[Path]) -> PhotoImport:
        """Read image files (e.g. a folder's photos, listed by the caller) and add them.

        Files over the size limit are refused without being read.

        Raises:
            ServiceError: No such result.
        """
        files: list[tuple[str, bytes]] = []
        errors: list[str] = []
        for path in paths:
            try:
                if path.stat().st_size > MAX_PHOTO_BYTES:
                    errors.append(
                        f"“{path.name}”大小为 {path.stat().st_size / 1048576:.1f} MB，超过 "
                        f"{MAX_PHOTO_BYTES // 1048576} MB 的上限，未添加。请压缩后再添加。"
                    )
                    continue
                files.append((path.name, path.read_bytes()))
            except OSError as exc:
                errors.append(f"无法读取“{path.name}”（{exc.strerror or exc}），未添加。")
        result = self.add_photos(record_id, files)
        return PhotoImport(result.added, (*errors, *result.errors))

    def photo_content(self, sha256: str) -> bytes:
        """The bytes of a photo (or scan) held in the encrypted store.

        Raises:
            ServiceError: Not held on this device.
        """
        with self._store.read() as s:
            blob = s.get(AttachmentBlob, sha256)
            if blob is None:
                raise ServiceError(
                    "本机没有该照片的文件。请联网后进行离线准备，下载检查记录的附件。"
                )
            return bytes(blob.content)

    def remove_photo(self, record_id: str, sha256: str) -> InspectionView:
        """Take a photo off a result the platform has not confirmed yet.

        Raises:
            ServiceError: No such result or photo, or the result is already submitted (its
                photos are evidence then).
        """
        with self._store.write() as s:
            form = self._result(s, record_id)
            photos = _dicts(form.fields.get("photos"))
            if not any(p.get("sha256") == sha256 for p in photos):
                raise ServiceError("该检查结果中没有这张照片（可能已删除）。请刷新后重试。")
            if form.confirmed:
                raise ServiceError(
                    "该检查结果已提交平台，现场照片作为检查证据不能删除。"
                    "如照片有误，请使用“更正”说明情况。"
                )
            scans = {_text(x.get("sha256")) for x in _dicts(form.fields.get("signed_scans"))}
            cited = [str(x) for x in form.fields.get("attachments") or []]
            LocalForms(s).update(
                RESULTS,
                record_id,
                {
                    "photos": [p for p in photos if p.get("sha256") != sha256],
                    "attachments": [x for x in cited if x != sha256 or x in scans],
                },
            )
            self._audit(s, "inspection.photo_removed", record_id, sha256=sha256)
            return self._view(s, self._result(s, record_id))

    def attach_signed_scan(
        self, record_id: str, content: bytes, filename: str, mime_type: str
    ) -> str:
        """Keep a scan of the signed on-site record (or notice) with the result.

        Returns:
            The scan's SHA-256.

        Raises:
            ServiceError: No such result, an empty file, or one over the attachment limit.
        """
        if not content:
            raise ServiceError(f"“{filename}”是空文件，请重新扫描。")
        now = self._now()
        with self._store.write() as s:
            form = self._result(s, record_id)
            scans = _dicts(form.fields.get("signed_scans"))
            digest = hashlib.sha256(content).hexdigest()
            if any(x.get("sha256") == digest for x in scans):
                return digest  # the same scan again: already kept
            try:
                stored = Attachments(s).add(content, filename, mime_type, RESULTS, record_id)
            except AttachmentTooLargeError as exc:
                raise ServiceError(str(exc)) from None
            scans.append(
                {
                    "sha256": stored.sha256,
                    "filename": filename,
                    "size": len(content),
                    "mime_type": mime_type,
                    "attached_at": now.isoformat(),
                }
            )
            cited = [str(x) for x in form.fields.get("attachments") or []]
            if stored.sha256 not in cited:
                cited.append(stored.sha256)
            LocalForms(s).update(RESULTS, record_id, {"signed_scans": scans, "attachments": cited})
            self._audit(
                s, "inspection.scan_attached", record_id, sha256=stored.sha256, filename=filename
            )
            return stored.sha256

    # --- interviews ----------------------------------------------------------------------

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
            raise ServiceError(
                f"约谈类型“{kind}”无效，应为：{'、'.join(INTERVIEW_KINDS.values())}。"
            )
        if held_on > self._today():
            raise ServiceError("约谈日期不能晚于今天，请核对后重新填写。")
        if not participants.strip():
            raise ServiceError("请填写参加约谈的人员（约谈人和被约谈人）。")
        if not content.strip():
            raise ServiceError("请填写约谈记录（约谈的问题、对方的说明和整改要求）。")
        with self._store.write() as s:
            task = self._task(s, task_id)
            record_id = LocalForms(s).create(
                INTERVIEWS,
                {
                    "task_id": task_id,
                    "uscc": task["uscc"],
                    "entity_name": _text(task.get("entity_name")),
                    "kind": code,
                    "held_on": held_on.isoformat(),
                    "record": content.strip(),
                    "participants": participants.strip(),
                    "commitments_made": commitments_made.strip(),
                    "inspector": self.actor,
                },
            )
            self._audit(
                s, "inspection.interview", record_id, task_id=task_id, kind=code, uscc=task["uscc"]
            )
        return record_id

    # --- printing ------------------------------------------------------------------------

    def _record_data(self, record_id: str) -> InspectionRecordData:
        with self._store.read() as s:
            form = self._result(s, record_id)
            view = self._view(s, form)
            task = _reference(s, TASKS, view.task_id) or {}
            entity = EntityRepository(s).get_by_uscc(view.uscc)
            try:
                checklist: Checklist | None = self._checklist_in(
                    s,
                    _text(form.fields.get("checklist_id"))
                    or _text(task.get("checklist_id"))
                    or None,
                )
            except ServiceError:
                checklist = None  # printed from the answers alone
        answers = {a.no: a for a in view.answers}
        items = (
            checklist.items
            if checklist
            else tuple(ChecklistItem(a.no, f"第{a.no}项", "") for a in view.answers)
        )
        inspectors = [str(x) for x in task.get("inspectors") or [] if isinstance(x, str)]
        days = _int(form.fields.get("rectify_working_days"))
        return InspectionRecordData(
            record_id=record_id,
            task_id=view.task_id,
            draw_title=_text(task.get("draw_title")),
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
            warning_content=_text(form.fields.get("warning_content")),
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
            raise ServiceError(
                f"处理结果为“{OUTCOME_LABELS[data.outcome]}”的检查不需要出具整改通知书；"
                "只有责令整改和失信警示需要。"
            )
        return build_rectification_notice(data)
