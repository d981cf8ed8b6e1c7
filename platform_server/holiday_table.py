"""Next year's holidays: the State Council's notice as a simple file, and the warning.

The administrator is warned until the notice is imported.

The bundled ``chinese_calendar`` knows the years up to its release; each later year's holidays
and make-up days come from the State Council's notice (国务院办公厅关于××年部分节假日安排的通知,
usually published in November), imported into the ``calendar_overrides`` collection, which
every client pulls. The file is plain text, one line per day or range::

    # 国务院办公厅关于2027年部分节假日安排的通知
    2027-01-01,休
    2027-02-06,班            # a weekend make-up day
    2027-02-15~2027-02-21,休
    2027,完整                # every holiday and make-up day of 2027 is listed above

``休``/``假`` is a day off, ``班`` a working day; ``~`` or ``至`` joins the first and last day
of a range; ``#`` starts a comment. The ``完整`` line declares the year complete, so that its
other dates follow the weekday rule; until then the year stays unknown.

:func:`calendar_status` answers from :data:`~desktop_app.domain.working_days.WARN_DAYS` days
before the year ends; ``credit-platform calendar-status``, ``serve`` and ``import`` print it,
and supervisors' clients show it (``GET /v1/admin/calendar``, and from their own pulled copy).
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from desktop_app.domain.clock import china_today
from desktop_app.domain.working_days import CalendarStatus
from desktop_app.domain.working_days import calendar_status as domain_status
from platform_server.db import transaction
from platform_server.publication import platform_calendar

TODAY_ENV = "CREDIT_PLATFORM_TODAY"
"""An ISO date the platform's calendar warnings take as today (drills and tests)."""

OFF = frozenset({"休", "假", "休息", "放假", "休息日", "节假日", "否", "false", "off"})
ON = frozenset({"班", "上班", "工作", "工作日", "调休上班", "是", "true", "work"})
COMPLETE = frozenset({"完整", "全年", "complete", "是"})
_RANGE = re.compile(r"\s*(?:~|～|至|--)\s*")
_MAX_RANGE_DAYS = 31


def calendar_today() -> date:
    """Today for calendar warnings: :data:`TODAY_ENV` when set, else today in China.

    Raises:
        ValueError: :data:`TODAY_ENV` is not an ISO date.
    """
    raw = os.environ.get(TODAY_ENV)
    return date.fromisoformat(raw) if raw else china_today()


def calendar_status(session: Session, today: date | None = None) -> CalendarStatus:
    """The platform calendar's status on ``today`` (:func:`calendar_today` by default)."""
    return domain_status(platform_calendar(session), today or calendar_today())


def status_line(sessions: sessionmaker[Session], today: date | None = None) -> str | None:
    """The warning line for a console, or None when the calendar covers what it must."""
    with transaction(sessions) as session:
        status = calendar_status(session, today)
    return f"警告：{status.message()}" if status.warning else None


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"“{text.strip()}”不是日期，应写作 2027-01-01。") from None


def _line_rows(text: str) -> list[dict[str, Any]]:
    """The import rows of one line (without comment), or ValueError with the reason."""
    parts = [p.strip() for p in re.split(r"[,，\t]", text, maxsplit=1)]
    if len(parts) != 2 or not parts[1]:
        raise ValueError("每行应为“日期,休”或“日期,班”（或“年份,完整”），用逗号分隔。")
    what, status = parts[0], parts[1].lower()
    if what.isdigit() and len(what) == 4:
        if status not in COMPLETE:
            raise ValueError(f"年份行应写作“{what},完整”，表示该年节假日和调休已全部列出。")
        return [{"year": what, "complete": "是"}]
    if status in OFF:
        working = "否"
    elif status in ON:
        working = "是"
    else:
        raise ValueError(f"“{parts[1]}”无法识别：休息日写“休”，调休上班写“班”。")
    ends = _RANGE.split(what)
    if len(ends) > 2:
        raise ValueError("日期范围只能有起止两个日期，如 2027-02-15~2027-02-21。")
    first, last = _day(ends[0]), _day(ends[-1])
    if last < first:
        raise ValueError("日期范围的结束日早于开始日。")
    if (last - first).days >= _MAX_RANGE_DAYS:
        raise ValueError("日期范围超过一个月，请检查是否写错。")
    days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
    return [{"date": d.isoformat(), "working": working, "source": "节假日通知"} for d in days]


def read_notice(text: str) -> list[tuple[int, dict[str, Any]]]:
    """Import rows (line number, fields) of a holiday notice file (see the module doc).

    A line that cannot be read becomes one row carrying ``__problem__`` (its reason), so
    that the import report rejects it with its line number and stores nothing for it.
    """
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.split("#", 1)[0].strip()
        if not content:
            continue
        try:
            rows += [(number, row) for row in _line_rows(content)]
        except ValueError as exc:
            rows.append((number, {"date": content, "__problem__": str(exc)}))
    return rows
