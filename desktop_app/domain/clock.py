"""China's clock: the dates of the regulatory work, on the platform and on every client.

Deadlines, working days, disclosure periods and publication dates are China dates (the
plan is a Chinese city's; China keeps one time zone, UTC+8, without daylight saving). The
platform dates what it decides in China time, so a client must ask for "today" in China time
too: on a PC whose clock runs on UTC (a thin client, a mis-set system), the local date is
yesterday's from 16:00 to midnight UTC, and a record the platform dated today would stay
hidden from the window until the next morning. On a PC set to China time nothing changes.

Both sides use these functions (the platform through ``platform_server.publication``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

__all__ = ["CHINA_TZ", "china_now", "china_today"]

CHINA_TZ = timezone(timedelta(hours=8))  # China has no daylight saving time


def china_now() -> datetime:
    """The wall-clock time in China, naive (as the store and the forms keep times)."""
    return datetime.now(CHINA_TZ).replace(tzinfo=None)


def china_today() -> date:
    """Today's date in China."""
    return datetime.now(CHINA_TZ).date()
