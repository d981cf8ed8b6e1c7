"""Table models of the 诚信教育 page: sessions, the attendees of one session, monthly figures.

Each holds a short list of immutable rows handed over from the database worker (a hall runs a
few sessions a week, each with tens of attendees), so no paging is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from desktop_app.reports.education import mask_phone
from desktop_app.services.education import Attendee, EducationSession, EducationStats, MonthStats
from ui.models.rows import RowsModel

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex
Column = tuple[str, Callable[[Any], str]]
_CENTER = Qt.AlignmentFlag.AlignCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class SessionsModel(RowsModel[EducationSession]):
    """培训场次 list: date, time, title, place, facilitator, attendees, sync state."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent=parent)
        self._columns = [
            (self.tr("日期"), lambda s: s.held_on.isoformat()),
            (self.tr("时间"), self._time),
            (self.tr("培训主题"), lambda s: s.title),
            (self.tr("地点"), lambda s: s.place),
            (self.tr("主讲人"), lambda s: s.facilitator),
            (self.tr("签到"), self._count),
            (self.tr("状态"), lambda s: self.tr("已同步") if s.synced else self.tr("待同步")),
        ]
        self._aligned = {1: _CENTER, 5: _CENTER, 6: _CENTER}

    def row_of(self, session_id: str) -> int:
        """The row showing ``session_id``, or -1."""
        return next((n for n, s in enumerate(self._rows) if s.id == session_id), -1)

    def _time(self, s: EducationSession) -> str:
        if s.start_time and s.end_time:
            return f"{s.start_time}–{s.end_time}"
        return s.start_time or s.end_time

    def _count(self, s: EducationSession) -> str:
        if s.capacity:
            return f"{s.attendees}/{s.capacity}"
        return str(s.attendees)


def check_in_time(value: str) -> str:
    """``HH:MM:SS`` of a stored local ISO time (the text itself if it is not one)."""
    try:
        return datetime.fromisoformat(value).strftime("%H:%M:%S")
    except ValueError:
        return value


class AttendeesModel(RowsModel[Attendee]):
    """参训人员 of one session, in check-in order; phone numbers are shown masked."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent=parent)
        self._columns = [
            (self.tr("序号"), self._number),
            (self.tr("主体名称"), lambda a: a.entity_name or self.tr("（未登记主体）")),
            (self.tr("统一社会信用代码"), lambda a: a.uscc or "—"),
            (self.tr("参训人"), lambda a: a.attendee_name),
            (self.tr("身份"), lambda a: a.role),
            (self.tr("联系电话"), lambda a: mask_phone(a.phone)),
            (self.tr("签到时间"), lambda a: check_in_time(a.checked_in_at)),
            (self.tr("状态"), lambda a: self.tr("已同步") if a.synced else self.tr("待同步")),
        ]
        self._aligned = {0: _CENTER, 6: _CENTER, 7: _CENTER}

    def _number(self, attendee: Attendee) -> str:
        return str(next(n for n, a in enumerate(self._rows, start=1) if a is attendee))


class MonthlyStatsModel(RowsModel[MonthStats]):
    """统计: one row per month of a year that had sessions, and a 合计 row."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent=parent)
        self._total: MonthStats | None = None
        self._columns = [
            (self.tr("月份"), self._month),
            (self.tr("场次"), lambda m: str(m.sessions)),
            (self.tr("参训人次"), lambda m: str(m.attendees)),
            (self.tr("参训主体"), lambda m: str(m.entities)),
        ]
        self._aligned = {1: _RIGHT, 2: _RIGHT, 3: _RIGHT}

    def set_stats(self, stats: EducationStats) -> None:
        """Show ``stats``: the months with sessions, then the year's totals."""
        self._total = MonthStats(0, stats.sessions, stats.attendees, stats.entities)
        self.set_rows([*(m for m in stats.months if m.sessions), self._total])

    def _month(self, m: MonthStats) -> str:
        return self.tr("合计") if m is self._total else self.tr("{month}月").format(month=m.month)
