"""现场检查: the inspector's tasks, checklists, results, photos, notices and interviews — offline.

Tasks (``inspection_tasks``), checklists (``checklists``), the working-day table
(``calendar_overrides``) and the entity registry come from the platform by pull (离线准备) and
are read-only here. What the inspector records are client forms
(:class:`~desktop_app.services.forms.LocalForms`), compatible with the platform's inspection
collections (``platform_server/collections.py``: task-scoped, created by inspectors only):

* ``inspection_results`` — one per task and inspector (a re-inspection is another result with
  ``reinspection_of``): ``task_id``, ``uscc``, ``entity_name``, ``inspected_on``,
  ``conclusion`` (never empty: a sentence from the outcome by default), ``attachments`` (the
  SHA-256 of every photo and signed scan, uploaded before the form), and the extras ``items``
  (``no``, ``result``, ``note``), ``checklist_id``, ``location``, ``representative_name``,
  ``representative_role``, ``outcome``, ``rectify_working_days``, ``rectify_deadline`` (the
  local computation, same rule as the platform's), ``warning_content``, ``publishable``,
  ``photos`` (``sha256``, ``filename``, ``size``, ``captured_at``, ``mime_type``),
  ``signed_scans``, ``amendments`` (``reason``, ``at``, ``by``, ``changes``),
  ``reinspection_of``, ``inspector`` (the actor) and ``recorded_at``;
* ``findings`` — one per problem: ``task_id``, ``uscc``, ``description``, ``severity``,
  ``result_id``, ``item_no``; saving a result again replaces them (removed ones are deleted,
  new ones created, unchanged ones kept);
* ``warnings`` — for a 失信警示: ``task_id``, ``uscc``, ``issued_on``, ``content``,
  ``rectify_working_days``, ``result_id`` (the platform derives ``rectify_deadline``);
* ``interviews`` — 提示约谈 / 警示约谈: ``task_id``, ``uscc``, ``kind``, ``held_on``,
  ``record``, ``participants``, ``commitments_made``.

Every write is ONE store transaction holding the forms, their outbox entries, the attachments
and the audit row, and every check runs before anything is written: a refusal leaves nothing
half-saved. A result the platform has confirmed changes only by :meth:`InspectionService.amend`
with a reason, kept on the form and in the audit log.

"This inspector's" result of a task is one created on this device or carrying this actor in
``inspector``; results of co-inspectors arrive by pull and show in the entity's history.

The service is split by use case into modules next to this one, each a base of
:class:`InspectionService`: ``inspections_tasks`` (tasks and checklists), ``inspections_results``
(results and findings), ``inspections_photos`` (photos and scans) and ``inspections_followup``
(interviews, the printed record and notices); ``inspections_base`` holds what they share,
``inspections_forms`` how records are stored and ``inspections_views`` the dataclasses. Import
from this module: it is the public API.
"""

from __future__ import annotations

from desktop_app.services.inspections_followup import FollowUpUseCases
from desktop_app.services.inspections_forms import CHECKLISTS as CHECKLISTS
from desktop_app.services.inspections_forms import CREDIT_GRADES as CREDIT_GRADES
from desktop_app.services.inspections_forms import FINDINGS as FINDINGS
from desktop_app.services.inspections_forms import INTERVIEWS as INTERVIEWS
from desktop_app.services.inspections_forms import PUBLIC_INSPECTIONS as PUBLIC_INSPECTIONS
from desktop_app.services.inspections_forms import RESULTS as RESULTS
from desktop_app.services.inspections_forms import TASKS as TASKS
from desktop_app.services.inspections_forms import WARNINGS as WARNINGS
from desktop_app.services.inspections_photos import PhotoUseCases
from desktop_app.services.inspections_results import ResultUseCases
from desktop_app.services.inspections_tasks import TaskUseCases
from desktop_app.services.inspections_views import STATUS_ASSIGNED as STATUS_ASSIGNED
from desktop_app.services.inspections_views import STATUS_DONE as STATUS_DONE
from desktop_app.services.inspections_views import STATUS_IN_PROGRESS as STATUS_IN_PROGRESS
from desktop_app.services.inspections_views import (
    STATUS_LABELS,
    Checklist,
    ChecklistItem,
    CommitmentToVerify,
    FindingInput,
    FindingView,
    InspectionInput,
    InspectionView,
    ItemAnswer,
    OverdueItem,
    PastResult,
    PhotoImport,
    PhotoView,
    TaskView,
)

__all__ = [
    "STATUS_LABELS",
    "Checklist",
    "ChecklistItem",
    "CommitmentToVerify",
    "FindingInput",
    "FindingView",
    "InspectionInput",
    "InspectionService",
    "InspectionView",
    "ItemAnswer",
    "OverdueItem",
    "PastResult",
    "PhotoImport",
    "PhotoView",
    "TaskView",
]


class InspectionService(TaskUseCases, ResultUseCases, PhotoUseCases, FollowUpUseCases):
    """现场检查 use cases on one store, for one inspector.

    Args:
        store: The open store.
        actor: Who uses the app (written on results and to the audit log).
        clock: Local "now" (tests pass a fixed one).
    """
