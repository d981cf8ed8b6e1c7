"""The demo's holiday table: a demo platform keeps counting working days past the bundled years.

Found by running the suite under ``faketime`` at 2026-12-31 16:30 UTC (2027-01-01 in China):
``chinese_calendar`` 1.11 stops at 2026, and a demo platform, which nobody imports the State
Council's notice into, refused every deadline from that day on.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from desktop_app.domain.clock import china_today
from desktop_app.domain.working_days import CalendarUnknown
from platform_server.db import transaction
from platform_server.demo import describe, seed_demo
from platform_server.demo_calendar import DEMO_SOURCE, demo_holidays, seed_demo_calendar
from platform_server.importer import import_file
from platform_server.models import Record
from platform_server.publication import platform_calendar
from platform_server.records import loads

UNKNOWN = 2040  # a year the bundled calendar will not know for a long time
BUNDLED = 2025  # it and the next year are known (chinese_calendar >= 1.11)


def _years_written(app: FastAPI, today: date) -> list[int]:
    with transaction(app.state.write_sessions) as session:
        return seed_demo_calendar(session, today)


def test_an_unknown_year_gets_the_statutory_holidays_and_is_declared_complete(
    app: FastAPI,
) -> None:
    assert _years_written(app, date(UNKNOWN, 12, 5)) == [UNKNOWN, UNKNOWN + 1]
    with app.state.sessions() as session:
        calendar = platform_calendar(session)
        for day in (date(UNKNOWN, 1, 1), date(UNKNOWN, 5, 2), date(UNKNOWN, 10, 3)):
            assert calendar.is_working_day(day) is False
        assert calendar.is_working_day(date(UNKNOWN, 3, 1)) is True  # a Thursday
        assert calendar.is_working_day(date(UNKNOWN + 1, 3, 1)) is True  # a Friday
        with pytest.raises(CalendarUnknown):
            calendar.is_working_day(date(UNKNOWN + 2, 3, 1))
        rows = [loads(t) for t in session.scalars(select(Record.data))]
    assert rows and all(DEMO_SOURCE in (r.get("source") or r.get("note")) for r in rows)
    # Again: nothing added, nothing duplicated.
    assert _years_written(app, date(UNKNOWN, 12, 5)) == []
    with app.state.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == len(rows)


def test_2027_has_its_spring_festival_and_the_other_lunar_holidays() -> None:
    days = demo_holidays(2027)
    assert len(days) == 13  # 元旦 1, 春节 4, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3
    # 除夕 to 初三 (初一 is 2027-02-06), 清明 from the solar terms, 端午, 中秋.
    for day in ("2027-02-05", "2027-02-08", "2027-04-05", "2027-06-09", "2027-09-15"):
        assert date.fromisoformat(day) in days
    assert date(2027, 2, 9) not in days
    # 2028's 中秋 (10-03) falls inside 国庆: one day, listed once.
    assert len(demo_holidays(2028)) == 12 and len(set(demo_holidays(2028))) == 12


def test_a_bundled_or_imported_year_is_left_alone(app: FastAPI, tmp_path: Path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text(f"{UNKNOWN}-02-20~{UNKNOWN}-02-24,休\n{UNKNOWN},完整\n", encoding="utf-8")
    report = import_file(app.state.write_sessions, "calendar_overrides", notice)
    assert not report.rejected
    # The bundled year is not written; the imported one is not touched; the next one is.
    assert _years_written(app, date(BUNDLED, 6, 1)) == []
    assert _years_written(app, date(UNKNOWN, 6, 1)) == [UNKNOWN + 1]
    with app.state.sessions() as session:
        calendar = platform_calendar(session)
        assert calendar.is_working_day(date(UNKNOWN, 2, 21)) is False  # the notice's
        assert calendar.is_working_day(date(UNKNOWN, 10, 2)) is True  # no demo row in it


def test_seed_demo_writes_it_and_says_so(app: FastAPI) -> None:
    summary = seed_demo(app.state.write_sessions, entities=5)
    # Whatever today is, the demo can count working days this year and next.
    with app.state.sessions() as session:
        calendar = platform_calendar(session)
        for year in (china_today().year, china_today().year + 1):
            calendar.is_working_day(date(year, 6, 1))  # raises CalendarUnknown if not
    if summary.calendar_years:
        assert "演示推算" in describe(summary) and "国务院节假日通知" in describe(summary)
    else:
        assert "节假日表" not in describe(summary)
