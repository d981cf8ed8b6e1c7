"""信用修复 and 异议 on the platform: intake checks, routing, decisions and their effect.

A window pushes a ``repair_applications`` or ``objections`` form (taken offline perhaps). The
platform checks its target — a record of the city-wide public credit record (its
``credit_entries`` entry is live), of the same entity, with no application of the same kind in
progress — and, for a repair, that the minimum publication period had passed on the day of
intake (:func:`desktop_app.domain.repair.eligibility`, the ``repair`` policy's table). It
derives the due date with the official calendar, routes the application to the region of the
unit that made the record (a supervisor of that region decides), and marks the target 信用修复
办理中 / 异议处理中, so every window sees the mark after its next pull.

Decisions come only through :func:`decide_repair` / :func:`decide_objection` (HTTP routes in
``routers/repairs.py``): the decision fields are derived fields a push can never set; who
decided is the authenticated account and when is the platform's clock. The effect is written on
the target form (:func:`~desktop_app.domain.repair.repair_effect`,
:func:`~desktop_app.domain.repair.objection_effect`) and the projection follows in the same
transaction: a granted repair or a revocation tombstones the entry everywhere.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain import credit_record
from desktop_app.domain import repair as rules
from desktop_app.domain.clock import china_today
from desktop_app.domain.working_days import CalendarUnknown
from platform_server import audit_log
from platform_server.credit_projection import current_policy, reproject
from platform_server.errors import ApiError
from platform_server.form_rules import FormContext, Rejection
from platform_server.models import Hall, Record, User
from platform_server.publication import parse_date, platform_calendar
from platform_server.publication_desk import note_repair_decision
from platform_server.records import Scope, loads, put_record
from platform_server.region_codes import region_covers
from sync.protocol import Collection, ReasonCode, Role

REPAIRS = Collection.REPAIR_APPLICATIONS.value
OBJECTIONS = Collection.OBJECTIONS.value
_RECORD_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


def _target(ctx: FormContext, f: dict[str, Any]) -> tuple[Record, dict[str, Any]]:
    collection, source_id = str(f["source_collection"]), str(f["source_id"])
    record = (
        ctx.session.get(Record, (collection, source_id))
        if _RECORD_ID.fullmatch(source_id)
        else None
    )
    entry = ctx.session.get(
        Record, (credit_record.ENTRY_COLLECTION, credit_record.entry_id(collection, source_id))
    )
    if record is None or record.deleted or entry is None or entry.deleted:
        raise Rejection(
            ReasonCode.INVALID_FIELD,
            "该记录不在公共信用记录中（可能已修复、已撤销或已过公示期），无需办理。"
            "请同步后在主体的信用记录中重新选择。",
        )
    fields = loads(record.data)
    if fields.get("uscc") != f.get("uscc"):
        raise Rejection(
            ReasonCode.INVALID_FIELD, "申请的统一社会信用代码与所选记录的主体不一致，请核对。"
        )
    return record, {**fields, "title": loads(entry.data).get("title", "")}


def _received_on(f: dict[str, Any]) -> date:
    received = parse_date(f.get("received_on"))
    assert received is not None  # required by the shared definition
    if received > china_today():
        raise Rejection(ReasonCode.INVALID_FIELD, "受理日期不能晚于今天，请核对本机日期后重试。")
    return received


def _due(ctx: FormContext, received: date, days: int) -> str:
    try:
        return rules.due_date(received, ctx.calendar(), days).isoformat()
    except CalendarUnknown as err:
        raise Rejection(ReasonCode.CALENDAR_UNKNOWN, str(err)) from None


def repair_rules(ctx: FormContext, f: dict[str, Any], current: dict[str, Any] | None) -> None:
    """Check a new repair application's target and eligibility; derive its due date."""
    if current is not None:
        return  # target and date are fixed at creation; the decision comes by its own route
    _record, target = _target(ctx, f)
    if target.get("repair_status") == "applying":
        raise Rejection(
            ReasonCode.RECORD_EXISTS, "该失信记录已有一份正在办理的信用修复申请，请勿重复提交。"
        )
    received = _received_on(f)
    policy = current_policy(ctx.session)
    decided = parse_date(target.get("decided_on"))
    if decided is None:
        raise Rejection(ReasonCode.INVALID_FIELD, "该失信记录没有认定日期，无法判断公示期。")
    verdict = rules.eligibility(
        decided, str(target.get("severity") or "general"), received, policy.repair_min_months
    )
    if not verdict.allowed:
        raise Rejection(ReasonCode.ILLEGAL_TRANSITION, verdict.message)
    f["record_title"] = target["title"]
    f["status"] = "received"
    f["due_on"] = _due(ctx, received, policy.repair_working_days)


def objection_rules(ctx: FormContext, f: dict[str, Any], current: dict[str, Any] | None) -> None:
    """Check a new objection's target; derive its due date."""
    if current is not None:
        return
    _record, target = _target(ctx, f)
    if target.get("objection_status") == "pending":
        raise Rejection(
            ReasonCode.RECORD_EXISTS, "该记录已有一份正在核查的异议申请，请勿重复提交。"
        )
    received = _received_on(f)
    f["record_title"] = target["title"]
    f["status"] = "pending"
    f["due_on"] = _due(ctx, received, current_policy(ctx.session).objection_working_days)


def after_create(ctx: FormContext, application: Record, fields: dict[str, Any]) -> None:
    """Route a new application to the target's unit and mark the target everywhere."""
    target = ctx.session.get(Record, (str(fields["source_collection"]), str(fields["source_id"])))
    assert target is not None  # checked by the rules in this transaction
    application.region_code = target.region_code  # the unit that made the record decides
    mark = (
        {"repair_status": "applying"}
        if application.collection == REPAIRS
        else {"objection_status": "pending"}
    )
    put_record(ctx.session, target.collection, target.record_id, mark, Scope())
    reproject(ctx.session, target.collection, target.record_id)
    audit_log.append(
        ctx.session,
        actor=_account(ctx.session, ctx.viewer.user_id),
        action="repair.received" if application.collection == REPAIRS else "objection.received",
        subject_type=application.collection,
        subject_id=application.record_id,
        details={
            "target": f"{target.collection}/{target.record_id}",
            "uscc": str(fields.get("uscc") or ""),
            "hall": application.hall_id or "",
            "deciding_unit": target.region_code or "",
            "due_on": str(fields.get("due_on") or ""),
        },
    )


# --- decisions ------------------------------------------------------------------------------


def _application(session: Session, collection: str, record_id: str, user: User) -> Record:
    record = session.get(Record, (collection, record_id))
    label = "信用修复申请" if collection == REPAIRS else "异议申请"
    if record is None or record.deleted:
        raise ApiError(404, ReasonCode.NOT_FOUND, f"没有这份{label}，请核对编号。")
    if user.role != Role.ADMIN.value and not region_covers(user.region_code, record.region_code):
        raise ApiError(
            403,
            ReasonCode.FORBIDDEN,
            f"这份{label}由作出该记录的单位（{record.region_code}）办理，您的账户无权决定。",
        )
    return record


def _decided(record: Record, fields: dict[str, Any], label: str) -> None:
    if fields.get("decision"):
        raise ApiError(
            409,
            ReasonCode.ILLEGAL_TRANSITION,
            f"这份{label}已于 {fields.get('decided_on')} 作出决定（{fields['decision']}），"
            "不能重复决定。",
        )


def _write_decision(
    session: Session, record: Record, fields: dict[str, Any], decision: dict[str, Any]
) -> dict[str, Any]:
    put_record(session, record.collection, record.record_id, decision, Scope())
    return {**fields, **decision}


@dataclass(frozen=True)
class Decision:
    """What a decision route answers."""

    record_id: str
    fields: dict[str, Any]
    version: int


def decide_repair(
    session: Session, user: User, record_id: str, outcome: rules.RepairOutcome, reasons: str
) -> Decision:
    """准予修复 / 不予修复 a repair application, and apply it to the 失信记录."""
    record = _application(session, REPAIRS, record_id, user)
    fields = loads(record.data)
    _decided(record, fields, "信用修复申请")
    today = china_today()
    try:
        effect = rules.repair_effect(outcome, reasons, today)
    except rules.RepairError as err:
        raise ApiError(422, ReasonCode.INVALID_FIELD, str(err)) from None
    target_key = (str(fields["source_collection"]), str(fields["source_id"]))
    put_record(session, *target_key, effect, Scope())
    reproject(session, *target_key)
    decision = {
        "status": outcome.value,
        "decision": outcome.label,
        "reasons": effect["repair_reasons"],
        "decided_by": user.display_name or user.username,
        "decided_on": today.isoformat(),
    }
    merged = _write_decision(session, record, fields, decision)
    note_repair_decision(session, record, merged)  # a granted repair is published (7 days)
    _audit_decision(session, user, record, target_key, decision)
    return Decision(record_id, merged, record.version)


def _account(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.username if user is not None else f"user:{user_id}"


def _audit_decision(
    session: Session,
    user: User,
    record: Record,
    target_key: tuple[str, str],
    decision: dict[str, Any],
) -> None:
    kind = "repair" if record.collection == REPAIRS else "objection"
    audit_log.append(
        session,
        actor=user.username,
        action=f"{kind}.decided",
        subject_type=record.collection,
        subject_id=record.record_id,
        details={
            "target": "/".join(target_key),
            "outcome": decision["status"],
            "decision": decision["decision"],
            "reasons": decision["reasons"],
            "decided_on": decision["decided_on"],
            **({"remedy": decision["remedy"]} if decision.get("remedy") else {}),
            **({"corrections": decision["corrections"]} if "corrections" in decision else {}),
        },
    )


def decide_objection(
    session: Session,
    user: User,
    record_id: str,
    outcome: rules.ObjectionOutcome,
    reasons: str,
    corrections: dict[str, Any] | None = None,
    remedy: str = "",
) -> Decision:
    """维持 / 更正 / 撤销 an objection, and apply it to the disputed record."""
    record = _application(session, OBJECTIONS, record_id, user)
    fields = loads(record.data)
    _decided(record, fields, "异议申请")
    today = china_today()
    target_key = (str(fields["source_collection"]), str(fields["source_id"]))
    target = session.get(Record, target_key)
    current = loads(target.data) if target is not None and not target.deleted else {}
    try:
        effect = rules.objection_effect(outcome, reasons, current, corrections, today)
    except rules.RepairError as err:
        raise ApiError(422, ReasonCode.INVALID_FIELD, str(err)) from None
    put_record(session, *target_key, effect, Scope())
    reproject(session, *target_key)
    decision: dict[str, Any] = {
        "status": outcome.value,
        "decision": outcome.label,
        "reasons": effect["objection_reasons"],
        "decided_by": user.display_name or user.username,
        "decided_on": today.isoformat(),
        "remedy": remedy.strip(),
    }
    if outcome is rules.ObjectionOutcome.CORRECTED:
        decision["corrections"] = dict(corrections or {})
    merged = _write_decision(session, record, fields, decision)
    _audit_decision(session, user, record, target_key, decision)
    return Decision(record_id, merged, record.version)


# --- follow-up figures ------------------------------------------------------------------------


def statistics_by_unit(
    session: Session, user: User, today: date | None = None
) -> list[dict[str, Any]]:
    """Applications per hall that took them and per deciding unit (region).

    Received, pending, overdue (pending past the due date), decided, and the median working
    days from receipt to decision; only what the caller's region covers.
    """
    day = today or china_today()
    calendar = platform_calendar(session)
    halls = dict(session.execute(select(Hall.id, Hall.name)).all())
    rows = session.scalars(
        select(Record).where(
            Record.collection.in_((REPAIRS, OBJECTIONS)), Record.deleted.is_(False)
        )
    )
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        if user.role != Role.ADMIN.value and not region_covers(user.region_code, r.region_code):
            continue
        f = loads(r.data)
        hall = halls.get(r.hall_id or "", r.hall_id or "")
        groups[(r.collection, hall, r.region_code or "")].append(f)
    out = []
    for (collection, hall, unit), items in sorted(groups.items()):
        decided = [f for f in items if f.get("decision")]
        pending = [f for f in items if not f.get("decision")]
        overdue = [f for f in pending if str(f.get("due_on") or "9999") < day.isoformat()]
        spans = []
        for f in decided:
            start, end = parse_date(f.get("received_on")), parse_date(f.get("decided_on"))
            if start is not None and end is not None:
                try:
                    spans.append(calendar.working_days_between(start, end))
                except CalendarUnknown:
                    continue
        out.append(
            {
                "kind": "repair" if collection == REPAIRS else "objection",
                "hall": hall,
                "unit": unit,
                "received": len(items),
                "pending": len(pending),
                "overdue": len(overdue),
                "decided": len(decided),
                "median_working_days": statistics.median(spans) if spans else None,
            }
        )
    return out
