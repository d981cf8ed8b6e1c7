"""信用修复 and 异议: eligibility, deadlines, decisions and their effect on the record.

DOMAIN.md "Credit repair" (NDRC 《信用修复管理办法》, 令第36号) and "Objections"; seed 三(十一),
四(十五). Pure rules, shared by the window client (intake, offline) and the platform (routing,
decision, effect):

* **Eligibility**: an application may be made once the minimum publication period for the
  record's severity has passed, counted from the decision date (轻微 0, 一般 3 months, 严重 12
  months by default; the period table is data: :data:`MIN_MONTHS` is the default the platform's
  policy may override per severity). :func:`earliest_application` gives the first day.
* **Ways of repair** (seed 三(十一)): commitment, rectification, verification, training, credit
  report, public-interest work (:class:`RepairWay`).
* **Deadlines** in working days on the official calendar (:func:`due_date`): the unit decides
  within :data:`DEFAULT_DECISION_WORKING_DAYS` of receipt (local rules: platform data).
* **Repair decision**: 准予修复 (the record stops being published everywhere, joint punishment
  tied to it ends) or 不予修复, always with reasons.
* **Objection**: while checked the record is marked 异议处理中; the unit decides 维持 (kept),
  更正 (corrected; the old version kept in the record's history) or 撤销 (removed from
  publication), with reasons, and records what it did to undo any harm.

The state a decision leaves on the record is :func:`repair_effect` / :func:`objection_effect`:
the fields to write on the source form, which the shared projection
(:mod:`desktop_app.domain.credit_record`) reads.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop_app.domain import disclosure
from desktop_app.domain.clock import china_today
from desktop_app.domain.errors import DomainError
from desktop_app.domain.working_days import WorkingDayCalendar

__all__ = [
    "DEFAULT_DECISION_WORKING_DAYS",
    "MIN_MONTHS",
    "ObjectionOutcome",
    "ObjectionTarget",
    "RepairError",
    "RepairOutcome",
    "RepairTarget",
    "RepairWay",
    "due_date",
    "earliest_application",
    "objection_effect",
    "repair_effect",
]

MIN_MONTHS: Mapping[disclosure.Severity, int] = disclosure.MIN_PUBLICATION_MONTHS
"""Shortest publication before repair may be applied for, by severity (DOMAIN.md defaults)."""

DEFAULT_DECISION_WORKING_DAYS = 10
"""Working days the deciding unit has, from receipt, to decide a repair or an objection."""


class RepairTarget(enum.StrEnum):
    """What a repair application may target: a 失信记录."""

    DISHONESTY_RECORDS = "dishonesty_records"


class ObjectionTarget(enum.StrEnum):
    """What an objection may target: every form of the public credit record."""

    COMMITMENTS = "commitments"
    DISHONESTY_RECORDS = "dishonesty_records"
    WARNINGS = "warnings"
    INTERVIEWS = "interviews"


REPAIRABLE = frozenset(t.value for t in RepairTarget)
OBJECTABLE = frozenset(t.value for t in ObjectionTarget)


class RepairError(DomainError):
    """A repair or objection step is refused; ``str(err)`` says why and what to do."""

    def __init__(self, message: str, code: str = "invalid_field") -> None:
        super().__init__(message)
        self.code = code


class RepairWay(enum.StrEnum):
    """信用修复方式 (seed 三(十一))."""

    COMMITMENT = "commitment"
    RECTIFICATION = "rectification"
    VERIFICATION = "verification"
    TRAINING = "training"
    CREDIT_REPORT = "credit_report"
    PUBLIC_SERVICE = "public_service"

    @property
    def label(self) -> str:
        """Chinese name."""
        return WAY_LABELS[self]


WAY_LABELS: Mapping[RepairWay, str] = {
    RepairWay.COMMITMENT: "作出信用承诺",
    RepairWay.RECTIFICATION: "完成整改",
    RepairWay.VERIFICATION: "提交核查说明",
    RepairWay.TRAINING: "参加信用修复培训",
    RepairWay.CREDIT_REPORT: "提交信用报告",
    RepairWay.PUBLIC_SERVICE: "参加公益慈善活动",
}


class RepairOutcome(enum.StrEnum):
    """A repair decision."""

    GRANTED = "granted"  # 准予修复
    REFUSED = "refused"  # 不予修复

    @property
    def label(self) -> str:
        """Chinese name."""
        return "准予修复" if self is RepairOutcome.GRANTED else "不予修复"


class ObjectionOutcome(enum.StrEnum):
    """An objection decision."""

    KEPT = "kept"  # 维持
    CORRECTED = "corrected"  # 更正
    REVOKED = "revoked"  # 撤销

    @property
    def label(self) -> str:
        """Chinese name."""
        return {"kept": "维持", "corrected": "更正", "revoked": "撤销"}[self.value]


@dataclass(frozen=True)
class Eligibility:
    """Whether a repair application may be taken today, and from when."""

    allowed: bool
    earliest: date
    severity: disclosure.Severity

    @property
    def message(self) -> str:
        """Why not (Chinese), or empty."""
        if self.allowed:
            return ""
        label = disclosure.SEVERITY_LABELS[self.severity]
        months = MIN_MONTHS[self.severity]
        return (
            f"该失信记录为{label}失信，最短公示期为{months}个月，自认定之日起计算，"
            f"最早可于 {self.earliest.isoformat()} 申请信用修复；目前不予受理。"
        )


def earliest_application(
    decided_on: date, severity: str, min_months: Mapping[str, int] | None = None
) -> date:
    """The first day a repair of a record decided on ``decided_on`` may be applied for.

    Args:
        decided_on: The decision date of the 失信 record.
        severity: 轻微 / 一般 / 严重 (code or label).
        min_months: Severity code → months, the platform's table; defaults to DOMAIN.md's.
    """
    level = disclosure.parse_severity(severity)
    months = (min_months or {}).get(level.value, MIN_MONTHS[level])
    return disclosure.add_months(decided_on, months)


def eligibility(
    decided_on: date, severity: str, today: date, min_months: Mapping[str, int] | None = None
) -> Eligibility:
    """Whether a repair may be applied for on ``today`` (see :func:`earliest_application`)."""
    earliest = earliest_application(decided_on, severity, min_months)
    return Eligibility(today >= earliest, earliest, disclosure.parse_severity(severity))


def due_date(
    received_on: date,
    calendar: WorkingDayCalendar,
    working_days: int = DEFAULT_DECISION_WORKING_DAYS,
) -> date:
    """The day a decision is due: ``working_days`` working days after receipt.

    Raises:
        desktop_app.domain.working_days.CalendarUnknown: The calendar does not know the year.
    """
    return calendar.deadline(received_on, working_days)


def _reasons(reasons: str) -> str:
    text = (reasons or "").strip()
    if len(text) < 4:
        raise RepairError("请填写决定的理由（至少4个字），理由将写入告知书。")
    return text


def repair_effect(outcome: RepairOutcome, reasons: str, decided_on: date) -> dict[str, Any]:
    """The fields a repair decision writes on the 失信记录.

    准予修复: ``repaired`` true, ``repair_status`` ``repaired`` (publication stops, joint
    punishment tied to the record ends); 不予修复: ``repair_status`` ``rejected`` (it stays
    published).

    Raises:
        RepairError: No reasons.
    """
    text = _reasons(reasons)
    if outcome is RepairOutcome.GRANTED:
        return {
            "repaired": True,
            "repair_status": "repaired",
            "repaired_on": decided_on.isoformat(),
            "repair_reasons": text,
        }
    return {"repair_status": "rejected", "repair_reasons": text}


def objection_effect(
    outcome: ObjectionOutcome,
    reasons: str,
    current: Mapping[str, Any],
    corrections: Mapping[str, Any] | None = None,
    decided_on: date | None = None,
) -> dict[str, Any]:
    """The fields an objection decision writes on the disputed form.

    维持: ``objection_status`` ``kept``; 撤销: ``revoked`` (removed from publication); 更正: the
    corrections applied, and the fields they replace kept in ``corrections_history`` (the
    record's history).

    Raises:
        RepairError: No reasons, or 更正 without any correction, or a correction of a field that
            identifies the record (``uscc``, ``source_id`` …).
    """
    text = _reasons(reasons)
    day = (decided_on or china_today()).isoformat()
    out: dict[str, Any] = {"objection_status": outcome.value, "objection_reasons": text}
    if outcome is not ObjectionOutcome.CORRECTED:
        return out
    changes = dict(corrections or {})
    fixed = {"uscc", "source_collection", "source_id", "task_id", "hall_id"} & set(changes)
    if fixed:
        raise RepairError(f"更正不能修改记录的标识字段：{'、'.join(sorted(fixed))}。")
    if not changes or all(current.get(k) == v for k, v in changes.items()):
        raise RepairError("决定“更正”时请填写更正后的内容（至少一项与原记录不同）。")
    history = list(current.get("corrections_history") or [])
    history.append(
        {
            "corrected_on": day,
            "reasons": text,
            "before": {k: current.get(k) for k in changes},
        }
    )
    out.update(changes)
    out["corrections_history"] = history
    return out
