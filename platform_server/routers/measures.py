"""联合奖惩反馈 figures over HTTP (supervisors and admins).

The logic is :mod:`platform_server.measure_feedback`; the forms themselves arrive by push.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from platform_server.deps import PrincipalDep, SessionDep, require_roles
from platform_server.measure_feedback import measure_statistics
from sync.protocol import ErrorBody, Role

router = APIRouter(prefix="/v1/measures", tags=["measures"])

_ERRORS: dict[int | str, dict[str, object]] = {401: {"model": ErrorBody}, 403: {"model": ErrorBody}}


class MeasureRow(BaseModel):
    """One measure of one list: how windows handled it."""

    list_code: str
    list_name: str
    category: str
    measure: str
    applied: int
    not_applicable: int
    total: int
    applied_share: float
    halls: dict[str, int]


@router.get("/statistics", response_model=list[MeasureRow], responses=_ERRORS)
def statistics(
    principal: PrincipalDep,
    session: SessionDep,
    since: Annotated[date | None, Query()] = None,
    until: Annotated[date | None, Query()] = None,
) -> list[MeasureRow]:
    """Per measure: applied, not applicable, by hall (caller's region; admins all).

    Example: ``GET /v1/measures/statistics?since=2026-01-01``.
    """
    require_roles(principal, Role.SUPERVISOR, Role.ADMIN)
    return [
        MeasureRow(
            list_code=f.list_code,
            list_name=f.list_name,
            category=f.category,
            measure=f.measure,
            applied=f.applied,
            not_applicable=f.not_applicable,
            total=f.total,
            applied_share=round(f.applied_share, 4),
            halls=f.halls,
        )
        for f in measure_statistics(session, principal.user, since, until)
    ]
