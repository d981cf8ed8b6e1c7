"""双随机 draws, the platform's side: candidates, rates, the inspector pool, making and replaying.

:func:`perform_draw` is the one way a draw is made (HTTP ``POST /v1/draws``,
``credit-platform draw`` and the demo seed all call it): it settles the region the drawer may
draw in, reads the rates in force (the ``policies`` records: ``grade_scale`` and
``list_measures``), loads the candidates with their risk classes and the lists in force on
them, the 风险预警 flags of the candidates (:func:`platform_server.risk_warnings.draw_raises`,
evaluated on the draw date; their raised rates are recorded in the inputs), and the inspector
pool, chooses the seed (never the caller), runs the pure
:func:`platform_server.draw.run_draw`, and in the caller's transaction stores the draw, creates
the ``inspection_tasks`` records and ``task_assignments`` rows, re-sequences the drawn
entities' related records so the inspectors' next pull delivers them, and adds the draw to the
publication feed. :func:`replay_draw` reruns a stored draw from its recorded seed and inputs.
The HTTP router (:mod:`platform_server.routers.draws`) only checks the role and calls these.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import UTC, date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.clock import china_today
from desktop_app.domain.disclosure import DisclosureError, membership_disclosed
from desktop_app.domain.policy import Policy, policy_from_records
from desktop_app.domain.working_days import CalendarUnknown
from platform_server.draw import (
    METHOD,
    Candidate,
    DrawError,
    NoCandidates,
    NotEnoughInspectors,
    candidate_digest,
    policy_from_inputs,
    policy_inputs,
    raises_from_inputs,
    risk_inputs,
    run_draw,
    select_candidates,
)
from platform_server.errors import ApiError
from platform_server.models import Draw, Record, TaskAssignment, User
from platform_server.publication import note_draw, platform_calendar
from platform_server.records import Scope, bulk_insert_new, dumps, loads, touch
from platform_server.region_codes import region_covers
from platform_server.risk_warnings import draw_raises
from platform_server.scopes import region_clause, related_record_keys
from platform_server.security import now
from sync.protocol import (
    Collection,
    DrawClass,
    DrawReplay,
    DrawRequest,
    DrawResult,
    DrawTask,
    ReasonCode,
    Role,
)

DUE_UNKNOWN_NOTE = (
    "截止日期所在年份的节假日安排尚未发布，暂无法计算办结期限；"
    "管理员导入该年度节假日表后请以科室通知为准。"
)
NO_REGION = "账户未设置所属区域，无法进行或查看双随机抽查，请联系管理员。"


def draw_policy(session: Session) -> Policy:
    """The policy in force on the platform: its ``policies`` records (defaults where none)."""
    rows = session.scalars(
        select(Record.data).where(
            Record.collection == Collection.POLICIES.value, Record.deleted.is_(False)
        )
    )
    return policy_from_records(loads(text) for text in rows)


def lists_in_force(session: Session, usccs: set[str], today: date) -> dict[str, list[str]]:
    """USCC → codes of the lists in force on ``today`` (active, not past ``until``, unrepaired).

    The rule is the public report's (:func:`desktop_app.domain.disclosure.membership_disclosed`);
    a malformed membership counts as not in force.
    """
    found: dict[str, list[str]] = {}
    rows = session.execute(
        select(Record.entity_uscc, Record.data).where(
            Record.collection == Collection.LIST_MEMBERSHIPS.value, Record.deleted.is_(False)
        )
    )
    for entity_uscc, text in rows:
        fields = loads(text)
        uscc = fields.get("uscc") or entity_uscc
        code = fields.get("list")
        if uscc not in usccs or not isinstance(code, str) or not code:
            continue
        try:
            if membership_disclosed(fields, today):
                found.setdefault(uscc, []).append(code)
        except DisclosureError:
            continue
    return found


def load_candidates(
    session: Session, region_code: str | None, industry: str | None, today: date | None = None
) -> tuple[list[Candidate], dict[str, str | None]]:
    """Entities that may be drawn (with class and lists in force), and each one's region code.

    The grade comes from the entity's ``credit_grades`` record when there is one (the
    authoritative, newest assessment), else from the entity's own ``credit_grade`` field.

    Args:
        session: Any transaction.
        region_code: The draw's region (``None``: every entity).
        industry: Exact industry filter.
        today: The draw date, for the lists in force (default: today in China).
    """
    stmt = select(Record.data).where(
        Record.collection == Collection.ENTITIES.value, Record.deleted.is_(False)
    )
    if region_code:
        stmt = stmt.where(region_clause(Record.region_code, region_code))
    rows = [loads(text) for text in session.scalars(stmt)]
    wanted = {r.get("uscc") for r in rows if isinstance(r.get("uscc"), str)}
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
        lists=lists_in_force(session, wanted, today or china_today()),
    )
    regions = {r["uscc"]: r.get("region_code") for r in rows if isinstance(r.get("uscc"), str)}
    return candidates, regions


def drawing_region(user: User, requested: str | None) -> str | None:
    """The region ``user`` draws in: their own by default; a supervisor never outside it.

    Args:
        user: The supervisor or admin making the draw.
        requested: The request's ``region_code`` (already checked to be six digits).

    Raises:
        ApiError: 403 when a supervisor has no region or asks for a region outside theirs.
    """
    if user.role == Role.ADMIN.value:
        return requested
    own = user.region_code
    if not own:
        raise ApiError(403, ReasonCode.FORBIDDEN, NO_REGION)
    if requested is None:
        return own
    if not region_covers(own, requested):
        raise ApiError(
            403,
            ReasonCode.FORBIDDEN,
            f"区划 {requested} 不在您的所属区域（{own}）内：科室负责人只能在本区域内抽查。"
            "请改为本区域的区划代码，或请管理员抽查。",
        )
    return requested


def may_see(user: User, inputs: Mapping[str, Any]) -> bool:
    """Whether ``user`` may read a draw: admins every one, a supervisor those of their region."""
    if user.role == Role.ADMIN.value:
        return True
    region = inputs.get("region_code")
    return user.role == Role.SUPERVISOR.value and region_covers(
        user.region_code, region if isinstance(region, str) else None
    )


def inspector_pool(
    session: Session, body: DrawRequest, region_code: str | None, creator: User | None = None
) -> tuple[list[User], str]:
    """The eligible inspectors and where the pool came from (``request`` or ``region``).

    A supervisor who names the inspectors names only those of their own region (a regional
    supervisor cannot hand tasks to another district's staff); an admin may name anyone.

    Raises:
        ApiError: 422 when a named inspector is unknown, inactive or not an inspector; 403 when
            a supervisor names an inspector outside their region.
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
        if creator is not None and creator.role != Role.ADMIN.value:
            own = creator.region_code
            outside = [n for n in names if not region_covers(own, ok[n].region_code)]
            if outside:
                raise ApiError(
                    403,
                    ReasonCode.FORBIDDEN,
                    f"以下执法人员不属于您的所属区域（{own}）：{'、'.join(outside)}。"
                    "科室负责人只能安排本区域的执法人员；跨区域联合抽查请由管理员抽取。",
                    {"inspector_usernames": outside},
                )
        return [ok[n] for n in names], "request"
    stmt = select(User).where(User.active.is_(True), User.role == Role.INSPECTOR.value)
    if region_code:
        stmt = stmt.where(region_clause(User.region_code, region_code))
    return list(session.scalars(stmt.order_by(User.username))), "region"


def related_keys(session: Session, usccs: list[str]) -> list[tuple[str, str]]:
    """Records an inspector gains with tasks on these entities (as the sync scopes define)."""
    return [key for uscc in usccs for key in related_record_keys(session, uscc)]


def _texts(body: DrawRequest) -> list[str]:
    texts = [body.title, body.region_code, body.industry, body.checklist_id]
    texts += [*(body.inspector_usernames or [])]
    return [t for t in texts if t]


def _check(body: DrawRequest) -> None:
    """The request's own checks (422), before anything is read for the draw."""
    if any("\x00" in text for text in _texts(body)):
        # PostgreSQL refuses NUL in text; refuse it here with a reason instead of failing later.
        raise ApiError(
            422, ReasonCode.INVALID_FIELD, "请求中含有不可见的空字符（NUL），请删除后重试。"
        )
    if body.region_code is not None and not (
        len(body.region_code) == 6 and body.region_code.isdigit()
    ):
        raise ApiError(422, ReasonCode.INVALID_FIELD, "区划代码应为6位数字，如 140403（潞州区）。")


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
        ApiError: 403 when a supervisor draws outside their region; 422 for bad inputs, too few
            inspectors, nothing to draw or too much to draw. Nothing is stored then.
    """
    today = today or china_today()
    _check(body)
    region = drawing_region(creator, body.region_code)
    if body.checklist_id is not None:
        checklist = session.get(Record, (Collection.CHECKLISTS.value, body.checklist_id))
        if checklist is None or checklist.deleted:
            raise ApiError(
                422,
                ReasonCode.INVALID_FIELD,
                f"检查表“{body.checklist_id}”不存在，请先导入检查表或更换编号。",
            )
    policy = draw_policy(session)
    inspectors, source = inspector_pool(session, body, region, creator)
    candidates, regions = load_candidates(session, region, body.industry, today)
    usernames = [u.username for u in inspectors]
    raises, fired, risk_revision = draw_raises(session, today, region, (c.uscc for c in candidates))
    seed = secrets.token_hex(16)  # the platform's, never the caller's: no one picks a lucky seed
    try:
        outcome = run_draw(
            candidates, usernames, policy=policy, share=body.share, seed=seed, raises=raises
        )
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
    classes = [
        DrawClass(code=c.code, pool=c.pool, rate=c.rate, raised=c.raised, drawn=c.drawn)
        for c in outcome.classes
    ]
    inputs = {
        "region_code": region,
        "industry": body.industry,
        "share": float(body.share),
        **policy_inputs(policy),
        "classes": [c.model_dump(mode="json") for c in classes],
        "raised": outcome.raised,
        **risk_inputs(raises, fired, risk_revision),
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
            sampling_rate=t.rate,
        )
        for i, t in enumerate(outcome.tasks, start=1)
    ]
    result = DrawResult(
        draw_id=draw_id,
        title=body.title,
        seed=seed,
        inputs=inputs,
        candidates=len(candidates),
        classes=classes,
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
    # Task records carry no credit grade nor rate: inspectors and printed forms never show it.
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
        region,
        today,
        calendar,
    )
    return result


def replay_draw(session: Session, draw: Draw) -> DrawReplay:
    """Rerun a stored draw from its recorded seed and inputs and compare the tasks.

    The candidates are loaded again with the recorded region, industry and date (lists in
    force on that date); when their digest differs from the recorded one the registry changed
    since (an entity added, closed, regraded, listed or delisted) and the draw is not rerun.
    Otherwise the pure draw runs with the recorded rates, 风险预警 raises (none for a draw
    recorded before them), share, inspectors and seed.

    Args:
        session: Any transaction.
        draw: The stored draw.
    """
    inputs = loads(draw.inputs)
    recorded = loads(draw.result).get("tasks", [])
    recorded_digest = inputs.get("candidate_digest")

    def answer(
        matches: bool, digest_matches: bool, current: str | None, compared: int, message: str
    ) -> DrawReplay:
        return DrawReplay(
            draw_id=draw.id,
            matches=matches,
            digest_matches=digest_matches,
            recorded_digest=recorded_digest if isinstance(recorded_digest, str) else None,
            current_digest=current,
            tasks_compared=compared,
            message=message,
        )

    if inputs.get("method") != METHOD:
        return answer(False, False, None, 0, "该抽查批次按旧的抽取方法进行，无法按现行方法重现。")
    try:
        day = date.fromisoformat(str(inputs["date"]))
        policy = policy_from_inputs(inputs)
        raises = raises_from_inputs(inputs)
    except (KeyError, ValueError) as exc:
        reason = str(exc) if isinstance(exc, DrawError) else "该抽查批次的记录不完整，无法重现。"
        return answer(False, False, None, 0, reason)
    candidates, _ = load_candidates(session, inputs.get("region_code"), inputs.get("industry"), day)
    current = candidate_digest(candidates)
    if current != recorded_digest:
        return answer(
            False,
            False,
            current,
            0,
            "自抽查以来，市场主体名录、风险分类或名单已有变化，候选名单摘要与记录不一致，"
            "无法按原样重现；原抽查结果以当时记录为准。",
        )
    try:
        outcome = run_draw(
            candidates,
            list(inputs.get("inspectors") or []),
            policy=policy,
            share=float(inputs.get("share", 1.0)),
            seed=draw.seed,
            raises=raises,
        )
    except DrawError as exc:
        return answer(False, True, current, 0, f"按记录重新抽取未能完成：{exc}")
    again = [(t.uscc, list(t.inspectors)) for t in outcome.tasks]
    stored = [(t.get("uscc"), t.get("inspectors")) for t in recorded]
    if again == stored:
        return answer(
            True,
            True,
            current,
            len(again),
            f"按记录的随机种子和输入重新抽取，{len(again)} 项任务的主体、执法人员及顺序均一致。",
        )
    return answer(
        False,
        True,
        current,
        len(again),
        "候选名单与记录一致，但按记录的随机种子和输入重新抽取的结果与原结果不一致，"
        "请联系管理员核查。",
    )
