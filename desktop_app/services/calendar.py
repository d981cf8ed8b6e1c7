"""The working-day calendar's status on this device, for supervisors.

The calendar is the platform's ``calendar_overrides`` table as last pulled, read by the same
rule the platform uses (:func:`desktop_app.services.commitments.local_calendar`), so a
supervisor sees the platform's warning about next year's holidays from their own copy,
offline too, and sees it go away after the sync that brings the imported table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from desktop_app.domain.working_days import CalendarStatus, calendar_status
from desktop_app.services.commitments import local_calendar
from desktop_app.services.offline import ROLE_KEY
from desktop_app.store.database import Store
from desktop_app.store.outbox import SyncStateRepo

SUPERVISOR_ROLES = frozenset({"supervisor", "admin"})
"""Roles that are told about the calendar (科室负责人 and administrators)."""


class CalendarService:
    """Whether the local calendar covers the deadlines that may soon be computed.

    Args:
        store: The unlocked store.
        today: Returns today's date (injected, so tests choose the day).
    """

    def __init__(self, store: Store, today: Callable[[], date] = date.today) -> None:
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
