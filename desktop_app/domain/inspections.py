"""现场检查 (field inspection) rules: item results, outcomes, findings and their checks.

Pure: no store, no Qt. The service (:mod:`desktop_app.services.inspections`) applies these to
what the inspector entered before anything is saved, so a refusal leaves nothing half-saved.

An inspection answers every item of the task's checklist (合格 / 不合格 / 不涉及); a failed
item is explained by a note or by a finding (问题) that names it. The outcome decides what
follows (DOMAIN.md "Warnings, rectification, interviews"): 责令整改 and 失信警示 set a
rectification deadline in working days; not rectified in time leads to 提示约谈 or 警示约谈,
and the interview record goes into the entity's credit record.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from desktop_app.domain.errors import DomainError
from desktop_app.domain.working_days import WorkingDayCalendar

__all__ = [
    "INTERVIEW_KINDS",
    "ITEM_RESULT_LABELS",
    "MAX_RECTIFY_WORKING_DAYS",
    "MIN_AMEND_REASON",
    "OUTCOME_LABELS",
    "SEVERITY_LABELS",
    "AnsweredItem",
    "InspectionError",
    "ItemResult",
    "Outcome",
    "check_answers",
    "check_outcome",
    "default_conclusion",
    "needs_deadline",
    "parse_outcome",
    "rectify_deadline",
]


class InspectionError(DomainError):
    """An inspection's input breaks a rule; the message says what to fix."""


class ItemResult(enum.StrEnum):
    """The result of one checklist item."""

    PASS = "pass"  # noqa: S105 - an item result, not a password
    FAIL = "fail"
    NOT_APPLICABLE = "na"


ITEM_RESULT_LABELS: dict[ItemResult, str] = {
    ItemResult.PASS: "合格",
    ItemResult.FAIL: "不合格",
    ItemResult.NOT_APPLICABLE: "不涉及",
}


class Outcome(enum.StrEnum):
    """What the inspection decided."""

    NO_PROBLEM = "no_problem"
    RECTIFY = "rectify"
    WARNING = "warning"
    REFERRAL = "referral"


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.NO_PROBLEM: "未发现问题",
    Outcome.RECTIFY: "责令整改",
    Outcome.WARNING: "失信警示",
    Outcome.REFERRAL: "移送立案",
}

SEVERITY_LABELS: dict[str, str] = {"minor": "轻微", "general": "一般", "serious": "严重"}
"""Severities of a finding (the platform's ``findings.severity`` choices)."""

INTERVIEW_KINDS: dict[str, str] = {"reminder": "提示约谈", "warning": "警示约谈"}
"""Interview kinds of seed 三(八) (the platform's ``interviews.kind`` choices)."""

MAX_RECTIFY_WORKING_DAYS = 250
"""The longest rectification period the platform accepts (``rectify_working_days``)."""

MIN_AMEND_REASON = 5
"""Fewest characters of the reason for amending a submitted result."""

_DEFAULT_CONCLUSIONS: dict[Outcome, str] = {
    Outcome.NO_PROBLEM: "经现场检查，未发现问题。",
    Outcome.RECTIFY: "经现场检查，发现问题，已责令限期整改。",
    Outcome.WARNING: "经现场检查，发现问题，已予以失信警示并责令限期整改。",
    Outcome.REFERRAL: "经现场检查，发现涉嫌违法行为，移送立案查处。",
}


@dataclass(frozen=True)
class AnsweredItem:
    """One item's answer as the rules see it: number, result (None = not answered), note."""

    no: int
    result: ItemResult | None
    note: str = ""


def parse_outcome(value: object) -> Outcome:
    """An :class:`Outcome` from its code.

    Raises:
        InspectionError: Not a known outcome.
    """
    try:
        return Outcome(str(value))
    except ValueError:
        known = "、".join(OUTCOME_LABELS.values())
        raise InspectionError(f"处理结果“{value}”无效，应为：{known}。") from None


def needs_deadline(outcome: Outcome) -> bool:
    """Whether the outcome sets a rectification deadline (责令整改, 失信警示)."""
    return outcome in {Outcome.RECTIFY, Outcome.WARNING}


def default_conclusion(outcome: Outcome) -> str:
    """The conclusion sentence used when the inspector wrote none."""
    return _DEFAULT_CONCLUSIONS[outcome]


def _numbers(nos: Iterable[int]) -> str:
    return "、".join(f"第{n}项" for n in nos)


def check_answers(
    item_nos: Sequence[int], answers: Sequence[AnsweredItem], finding_items: Iterable[int | None]
) -> None:
    """Every checklist item answered once; a failed item explained by a note or a finding.

    Args:
        item_nos: The checklist's item numbers.
        answers: What the inspector entered.
        finding_items: The ``item_no`` of each finding (None for a finding not tied to an item).

    Raises:
        InspectionError: The message names the item numbers to fix.
    """
    known = set(item_nos)
    seen: set[int] = set()
    for answer in answers:
        if answer.no not in known:
            raise InspectionError(f"检查表中没有第{answer.no}项，请刷新检查表后重新填写。")
        if answer.no in seen:
            raise InspectionError(f"第{answer.no}项填写了两次，请删除重复的一行。")
        seen.add(answer.no)
    answered = {a.no for a in answers if a.result is not None}
    missing = [n for n in item_nos if n not in answered]
    if missing:
        raise InspectionError(
            f"以下检查项尚未填写检查结果：{_numbers(missing)}。请逐项选择合格、不合格或不涉及。"
        )
    for no in (f for f in finding_items if f is not None):
        if no not in known:
            raise InspectionError(f"问题所对应的检查项“第{no}项”不在检查表中，请重新选择。")
    explained = {f for f in finding_items if f is not None}
    unexplained = [
        a.no
        for a in answers
        if a.result is ItemResult.FAIL and not a.note.strip() and a.no not in explained
    ]
    if unexplained:
        raise InspectionError(
            f"{_numbers(unexplained)}判定为不合格，请填写情况说明，或登记对应的问题。"
        )


def check_outcome(
    outcome: Outcome,
    failed_items: int,
    findings: int,
    deadline_working_days: int | None,
    warning_content: str,
) -> None:
    """The outcome agrees with what was found and carries what it needs.

    Args:
        outcome: The decided outcome.
        failed_items: How many items failed.
        findings: How many findings were recorded.
        deadline_working_days: The rectification period (责令整改, 失信警示).
        warning_content: The warning's text (失信警示).

    Raises:
        InspectionError: The message says what to fix.
    """
    label = OUTCOME_LABELS[outcome]
    problems = failed_items + findings
    if outcome is Outcome.NO_PROBLEM and problems:
        raise InspectionError(
            "处理结果为“未发现问题”，但有不合格的检查项或登记的问题。"
            "请改选处理结果，或核对检查项和问题。"
        )
    if outcome is not Outcome.NO_PROBLEM and not problems:
        raise InspectionError(
            f"处理结果为“{label}”，但没有不合格的检查项，也没有登记问题。"
            "请登记发现的问题，或将处理结果改为“未发现问题”。"
        )
    if needs_deadline(outcome):
        days = deadline_working_days
        if days is None or isinstance(days, bool) or not 1 <= days <= MAX_RECTIFY_WORKING_DAYS:
            raise InspectionError(
                f"“{label}”须写明整改期限（1至{MAX_RECTIFY_WORKING_DAYS}个工作日），"
                "请填写后再保存。"
            )
    elif deadline_working_days is not None:
        raise InspectionError(
            f"处理结果为“{label}”时不设整改期限，请清空整改期限，或改选“责令整改”“失信警示”。"
        )
    if outcome is Outcome.WARNING and not warning_content.strip():
        raise InspectionError("失信警示须填写警示内容（存在的问题、整改要求），请补充后再保存。")


def rectify_deadline(inspected_on: date, working_days: int, calendar: WorkingDayCalendar) -> date:
    """The last day to rectify: ``working_days`` working days after the inspection day.

    The inspection day is not counted (the rule for administrative time limits).

    Raises:
        CalendarUnknown: The calendar does not know a year on the way (never guessed).
    """
    return calendar.deadline(inspected_on, working_days)
