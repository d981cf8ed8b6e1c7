"""诚信教育 printed forms: the attendance sheet (签到表) and the attendance certificate (参训证明).

Both builders take the forms as the store keeps them (plain mappings of the
``education_sessions`` and ``attendance`` fields) and return a :class:`Document`; they are
pure, so the same input prints the same page. Phone numbers are always printed with their
middle digits masked; identity numbers are printed as stored (the service stores them masked
unless the profile keeps them in full) and masked again here, so no full identity number
reaches paper.

Every form says that the session is free and that attending is not a precondition of any
approval: integrity education must never become a hurdle to market entry (DOMAIN.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from desktop_app.domain import person_id
from desktop_app.domain.clock import CHINA_TZ, china_today
from desktop_app.reports.document import (
    Document,
    KeyValues,
    Paragraph,
    Section,
    SignatureForm,
    SignatureLine,
    Table,
)

SHEET_DOC_TYPE = "education_attendance_sheet"
CERTIFICATE_DOC_TYPE = "education_certificate"
SHEET_TITLE = "诚信教育培训签到表"
CERTIFICATE_TITLE = "诚信教育参训证明"
FREE_NOTICE = (
    "本次诚信教育为免费公益培训，不收取任何费用；是否参训不作为办理行政许可、登记注册"
    "及其他审批事项的前置条件，不影响市场准入。"
)
SHEET_COLUMNS = (
    "序号",
    "主体名称",
    "统一社会信用代码",
    "参训人",
    "身份",
    "联系电话",
    "签到时间",
    "签名",
)
SHEET_WIDTHS = (6, 18, 23, 9, 12, 14, 8, 10)
BLANK_ROWS = 3
"""Empty lines at the end of the sheet for walk-ins written by hand."""

__all__ = [
    "CERTIFICATE_DOC_TYPE",
    "FREE_NOTICE",
    "SHEET_COLUMNS",
    "SHEET_DOC_TYPE",
    "build_attendance_certificate",
    "build_attendance_sheet",
    "certificate_number",
    "mask_id_number",
    "mask_phone",
    "sheet_number",
]


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def mask_phone(phone: str) -> str:
    """A phone number with its middle digits hidden (``138****5678``); empty stays empty."""
    digits = _text(phone)
    if len(digits) < 7:
        return "*" * len(digits)
    keep_head = 3 if len(digits) <= 11 else len(digits) - 8
    return digits[:keep_head] + "*" * (len(digits) - keep_head - 4) + digits[-4:]


def mask_id_number(id_number: str) -> str:
    """An 18-character identity number as ``140402********123X`` (already masked ones kept).

    The rule is :func:`desktop_app.domain.person_id.mask_id_number`.
    """
    return person_id.mask_id_number(_text(id_number))


def _date_text(value: Any) -> str:
    text = _text(value)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day.year}年{day.month}月{day.day}日"


def _time_range(session: Mapping[str, Any]) -> str:
    start, end = _text(session.get("start_time")), _text(session.get("end_time"))
    if start and end:
        return f"{start}—{end}"
    return start or end


def _clock(checked_in_at: Any) -> str:
    text = _text(checked_in_at)
    try:
        return datetime.fromisoformat(text).strftime("%H:%M")
    except ValueError:
        return text


def _compact_day(session: Mapping[str, Any]) -> str:
    return _text(session.get("held_on")).replace("-", "")


def sheet_number(session_id: str, session: Mapping[str, Any]) -> str:
    """The number printed on a session's sheet (the same for every reprint)."""
    return f"JYQD-{_compact_day(session)}-{session_id[:8].upper()}"


def certificate_number(attendance_id: str, session: Mapping[str, Any]) -> str:
    """The number printed on an attendee's certificate (the same for every reprint)."""
    return f"JYZM-{_compact_day(session)}-{attendance_id[:8].upper()}"


def _session_facts(session: Mapping[str, Any], attendees: int) -> KeyValues:
    capacity = session.get("capacity")
    count = f"{attendees} 人" + (f"（可容纳 {capacity} 人）" if capacity else "")
    materials = "；".join(_text(m) for m in session.get("materials") or () if _text(m))
    return KeyValues(
        (
            ("培训主题", _text(session.get("title"))),
            ("培训日期", _date_text(session.get("held_on"))),
            ("培训时间", _time_range(session) or "—"),
            ("培训地点", _text(session.get("place")) or "—"),
            ("主讲人", _text(session.get("facilitator")) or "—"),
            ("签到人数", count),
            ("培训材料", materials or "—"),
        ),
        columns=2,
    )


def _entity(attendee: Mapping[str, Any]) -> str:
    return _text(attendee.get("entity_name")) or "（未登记主体）"


def build_attendance_sheet(
    session: Mapping[str, Any],
    attendees: Sequence[Mapping[str, Any]],
    *,
    session_id: str = "",
    hall: str = "",
    printed_at: datetime | None = None,
) -> Document:
    """The 签到表 of one session: its facts, one line per attendee, and signatures.

    Args:
        session: The ``education_sessions`` fields (title, held_on, start_time, end_time,
            place, facilitator, materials, capacity).
        attendees: The ``attendance`` fields of its attendees, in check-in order.
        session_id: The session's record id (for the sheet number).
        hall: The service hall printed in the heading and at the signature.
        printed_at: When the sheet is printed (local); now when omitted.

    Returns:
        The document; the 签名 column is left empty for handwriting, and a few blank lines
        follow for walk-ins.
    """
    moment = printed_at or datetime.now(CHINA_TZ)
    rows = [
        (
            str(n),
            _entity(a),
            _text(a.get("uscc")) or "—",
            _text(a.get("attendee_name")),
            _text(a.get("role")),
            mask_phone(_text(a.get("phone"))),
            _clock(a.get("checked_in_at")),
            "",
        )
        for n, a in enumerate(attendees, start=1)
    ]
    start = len(rows) + 1
    rows += [(str(n), "", "", "", "", "", "", "") for n in range(start, start + BLANK_ROWS)]
    heading = f"{_text(hall)}  " if _text(hall) else ""
    sections = (
        Section(
            "培训信息",
            (
                Paragraph(f"{heading}{SHEET_TITLE}", style="heading", align="center"),
                _session_facts(session, len(attendees)),
                Paragraph(FREE_NOTICE, style="note"),
            ),
        ),
        Section(
            "参训人员签到",
            (
                Table(
                    SHEET_COLUMNS,
                    tuple(rows),
                    widths=SHEET_WIDTHS,
                    caption="联系电话已隐去中间数字；请参训人在“签名”栏亲笔签名。",
                ),
                *((Paragraph(f"组织单位：{_text(hall)}", align="right"),) if _text(hall) else ()),
                SignatureForm(
                    (
                        SignatureLine("主讲人（签字）"),
                        SignatureLine("组织单位（盖章）", dated=True),
                    )
                ),
            ),
        ),
    )
    return Document(
        doc_type=SHEET_DOC_TYPE,
        title=SHEET_TITLE,
        number=sheet_number(session_id, session) if session_id else _compact_day(session),
        issued_at=moment.strftime("%Y-%m-%d %H:%M:%S"),
        sections=sections,
        subject=_text(session.get("title")),
    )


def build_attendance_certificate(
    session: Mapping[str, Any],
    attendee: Mapping[str, Any],
    *,
    attendance_id: str = "",
    issuing_unit: str = "",
    issued_on: date | None = None,
) -> Document:
    """The 参训证明 of one attendee.

    Args:
        session: The ``education_sessions`` fields of the session attended.
        attendee: The ``attendance`` fields of the attendee.
        attendance_id: The attendance record id (for the certificate number).
        issuing_unit: The service hall issuing the certificate (printed at the signature).
        issued_on: The issue date; today when omitted.

    Returns:
        The document: who (person and entity) attended which free session, when and where,
        that attending is not a precondition of any approval, and a signature block.
    """
    day = issued_on or china_today()
    name = _text(attendee.get("attendee_name"))
    uscc = _text(attendee.get("uscc"))
    entity = _entity(attendee)
    role = _text(attendee.get("role"))
    id_number = mask_id_number(_text(attendee.get("id_number")))
    who = f"{entity}（统一社会信用代码：{uscc}）" if uscc else entity
    person = f"{role}{name}" if role and role != "其他" else name
    if id_number:
        person += f"（身份证号码：{id_number}）"
    when = _date_text(session.get("held_on"))
    if _time_range(session):
        when += f" {_time_range(session)}"
    place = _text(session.get("place"))
    where = f"在{place}" if place else ""
    title = _text(session.get("title"))
    unit = _text(issuing_unit)
    facts = KeyValues(
        (
            ("培训主题", title),
            ("培训日期", _date_text(session.get("held_on"))),
            ("培训时间", _time_range(session) or "—"),
            ("培训地点", place or "—"),
            ("主讲人", _text(session.get("facilitator")) or "—"),
            ("参训人", name),
            ("所属主体", entity),
            ("统一社会信用代码", uscc or "—"),
        ),
        columns=2,
    )
    statement: list[Paragraph | SignatureForm] = [
        Paragraph(CERTIFICATE_TITLE, style="heading", align="center"),
        Paragraph(f"兹证明{who}{person}于{when}{where}参加了主题为“{title}”的诚信教育培训。"),
        Paragraph(FREE_NOTICE),
        Paragraph("特此证明。"),
    ]
    if unit:
        statement.append(Paragraph(f"出具单位：{unit}", align="right"))
    statement += [
        Paragraph(f"出具日期：{day.year}年{day.month}月{day.day}日", align="right"),
        SignatureForm((SignatureLine("出具单位（盖章）"), SignatureLine("经办人（签字）"))),
    ]
    number = certificate_number(attendance_id, session) if attendance_id else _compact_day(session)
    return Document(
        doc_type=CERTIFICATE_DOC_TYPE,
        title=CERTIFICATE_TITLE,
        number=number,
        issued_at=day.isoformat(),
        sections=(Section("培训信息", (facts,)), Section("证明事项", tuple(statement))),
        subject=name,
    )
