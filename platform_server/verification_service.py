"""承诺核查 on the platform: commitments due, 核查 tasks, and the inspector's result applied.

The rules are :mod:`desktop_app.domain.verification`. A signed 告知承诺 / 容缺受理 carries its
``verify_due_on`` (derived on push from the matter's ``verify_working_days``). Supervisors list
what is due in their region (:func:`due_commitments`) and assign it as inspection tasks
(:func:`assign`): a task record with ``purpose`` ``commitment_verification`` and the
commitment's facts, held by the inspectors named, like a drawn task. The inspector records an
ordinary inspection result offline, with ``verification`` kept / breached; the push checks it
(:func:`result_rules`) and, in the same transaction, applies it to the commitment with the one
lifecycle (:func:`after_result`): 核查属实, or 虚假承诺 and its 失信记录 — written by the platform
in the commitment's hall, projected into the city-wide credit record like a window's own.
Assignments and results go into the audit log.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import verification as rules
from desktop_app.domain.aggregates.commitment import CommitmentCase
from desktop_app.domain.clock import CHINA_TZ
from desktop_app.domain.records import CatalogMatter, Commitment
from desktop_app.domain.working_days import CalendarUnknown
from platform_server import audit_log
from platform_server.credit_projection import reproject
from platform_server.errors import ApiError
from platform_server.form_rules import FormContext, Rejection
from platform_server.holiday_table import calendar_today
from platform_server.models import Hall, Record, TaskAssignment, User
from platform_server.publication import platform_calendar
from platform_server.records import Scope, loads, put_record, touch
from platform_server.region_codes import region_covers
from platform_server.scopes import related_record_keys
from sync.protocol import Collection, ReasonCode, Role

__all__ = [
    "DueCommitment",
    "TaskPlan",
    "after_result",
    "after_result_update",
    "assign",
    "due_commitments",
    "inspectors_for",
    "make_task",
    "plan_tasks",
    "result_rules",
    "verify_working_days",
]

COMMITMENTS = Collection.COMMITMENTS.value
TASKS = Collection.INSPECTION_TASKS.value
DISHONESTY = Collection.DISHONESTY_RECORDS.value
DEFAULT_TASK_WORKING_DAYS = 10
"""Working days an inspector has for a 核查 task, when the supervisor does not say."""


@dataclass(frozen=True)
class DueCommitment:
    """A commitment due (or coming due) for verification."""

    commitment_id: str
    uscc: str
    entity_name: str
    matter: str
    kind: str
    signed_on: str
    verify_due_on: str
    overdue: bool
    hall: str
    region_code: str
    task_id: str


def verify_working_days(session: Session, matter_id: str) -> int | None:
    """The catalog matter's ``verify_working_days`` (None: the matter is silent or unknown)."""
    if not matter_id or len(matter_id) > 64:
        return None
    matter = session.get(Record, (Collection.COMMITMENT_CATALOG.value, matter_id))
    if matter is None or matter.deleted:
        return None
    return CatalogMatter.read(loads(matter.data)).verify_working_days


def _covers(user: User, region: str | None) -> bool:
    return user.role == Role.ADMIN.value or region_covers(user.region_code, region)


def due_commitments(
    session: Session, user: User, today: date | None = None, within_days: int = 0
) -> list[DueCommitment]:
    """Verifiable commitments whose 核查 is due by ``today + within_days``, oldest due first.

    Only the caller's region (admins: all). A commitment already given a task is listed with
    its ``task_id`` until the result comes back.
    """
    day = today or calendar_today()
    horizon = date.fromordinal(day.toordinal() + within_days).isoformat()
    halls = dict(session.execute(select(Hall.id, Hall.name)).all())
    calendar = platform_calendar(session)
    rows = session.scalars(
        select(Record).where(Record.collection == COMMITMENTS, Record.deleted.is_(False))
    )
    out: list[DueCommitment] = []
    for row in rows:
        if not _covers(user, row.region_code):
            continue
        r = Commitment.read(loads(row.data))
        if r.signed_on is None or not rules.is_verifiable(r.kind, r.status or ""):
            continue
        due_day = r.verify_due_on
        if due_day is None:  # signed before the calendar knew the year: computed now
            try:
                due_day = rules.verification_due(
                    r.signed_on, calendar, verify_working_days(session, r.matter_id)
                )
            except (CalendarUnknown, rules.VerificationError):
                continue
        due = due_day.isoformat()
        if due > horizon:
            continue
        out.append(
            DueCommitment(
                commitment_id=row.record_id,
                uscc=r.uscc,
                entity_name=r.entity_name,
                matter=r.matter,
                kind=str(r.kind.value if r.kind else ""),
                signed_on=r.signed_on.isoformat(),
                verify_due_on=due,
                overdue=due < day.isoformat(),
                hall=halls.get(row.hall_id or "", row.hall_id or ""),
                region_code=row.region_code or "",
                task_id=r.verification_task_id,
            )
        )
    return sorted(out, key=lambda d: (d.verify_due_on, d.commitment_id))


def inspectors_for(session: Session, user: User) -> list[tuple[str, str, str]]:
    """The active inspectors the caller may assign: (username, display name, region)."""
    rows = session.scalars(
        select(User)
        .where(User.active.is_(True), User.role == Role.INSPECTOR.value)
        .order_by(User.region_code, User.username)
    )
    return [
        (u.username, u.display_name or u.username, u.region_code or "")
        for u in rows
        if _covers(user, u.region_code)
    ]


def _inspectors(session: Session, names: list[str], user: User) -> list[User]:
    found = {
        u.username: u
        for u in session.scalars(select(User).where(User.username.in_(sorted(set(names)))))
        if u.active and u.role == Role.INSPECTOR.value and _covers(user, u.region_code)
    }
    bad = [n for n in names if n not in found]
    if not names or bad:
        listed = "、".join(bad) or "（未指定）"
        raise ApiError(
            422,
            ReasonCode.INVALID_FIELD,
            f"以下账户不存在、已停用、不是执法人员或不在您的区域：{listed}。"
            "请至少指定一名本区域的执法人员。",
            {"inspector_usernames": bad},
        )
    return [found[n] for n in dict.fromkeys(names)]


@dataclass(frozen=True)
class TaskPlan:
    """Who follows up, by when: the checked inspectors, today and the task's due date."""

    inspectors: list[User]
    today: date
    due_on: date

    @property
    def names(self) -> list[str]:
        """The inspectors' usernames."""
        return [u.username for u in self.inspectors]


def plan_tasks(
    session: Session, user: User, inspector_usernames: list[str], due_working_days: int
) -> TaskPlan:
    """Check the inspectors named and compute the due date (422 when either is wrong)."""
    inspectors = _inspectors(session, inspector_usernames, user)
    today = calendar_today()
    try:
        due_on = platform_calendar(session).deadline(today, due_working_days)
    except CalendarUnknown as err:
        raise ApiError(422, ReasonCode.CALENDAR_UNKNOWN, str(err)) from None
    return TaskPlan(inspectors, today, due_on)


def make_task(
    session: Session,
    user: User,
    plan: TaskPlan,
    prefix: str,
    fields: dict[str, Any],
    region_code: str | None,
    action: str,
) -> str:
    """Create one follow-up inspection task for ``plan``'s inspectors; its id (audited).

    ``fields`` says what the task is (``purpose``, ``uscc``, ``entity_name`` and what it is
    about); the inspectors, dates and status are added here. The inspectors gain the entity's
    records as for a drawn task (re-sequenced for their next pull).
    """
    task_id = f"{prefix}-{uuid.uuid4().hex[:20]}"
    uscc = str(fields["uscc"])
    put_record(
        session,
        TASKS,
        task_id,
        {
            **fields,
            "inspectors": plan.names,
            "assigned_on": plan.today.isoformat(),
            "due_on": plan.due_on.isoformat(),
            "status": "assigned",
        },
        Scope(region_code=region_code, entity_uscc=uscc),
        known_absent=True,
    )
    session.add_all(
        TaskAssignment(task_id=task_id, user_id=u.id, entity_uscc=uscc) for u in plan.inspectors
    )
    session.flush()
    touch(session, related_record_keys(session, uscc))
    audit_log.append(
        session,
        actor=user.username,
        action=action,
        subject_type=TASKS,
        subject_id=task_id,
        details={
            "inspectors": plan.names,
            "due_on": plan.due_on.isoformat(),
            "uscc": uscc,
            **{k: fields[k] for k in ("commitment_id", "warning_id") if k in fields},
        },
    )
    return task_id


def assign(
    session: Session,
    user: User,
    commitment_ids: list[str],
    inspector_usernames: list[str],
    due_working_days: int = DEFAULT_TASK_WORKING_DAYS,
) -> list[str]:
    """Make a 核查 task for each commitment, held by the inspectors named; returns task ids.

    Raises:
        ApiError: 404 an unknown commitment; 403 outside the caller's region; 409 not
            verifiable any more or already assigned; 422 bad inspectors or calendar unknown.
    """
    plan = plan_tasks(session, user, inspector_usernames, due_working_days)
    known = session.get(Record, (Collection.CHECKLISTS.value, rules.VERIFY_CHECKLIST))
    checklist = rules.VERIFY_CHECKLIST if known is not None and not known.deleted else ""
    created: list[str] = []
    for commitment_id in dict.fromkeys(commitment_ids):
        row = session.get(Record, (COMMITMENTS, commitment_id))
        if row is None or row.deleted:
            raise ApiError(404, ReasonCode.NOT_FOUND, f"没有编号为 {commitment_id} 的信用承诺。")
        if not _covers(user, row.region_code):
            raise ApiError(403, ReasonCode.FORBIDDEN, "这份承诺不在您的区域，不能分派核查。")
        r = Commitment.read(loads(row.data))
        if not rules.is_verifiable(r.kind, r.status or ""):
            raise ApiError(
                409,
                ReasonCode.ILLEGAL_TRANSITION,
                f"承诺“{r.matter}”（{r.entity_name}）不需要或已不能核查，请刷新列表。",
            )
        if r.verification_task_id:
            raise ApiError(
                409,
                ReasonCode.ILLEGAL_TRANSITION,
                f"承诺“{r.matter}”（{r.entity_name}）已分派核查任务 {r.verification_task_id}。",
            )
        period = r.verify_due_on.isoformat() if r.verify_due_on else ""
        task_id = make_task(
            session,
            user,
            plan,
            "vt",
            {
                "purpose": rules.TASK_PURPOSE,
                "commitment_id": commitment_id,
                "uscc": r.uscc,
                "entity_name": r.entity_name,
                "matter": r.matter,
                "commitment_kind": str(r.kind.value if r.kind else ""),
                "signed_on": r.signed_on.isoformat() if r.signed_on else None,
                "checklist_id": checklist,
                "due_note": f"承诺核查期限 {period}",
            },
            row.region_code,
            "verification.assigned",
        )
        put_record(session, COMMITMENTS, commitment_id, {"verification_task_id": task_id}, Scope())
        created.append(task_id)
    return created


def _verification_facts(
    session: Session, fields: dict[str, Any]
) -> tuple[Record, dict[str, Any]] | None:
    """The 核查 task's commitment row and the task's fields, when the result is a verification."""
    task = session.get(Record, (TASKS, str(fields.get("task_id") or "")))
    facts = loads(task.data) if task is not None and not task.deleted else {}
    if facts.get("purpose") != rules.TASK_PURPOSE:
        return None
    row = session.get(Record, (COMMITMENTS, str(facts.get("commitment_id") or "")))
    if row is None or row.deleted:
        return None
    return row, facts


def _outcome(ctx: FormContext, row: Record, fields: dict[str, Any], result_id: str) -> Any:
    case = CommitmentCase(row.record_id, Commitment.read(loads(row.data)))
    user = ctx.session.get(User, ctx.viewer.user_id)
    actor = (user.display_name or user.username) if user is not None else "执法人员"
    try:
        return rules.apply_result(
            case,
            str(fields["verification"]),
            str(fields.get("conclusion") or ""),
            str(fields.get("verification_severity") or "general"),
            datetime.now(CHINA_TZ).replace(tzinfo=None, microsecond=0),
            actor,
            f"vd-{result_id}"[:64],
            str(fields["task_id"]),
        )
    except rules.VerificationError as err:
        raise Rejection(ReasonCode.INVALID_FIELD, str(err)) from None


def result_rules(ctx: FormContext, f: dict[str, Any], current: dict[str, Any] | None) -> None:
    """A result's ``verification`` is for a 核查 task only, given once, and must apply."""
    given = None if current is None else current.get("verification")
    if given is not None:
        if given != f.get("verification"):
            raise Rejection(
                ReasonCode.ILLEGAL_TRANSITION,
                "核查结论提交后不能更改；如有错误，请由监管人员通过异议程序更正。",
            )
        return
    if f.get("verification") is None:
        return
    found = _verification_facts(ctx.session, f)
    if found is None:
        raise Rejection(
            ReasonCode.INVALID_FIELD,
            "只有“承诺核查”任务的检查结果可以填写核查结论，请核对任务。",
        )
    _outcome(ctx, found[0], f, "check")  # refuses what the lifecycle would refuse


def after_result_update(
    ctx: FormContext, result: Record, fields: dict[str, Any], before: dict[str, Any]
) -> None:
    """A verdict given on a later edit of the result (none before) is applied then."""
    if before.get("verification") is None:
        after_result(ctx, result, fields)


def after_result(ctx: FormContext, result: Record, fields: dict[str, Any]) -> None:
    """Apply a verification result to its commitment (and create the 失信记录 of a breach)."""
    if fields.get("verification") is None:
        return
    found = _verification_facts(ctx.session, fields)
    assert found is not None  # checked by result_rules in this transaction
    row, _task = found
    outcome = _outcome(ctx, row, fields, result.record_id)
    put_record(ctx.session, COMMITMENTS, row.record_id, outcome.changes, Scope())
    dishonesty_id = ""
    if outcome.dishonesty is not None:
        dishonesty_id = str(outcome.changes["breach"]["dishonesty_id"])
        put_record(
            ctx.session,
            DISHONESTY,
            dishonesty_id,
            outcome.dishonesty.to_fields(),
            Scope(hall_id=row.hall_id, region_code=row.region_code, entity_uscc=row.entity_uscc),
            known_absent=True,
        )
        reproject(ctx.session, DISHONESTY, dishonesty_id)
    reproject(ctx.session, COMMITMENTS, row.record_id)
    user = ctx.session.get(User, ctx.viewer.user_id)
    audit_log.append(
        ctx.session,
        actor=user.username if user is not None else f"user:{ctx.viewer.user_id}",
        action="verification.recorded",
        subject_type=COMMITMENTS,
        subject_id=row.record_id,
        details={
            "result": result.record_id,
            "task": str(fields["task_id"]),
            "outcome": str(fields["verification"]),
            **({"dishonesty": dishonesty_id} if dishonesty_id else {}),
        },
    )
