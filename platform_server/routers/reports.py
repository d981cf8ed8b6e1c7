"""What the public checks: printed reports, and the published heads of the audit log.

A device registers the reports it issued and anyone signed in verifies one; the signed heads of
the platform's audit log are served to anyone, no account needed.
"""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict

from platform_server import audit_log
from platform_server.deps import (
    PrincipalDep,
    SessionDep,
    SettingsDep,
    WriteSessionDep,
    require_roles,
)
from platform_server.errors import ApiError
from platform_server.public_verify import check_by_code, check_by_payload
from platform_server.report_verify import register_report, verify_report, withdraw_reports
from platform_server.settings import ServerSettings
from sync.protocol import (
    ErrorBody,
    ReasonCode,
    ReportRegistration,
    ReportVerifyRequest,
    ReportVerifyResult,
    Role,
)
from sync.protocol.report_check import (
    ReportCheckAnswer,
    ReportCheckRequest,
    ReportsWithdrawn,
    ReportWithdrawal,
)

router = APIRouter(prefix="/v1")

_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    409: {"model": ErrorBody},
    422: {"model": ErrorBody},
}


@router.post(
    "/reports",
    response_model=ReportVerifyResult,
    status_code=201,
    responses=_ERRORS,
    tags=["reports"],
)
def register(
    body: ReportRegistration, principal: PrincipalDep, session: WriteSessionDep, response: Response
) -> ReportVerifyResult:
    """Register a report the calling device issued: 201 new, 200 the same payload again.

    The number must be the device's own (``XYBG-<date>-<device segment>-<NNNN>``) or a letter
    of an application of the caller's hall (``XS-``/``XJ-``/``XC-``/``YS-``/``YJ-``), and the
    report issued within the offline window before now. Example body:
    ``{"report_no": "XYBG-20261204-0A1B2C3D-0001", "payload": "CDR1.eyJkIjoi….Vb3k…"}``.
    """
    result, created = register_report(session, principal.user, principal.device, body)
    if not created:
        response.status_code = 200
    return result


@router.post(
    "/reports/verify", response_model=ReportVerifyResult, responses=_ERRORS, tags=["reports"]
)
def verify(
    body: ReportVerifyRequest, principal: PrincipalDep, session: SessionDep
) -> ReportVerifyResult:
    """Check a report number and its QR text (any role).

    Always 200 for a well-formed request; ``status`` (``genuine`` / ``unknown`` /
    ``not_valid_after`` / ``forged`` / ``unreadable``) and ``reason`` say what was found.
    """
    _ = principal  # any signed-in account may verify
    return verify_report(session, body.report_no, body.payload)


@router.post(
    "/reports/check", response_model=ReportCheckAnswer, responses=_ERRORS, tags=["reports"]
)
def check(
    body: ReportCheckRequest, principal: PrincipalDep, session: SessionDep
) -> ReportCheckAnswer:
    """The 核验 answer for a scanned report (any role): 真实有效 / 无法核验 / 已作废.

    Give ``check_code`` (from the QR code's address ``/V/<number>/<check code>``) or
    ``payload`` (an older report's ``CDR1.`` text). ``verdict`` is ``genuine`` /
    ``unverifiable`` / ``void``; the entity, issuing body and date are filled only when the
    code or payload matched. An unknown number and a wrong code give the same answer.
    """
    _ = principal
    if body.payload:
        return check_by_payload(session, body.report_no, body.payload)
    return check_by_code(session, body.report_no, body.check_code or "")


@router.post(
    "/reports/withdraw", response_model=ReportsWithdrawn, responses=_ERRORS, tags=["reports"]
)
def withdraw(
    body: ReportWithdrawal, principal: PrincipalDep, session: WriteSessionDep
) -> ReportsWithdrawn:
    """Withdraw registrations (admin): one ``report_no``, or every report of ``device_id``.

    Withdrawn reports verify as ``not_valid_after`` and read 已作废 on the public page (e.g.
    the reports of a lost device, or a report taken back). Audited as ``report.withdrawn``.
    """
    require_roles(principal, Role.ADMIN)
    if (body.report_no is None) == (body.device_id is None):
        raise ApiError(422, ReasonCode.VALIDATION_ERROR, "请只填写报告编号或设备编号中的一项。")
    count = withdraw_reports(
        session, body.reason, report_no=body.report_no, device_id=body.device_id
    )
    audit_log.append(
        session,
        actor=principal.user.username,
        action="report.withdrawn",
        subject_type="report" if body.report_no else "device",
        subject_id=body.report_no or body.device_id or "",
        details={"count": count, "reason": body.reason},
    )
    return ReportsWithdrawn(withdrawn=count)


# --- the published audit-log heads (public) -------------------------------------------------


class PublishedAuditHead(BaseModel):
    """One signed publication of the audit log's head.

    ``signed_text`` is the exact message signed (``CDAH1``, a newline, the canonical JSON of
    ``at``, ``count``, ``hash``, ``prev``, ``seq``); ``signature`` is its Ed25519 signature
    (base64) by the platform key ``public_key`` (base64 of the raw 32 bytes; ``key_id`` is the
    first 16 hex digits of its SHA-256).
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    seq: int
    count: int
    hash: str
    at: str
    prev: str
    key_id: str
    signature: str
    signed_text: str
    public_key: str | None = None


class PublishedAuditHeads(BaseModel):
    """Publications oldest first, and the platform key that signs them."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    public_key: str | None
    key_id: str | None
    heads: list[PublishedAuditHead]


def _public_key(settings: ServerSettings) -> bytes | None:
    key = audit_log.load_key(settings.data_dir)
    return audit_log.public_key_bytes(key) if key is not None else None


def _answer(head: audit_log.PublishedHead, public: bytes | None) -> PublishedAuditHead:
    return PublishedAuditHead(
        **head.to_json(),
        signed_text=head.message().decode("utf-8"),
        public_key=base64.b64encode(public).decode("ascii") if public else None,
    )


@router.get(
    "/audit/heads/latest",
    response_model=PublishedAuditHead,
    responses={404: {"model": ErrorBody}},
    tags=["audit"],
)
def latest_audit_head(session: SessionDep, settings: SettingsDep) -> PublishedAuditHead:
    """The newest signed head of the platform's audit log (no account needed)."""
    head = audit_log.latest_head(session)
    if head is None:
        raise ApiError(
            404,
            ReasonCode.NOT_FOUND,
            "平台尚未发布审计日志链头。请稍后再查（平台每天自动发布），"
            "或请管理员运行 credit-platform audit publish-head。",
        )
    return _answer(head, _public_key(settings))


@router.get("/audit/heads", response_model=PublishedAuditHeads, tags=["audit"])
def audit_heads(
    session: SessionDep,
    settings: SettingsDep,
    after_seq: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> PublishedAuditHeads:
    """Signed heads of the audit log after ``after_seq``, oldest first (no account needed).

    Keep copies: ``credit-platform verify-audit --heads FILE`` holds the log to them.
    """
    public = _public_key(settings)
    heads = audit_log.list_heads(session, after_seq=after_seq, limit=limit)
    return PublishedAuditHeads(
        public_key=base64.b64encode(public).decode("ascii") if public else None,
        key_id=audit_log.key_id_of(public) if public else None,
        heads=[_answer(h, public) for h in heads],
    )
