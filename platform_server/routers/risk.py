"""风险预警 over HTTP: the flagged entities, for supervisors and admins only.

The flags are :func:`platform_server.risk_warnings.risk_report`, evaluated on the platform's
today (``CREDIT_PLATFORM_TODAY`` when set, as for the calendar jobs). They are supervision data
like risk classes: window staff and inspectors are refused (403), a supervisor sees the
entities of their own region (optionally a part of it), a city-wide supervisor (``140400``)
and an admin the whole city.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from platform_server.deps import PrincipalDep, SessionDep
from platform_server.errors import ApiError
from platform_server.holiday_table import calendar_today
from platform_server.region_codes import region_covers
from platform_server.risk_warnings import flags_json, risk_report
from sync.protocol import ErrorBody, ReasonCode, RiskWarning, RiskWarningList, Role

router = APIRouter(prefix="/v1/risk-warnings", tags=["risk"])

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    422: {"model": ErrorBody},
}
Region = Annotated[str | None, Query(pattern=r"^\d{6}$")]


@router.get("", response_model=RiskWarningList, responses=_ERRORS)
def list_risk_warnings(
    principal: PrincipalDep,
    session: SessionDep,
    region: Region = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> RiskWarningList:
    """Entities flagged by the city's early-warning rules, with the rules and why they fired.

    Example: ``GET /v1/risk-warnings?region=140403``.
    """
    if principal.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise ApiError(
            403,
            ReasonCode.FORBIDDEN,
            "风险预警是监管信息，仅供科室负责人和管理员查看；如需了解某主体，请联系科室负责人。",
        )
    if principal.role is Role.SUPERVISOR:
        own = principal.user.region_code
        if not own:
            raise ApiError(
                403, ReasonCode.FORBIDDEN, "账户未设置所属区域，无法查看风险预警，请联系管理员。"
            )
        if region and not region_covers(own, region):
            raise ApiError(
                403,
                ReasonCode.FORBIDDEN,
                f"区划 {region} 不在您的所属区域（{own}）内：只能查看本区域的风险预警。"
                "请改为本区域的区划代码，或请管理员查看。",
            )
        region = region or own
    report = risk_report(session, calendar_today(), region)
    page = report.entities[offset : offset + limit]
    return RiskWarningList(
        items=[RiskWarning.model_validate(flags_json(e)) for e in page],
        total=len(report.entities),
        as_of=report.as_of.isoformat(),
        rules_revision=report.revision,
    )
