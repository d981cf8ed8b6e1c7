"""双随机 draws, the platform's side: candidates, the inspector pool, and making a draw.

:func:`perform_draw` is the one way a draw is made (HTTP ``POST /v1/draws``,
``credit-platform draw`` and the demo seed all call it): it loads the candidates and the
inspector pool, runs the pure :func:`platform_server.draw.run_draw`, and in the caller's
transaction stores the draw, creates the ``inspection_tasks`` records and ``task_assignments``
rows, re-sequences the drawn entities' related records so the inspectors' next pull delivers
them, and adds the draw to the publication feed. The HTTP router
(:mod:`platform_server.routers.draws`) only checks the role and calls it.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.working_days import CalendarUnknown
from platform_server.draw import (
    Candidate,
    DrawError,
    NoCandidates,
    NotEnoughInspectors,
    candidate_digest,
    effective_ratios,
    run_draw,
    select_candidates,
)
from platform_server.errors import ApiError
from platform_server.models import Draw, Record, TaskAssignment, User
from platform_server.publication import china_today, note_draw, platform_calendar
from platform_server.records import Scope, bulk_insert_new, dumps, loads, touch
from platform_server.scopes import region_clause, related_record_keys
from platform_server.security import now
from sync.protocol import (
    Collection,
    DrawRequest,
    DrawResult,
    DrawTask,
    ReasonCode,
    Role,
)

METHOD = "efraimidis-spirakis; random.Random(sha256(seed)); candidates by USCC; v1"
DUE_UNKNOWN_NOTE = (
    "截止日期所在年份的节假日安排尚未发布，暂无法计算办结期限；"
    "管理员导入该年度节假日表后请以科室通知为准。"
)


def load_candidates(
    session: Session, region_code: str | None, industry: str | None
) -> tuple[list[Candidate], dict[str, str | None]]:
    """Entities that may be drawn, and each one's region code.

    The grade comes from the entity's ``credit_grades`` record when there is one (the
    authoritative, newest assessment), else from the entity's own ``credit_grade`` field.
    """
    stmt = select(Record.data).where(
        Record.collection == Collection.ENTITIES.value, Record.deleted.is_(False)
    )
    if region_code:
        stmt = stmt.where(region_clause(Record.region_code, region_code))
    rows = [loads(text) for text in session.scalars(stmt)]
    wanted = {r.get("uscc") for r in rows}
    grades: dict[str, tuple[str, str]] = {}
    graded = session.execute(
        select(Record.entity_uscc, Record.data).where(
            Record.collection == Collection.CREDIT_GRADES.value, Record.deleted.is_(False)
        )
    )
    for uscc, text in graded:
        if uscc is None or uscc not in wanted:
            continue
        fields = loads(text)
        grade, since = fields.get("grade"), str(fields.get("assessed_on") or "")
        if isinstance(grade, str) and grade and (uscc not in grades or since >= grades[uscc][1]):
            grades[uscc] = (grade, since)
    candidates = select_candidates(
        rows,
        region_code=region_code,
        industry=industry,
        grades={k: v[0] for k, v in grades.items()},
    )
    regions = {r["uscc"]: r.get("region_code") for r in rows if isinstance(r.get("uscc"), str)}
    return candidates, regions


def inspector_pool(session: Session, body: DrawRequest) -> tuple[list[User], str]:
    """The eligible inspectors and where the pool came from (``request`` or ``region``).

    Raises:
        ApiError: 422 when a named inspector is unknown, inactive or not an inspector.
    """
    if body.inspector_usernames is not None:
        names = sorted(set(body.inspector_usernames))
        users = list(session.scalars(select(User).where(User.username.in_(names))))
        ok = {u.username: u for u in users if u.active and u.role == Role.INSPECTOR.value}
        bad = [n for n in names if n not in ok]
        if bad:
            raise ApiError(
                422,
                ReasonCode.INVALID_FIELD,
                f"以下账户不存在、已停用或不是执法人员：{'、'.join(bad)}。请核对名单后重试。",
                {"inspector_usernames": bad},
            )
        return [ok[n] for n in names], "request"
    stmt = select(User).where(User.active.is_(True), User.role == Role.INSPECTOR.value)
    if body.region_code:
        stmt = stmt.where(region_clause(User.region_code, body.region_code))
    return list(session.scalars(stmt.order_by(User.username))), "region"


def related_keys(session: Session, usccs: list[str]) -> list[tuple[str, str]]:
    """Records an inspector gains with tasks on these entities (as the sync scopes define)."""
    return [key for uscc in usccs for key in related_record_keys(session, uscc)]


def _texts(body: DrawRequest) -> list[str]:
    texts = [body.title, body.region_code, body.industry, body.seed, body.checklist_id]
    texts += [*(body.inspector_usernames or []), *(body.grade_ratios or {})]
    return [t for t in texts if t]


def perform_draw(
    session: Session, body: DrawRequest, creator: User, *, today: date | None = None
) -> DrawResult:
    """Make, store, assign and publish a draw in the caller's transaction.

    Args:
        session: A write transaction.
        body: The request.
        creator: The supervisor or admin making the draw.
        today: The China date of the draw (default: today).

    Raises:
        ApiError: 422 for bad inputs, too few inspectors or nothing to draw; nothing is stored.
    """
    today = today or china_today()
    if any("\x00" in text for text in _texts(body)):
        # PostgreSQL refuses NUL in text; refuse it here with a reason instead of failing later.
        raise ApiError(
            422, ReasonCode.INVALID_FIELD, "请求中含有不可见的空字符（NUL），请删除后重试。"
        )
    seed = body.seed if body.seed is not None else secrets.token_hex(16)
    if not 1 <= len(seed) <= 128:
        raise ApiError(422, ReasonCode.INVALID_FIELD, "随机种子长度须为 1 到 128 个字符。")
    if body.region_code is not None and not (
        len(body.region_code) == 6 and body.region_code.isdigit()
    ):
        raise ApiError(422, ReasonCode.INVALID_FIELD, "区划代码应为6位数字，如 140403（潞州区）。")
    if body.checklist_id is not None:
        checklist = session.get(Record, (Collection.CHECKLISTS.value, body.checklist_id))
        if checklist is None or checklist.deleted:
            raise ApiError(
                422,
                ReasonCode.INVALID_FIELD,
                f"检查表“{body.checklist_id}”不存在，请先导入检查表或更换编号。",
            )
    try:
        ratios = effective_ratios(body.grade_ratios)
    except DrawError as exc:
        raise ApiError(422, ReasonCode.INVALID_FIELD, str(exc)) from None
    inspectors, source = inspector_pool(session, body)
    candidates, regions = load_candidates(session, body.region_code, body.industry)
    usernames = [u.username for u in inspectors]
    try:
        drawn = run_draw(candidates, usernames, count=body.count, grade_ratios=ratios, seed=seed)
    except NotEnoughInspectors as exc:
        raise ApiError(422, ReasonCode.NOT_ENOUGH_INSPECTORS, str(exc)) from None
    except NoCandidates as exc:
        raise ApiError(422, ReasonCode.NO_CANDIDATES, str(exc)) from None
    except DrawError as exc:
        raise ApiError(422, ReasonCode.INVALID_FIELD, str(exc)) from None

    draw_id = f"DR{today:%Y%m%d}-{secrets.token_hex(4)}"
    calendar = platform_calendar(session)
    try:
        due_on, due_note = calendar.add_working_days(today, body.due_working_days), None
    except CalendarUnknown:
        due_on, due_note = None, DUE_UNKNOWN_NOTE
    inputs = {
        "count": body.count,
        "region_code": body.region_code,
        "industry": body.industry,
        "grade_ratios": ratios,
        "inspectors": usernames,
        "inspector_source": source,
        "checklist_id": body.checklist_id,
        "due_working_days": body.due_working_days,
        "date": today.isoformat(),
        "candidate_count": len(candidates),
        "candidate_digest": candidate_digest(candidates),
        "method": METHOD,
    }
    created = now()
    tasks = [
        DrawTask(
            task_id=f"{draw_id}-{i:04d}",
            uscc=t.uscc,
            entity_name=t.name,
            credit_grade=t.grade,
            inspectors=list(t.inspectors),
        )
        for i, t in enumerate(drawn, start=1)
    ]
    result = DrawResult(
        draw_id=draw_id,
        title=body.title,
        seed=seed,
        inputs=inputs,
        candidates=len(candidates),
        tasks=tasks,
        created_at=created.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z"),
    )
    session.add(
        Draw(
            id=draw_id,
            title=body.title,
            seed=seed,
            inputs=dumps(inputs),
            result=dumps(result.model_dump(mode="json")),
            created_by=creator.id,
            created_at=created,
        )
    )
    # Task records carry no credit grade: inspectors and printed forms never show it.
    rows = [
        (
            task.task_id,
            {
                "draw_id": draw_id,
                "draw_title": body.title,
                "uscc": task.uscc,
                "entity_name": task.entity_name,
                "inspectors": task.inspectors,
                "checklist_id": body.checklist_id,
                "assigned_on": today.isoformat(),
                "due_on": due_on.isoformat() if due_on else None,
                "due_note": due_note,
                "status": "assigned",
            },
            Scope(region_code=regions.get(task.uscc), entity_uscc=task.uscc),
        )
        for task in tasks
    ]
    bulk_insert_new(session, Collection.INSPECTION_TASKS.value, rows)
    by_name = {u.username: u for u in inspectors}
    session.add_all(
        TaskAssignment(task_id=task.task_id, user_id=by_name[name].id, entity_uscc=task.uscc)
        for task in tasks
        for name in task.inspectors
    )
    session.flush()
    touch(session, related_keys(session, [t.uscc for t in tasks]))
    note_draw(
        session,
        draw_id,
        f"{body.title}（双随机抽取{len(tasks)}户）",
        body.region_code,
        today,
        calendar,
    )
    return result
