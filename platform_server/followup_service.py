"""限期整改 → 约谈 on the platform: overdue warnings for supervisors, and follow-up tasks.

The rule is :mod:`desktop_app.domain.followup` (deadline passed, no rectification on record).
Supervisors list the overdue 失信警示 of their region (:func:`overdue_for`) and give each to
inspectors as a follow-up task (:func:`assign_followups`, purpose ``warning_followup``): the
inspectors then hold the entity like a drawn task and record the interview offline — an
``interviews`` form naming the warning (``warning_id``), printed as a 约谈记录 and projected into
the city-wide credit record like every interview. The warning's own inspector may record one
under the warning's task at any time, without a follow-up task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.followup import FOLLOWUP_PURPOSE, OverdueWarning, overdue_warnings
from platform_server.errors import ApiError
from platform_server.form_rules import FormContext, Rejection
from platform_server.holiday_table import calendar_today
from platform_server.models import Record, User
from platform_server.records import Scope, loads, put_record
from platform_server.region_codes import region_covers
from platform_server.verification_service import (
    DEFAULT_TASK_WORKING_DAYS,
    make_task,
    plan_tasks,
)
from sync.protocol import Collection, ReasonCode, Role

__all__ = ["RegionalWarning", "assign_followups", "interview_rules", "overdue_for"]

WARNINGS = Collection.WARNINGS.value


@dataclass(frozen=True)
class RegionalWarning:
    """An overdue warning with the region it belongs to."""

    warning: OverdueWarning
    region_code: str


def _covers(user: User, region: str | None) -> bool:
    return user.role == Role.ADMIN.value or region_covers(user.region_code, region)


def _by_entity(session: Session, collection: str, usccs: set[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    codes = sorted(usccs)
    for start in range(0, len(codes), 500):
        rows = session.scalars(
            select(Record.data).where(
                Record.collection == collection,
                Record.deleted.is_(False),
                Record.entity_uscc.in_(codes[start : start + 500]),
            )
        )
        out.extend(f for f in map(loads, rows) if isinstance(f, dict))
    return out


def overdue_for(session: Session, user: User, today: date | None = None) -> list[RegionalWarning]:
    """The overdue 失信警示 of the caller's region (admins: all), oldest deadline first."""
    day = today or calendar_today()
    regions: dict[str, str] = {}
    candidates: list[tuple[str, dict[str, Any]]] = []
    rows = session.execute(
        select(Record.record_id, Record.region_code, Record.data).where(
            Record.collection == WARNINGS, Record.deleted.is_(False)
        )
    )
    for record_id, region, text in rows:
        fields = loads(text)
        if not isinstance(fields, dict) or not _covers(user, region):
            continue
        deadline = str(fields.get("rectify_deadline") or "")
        if not deadline or deadline >= day.isoformat() or fields.get("rectified") is True:
            continue  # cheap first cut; the shared rule decides below
        regions[record_id] = region or ""
        candidates.append((record_id, fields))
    if not candidates:
        return []
    usccs = {str(f.get("uscc") or "") for _id, f in candidates}
    results = _by_entity(session, Collection.INSPECTION_RESULTS.value, usccs)
    interviews = _by_entity(session, Collection.INTERVIEWS.value, usccs)
    found = overdue_warnings(candidates, results, interviews, day)
    return [RegionalWarning(w, regions[w.warning_id]) for w in found]


def assign_followups(
    session: Session,
    user: User,
    warning_ids: list[str],
    inspector_usernames: list[str],
    due_working_days: int = DEFAULT_TASK_WORKING_DAYS,
) -> list[str]:
    """A follow-up task (约谈) per overdue warning for the inspectors named; the task ids.

    Raises:
        ApiError: 404 unknown warning; 403 outside the region; 409 not overdue (rectified, or
            its deadline not passed) or already assigned; 422 bad inspectors or calendar.
    """
    plan = plan_tasks(session, user, inspector_usernames, due_working_days)
    overdue = {w.warning.warning_id: w for w in overdue_for(session, user, plan.today)}
    created: list[str] = []
    for warning_id in dict.fromkeys(warning_ids):
        row = session.get(Record, (WARNINGS, warning_id))
        if row is None or row.deleted:
            raise ApiError(404, ReasonCode.NOT_FOUND, f"没有编号为 {warning_id} 的失信警示。")
        if not _covers(user, row.region_code):
            raise ApiError(403, ReasonCode.FORBIDDEN, "这份失信警示不在您的区域，不能分派约谈。")
        item = overdue.get(warning_id)
        if item is None:
            raise ApiError(
                409,
                ReasonCode.ILLEGAL_TRANSITION,
                "这份失信警示尚未逾期或已整改，不需要跟进约谈，请刷新列表。",
            )
        w = item.warning
        if w.followup_task_id:
            raise ApiError(
                409,
                ReasonCode.ILLEGAL_TRANSITION,
                f"这份失信警示已分派跟进任务 {w.followup_task_id}。",
            )
        task_id = make_task(
            session,
            user,
            plan,
            "ft",
            {
                "purpose": FOLLOWUP_PURPOSE,
                "warning_id": warning_id,
                "uscc": w.uscc,
                "entity_name": w.entity_name,
                "matter": w.content[:200],
                "checklist_id": "",
                "due_note": f"整改期限 {w.deadline.isoformat()} 已过，未见整改",
            },
            row.region_code,
            "followup.assigned",
        )
        put_record(session, WARNINGS, warning_id, {"followup_task_id": task_id}, Scope())
        created.append(task_id)
    return created


def interview_rules(ctx: FormContext, f: dict[str, Any], current: dict[str, Any] | None) -> None:
    """An interview that names a warning names one of the same entity."""
    if current is not None or not f.get("warning_id"):
        return
    warning_id = str(f["warning_id"])
    row = ctx.session.get(Record, (WARNINGS, warning_id)) if len(warning_id) <= 64 else None
    fields = loads(row.data) if row is not None and not row.deleted else {}
    if not isinstance(fields, dict) or fields.get("uscc") != f.get("uscc"):
        raise Rejection(
            ReasonCode.INVALID_FIELD,
            "约谈记录所跟进的失信警示不存在或不是同一主体的，请核对后再提交。",
        )
