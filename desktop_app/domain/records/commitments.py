"""信用承诺 and what follows from it: the commitment, its 失信记录, the catalog it comes from.

The commitment's lifecycle is :data:`desktop_app.domain.commitments.TRANSITIONS` (one table,
walked by the client service and by the platform through :meth:`Commitment.check_state`).
"""

from __future__ import annotations

import enum
from typing import Annotated, Any, ClassVar

from pydantic import Strict

from desktop_app.domain import commitments as cm
from desktop_app.domain import uscc as uscc_rules
from desktop_app.domain.records.base import (
    Blobs,
    Flag,
    IsoDate,
    LongText,
    Owner,
    RecordInvalid,
    RecordModel,
    Text,
    Texts,
    WorkingDays,
    choice,
    field,
)
from desktop_app.domain.records.states import StateMachine

__all__ = ["CatalogMatter", "Commitment", "DishonestyRecord", "SourceCollection", "UsccOverride"]


class SourceCollection(enum.StrEnum):
    """What a 失信记录 may be founded on."""

    COMMITMENTS = "commitments"


_WINDOW = frozenset({"window"})


class Commitment(RecordModel):
    """信用承诺: a letter an applicant signs at the window (告知承诺, 容缺受理 …).

    The tolerance terms (所缺材料, 补齐期限) are required for 容缺受理; ``deadline`` is derived
    by the platform from the signing date and the official calendar.
    """

    COLLECTION: ClassVar[str] = "commitments"
    LABEL: ClassVar[str] = "信用承诺"
    OWNER: ClassVar[Owner] = Owner.CLIENT
    SCOPE_BY: ClassVar[Any] = "hall"
    CREATE_ROLES: ClassVar[frozenset[str]] = _WINDOW
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset({"hall_id", "uscc"})
    DERIVED: ClassVar[frozenset[str]] = frozenset(
        {"deadline", "verify_due_on", "verification_task_id"}
    )
    STAMP_FIELDS: ClassVar[frozenset[str]] = frozenset({"created_at"})
    NAMED_FIELDS: ClassVar[frozenset[str]] = frozenset({"entity_name"})
    STATES: ClassVar[StateMachine[Any] | None] = StateMachine(
        "status", cm.INITIAL_STATUSES, cm.TRANSITIONS
    )

    uscc: Text = field("统一社会信用代码", "uscc", required=True)
    kind: Annotated[cm.CommitmentKind | None, choice(cm.CommitmentKind)] = field(
        "承诺类型", "choice", required=True, choices=tuple(cm.CommitmentKind)
    )
    status: Annotated[cm.CommitmentStatus | None, choice(cm.CommitmentStatus)] = field(
        "承诺状态", "choice", required=True, choices=tuple(cm.CommitmentStatus)
    )
    matter: Text = field("办理事项", "text", required=True)
    signed_on: IsoDate = field("签署日期", "date")
    missing_materials: list[Annotated[str, Strict()]] | None = field(
        "所缺材料", "texts", nullable=True
    )
    deadline_working_days: WorkingDays = field(
        "补齐期限（工作日）", "int", low=1, high=cm.MAX_TOLERANCE_WORKING_DAYS
    )
    text: LongText = field("承诺内容", "long_text")
    attachments: Blobs = field("附件", "blobs")
    deadline: IsoDate = field("补齐截止日期", "date")
    entity_name: Text = field("主体名称", "text")
    matter_id: Text = field("事项编号", "text")
    domain: Text = field("领域", "text")
    legal_basis: Text = field("设定依据", "text")
    authority: Text = field("实施机关", "text")
    applicant_name: Text = field("申请人", "text")
    applicant_role: Text = field("申请人身份", "text")
    applicant_phone: Text = field("联系电话", "text")
    publish: Flag = field("同意公示", "bool")
    publishable: Flag = field("可公示", "bool")
    note: LongText = field("备注", "long_text")
    created_at: Text = field("创建时间", "text")
    verified_on: IsoDate = field("核查日期", "date")
    verification_note: LongText = field("核查说明", "long_text")
    verify_due_on: IsoDate = field("核查期限", "date")
    verification_task_id: Text = field("核查任务", "text")
    uscc_override_reason: Text = field("例外使用理由", "text")
    history: list[dict[str, Any]] = field("状态记录", "any", default=[])
    materials: list[dict[str, Any]] = field("补齐材料", "any", default=[])
    breach: dict[str, Any] | None = field("违诺认定", "any")

    def check_state(self, before: Commitment | None) -> None:
        """The lifecycle, the signing date, the 容缺受理 terms, after ``before``.

        ``before`` is None for a new commitment. The lifecycle is :data:`STATES`, applied
        by :func:`desktop_app.domain.commitments.check_status_change` (its messages).

        Raises:
            RecordInvalid: ``illegal_transition`` or ``missing_field`` (the same codes on
                both sides).
        """
        try:
            cm.check_status_change(
                None if before is None else before.status, self.status or "", self.signed_on
            )
        except cm.CommitmentError as err:
            raise RecordInvalid(err.code, str(err), "status") from None
        if self.kind is not cm.CommitmentKind.TOLERANCE:
            return
        for name, label in (
            ("missing_materials", "所缺材料"),
            ("deadline_working_days", "补齐期限"),
        ):
            if getattr(self, name) is None:
                raise RecordInvalid(
                    "missing_field", f"容缺受理须填写“{label}”（{name}），请补充后再提交。", name
                )
        try:
            cm.check_tolerance_terms(
                self.kind, self.missing_materials or [], self.deadline_working_days
            )
        except cm.CommitmentError as err:
            raise RecordInvalid("invalid_field", str(err), "missing_materials") from None

    @property
    def is_tolerance(self) -> bool:
        """容缺受理."""
        return self.kind is cm.CommitmentKind.TOLERANCE


class DishonestyRecord(RecordModel):
    """失信记录: a breach or a false commitment, found at the window."""

    COLLECTION: ClassVar[str] = "dishonesty_records"
    LABEL: ClassVar[str] = "失信记录"
    OWNER: ClassVar[Owner] = Owner.CLIENT
    SCOPE_BY: ClassVar[Any] = "hall"
    CREATE_ROLES: ClassVar[frozenset[str]] = _WINDOW
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset(
        {"hall_id", "uscc", "source_collection", "source_id"}
    )
    NAMED_FIELDS: ClassVar[frozenset[str]] = frozenset({"entity_name"})
    STATES: ClassVar[StateMachine[Any] | None] = StateMachine(
        "repaired", frozenset({False}), {False: frozenset({True}), True: frozenset()}
    )
    """A 失信记录 is found unrepaired; 修复 is not undone by an edit."""

    uscc: Text = field("统一社会信用代码", "uscc", required=True)
    source_collection: Annotated[SourceCollection | None, choice(SourceCollection)] = field(
        "来源", "choice", required=True, choices=("commitments",)
    )
    source_id: Text = field("来源记录", "text", required=True)
    kind: Annotated[cm.DishonestyKind | None, choice(cm.DishonestyKind)] = field(
        "失信类型", "choice", required=True, choices=tuple(cm.DishonestyKind)
    )
    severity: Annotated[cm.BreachSeverity | None, choice(cm.BreachSeverity)] = field(
        "严重程度", "choice", required=True, choices=tuple(cm.BreachSeverity)
    )
    evidence: LongText = field("认定依据和证据", "long_text", required=True)
    decided_on: IsoDate = field("认定日期", "date", required=True)
    repaired: Flag = field("是否已修复", "bool")
    attachments: Blobs = field("附件", "blobs")
    entity_name: Text = field("主体名称", "text")
    matter: Text = field("办理事项", "text")
    publishable: bool | None = field("可公示", "any")
    """Published unless the record says no; a 轻微 one only when it says yes."""
    uscc_override_reason: Text = field("例外使用理由", "text")


class UsccOverride(RecordModel):
    """统一社会信用代码例外使用: a code failing only its check digit, used with a reason."""

    COLLECTION: ClassVar[str] = "uscc_overrides"
    LABEL: ClassVar[str] = "统一社会信用代码例外使用"
    OWNER: ClassVar[Owner] = Owner.CLIENT
    SCOPE_BY: ClassVar[Any] = "hall"
    CREATE_ROLES: ClassVar[frozenset[str]] = _WINDOW
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset({"hall_id", "uscc"})

    uscc: Text = field("统一社会信用代码", "text", required=True)
    reason: Text = field("理由", "text", required=True)

    def check_rules(self, before: UsccOverride | None) -> None:
        """A reason of some length, and a code whose only fault is its check digit.

        Raises:
            RecordInvalid: ``invalid_field`` (reason) or ``invalid_uscc``.
        """
        super().check_rules(before)
        if len(self.reason.strip()) < uscc_rules.MIN_OVERRIDE_REASON:
            raise RecordInvalid(
                "invalid_field",
                f"请填写例外使用的理由（至少{uscc_rules.MIN_OVERRIDE_REASON}个字），"
                "例如“已与营业执照原件核对一致”。",
                "reason",
            )
        self.normalized()

    def normalized(self) -> dict[str, Any]:
        """The code, normalized (accepted with its reason).

        Raises:
            RecordInvalid: ``invalid_uscc``: the code has a fault besides its check digit.
        """
        try:
            return {"uscc": uscc_rules.accept_with_override(self.uscc, self.reason)}
        except uscc_rules.UsccError as err:
            raise RecordInvalid("invalid_uscc", str(err), "uscc") from None


class CatalogMatter(RecordModel):
    """承诺事项目录: one matter a commitment can be taken for (platform data)."""

    COLLECTION: ClassVar[str] = "commitment_catalog"
    LABEL: ClassVar[str] = "承诺事项目录"

    domain: Text = field("领域", "text")
    matter: Text = field("办理事项", "text")
    legal_basis: Text = field("设定依据", "text")
    required_materials: Texts = field("所需材料", "texts")
    allowed_kinds: Texts = field("可用承诺类型", "texts")
    authority: Text = field("实施机关", "text")
    commitment_items: Texts = field("承诺内容条目", "texts")
    letter_template: LongText = field("承诺书模板", "long_text")
    note: LongText = field("备注", "long_text")
    deadline_working_days: WorkingDays = field(
        "默认补齐期限（工作日）", "int", low=1, high=cm.MAX_TOLERANCE_WORKING_DAYS
    )
    verify_working_days: WorkingDays = field("核查期限（签署后工作日）", "int", low=1, high=250)
