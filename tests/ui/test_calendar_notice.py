"""The 同步 page's banner: supervisors are told when next year's holiday table is missing."""

from __future__ import annotations

from datetime import date

from desktop_app.services.app import AppServices
from desktop_app.services.calendar import CalendarService
from desktop_app.services.offline import ROLE_KEY
from desktop_app.store.outbox import SyncStateRepo
from sync.events import SyncReport
from sync.pull import apply_page
from sync.transport import PulledChange
from ui.taskman import TaskManager
from ui.widgets.calendar_notice import CalendarNotice

TODAY = date(2040, 12, 24)  # 8 days before 2041; a year chinese_calendar does not know


def _pull_years(services: AppServices, on_db, *years: int) -> None:
    """Put complete-year tables into the store the way a sync pull does."""
    changes = [
        PulledChange("calendar_overrides", f"cal-year-{y}", 1, False, {"year": y, "complete": True})
        for y in years
    ]

    def work() -> None:
        with services.store.write() as s:
            apply_page(s, changes, SyncReport())

    on_db(work)


def _role(services: AppServices, on_db, role: str) -> None:
    def work() -> None:
        with services.store.write() as s:
            SyncStateRepo(s).set(ROLE_KEY, role)

    on_db(work)


def test_supervisors_see_the_missing_year_until_a_sync_brings_it(
    qtbot, services: AppServices, tasks: TaskManager, on_db
) -> None:
    _pull_years(services, on_db, 2040)
    notice = CalendarNotice(CalendarService(services.store, today=lambda: TODAY), tasks)
    qtbot.addWidget(notice)

    _role(services, on_db, "window")  # a clerk: nothing to act on
    with qtbot.waitSignal(tasks.idle, timeout=10_000):
        notice.refresh()
    assert notice.isHidden()

    _role(services, on_db, "supervisor")
    with qtbot.waitSignal(tasks.idle, timeout=10_000):
        notice.refresh()
    assert not notice.isHidden()
    text = notice.text()
    assert "2041年法定节假日安排尚未同步到本机" in text and "距2041年还有8天" in text
    assert "请提醒管理员在平台导入" in text

    _pull_years(services, on_db, 2041)  # what the sync after the import brings
    with qtbot.waitSignal(tasks.idle, timeout=10_000):
        notice.refresh()
    assert notice.isHidden() and notice.status is None
