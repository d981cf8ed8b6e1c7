"""The publication desk against a REAL platform process (SQLite and PostgreSQL), with a
supervisor's client.

Licences and penalties are imported with the platform's own command, a window signs a
commitment offline and syncs, and a 2027 holiday table is imported; the supervisor's client
pulls the calendar and finds every due date equal to what ``desktop_app.domain.working_days``
computes on that pulled calendar. Recording items as published takes them off the pending list
and into the counts per unit; the export is read back with openpyxl and csv.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from desktop_app.domain.commitments import CommitmentKind
from desktop_app.domain.uscc import generate_uscc
from desktop_app.domain.working_days import CalendarUnknown, WorkingDayCalendar
from desktop_app.reports.spreadsheet import Table, write_table
from desktop_app.services.calendar import local_calendar
from desktop_app.services.commitments import CommitmentInput, CommitmentService
from sync.errors import SyncError
from sync.protocol import PublicationItem, PublicationStatistics
from sync.publications import FeedQuery, fetch_publications, fetch_statistics, mark_published
from tests.sync.conftest import LiveServer
from tests.sync.test_city_wide_record import _clean_entity
from tests.sync.test_engine import Device

SHENPI = "长治市行政审批服务管理局"
SHIJIAN = "襄垣县市场监督管理局"
LUZHOU_HALL = "潞州区政务服务中心"
LICENCE_DAYS = ("2025-09-26", "2026-02-12", "2026-12-28")  # National Day, Spring Festival, 2027
PENALTY_DAYS = ("2026-06-12", "2026-09-30")  # 端午节 on the way; National Day 2026


@dataclass
class Desk:
    """The platform with the test's decisions, and a supervisor's synced client."""

    server: LiveServer
    boss: Device
    commitment_id: str
    licence_codes: list[str]
    penalty_code: str


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _import(server: LiveServer, collection: str, path: Path) -> None:
    done = server.cli("import", "--collection", collection, str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "拒绝 0 行" in done.stdout + done.stderr


@pytest.fixture(scope="module")
def desk(backend_server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """The desk's decisions on a live platform (SQLite, then PostgreSQL)."""
    live_server = backend_server
    folder = tmp_path_factory.mktemp("desk")
    codes = [generate_uscc("9", "1", "140403", f"7{n:07d}") for n in range(len(LICENCE_DAYS))]
    licences = [
        {
            "uscc": code,
            "entity_name": f"长治市公示测试{n}有限公司",
            "licence_no": f"晋长审食经〔2026〕9{n}号",
            "matter": "食品经营许可",
            "licence_name": "食品经营许可证",
            "decided_on": day,
            "decided_by": SHENPI,
        }
        for n, (code, day) in enumerate(zip(codes, LICENCE_DAYS, strict=True))
    ]
    penalty_code = generate_uscc("9", "2", "140423", "80000001")
    penalties = [
        {
            "uscc": penalty_code,
            "entity_name": "襄垣县公示测试超市",
            "decision_no": f"襄市监罚〔2026〕{n}号",
            "violation": "销售超过保质期的食品",
            "penalty": "警告，罚款人民币五千元",
            "decided_on": day,
            "decided_by": SHIJIAN,
        }
        for n, day in enumerate(PENALTY_DAYS, start=1)
    ]
    # The State Council's 2027 notice (a made-up test table, declared complete): without it
    # the 7th working day after 2026-12-28 cannot be computed.
    notice = folder / "2027.txt"
    notice.write_text("2027,完整\n2027-01-01,休\n", encoding="utf-8")
    _import(live_server, "calendar_overrides", notice)
    _import(live_server, "licences", _write_csv(folder / "licences.csv", licences))
    _import(live_server, "penalties", _write_csv(folder / "penalties.csv", penalties))

    hall = Device(live_server, folder / "hall", "window.luzhou.1")
    try:
        hall.sync()
        letter = CommitmentService(
            hall.store, "window.luzhou.1", clock=lambda: datetime(2026, 6, 1, 10, 0)
        ).create(
            CommitmentInput(
                uscc=_clean_entity(hall),
                matter_id="cc-tax-01",
                kind=CommitmentKind.NOTIFY,
                applicant_name="赵六",
            )
        )
        hall.sync()
    finally:
        hall.close()
    boss = Device(live_server, folder / "boss", "supervisor")
    try:
        boss.sync()  # the calendar the desk is checked against: as pulled
        yield Desk(live_server, boss, letter.record_id, codes, penalty_code)
    finally:
        boss.close()


def _pulled_calendar(device: Device) -> WorkingDayCalendar:
    with device.store.read() as s:
        return local_calendar(s)


def _deadline(calendar: WorkingDayCalendar, decided: str) -> str | None:
    try:
        return calendar.deadline(date.fromisoformat(decided), 7).isoformat()
    except CalendarUnknown:
        return None


def _ours(desk: Desk, items: list[PublicationItem]) -> list[PublicationItem]:
    wanted = {*desk.licence_codes, desk.penalty_code}
    return [i for i in items if i.uscc in wanted or i.record_id == desk.commitment_id]


def _counts(stats: PublicationStatistics, unit: str) -> tuple[int, int, int, int, int]:
    for u in stats.units:
        if u.unit == unit:
            return (u.on_time, u.late, u.pending, u.overdue, u.total)
    return (0, 0, 0, 0, 0)


def test_due_dates_match_the_pulled_calendar(desk: Desk) -> None:
    calendar = _pulled_calendar(desk.boss)
    stats = fetch_statistics(desk.boss.transport)
    items = _ours(desk, fetch_publications(desk.boss.transport, FeedQuery(status="due")))
    assert sorted(i.decided_on for i in items) == sorted(
        [*LICENCE_DAYS, *PENALTY_DAYS, "2026-06-01"]
    )
    for item in items:
        assert item.deadline == _deadline(calendar, item.decided_on), item
        assert item.deadline is not None  # 2027 is known from the pulled table
        assert item.overdue == (stats.as_of > item.deadline)
        assert item.published_at is None and not item.late
    # The official calendar's make-up days and the imported 2027 table, as pulled.
    by_day = {i.decided_on: i.deadline for i in items}
    assert by_day["2025-09-26"] == "2025-10-13"  # Oct 1-8 off, Sat Oct 11 worked
    assert by_day["2026-02-12"] == "2026-02-28"  # Spring Festival, Sat Feb 14 and 28 worked
    assert by_day["2026-12-28"] == "2027-01-07"  # 2027-01-01 off (the imported notice)
    units = {(i.kind, i.unit) for i in items}
    assert units == {("行政许可", SHENPI), ("行政处罚", SHIJIAN), ("信用承诺", LUZHOU_HALL)}
    commitment = next(i for i in items if i.record_id == desk.commitment_id)
    assert commitment.entity_name and commitment.matter
    # Filters: kind and unit are applied by the platform.
    licences = fetch_publications(desk.boss.transport, FeedQuery(status="all", kind="行政许可"))
    assert {i.kind for i in licences} == {"行政许可"}
    assert len(_ours(desk, licences)) == len(LICENCE_DAYS)
    xiangyuan = fetch_publications(desk.boss.transport, FeedQuery(status="all", unit=SHIJIAN))
    assert {i.uscc for i in xiangyuan} == {desk.penalty_code}
    assert {"行政许可", "行政处罚", "信用承诺"} <= set(stats.kinds)


def test_marking_published_leaves_pending_and_shows_in_the_counts(
    desk: Desk, tmp_path: Path
) -> None:
    transport = desk.boss.transport
    before = fetch_statistics(transport)
    due = _ours(desk, fetch_publications(transport, FeedQuery(status="due")))
    spring = next(i for i in due if i.decided_on == "2026-02-12")  # due 2026-02-28
    autumn = next(i for i in due if i.decided_on == "2026-09-30")  # the penalty
    # Online on its deadline: in time. A day before the decision: refused, nothing recorded.
    with pytest.raises(SyncError) as early:
        mark_published(transport, spring.id, date(2026, 2, 11), "信用长治网站")
    assert early.value.code == "invalid_field"
    assert "不能早于决定日期" in early.value.user_message
    assert "早于决定日期（2026-02-12）" in str(early.value)  # the platform's words, for the log
    on_time = mark_published(transport, spring.id, date(2026, 2, 28), "信用长治网站“双公示”栏目")
    assert (on_time.published_on, on_time.late, on_time.published_by) == (
        "2026-02-28",
        False,
        "市局信用监管科负责人",
    )
    assert on_time.published_where == "信用长治网站“双公示”栏目"
    assert autumn.deadline is not None
    late_day = date(2026, 11, 2)  # after the penalty's deadline
    assert late_day.isoformat() > autumn.deadline
    late = mark_published(transport, autumn.id, late_day, "信用长治网站")
    assert late.late is True
    # Repeating it changes nothing (a lost answer may be resent).
    assert mark_published(transport, autumn.id, date(2026, 10, 9), "别处") == late

    pending = {i.id for i in fetch_publications(transport, FeedQuery(status="due"))}
    assert spring.id not in pending and autumn.id not in pending
    online = {i.id: i for i in fetch_publications(transport, FeedQuery(status="published"))}
    assert online[spring.id].published_on == "2026-02-28"
    after = fetch_statistics(transport)
    b, a = _counts(before, SHENPI), _counts(after, SHENPI)
    assert a[0] == b[0] + 1 and a[2] == b[2] - 1  # on time +1, pending -1
    assert a[3] == b[3] - 1 and a[4] == b[4]  # it was overdue; the total stays
    b, a = _counts(before, SHIJIAN), _counts(after, SHIJIAN)
    assert a[1] == b[1] + 1 and a[2] == b[2] - 1 and a[4] == b[4]  # late +1, pending -1
    for u in after.units:
        assert u.on_time + u.late + u.pending == u.total and u.overdue <= u.pending

    # A window may read its region's feed but neither record nor count.
    window = Device(desk.server, tmp_path / "window", "window.luzhou.2")
    try:
        with pytest.raises(SyncError) as refused:
            mark_published(window.transport, next(iter(pending)), None, "信用长治网站")
        assert refused.value.code == "forbidden"
        with pytest.raises(SyncError) as counts:
            fetch_statistics(window.transport)
        assert counts.value.code == "forbidden"
    finally:
        window.close()


def test_the_export_is_read_back_by_a_spreadsheet_library(desk: Desk, tmp_path: Path) -> None:
    items = _ours(desk, fetch_publications(desk.boss.transport, FeedQuery(status="all")))
    headers = ["类型", "主体名称", "统一社会信用代码", "作出单位", "决定日期", "公示截止日期"]
    rows = [
        [i.kind, i.entity_name or "", i.uscc or "", i.unit or "", i.decided_on, i.deadline or ""]
        for i in items
    ]
    table = Table("公示台账", headers, rows, frozenset(n for n, i in enumerate(items) if i.overdue))
    xlsx = write_table(table, tmp_path / "公示台账.xlsx")
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet is not None
    read = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert read == [headers, *rows]
    assert sheet.freeze_panes == "A2"
    red = {
        n
        for n in range(len(rows))
        if str(getattr(sheet.cell(n + 2, 1).font.color, "rgb", "")).endswith("B71C1C")
    }
    assert red == set(table.marked)
    written = write_table(table, tmp_path / "公示台账")  # no suffix: CSV
    assert written.suffix == ".csv" and written.read_bytes().startswith(b"\xef\xbb\xbf")
    with written.open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f)) == [headers, *rows]
