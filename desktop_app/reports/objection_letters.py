"""The letters of 异议 (objections) as document models (plain data, no Qt, no database).

* :func:`objection_receipt` — 异议申请受理回执: who objects, to which record, what is disputed,
  the evidence, the deadline, and that the record is marked 异议处理中 while it is checked.
* :func:`objection_result` — 异议处理结果告知书: 维持, 更正 (each corrected item before and
  after) or 撤销 (removed from publication), the reasons, and what the unit did to undo harm.

Split from :mod:`desktop_app.reports.repair_letters` (the repair letters), whose layout parts
and checks these letters share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from desktop_app.domain.repair import ObjectionOutcome
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
from desktop_app.reports.repair_letters import (  # the shared parts of the two families
    OBJECTION_MARK,
    OBJECTION_RECEIPT_DOC_TYPE,
    OBJECTION_RECEIPT_TITLE,
    OBJECTION_RESULT_DOC_TYPE,
    OBJECTION_RESULT_TITLE,
    PUBLICATION_SITE,
    REMEDY_BY_LAW,
    WORKING_DAYS_NOTE,
    RepairLetterError,
    _check_decided,
    _check_due,
    _check_entity,
    _check_issued,
    _check_reasons,
    _check_record,
    _deadline,
    _disputed_record,
    _document,
    _names_table,
    _objection_outcome,
    _or_dash,
    _party,
    _person,
    _require,
    _stamp_lines,
    _title,
    chinese_date,
)

__all__ = [
    "Correction",
    "ObjectionReceiptFacts",
    "ObjectionResultFacts",
    "objection_receipt",
    "objection_result",
]


class Correction(NamedTuple):
    """One corrected item of a record (异议 更正): what, the text before and the text after."""

    item: str
    before: str
    after: str


@dataclass(frozen=True, kw_only=True)
class ObjectionReceiptFacts:
    """Everything the 异议申请受理回执 prints.

    Attributes:
        number: 受理编号 (printed in every header).
        entity_name: The entity the disputed record is about.
        uscc: Its 统一社会信用代码.
        objector_name: Who objects.
        objector_role: Their capacity (``法定代表人`` / ``委托代理人`` …), or empty.
        objector_phone: A phone number, or empty.
        record_kind: The record's kind as printed (信用承诺 / 失信记录 / 失信警示 / 约谈记录), or
            empty.
        record_title: The disputed record: what it is about.
        record_no: Its document number, or empty.
        record_decided_on: Its date, or None when it has none.
        disputed: What is disputed (异议内容).
        evidence: Names of the evidence handed in; empty when none.
        received_on: The day the window received the objection.
        due_on: The last day for the result.
        due_working_days: The time limit in working days, or None.
        deciding_unit: The unit that provided the record and checks it (核查单位).
        receiving_unit: The unit whose window took the objection.
        clerk: The window clerk (经办人), or empty.
        issued_at: When the receipt is printed (aware).
        watermark: Text over every page, or empty.
    """

    number: str
    entity_name: str
    uscc: str
    objector_name: str
    objector_role: str = ""
    objector_phone: str = ""
    record_kind: str = ""
    record_title: str
    record_no: str = ""
    record_decided_on: date | None = None
    disputed: str
    evidence: tuple[str, ...] = ()
    received_on: date
    due_on: date
    due_working_days: int | None = None
    deciding_unit: str
    receiving_unit: str
    clerk: str = ""
    issued_at: datetime
    watermark: str = ""

    def check(self) -> None:
        """Raise :class:`RepairLetterError` for facts that would print a wrong receipt."""
        _require(self.number, "请填写受理编号。")
        _check_entity(self.entity_name, self.uscc)
        _require(self.objector_name, "请填写异议人姓名。")
        _check_record(self.record_title, self.record_decided_on, self.received_on)
        _require(self.disputed, "请填写异议内容（对记录的哪些内容有异议、理由是什么）。")
        if any(not e.strip() for e in self.evidence):
            raise RepairLetterError("证据材料的名称不能为空。")
        _check_due(self.received_on, self.due_on, self.due_working_days)
        _require(self.deciding_unit, "请填写核查单位（提供该记录的单位）。")
        _require(self.receiving_unit, "请填写受理单位（将印在回执和盖章处）。")
        _check_issued(self.issued_at)


@dataclass(frozen=True, kw_only=True)
class ObjectionResultFacts:
    """Everything the 异议处理结果告知书 prints.

    Attributes:
        number: The letter's number (printed in every header).
        application_no: 受理编号 of the objection answered.
        entity_name: The entity the record is about.
        uscc: Its 统一社会信用代码.
        record_kind: The record's kind as printed, or empty.
        record_title: The disputed record.
        record_no: Its document number, or empty.
        record_decided_on: Its date, or None.
        received_on: The day the objection was received.
        outcome: 维持, 更正 or 撤销.
        reasons: Why (required).
        corrections: For 更正, each corrected item (item, before, after); empty otherwise.
        remedy: What the unit did to undo harm done by the wrong record (更正 / 撤销), or empty.
        decided_on: The decision date.
        deciding_unit: The unit that checked the record (落款, stamp line).
        issued_at: When the letter is printed (aware).
        watermark: Text over every page, or empty.
    """

    number: str
    application_no: str
    entity_name: str
    uscc: str
    record_kind: str = ""
    record_title: str
    record_no: str = ""
    record_decided_on: date | None = None
    received_on: date
    outcome: ObjectionOutcome
    reasons: str
    corrections: tuple[Correction, ...] = ()
    remedy: str = ""
    decided_on: date
    deciding_unit: str
    issued_at: datetime
    watermark: str = ""

    def check(self) -> None:
        """Raise :class:`RepairLetterError` for facts that would print a wrong result."""
        _require(self.number, "请填写告知书编号。")
        _require(self.application_no, "请填写所答复异议申请的受理编号。")
        _check_entity(self.entity_name, self.uscc)
        _check_record(self.record_title, self.record_decided_on, self.received_on)
        outcome = _objection_outcome(self.outcome)
        _check_reasons(self.reasons, outcome.label)
        if outcome is ObjectionOutcome.CORRECTED:
            if not self.corrections:
                raise RepairLetterError("处理结果为“更正”时，请逐项填写更正前和更正后的内容。")
            for item, before, after in self.corrections:
                _require(item, "请填写每项更正的项目名称。")
                _require(after, f"请填写“{item.strip()}”更正后的内容。")
                if before.strip() == after.strip():
                    raise RepairLetterError(f"“{item.strip()}”更正前后的内容相同，请核对。")
        elif self.corrections:
            raise RepairLetterError(
                f"处理结果为“{outcome.label}”时不应填写更正内容；如需更正，请选择“更正”。"
            )
        if outcome is ObjectionOutcome.KEPT and self.remedy.strip():
            raise RepairLetterError(
                "处理结果为“维持”时记录无误，无需填写消除不良影响的措施；请核对处理结果。"
            )
        _check_decided(self.received_on, self.decided_on)
        _require(self.deciding_unit, "请填写核查单位（将印在落款和盖章处）。")
        _check_issued(self.issued_at)


def objection_receipt(facts: ObjectionReceiptFacts) -> Document:
    """The 异议申请受理回执 handed to the objector at the window.

    Raises:
        RepairLetterError: The facts would print a wrong receipt (the message says what).
    """
    facts.check()
    received = chinese_date(facts.received_on)
    unit = facts.deciding_unit.strip()
    application = _party(
        "异议主体",
        facts.entity_name,
        facts.uscc,
        ("受理编号", facts.number),
        ("受理日期", received),
        ("异议人", _person(facts.objector_name, facts.objector_role)),
        ("联系电话", facts.objector_phone),
        ("受理单位", facts.receiving_unit),
        ("窗口经办人", facts.clerk),
    )
    intro = Paragraph(
        f"{facts.entity_name.strip()}：你（单位）于{received}对下列信用记录提出的异议申请，"
        "本窗口予以受理。现出具本回执。"
    )
    sections = (
        Section("受理事项", (_title(OBJECTION_RECEIPT_TITLE), intro, *application)),
        Section(
            "异议记录",
            (
                _disputed_record(
                    facts.record_kind, facts.record_title, facts.record_no, facts.record_decided_on
                ),
            ),
        ),
        Section("异议内容", (Paragraph(facts.disputed.strip()),)),
        Section("证据材料", (_names_table(facts.evidence, "证据名称", "未提交证据材料。"),)),
        Section(
            "办理期限和后续事项",
            (
                KeyValues(
                    (
                        ("核查单位", unit),
                        ("办理期限", _deadline(facts.due_on, facts.due_working_days)),
                    )
                ),
                Paragraph(
                    f"{unit}将对该记录进行核查，并于{chinese_date(facts.due_on)}（含当日）前"
                    "作出维持、更正或者撤销的处理决定，书面告知异议人。"
                ),
                Paragraph(
                    f"核查期间，该记录在公示信息和公共信用信息报告中标注“{OBJECTION_MARK}”。",
                    "warning",
                ),
                Paragraph(WORKING_DAYS_NOTE, "note"),
            ),
        ),
        Section(
            "签收",
            (
                Paragraph("本回执一式两份，受理窗口和异议人各执一份。"),
                SignatureForm(
                    (
                        SignatureLine("异议人（签字）", dated=True, date=received),
                        SignatureLine("受理窗口经办人（签字）"),
                        SignatureLine("受理单位（盖章）", dated=True, date=received),
                    )
                ),
            ),
        ),
    )
    return _document(
        OBJECTION_RECEIPT_DOC_TYPE,
        OBJECTION_RECEIPT_TITLE,
        facts.number,
        facts.issued_at,
        sections,
        facts.watermark,
        facts.entity_name,
    )


def objection_result(facts: ObjectionResultFacts) -> Document:
    """The 异议处理结果告知书: 维持, 更正 or 撤销, with reasons.

    Raises:
        RepairLetterError: The facts would print a wrong result (the message says what).
    """
    facts.check()
    outcome = _objection_outcome(facts.outcome)
    decided = chinese_date(facts.decided_on)
    unit = facts.deciding_unit.strip()
    applicant = _party(
        "异议主体",
        facts.entity_name,
        facts.uscc,
        ("受理编号", facts.application_no),
        ("受理日期", chinese_date(facts.received_on)),
    )
    intro = Paragraph(
        f"{facts.entity_name.strip()}：你（单位）于{chinese_date(facts.received_on)}"
        f"提出的异议申请（受理编号：{facts.application_no.strip()}）收悉。"
        "经核查，现将处理结果告知如下："
    )
    result = KeyValues((("处理结果", outcome.label), ("核查单位", unit), ("决定日期", decided)))
    blocks: list[Block] = [
        _title(OBJECTION_RESULT_TITLE),
        intro,
        result,
        Paragraph(f"理由：{facts.reasons.strip()}"),
    ]
    unmarked = f"“{OBJECTION_MARK}”标注自决定之日起取消。"
    if outcome is ObjectionOutcome.KEPT:
        blocks.append(Paragraph(f"该记录准确，予以维持，继续按规定公示；{unmarked}"))
    elif outcome is ObjectionOutcome.CORRECTED:
        blocks.append(
            Table(
                ("序号", "更正项目", "更正前", "更正后"),
                tuple(
                    (str(i), c.item.strip(), _or_dash(c.before), c.after.strip())
                    for i, c in enumerate(map(Correction._make, facts.corrections), start=1)
                ),
                (10, 20, 35, 35),
                caption="更正内容",
            )
        )
        blocks.append(
            Paragraph(
                f"该记录已按上表更正，更正前的内容保存在记录的历史中；自{decided}起按更正后的"
                f"内容公示，{unmarked}"
            )
        )
    else:
        blocks.append(
            Paragraph(
                f"该记录自{decided}起撤销，停止公示，不再在{PUBLICATION_SITE}和公共信用信息报告"
                "中展示；依据该记录实施的相关措施相应解除。"
            )
        )
    if facts.remedy.strip():
        blocks.append(Paragraph(f"消除不良影响的措施：{facts.remedy.strip()}"))
    blocks.append(Paragraph(REMEDY_BY_LAW.replace("本决定", "本处理结果")))
    blocks.append(Paragraph("本告知书一式两份，核查单位和异议人各执一份。", "note"))
    sections = (
        Section("异议申请", applicant),
        Section(
            "异议记录",
            (
                _disputed_record(
                    facts.record_kind, facts.record_title, facts.record_no, facts.record_decided_on
                ),
            ),
        ),
        Section("处理结果", tuple(blocks)),
        Section(
            "签章", (_stamp_lines(facts.decided_on, "核查单位（盖章）", "异议人签收（签字）"),)
        ),
    )
    return _document(
        OBJECTION_RESULT_DOC_TYPE,
        OBJECTION_RESULT_TITLE,
        facts.number,
        facts.issued_at,
        sections,
        facts.watermark,
        facts.entity_name,
    )
