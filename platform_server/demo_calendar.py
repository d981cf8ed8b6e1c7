"""The demo's holiday table for the years the bundled ``chinese_calendar`` does not know yet.

A real platform imports the State Council's notice every year
(:mod:`platform_server.holiday_table`); until it does, working days of that year cannot be
counted (``calendar_unknown``), on purpose: a deadline guessed by the weekday rule would be wrong
by a week at the Spring Festival. A demo platform has nobody to import the notice, and would stop
taking 容缺受理 whose deadline reaches into next year (from December) and everything counted in
working days (from 1 January): a newcomer trying the demo would hit a wall on a date, not
because of anything they did.

So ``seed-demo`` writes, for this year and next (China's date) where the bundled calendar stops
short and nothing was imported for the year, the statutory holidays of
《全国年节及纪念日放假办法》 (2024 revision: 元旦 1 day, 春节 4 — 除夕 to 初三, 清明 1,
劳动节 2, 端午 1, 中秋 1, 国庆 3) on their own dates, and declares the year complete. The
make-up working days and the bridged weekends (调休) are left out: only the notice fixes them.
Every row says it is a demo's estimate; importing the notice later replaces the rows of the
same dates (record ids ``cal-<date>``, ``cal-year-<year>``, as
:func:`platform_server.import_rules.calendar_overrides` names them).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import chinese_calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from platform_server.models import Record
from platform_server.records import Scope, bulk_insert_new
from sync.protocol import Collection

DEMO_SOURCE = "演示数据：按《全国年节及纪念日放假办法》推算，未含调休，以国务院通知为准"

# 春节 (the first lunar day), 端午, 中秋 by the Gregorian calendar; 清明 comes from the solar terms.
_LUNAR: dict[int, tuple[date, date, date]] = {
    2027: (date(2027, 2, 6), date(2027, 6, 9), date(2027, 9, 15)),
    2028: (date(2028, 1, 26), date(2028, 5, 28), date(2028, 10, 3)),
}


def _known(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def demo_holidays(year: int) -> list[date]:
    """The statutory holidays of ``year`` on their own dates (no 调休), as the demo assumes them.

    Args:
        year: A year; the lunar holidays are known here for 2027 and 2028 only, other years get
            the fixed-date ones and 清明.
    """
    days = [date(year, 1, 1), date(year, 5, 1), date(year, 5, 2)]
    days += [date(year, 10, d) for d in (1, 2, 3)]
    days += [d for d, name in chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 10))
             if name == "清明"]  # fmt: skip
    if year in _LUNAR:
        spring, dragon_boat, mid_autumn = _LUNAR[year]
        days += [spring + timedelta(days=k) for k in (-1, 0, 1, 2)] + [dragon_boat, mid_autumn]
    return sorted(set(days))  # 2028's 中秋 falls on 10-03, a 国庆 day


def seed_demo_calendar(session: Session, today: date) -> list[int]:
    """Write the demo's table for this year and next where needed (see the module docstring).

    Args:
        session: A write session of the platform database.
        today: Today in China.

    Returns:
        The years written (none when the bundled calendar knows them or they were imported).
    """
    collection = Collection.CALENDAR_OVERRIDES.value
    have = set(session.scalars(select(Record.record_id).where(Record.collection == collection)))
    written: list[int] = []
    for year in (today.year, today.year + 1):
        if _known(year) or f"cal-year-{year}" in have:
            continue
        rows: list[tuple[str, dict[str, Any], Scope]] = [
            (f"cal-{day.isoformat()}", {"date": day.isoformat(), "working": False,
                                        "source": DEMO_SOURCE}, Scope())
            for day in demo_holidays(year)
            if f"cal-{day.isoformat()}" not in have
        ]  # fmt: skip
        rows.append(
            (f"cal-year-{year}", {"year": year, "complete": True, "note": DEMO_SOURCE}, Scope())
        )
        bulk_insert_new(session, collection, rows)
        written.append(year)
    return written


def calendar_lines(years: list[int]) -> list[str]:
    """``seed-demo``'s summary line about the table (none when it wrote none).

    Args:
        years: What :func:`seed_demo_calendar` returned.
    """
    if not years:
        return []
    return [
        f"  节假日表：{'、'.join(map(str, years))}年为演示推算（法定节日，未含调休）；"
        "正式使用须导入国务院节假日通知"
    ]
