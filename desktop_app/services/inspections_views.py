"""What the inspection screens show and what the inspector enters: plain frozen dataclasses.

Views (:class:`TaskView`, :class:`InspectionView`, ...) are built by
:class:`~desktop_app.services.inspections.InspectionService` from the store; inputs
(:class:`InspectionInput`, :class:`ItemAnswer`, :class:`FindingInput`) are what the UI passes
back. ``STATUS_*`` are the values of :attr:`TaskView.status`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from desktop_app.domain.followup import OverdueWarning
from desktop_app.domain.inspections import ItemResult, Outcome
from desktop_app.services.entities import ListMembership

STATUS_ASSIGNED = "assigned"
STATUS_IN_PROGRESS = "in_progress"
STATUS_DONE = "done"
STATUS_LABELS = {
    STATUS_ASSIGNED: "待检查",
    STATUS_IN_PROGRESS: "检查中（未提交）",
    STATUS_DONE: "已完成",
}


@dataclass(frozen=True)
class ChecklistItem:
    """One item of a checklist."""

    no: int
    item: str
    legal_basis: str


@dataclass(frozen=True)
class Checklist:
    """A checklist (检查表) as the platform distributes it."""

    id: str
    domain: str
    title: str
    legal_basis: str
    items: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class PastResult:
    """An earlier inspection of the entity (this device's forms, pulled ones, public ones)."""

    record_id: str
    inspected_on: str
    outcome_label: str
    conclusion: str
    rectify_deadline: str
    open_rectification: bool


@dataclass(frozen=True)
class TaskView:
    """An inspection task as the task list and the task page show it.

    ``status`` is ``assigned``, ``in_progress`` (this inspector's result exists locally and
    the platform has not confirmed it yet) or ``done``. ``credit_grade`` is for the
    inspector's eyes only: it is never printed.
    """

    task_id: str
    uscc: str
    entity_name: str
    draw_title: str
    assigned_on: date | None
    due_on: date | None
    checklist_id: str | None
    status: str
    result_id: str | None
    address: str
    legal_representative: str
    industry: str
    credit_grade: str | None
    lists: tuple[ListMembership, ...]
    history: tuple[PastResult, ...]
    open_rectifications: int
    verification: CommitmentToVerify | None = None


@dataclass(frozen=True)
class CommitmentToVerify:
    """The commitment a 承诺核查 task checks (what the inspector compares with the facts)."""

    commitment_id: str
    matter: str
    kind_label: str
    signed_on: date | None
    verdict: str = ""
    """``kept`` / ``breached`` once this inspector recorded it, else empty."""


@dataclass(frozen=True)
class OverdueItem:
    """A 失信警示 on the inspector's follow-up list (deadline passed, not rectified).

    Attributes:
        warning: The warning and its facts (:class:`desktop_app.domain.followup.OverdueWarning`).
        record_task_id: The task an interview is recorded under here ("" when this device
            holds no task for the entity).
        entity_name: The entity.
        days_late: Calendar days since the deadline.
    """

    warning: OverdueWarning
    record_task_id: str
    entity_name: str
    days_late: int


@dataclass(frozen=True)
class ItemAnswer:
    """The inspector's answer to one checklist item (``result`` None: not answered yet)."""

    no: int
    result: ItemResult | None
    note: str = ""


@dataclass(frozen=True)
class FindingInput:
    """A problem found: description, severity (minor/general/serious), the item it concerns."""

    description: str
    severity: str = "general"
    item_no: int | None = None


@dataclass(frozen=True)
class InspectionInput:
    """What the inspector entered for a task.

    Attributes:
        task_id: The task.
        inspected_on: The day of the inspection (not in the future).
        answers: One answer per checklist item.
        conclusion: 检查结论; empty → a sentence from the outcome.
        location: 检查地点 (default on print: the entity's address).
        representative_name: Who represented the entity on site.
        representative_role: Their position.
        findings: The problems found.
        outcome: The outcome.
        deadline_working_days: The rectification period (责令整改, 失信警示 only).
        warning_content: The warning's text (失信警示 only).
        publishable: Whether the result goes into the publication feed.
        reinspection_of: The record id of the result this re-inspects.
        verification: A 承诺核查 task's verdict: ``kept`` / ``breached`` (None: not yet).
        verification_severity: The breach's severity (minor/general/serious).
    """

    task_id: str
    inspected_on: date
    answers: tuple[ItemAnswer, ...]
    conclusion: str = ""
    location: str = ""
    representative_name: str = ""
    representative_role: str = ""
    findings: tuple[FindingInput, ...] = ()
    outcome: Outcome = Outcome.NO_PROBLEM
    deadline_working_days: int | None = None
    warning_content: str = ""
    publishable: bool = True
    reinspection_of: str | None = None
    verification: str | None = None
    verification_severity: str = "general"


@dataclass(frozen=True)
class PhotoView:
    """A photo of a result."""

    sha256: str
    filename: str
    size: int
    captured_at: datetime | None
    mime_type: str


@dataclass(frozen=True)
class FindingView:
    """A finding of a result."""

    record_id: str
    description: str
    severity: str
    item_no: int | None


@dataclass(frozen=True)
class InspectionView:
    """An inspection result as the UI shows it.

    ``published`` is None while the platform has not confirmed the result, False when
    confirmed but not (yet) published (no ``published_on`` in its ``public_inspections``
    mirror), True once published.
    """

    record_id: str
    task_id: str
    uscc: str
    entity_name: str
    inspected_on: date
    location: str
    representative_name: str
    representative_role: str
    answers: tuple[ItemAnswer, ...]
    findings: tuple[FindingView, ...]
    conclusion: str
    outcome: Outcome
    outcome_label: str
    deadline: date | None
    warning_id: str | None
    publishable: bool
    published: bool | None
    photos: tuple[PhotoView, ...]
    signed_scans: int
    amendments: tuple[dict[str, Any], ...]
    reinspection_of: str | None
    synced: bool
    warning_content: str = ""
    rectify_working_days: int | None = None
    verification: str = ""
    """A 承诺核查 task's verdict (``kept`` / ``breached``), or empty."""
    verification_severity: str = ""


@dataclass(frozen=True)
class PhotoImport:
    """What adding photos did: the photos kept, and one Chinese message per refused file."""

    added: tuple[PhotoView, ...]
    errors: tuple[str, ...]
