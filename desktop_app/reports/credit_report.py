"""信用报告: the public credit report of one market entity, as a document model.

Layout after 《公共信用信息报告标准（2022年版）》 and GB/T 42337-2023 (DOMAIN.md "Credit
reports"): cover; notes on the report; overview (basic information, a summary of public credit
information); detail sections — administrative licences, penalties in their publication period,
list memberships, credit commitments and their fulfilment, integrity-education attendance,
public inspection results, credit repair; a disclaimer.

What is never printed (DOMAIN.md, :mod:`desktop_app.domain.disclosure`): internal risk grades,
penalties and list memberships whose publication has ended, that were revoked or repaired. The
builder takes plain records (mappings as the platform serves them) and applies those rules
itself, so no caller can forget them. It is pure: same input, same document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from desktop_app.domain import commitments as cm
from desktop_app.domain import disclosure
from desktop_app.domain.credit_record import public_record
from desktop_app.domain.policy import DEFAULT_POLICY, Policy
from desktop_app.reports.document import (
    Block,
    Cover,
    Document,
    KeyValues,
    Paragraph,
    Section,
    SignatureForm,
    SignatureLine,
    Table,
)

DOC_TYPE = "credit_report"
TITLE = "公共信用信息报告"
OTHER_PURPOSE = "其他"
PURPOSES = ("政府采购", "招标投标", "行政审批", "市场准入", "资质审核", OTHER_PURPOSE)
"""报告用途 (seed 一(三)); ``其他`` needs a description."""

DEFAULT_STALE_DAYS = 7
"""Local data older than this many days gets a warning on the cover."""

SECTION_TITLES = (
    "报告说明",
    "概览",
    "行政许可信息",
    "行政处罚信息",
    "名单信息",
    "信用承诺及履约情况",
    "失信记录、警示和约谈",
    "诚信教育参训情况",
    "公开的检查结果",
    "信用修复情况",
    "声明",
)

LIST_MEANINGS = {
    "red": "守信联合激励：可享受绿色通道、优先办理等便利措施。",
    "serious_dishonesty": (
        "失信联合惩戒：依法依规在招标投标、财政资金、税收优惠、融资授信等方面受到限制。"
    ),
    "key_attention": "重点关注：相关部门依法加强监管，措施与情节相当。",
}


class ReportInputError(ValueError):
    """The options of a report are not usable (say what to change)."""


@dataclass(frozen=True)
class EntityFacts:
    """Registration facts of the entity (never its internal risk grade)."""

    uscc: str
    name: str
    legal_representative: str = ""
    address: str = ""
    region: str = ""
    industry: str = ""
    status: str = ""
    entity_category: str = ""
    registration_authority: str = ""


@dataclass(frozen=True)
class CreditRecords:
    """Everything the local store knows about the entity, as plain records.

    Records are passed unfiltered; :func:`build_credit_report` decides what may be shown, with
    the one rule set the card and the 容缺受理 check use
    (:func:`desktop_app.domain.credit_record.public_record`). ``entries`` is the city-wide
    public credit record (commitments, 失信记录, warnings, interviews of every hall) with this
    device's own forms merged in. ``attendance`` records carry the session's ``title`` and
    ``held_on`` merged in. ``policy`` names the lists.
    """

    licences: Sequence[Mapping[str, Any]] = ()
    penalties: Sequence[Mapping[str, Any]] = ()
    memberships: Sequence[Mapping[str, Any]] = ()
    entries: Sequence[Mapping[str, Any]] = ()
    attendance: Sequence[Mapping[str, Any]] = ()
    inspections: Sequence[Mapping[str, Any]] = ()
    policy: Policy = DEFAULT_POLICY


@dataclass(frozen=True)
class ReportOptions:
    """How and by whom the report is issued.

    Attributes:
        purpose: One of :data:`PURPOSES`.
        purpose_detail: What the use is when ``purpose`` is 其他 (required then).
        issuing_unit: 出具单位, printed on the cover and at the signature.
        report_no: The report number.
        issued_at: Issue time (aware, local).
        data_as_of: When the local data was last brought up to date (aware), or None
            when this device has never synced.
        stale_after_days: Warn on the cover when the data is older than this.
        watermark: Text drawn over every page, e.g. 仅供招标投标使用; empty for none.
    """

    purpose: str
    issuing_unit: str
    report_no: str
    issued_at: datetime
    data_as_of: datetime | None
    stale_after_days: int = DEFAULT_STALE_DAYS
    purpose_detail: str = ""
    watermark: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    def purpose_text(self) -> str:
        """The purpose as printed."""
        if self.purpose == OTHER_PURPOSE:
            return f"{OTHER_PURPOSE}（{self.purpose_detail.strip()}）"
        return self.purpose

    def check(self) -> None:
        """Raise :class:`ReportInputError` for options a report cannot be issued with."""
        if self.purpose not in PURPOSES:
            raise ReportInputError(f"请选择报告用途：{'、'.join(PURPOSES)}。")
        if self.purpose == OTHER_PURPOSE and not self.purpose_detail.strip():
            raise ReportInputError("报告用途选择“其他”时，请填写具体用途。")
        if not self.issuing_unit.strip():
            raise ReportInputError("请填写出具单位（将印在报告封面和落款处）。")
        if len(self.watermark) > 30:
            raise ReportInputError("水印文字过长，请控制在30个字以内。")
        if self.issued_at.tzinfo is None:
            raise ValueError("issued_at must be timezone-aware")
        if self.stale_after_days < 0:
            raise ReportInputError("数据时效提醒天数不能为负数。")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value).strip()


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def staleness_warning(options: ReportOptions) -> str:
    """The cover warning about old local data, or empty when the data is recent enough."""
    if options.data_as_of is None:
        return (
            "本设备尚未与市级平台同步，报告所依据的本地数据可能不完整或已过时。"
            "请联网同步后重新出具，或向平台核实。"
        )
    age = options.issued_at - options.data_as_of
    if age.days > options.stale_after_days:
        return (
            f"本报告所依据的本地数据截至 {_stamp(options.data_as_of)}，已超过"
            f"{options.stale_after_days}天未与市级平台同步，信息可能不是最新。"
            "请联网同步后重新出具，或以平台核验结果为准。"
        )
    return ""


def _date_key(record: Mapping[str, Any], name: str) -> str:
    return _text(record.get(name))


def _attendance(records: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(records, key=lambda r: _date_key(r, "held_on"), reverse=True)


def _publication_until(record: Mapping[str, Any]) -> str:
    try:
        severity = disclosure.parse_severity(record.get("severity", "general"))
        decided = date.fromisoformat(_text(record.get("decided_on"))[:10])
        declared = _text(record.get("publish_until"))
        until = disclosure.publication_end(
            severity, decided, date.fromisoformat(declared[:10]) if declared else None
        )
    except (disclosure.DisclosureError, ValueError):
        return ""
    return until.isoformat()


def _validity(record: Mapping[str, Any]) -> str:
    start, end = _text(record.get("valid_from")), _text(record.get("valid_until"))
    if start and end:
        return f"{start} 至 {end}"
    if end:
        return f"至 {end}"
    return f"{start} 起" if start else "长期"


def _amount(record: Mapping[str, Any]) -> str:
    value = record.get("amount")
    if value in (None, ""):
        return ""
    try:
        return f"罚款 {float(value):,.2f} 元"
    except (TypeError, ValueError):
        return _text(value)


_ACT_LABELS = {"dishonesty": "失信记录", "warning": "失信警示", "interview": "约谈"}
_MARKS = {"objection": ("pending", "异议处理中"), "repair": ("applying", "信用修复办理中")}


def _with_mark(record: Mapping[str, Any], text: str) -> str:
    marks = [label for key, (value, label) in _MARKS.items() if record.get(key) == value]
    return f"{text}（{'，'.join(marks)}）" if marks else text


def _severity_label(record: Mapping[str, Any]) -> str:
    value = _text(record.get("severity"))
    if not value:
        return ""
    try:
        return disclosure.SEVERITY_LABELS[disclosure.parse_severity(value)]
    except disclosure.DisclosureError:
        return ""


def _commitment_kind(record: Mapping[str, Any]) -> str:
    try:
        return cm.KIND_LABELS[cm.parse_kind(record.get("commitment_kind"))]
    except cm.CommitmentError:
        return _text(record.get("commitment_kind"))


def _cover(entity: EntityFacts, options: ReportOptions) -> Cover:
    as_of = _stamp(options.data_as_of) if options.data_as_of else "未与市级平台同步"
    return Cover(
        title=TITLE,
        subtitle="（市场主体版）",
        facts=(
            ("主体名称", entity.name),
            ("统一社会信用代码", entity.uscc),
            ("报告用途", options.purpose_text()),
            ("出具单位", options.issuing_unit.strip()),
            ("报告编号", options.report_no),
            ("生成时间", _stamp(options.issued_at)),
            ("数据截至", as_of),
        ),
        warning=staleness_warning(options),
        footer="扫描二维码或登录市级信用平台，凭报告编号核验本报告真伪。",
    )


def _notes(options: ReportOptions) -> Section:
    lines = (
        "一、本报告依据《长治市人民政府办公室关于加快推进社会信用体系建设构建以信用为基础的"
        "新型监管机制的实施意见》（长政办发〔2020〕16号），由出具单位根据信用监管工作台"
        "本地存储的公共信用信息生成。",
        "二、本报告展示处于公示期内的公共信用信息。依照《信用修复管理办法》，公示期限届满、"
        "已完成信用修复或已被撤销的信息不予展示。",
        "三、市场主体信用风险分类结果属于监管内部信息，不在本报告中展示。",
        "四、报告内容截至封面所示“数据截至”时间；此后发生的变化以市级信用平台为准。",
        "五、每页页脚的二维码载有报告编号、统一社会信用代码、出具时间、内容摘要及出具设备的"
        "数字签名，可通过市级信用平台核验；经涂改的报告无法通过核验。",
        f"六、本报告仅供“{options.purpose_text()}”使用，不得用于其他目的。",
        *options.notes,
    )
    return Section("报告说明", tuple(Paragraph(line) for line in lines))


def _overview(entity: EntityFacts, counts: Sequence[tuple[str, int]]) -> Section:
    basics = KeyValues(
        (
            ("主体名称", entity.name),
            ("统一社会信用代码", entity.uscc),
            ("法定代表人（负责人）", entity.legal_representative or "—"),
            ("主体类别", entity.entity_category or "—"),
            ("登记状态", entity.status or "—"),
            ("登记管理部门", entity.registration_authority or "—"),
            ("所属区划", entity.region or "—"),
            ("所属行业", entity.industry or "—"),
            ("住所", entity.address or "—"),
        ),
        columns=2,
    )
    summary = Table(
        ("信息类别", "记录条数"),
        tuple((label, str(n)) for label, n in counts),
        widths=(70, 30),
    )
    return Section(
        "概览",
        (Paragraph("基本信息", "heading"), basics, Paragraph("信息概要", "heading"), summary),
    )


def _table_section(title: str, intro: str, table: Table) -> Section:
    blocks: list[Block] = []
    if intro:
        blocks.append(Paragraph(intro, "note"))
    blocks.append(table)
    return Section(title, tuple(blocks))


def _repair_section(penalties: Sequence[Mapping[str, Any]]) -> Section:
    in_progress = [
        r for r in penalties if _text(r.get("repair_status")) in {"applying", "rejected"}
    ]
    table = Table(
        ("处罚决定书文号", "处罚机关", "修复状态"),
        tuple(
            (
                _text(r.get("decision_no")),
                _text(r.get("decided_by")),
                disclosure.REPAIR_LABELS.get(_text(r.get("repair_status")), ""),
            )
            for r in in_progress
        ),
        widths=(40, 35, 25),
        empty_text="本报告展示的信息中，无正在办理的信用修复申请。",
    )
    return _table_section(
        "信用修复情况",
        "已完成信用修复的信息依规停止公示，不在本报告中展示。下表列出公示期内信息的修复申请办理情况。",
        table,
    )


def build_credit_report(
    entity: EntityFacts, records: CreditRecords, options: ReportOptions
) -> Document:
    """The credit report of ``entity`` (without its QR payload: the issuer signs it).

    Args:
        entity: Registration facts.
        records: The entity's records from the local store, unfiltered.
        options: Purpose, issuing unit, number and times.

    Raises:
        ReportInputError: The options are incomplete (the message says what to fill in).
    """
    options.check()
    today = options.issued_at.date()
    public = public_record(
        memberships=records.memberships,
        penalties=records.penalties,
        licences=records.licences,
        inspections=records.inspections,
        entries=records.entries,
        today=today,
    )
    licences, penalties, memberships = public.licences, public.penalties, public.lists
    commitments, inspections = public.commitments, public.inspections
    acts = (*public.dishonesty, *public.warnings, *public.interviews)
    attendance = _attendance(records.attendance)
    names = {code: rule.name for code, rule in records.policy.lists.items()}

    def on_list(code: str) -> int:
        return sum(1 for m in memberships if m.get("list") == code)

    counts = (
        ("行政许可", len(licences)),
        ("行政处罚（公示期内）", len(penalties)),
        ("守信激励对象名单（红名单）", on_list("red")),
        ("严重失信主体名单", on_list("serious_dishonesty")),
        ("重点关注对象名单", on_list("key_attention")),
        ("信用承诺", len(commitments)),
        ("失信记录、警示和约谈（公示期内）", len(acts)),
        ("诚信教育参训", len(attendance)),
        ("公开的检查结果", len(inspections)),
    )
    sections = [
        _notes(options),
        _overview(entity, counts),
        _table_section(
            "行政许可信息",
            "",
            Table(
                (
                    "许可决定书文号",
                    "许可证书名称 / 许可事项",
                    "许可内容",
                    "决定日期",
                    "有效期",
                    "许可机关",
                ),
                tuple(
                    (
                        _text(r.get("licence_no")),
                        " / ".join(
                            x for x in (_text(r.get("licence_name")), _text(r.get("matter"))) if x
                        ),
                        _text(r.get("content")),
                        _text(r.get("decided_on")),
                        _validity(r),
                        _text(r.get("decided_by")),
                    )
                    for r in licences
                ),
                widths=(16, 18, 19, 14, 18, 15),
                empty_text="未查询到该主体的行政许可信息。",
            ),
        ),
        _table_section(
            "行政处罚信息",
            "仅展示处于公示期内的行政处罚信息；公示期限自处罚决定之日起计算。",
            Table(
                ("处罚决定书文号", "违法行为", "处罚内容", "决定日期", "处罚机关", "公示截止"),
                tuple(
                    (
                        _text(r.get("decision_no")),
                        _text(r.get("violation")),
                        "；".join(x for x in (_text(r.get("penalty")), _amount(r)) if x),
                        _text(r.get("decided_on")),
                        _text(r.get("decided_by")),
                        _publication_until(r),
                    )
                    for r in penalties
                ),
                widths=(16, 19, 20, 14, 17, 14),
                empty_text="未查询到该主体处于公示期内的行政处罚信息。",
            ),
        ),
        Section(
            "名单信息",
            (
                Table(
                    ("名单", "列入依据", "认定单位", "列入日期"),
                    tuple(
                        (
                            names.get(_text(m.get("list")), _text(m.get("list_name"))),
                            _text(m.get("basis")),
                            _text(m.get("decided_by")),
                            _text(m.get("since")),
                        )
                        for m in memberships
                    ),
                    widths=(24, 38, 23, 15),
                    empty_text="该主体未被列入红名单、严重失信主体名单或重点关注对象名单。",
                ),
                *(
                    Paragraph(f"{names.get(code, code)}：{LIST_MEANINGS[code]}", "note")
                    for code in LIST_MEANINGS
                    if on_list(code)
                ),
            ),
        ),
        _table_section(
            "信用承诺及履约情况",
            "履约状态为“已违诺”的承诺按其失信记录的公示期展示，完成信用修复后停止展示。",
            Table(
                ("承诺类型", "办理事项", "作出单位", "签署日期", "履约状态", "公示截止"),
                tuple(
                    (
                        _commitment_kind(r),
                        _text(r.get("title")),
                        _text(r.get("authority")),
                        _text(r.get("decided_on")),
                        _with_mark(r, _text(r.get("status_label"))),
                        _text(r.get("shown_until")),
                    )
                    for r in commitments
                ),
                widths=(13, 24, 20, 14, 15, 14),
                empty_text="未查询到该主体作出的、可公示的信用承诺。",
            ),
        ),
        _table_section(
            "失信记录、警示和约谈",
            "仅展示处于公示期内、未完成信用修复、未因异议撤销的记录；公示期限自作出之日起计算。",
            Table(
                ("类别", "事项", "严重程度", "作出日期", "作出单位", "公示截止"),
                tuple(
                    (
                        _ACT_LABELS.get(_text(r.get("kind")), ""),
                        _with_mark(r, _text(r.get("title"))),
                        _severity_label(r),
                        _text(r.get("decided_on")),
                        _text(r.get("authority")),
                        _text(r.get("shown_until")),
                    )
                    for r in acts
                ),
                widths=(12, 30, 12, 14, 18, 14),
                empty_text="未查询到该主体处于公示期内的失信记录、失信警示或约谈记录。",
            ),
        ),
        _table_section(
            "诚信教育参训情况",
            "诚信教育为免费公益培训，是否参训不影响市场准入。",
            Table(
                ("培训主题", "培训日期", "参训人"),
                tuple(
                    (
                        _text(r.get("title")),
                        _text(r.get("held_on")),
                        _text(r.get("attendee_name")),
                    )
                    for r in attendance
                ),
                widths=(55, 20, 25),
                empty_text="未查询到该主体人员参加诚信教育的记录。",
            ),
        ),
        _table_section(
            "公开的检查结果",
            "“双随机、一公开”等行政检查依法公开的结果。",
            Table(
                ("检查日期", "检查类别", "检查机关", "检查结果"),
                tuple(
                    (
                        _text(r.get("inspected_on")),
                        _text(r.get("inspection_kind")),
                        _text(r.get("authority")),
                        _text(r.get("result")),
                    )
                    for r in inspections
                ),
                widths=(15, 18, 27, 40),
                empty_text="未查询到该主体公开的检查结果。",
            ),
        ),
        _repair_section(penalties),
        Section(
            "声明",
            (
                Paragraph(
                    "本报告信息来源于各级行政机关依法归集的公共信用信息。出具单位已尽合理审慎义务"
                    "核对报告内容，但不对信息来源单位提供信息的准确性承担责任。"
                ),
                Paragraph(
                    "市场主体对报告所载信息有异议的，可向信息提供单位或出具单位提出异议申请，"
                    "经核实确有错误的，依规予以更正或撤销。"
                ),
                Paragraph("本报告不得涂改、转让；复印件无效，以平台核验结果为准。"),
                Paragraph(f"出具单位：{options.issuing_unit.strip()}", align="right"),
                Paragraph(f"出具日期：{options.issued_at.strftime('%Y年%m月%d日')}", align="right"),
                SignatureForm((SignatureLine("出具单位（盖章）"), SignatureLine("经办人（签字）"))),
            ),
        ),
    ]
    return Document(
        doc_type=DOC_TYPE,
        title=TITLE,
        number=options.report_no,
        issued_at=_stamp(options.issued_at),
        sections=tuple(sections),
        cover=_cover(entity, options),
        watermark=options.watermark.strip(),
        qr_caption="扫码核验报告真伪",
        subject=entity.name,
    )
