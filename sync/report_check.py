"""核验 a printed report in the client: its QR text, online with the platform or offline here.

A window clerk scans (a USB scanner types the text and Enter) or pastes what a report's QR code
holds: the public verification address ``HTTPS://<platform>/V/<number>/<check code>``
(reports since issue #19), or the signed ``CDR1.`` payload (older reports). Online, the
platform answers (``POST /v1/reports/check``) with one word — 真实有效 / 无法核验 / 已作废 —
and the report's number, entity, issuing body and date. Offline the client can only check the
signature with the keys it has: its own device key (the only device key a client holds; other
devices' keys are on the platform), and for an address, the check code against the signed
payload it kept for the reports it issued itself. It never knows offline whether a report was
registered or withdrawn, and says so (:attr:`CheckOutcome.registration_checked` is False).

This module sits in ``sync`` because it reads the shared QR format and the device key; the
Chinese words of offline answers are the UI's (:class:`OfflineReason`), the platform's
explanations are shown as the platform wrote them.
"""

from __future__ import annotations

import enum
import hmac
from dataclasses import dataclass
from datetime import UTC, timedelta

from cryptography.exceptions import InvalidSignature
from sqlalchemy import select

from desktop_app.store.database import Store
from desktop_app.store.models import Entity, IssuedReport
from desktop_app.store.outbox import SyncStateRepo
from sync.credentials import DEVICE_ID_KEY, DeviceIdentity
from sync.protocol.report_check import ReportCheckAnswer, ReportCheckRequest, ReportVerdict
from sync.protocol.report_payload import (
    ReportQrFields,
    check_code,
    decode_payload,
    parse_verify_url,
    signing_message,
)
from sync.transport import Transport

__all__ = [
    "CHECK_PATH",
    "CheckOutcome",
    "OfflineReason",
    "Scan",
    "check_offline",
    "check_online",
    "read_scan",
]

CHECK_PATH = "/v1/reports/check"


class OfflineReason(enum.StrEnum):
    """Why an offline check ended as it did (the UI words each one)."""

    SIGNATURE_OK = "signature_ok"  # own device's signature verifies (and the check code)
    NOT_ISSUED_HERE = "not_issued_here"  # an address of a report this device did not issue
    NO_DEVICE_KEY = "no_device_key"  # a payload signed by another device: no key here
    BAD_SIGNATURE = "bad_signature"  # own device named, but the signature does not verify
    CODE_MISMATCH = "code_mismatch"  # own number, but the check code is not this report's


@dataclass(frozen=True)
class Scan:
    """What was scanned: an address (number + check code) or a signed payload."""

    report_no: str
    check_code: str = ""
    payload: str = ""


@dataclass(frozen=True)
class CheckOutcome:
    """The answer shown in the 核验 dialog.

    Attributes:
        verdict: 真实有效 / 无法核验 / 已作废.
        report_no: The report's number.
        entity_name: The entity's name (empty when the answer cannot vouch for one).
        issuer: The issuing body (the platform's hall of the device; offline: empty).
        issued_on: Issue date ``YYYY年MM月DD日`` (Beijing time), or empty.
        explanation: The platform's words (online); empty offline (see ``offline_reason``).
        registration_checked: Whether the platform answered (False offline).
        offline_reason: Why the offline check ended so (None online).
    """

    verdict: ReportVerdict
    report_no: str
    entity_name: str = ""
    issuer: str = ""
    issued_on: str = ""
    explanation: str = ""
    registration_checked: bool = True
    offline_reason: OfflineReason | None = None


def read_scan(text: str) -> Scan | None:
    """The scanned or pasted text as a :class:`Scan`, or None when it is neither form."""
    text = (text or "").strip()
    if text.upper().startswith("CDR1."):
        try:
            fields, _signature = decode_payload(text)
        except ValueError:
            return None
        return Scan(fields.report_no, payload=text)
    found = parse_verify_url(text)
    if found is None:
        return None
    return Scan(found[0], check_code=found[1])


def check_online(transport: Transport, scan: Scan) -> CheckOutcome:
    """Ask the platform (signed in). Raises the transport's errors when it cannot be asked."""
    body = ReportCheckRequest(
        report_no=scan.report_no,
        check_code=scan.check_code or None,
        payload=scan.payload or None,
    )
    resp = transport.request("POST", CHECK_PATH, json=body.model_dump(mode="json"))
    answer = transport.parse(resp, ReportCheckAnswer)
    return CheckOutcome(
        verdict=answer.verdict,
        report_no=answer.report_no,
        entity_name=answer.entity_name,
        issuer=answer.issuer,
        issued_on=answer.issued_on,
        explanation=answer.explanation,
    )


def _day(fields: ReportQrFields) -> str:
    return (fields.issued_datetime().astimezone(UTC) + timedelta(hours=8)).strftime("%Y年%m月%d日")


def check_offline(store: Store, scan: Scan) -> CheckOutcome:
    """Check what this client can without the platform: the signature, by its own key.

    Args:
        store: The open store (its device key and the reports it issued).
        scan: What was scanned (:func:`read_scan`).
    """
    with store.read() as s:
        own_id = SyncStateRepo(s).get(DEVICE_ID_KEY)
        row = s.get(IssuedReport, scan.report_no)
        kept = row.payload if row is not None else ""
    payload = scan.payload or kept

    def unverifiable(reason: OfflineReason) -> CheckOutcome:
        return CheckOutcome(
            ReportVerdict.UNVERIFIABLE,
            scan.report_no,
            registration_checked=False,
            offline_reason=reason,
        )

    if not payload:
        return unverifiable(OfflineReason.NOT_ISSUED_HERE)
    fields, signature = decode_payload(payload)
    if not own_id or fields.device_id != own_id:
        reason = OfflineReason.NO_DEVICE_KEY if scan.payload else OfflineReason.NOT_ISSUED_HERE
        return unverifiable(reason)
    if scan.check_code and not hmac.compare_digest(
        check_code(signature).encode(), scan.check_code.encode()
    ):
        return unverifiable(OfflineReason.CODE_MISMATCH)
    key = DeviceIdentity.load_or_create(store).private_key.public_key()
    try:
        key.verify(signature, signing_message(fields))
    except InvalidSignature:
        return unverifiable(OfflineReason.BAD_SIGNATURE)
    with store.read() as s:
        name = row.entity_name if row is not None and row.payload == payload else ""
        if not name:
            name = s.scalar(select(Entity.name).where(Entity.uscc == fields.uscc)) or ""
    return CheckOutcome(
        ReportVerdict.GENUINE,
        fields.report_no,
        entity_name=name,
        issued_on=_day(fields),
        registration_checked=False,
        offline_reason=OfflineReason.SIGNATURE_OK,
    )
