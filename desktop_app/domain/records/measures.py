"""联合奖惩反馈: what a window did about a measure the credit check called for (seed 三(十)).

When the card shows a reward (绿色通道, 容缺受理 …) or a restriction (限制申请财政资金, 市场禁入 …)
for an entity on a list, the clerk records what was done: ``applied`` or ``not_applicable``
(with the reason). The form is taken offline at the window and synced once; supervisors see,
per measure, how often it was applied (``GET /v1/measures/statistics``).
"""

from __future__ import annotations

import enum
from typing import Annotated, Any, ClassVar

from desktop_app.domain.records.base import (
    IsoDate,
    LongText,
    Owner,
    RecordInvalid,
    RecordModel,
    Text,
    choice,
    field,
)

__all__ = ["MeasureFeedback", "MeasureOutcome"]


class MeasureOutcome(enum.StrEnum):
    """What the window did about the measure."""

    APPLIED = "applied"  # 已实施
    NOT_APPLICABLE = "not_applicable"  # 不适用

    @property
    def label(self) -> str:
        """Chinese name."""
        return "已实施" if self is MeasureOutcome.APPLIED else "不适用"


class MeasureFeedback(RecordModel):
    """联合奖惩措施实施反馈: one measure, one case at one window."""

    COLLECTION: ClassVar[str] = "measure_feedback"
    LABEL: ClassVar[str] = "联合奖惩反馈"
    OWNER: ClassVar[Owner] = Owner.CLIENT
    SCOPE_BY: ClassVar[Any] = "hall"
    CREATE_ROLES: ClassVar[frozenset[str]] = frozenset({"window"})
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset(
        {"hall_id", "uscc", "list_code", "measure", "recorded_on"}
    )
    AUTHOR_FIELDS: ClassVar[frozenset[str]] = frozenset({"recorded_by"})
    NAMED_FIELDS: ClassVar[frozenset[str]] = frozenset({"entity_name"})

    uscc: Text = field("统一社会信用代码", "uscc", required=True)
    entity_name: Text = field("主体名称", "text")
    list_code: Text = field("名单", "text", required=True)
    list_name: Text = field("名单名称", "text")
    category: Text = field("类别", "text")
    measure: Text = field("措施", "text", required=True)
    outcome: Annotated[MeasureOutcome | None, choice(MeasureOutcome)] = field(
        "实施情况", "choice", required=True, choices=tuple(MeasureOutcome)
    )
    reason: LongText = field("不适用的理由", "long_text")
    matter: Text = field("办理事项", "text")
    recorded_on: IsoDate = field("记录日期", "date", required=True)
    recorded_by: Text = field("经办人", "text")

    def check_state(self, before: MeasureFeedback | None) -> None:
        """A measure found not applicable says why.

        Raises:
            RecordInvalid: ``missing_field`` without a reason.
        """
        if self.outcome is MeasureOutcome.NOT_APPLICABLE and not self.reason.strip():
            raise RecordInvalid(
                "missing_field",
                "措施不适用时请写明理由（reason），例如“本事项不涉及财政资金”。",
                "reason",
            )
