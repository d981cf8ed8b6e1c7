"""工作台 lists: reading commitments one at a time, by search, by entity and by what is due.

:class:`ListUseCases` answers the workbench and the commitments page: one commitment, a
search, an entity's commitments, 容缺受理 due soon, overdue ones and those waiting for 核查.
"""

from __future__ import annotations

from datetime import date

from desktop_app.domain import commitments as cm
from desktop_app.domain import records
from desktop_app.domain import uscc as uscc_rules
from desktop_app.domain.commitments import (
    CommitmentKind,
    CommitmentStatus,
)
from desktop_app.domain.working_days import (
    CalendarUnknown,
)
from desktop_app.services.commitments_base import (
    LIST_LIMIT,
    CommitmentServiceBase,
    local_calendar,
)
from desktop_app.services.commitments_views import (
    CommitmentView,
)
from desktop_app.store.repository import FormRepository

_S = CommitmentStatus


class ListUseCases(CommitmentServiceBase):
    """信用承诺 use cases that only read: single commitments and the 工作台 lists."""

    # --- read ----------------------------------------------------------------------------

    def get(self, record_id: str) -> CommitmentView:
        """One commitment.

        Raises:
            ServiceError: No such commitment.
        """
        with self._store.read() as s:
            return self._read_view(s, record_id)

    def search(
        self, query: str = "", status: CommitmentStatus | None = None, limit: int = LIST_LIMIT
    ) -> list[CommitmentView]:
        """Commitments, newest first; ``query`` matches the USCC, entity name or matter."""
        needle = query.strip()
        upper = uscc_rules.normalize(needle) if needle else ""
        with self._store.read() as s:
            created = {
                stored.record_id: stored.record.created_at
                for stored in FormRepository(s).find(records.Commitment)
            }
            views = self._all(s)
        found = [
            v
            for v in views
            if (status is None or v.status is status)
            and (
                not needle
                or (upper and upper in v.uscc)
                or needle in v.entity_name
                or needle in v.matter
            )
        ]
        found.sort(key=lambda v: (created.get(v.record_id, ""), v.record_id), reverse=True)
        return found[:limit]

    def for_entity(self, uscc: str) -> list[CommitmentView]:
        """Every commitment of one entity, newest signing first (drafts first of all)."""
        code = uscc_rules.normalize(uscc)
        with self._store.read() as s:
            views = self._all(s, code)
        return sorted(views, key=lambda v: (v.signed_on or date.max, v.record_id), reverse=True)

    def due_soon(self, working_days: int = 3, today: date | None = None) -> list[CommitmentView]:
        """Signed 容缺受理 whose deadline is today or within ``working_days`` working days."""
        day = today or self._today()
        with self._store.read() as s:
            calendar = local_calendar(s)
            views = self._all(s)
        found = []
        for v in views:
            if v.status is not _S.SIGNED or v.deadline is None:
                continue
            try:
                if cm.is_due_within(v.deadline, day, working_days, calendar):
                    found.append(v)
            except CalendarUnknown:
                continue
        return sorted(found, key=lambda v: (v.deadline or date.max, v.record_id))

    def overdue(self) -> list[CommitmentView]:
        """Commitments marked 逾期未履约, oldest deadline first (see :meth:`refresh_overdue`)."""
        with self._store.read() as s:
            views = self._all(s)
        found = [v for v in views if v.status is _S.OVERDUE]
        return sorted(found, key=lambda v: (v.deadline or date.max, v.record_id))

    def to_verify(self) -> list[CommitmentView]:
        """Commitments waiting for 核查: signed ones other than 容缺受理, and fulfilled ones."""
        with self._store.read() as s:
            views = self._all(s)
        found = [
            v
            for v in views
            if v.status is _S.FULFILLED
            or (v.status is _S.SIGNED and v.kind is not CommitmentKind.TOLERANCE)
        ]
        return sorted(found, key=lambda v: (v.signed_on or date.max, v.record_id))
