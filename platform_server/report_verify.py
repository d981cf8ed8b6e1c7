"""Credit report registration and verification (the QR code on every printed report).

A device signs each report's QR fields with the Ed25519 key it enrolled at login (see
:mod:`sync.protocol.report_payload`). Anyone holding an account can then ask the platform
whether a report number and the text of its QR code are genuine: the payload must decode, name
the same report number, and carry a valid signature by the enrolled key of the device it
names. Registration (when the issuing device is online) adds the report to the platform's list
of issued reports, so a second, different payload under the same number is caught.

Revoked devices: a report signed before the revocation stays genuine (revocation is about the
device's future, e.g. a lost laptop); one claiming to be issued after it is refused, since a
lost key could sign anything.
"""

from __future__ import annotations

from datetime import UTC

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from platform_server.errors import ApiError
from platform_server.models import Device, IssuedReport
from platform_server.security import now, verify_signature
from sync.protocol import ReasonCode, ReportRegistration, ReportVerifyResult
from sync.protocol.report_payload import ReportQrFields, decode_payload, signing_message

GARBAGE = (
    "二维码内容无法识别，不是本系统签发的信用报告。请重新扫描报告上的二维码，或手工核对报告编号。"
)
NUMBER_MISMATCH = (
    "报告编号与二维码中的编号不一致，报告可能被涂改。请核对报告原件，或向出具单位核实。"
)
UNKNOWN_DEVICE = "二维码中的签发设备未在平台登记，无法确认报告真伪。请向出具单位核实。"
BAD_SIGNATURE = "签名校验未通过：二维码内容与签发设备的签名不符，报告可能被篡改。请向出具单位核实。"
REGISTERED_DIFFERENT = (
    "平台登记的同编号报告与此二维码内容不一致，报告可能被篡改或编号被冒用。请向出具单位核实。"
)
AFTER_REVOCATION = (
    "签名有效，但该报告的签发时间晚于签发设备被注销的时间，不能确认为真实报告。请向出具单位核实。"
)
GENUINE = (
    "签名有效：该报告由平台登记的设备签发。请同时核对报告上的统一社会信用代码和出具时间与下方一致。"
)
GENUINE_NOT_REGISTERED = (
    "签名有效：该报告由平台登记的设备签发，但尚未上报平台登记（设备可能仍处于离线状态）。"
    "请同时核对报告上的统一社会信用代码和出具时间。"
)


def _result(
    report_no: str,
    genuine: bool,
    reason: str,
    fields: ReportQrFields | None = None,
    registered: bool = False,
) -> ReportVerifyResult:
    return ReportVerifyResult(
        genuine=genuine,
        reason=reason,
        report_no=report_no,
        uscc=fields.uscc if fields else None,
        issued_at=fields.issued_at if fields else None,
        device_id=fields.device_id if fields else None,
        registered=registered,
    )


def _revoked_note(device: Device) -> str:
    stamp = device.revoked_at.strftime("%Y-%m-%d %H:%M") if device.revoked_at else ""
    return f"注意：签发设备已于 {stamp}（UTC）被注销；该报告签发于注销之前，仍可作为有效报告。"


def verify_report(session: Session, report_no: str, payload: str) -> ReportVerifyResult:
    """Whether a report number and its QR text are genuine; never raises for bad input.

    Args:
        session: A read transaction.
        report_no: The number printed on the report.
        payload: The QR code's text.

    Returns:
        ``genuine`` true only for a decodable payload with the same number, a known device and
        a valid signature by its enrolled key (and, if registered, the registered payload).
    """
    try:
        fields, signature = decode_payload(payload)
    except ValueError:
        return _result(report_no, False, GARBAGE)
    if fields.report_no != report_no.strip():
        return _result(report_no, False, NUMBER_MISMATCH, fields)
    device = session.get(Device, fields.device_id)
    if device is None:
        return _result(report_no, False, UNKNOWN_DEVICE, fields)
    if not verify_signature(device.public_key, signature, signing_message(fields)):
        return _result(report_no, False, BAD_SIGNATURE, fields)
    issued = session.get(IssuedReport, fields.report_no)
    if issued is not None and issued.payload != payload.strip():
        return _result(report_no, False, REGISTERED_DIFFERENT, fields, registered=True)
    registered = issued is not None
    if device.revoked_at is not None:
        revoked = device.revoked_at.replace(tzinfo=UTC)
        if fields.issued_datetime() > revoked:
            return _result(report_no, False, AFTER_REVOCATION, fields, registered)
        base = GENUINE if registered else GENUINE_NOT_REGISTERED
        return _result(report_no, True, f"{base}{_revoked_note(device)}", fields, registered)
    base = GENUINE if registered else GENUINE_NOT_REGISTERED
    return _result(report_no, True, base, fields, registered)


def register_report(
    session: Session, device: Device, body: ReportRegistration
) -> tuple[ReportVerifyResult, bool]:
    """Store a report the calling device issued.

    Args:
        session: A write transaction.
        device: The caller's device (the payload must name it).
        body: Report number and QR text.

    Returns:
        The verification of the stored report, and whether it was new (``False``: the same
        payload was registered before, nothing changed).

    Raises:
        ApiError: 422 ``payload_invalid`` / ``signature_invalid``, 403 ``device_mismatch``,
            409 ``report_conflict`` for another payload under the same number.
    """
    payload = body.payload.strip()
    try:
        fields, signature = decode_payload(payload)
    except ValueError as exc:
        raise ApiError(
            422, ReasonCode.PAYLOAD_INVALID, f"报告二维码内容格式不正确（{exc}），请重新生成报告。"
        ) from None
    if fields.report_no != body.report_no:
        raise ApiError(
            422, ReasonCode.PAYLOAD_INVALID, "报告编号与二维码中的编号不一致，请重新生成报告。"
        )
    if fields.device_id != device.id:
        raise ApiError(
            403,
            ReasonCode.DEVICE_MISMATCH,
            "二维码中的签发设备不是当前设备；报告只能由签发它的设备上报，请在原设备上同步。",
        )
    if not verify_signature(device.public_key, signature, signing_message(fields)):
        raise ApiError(
            422,
            ReasonCode.SIGNATURE_INVALID,
            "报告签名与本设备登记的密钥不符，请在本设备上重新生成报告后再上报。",
        )
    existing = session.get(IssuedReport, fields.report_no)
    if existing is None:
        try:
            # A savepoint: a concurrent registration of the same number must end in 409/200,
            # not in a failed transaction.
            with session.begin_nested():
                session.add(
                    IssuedReport(
                        report_no=fields.report_no,
                        device_id=device.id,
                        payload=payload,
                        registered_at=now(),
                    )
                )
        except IntegrityError:
            existing = session.get(IssuedReport, fields.report_no)
        else:
            return _result(fields.report_no, True, GENUINE, fields, registered=True), True
    if existing is None or existing.payload != payload:
        raise ApiError(
            409,
            ReasonCode.REPORT_CONFLICT,
            f"报告编号 {fields.report_no} 已登记为另一份报告，编号不能重复使用。"
            "请重新生成报告编号。",
        )
    return _result(fields.report_no, True, GENUINE, fields, registered=True), False
