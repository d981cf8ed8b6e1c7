"""工作日 (working days) for publication deadlines such as "公示 within 7 working days".

Working days exclude weekends and statutory holidays and include make-up days (调休), so they
come from the official calendar, never from a Monday–Friday rule alone. ``chinese_calendar``
holds that calendar for the years it knows (2004–2026 in 1.11); for other years the platform
distributes an override table. When neither knows a date, :class:`CalendarUnknown` is raised:
a guessed deadline is worse than none.

Counting follows the rule for administrative time limits that the starting day is not counted:
``add_working_days(decision_day, 7)`` is the 7th working day after the decision day.

The override table is the platform's ``calendar_overrides`` collection, read on both sides by
the one :func:`calendar_from_records`. From :data:`WARN_DAYS` days before a year ends,
:func:`calendar_status` says whether next year is known yet, so that the administrator imports
the State Council's holiday notice before deadlines reach into that year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import chinese_calendar

from desktop_app.domain.errors import DomainError

_DAY = timedelta(days=1)
_SATURDAY = 5  # date.weekday() numbering, Monday = 0
WARN_DAYS = 30
"""From this many days before a year ends, an unknown next year is warned about."""


class CalendarUnknown(DomainError):  # noqa: N818 - reads as a state; the agreed public name
    """The calendar cannot say whether a date is a working day (its year is not published)."""

    def __init__(self, day: date) -> None:
        super().__init__(
            f"{day.year}年的法定节假日安排尚未获得，无法计算工作日。"
            "请在同步后重试，或联系管理员更新节假日表。"
        )
        self.day = day
        self.year = day.year


def _as_date(day: date) -> date:
    # datetime is a date subclass; hashing and comparing it against dates would go wrong.
    return day.date() if isinstance(day, datetime) else day


def _builtin(day: date) -> bool | None:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # the library's way of saying "year not in my data"
        return None


class WorkingDayCalendar:
    """The official working-day calendar, extended by a table the platform distributes.

    A date is answered, in order, by the override table, then ``chinese_calendar``, then (only
    for a year the table declares fully covered) the weekday rule; otherwise
    :class:`CalendarUnknown` is raised.

    Args:
        overrides: Dates whose status the table fixes: ``True`` a working day (including a
            weekend make-up day), ``False`` a holiday or rest day. Wins over ``chinese_calendar``.
        known_years: Years for which ``overrides`` lists every holiday and make-up day, so any
            other date of those years follows the weekday rule.
    """

    def __init__(
        self, overrides: Mapping[date, bool] | None = None, known_years: Iterable[int] = ()
    ) -> None:
        self._overrides = {_as_date(d): bool(v) for d, v in (overrides or {}).items()}
        self._known_years = frozenset(known_years)

    @property
    def known_years(self) -> frozenset[int]:
        """Years the override table declares fully covered."""
        return self._known_years

    def knows_year(self, year: int) -> bool:
        """Whether every date of ``year`` can be answered (bundled data or a complete table)."""
        if year in self._known_years:
            return True
        return _builtin(date(year, 1, 1)) is not None and _builtin(date(year, 12, 31)) is not None

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day.

        Args:
            day: The date (a datetime counts as its date).

        Raises:
            CalendarUnknown: Neither the table nor ``chinese_calendar`` covers the date's year.
        """
        day = _as_date(day)
        fixed = self._overrides.get(day)
        if fixed is not None:
            return fixed
        builtin = _builtin(day)
        if builtin is not None:
            return builtin
        if day.year in self._known_years:
            return day.weekday() < _SATURDAY
        raise CalendarUnknown(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (``start`` itself is not counted).

        ``n < 0`` counts backward: the ``|n|``-th working day before ``start``. ``n == 0``
        returns ``start`` unchanged, even on a rest day, so that
        ``working_days_between(d, add_working_days(d, n)) == n`` holds for every ``n``; use
        :meth:`working_day_on_or_after` to move a date off a rest day.

        Args:
            start: The day counting starts from (e.g. the decision date).
            n: How many working days to move.

        Raises:
            CalendarUnknown: A date on the way is in a year the calendar does not know.
        """
        day = _as_date(start)
        step = _DAY if n >= 0 else -_DAY
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Signed count of working days passed going from ``start`` to ``end``.

        Days are counted in the direction of travel, excluding ``start`` and including
        ``end``: working days in ``(start, end]`` when ``end >= start``, and minus the working
        days in ``[end, start)`` otherwise. This makes it the inverse of
        :meth:`add_working_days`; it is not antisymmetric when exactly one endpoint is a
        rest day.

        Args:
            start: Where counting starts (not counted).
            end: Where counting stops (counted).

        Raises:
            CalendarUnknown: A date in between is in a year the calendar does not know.
        """
        start, end = _as_date(start), _as_date(end)
        if end >= start:
            return sum(
                self.is_working_day(start + k * _DAY) for k in range(1, (end - start).days + 1)
            )
        return -sum(self.is_working_day(end + k * _DAY) for k in range((start - end).days))

    def working_day_on_or_after(self, day: date) -> date:
        """``day`` if it is a working day, else the next working day.

        Args:
            day: The date, e.g. a deadline computed in calendar days.

        Raises:
            CalendarUnknown: A date on the way is in a year the calendar does not know.
        """
        day = _as_date(day)
        while not self.is_working_day(day):
            day += _DAY
        return day

    def deadline(self, start: date, n: int) -> date:
        """Last day of a time limit of ``n`` working days starting after ``start``.

        "Publish within 7 working days of the decision" is ``deadline(decision_date, 7)``.

        Args:
            start: The day of the event that starts the limit (not counted).
            n: Length of the limit in working days; must not be negative.

        Raises:
            ValueError: ``n`` is negative.
            CalendarUnknown: A date on the way is in a year the calendar does not know.
        """
        if n < 0:
            raise ValueError(f"a time limit cannot be negative: {n}")
        return self.add_working_days(start, n)


DEFAULT_CALENDAR = WorkingDayCalendar()
"""The built-in calendar with no override table; services should pass the platform's table."""


def is_working_day(day: date) -> bool:
    """:meth:`WorkingDayCalendar.is_working_day` on :data:`DEFAULT_CALENDAR`.

    Args:
        day: The date.
    """
    return DEFAULT_CALENDAR.is_working_day(day)


def add_working_days(start: date, n: int) -> date:
    """:meth:`WorkingDayCalendar.add_working_days` on :data:`DEFAULT_CALENDAR`.

    Args:
        start: The day counting starts from (not counted).
        n: How many working days to move; negative moves backward.
    """
    return DEFAULT_CALENDAR.add_working_days(start, n)


def working_days_between(start: date, end: date) -> int:
    """:meth:`WorkingDayCalendar.working_days_between` on :data:`DEFAULT_CALENDAR`.

    Args:
        start: Where counting starts (not counted).
        end: Where counting stops (counted).
    """
    return DEFAULT_CALENDAR.working_days_between(start, end)


def calendar_from_records(records: Iterable[Mapping[str, Any]]) -> WorkingDayCalendar:
    """The official calendar extended by ``calendar_overrides`` records (platform and client).

    A record either fixes one date (``date`` ISO, ``working`` bool) or declares a year fully
    covered by the table (``year`` int, ``complete`` true), so that year's other dates follow
    the weekday rule. Malformed records are skipped (the platform's import rejects them).

    Args:
        records: The records' fields, e.g. decoded JSON of the stored rows.
    """
    # Imported here: the record definitions import the commitment rules, which count working
    # days with this module.
    from desktop_app.domain.records.reference import CalendarOverride

    overrides: dict[date, bool] = {}
    years: set[int] = set()
    for fields in records:
        if not isinstance(fields, Mapping):
            continue
        entry = CalendarOverride.read(fields)
        if entry.year is not None and entry.complete:
            years.add(entry.year)
        if entry.date is not None and entry.working is not None:
            overrides[entry.date] = entry.working
    return WorkingDayCalendar(overrides, years)


@dataclass(frozen=True, slots=True)
class CalendarStatus:
    """Whether the calendar covers the years deadlines may soon reach.

    Attributes:
        today: The day the status is for.
        missing_year: The first year that deadlines may reach and the calendar does not know
            (this year, or next year from :data:`WARN_DAYS` days before this year ends);
            None when nothing is missing.
        days_left: Days from ``today`` until ``missing_year`` begins (0 when it has begun).
    """

    today: date
    missing_year: int | None
    days_left: int

    @property
    def warning(self) -> bool:
        """Whether someone must import a holiday table."""
        return self.missing_year is not None

    def message(self) -> str:
        """The warning in Chinese with what to do, or a line saying all is well."""
        if self.missing_year is None:
            years = "及次年" if _within_warning(self.today) else ""
            return f"工作日历正常：已掌握{self.today.year}年{years}的法定节假日安排。"
        year = self.missing_year
        when = f"现已是{year}年" if self.days_left == 0 else f"距{year}年还有{self.days_left}天"
        return (
            f"{year}年法定节假日安排尚未导入（{when}）：到期日落在{year}年的工作日期限"
            "（容缺补齐、整改、公示）将无法计算。请管理员按国务院办公厅节假日通知整理日期，"
            "用 credit-platform import --collection calendar_overrides 导入，"
            f"并以“{year},完整”一行声明该年已全部列出。"
        )


def _within_warning(today: date) -> bool:
    return (date(today.year + 1, 1, 1) - today).days <= WARN_DAYS


def calendar_status(calendar: WorkingDayCalendar, today: date) -> CalendarStatus:
    """Whether ``calendar`` knows this year and, near the year's end, next year.

    Args:
        calendar: The calendar (e.g. :func:`calendar_from_records` of the platform's table).
        today: The day to judge for; injected, so callers and tests choose it.
    """
    today = _as_date(today)
    if not calendar.knows_year(today.year):
        return CalendarStatus(today, today.year, 0)
    next_year = today.year + 1
    if _within_warning(today) and not calendar.knows_year(next_year):
        return CalendarStatus(today, next_year, (date(next_year, 1, 1) - today).days)
    return CalendarStatus(today, None, 0)
