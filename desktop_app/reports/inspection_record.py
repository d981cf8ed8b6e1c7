"""现场检查记录, 责令整改通知书 and 失信警示告知书 as document models (plain data, no Qt).

The on-site record is what the inspected party signs on the spot: the task, the entity's
registration facts, when and where, who inspected and who represented the entity, every
checklist item with its result and note, the problems found, the photos taken (file name,
capture time and the first 12 digits of their SHA-256, so a print can be matched with the
stored files), the conclusion and outcome with the rectification deadline, and signature lines.

The notice goes with a 责令整改 or 失信警示 outcome: the items to fix, the deadline (date and
working days) and the consequences of missing it (DOMAIN.md: not rectified in time → 提示约谈
or 警示约谈, the interview record goes into the credit record).

Risk grades are for supervisors only (DOMAIN.md): nothing here has a field for one, so no
printed form can show it. Both builders are pure: the same data gives the same document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from desktop_app.domain.inspections import ITEM_RESULT_LABELS, OUTCOME_LABELS, ItemResult, Outcome
from desktop_app.reports.document import (
    Document,
    KeyValues,
    Paragraph,
    Section,
    SignatureForm,
    SignatureLine,
    Table,
)

RECORD_DOC_TYPE = "inspection_record"
RECTIFY_DOC_TYPE = "rectification_notice"
WARNING_DOC_TYPE = "warning_notice"
RECORD_TITLE = "现场检查记录"
RECTIFY_TITLE = "责令整改通知书"
WARNING_TITLE = "失信警示告知书"
RECORD_PREFIX = "JC"
RECTIFY_PREFIX = "ZG"
WARNING_PREFIX = "JS"
BLANK_DATE = "______年____月____日"
SHA_DIGITS = 12
CONSEQUENCES = (
    "逾期未整改或整改不到位的，检查机关将依照有关规定对你单位进行提示约谈或警示约谈，"
    "约谈记录记入你单位的信用记录；涉嫌违法的，依法移送有关部门立案查处。"
)
RECORD_NOTE = (
    "被检查单位对本记录内容有异议的，可在签字时写明；"
    "拒绝签字的，由执法人员注明情况。本记录一式两份，检查机关和被检查单位各执一份。"
)

__all__ = [
    "RECORD_DOC_TYPE",
    "RECORD_TITLE",
    "RECTIFY_DOC_TYPE",
    "RECTIFY_TITLE",
    "WARNING_DOC_TYPE",
    "WARNING_TITLE",
    "InspectionRecordData",
    "RecordFinding",
    "RecordItem",
    "RecordPhoto",
    "build_onsite_record",
    "build_rectification_notice",
]


@dataclass(frozen=True)
class RecordItem:
    """One checklist item as printed: number, text, legal basis, result label and note."""

    no: int
    item: str
    legal_basis: str
    result_label: str
    note: str = ""


@dataclass(frozen=True)
class RecordFinding:
    """One problem found: description, severity label, the item it concerns (if any)."""

    description: str
    severity_label: str
    item_no: int | None = None


@dataclass(frozen=True)
class RecordPhoto:
    """One photo taken on site: file name, capture time (EXIF), SHA-256."""

    filename: str
    captured_at: datetime | None
    sha256: str


@dataclass(frozen=True)
class InspectionRecordData:
    """Everything the on-site record and the notices print.

    Attributes:
        record_id: The result's record id (the numbers derive from it).
        task_id: The inspection task.
        draw_title: The 双随机 batch the task belongs to (or empty).
        checklist_title: The checklist used.
        checklist_legal_basis: Its legal basis.
        entity_name: 被检查单位.
        uscc: Its 统一社会信用代码.
        legal_representative: 法定代表人（负责人）.
        address: 住所（经营场所）.
        industry: 行业.
        inspected_on: 检查日期.
        location: 检查地点.
        inspectors: 执法人员 (names as known to the platform).
        representative_name: Who represented the entity on site.
        representative_role: Their position.
        items: The checklist items with their results.
        findings: The problems found.
        photos: The photos taken.
        conclusion: 检查结论.
        outcome: The outcome.
        deadline: The last day to rectify (责令整改, 失信警示), or None.
        deadline_working_days: The rectification period in working days, or None.
        warning_content: The warning's text (失信警示).
        issued_at: When the document is printed (local time).
        reinspection_of: Number of the result this re-inspects, or empty.
        watermark: Text over every page, or empty.
    """

    record_id: str
    task_id: str
    draw_title: str
    checklist_title: str
    checklist_legal_basis: str
    entity_name: str
    uscc: str
    legal_representative: str
    address: str
    industry: str
    inspected_on: date
    location: str
    inspectors: Sequence[str]
    representative_name: str
    representative_role: str
    items: Sequence[RecordItem]
    findings: Sequence[RecordFinding]
    photos: Sequence[RecordPhoto]
    conclusion: str
    outcome: Outcome
    deadline: date | None
    deadline_working_days: int | None
    warning_content: str
    issued_at: datetime
    reinspection_of: str = ""
    watermark: str = ""


def document_number(prefix: str, record_id: str) -> str:
    """A printed number: ``<prefix>-<first 8 characters of the record id, upper case>``."""
    return f"{prefix}-{record_id[:8].upper()}"


def chinese_date(day: date | None) -> str:
    """``2025年9月26日``; a blank line to write on for None."""
    return f"{day.year}年{day.month}月{day.day}日" if day is not None else BLANK_DATE


def _on(data: InspectionRecordData) -> str:
    # Empty: the form prints a blank date to write in by hand.
    return chinese_date(data.inspected_on) if data.inspected_on is not None else ""


def _issued(data: InspectionRecordData) -> str:
    return data.issued_at.replace(microsecond=0, tzinfo=None).isoformat(sep=" ")


def _or_dash(text: str) -> str:
    return text.strip() or "—"


def _representative(data: InspectionRecordData) -> str:
    name = data.representative_name.strip()
    role = data.representative_role.strip()
    if not name:
        return "—"
    return f"{name}（{role}）" if role else name


def _deadline_text(data: InspectionRecordData) -> str:
    days = data.deadline_working_days
    within = f"自检查之日起{days}个工作日内" if days else "在规定期限内"
    if data.deadline is None:
        return within
    return f"{chinese_date(data.deadline)}（含当日）前，即{within}"


def _entity_facts(data: InspectionRecordData) -> KeyValues:
    return KeyValues(
        (
            ("被检查单位", data.entity_name),
            ("统一社会信用代码", data.uscc),
            ("法定代表人（负责人）", _or_dash(data.legal_representative)),
            ("住所（经营场所）", _or_dash(data.address)),
            ("行业", _or_dash(data.industry)),
        )
    )


def _item_label(no: int | None) -> str:
    return f"第{no}项" if no is not None else "—"


def _findings_table(data: InspectionRecordData) -> Table:
    return Table(
        ("序号", "问题描述", "严重程度", "对应检查项"),
        tuple(
            (str(i), f.description, f.severity_label, _item_label(f.item_no))
            for i, f in enumerate(data.findings, start=1)
        ),
        (8, 60, 14, 18),
        empty_text="未发现问题。",
    )


def _failed_items(data: InspectionRecordData) -> tuple[tuple[str, str, str], ...]:
    """Rows of what must be fixed: the findings, then failed items no finding covers."""
    rows = [(f.description, f.severity_label, _item_label(f.item_no)) for f in data.findings]
    covered = {f.item_no for f in data.findings if f.item_no is not None}
    rows += [
        (f"{i.item}：{i.note}" if i.note.strip() else i.item, "—", _item_label(i.no))
        for i in data.items
        if i.result_label == ITEM_RESULT_LABELS[ItemResult.FAIL] and i.no not in covered
    ]
    return tuple(rows)


def build_onsite_record(data: InspectionRecordData) -> Document:
    """The 现场检查记录 for signature on site.

    Args:
        data: The result's facts.

    Returns:
        The document, numbered ``JC-<record id first 8 upper>``.
    """
    outcome_label = OUTCOME_LABELS[data.outcome]
    task_rows = [
        ("检查任务", data.task_id),
        ("抽查批次", _or_dash(data.draw_title)),
        ("检查表", _or_dash(data.checklist_title)),
        ("检查依据", _or_dash(data.checklist_legal_basis)),
    ]
    if data.reinspection_of:
        task_rows.append(("复查对象", f"检查记录 {data.reinspection_of}"))
    inspection = KeyValues(
        (
            ("检查日期", chinese_date(data.inspected_on)),
            ("检查地点", _or_dash(data.location or data.address)),
            ("执法人员", _or_dash("、".join(data.inspectors))),
            ("被检查单位现场负责人", _representative(data)),
        )
    )
    items = Table(
        ("序号", "检查内容", "检查依据", "结果", "情况说明"),
        tuple(
            (str(i.no), i.item, i.legal_basis or "—", i.result_label, i.note or "—")
            for i in data.items
        ),
        (7, 35, 25, 10, 23),
        empty_text="（无检查项）",
    )
    photos = Table(
        ("序号", "文件名", "拍摄时间", "SHA-256（前12位）"),
        tuple(
            (
                str(i),
                p.filename,
                p.captured_at.replace(microsecond=0).isoformat(sep=" ")
                if p.captured_at
                else "未记录",
                p.sha256[:SHA_DIGITS],
            )
            for i, p in enumerate(data.photos, start=1)
        ),
        (8, 42, 25, 25),
        empty_text="未拍摄照片。",
    )
    result_rows = [("检查结论", data.conclusion), ("处理结果", outcome_label)]
    if data.deadline is not None or data.deadline_working_days is not None:
        result_rows.append(("整改期限", _deadline_text(data)))
    result_blocks: list[Paragraph | KeyValues] = [KeyValues(tuple(result_rows))]
    if data.outcome is Outcome.WARNING and data.warning_content.strip():
        result_blocks.append(Paragraph(f"警示内容：{data.warning_content.strip()}"))
    sections = (
        Section("检查任务", (KeyValues(tuple(task_rows)),)),
        Section("被检查单位", (_entity_facts(data),)),
        Section("检查情况", (inspection,)),
        Section("检查项目及结果", (items,)),
        Section("发现的问题", (_findings_table(data),)),
        Section("现场照片", (photos,)),
        Section("检查结论和处理", tuple(result_blocks)),
        Section(
            "签字确认",
            (
                Paragraph("以上记录经被检查单位现场负责人核对无误。"),
                Paragraph(RECORD_NOTE, "note"),
                SignatureForm(
                    (
                        SignatureLine("被检查单位负责人（签字）", dated=True, date=_on(data)),
                        SignatureLine("执法人员（签字）"),
                        SignatureLine("执法人员（签字）", dated=True, date=_on(data)),
                    )
                ),
            ),
        ),
    )
    return Document(
        doc_type=RECORD_DOC_TYPE,
        title=RECORD_TITLE,
        number=document_number(RECORD_PREFIX, data.record_id),
        issued_at=_issued(data),
        sections=sections,
        watermark=data.watermark,
        subject=data.entity_name,
    )


def build_rectification_notice(data: InspectionRecordData) -> Document:
    """The 责令整改通知书 (责令整改) or 失信警示告知书 (失信警示).

    Args:
        data: The result's facts (outcome 责令整改 or 失信警示).

    Returns:
        The document, numbered ``ZG-…`` or ``JS-…`` after the record id.

    Raises:
        ValueError: The outcome sets no rectification.
    """
    if data.outcome is Outcome.RECTIFY:
        title, doc_type, prefix = RECTIFY_TITLE, RECTIFY_DOC_TYPE, RECTIFY_PREFIX
    elif data.outcome is Outcome.WARNING:
        title, doc_type, prefix = WARNING_TITLE, WARNING_DOC_TYPE, WARNING_PREFIX
    else:
        raise ValueError("only 责令整改 and 失信警示 outcomes have a notice")
    found_on = chinese_date(data.inspected_on)
    if data.outcome is Outcome.WARNING:
        intro = (
            f"{data.entity_name}：{found_on}，本机关执法人员对你单位进行了现场检查，"
            "发现你单位存在下列问题。依照社会信用体系建设有关规定，现对你单位予以失信警示，"
            "并责令你单位限期整改。"
        )
    else:
        intro = (
            f"{data.entity_name}：{found_on}，本机关执法人员对你单位进行了现场检查，"
            "发现你单位存在下列问题，现责令你单位限期整改。"
        )
    blocks: list[Paragraph | Table] = [Paragraph(intro)]
    if data.outcome is Outcome.WARNING and data.warning_content.strip():
        blocks.append(Paragraph(f"警示内容：{data.warning_content.strip()}"))
    fix = Table(
        ("序号", "需整改的问题", "严重程度", "对应检查项"),
        tuple((str(i), *row) for i, row in enumerate(_failed_items(data), start=1)),
        (8, 60, 14, 18),
    )
    record_no = KeyValues((("现场检查记录编号", document_number(RECORD_PREFIX, data.record_id)),))
    heading = "警示和整改事项" if data.outcome is Outcome.WARNING else "整改事项"
    sections = (
        Section("被检查单位", (_entity_facts(data), record_no)),
        Section(heading, tuple(blocks)),
        Section("需整改的问题", (fix,)),
        Section(
            "整改期限",
            (
                Paragraph(
                    f"请你单位于{_deadline_text(data)}完成整改，并将整改情况书面报告本机关。"
                ),
                Paragraph("期限按工作日计算，不含法定节假日和休息日，检查当日不计入。", "note"),
            ),
        ),
        Section("逾期后果", (Paragraph(CONSEQUENCES, "warning"),)),
        Section(
            "签收",
            (
                Paragraph("本通知书一式两份，检查机关和被检查单位各执一份。"),
                SignatureForm(
                    (
                        SignatureLine("检查机关（盖章）"),
                        SignatureLine("执法人员（签字）"),
                        SignatureLine("执法人员（签字）", dated=True, date=_on(data)),
                        # The entity signs for it on receipt: that date is written by hand.
                        SignatureLine("被检查单位签收人（签字）", dated=True),
                    )
                ),
            ),
        ),
    )
    return Document(
        doc_type=doc_type,
        title=title,
        number=document_number(prefix, data.record_id),
        issued_at=_issued(data),
        sections=sections,
        watermark=data.watermark,
        subject=data.entity_name,
    )
