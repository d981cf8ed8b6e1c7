"""信用承诺书 and 容缺受理一次性告知书 as document models (plain data, no Qt).

The letter is what the applicant signs at the window: who commits, to what matter and on which
legal basis, the commitment text from the catalog's template with the entity filled in, for a
容缺受理 the missing materials and the deadline, the publication consent, and lines for both
sides to sign and stamp.

The notice (DOMAIN.md "Credit commitments": the window tells, in one go, which materials, in
what form, by when, and what happens if the deadline is missed) goes with every 容缺受理.

Both builders are pure: the same :class:`LetterData` gives the same document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from desktop_app.domain.commitment_catalog import fill_letter_template
from desktop_app.domain.commitments import KIND_LABELS, CommitmentKind
from desktop_app.reports.document import (
    Document,
    KeyValues,
    Paragraph,
    Section,
    SignatureForm,
    SignatureLine,
    Table,
)

LETTER_DOC_TYPE = "commitment_letter"
NOTICE_DOC_TYPE = "tolerance_notice"
LETTER_TITLE = "信用承诺书"
NOTICE_TITLE = "容缺受理一次性告知书"
LETTER_PREFIX = "CN"
NOTICE_PREFIX = "RQ"
BLANK_DATE = "______年____月____日"
PUBLISH_YES = "承诺人同意将本承诺书及履约情况在“信用中国（山西长治）”网站等渠道公开，接受社会监督。"
PUBLISH_NO = "本承诺书依法不予公开，仅记入承诺人的信用记录，供监管部门核查使用。"
CONSEQUENCE = (
    "逾期未补齐上述材料的，本事项终止办理，由此造成的损失由申请人自行承担；"
    "违反承诺的情况将记入申请人的信用记录，并视情节严重程度依法依规实施惩戒。"
)

__all__ = [
    "LETTER_DOC_TYPE",
    "LETTER_TITLE",
    "NOTICE_DOC_TYPE",
    "NOTICE_TITLE",
    "LetterData",
    "LetterMaterial",
    "build_commitment_letter",
    "build_tolerance_notice",
    "document_number",
]


@dataclass(frozen=True)
class LetterMaterial:
    """One missing material of a 容缺受理: name, form (原件 / 复印件 …), whether it arrived."""

    name: str
    form: str
    received: bool = False


@dataclass(frozen=True)
class LetterData:
    """Everything a letter or notice prints.

    Attributes:
        record_id: The commitment's record id (the number derives from it).
        entity_name: 承诺单位.
        uscc: Its 统一社会信用代码.
        applicant_name: 法定代表人或委托代理人.
        applicant_role: ``法定代表人`` or ``委托代理人``.
        applicant_phone: A phone number, or empty.
        matter: 办理事项.
        domain: 领域.
        legal_basis: 法律依据.
        authority: 受理（审批）机关.
        kind: The commitment kind.
        template: The catalog's letter template (placeholders in braces).
        signed_on: Signing date; None for an unsigned draft (a blank date line is printed).
        materials: The missing materials (容缺受理 only).
        deadline: Last day to supply them (容缺受理), or None when not yet known.
        deadline_working_days: The time limit in working days (容缺受理).
        publish: Whether the applicant agreed to publication.
        issued_at: When the document is printed (local time).
        watermark: Text over every page (e.g. 已撤回), or empty.
        handled_by: 受理窗口经办人: the staff member who took the commitment, or empty.
    """

    record_id: str
    entity_name: str
    uscc: str
    applicant_name: str
    applicant_role: str
    applicant_phone: str
    matter: str
    domain: str
    legal_basis: str
    authority: str
    kind: CommitmentKind
    template: str
    signed_on: date | None
    materials: Sequence[LetterMaterial]
    deadline: date | None
    deadline_working_days: int | None
    publish: bool
    issued_at: datetime
    watermark: str = ""
    handled_by: str = ""


def document_number(prefix: str, record_id: str) -> str:
    """A printed number: ``<prefix>-<first 8 characters of the record id, upper case>``."""
    return f"{prefix}-{record_id[:8].upper()}"


def chinese_date(day: date | None) -> str:
    """``2026年3月18日``; a blank line to write on for None."""
    return f"{day.year}年{day.month}月{day.day}日" if day is not None else BLANK_DATE


def _signed(data: LetterData) -> str:
    # Empty: the form prints a blank date to write in by hand (an unsigned draft).
    return chinese_date(data.signed_on) if data.signed_on is not None else ""


def _issued(data: LetterData) -> str:
    return data.issued_at.replace(microsecond=0, tzinfo=None).isoformat(sep=" ")


def _representative(data: LetterData) -> str:
    return f"{data.applicant_name}（{data.applicant_role}）"


def _deadline_text(data: LetterData) -> str:
    days = data.deadline_working_days
    within = f"自签署之日起{days}个工作日内" if days else "在承诺期限内"
    if data.deadline is None:
        return f"{within}补齐（签署后按工作日历计算具体截止日期）"
    return f"{chinese_date(data.deadline)}（含当日）前，即{within}补齐"


def _materials_table(data: LetterData, *, with_status: bool) -> Table:
    columns = ("序号", "材料名称", "提交形式", *(("状态",) if with_status else ()))
    rows = tuple(
        (
            str(i),
            m.name,
            m.form or "—",
            *((("已补齐" if m.received else "待补齐"),) if with_status else ()),
        )
        for i, m in enumerate(data.materials, start=1)
    )
    widths = (10, 50, 20, 20) if with_status else (10, 60, 30)
    return Table(columns, rows, widths, empty_text="无")


def _letter_body(data: LetterData) -> tuple[Paragraph, ...]:
    text = fill_letter_template(
        data.template,
        {
            "entity_name": data.entity_name,
            "uscc": data.uscc,
            "signer": data.entity_name,
            "representative": _representative(data),
            "signed_on": chinese_date(data.signed_on) if data.signed_on else "",
        },
    )
    lines = [line.strip() for line in text.splitlines()]
    if lines and lines[0] == LETTER_TITLE:
        lines = lines[1:]  # the document carries the title itself
    paragraphs = [Paragraph(LETTER_TITLE, "heading", "center")]
    paragraphs += [Paragraph(line) for line in lines if line]
    return tuple(paragraphs)


def build_commitment_letter(data: LetterData) -> Document:
    """The 信用承诺书 to print and sign.

    Args:
        data: The commitment's facts.

    Returns:
        The document, numbered ``CN-<record id first 8 upper>``.
    """
    facts = KeyValues(
        (
            ("承诺单位", data.entity_name),
            ("统一社会信用代码", data.uscc),
            ("法定代表人或委托代理人", _representative(data)),
            ("联系电话", data.applicant_phone or "—"),
            ("办理事项", data.matter),
            ("所属领域", data.domain or "—"),
            ("法律依据", data.legal_basis or "—"),
            ("受理机关", data.authority or "—"),
            ("受理窗口经办人", data.handled_by or "—"),
            ("承诺类型", KIND_LABELS[data.kind]),
            ("签署日期", chinese_date(data.signed_on)),
        )
    )
    sections = [
        Section("承诺事项", (facts,)),
        Section("承诺内容", _letter_body(data)),
    ]
    if data.kind is CommitmentKind.TOLERANCE:
        sections.append(
            Section(
                "容缺受理材料",
                (
                    Paragraph("申请人承诺按下列要求补齐所缺材料："),
                    _materials_table(data, with_status=any(m.received for m in data.materials)),
                    Paragraph(f"补齐期限：{_deadline_text(data)}。"),
                    Paragraph(CONSEQUENCE, "warning"),
                ),
            )
        )
    sections.append(Section("信息公开", (Paragraph(PUBLISH_YES if data.publish else PUBLISH_NO),)))
    sections.append(
        Section(
            "签署",
            (
                SignatureForm(
                    (
                        SignatureLine("承诺人/法定代表人或委托代理人（签字）"),
                        SignatureLine("承诺单位（盖章）", dated=True, date=_signed(data)),
                        SignatureLine("受理窗口经办人（签字）"),
                        SignatureLine("受理单位（盖章）", dated=True, date=_signed(data)),
                    )
                ),
            ),
        )
    )
    return Document(
        doc_type=LETTER_DOC_TYPE,
        title=LETTER_TITLE,
        number=document_number(LETTER_PREFIX, data.record_id),
        issued_at=_issued(data),
        sections=tuple(sections),
        watermark=data.watermark,
        subject=data.entity_name,
    )


def build_tolerance_notice(data: LetterData) -> Document:
    """The 容缺受理一次性告知书 handed to the applicant with a 容缺受理.

    Args:
        data: The commitment's facts (kind 容缺受理).

    Returns:
        The document, numbered ``RQ-<record id first 8 upper>``.

    Raises:
        ValueError: The commitment is not a 容缺受理.
    """
    if data.kind is not CommitmentKind.TOLERANCE:
        raise ValueError("a tolerance notice is only for 容缺受理 commitments")
    facts = KeyValues(
        (
            ("申请人", data.entity_name),
            ("统一社会信用代码", data.uscc),
            ("法定代表人或委托代理人", _representative(data)),
            ("办理事项", data.matter),
            ("法律依据", data.legal_basis or "—"),
            ("受理机关", data.authority or "—"),
            ("受理窗口经办人", data.handled_by or "—"),
            ("受理日期", chinese_date(data.signed_on)),
        )
    )
    intro = Paragraph(
        f"{data.entity_name}：你（单位）申请办理的“{data.matter}”事项，"
        "经审查基本条件具备、主要申请材料齐全，但尚缺下列次要材料。"
        "根据容缺受理有关规定，本窗口予以容缺受理，现将需补齐的材料、形式和期限一次性告知如下："
    )
    sections = (
        Section("告知事项", (facts, intro)),
        Section("需补齐的材料", (_materials_table(data, with_status=False),)),
        Section(
            "补齐期限",
            (
                Paragraph(f"请于{_deadline_text(data)}，交至受理窗口。"),
                Paragraph("期限按工作日计算，不含法定节假日和休息日，受理当日不计入。", "note"),
            ),
        ),
        Section("逾期后果", (Paragraph(CONSEQUENCE, "warning"),)),
        Section(
            "签收",
            (
                Paragraph("本告知书一式两份，受理窗口和申请人各执一份。"),
                SignatureForm(
                    (
                        SignatureLine(
                            "申请人/法定代表人或委托代理人（签字）", dated=True, date=_signed(data)
                        ),
                        SignatureLine("受理窗口经办人（签字）"),
                        SignatureLine("受理单位（盖章）", dated=True, date=_signed(data)),
                    )
                ),
            ),
        ),
    )
    return Document(
        doc_type=NOTICE_DOC_TYPE,
        title=NOTICE_TITLE,
        number=document_number(NOTICE_PREFIX, data.record_id),
        issued_at=_issued(data),
        sections=sections,
        watermark=data.watermark,
        subject=data.entity_name,
    )
