"""Anyone checks a printed report: by number and check code, without an account (issue #19).

A report's QR code holds ``https://<platform>/V/<number>/<check code>``
(:func:`sync.protocol.report_payload.verify_url`); the check code is 50 bits of SHA-256 over the
report's signature, so only someone holding the printed report knows it. The platform finds
the registered payload by number, recomputes the code from the registered signature and
compares in constant time; only then does it run the usual verification
(:func:`platform_server.report_verify.verify_report`) and say one word:

* 真实有效 (``genuine``): signed by its enrolled device and registered in time;
* 已作废 (``not_valid_after``): the device was revoked before the report was registered, or an
  administrator withdrew the registration;
* 无法核验 (anything else): no registered report with that number *and* check code, not
  registered (in time), forged.

No enumeration: an unknown number and a wrong check code take the same path (a decoy payload
stands in for the missing row, the code is computed and compared either way) and give the same
answer, which repeats only what was typed. Lookups are rate-limited per source in the database
with the login limiter (:func:`platform_server.security.begin_login_attempt`, its own row key),
so guessing 50 bits is out of reach.

What a public answer shows is only: the word, the report number, the entity's name, the issuing
body (the service hall of the device's account) and the issue date — never grades or records.
"""

from __future__ import annotations

import hmac
import os
from datetime import timedelta

from sqlalchemy.orm import Session

from platform_server.models import Device, Hall, IssuedReport, Record, User
from platform_server.records import loads
from platform_server.report_verify import offline_window, verify_report
from sync.protocol import ReportStatus
from sync.protocol.report_check import ReportCheckAnswer, ReportVerdict, verdict_of
from sync.protocol.report_payload import (
    ReportQrFields,
    check_code,
    decode_payload,
    encode_payload,
    normalize_check_code,
)

__all__ = [
    "LIMIT_ENV",
    "RATE_KEY",
    "WINDOW_ENV",
    "check_by_code",
    "check_by_payload",
    "rate_limit",
    "verdict_words",
]

RATE_KEY = "#public-verify"
"""The ``login_failures.username`` under which public lookups are counted (no account has it)."""
LIMIT_ENV = "CREDIT_PLATFORM_PUBLIC_VERIFY_LIMIT"
WINDOW_ENV = "CREDIT_PLATFORM_PUBLIC_VERIFY_WINDOW_S"
DEFAULT_LIMIT = 30
DEFAULT_WINDOW_S = 600

WORDS = {
    ReportVerdict.GENUINE: "真实有效",
    ReportVerdict.UNVERIFIABLE: "无法核验",
    ReportVerdict.VOID: "已作废",
}
MAPPING = (
    "核验结果只有三种：签名有效且已按期在平台登记的报告为“真实有效”；"
    "签发设备在登记前已被注销或登记已被撤销的报告为“已作废”；"
    "查不到编号与核验码相符、按期登记的报告为“无法核验”。"
)
GENUINE_TEXT = (
    "该报告由平台登记的设备签名，并已按期在平台登记。"
    "请核对纸质报告上的报告编号、主体名称、出具单位和出具日期与本页一致。"
)
VOID_TEXT = "该报告已不再有效。请向出具单位核实，或请其重新出具报告。"
UNVERIFIABLE_TEXT = (
    "平台没有查到与该报告编号和核验码相符、按期登记的报告：可能是编号或核验码输错、"
    "报告出具后尚未联网登记（最长 {days} 天），或报告不是本系统出具的。"
    "请核对后重试；仍无法核验请向出具单位核实。"
)
NO_ISSUER = "（平台未登记出具单位）"
NO_ENTITY = "（平台未收录该主体名称）"

# A well-formed payload standing in for a missing row, so an unknown number takes the same
# path as a wrong check code: decode, compute the code, compare.
_DECOY = encode_payload(
    ReportQrFields(
        report_no="XYBG-20000101-00000000-0000",
        uscc="91140400000000000X",
        issued_at="2000-01-01T00:00:00Z",
        content_digest="0" * 64,
        device_id="decoy-device",
    ),
    os.urandom(64),
)


def _env_int(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        return default
    return value if low <= value <= high else default


def rate_limit() -> tuple[int, int]:
    """``(lookups, window seconds)`` a source may make before it waits out the window.

    ``CREDIT_PLATFORM_PUBLIC_VERIFY_LIMIT`` (default 30, 1–10000) and
    ``CREDIT_PLATFORM_PUBLIC_VERIFY_WINDOW_S`` (default 600, 10–86400).
    """
    return (
        _env_int(LIMIT_ENV, DEFAULT_LIMIT, 1, 10000),
        _env_int(WINDOW_ENV, DEFAULT_WINDOW_S, 10, 86400),
    )


def verdict_words(verdict: ReportVerdict) -> str:
    """真实有效 / 无法核验 / 已作废."""
    return WORDS[verdict]


def clean_number(text: str) -> str:
    """A typed report number as the platform files it: trimmed, upper case, at most 64 chars."""
    return "".join(text.split()).upper()[:64]


def _unverifiable(report_no: str, status: ReportStatus = ReportStatus.UNKNOWN) -> ReportCheckAnswer:
    return ReportCheckAnswer(
        verdict=ReportVerdict.UNVERIFIABLE,
        status=status,
        report_no=report_no,
        explanation=UNVERIFIABLE_TEXT.format(days=offline_window().days),
    )


def _facts(session: Session, device_id: str, uscc: str) -> tuple[str, str]:
    """The entity's name and the issuing body, as the platform knows them."""
    entity = session.get(Record, ("entities", uscc))
    data = loads(entity.data) if entity is not None and not entity.deleted else None
    name = str(data.get("name") or "").strip() if isinstance(data, dict) else ""
    issuer = ""
    device = session.get(Device, device_id)
    user = session.get(User, device.user_id) if device is not None else None
    if user is not None and user.hall_id:
        hall = session.get(Hall, user.hall_id)
        issuer = hall.name if hall is not None else ""
    return name or NO_ENTITY, issuer or NO_ISSUER


def _answer(session: Session, report_no: str, payload: str) -> ReportCheckAnswer:
    """The answer for a payload the caller proved to hold (matching code, or the payload)."""
    result = verify_report(session, report_no, payload)
    verdict = verdict_of(result.status)
    if verdict is ReportVerdict.UNVERIFIABLE:
        return _unverifiable(report_no, result.status)
    fields, _signature = decode_payload(payload)
    name, issuer = _facts(session, fields.device_id, fields.uscc)
    day = (fields.issued_datetime() + timedelta(hours=8)).strftime("%Y年%m月%d日")
    return ReportCheckAnswer(
        verdict=verdict,
        status=result.status,
        report_no=fields.report_no,
        entity_name=name,
        issuer=issuer,
        issued_on=day,
        explanation=GENUINE_TEXT if verdict is ReportVerdict.GENUINE else VOID_TEXT,
    )


def check_by_code(session: Session, report_no: str, code_text: str) -> ReportCheckAnswer:
    """Check a report by number and check code (the public page and ``POST /v1/reports/check``).

    An unknown number and a wrong or malformed code give the same answer by the same path.

    Args:
        session: A read transaction.
        report_no: The number as scanned or typed (trimmed and upper-cased here).
        code_text: The check code as scanned or typed (:func:`normalize_check_code`).
    """
    number = clean_number(report_no)
    given = normalize_check_code(code_text) or "-" * 11
    issued = session.get(IssuedReport, number) if len(number) >= 4 else None
    _fields, signature = decode_payload(issued.payload if issued is not None else _DECOY)
    matched = hmac.compare_digest(check_code(signature).encode(), given.encode())
    if issued is None or not matched:
        return _unverifiable(number)
    return _answer(session, number, issued.payload)


def check_by_payload(session: Session, report_no: str, payload: str) -> ReportCheckAnswer:
    """Check a report by its old ``CDR1.`` QR text (staff only: the payload is the proof).

    The payload proves the caller holds the report, so its verification is told as is: an
    unregistered report of a device revoked before registering it reads 已作废 too.
    """
    number = clean_number(report_no)
    try:
        decode_payload(payload)
    except ValueError:
        return _unverifiable(number, ReportStatus.UNREADABLE)
    return _answer(session, number, payload.strip())
