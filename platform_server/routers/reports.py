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
from platform_server.deps import PrincipalDep, SessionDep, SettingsDep, WriteSessionDep
from platform_server.errors import ApiError
from platform_server.report_verify import register_report, verify_report
from platform_server.settings import ServerSettings
from sync.protocol import (
    ErrorBody,
    ReasonCode,
    ReportRegistration,
    ReportVerifyRequest,
    ReportVerifyResult,
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
