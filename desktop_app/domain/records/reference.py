"""Platform data a window device keeps offline.

The registry, lists, licences, penalties, public inspection results and the calendar
overrides.

These are read-only to clients; the platform's importers build them and the pull decodes
them with these definitions (leniently: a field a newer platform adds is kept as it came).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import StrictBool, StrictInt

from desktop_app.domain.records.base import Flag, IsoDate, LongText, RecordModel, Text, field

__all__ = [
    "CalendarOverride",
    "CreditEntry",
    "Entity",
    "Licence",
    "ListMembership",
    "Penalty",
    "PolicyRecord",
    "PublicInspection",
]


class Entity(RecordModel):
    """市场主体 of the registry (the pull's largest collection)."""

    COLLECTION: ClassVar[str] = "entities"
    LABEL: ClassVar[str] = "市场主体"

    uscc: Text = field("统一社会信用代码", "text")
    name: Text = field("名称", "text")
    legal_representative: Text = field("法定代表人", "text")
    legal_representative_id: Text = field("法定代表人身份证号（脱敏）", "text")
    principal: Text = field("主要负责人", "text")
    principal_id: Text = field("主要负责人身份证号（脱敏）", "text")
    address: Text = field("住所", "text")
    region_code: Text = field("行政区划", "text")
    industry: Text = field("行业", "text")
    status: Text = field("登记状态", "text")
    credit_grade: str | None = field("信用风险分类", "any")
    lists: list[Any] = field("名单", "any", default=[])


class ListMembership(RecordModel):
    """名单 membership (红名单, 重点关注, 严重失信 …) with its basis."""

    COLLECTION: ClassVar[str] = "list_memberships"
    LABEL: ClassVar[str] = "名单"

    uscc: Text = field("统一社会信用代码", "text")
    list: Text = field("名单", "text")
    list_name: Text = field("名单名称", "text")
    basis: LongText = field("列入依据", "long_text")
    since: IsoDate = field("列入日期", "date")
    note: LongText = field("备注", "long_text")
    person_name: Text = field("被列入人员", "text")
    person_id: Text = field("被列入人员身份证号（脱敏）", "text")


class Licence(RecordModel):
    """行政许可."""

    COLLECTION: ClassVar[str] = "licences"
    LABEL: ClassVar[str] = "行政许可"

    uscc: Text = field("统一社会信用代码", "text")
    licence_no: Text = field("许可编号", "text")
    matter: Text = field("许可事项", "text")
    decided_on: IsoDate = field("许可日期", "date")
    decided_by: Text = field("许可机关", "text")
    status: Text = field("状态", "text")


class Penalty(RecordModel):
    """行政处罚."""

    COLLECTION: ClassVar[str] = "penalties"
    LABEL: ClassVar[str] = "行政处罚"

    uscc: Text = field("统一社会信用代码", "text")
    decision_no: Text = field("决定书文号", "text")
    violation: LongText = field("违法行为", "long_text")
    penalty: LongText = field("处罚内容", "long_text")
    decided_on: IsoDate = field("处罚日期", "date")
    decided_by: Text = field("处罚机关", "text")


class PublicInspection(RecordModel):
    """公开的检查结果 (一公开): imported, or mirrored from a publishable inspection result."""

    COLLECTION: ClassVar[str] = "public_inspections"
    LABEL: ClassVar[str] = "公开的检查结果"

    uscc: Text = field("统一社会信用代码", "text")
    inspected_on: Text = field("检查日期", "text")
    inspection_kind: Text = field("检查类型", "text")
    authority: Text = field("检查机关", "text")
    result: LongText = field("检查结果", "long_text")
    source: Text = field("来源检查结果", "text")
    published_on: Text = field("公示日期", "text")


class CalendarOverride(RecordModel):
    """A day the official calendar does not know yet, or a year marked complete."""

    COLLECTION: ClassVar[str] = "calendar_overrides"
    LABEL: ClassVar[str] = "节假日调整"

    date: IsoDate = field("日期", "date")
    # Strict: a table that says "yes" or 1 is malformed, not a working day (the importer
    # turns 是/否 into booleans before a record is made).
    working: StrictBool | None = field("是否工作日", "any")
    year: StrictInt | None = field("年份", "any")
    complete: Flag = field("全年已发布", "bool")
    note: Text = field("说明", "text")


class CreditEntry(RecordModel):
    """One entry of the city-wide public credit record (the platform's projection).

    Built by :func:`desktop_app.domain.credit_record.project` from a hall's or an inspector's
    form; shown under :func:`desktop_app.domain.credit_record.entry_shown`. Never carries a
    risk class or an internal note.
    """

    COLLECTION: ClassVar[str] = "credit_entries"
    LABEL: ClassVar[str] = "公共信用记录"

    uscc: Text = field("统一社会信用代码", "text")
    entity_name: Text = field("主体名称", "text")
    kind: Text = field("类别", "text")
    source_collection: Text = field("来源", "text")
    source_id: Text = field("来源记录", "text")
    title: Text = field("事项", "text")
    authority: Text = field("作出单位", "text")
    decided_on: IsoDate = field("作出日期", "date")
    shown_from: IsoDate = field("公示起始日期", "date")
    shown_until: IsoDate = field("公示截止日期", "date")
    severity: Text = field("严重程度", "text")
    status: Text = field("状态", "text")
    status_label: Text = field("履约状态", "text")
    deadline: Text = field("期限", "text")
    content: LongText = field("内容", "long_text")
    objection: Text = field("异议", "text")
    repair: Text = field("信用修复", "text")
    publishable: Flag = field("可公示", "bool")
    repaired: Flag = field("已修复", "bool")
    revoked: Flag = field("已撤销", "bool")
    tolerance_barred: Flag = field("不适用容缺受理", "bool")
    reason: LongText = field("原因", "long_text")


class PolicyRecord(RecordModel):
    """One credit policy as platform data (:mod:`desktop_app.domain.policy`)."""

    COLLECTION: ClassVar[str] = "policies"
    LABEL: ClassVar[str] = "信用政策"

    name: Text = field("政策", "text")
    revision: StrictInt | None = field("版本", "any")
    content: dict[str, Any] = field("内容", "any", default={})
    changed_by: Text = field("修改人", "text")
    changed_at: Text = field("修改时间", "text")
    note: LongText = field("修改说明", "long_text")
