"""工作日 (working days) for publication deadlines such as "公示 within 7 working days".

Working days exclude weekends and statutory holidays and include make-up days (调休), so they
come from the official calendar, never from a Monday–Friday rule alone. ``chinese_calendar``
holds that calendar for the years it knows (2004–2026 in 1.11); for other years the platform
distributes an override table. When neither knows a date, :class:`CalendarUnknown` is raised:
a guessed deadline is worse than none.

Counting follows the rule for administrative time limits that the starting day is not counted:
``add_working_days(decision_day, 7)`` is the 7th working day after the decision day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

import chinese_calendar

from desktop_app.domain.errors import DomainError

_DAY = timedelta(days=1)
_SATURDAY = 5  # date.weekday() numbering, Monday = 0


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
