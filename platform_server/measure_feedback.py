"""联合奖惩反馈 figures: per measure, how often windows applied it (supervisors).

The forms are ``measure_feedback`` (:class:`desktop_app.domain.records.MeasureFeedback`),
pushed by windows like any hall form (exactly once: the push is idempotent per device and
mutation). This module counts them for a supervisor's region: per list and measure, applied,
not applicable, and the halls that recorded them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.records import MeasureFeedback, MeasureOutcome
from platform_server.models import Hall, Record, User
from platform_server.records import loads
from platform_server.region_codes import region_covers
from sync.protocol import Collection, Role

__all__ = ["MeasureFigures", "measure_statistics"]


@dataclass
class MeasureFigures:
    """How one measure of one list was handled."""

    list_code: str
    list_name: str
    category: str
    measure: str
    applied: int = 0
    not_applicable: int = 0
    halls: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Cases recorded."""
        return self.applied + self.not_applicable

    @property
    def applied_share(self) -> float:
        """Share of cases where the measure was applied (0 when none)."""
        return self.applied / self.total if self.total else 0.0


def measure_statistics(
    session: Session, user: User, since: date | None = None, until: date | None = None
) -> list[MeasureFigures]:
    """Per list and measure, in the caller's region (admins: all), most cases first."""
    halls = dict(session.execute(select(Hall.id, Hall.name)).all())
    rows = session.execute(
        select(Record.hall_id, Record.region_code, Record.data).where(
            Record.collection == Collection.MEASURE_FEEDBACK.value, Record.deleted.is_(False)
        )
    )
    figures: dict[tuple[str, str], MeasureFigures] = {}
    by_hall: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for hall_id, region, text in rows:
        if user.role != Role.ADMIN.value and not region_covers(user.region_code, region):
            continue
        r = MeasureFeedback.read(loads(text))
        day = r.recorded_on
        if day is None or (since and day < since) or (until and day > until):
            continue
        key = (r.list_code, r.measure)
        item = figures.setdefault(
            key, MeasureFigures(r.list_code, r.list_name, r.category, r.measure)
        )
        if r.outcome is MeasureOutcome.APPLIED:
            item.applied += 1
        elif r.outcome is MeasureOutcome.NOT_APPLICABLE:
            item.not_applicable += 1
        by_hall[key][halls.get(hall_id or "", hall_id or "")] += 1
    for key, item in figures.items():
        item.halls = dict(sorted(by_hall[key].items()))
    return sorted(figures.values(), key=lambda f: (-f.total, f.list_code, f.measure))
