"""承诺核查: when a commitment is due for verification, and what a verification result does.

Seed 一(一) and 三(九): a commitment taken at approval time (告知承诺, 容缺受理) is checked
afterwards (事中事后核查). Each catalog matter says within how many working days of signing
(``verify_working_days``, platform data; :data:`DEFAULT_VERIFY_WORKING_DAYS` when it says
nothing); the platform derives the commitment's ``verify_due_on`` with the official calendar.
Commitments due become inspection work: a supervisor assigns them as 核查 tasks, the inspector
records the result offline with the inspection (kept / breached, with evidence), and the
platform applies it to the commitment with the one lifecycle (:class:`CommitmentCase`): kept →
核查属实; breached → 虚假承诺 with its 失信记录, the breach lifecycle that exists for the window.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from desktop_app.domain import commitments as cm
from desktop_app.domain.errors import DomainError
from desktop_app.domain.working_days import WorkingDayCalendar

if TYPE_CHECKING:  # the records import this module's enum: no import cycle at run time
    from desktop_app.domain.aggregates.commitment import CommitmentCase, Outcome

__all__ = [
    "DEFAULT_VERIFY_WORKING_DAYS",
    "TASK_PURPOSE",
    "VERIFIABLE_KINDS",
    "VERIFY_CHECKLIST",
    "VerificationError",
    "VerificationOutcome",
    "apply_result",
    "is_verifiable",
    "verification_due",
]

DEFAULT_VERIFY_WORKING_DAYS = 20
"""Working days after signing within which a commitment is checked, when the matter is silent."""

MAX_VERIFY_WORKING_DAYS = 250
"""About a year of working days: the longest a catalog matter may set."""

VERIFIABLE_KINDS = frozenset({cm.CommitmentKind.NOTIFY, cm.CommitmentKind.TOLERANCE})
"""The kinds taken at approval time and checked afterwards."""

VERIFY_CHECKLIST = "CL-COMMIT-01"
"""The 信用承诺核查检查表 a 核查 task uses when the platform has it."""

TASK_PURPOSE = "commitment_verification"
"""``inspection_tasks.purpose`` of a 承诺核查 task (a draw's tasks have none)."""

_OPEN = frozenset({cm.CommitmentStatus.SIGNED, cm.CommitmentStatus.FULFILLED})
"""Statuses a verification may still be recorded in (not yet verified, breached, withdrawn)."""


class VerificationError(DomainError):
    """A verification that cannot be applied; the message says why (Chinese)."""


class VerificationOutcome(enum.StrEnum):
    """What the inspector found."""

    KEPT = "kept"  # 承诺属实 / 已履行
    BREACHED = "breached"  # 承诺不实（虚假承诺）

    @property
    def label(self) -> str:
        """Chinese name."""
        return "承诺属实" if self is VerificationOutcome.KEPT else "承诺不实"


def is_verifiable(kind: cm.CommitmentKind | str | None, status: cm.CommitmentStatus | str) -> bool:
    """A commitment of a verifiable kind, signed and not yet verified, breached or withdrawn."""
    try:
        parsed_kind = cm.parse_kind(kind)
        parsed_status = cm.parse_status(status)
    except cm.CommitmentError:
        return False
    return parsed_kind in VERIFIABLE_KINDS and parsed_status in _OPEN


def verification_due(
    signed_on: date, calendar: WorkingDayCalendar, working_days: int | None = None
) -> date:
    """The last day to verify a commitment signed on ``signed_on`` (the signing day not counted).

    Args:
        signed_on: When the letter was signed.
        calendar: The official calendar with the platform's overrides.
        working_days: The matter's ``verify_working_days`` (None: the default).

    Raises:
        VerificationError: ``working_days`` out of range.
        desktop_app.domain.working_days.CalendarUnknown: The calendar does not know a year.
    """
    days = DEFAULT_VERIFY_WORKING_DAYS if working_days is None else working_days
    if not 1 <= days <= MAX_VERIFY_WORKING_DAYS:
        raise VerificationError(f"核查期限应为1至{MAX_VERIFY_WORKING_DAYS}个工作日，实际为{days}。")
    return calendar.deadline(signed_on, days)


def apply_result(
    case: CommitmentCase,
    outcome: VerificationOutcome | str,
    evidence: str,
    severity: cm.BreachSeverity | str,
    now: datetime,
    actor: str,
    dishonesty_id: str,
    task_id: str,
) -> Outcome:
    """The changes a verification result makes: 核查属实, or 虚假承诺 with its 失信记录.

    Args:
        case: The commitment verified.
        outcome: kept / breached.
        evidence: What was checked (required for a breach: the evidence).
        severity: 情节严重程度 of a breach.
        now: When the platform applies it.
        actor: The inspector.
        dishonesty_id: The id the new 失信记录 gets (a breach).
        task_id: The 核查 task the result belongs to (kept on the commitment).

    Raises:
        VerificationError: Not a verifiable commitment any more, an unknown outcome, no
            evidence for a breach, or a change the lifecycle refuses.
    """
    try:
        found = VerificationOutcome(outcome)
    except ValueError:
        raise VerificationError("核查结论只能是“承诺属实”或“承诺不实”。") from None
    r = case.record
    if not is_verifiable(r.kind, r.status or ""):
        label = cm.STATUS_LABELS.get(cm.parse_status(r.status), str(r.status)) if r.status else ""
        raise VerificationError(f"这份承诺当前为“{label}”，不能再记录核查结论。")
    text = evidence.strip()
    try:
        if found is VerificationOutcome.KEPT:
            note = text or "核查属实"
            result = case.move(cm.CommitmentStatus.VERIFIED_TRUE, note, now, actor, None)
            result.changes["verified_on"] = now.date().isoformat()
            result.changes["verification_note"] = note
        else:
            if not text:
                raise VerificationError("认定承诺不实须写明核查发现的事实和证据。")
            result = case.breach(
                cm.CommitmentStatus.VERIFIED_FALSE, severity, text, now, actor, dishonesty_id
            )
    except cm.CommitmentError as err:
        raise VerificationError(str(err)) from None
    result.changes["verification_task_id"] = task_id
    return result
