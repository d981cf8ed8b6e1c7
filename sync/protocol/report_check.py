"""Wire models of the report check by number and check code, and of withdrawals (issue #19).

A printed report's QR code holds its public verification address (see
:func:`sync.protocol.report_payload.verify_url`). Anyone opens it in a browser; signed-in staff
ask ``POST /v1/reports/check`` and get the same three-way answer as JSON.
"""

from __future__ import annotations

import enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from sync.protocol.v1 import ReportStatus

__all__ = [
    "ReportCheckAnswer",
    "ReportCheckRequest",
    "ReportVerdict",
    "ReportWithdrawal",
    "ReportsWithdrawn",
    "verdict_of",
]


class ReportVerdict(enum.StrEnum):
    """The one word the person checking a report reads."""

    GENUINE = "genuine"  # 真实有效
    UNVERIFIABLE = "unverifiable"  # 无法核验
    VOID = "void"  # 已作废


def verdict_of(status: ReportStatus | None) -> ReportVerdict:
    """The word for a verification status.

    ``genuine`` is 真实有效; ``not_valid_after`` (the device was revoked before the report was
    registered, or the registration was withdrawn) is 已作废; everything else — not registered
    (in time), unknown device, forged, unreadable, no such number and check code — is 无法核验.
    """
    if status is ReportStatus.GENUINE:
        return ReportVerdict.GENUINE
    if status is ReportStatus.NOT_VALID_AFTER:
        return ReportVerdict.VOID
    return ReportVerdict.UNVERIFIABLE


class ReportCheckRequest(BaseModel):
    """Check a report by its number and either the check code of its address or its payload."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    report_no: Annotated[str, Field(min_length=1, max_length=64)]
    check_code: Annotated[str | None, Field(max_length=40)] = None
    payload: Annotated[str | None, Field(max_length=2048)] = None


class ReportCheckAnswer(BaseModel):
    """The answer of a check: the word, and only what the public page shows.

    ``entity_name``, ``issuer`` and ``issued_on`` are empty unless the number and check code
    (or payload) matched a registered report; ``explanation`` says in Chinese what the word
    means here and what to do.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    verdict: ReportVerdict
    status: ReportStatus
    report_no: str
    entity_name: str = ""
    issuer: str = ""
    issued_on: str = ""
    explanation: str = ""


class ReportWithdrawal(BaseModel):
    """An administrator withdraws one report's registration, or every report of a device."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reason: Annotated[str, Field(min_length=1, max_length=500)]
    report_no: Annotated[str | None, Field(max_length=64)] = None
    device_id: Annotated[str | None, Field(max_length=64)] = None


class ReportsWithdrawn(BaseModel):
    """How many registrations a withdrawal withdrew now."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    withdrawn: int
