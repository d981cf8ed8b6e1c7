"""China's clock: the regulatory "today" does not depend on the PC's time zone."""

from __future__ import annotations

import inspect
from datetime import UTC, date, datetime, timedelta

import pytest

from desktop_app.domain import clock
from desktop_app.services.calendar import CalendarService
from desktop_app.services.commitments_base import CommitmentServiceBase
from desktop_app.services.inspections_base import InspectionServiceBase
from desktop_app.services.measures import MeasureService
from desktop_app.services.repairs import RepairService

# 2026-12-04 17:30 UTC: already Saturday 2026-12-05, 01:30 in China.
INSTANT = datetime(2026, 12, 4, 17, 30, tzinfo=UTC)


class _Frozen(datetime):
    @classmethod
    def now(cls, tz=None):  # type: ignore[no-untyped-def, override]
        return INSTANT.astimezone(tz) if tz is not None else INSTANT.replace(tzinfo=None)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "datetime", _Frozen)


def test_after_16_utc_it_is_already_tomorrow_in_china(frozen: None) -> None:
    # A PC on UTC says 2026-12-04; the platform, which dates in China time, says 12-05.
    assert _Frozen.now(UTC).date() == date(2026, 12, 4)
    assert clock.china_today() == date(2026, 12, 5)
    assert clock.china_now() == datetime(2026, 12, 5, 1, 30)
    assert clock.china_now().tzinfo is None


def test_china_has_one_offset_all_year() -> None:
    assert clock.CHINA_TZ.utcoffset(None) == timedelta(hours=8)
    assert clock.CHINA_TZ.dst(None) is None


@pytest.mark.parametrize(
    "service", [CommitmentServiceBase, InspectionServiceBase, MeasureService, RepairService]
)
def test_the_client_services_tell_time_by_chinas_clock(service: type) -> None:
    assert inspect.signature(service.__init__).parameters["clock"].default is clock.china_now


def test_the_calendar_status_uses_chinas_date() -> None:
    assert inspect.signature(CalendarService.__init__).parameters["today"].default is (
        clock.china_today
    )
