"""双随机 draws over HTTP: run one (supervisors), list them, read one back with its seed and inputs.

The draw itself is :func:`platform_server.draw_service.perform_draw`. Draw results show credit
grades, so only supervisors and admins read them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from sqlalchemy import select

from platform_server.deps import PrincipalDep, SessionDep, WriteSessionDep, require_roles
from platform_server.draw_service import perform_draw
from platform_server.errors import ApiError
from platform_server.models import Draw, User
from platform_server.records import loads
from sync.protocol import (
    DrawList,
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
    """Make a 双随机 draw (supervisors and admins).

    Example body: ``{"title": "2026年第四季度食品经营抽查", "count": 20, "region_code": "140403",
    "grade_ratios": {"A": 0.05, "B": 0.2, "C": 0.6, "D": 1}}``.
    """
    require_roles(principal, *_DRAWERS)
    return perform_draw(session, body, principal.user)


@router.get("", response_model=DrawList, responses=_ERRORS)
def list_draws(principal: PrincipalDep, session: SessionDep) -> DrawList:
    """Every draw, newest first (supervisors and admins)."""
    require_roles(principal, *_DRAWERS)
    rows = session.execute(
        select(Draw, User.username)
        .join(User, User.id == Draw.created_by)
        .order_by(Draw.created_at.desc(), Draw.id)
    )
    items = []
    for draw, username in rows:
        result = loads(draw.result)
        inputs = loads(draw.inputs)
        items.append(
            DrawSummary(
                draw_id=draw.id,
                title=draw.title,
                seed=draw.seed,
                region_code=inputs.get("region_code"),
                industry=inputs.get("industry"),
                candidates=int(result.get("candidates", 0)),
                task_count=len(result.get("tasks", [])),
                created_by=username,
                created_at=result.get("created_at", ""),
            )
        )
    return DrawList(items=items)


@router.get("/{draw_id}", response_model=DrawResult, responses=_ERRORS)
def get_draw(draw_id: DrawId, principal: PrincipalDep, session: SessionDep) -> DrawResult:
    """One draw with its seed, inputs and tasks (supervisors and admins)."""
    require_roles(principal, *_DRAWERS)
    draw = session.get(Draw, draw_id)
    if draw is None:
        raise ApiError(404, ReasonCode.NOT_FOUND, "没有该抽查批次，请核对批次编号。")
    return DrawResult.model_validate(loads(draw.result))
