"""The publication feed: what must go online within 7 working days, and marking it done.

Who sees what: supervisors and admins see the whole city (optionally filtered by region) and
mark items published. Window staff and inspectors may read the feed of their own region only
(it holds nothing that is not going public anyway, and no credit grades), so they can tell an
applicant when a decision will be online; they cannot mark anything published.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query

from desktop_app.domain.clock import china_today
from platform_server.deps import PrincipalDep, SessionDep, WriteSessionDep, require_roles
from platform_server.errors import ApiError
from platform_server.models import Publication
from platform_server.publication import list_publications, platform_calendar, to_item
from platform_server.publication_desk import record_published, unit_statistics
from platform_server.region_codes import region_covers
from sync.protocol import (
    ErrorBody,
    PublicationItem,
    PublicationList,
    PublicationMark,
    PublicationStatistics,
    ReasonCode,
    Role,
)

router = APIRouter(prefix="/v1/publications", tags=["publications"])

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    404: {"model": ErrorBody},
    422: {"model": ErrorBody},
}
_CITY_WIDE = (Role.SUPERVISOR, Role.ADMIN)
Status = Annotated[str, Query(pattern="^(due|overdue|published|all)$")]
Region = Annotated[str | None, Query(pattern=r"^\d{6}$")]
Label = Annotated[str | None, Query(min_length=1, max_length=200)]


@router.get("", response_model=PublicationList, responses=_ERRORS)
def get_feed(
    principal: PrincipalDep,
    session: SessionDep,
    status: Status = "due",
    region: Region = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    kind: Label = None,
    unit: Label = None,
) -> PublicationList:
    """The feed: ``due`` (default; overdue items flagged), ``overdue``, ``published`` or ``all``.

    ``kind`` and ``unit`` narrow it to one kind (``行政许可`` …) or one deciding unit.

    Example: ``GET /v1/publications?status=overdue&region=140403``.
    """
    if principal.role not in _CITY_WIDE:
        own = principal.user.region_code
        if not own:
            raise ApiError(
                403, ReasonCode.FORBIDDEN, "账户未设置所属区域，无法查看公示清单，请联系管理员。"
            )
        if region and not region_covers(own, region):
            raise ApiError(
                403,
                ReasonCode.FORBIDDEN,
                "只能查看本人所属区域的公示清单；如需查看其他区域，请联系科室负责人。",
            )
        region = own
    return list_publications(
        session, status, region, limit=limit, offset=offset, kind=kind, unit=unit
    )


@router.get("/statistics", response_model=PublicationStatistics, responses=_ERRORS)
def get_statistics(
    principal: PrincipalDep,
    session: SessionDep,
    region: Region = None,
    decided_from: date | None = None,
    decided_to: date | None = None,
) -> PublicationStatistics:
    """Per deciding unit: online in time, online late, not yet online, overdue (supervisors).

    Example: ``GET /v1/publications/statistics?region=140403&decided_from=2026-01-01``.
    """
    require_roles(principal, *_CITY_WIDE)
    if decided_from and decided_to and decided_from > decided_to:
        raise ApiError(422, ReasonCode.INVALID_FIELD, "统计起始日期晚于截止日期，请调换后重试。")
    return unit_statistics(session, region, decided_from=decided_from, decided_to=decided_to)


@router.post("/{publication_id}/publish", response_model=PublicationItem, responses=_ERRORS)
def publish(
    publication_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")],
    principal: PrincipalDep,
    session: WriteSessionDep,
    mark: Annotated[PublicationMark | None, Body()] = None,
) -> PublicationItem:
    """Mark an item as published online (supervisors and admins; repeating it changes nothing).

    The optional body says on which day (not in the future, not before the decision; default
    today) and where (the website and its column); who recorded it is the caller's account.

    Example: ``POST /v1/publications/P3f2a…/publish`` with
    ``{"published_on": "2026-06-09", "where": "信用长治网站“双公示”栏目"}``.
    """
    require_roles(principal, *_CITY_WIDE)
    pub = session.get(Publication, publication_id)
    if pub is None:
        raise ApiError(404, ReasonCode.NOT_FOUND, "公示清单中没有该条目，请刷新列表后重试。")
    user = principal.user
    record_published(session, pub, mark, user.display_name or user.username)
    return to_item(pub, china_today(), platform_calendar(session))
