"""A banner telling supervisors that next year's holiday table has not arrived yet."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from desktop_app.domain.working_days import CalendarStatus
from desktop_app.services.calendar import CalendarService
from ui.taskman import TaskManager


class CalendarNotice(QLabel):
    """Hidden unless the account is a supervisor and the calendar misses a year soon needed.

    Call :meth:`refresh` whenever the page refreshes (after each sync): the status is read
    from the store on the database worker.

    Args:
        calendar: The calendar service of the open store.
        tasks: The background runner.
    """

    def __init__(
        self, calendar: CalendarService, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("calendarNotice")
        self.setWordWrap(True)
        self.setStyleSheet(
            "QLabel#calendarNotice {background:#fef7e0; color:#8a5300;"
            " border:1px solid #f9ab00; padding:6px;}"
        )
        self.setVisible(False)
        self._calendar = calendar
        self._tasks = tasks
        self.status: CalendarStatus | None = None

    def refresh(self) -> None:
        """Reload the status (on the database worker) and show or hide the banner."""
        self._tasks.run_db(self._calendar.supervisor_notice, self.show_status, context=self)

    def show_status(self, status: CalendarStatus | None) -> None:
        """Show the warning of ``status``; hide the banner for None."""
        self.status = status
        if status is None or status.missing_year is None:
            self.setVisible(False)
            return
        year = status.missing_year
        if status.days_left:
            when = self.tr("距{year}年还有{days}天").format(year=year, days=status.days_left)
        else:
            when = self.tr("现已是{year}年").format(year=year)
        self.setText(
            self.tr(
                "节假日表：{year}年法定节假日安排尚未同步到本机（{when}）。到期日落在{year}年的"
                "容缺补齐、整改和公示期限将无法计算。请提醒管理员在平台导入国务院办公厅{year}年"
                "节假日通知，导入后各终端同步即可。"
            ).format(year=year, when=when)
        )
        self.setVisible(True)
