"""The publication feed: what must go online within 7 working days, and marking it done.

Who sees what: supervisors and admins see the whole city (optionally filtered by region) and
mark items published. Window staff and inspectors may read the feed of their own region only
(it holds nothing that is not going public anyway, and no credit grades), so they can tell an
applicant when a decision will be online; they cannot mark anything published.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from platform_server.deps import PrincipalDep, SessionDep, WriteSessionDep, require_roles
from platform_server.errors import ApiError
from platform_server.models import Publication
from platform_server.publication import (
    china_today,
    list_publications,
    mark_published,
    platform_calendar,
    to_item,
)
from platform_server.region_codes import region_covers
from sync.protocol import ErrorBody, PublicationItem, PublicationList, ReasonCode, Role

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


@router.get("", response_model=PublicationList, responses=_ERRORS)
def get_feed(
    principal: PrincipalDep,
    session: SessionDep,
    status: Status = "due",
    region: Region = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> PublicationList:
    """The feed: ``due`` (default; overdue items flagged), ``overdue``, ``published`` or ``all``.

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
    return list_publications(session, status, region, limit=limit, offset=offset)


@router.post("/{publication_id}/publish", response_model=PublicationItem, responses=_ERRORS)
def publish(
    publication_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")],
    principal: PrincipalDep,
    session: WriteSessionDep,
) -> PublicationItem:
    """Mark an item as published online (supervisors and admins; repeating it changes nothing).

    Example: ``POST /v1/publications/P3f2a…/publish``.
    """
    require_roles(principal, *_CITY_WIDE)
    pub = session.get(Publication, publication_id)
    if pub is None:
        raise ApiError(404, ReasonCode.NOT_FOUND, "公示清单中没有该条目，请刷新列表后重试。")
    mark_published(session, pub)
    return to_item(pub, china_today(), platform_calendar(session))
