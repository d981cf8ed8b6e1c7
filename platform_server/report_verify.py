"""Credit report registration and verification (the QR code on every printed report).

A device signs each report's QR fields with the Ed25519 key it enrolled at login (see
:mod:`sync.protocol.report_payload`) and registers the report with the platform when it is
online. A signature alone proves little about *when* a report was made: the signer chooses
``issued_at``, and a revoked or stolen key can sign any date. What the platform vouches for is
its own registration, so a report is **genuine** only when

* the payload decodes, names the printed number and carries a valid signature by the enrolled
  key of the device it names, and
* the platform registered exactly that payload, at a time it recorded itself, no earlier than
  the issue time (less a small clock allowance) and no later than the bounded offline window
  after it (``CREDIT_PLATFORM_REPORT_OFFLINE_DAYS``, default 7 days), by that device while it
  was enrolled and not revoked.

Anything else is ``unknown`` (not registered yet or any more, dated in the future, registered
too late, device unknown), ``not_valid_after`` (the device was revoked and the report was not
registered before that, or an administrator withdrew the registration: :func:`withdraw_reports`),
``forged`` (the signature, the number or the registered payload disagree) or ``unreadable``.
The answer's ``status`` says which; ``reason`` says it in Chinese with what to do.

Numbers belong to their issuer (:func:`sync.protocol.report_payload.number_space`): a device
registers only report numbers of its own segment (and not a segment an earlier-enrolled device
holds), and letters only for an application or commitment record of its own hall and entity.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from platform_server.errors import ApiError
from platform_server.models import Device, IssuedReport, Record, User
from platform_server.security import now, verify_signature
from sync.protocol import ReasonCode, ReportRegistration, ReportStatus, ReportVerifyResult
from sync.protocol.report_payload import (
    LETTER_COLLECTIONS,
    NumberSpace,
    ReportQrFields,
    decode_payload,
    device_segment,
    number_space,
    signing_message,
)

__all__ = [
    "china_time",
    "offline_window",
    "register_report",
    "verify_report",
    "withdraw_reports",
]

log = logging.getLogger(__name__)

OFFLINE_DAYS_ENV = "CREDIT_PLATFORM_REPORT_OFFLINE_DAYS"
DEFAULT_OFFLINE_DAYS = 7
MAX_OFFLINE_DAYS = 90
CLOCK_ALLOWANCE = timedelta(minutes=10)
"""How far a device's clock may run ahead of the platform's (issue time after registration)."""

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
GENUINE = (
    "真实报告：签名有效，平台已于 {registered}登记该报告。"
    "请核对报告上的统一社会信用代码和出具时间与下方一致。"
)
REVOKED_LATER = "注意：签发设备已于 {revoked}被注销；该报告在注销之前已在平台登记，仍然有效。"
PENDING = (
    "暂无法确认：签名有效，但该报告尚未在平台登记（签发设备可能仍处于离线状态，"
    "须在出具后 {days} 天内联网登记）。请稍后再核验；急需时请向出具单位核实。"
)
NEVER_REGISTERED = (
    "无法确认为真实报告：该报告出具于 {issued}，超过 {days} 天仍未在平台登记。"
    "平台只认可按期登记的报告，请向出具单位核实，或请其重新出具报告。"
)
FUTURE = (
    "无法确认为真实报告：报告的出具时间 {issued}晚于平台当前时间，出具时间不可信。"
    "请向出具单位核实，或请其重新出具报告。"
)
REGISTERED_LATE = (
    "无法确认为真实报告：该报告出具于 {issued}，直到 {registered}才在平台登记，"
    "超过了 {days} 天的离线登记期限，出具时间可能被倒填。请向出具单位核实，或请其重新出具报告。"
)
REGISTERED_BEFORE_ISSUE = (
    "无法确认为真实报告：报告的出具时间 {issued}晚于平台登记它的时间 {registered}，"
    "出具时间不可信。请向出具单位核实，或请其重新出具报告。"
)
WITHDRAWN = (
    "已作废：平台已于 {withdrawn}撤销该报告的登记（如签发设备丢失或报告被收回），"
    "报告自此不再有效。请向出具单位核实，或请其重新出具报告。"
)
NOT_VALID_AFTER = (
    "无法确认为真实报告：签发设备已于 {revoked}被注销，其签名此后不再有效，"
    "而该报告未在注销之前在平台登记。请向出具单位核实，或请其用在用设备重新出具报告。"
)


def offline_window() -> timedelta:
    """How long after its issue time a report may still be registered (the platform setting).

    ``CREDIT_PLATFORM_REPORT_OFFLINE_DAYS`` (whole days, 1–90); default 7. A malformed value is
    logged and the default used, so a typo never makes every report "unknown".
    """
    raw = os.environ.get(OFFLINE_DAYS_ENV, "").strip()
    if not raw:
        return timedelta(days=DEFAULT_OFFLINE_DAYS)
    try:
        days = int(raw)
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_OFFLINE_DAYS:
        log.warning(
            "%s=%r is not 1-%d days; using %d",
            OFFLINE_DAYS_ENV,
            raw,
            MAX_OFFLINE_DAYS,
            DEFAULT_OFFLINE_DAYS,
        )
        days = DEFAULT_OFFLINE_DAYS
    return timedelta(days=days)


def _utc(moment: datetime) -> datetime:
    """An aware UTC datetime of a database value (naive UTC) or an aware one."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else _utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def china_time(moment: datetime) -> str:
    """``2026-12-04 15:30（北京时间）``: how a time is shown to the person checking a report."""
    return (_utc(moment) + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M") + "（北京时间）"


def _result(
    report_no: str,
    status: ReportStatus,
    reason: str,
    fields: ReportQrFields | None = None,
    issued: IssuedReport | None = None,
    device: Device | None = None,
) -> ReportVerifyResult:
    return ReportVerifyResult(
        genuine=status is ReportStatus.GENUINE,
        status=status,
        reason=reason,
        report_no=report_no,
        uscc=fields.uscc if fields else None,
        issued_at=fields.issued_at if fields else None,
        device_id=fields.device_id if fields else None,
        registered=issued is not None,
        registered_at=_iso(issued.registered_at) if issued is not None else None,
        not_valid_after=_iso(device.revoked_at) if device is not None else None,
    )


def verify_report(
    session: Session, report_no: str, payload: str, at: datetime | None = None
) -> ReportVerifyResult:
    """What the platform can say about a report number and its QR text; never raises.

    Args:
        session: A read transaction.
        report_no: The number printed on the report.
        payload: The QR code's text.
        at: The platform's time of the check (default now).

    Returns:
        ``status`` ``genuine`` only for a payload with the same number and a valid signature
        by its enrolled device that the platform registered in time (see the module).
    """
    moment = _utc(at or now())
    days = offline_window().days
    try:
        fields, signature = decode_payload(payload)
    except ValueError:
        return _result(report_no, ReportStatus.UNREADABLE, GARBAGE)
    if fields.report_no != report_no.strip():
        return _result(report_no, ReportStatus.FORGED, NUMBER_MISMATCH, fields)
    device = session.get(Device, fields.device_id)
    if device is None:
        return _result(report_no, ReportStatus.UNKNOWN, UNKNOWN_DEVICE, fields)
    if not verify_signature(device.public_key, signature, signing_message(fields)):
        return _result(report_no, ReportStatus.FORGED, BAD_SIGNATURE, fields)
    issued = session.get(IssuedReport, fields.report_no)
    if issued is not None and issued.payload != payload.strip():
        return _result(report_no, ReportStatus.FORGED, REGISTERED_DIFFERENT, fields, issued)
    issued_at = fields.issued_datetime()
    shown = china_time(issued_at)
    if issued_at > moment + CLOCK_ALLOWANCE:
        return _result(report_no, ReportStatus.UNKNOWN, FUTURE.format(issued=shown), fields, issued)
    revoked = _utc(device.revoked_at) if device.revoked_at is not None else None
    if issued is None:
        if revoked is not None:
            text = NOT_VALID_AFTER.format(revoked=china_time(revoked))
            return _result(report_no, ReportStatus.NOT_VALID_AFTER, text, fields, None, device)
        template = PENDING if moment <= issued_at + offline_window() else NEVER_REGISTERED
        text = template.format(issued=shown, days=days)
        return _result(report_no, ReportStatus.UNKNOWN, text, fields)
    registered = _utc(issued.registered_at)
    when = {"issued": shown, "registered": china_time(registered), "days": days}
    if registered < issued_at - CLOCK_ALLOWANCE:
        text = REGISTERED_BEFORE_ISSUE.format(**when)
        return _result(report_no, ReportStatus.UNKNOWN, text, fields, issued)
    if registered > issued_at + offline_window():
        return _result(
            report_no, ReportStatus.UNKNOWN, REGISTERED_LATE.format(**when), fields, issued
        )
    if issued.withdrawn_at is not None:
        text = WITHDRAWN.format(withdrawn=china_time(issued.withdrawn_at))
        answer = _result(report_no, ReportStatus.NOT_VALID_AFTER, text, fields, issued)
        return answer.model_copy(update={"not_valid_after": _iso(issued.withdrawn_at)})
    if revoked is not None and revoked <= registered:
        text = NOT_VALID_AFTER.format(revoked=china_time(revoked))
        return _result(report_no, ReportStatus.NOT_VALID_AFTER, text, fields, issued, device)
    text = GENUINE.format(**when)
    if revoked is not None:
        text += REVOKED_LATER.format(revoked=china_time(revoked))
    return _result(report_no, ReportStatus.GENUINE, text, fields, issued, device)


# --- registration ---------------------------------------------------------------------------


def _refuse_foreign_report(session: Session, device: Device, space: NumberSpace) -> None:
    own = device_segment(device.id)
    if space.owner != own:
        raise ApiError(
            403,
            ReasonCode.NUMBER_NOT_OWNED,
            f"报告编号属于另一台设备的编号段（{space.owner}），本设备（{own}）只能登记"
            "自己编号段内的报告。请在出具该报告的设备上同步。",
        )
    holder = session.scalars(
        select(Device.id)
        .where(func.upper(func.substr(Device.id, 1, 8)) == own)
        .order_by(Device.enrolled_at, Device.id)
        .limit(1)
    ).first()
    if holder is not None and holder != device.id:
        raise ApiError(
            403,
            ReasonCode.NUMBER_NOT_OWNED,
            f"编号段 {own} 已属于先在平台登记的另一台设备，本设备不能使用。"
            "请联系管理员注销本设备，重新登录后客户端会生成新的设备编号。",
        )


def _refuse_foreign_letter(
    session: Session, user: User, space: NumberSpace, fields: ReportQrFields
) -> None:
    candidates = session.scalars(
        select(Record).where(
            Record.collection.in_(LETTER_COLLECTIONS[space.prefix]),
            func.upper(func.substr(Record.record_id, 1, 8)) == space.owner,
            Record.deleted.is_(False),
        )
    ).all()
    if any(
        user.hall_id and r.hall_id == user.hall_id and r.entity_uscc in (None, fields.uscc)
        for r in candidates
    ):
        return
    if candidates:
        raise ApiError(
            403,
            ReasonCode.NUMBER_NOT_OWNED,
            f"文书编号 {fields.report_no} 对应的申请不是本服务大厅受理的（或不是统一社会信用代码 "
            f"{fields.uscc} 的申请），本设备不能登记。请由受理该申请的服务大厅出具文书。",
        )
    raise ApiError(
        409,
        ReasonCode.RECORD_MISSING,
        f"平台尚未收到文书编号 {fields.report_no} 对应的申请，暂不能登记。"
        "请先同步该申请；下次同步时客户端会自动重新登记。",
    )


def _refuse_foreign_number(
    session: Session, user: User, device: Device, fields: ReportQrFields
) -> None:
    """403 ``number_not_owned`` unless the number is in the caller's own number space."""
    space = number_space(fields.report_no)
    if space is None:
        raise ApiError(
            422,
            ReasonCode.PAYLOAD_INVALID,
            f"报告编号 {fields.report_no} 不是本系统的编号格式（信用报告为 XYBG-日期-设备号-序号，"
            "文书为 XS/XJ/XC/YS/YJ-申请编号）。请用客户端重新出具。",
        )
    if space.kind == "letter":
        _refuse_foreign_letter(session, user, space, fields)
        return
    _refuse_foreign_report(session, device, space)
    day = datetime.strptime(space.day, "%Y%m%d").date()
    if abs((day - fields.issued_datetime().date()).days) > 1:  # local dates are ±1 day of UTC
        raise ApiError(
            422,
            ReasonCode.PAYLOAD_INVALID,
            f"报告编号中的日期 {space.day} 与出具时间 {fields.issued_at} 不符。请重新出具报告。",
        )


def _refuse_out_of_window(fields: ReportQrFields, moment: datetime) -> None:
    issued_at = fields.issued_datetime()
    if issued_at > moment + CLOCK_ALLOWANCE:
        raise ApiError(
            422,
            ReasonCode.PAYLOAD_INVALID,
            f"报告的出具时间 {china_time(issued_at)}晚于平台当前时间 {china_time(moment)}，"
            "本机时钟可能不准。请校正本机日期和时间后重新出具报告。",
        )
    if moment > issued_at + offline_window():
        raise ApiError(
            409,
            ReasonCode.REGISTRATION_LATE,
            f"报告出具于 {china_time(issued_at)}，已超过 {offline_window().days} 天的离线登记期限，"
            "平台不再登记，核验时将显示“无法确认”。请重新出具报告，并在出具后及时同步。",
        )


def register_report(
    session: Session,
    user: User,
    device: Device,
    body: ReportRegistration,
    at: datetime | None = None,
) -> tuple[ReportVerifyResult, bool]:
    """Store a report the calling device issued, at the platform's own time.

    Args:
        session: A write transaction.
        user: The caller's account (a letter must be of its hall).
        device: The caller's device (the payload must name it; the number must be its own).
        body: Report number and QR text.
        at: The platform's time of registration (default now).

    Returns:
        The verification of the stored report, and whether it was new (``False``: the same
        payload was registered before, nothing changed).

    Raises:
        ApiError: 422 ``payload_invalid`` / ``signature_invalid``; 403 ``device_mismatch``
            (another device's payload) or ``number_not_owned`` (another device's or hall's
            number); 409 ``record_missing`` (the letter's record has not arrived yet),
            ``report_conflict`` (another payload under the same number) or
            ``registration_late`` (past the offline window).
    """
    moment = _utc(at or now())
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
    _refuse_foreign_number(session, user, device, fields)
    existing = session.get(IssuedReport, fields.report_no)
    if existing is None:
        _refuse_out_of_window(fields, moment)
        try:
            # A savepoint: a concurrent registration of the same number must end in 409/200,
            # not in a failed transaction.
            with session.begin_nested():
                row = IssuedReport(
                    report_no=fields.report_no,
                    device_id=device.id,
                    payload=payload,
                    registered_at=moment.replace(tzinfo=None),
                )
                session.add(row)
        except IntegrityError:
            existing = session.get(IssuedReport, fields.report_no)
        else:
            return verify_report(session, fields.report_no, payload, moment), True
    if existing is None or existing.payload != payload:
        raise ApiError(
            409,
            ReasonCode.REPORT_CONFLICT,
            f"报告编号 {fields.report_no} 已登记为另一份报告，编号不能重复使用。"
            "请重新生成报告编号。",
        )
    return verify_report(session, fields.report_no, payload, moment), False


# --- withdrawal -----------------------------------------------------------------------------


def withdraw_reports(
    session: Session,
    reason: str,
    *,
    report_no: str | None = None,
    device_id: str | None = None,
    at: datetime | None = None,
) -> int:
    """Withdraw registrations: one report, or every report a (lost) device registered.

    A withdrawn report verifies as ``not_valid_after`` (the withdrawal time) and its public page
    reads 已作废. Withdrawing again changes nothing (the first time and reason stay).

    Args:
        session: A write transaction.
        reason: Why (kept for staff; never shown on the public page).
        report_no: The one report to withdraw.
        device_id: Withdraw every registered report of this device.
        at: The platform's time (default now).

    Returns:
        How many registrations were withdrawn now.
    """
    moment = _utc(at or now()).replace(tzinfo=None)
    stmt = select(IssuedReport).where(IssuedReport.withdrawn_at.is_(None))
    if report_no is not None:
        stmt = stmt.where(IssuedReport.report_no == report_no)
    if device_id is not None:
        stmt = stmt.where(IssuedReport.device_id == device_id)
    if report_no is None and device_id is None:
        return 0
    rows = session.scalars(stmt.with_for_update()).all()
    for row in rows:
        row.withdrawn_at = moment
        row.withdrawn_reason = reason
    return len(rows)
