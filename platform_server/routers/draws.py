"""双随机 draws over HTTP: run one (supervisors), list them, read one back, replay it.

The draw itself is :func:`platform_server.draw_service.perform_draw`, the replay
:func:`platform_server.draw_service.replay_draw`. Draw results show credit grades, so only
supervisors and admins read them; a supervisor draws, lists, reads and replays only draws of
their own region (an admin every draw).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy import select

from platform_server.deps import PrincipalDep, SessionDep, WriteSessionDep, require_roles
from platform_server.draw_service import NO_REGION, may_see, perform_draw, replay_draw
from platform_server.errors import ApiError
from platform_server.models import Draw, User
from platform_server.records import loads
from sync.protocol import (
    DrawList,
    DrawReplay,
    DrawRequest,
    DrawResult,
    DrawSummary,
    ErrorBody,
    ReasonCode,
    Role,
)

router = APIRouter(prefix="/v1/draws", tags=["draws"])

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    404: {"model": ErrorBody},
    422: {"model": ErrorBody},
}
_DRAWERS = (Role.SUPERVISOR, Role.ADMIN)
DrawId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]


@router.post("", response_model=DrawResult, status_code=201, responses=_ERRORS)
def create_draw(body: DrawRequest, principal: PrincipalDep, session: WriteSessionDep) -> DrawResult:
    """Make a 双随机 draw (supervisors in their region, admins anywhere).

    Example body: ``{"title": "2026年第四季度食品经营抽查", "region_code": "140403",
    "share": 0.25}``. The rates are the platform's ``grade_scale`` policy; the seed is the
    platform's.
    """
    require_roles(principal, *_DRAWERS)
    return perform_draw(session, body, principal.user)


@router.get("", response_model=DrawList, responses=_ERRORS)
def list_draws(principal: PrincipalDep, session: SessionDep) -> DrawList:
    """The draws the caller may see, newest first (supervisors: their region; admins: all)."""
    require_roles(principal, *_DRAWERS)
    rows = session.execute(
        select(Draw, User.username)
        .join(User, User.id == Draw.created_by)
        .order_by(Draw.created_at.desc(), Draw.id)
    )
    items = []
    for draw, username in rows:
        inputs = loads(draw.inputs)
        if not may_see(principal.user, inputs):
            continue
        result = loads(draw.result)
        items.append(
            DrawSummary(
                draw_id=draw.id,
                title=draw.title,
                seed=draw.seed,
                region_code=inputs.get("region_code"),
                industry=inputs.get("industry"),
                share=float(inputs.get("share", 1.0)),
                candidates=int(result.get("candidates", 0)),
                task_count=len(result.get("tasks", [])),
                created_by=username,
                created_at=result.get("created_at", ""),
            )
        )
    return DrawList(items=items)


def _visible_draw(draw_id: str, principal: PrincipalDep, session: SessionDep) -> Draw:
    require_roles(principal, *_DRAWERS)
    draw = session.get(Draw, draw_id)
    if draw is None:
        raise ApiError(404, ReasonCode.NOT_FOUND, "没有该抽查批次，请核对批次编号。")
    if not may_see(principal.user, loads(draw.inputs)):
        if principal.role is Role.SUPERVISOR and not principal.user.region_code:
            raise ApiError(403, ReasonCode.FORBIDDEN, NO_REGION)
        raise ApiError(
            403,
            ReasonCode.FORBIDDEN,
            "该抽查批次不属于您的所属区域，科室负责人只能查看本区域的抽查。",
        )
    return draw


@router.get("/{draw_id}", response_model=DrawResult, responses=_ERRORS)
def get_draw(draw_id: DrawId, principal: PrincipalDep, session: SessionDep) -> DrawResult:
    """One draw with its seed, inputs, classes and tasks (supervisors of its region, admins)."""
    draw = _visible_draw(draw_id, principal, session)
    return DrawResult.model_validate(loads(draw.result))


@router.get("/{draw_id}/replay", response_model=DrawReplay, responses=_ERRORS)
def replay(draw_id: DrawId, principal: PrincipalDep, session: SessionDep) -> DrawReplay:
    """Rerun a draw from its recorded seed and inputs: the same tasks in the same order?

    Answers ``matches`` false with the reason when the registry changed since the draw (the
    candidate digest differs) — supervisors of the draw's region and admins.
    """
    draw = _visible_draw(draw_id, principal, session)
    return replay_draw(session, draw)
