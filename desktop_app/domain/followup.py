"""限期整改 → 约谈: when a 失信警示 is overdue, and the follow-up task that comes of it.

Seed 三(八): an entity warned with a rectification period that lets it pass is called to an
interview (提示约谈 / 警示约谈). A warning is **overdue** when its rectification deadline (derived
by the platform at push) has passed and no rectification is on record: neither the warning's
``rectified`` mark nor a re-inspection of its inspection result that found no problem. One rule
for the inspector's device (its own warnings, offline), the supervisors' list and the
early-warning rule on the platform (:class:`desktop_app.domain.risk_rules.WarningFact`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from desktop_app.domain.risk_rules import WarningFact

__all__ = ["FOLLOWUP_PURPOSE", "OverdueWarning", "overdue_warnings", "rectified_results"]

FOLLOWUP_PURPOSE = "warning_followup"
"""``inspection_tasks.purpose`` of a follow-up task made for an overdue warning."""

_NO_PROBLEM = "no_problem"


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def rectified_results(results: Iterable[Mapping[str, Any]]) -> set[str]:
    """The inspection results a later re-inspection found rectified (no problem)."""
    done: set[str] = set()
    for fields in results:
        target = fields.get("reinspection_of")
        if isinstance(target, str) and target and fields.get("outcome") == _NO_PROBLEM:
            done.add(target)
    return done


@dataclass(frozen=True)
class OverdueWarning:
    """A 失信警示 past its rectification deadline with no rectification on record.

    Attributes:
        warning_id: The warning form.
        uscc: The entity warned.
        entity_name: Its name as the warning recorded it.
        issued_on: When the warning was issued.
        deadline: The last day to rectify.
        content: What was to be rectified.
        task_id: The inspection task the warning was issued in.
        followup_task_id: The follow-up task a supervisor made for it, or empty.
        interviews: Interviews already recorded for it.
    """

    warning_id: str
    uscc: str
    entity_name: str
    issued_on: date
    deadline: date
    content: str
    task_id: str
    followup_task_id: str = ""
    interviews: int = 0

    def days_late(self, today: date) -> int:
        """Calendar days since the deadline."""
        return (today - self.deadline).days


def overdue_warnings(
    warnings: Iterable[tuple[str, Mapping[str, Any]]],
    results: Iterable[Mapping[str, Any]],
    interviews: Iterable[Mapping[str, Any]],
    today: date,
) -> list[OverdueWarning]:
    """The overdue warnings among ``warnings``, oldest deadline first.

    Args:
        warnings: ``(record id, fields)`` of 失信警示 forms (not deleted).
        results: Inspection results that may re-inspect the warnings' results.
        interviews: Interview forms (counted per ``warning_id``).
        today: The day to judge on.
    """
    done = rectified_results(results)
    held: dict[str, int] = {}
    for fields in interviews:
        key = fields.get("warning_id")
        if isinstance(key, str) and key:
            held[key] = held.get(key, 0) + 1
    out: list[OverdueWarning] = []
    for record_id, fields in warnings:
        issued = _day(fields.get("issued_on"))
        deadline = _day(fields.get("rectify_deadline"))
        result = str(fields.get("result_id") or "")
        fact = WarningFact(
            record_id,
            issued or today,
            deadline,
            fields.get("rectified") is True or bool(result and result in done),
        )
        if issued is None or deadline is None or not fact.overdue(today):
            continue
        out.append(
            OverdueWarning(
                warning_id=record_id,
                uscc=str(fields.get("uscc") or ""),
                entity_name=str(fields.get("entity_name") or ""),
                issued_on=issued,
                deadline=deadline,
                content=str(fields.get("content") or ""),
                task_id=str(fields.get("task_id") or ""),
                followup_task_id=str(fields.get("followup_task_id") or ""),
                interviews=held.get(record_id, 0),
            )
        )
    return sorted(out, key=lambda w: (w.deadline, w.warning_id))
