"""工作日: official holidays and make-up days, unknown years, override tables, counting rules."""

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.errors import DomainError
from desktop_app.domain.working_days import (
    DEFAULT_CALENDAR,
    WARN_DAYS,
    CalendarUnknown,
    WorkingDayCalendar,
    add_working_days,
    calendar_from_records,
    calendar_status,
    is_working_day,
    working_days_between,
)

FAST = settings(max_examples=60, deadline=None)
# Leaves room for 40 working days either way inside the years chinese_calendar knows.
known_dates = st.dates(min_value=date(2004, 4, 1), max_value=date(2026, 10, 31))
steps = st.integers(min_value=-40, max_value=40)


def span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


# Facts from the State Council's notices, as held by chinese_calendar 1.11.
WORKING = [
    date(2024, 2, 4),  # Sunday make-up day before Spring Festival
    date(2024, 2, 9),  # 除夕 2024 was not a statutory day off
    date(2024, 2, 18),  # Sunday make-up day
    date(2024, 9, 29),  # Sunday make-up day before National Day
    date(2024, 10, 12),  # Saturday make-up day
    date(2025, 1, 26),  # Sunday make-up day
    date(2025, 9, 28),  # Sunday make-up day
    date(2025, 10, 11),  # Saturday make-up day
]
RESTING = [
    *span(date(2024, 2, 10), date(2024, 2, 17)),  # Spring Festival 2024
    *span(date(2024, 10, 1), date(2024, 10, 7)),  # National Day 2024
    *span(date(2025, 10, 1), date(2025, 10, 8)),  # National Day and Mid-Autumn 2025
    date(2024, 2, 3),  # an ordinary Saturday
]


@pytest.mark.parametrize("day", WORKING)
def test_make_up_and_ordinary_working_days(day: date) -> None:
    assert chinese_calendar.is_workday(day)
    assert is_working_day(day)


@pytest.mark.parametrize("day", RESTING)
def test_holidays_and_weekends(day: date) -> None:
    assert not chinese_calendar.is_workday(day)
    assert not is_working_day(day)


def test_datetime_counts_as_its_date() -> None:
    assert is_working_day(datetime(2024, 2, 4, 23, 59))
    assert not is_working_day(datetime(2024, 2, 10, 9, 0))


def test_publication_deadline_across_national_day() -> None:
    # Decided Friday 2024-09-27; 7 working days: 9/29 (Sun, make-up), 9/30, 10/8–10/11, 10/12.
    assert DEFAULT_CALENDAR.deadline(date(2024, 9, 27), 7) == date(2024, 10, 12)
    assert working_days_between(date(2024, 9, 27), date(2024, 10, 12)) == 7


def test_zero_and_negative_steps() -> None:
    holiday = date(2025, 10, 3)
    assert add_working_days(holiday, 0) == holiday
    assert DEFAULT_CALENDAR.working_day_on_or_after(holiday) == date(2025, 10, 9)
    assert DEFAULT_CALENDAR.working_day_on_or_after(date(2025, 10, 9)) == date(2025, 10, 9)
    assert add_working_days(date(2025, 10, 9), -1) == date(2025, 9, 30)
    assert add_working_days(date(2025, 10, 9), -3) == date(2025, 9, 28)


def test_between_counts_in_the_direction_of_travel() -> None:
    monday, saturday = date(2024, 2, 5), date(2024, 2, 3)
    assert working_days_between(saturday, monday) == 2  # Sun 2/4 (make-up) and Mon 2/5
    # Going back, Monday itself is not counted but Saturday is: Sat 2/3 rests, Sun 2/4 works.
    assert working_days_between(monday, saturday) == -1
    assert working_days_between(monday, monday) == 0


def test_deadline_rejects_negative_limits() -> None:
    with pytest.raises(ValueError, match="negative"):
        DEFAULT_CALENDAR.deadline(date(2024, 1, 2), -1)


@pytest.mark.parametrize("day", [date(2027, 3, 1), date(2003, 12, 31)])
def test_unknown_year_raises_with_instructions(day: date) -> None:
    with pytest.raises(CalendarUnknown) as raised:
        is_working_day(day)
    assert isinstance(raised.value, DomainError)
    assert raised.value.year == day.year
    message = str(raised.value)
    assert message.startswith(f"{day.year}年的法定节假日安排尚未获得")
    assert "联系管理员更新节假日表" in message


def test_counting_into_an_unknown_year_raises_instead_of_guessing() -> None:
    with pytest.raises(CalendarUnknown, match="2027年"):
        add_working_days(date(2026, 12, 28), 7)
    with pytest.raises(CalendarUnknown):
        working_days_between(date(2026, 12, 1), date(2027, 1, 10))


def test_override_table_for_a_declared_year() -> None:
    calendar = WorkingDayCalendar(
        overrides={date(2027, 1, 1): False, date(2027, 2, 6): True},
        known_years={2027},
    )
    assert calendar.known_years == frozenset({2027})
    assert not calendar.is_working_day(date(2027, 1, 1))  # holiday from the table
    assert not calendar.is_working_day(date(2027, 1, 2))  # Saturday, weekday rule
    assert calendar.is_working_day(date(2027, 1, 4))  # Monday, weekday rule
    assert calendar.is_working_day(date(2027, 2, 6))  # Saturday make-up day from the table
    # Thu 2026-12-31 → Fri 1/1 holiday, weekend → Mon 1/4.
    assert calendar.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert calendar.working_days_between(date(2026, 12, 30), date(2027, 1, 8)) == 6
    with pytest.raises(CalendarUnknown, match="2028年"):
        calendar.is_working_day(date(2028, 1, 3))


def test_overrides_without_a_declared_year_answer_only_their_dates() -> None:
    calendar = WorkingDayCalendar(overrides={datetime(2027, 1, 1, 8, 0): False})
    assert not calendar.is_working_day(date(2027, 1, 1))
    with pytest.raises(CalendarUnknown):
        calendar.is_working_day(date(2027, 1, 4))


def test_overrides_win_over_the_builtin_calendar() -> None:
    calendar = WorkingDayCalendar(overrides={date(2025, 10, 8): True, date(2025, 10, 9): False})
    assert calendar.is_working_day(date(2025, 10, 8))
    assert not calendar.is_working_day(date(2025, 10, 9))


@FAST
@given(known_dates, st.integers(min_value=1, max_value=40))
def test_positive_steps_land_on_a_later_working_day(day: date, n: int) -> None:
    result = add_working_days(day, n)
    assert result > day
    assert is_working_day(result)


@FAST
@given(known_dates, steps)
def test_between_inverts_add(day: date, n: int) -> None:
    assert working_days_between(day, add_working_days(day, n)) == n


@FAST
@given(known_dates, steps)
def test_add_is_strictly_increasing_in_n(day: date, n: int) -> None:
    assert add_working_days(day, n) < add_working_days(day, n + 1)


@FAST
@given(st.dates(date(2004, 1, 1), date(2026, 8, 31)), st.integers(0, 60), st.integers(0, 60))
def test_between_is_additive_going_forward(day: date, a: int, b: int) -> None:
    middle, end = day + timedelta(days=a), day + timedelta(days=a + b)
    total = working_days_between(day, end)
    assert total == working_days_between(day, middle) + working_days_between(middle, end)


# -- the platform's table, read the same way on both sides; next year's status ---------------


# Far enough ahead that the bundled chinese_calendar will not know these years for a long time.
YEAR = 2040


def test_records_fix_dates_and_declare_years_complete() -> None:
    calendar = calendar_from_records(
        [
            {"date": f"{YEAR}-01-01", "working": False},
            {"date": f"{YEAR}-01-06T00:00:00", "working": True},  # a Friday stays working
            {"date": f"{YEAR}-01-07", "working": True},  # Saturday make-up day
            {"year": YEAR, "complete": True},
            {"year": YEAR + 1, "complete": False},  # not declared: stays unknown
            {"year": True, "complete": True},  # a bool is not a year
            {"date": "not a date", "working": False},
            {"date": f"{YEAR}-01-09", "working": "否"},  # not a bool: skipped
            "garbage",  # type: ignore[list-item]
        ]
    )
    assert calendar.known_years == frozenset({YEAR})
    assert not calendar.is_working_day(date(YEAR, 1, 1))
    assert calendar.is_working_day(date(YEAR, 1, 7))
    assert calendar.is_working_day(date(YEAR, 1, 9))  # weekday rule of a complete year
    assert calendar.knows_year(YEAR) and calendar.knows_year(2025)
    assert not calendar.knows_year(YEAR + 1)
    with pytest.raises(CalendarUnknown, match=f"{YEAR + 1}年"):
        calendar.is_working_day(date(YEAR + 1, 3, 1))


def test_dates_without_a_complete_declaration_do_not_make_a_year_known() -> None:
    calendar = calendar_from_records([{"date": f"{YEAR}-01-01", "working": False}])
    assert not calendar.knows_year(YEAR)
    with pytest.raises(CalendarUnknown):
        calendar.is_working_day(date(YEAR, 1, 2))


def test_next_year_is_warned_about_from_thirty_days_before_the_year_ends() -> None:
    calendar = calendar_from_records([{"year": YEAR, "complete": True}])
    quiet = calendar_status(calendar, date(YEAR, 12, 1))  # 31 days before 1 January
    assert not quiet.warning and quiet.missing_year is None
    assert "工作日历正常" in quiet.message()
    first = calendar_status(calendar, date(YEAR, 12, 2))
    assert (date(YEAR + 1, 1, 1) - date(YEAR, 12, 2)).days == WARN_DAYS
    assert first.warning and first.missing_year == YEAR + 1 and first.days_left == WARN_DAYS
    last = calendar_status(calendar, datetime(YEAR, 12, 31, 23, 59))
    assert last.missing_year == YEAR + 1 and last.days_left == 1
    text = last.message()
    assert f"{YEAR + 1}年法定节假日安排尚未导入" in text and "距" in text
    assert "credit-platform import --collection calendar_overrides" in text
    assert f"“{YEAR + 1},完整”" in text
    # Once the year has begun unknown, the warning stays, and says so.
    late = calendar_status(calendar_from_records([]), date(YEAR + 1, 1, 5))
    assert late.missing_year == YEAR + 1 and late.days_left == 0
    assert f"现已是{YEAR + 1}年" in late.message()


def test_the_warning_ends_when_next_years_table_is_imported() -> None:
    both = calendar_from_records(
        [{"year": YEAR, "complete": True}, {"year": YEAR + 1, "complete": True}]
    )
    assert not calendar_status(both, date(YEAR, 12, 20)).warning


def test_the_bundled_calendar_knows_its_years() -> None:
    assert calendar_status(DEFAULT_CALENDAR, date(2025, 12, 15)).missing_year is None
    assert calendar_status(DEFAULT_CALENDAR, date(2026, 6, 1)).missing_year is None
