"""The working-day calendar and the credit policy as pulled; the calendar's status.

The calendar is the platform's ``calendar_overrides`` table as last pulled, read by the same
rule the platform uses (:func:`local_calendar`, used by every service that counts working
days: commitment deadlines, rectification deadlines), so a supervisor sees the platform's
warning about next year's holidays from their own copy, offline too, and sees it go away after
the sync that brings the imported table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.clock import china_today
from desktop_app.domain.policy import Policy, policy_from_records
from desktop_app.domain.working_days import (
    CalendarStatus,
    WorkingDayCalendar,
    calendar_from_records,
    calendar_status,
)
from desktop_app.store.database import Store
from desktop_app.store.models import ReferenceRecord
from desktop_app.store.outbox import SyncStateRepo
from desktop_app.store.repository import load_json
from desktop_app.store.state_keys import ROLE_KEY

CALENDAR_OVERRIDES = "calendar_overrides"
POLICIES = "policies"


def local_calendar(s: Session) -> WorkingDayCalendar:
    """The official calendar extended by the cached ``calendar_overrides`` records.

    The platform's rule, shared: :func:`~desktop_app.domain.working_days.calendar_from_records`.
    """
    rows = s.scalars(
        select(ReferenceRecord.data).where(
            ReferenceRecord.collection == CALENDAR_OVERRIDES, ReferenceRecord.deleted.is_(False)
        )
    )
    return calendar_from_records(load_json(raw) for raw in rows)


def local_policy(s: Session) -> Policy:
    """The credit policy as last pulled (list measures, 容缺受理 threshold, grade scale).

    Read by the platform's parser (:func:`~desktop_app.domain.policy.policy_from_records`);
    DOMAIN.md's defaults until the first pull brings the city's.
    """
    rows = s.scalars(
        select(ReferenceRecord.data).where(
            ReferenceRecord.collection == POLICIES, ReferenceRecord.deleted.is_(False)
        )
    )
    return policy_from_records(load_json(raw) for raw in rows)


SUPERVISOR_ROLES = frozenset({"supervisor", "admin"})
"""Roles that are told about the calendar (科室负责人 and administrators)."""


class CalendarService:
    """Whether the local calendar covers the deadlines that may soon be computed.

    Args:
        store: The unlocked store.
        today: Returns today's date (injected, so tests choose the day).
    """

    def __init__(self, store: Store, today: Callable[[], date] = china_today) -> None:
        self._store = store
        self._today = today

    def status(self) -> CalendarStatus:
        """The status on today's date, whatever the role."""
        with self._store.read() as s:
            return calendar_status(local_calendar(s), self._today())

    def supervisor_notice(self) -> CalendarStatus | None:
        """The status when it warns and the logged-in account is a supervisor; else None."""
        with self._store.read() as s:
            if SyncStateRepo(s).get(ROLE_KEY) not in SUPERVISOR_ROLES:
                return None
            status = calendar_status(local_calendar(s), self._today())
        return status if status.warning else None
