"""现场检查 records: results, findings, warnings, interviews; tasks, checklists, grades.

The result of an inspection, its findings, warning and interview; the platform's tasks,
checklists and grades the inspector works from.

Every inspection form belongs to an inspection task: the platform accepts it only from the
inspector the task is assigned to, for the task's entity (``task_id`` and ``uscc`` are fixed
at creation).
"""

from __future__ import annotations

import enum
from typing import Annotated, Any, ClassVar

from desktop_app.domain import commitments as cm
from desktop_app.domain import inspections as rules
from desktop_app.domain.records.base import (
    Blobs,
    Flag,
    IsoDate,
    LongText,
    Owner,
    RecordModel,
    Text,
    Texts,
    WorkingDays,
    choice,
    field,
)
from desktop_app.domain.verification import VerificationOutcome

__all__ = [
    "Checklist",
    "CreditGrade",
    "Finding",
    "FindingSeverity",
    "InspectionForm",
    "InspectionResult",
    "InspectionTask",
    "Interview",
    "InterviewKind",
    "Warning",
]


class FindingSeverity(enum.StrEnum):
    """严重程度 of a finding."""

    MINOR = "minor"
    GENERAL = "general"
    SERIOUS = "serious"

    @property
    def label(self) -> str:
        """Chinese name."""
        return rules.SEVERITY_LABELS[self.value]


class InterviewKind(enum.StrEnum):
    """约谈类型 (seed 三(八))."""

    REMINDER = "reminder"  # 提示约谈
    WARNING = "warning"  # 警示约谈

    @property
    def label(self) -> str:
        """Chinese name."""
        return rules.INTERVIEW_KINDS[self.value]


class InspectionForm(RecordModel):
    """What every inspection form has: its task, the entity inspected, attachments."""

    OWNER: ClassVar[Owner] = Owner.CLIENT
    SCOPE_BY: ClassVar[Any] = "task"
    CREATE_ROLES: ClassVar[frozenset[str]] = frozenset({"inspector"})
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset({"task_id", "uscc"})
    NAMED_FIELDS: ClassVar[frozenset[str]] = frozenset({"entity_name"})

    task_id: Text = field("检查任务", "text", required=True)
    uscc: Text = field("被检查主体统一社会信用代码", "uscc", required=True)
    attachments: Blobs = field("附件", "blobs")
    entity_name: Text = field("主体名称", "text")
    uscc_override_reason: Text = field("例外使用理由", "text")


class InspectionResult(InspectionForm):
    """检查结果: the inspector's record of one inspection."""

    COLLECTION: ClassVar[str] = "inspection_results"
    LABEL: ClassVar[str] = "检查结果"
    AUTHOR_FIELDS: ClassVar[frozenset[str]] = frozenset({"inspector"})
    STAMP_FIELDS: ClassVar[frozenset[str]] = frozenset({"recorded_at"})

    inspected_on: IsoDate = field("检查日期", "date", required=True)
    conclusion: LongText = field("检查结论", "long_text", required=True)
    checklist_id: Text = field("检查表", "text")
    items: list[dict[str, Any]] = field("检查项目", "any", default=[])
    location: Text = field("检查地点", "text")
    representative_name: Text = field("被检查方代表", "text")
    representative_role: Text = field("代表职务", "text")
    outcome: Annotated[rules.Outcome | None, choice(rules.Outcome)] = field(
        "处理结果", "choice", choices=tuple(rules.Outcome)
    )
    rectify_working_days: WorkingDays = field(
        "整改期限（工作日）", "int", low=1, high=rules.MAX_RECTIFY_WORKING_DAYS
    )
    rectify_deadline: IsoDate = field("整改截止日期", "date")
    warning_content: LongText = field("警示内容", "long_text")
    publishable: Flag = field("可公示", "bool")
    publish: Flag = field("同意公示", "bool")
    inspector: Text = field("检查人员", "text")
    recorded_at: Text = field("记录时间", "text")
    reinspection_of: Text = field("复查的检查结果", "text")
    photos: list[dict[str, Any]] = field("现场照片", "any", default=[])
    signed_scans: list[dict[str, Any]] = field("签字扫描件", "any", default=[])
    amendments: list[dict[str, Any]] = field("更正记录", "any", default=[])
    verification: Annotated[VerificationOutcome | None, choice(VerificationOutcome)] = field(
        "承诺核查结论", "choice", choices=tuple(VerificationOutcome)
    )
    verification_severity: Annotated[cm.BreachSeverity | None, choice(cm.BreachSeverity)] = field(
        "承诺不实情节", "choice", choices=tuple(cm.BreachSeverity)
    )

    @property
    def is_public(self) -> bool:
        """Marked publishable (一公开)."""
        return self.publishable or self.publish


class Finding(InspectionForm):
    """检查发现的问题."""

    COLLECTION: ClassVar[str] = "findings"
    LABEL: ClassVar[str] = "检查发现的问题"

    description: LongText = field("问题描述", "long_text", required=True)
    severity: Annotated[FindingSeverity | None, choice(FindingSeverity)] = field(
        "严重程度", "choice", choices=tuple(FindingSeverity)
    )
    result_id: Text = field("检查结果", "text")
    item_no: int | None = field("检查项序号", "any")


class Warning(InspectionForm):
    """失信警示 with its rectification period; the platform derives the deadline."""

    COLLECTION: ClassVar[str] = "warnings"
    LABEL: ClassVar[str] = "失信警示"
    DERIVED: ClassVar[frozenset[str]] = frozenset({"rectify_deadline", "followup_task_id"})

    issued_on: IsoDate = field("警示日期", "date", required=True)
    content: LongText = field("警示内容", "long_text", required=True)
    rectify_working_days: WorkingDays = field(
        "整改期限（工作日）", "int", required=True, low=1, high=rules.MAX_RECTIFY_WORKING_DAYS
    )
    rectify_deadline: IsoDate = field("整改截止日期", "date")
    result_id: Text = field("检查结果", "text")
    publishable: bool | None = field("可公示", "any")
    """Published unless the officer says no (行政监督检查 acts are public, seed 四(十三))."""
    rectified: Flag = field("已整改", "bool")
    followup_task_id: Text = field("跟进任务", "text")
    """The follow-up task a supervisor made once the warning was overdue (platform-set)."""


class Interview(InspectionForm):
    """约谈记录 (提示约谈 / 警示约谈)."""

    COLLECTION: ClassVar[str] = "interviews"
    LABEL: ClassVar[str] = "约谈记录"
    AUTHOR_FIELDS: ClassVar[frozenset[str]] = frozenset({"inspector"})

    kind: Annotated[InterviewKind | None, choice(InterviewKind)] = field(
        "约谈类型", "choice", required=True, choices=tuple(InterviewKind)
    )
    held_on: IsoDate = field("约谈日期", "date", required=True)
    record: LongText = field("约谈记录", "long_text")
    participants: Text = field("参加人员", "text")
    commitments_made: LongText = field("被约谈方的承诺", "long_text")
    location: Text = field("约谈地点", "text")
    warning_id: Text = field("逾期未整改的失信警示", "text")
    inspector: Text = field("约谈人", "text")
    publishable: bool | None = field("可公示", "any")
    """Published unless the officer says no (行政监督检查 acts are public, seed 四(十三))."""


class InspectionTask(RecordModel):
    """检查任务 (platform data: drawn or assigned)."""

    COLLECTION: ClassVar[str] = "inspection_tasks"
    LABEL: ClassVar[str] = "检查任务"

    uscc: Text = field("统一社会信用代码", "text")
    entity_name: Text = field("主体名称", "text")
    checklist_id: Text = field("检查表", "text")
    inspectors: Texts = field("检查人员", "texts")
    due_on: IsoDate = field("完成期限", "date")
    credit_grade: Text = field("信用风险分类", "text")
    draw_id: Text = field("抽查批次编号", "text")
    draw_title: Text = field("抽查批次", "text")
    assigned_on: IsoDate = field("分配日期", "date")
    due_note: Text = field("期限说明", "text")
    purpose: Text = field("任务类型", "text")
    commitment_id: Text = field("核查的信用承诺", "text")
    matter: Text = field("承诺事项", "text")
    commitment_kind: Text = field("承诺类型", "text")
    signed_on: IsoDate = field("承诺签署日期", "date")


class Checklist(RecordModel):
    """检查表 (platform data)."""

    COLLECTION: ClassVar[str] = "checklists"
    LABEL: ClassVar[str] = "检查表"

    domain: Text = field("领域", "text")
    title: Text = field("名称", "text")
    legal_basis: LongText = field("依据", "long_text")
    items: list[dict[str, Any]] = field("检查项目", "any", default=[])


class CreditGrade(RecordModel):
    """信用风险分类 (supervisors only; platform data)."""

    COLLECTION: ClassVar[str] = "credit_grades"
    LABEL: ClassVar[str] = "信用风险分类"

    uscc: Text = field("统一社会信用代码", "text")
    grade: Text = field("分类", "text")
    assessed_on: Text = field("评定日期", "text")
