"""限期整改 → 约谈 end to end on a REAL platform process: an inspector, a supervisor, a window.

An inspector gives a 失信警示 with a 5-working-day rectification period and syncs. When the
deadline has passed with no rectification on record, the warning is on the inspector's
follow-up list (offline, from the store) and on the supervisor's (from the platform). The
supervisor gives it to a colleague as a follow-up task; the colleague records a 警示约谈 from
the list, offline, and prints the 约谈记录; after the syncs the interview is on the entity's
city-wide record at a window of another district.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.domain.working_days import DEFAULT_CALENDAR
from desktop_app.services.inspections import InspectionService
from sync.followups import assign_followups, fetch_overdue_warnings
from tests.sync.conftest import LiveServer
from tests.sync.test_city_wide_record import _card
from tests.sync.test_engine import Device
from tests.sync.test_inspection_sync import _warning_input

INSPECTOR = "inspector.luzhou.1"
COLLEAGUE = "inspector.luzhou.3"
WINDOW = "window.shangdang.1"
ON_SITE = datetime.combine(date.today() - timedelta(days=40), datetime.min.time()).replace(hour=10)
DEADLINE = DEFAULT_CALENDAR.deadline(ON_SITE.date(), 5)


@pytest.fixture
def people(live_server: LiveServer, tmp_path: Path) -> Iterator[tuple[Device, Device, Device]]:
    devices = [
        Device(live_server, tmp_path / "i", INSPECTOR),
        Device(live_server, tmp_path / "c", COLLEAGUE),
        Device(live_server, tmp_path / "w", WINDOW),
    ]
    for device in devices:
        device.sync()
    yield devices[0], devices[1], devices[2]
    for device in devices:
        device.close()


def test_an_overdue_warning_is_followed_up_by_an_interview_everyone_sees(
    qapp: object, people: tuple[Device, Device, Device], live_server: LiveServer, tmp_path: Path
) -> None:
    inspector, colleague, window = people
    service = InspectionService(inspector.store, INSPECTOR, clock=lambda: ON_SITE)
    task = service.tasks()[0]
    items = [i.no for i in service.checklist(task.checklist_id).items]
    view = service.record(_warning_input(task.task_id, items, inspected_on=ON_SITE.date()))
    assert view.deadline == DEADLINE
    inspector.sync()
    # Before the deadline: nothing to follow up. After it: on the inspector's list, offline.
    assert service.overdue_warnings(DEADLINE) == []
    later = InspectionService(inspector.store, INSPECTOR)
    (item,) = [o for o in later.overdue_warnings() if o.warning.uscc == task.uscc]
    assert item.warning.deadline == DEADLINE and item.days_late > 0
    assert item.record_task_id == task.task_id and item.warning.interviews == 0

    # The supervisor sees it too, and gives it to a colleague as a follow-up task.
    supervisor = Device(live_server, tmp_path / "s", "supervisor")
    try:
        (listed,) = [
            w for w in fetch_overdue_warnings(supervisor.transport) if w["uscc"] == task.uscc
        ]
        assert listed["warning_id"] == item.warning.warning_id
        (followup,) = assign_followups(supervisor.transport, [listed["warning_id"]], [COLLEAGUE])
    finally:
        supervisor.close()

    colleague.sync()
    theirs = InspectionService(colleague.store, COLLEAGUE)
    (todo,) = [o for o in theirs.overdue_warnings() if o.warning.uscc == task.uscc]
    assert todo.record_task_id == followup == todo.warning.followup_task_id
    interview_id = theirs.record_interview(
        todo.record_task_id,
        "warning",
        date.today(),
        "王芳（执法人员）、李四（法定代表人）",
        "逾期未更正年度报告公示信息，予以警示约谈，要求3个工作日内更正。",
        "3个工作日内更正并书面报告",
        warning_id=todo.warning.warning_id,
        location="区市场监管局三楼会议室",
    )
    paper = theirs.interview_record(interview_id)
    text = _pdf_text(paper, tmp_path)
    for expected in (
        "约谈记录",
        paper.number,
        task.entity_name,
        "警示约谈",
        f"{DEADLINE.year}年{DEADLINE.month}月{DEADLINE.day}日",
        "被约谈单位负责人",
    ):
        assert expected in text, expected
    assert colleague.sync().rejected == 0  # type: ignore[attr-defined]

    window.sync()
    interviews = [r for r in _card(window, task.uscc).records if r.kind == "interview"]
    assert [r.title for r in interviews] == ["警示约谈"]
    inspector.sync()
    (after,) = [o for o in later.overdue_warnings() if o.warning.uscc == task.uscc]
    assert after.warning.interviews == 1  # still not rectified: it stays on the list


def _pdf_text(document: object, folder: Path) -> str:
    from tests.pdf_tools import pdftotext
    from ui.printing import render_pdf

    pdf = folder / "interview.pdf"
    result = render_pdf(document, pdf)  # type: ignore[arg-type]
    return re.sub(r"\s+", "", "".join(pdftotext(pdf, p) for p in range(1, result.pages + 1)))
