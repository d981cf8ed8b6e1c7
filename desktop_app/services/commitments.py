"""信用承诺: take a commitment at the window, follow it through its lifecycle, print it.

A commitment is a ``commitments`` client form (:class:`~desktop_app.services.forms.LocalForms`):
each write below is ONE store transaction holding the form change(s), their outbox entries and
the audit row, so a crash leaves all of it or none, and nothing is half-saved when a check
fails.

Fields kept on the form (compatible with the platform's ``commitments`` definition; the
platform stores the extra ones as they come):

* ``uscc``, ``entity_name``; ``matter_id``, ``matter``, ``domain``, ``legal_basis``,
  ``authority`` (from the catalog); ``kind``, ``status``;
* ``applicant_name``, ``applicant_role`` (法定代表人 / 委托代理人), ``applicant_phone``;
* ``signed_on`` (ISO date, absent while a draft); ``text`` (the letter as committed: the
  catalog's template filled in); ``publish`` (the platform's publication feed reads it);
  ``note``; ``created_at`` (ISO local date and time);
* 容缺受理 only: ``missing_materials`` (the names of the materials missing at acceptance: the
  list the platform checks, it does not shrink as materials arrive), ``materials`` (one dict
  per material: ``name``, ``form``, ``received``, ``received_on``) and
  ``deadline_working_days``; the platform derives ``deadline`` (never sent by this client;
  until the platform's value arrives, the same rule computes it locally);
* ``history``: every status change as a :class:`~desktop_app.domain.commitments.Transition`
  dict (``from``, ``to``, ``at``, ``by``, ``note``), oldest first, sent with every ``status``;
* ``breach`` (``severity``, ``evidence``, ``recorded_at``, ``recorded_by``,
  ``dishonesty_id``) once a breach or false commitment is recorded; ``verified_on`` and
  ``verification_note`` after 核查; ``attachments`` (scans of the signed letter).

A breach also creates a ``dishonesty_records`` form (失信记录) in the same transaction.

The working-day calendar is the official one extended by the platform's
``calendar_overrides`` records, the same rule the platform uses; a year it does not know stops
the window with a message (never a Monday–Friday guess).

The service is split by aggregate into modules next to this one, each a base of
:class:`CommitmentService`: ``commitments_catalog`` (the catalog, taking a commitment and its
printed letter and notice), ``commitments_transitions`` (signing, status changes, materials,
breaches, 核查, overdue) and ``commitments_lists`` (one commitment and the 工作台 lists);
``commitments_base`` holds what they share and ``commitments_views`` the dataclasses. Import
from this module: it is the public API.
"""

from __future__ import annotations

from desktop_app.services.commitments_base import ALL_RECEIVED_NOTE as ALL_RECEIVED_NOTE
from desktop_app.services.commitments_base import APPLICANT_ROLES as APPLICANT_ROLES
from desktop_app.services.commitments_base import AUTO_OVERDUE_NOTE as AUTO_OVERDUE_NOTE
from desktop_app.services.commitments_base import CALENDAR_OVERRIDES as CALENDAR_OVERRIDES
from desktop_app.services.commitments_base import CATALOG as CATALOG
from desktop_app.services.commitments_base import COMMITMENTS as COMMITMENTS
from desktop_app.services.commitments_base import DISHONESTY as DISHONESTY
from desktop_app.services.commitments_base import LIST_LIMIT as LIST_LIMIT
from desktop_app.services.commitments_base import MATERIAL_FORMS as MATERIAL_FORMS
from desktop_app.services.commitments_base import local_calendar as local_calendar
from desktop_app.services.commitments_catalog import CatalogUseCases
from desktop_app.services.commitments_lists import ListUseCases
from desktop_app.services.commitments_transitions import TransitionUseCases
from desktop_app.services.commitments_views import CatalogMatter as CatalogMatter
from desktop_app.services.commitments_views import CommitmentInput as CommitmentInput
from desktop_app.services.commitments_views import CommitmentView as CommitmentView
from desktop_app.services.commitments_views import MissingMaterial as MissingMaterial

__all__ = [
    "APPLICANT_ROLES",
    "MATERIAL_FORMS",
    "CatalogMatter",
    "CommitmentInput",
    "CommitmentService",
    "CommitmentView",
    "MissingMaterial",
]


class CommitmentService(CatalogUseCases, TransitionUseCases, ListUseCases):
    """信用承诺 use cases on one store, for one actor.

    Args:
        store: The open store.
        actor: Who uses the app (history and audit log).
        clock: Local "now" (tests pass a fixed one).
    """
