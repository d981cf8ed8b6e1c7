"""The four letters of 信用修复 and 异议 as document models (plain data, no Qt, no database).

DOMAIN.md "Credit repair" and "Objections" (seed 三(十一), 四(十五)); the rules themselves are
:mod:`desktop_app.domain.repair`. What each letter says:

* :func:`repair_receipt` — 信用修复申请受理回执, handed over at the window: the application, the
  失信 record it targets, the way of repair, the materials received, the unit that decides and
  the working-day deadline (as a date), what happens next; the applicant and the window clerk
  sign it.
* :func:`repair_decision` — 信用修复决定书 (准予修复: the record stops being published from the
  decision date and the joint punishment tied to it ends) or 不予修复决定书 (the reasons; the
  applicant may apply again and may seek remedy by law); the deciding unit stamps it.
* the two objection letters (异议申请受理回执, 异议处理结果告知书) are
  :mod:`desktop_app.reports.objection_letters`, built from the parts and checks here.

The layout follows the commitment letter (:mod:`desktop_app.reports.commitment_letter`): a
number in every header, the issue time in every footer, the facts as a grid, the text in
Chinese, the issuing body in the facts and on the stamp line, and a signature form. Every
builder first checks its facts (:meth:`RepairReceiptFacts.check` …) and refuses, with a
Chinese :class:`RepairLetterError`, facts that would print a wrong letter. Builders are pure:
the same facts give the same document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from desktop_app.domain import disclosure
from desktop_app.domain.repair import ObjectionOutcome, RepairOutcome, RepairWay
from desktop_app.reports.document import (
    Block,
    Document,
    KeyValues,
    Paragraph,
    Section,
    SignatureForm,
    SignatureLine,
    Table,
)

REPAIR_RECEIPT_DOC_TYPE = "repair_receipt"
REPAIR_DECISION_DOC_TYPE = "repair_decision"
OBJECTION_RECEIPT_DOC_TYPE = "objection_receipt"
OBJECTION_RESULT_DOC_TYPE = "objection_result"
REPAIR_RECEIPT_TITLE = "信用修复申请受理回执"
REPAIR_GRANTED_TITLE = "信用修复决定书"
REPAIR_REFUSED_TITLE = "不予修复决定书"
OBJECTION_RECEIPT_TITLE = "异议申请受理回执"
OBJECTION_RESULT_TITLE = "异议处理结果告知书"
REPAIR_RECEIPT_PREFIX = "XS"
REPAIR_DECISION_PREFIX = "XJ"
OBJECTION_RECEIPT_PREFIX = "YS"
OBJECTION_RESULT_PREFIX = "YJ"
"""Prefixes for :func:`document_number` when a letter is numbered after its record id."""

QR_CAPTION = "扫码核验文书真伪"
"""The QR code's caption, carried for when an issuer signs a letter (``Document.with_qr``).

The renderer prints a caption only under a cover's code; these letters have no cover, so a
signed one shows its code in the footer, uncaptioned, as the commitment letter would."""

PUBLICATION_SITE = "“信用中国（山西长治）”网站"
MIN_REASON_CHARS = 4
"""As :func:`desktop_app.domain.repair.repair_effect`: a decision states at least 4 characters."""
WORKING_DAYS_NOTE = "期限按工作日计算，不含法定节假日和休息日，受理当日不计入。"
REMEDY_BY_LAW = "对本决定不服的，可以依法申请行政复议或者提起行政诉讼。"
OBJECTION_MARK = "异议处理中"

__all__ = [
    "OBJECTION_RECEIPT_DOC_TYPE",
    "OBJECTION_RECEIPT_PREFIX",
    "OBJECTION_RECEIPT_TITLE",
    "OBJECTION_RESULT_DOC_TYPE",
    "OBJECTION_RESULT_PREFIX",
    "OBJECTION_RESULT_TITLE",
    "QR_CAPTION",
    "REPAIR_DECISION_DOC_TYPE",
    "REPAIR_DECISION_PREFIX",
    "REPAIR_GRANTED_TITLE",
    "REPAIR_RECEIPT_DOC_TYPE",
    "REPAIR_RECEIPT_PREFIX",
    "REPAIR_RECEIPT_TITLE",
    "REPAIR_REFUSED_TITLE",
    "RepairDecisionFacts",
    "RepairLetterError",
    "RepairReceiptFacts",
    "chinese_date",
    "document_number",
    "repair_commitment",
    "repair_decision",
    "repair_receipt",
]


class RepairLetterError(ValueError):
    """The facts would print a wrong letter; ``str(err)`` says (in Chinese) what to fill in."""


@dataclass(frozen=True, kw_only=True)
class RepairReceiptFacts:
    """Everything the 信用修复申请受理回执 prints.

    Attributes:
        number: 受理编号, the application's number (printed in every header).
        entity_name: 申请单位.
        uscc: Its 统一社会信用代码.
        applicant_name: Who applied for the entity.
        applicant_role: ``法定代表人`` / ``委托代理人`` …, or empty.
        applicant_phone: A phone number, or empty.
        record_title: The 失信 record: what it is about (e.g. the penalty's matter).
        record_no: The record's document number (处罚决定书文号 …), or empty.
        record_decided_on: The record's decision date (认定日期).
        record_severity: 轻微 / 一般 / 严重 (the label or the code of
            :class:`desktop_app.domain.disclosure.Severity`).
        way: The way of repair.
        materials: Names of the materials received, in the order listed.
        received_on: The day the window received the application.
        due_on: The last day for the decision (:func:`desktop_app.domain.repair.due_date`).
        due_working_days: The time limit in working days, printed beside the date; None to
            print the date alone.
        deciding_unit: The unit that made the record and decides the application.
        receiving_unit: The unit whose window took the application (issues the receipt).
        clerk: The window clerk (经办人), or empty to write in by hand.
        issued_at: When the receipt is printed (aware; printed as its wall-clock time).
        watermark: Text over every page (e.g. 作废), or empty.
        commitment_id: The 信用修复承诺 commitment form's id: the 承诺书 is numbered after
            it (``XC-…``); empty to number it after the application.
    """

    number: str
    entity_name: str
    uscc: str
    applicant_name: str
    applicant_role: str = ""
    applicant_phone: str = ""
    record_title: str
    record_no: str = ""
    record_decided_on: date
    record_severity: str
    way: RepairWay
    materials: tuple[str, ...]
    received_on: date
    due_on: date
    due_working_days: int | None = None
    deciding_unit: str
    receiving_unit: str
    clerk: str = ""
    issued_at: datetime
    watermark: str = ""
    commitment_id: str = ""

    def check(self) -> None:
        """Raise :class:`RepairLetterError` for facts that would print a wrong receipt."""
        _require(self.number, "请填写受理编号。")
        _check_entity(self.entity_name, self.uscc)
        _require(self.applicant_name, "请填写申请人姓名。")
        _check_record(self.record_title, self.record_decided_on, self.received_on)
        _severity_label(self.record_severity)
        _way(self.way)
        if not self.materials or any(not m.strip() for m in self.materials):
            raise RepairLetterError("请逐项登记收到的申请材料（至少一项，名称不能为空）。")
        _check_due(self.received_on, self.due_on, self.due_working_days)
        _require(self.deciding_unit, "请填写作出决定的单位（作出失信认定的单位）。")
        _require(self.receiving_unit, "请填写受理单位（将印在回执和盖章处）。")
        _check_issued(self.issued_at)


@dataclass(frozen=True, kw_only=True)
class RepairDecisionFacts:
    """Everything the 信用修复决定书 or 不予修复决定书 prints.

    Attributes:
        number: The decision's number (printed in every header).
        application_no: 受理编号 of the application decided.
        entity_name: 申请单位.
        uscc: Its 统一社会信用代码.
        record_title: The 失信 record (see :class:`RepairReceiptFacts`).
        record_no: Its document number, or empty.
        record_decided_on: Its decision date.
        record_severity: 轻微 / 一般 / 严重 (label or code).
        way: The way of repair applied for.
        received_on: The day the application was received.
        outcome: 准予修复 or 不予修复.
        reasons: Why (required for both outcomes).
        decided_on: The decision date (publication stops from this day when granted).
        deciding_unit: The unit that decides (printed in the 落款 and on the stamp line).
        issued_at: When the letter is printed (aware).
        watermark: Text over every page, or empty.
    """

    number: str
    application_no: str
    entity_name: str
    uscc: str
    record_title: str
    record_no: str = ""
    record_decided_on: date
    record_severity: str
    way: RepairWay
    received_on: date
    outcome: RepairOutcome
    reasons: str
    decided_on: date
    deciding_unit: str
    issued_at: datetime
    watermark: str = ""

    def check(self) -> None:
        """Raise :class:`RepairLetterError` for facts that would print a wrong decision."""
        _require(self.number, "请填写决定书编号。")
        _require(self.application_no, "请填写所决定申请的受理编号。")
        _check_entity(self.entity_name, self.uscc)
        _check_record(self.record_title, self.record_decided_on, self.received_on)
        _severity_label(self.record_severity)
        _way(self.way)
        outcome = _repair_outcome(self.outcome)
        what = "不予修复" if outcome is RepairOutcome.REFUSED else "准予修复"
        _check_reasons(self.reasons, what)
        _check_decided(self.received_on, self.decided_on)
        _require(self.deciding_unit, "请填写作出决定的单位（将印在落款和盖章处）。")
        _check_issued(self.issued_at)


def document_number(prefix: str, record_id: str) -> str:
    """A printed number: ``<prefix>-<first 8 characters of the record id, upper case>``."""
    return f"{prefix}-{record_id[:8].upper()}"


def chinese_date(day: date) -> str:
    """``2026年3月18日``."""
    return f"{day.year}年{day.month}月{day.day}日"


# Checks -----------------------------------------------------------------------------------


def _require(text: str, message: str) -> str:
    value = (text or "").strip()
    if not value:
        raise RepairLetterError(message)
    return value


def _check_entity(name: str, uscc: str) -> None:
    _require(name, "请填写主体名称。")
    _require(uscc, "请填写统一社会信用代码。")


def _check_record(title: str, decided_on: date | None, received_on: date) -> None:
    _require(title, "请填写所涉信用记录的事项名称。")
    if decided_on is not None and decided_on > received_on:
        raise RepairLetterError("所涉记录的认定日期晚于受理日期，请核对两个日期。")


def _check_due(received_on: date, due_on: date, working_days: int | None) -> None:
    if due_on < received_on:
        raise RepairLetterError("办理期限早于受理日期，请按工作日重新计算办理期限。")
    if working_days is not None and working_days <= 0:
        raise RepairLetterError("办理时限（工作日）应为正数。")


def _check_decided(received_on: date, decided_on: date) -> None:
    if decided_on < received_on:
        raise RepairLetterError("决定日期早于受理日期，请核对。")


def _check_reasons(reasons: str, decision: str) -> None:
    if len((reasons or "").strip()) < MIN_REASON_CHARS:
        raise RepairLetterError(
            f"请填写作出“{decision}”决定的理由（至少{MIN_REASON_CHARS}个字），理由将写入文书。"
        )


def _check_issued(issued_at: datetime) -> None:
    if issued_at.tzinfo is None:
        raise ValueError("issued_at must be timezone-aware")


def _severity_label(severity: str) -> str:
    try:
        level = disclosure.parse_severity(severity)
    except disclosure.DisclosureError:
        raise RepairLetterError(
            f"失信严重程度“{severity}”无法识别，应为轻微、一般或严重。"
        ) from None
    return disclosure.SEVERITY_LABELS[level]


def _way(way: RepairWay | str) -> RepairWay:
    try:
        return RepairWay(way)
    except ValueError:
        raise RepairLetterError(f"修复方式“{way}”无法识别，请重新选择修复方式。") from None


def _repair_outcome(outcome: RepairOutcome | str) -> RepairOutcome:
    try:
        return RepairOutcome(outcome)
    except ValueError:
        raise RepairLetterError("请选择决定：准予修复或不予修复。") from None


def _objection_outcome(outcome: ObjectionOutcome | str) -> ObjectionOutcome:
    try:
        return ObjectionOutcome(outcome)
    except ValueError:
        raise RepairLetterError("请选择处理结果：维持、更正或撤销。") from None


# Pieces -----------------------------------------------------------------------------------


def _issued(moment: datetime) -> str:
    return moment.replace(microsecond=0, tzinfo=None).isoformat(sep=" ")


def _or_dash(text: str) -> str:
    return (text or "").strip() or "—"


def _person(name: str, role: str) -> str:
    return f"{name.strip()}（{role.strip()}）" if role.strip() else name.strip()


def _deadline(due_on: date, working_days: int | None) -> str:
    within = f"，即自受理之日起{working_days}个工作日内" if working_days else ""
    return f"{chinese_date(due_on)}（含当日）前{within}"


def _optional_date(day: date | None) -> str:
    return chinese_date(day) if day is not None else "—"


def _names_table(names: Iterable[str], column: str, empty: str) -> Table:
    rows = tuple((str(i), name.strip()) for i, name in enumerate(names, start=1))
    return Table(("序号", column), rows, (12, 88), empty_text=empty)


def _repair_record(
    title: str, record_no: str, decided_on: date, severity: str, way: RepairWay
) -> KeyValues:
    # Two facts a row; the odd last one (the record's matter, the longest) spans the row.
    return KeyValues(
        (
            ("决定文书编号", _or_dash(record_no)),
            ("认定日期", chinese_date(decided_on)),
            ("失信严重程度", f"{_severity_label(severity)}失信"),
            ("申请修复方式", _way(way).label),
            ("失信记录事项", title.strip()),
        ),
        columns=2,
    )


def _disputed_record(kind: str, title: str, record_no: str, decided_on: date | None) -> KeyValues:
    return KeyValues(
        (
            ("记录类别", _or_dash(kind)),
            ("记录事项", title.strip()),
            ("文书编号", _or_dash(record_no)),
            ("记录日期", _optional_date(decided_on)),
        )
    )


def _party(
    label: str, name: str, uscc: str, *facts: tuple[str, str]
) -> tuple[KeyValues, KeyValues]:
    """Whom a letter is about, on whole rows (long names), then ``facts`` two a row.

    Args:
        label: What the entity is here (申请单位, 异议主体).
        name: Its name.
        uscc: Its 统一社会信用代码.
        facts: Short facts (受理编号, 受理日期 …) as (label, value).
    """
    return (
        KeyValues(((label, name.strip()), ("统一社会信用代码", uscc.strip()))),
        KeyValues(tuple((k, v.strip() or "—") for k, v in facts), columns=2),
    )


def _title(text: str) -> Paragraph:
    """The letter's title, centred above its text (as the commitment letter prints it)."""
    return Paragraph(text, "heading", "center")


def _stamp_lines(decided_on: date, stamp: str, receiver: str) -> SignatureForm:
    """The deciding unit's stamp line, dated, and the receiver's line, dated by hand.

    Alone in the last section, so that the heading and the lines always print together.
    """
    return SignatureForm(
        (
            SignatureLine(stamp, dated=True, date=chinese_date(decided_on)),
            # The receiver signs on receipt: that date is written by hand.
            SignatureLine(receiver, dated=True),
        )
    )


def _document(
    doc_type: str,
    title: str,
    number: str,
    issued_at: datetime,
    sections: tuple[Section, ...],
    watermark: str,
    entity_name: str,
) -> Document:
    return Document(
        doc_type=doc_type,
        title=title,
        number=number.strip(),
        issued_at=_issued(issued_at),
        sections=sections,
        watermark=watermark.strip(),
        qr_caption=QR_CAPTION,
        subject=entity_name.strip(),
    )


# Letters ----------------------------------------------------------------------------------


def repair_receipt(facts: RepairReceiptFacts) -> Document:
    """The 信用修复申请受理回执 handed to the applicant at the window.

    Raises:
        RepairLetterError: The facts would print a wrong receipt (the message says what).
    """
    facts.check()
    received = chinese_date(facts.received_on)
    deadline = _deadline(facts.due_on, facts.due_working_days)
    unit = facts.deciding_unit.strip()
    application = _party(
        "申请单位",
        facts.entity_name,
        facts.uscc,
        ("受理编号", facts.number),
        ("受理日期", received),
        ("申请人", _person(facts.applicant_name, facts.applicant_role)),
        ("联系电话", facts.applicant_phone),
        ("受理单位", facts.receiving_unit),
        ("窗口经办人", facts.clerk),
    )
    intro = Paragraph(
        f"{facts.entity_name.strip()}：你（单位）于{received}提出的信用修复申请，"
        "经初步审查，申请材料齐全，符合受理条件，本窗口予以受理。现出具本回执。"
    )
    sections = (
        Section("受理事项", (_title(REPAIR_RECEIPT_TITLE), intro, *application)),
        Section(
            "申请修复的失信记录",
            (
                _repair_record(
                    facts.record_title,
                    facts.record_no,
                    facts.record_decided_on,
                    facts.record_severity,
                    facts.way,
                ),
            ),
        ),
        Section("已收材料", (_names_table(facts.materials, "材料名称", "无"),)),
        Section(
            "办理期限和后续事项",
            (
                KeyValues((("决定单位", unit), ("决定期限", deadline))),
                Paragraph(
                    f"本申请由{unit}审核，于决定期限内作出准予修复或者不予修复的决定，书面告知"
                    "申请人；需要补充材料的，一次性告知。准予修复的，该失信记录自决定之日起停止"
                    "公示，与其相关的联合惩戒措施相应终止；不予修复的，决定书说明理由。"
                    "决定作出前，该失信记录继续按规定公示。"
                ),
                Paragraph(WORKING_DAYS_NOTE, "note"),
            ),
        ),
        Section(
            "签收",
            (
                Paragraph(
                    "申请人隐瞒真实情况、提供虚假材料或者违反信用修复承诺的，不予修复；"
                    "已经修复的，依规撤销修复决定。",
                    "warning",
                ),
                Paragraph("本回执一式两份，受理窗口和申请人各执一份。"),
                SignatureForm(
                    (
                        SignatureLine("申请人（签字）", dated=True, date=received),
                        SignatureLine("受理窗口经办人（签字）"),
                        SignatureLine("受理单位（盖章）", dated=True, date=received),
                    )
                ),
            ),
        ),
    )
    return _document(
        REPAIR_RECEIPT_DOC_TYPE,
        REPAIR_RECEIPT_TITLE,
        facts.number,
        facts.issued_at,
        sections,
        facts.watermark,
        facts.entity_name,
    )


REPAIR_COMMITMENT_DOC_TYPE = "repair_commitment"
REPAIR_COMMITMENT_TITLE = "信用修复承诺书"
REPAIR_COMMITMENT_PREFIX = "XC"
REPAIR_COMMITMENT_ITEMS = (
    "本单位已纠正上述失信行为，履行了相关法定义务和约定义务，消除了不良影响。",
    "本单位提交的信用修复申请材料真实、准确、完整，不存在隐瞒、虚假情况。",
    "本单位将严格遵守法律法规，诚信经营，自觉接受政府部门和社会监督。",
    "如违背本承诺，本单位自愿接受撤销修复决定、重新公示失信信息等处理，并承担相应法律责任。",
    "本单位同意将本承诺在信用网站向社会公开。",
)
"""The public 信用修复承诺 (NDRC 令第36号: a credit commitment is a condition of repair)."""


def repair_commitment(facts: RepairReceiptFacts) -> Document:
    """The 信用修复承诺书 the applicant signs at intake (a public credit commitment).

    Built from the receipt's facts: the same entity, record and application number.

    Raises:
        RepairLetterError: The facts would print a wrong letter.
    """
    facts.check()
    received = chinese_date(facts.received_on)
    parties = _party(
        "承诺单位",
        facts.entity_name,
        facts.uscc,
        ("修复申请受理编号", facts.number),
        ("承诺人", _person(facts.applicant_name, facts.applicant_role)),
        ("承诺日期", received),
    )
    items = tuple(
        Paragraph(f"{number}. {text}") for number, text in enumerate(REPAIR_COMMITMENT_ITEMS, 1)
    )
    sections = (
        Section("承诺单位", (_title(REPAIR_COMMITMENT_TITLE), *parties)),
        Section(
            "申请修复的失信记录",
            (
                _repair_record(
                    facts.record_title,
                    facts.record_no,
                    facts.record_decided_on,
                    facts.record_severity,
                    facts.way,
                ),
            ),
        ),
        Section("承诺事项", (Paragraph("本单位申请信用修复，郑重承诺："), *items)),
        Section(
            "签署",
            (
                Paragraph(f"本承诺书将随修复决定在{PUBLICATION_SITE}公开。", "note"),
                SignatureForm(
                    (
                        SignatureLine("承诺单位（盖章）", dated=True, date=received),
                        SignatureLine("法定代表人或委托代理人（签字）", dated=True, date=received),
                    )
                ),
            ),
        ),
    )
    return _document(
        REPAIR_COMMITMENT_DOC_TYPE,
        REPAIR_COMMITMENT_TITLE,
        document_number(
            REPAIR_COMMITMENT_PREFIX, facts.commitment_id or facts.number.split("-")[-1]
        ),
        facts.issued_at,
        sections,
        facts.watermark,
        facts.entity_name,
    )


def repair_decision(facts: RepairDecisionFacts) -> Document:
    """The 信用修复决定书 (准予修复) or 不予修复决定书 (不予修复).

    Raises:
        RepairLetterError: The facts would print a wrong decision (the message says what).
    """
    facts.check()
    outcome = _repair_outcome(facts.outcome)
    granted = outcome is RepairOutcome.GRANTED
    title = REPAIR_GRANTED_TITLE if granted else REPAIR_REFUSED_TITLE
    decided = chinese_date(facts.decided_on)
    unit = facts.deciding_unit.strip()
    applicant = _party(
        "申请单位",
        facts.entity_name,
        facts.uscc,
        ("受理编号", facts.application_no),
        ("受理日期", chinese_date(facts.received_on)),
    )
    intro = Paragraph(
        f"{facts.entity_name.strip()}：你（单位）于{chinese_date(facts.received_on)}"
        f"提出的信用修复申请（受理编号：{facts.application_no.strip()}）收悉。"
        "经审核，本单位决定如下："
    )
    decision = KeyValues((("决定", outcome.label), ("决定单位", unit), ("决定日期", decided)))
    reasons = Paragraph(f"理由：{facts.reasons.strip()}")
    if granted:
        effect: tuple[Block, ...] = (
            Paragraph(
                f"自{decided}起，该失信记录停止公示，不再在{PUBLICATION_SITE}和公共信用信息报告中"
                "展示；依据该失信记录实施的联合惩戒措施相应终止。"
            ),
        )
    else:
        effect = (
            Paragraph("该失信记录继续按规定公示，公示期届满后自动停止公示。"),
            Paragraph(
                "你（单位）可在纠正失信行为、履行相关义务后，重新提出信用修复申请。" + REMEDY_BY_LAW
            ),
        )
    sections = (
        Section("申请人", applicant),
        Section(
            "申请修复的失信记录",
            (
                _repair_record(
                    facts.record_title,
                    facts.record_no,
                    facts.record_decided_on,
                    facts.record_severity,
                    facts.way,
                ),
            ),
        ),
        Section(
            "决定",
            (
                _title(title),
                intro,
                decision,
                reasons,
                *effect,
                Paragraph("本决定书一式两份，决定单位和申请人各执一份。", "note"),
            ),
        ),
        Section(
            "签章", (_stamp_lines(facts.decided_on, "决定单位（盖章）", "申请人签收（签字）"),)
        ),
    )
    return _document(
        REPAIR_DECISION_DOC_TYPE,
        title,
        facts.number,
        facts.issued_at,
        sections,
        facts.watermark,
        facts.entity_name,
    )
