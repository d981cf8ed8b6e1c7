"""Credit reports: a device registers what it issued; anyone signed in verifies a QR code."""

from __future__ import annotations

from fastapi import APIRouter, Response

from platform_server.deps import PrincipalDep, SessionDep, WriteSessionDep
from platform_server.report_verify import register_report, verify_report
from sync.protocol import ErrorBody, ReportRegistration, ReportVerifyRequest, ReportVerifyResult

router = APIRouter(prefix="/v1/reports", tags=["reports"])

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    409: {"model": ErrorBody},
    422: {"model": ErrorBody},
}


@router.post("", response_model=ReportVerifyResult, status_code=201, responses=_ERRORS)
def register(
    body: ReportRegistration, principal: PrincipalDep, session: WriteSessionDep, response: Response
) -> ReportVerifyResult:
    """Register a report the calling device issued: 201 new, 200 the same payload again.

    Example body: ``{"report_no": "CR202611270001", "payload": "CDR1.eyJkIjoi….Vb3k…"}``.
    """
    result, created = register_report(session, principal.device, body)
    if not created:
        response.status_code = 200
    return result


@router.post("/verify", response_model=ReportVerifyResult, responses=_ERRORS)
def verify(
    body: ReportVerifyRequest, principal: PrincipalDep, session: SessionDep
) -> ReportVerifyResult:
    """Check a report number and its QR text (any role).

    Always 200 for a well-formed request; ``genuine`` and ``reason`` say what was found.
    """
    _ = principal  # any signed-in account may verify
    return verify_report(session, body.report_no, body.payload)
