"""信用修复申请 and 异议申请: forms taken at any window, decided by the unit that made the record.

The rules (eligibility, deadlines, decisions and their effect) are :mod:`desktop_app.domain.repair`.
A window creates the application (offline too); the platform checks its target, derives its
due date with the official calendar, routes it to the target's region, and writes the decision
fields only through its decision endpoints (they are ``DERIVED``: a client never sets them).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from desktop_app.domain import repair as rules
from desktop_app.domain.records.base import (
    Blobs,
    IsoDate,
    LongText,
    Owner,
    RecordModel,
    Text,
    Texts,
    choice,
    field,
)

__all__ = ["DECISION_FIELDS", "Objection", "RepairApplication"]

DECISION_FIELDS = frozenset(
    {"due_on", "status", "decision", "reasons", "decided_by", "decided_on", "remedy", "corrections"}
)
"""Fields only the platform writes (due date on receipt; the decision)."""

_WINDOW = frozenset({"window"})


class _Application(RecordModel):
    """What a repair application and an objection share.

    Intake at a window; the platform's due date and decision (derived: no push sets them).
    """

    OWNER: ClassVar[Owner] = Owner.CLIENT
    SCOPE_BY: ClassVar[Any] = "hall"
    CREATE_ROLES: ClassVar[frozenset[str]] = _WINDOW
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset(
        {"hall_id", "uscc", "source_collection", "source_id", "received_on"}
    )
    DERIVED: ClassVar[frozenset[str]] = DECISION_FIELDS
    NAMED_FIELDS: ClassVar[frozenset[str]] = frozenset({"entity_name"})

    uscc: Text = field("统一社会信用代码", "uscc", required=True)
    entity_name: Text = field("主体名称", "text")
    source_id: Text = field("所涉记录", "text", required=True)
    received_on: IsoDate = field("受理日期", "date", required=True)
    record_title: Text = field("所涉记录事项", "text")
    due_on: IsoDate = field("办理期限", "date")
    status: Text = field("办理状态", "text")
    decision: Text = field("决定", "text")
    reasons: LongText = field("决定理由", "long_text")
    decided_by: Text = field("决定人", "text")
    decided_on: IsoDate = field("决定日期", "date")


class RepairApplication(_Application):
    """信用修复申请: an entity asks that a 失信 record stop being published."""

    COLLECTION: ClassVar[str] = "repair_applications"
    LABEL: ClassVar[str] = "信用修复申请"

    source_collection: Annotated[rules.RepairTarget | None, choice(rules.RepairTarget)] = field(
        "失信记录类别", "choice", required=True, choices=tuple(rules.RepairTarget)
    )
    way: Annotated[rules.RepairWay | None, choice(rules.RepairWay)] = field(
        "修复方式", "choice", required=True, choices=tuple(rules.RepairWay)
    )
    statement: LongText = field("申请理由及整改情况", "long_text", required=True)
    materials: Texts = field("已提交材料", "texts")
    attachments: Blobs = field("材料扫描件", "blobs")
    applicant_name: Text = field("申请人", "text", required=True)
    applicant_phone: Text = field("联系电话", "text")
    commitment_id: Text = field("信用修复承诺书", "text")


class Objection(_Application):
    """异议申请: an entity disputes a record of the public credit record."""

    COLLECTION: ClassVar[str] = "objections"
    LABEL: ClassVar[str] = "异议申请"

    source_collection: Annotated[rules.ObjectionTarget | None, choice(rules.ObjectionTarget)] = (
        field("记录类别", "choice", required=True, choices=tuple(rules.ObjectionTarget))
    )
    objector_name: Text = field("异议人", "text", required=True)
    objector_role: Text = field("异议人身份", "text")
    objector_phone: Text = field("联系电话", "text")
    disputed: LongText = field("异议内容", "long_text", required=True)
    evidence: LongText = field("证据", "long_text")
    attachments: Blobs = field("证据扫描件", "blobs")
    remedy: LongText = field("纠正措施", "long_text")
    corrections: dict[str, Any] | None = field("更正内容", "any")
