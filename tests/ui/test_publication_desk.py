"""公示台账 driven on screen (offscreen) against a REAL platform process.

A supervisor's client lists what must go online, filters by kind and unit, records an item as
published from the dialog (it leaves the pending list and the counts follow) and exports the
list, read back with openpyxl and csv; window staff do not see the page, and without a login
the page says what to do.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from desktop_app.config import ProfilePaths, Settings
from desktop_app.domain.uscc import generate_uscc
from desktop_app.services.app import AppServices
from tests.sync.conftest import LiveServer
from ui.main_window import PAGE_PUBLICATIONS, MainWindow
from ui.pages.publications import OVERDUE, PublicationsPage
from ui.sync_adapter import PLATFORM_URL_KEY, SyncController
from ui.taskman import TaskManager

TIMEOUT = 60_000
SHENPI = "长治市行政审批服务管理局"
SHIJIAN = "长治市市场监督管理局"
DECISIONS = (  # (kind, unit, decision date)
    ("licences", SHENPI, "2025-09-26"),
    ("licences", SHENPI, "2026-02-12"),
    ("penalties", SHIJIAN, "2026-06-12"),
)


@pytest.fixture(scope="module")
def decisions(live_server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> LiveServer:
    """Two licences and a penalty imported with the platform's own command."""
    folder = tmp_path_factory.mktemp("decisions")
    for collection in ("licences", "penalties"):
        rows = [(n, unit, day) for n, (c, unit, day) in enumerate(DECISIONS) if c == collection]
        path = folder / f"{collection}.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            number = "licence_no" if collection == "licences" else "decision_no"
            what = "matter" if collection == "licences" else "violation"
            writer.writerow(
                ["uscc", "entity_name", number, what, "penalty", "decided_on", "decided_by"]
            )
            for n, unit, day in rows:
                code = generate_uscc("9", "1", "140403", f"6{n:07d}")
                writer.writerow(
                    [
                        code,
                        f"台账测试{n}号公司",
                        f"长决〔2026〕{n}号",
                        "食品经营",
                        "警告",
                        day,
                        unit,
                    ]
                )
        done = live_server.cli("import", "--collection", collection, str(path))
        assert done.returncode == 0 and "拒绝 0 行" in done.stdout + done.stderr, done.stderr
    return live_server


@pytest.fixture
def controller(
    services: AppServices, tasks: TaskManager, profile: ProfilePaths, decisions: LiveServer
) -> Iterator[SyncController]:
    settings = Settings(extra={PLATFORM_URL_KEY: decisions.url})
    ctl = SyncController(services, tasks, settings, profile)
    yield ctl
    ctl.shutdown()


def _login(qtbot, controller: SyncController, username: str) -> None:
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT):
        controller.login(controller.url, username, "demo-2026")


def _cells(page: PublicationsPage, column: int) -> list[str]:
    model = page.model
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def _loaded(qtbot, page: PublicationsPage) -> None:
    qtbot.waitUntil(lambda: page._loading == 0 and page.statistics is not None, timeout=TIMEOUT)


def _choose(qtbot, page: PublicationsPage, combo, value: object) -> None:
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)
    combo.activated.emit(index)  # what a user's choice emits
    _loaded(qtbot, page)


def test_window_staff_do_not_see_the_desk(qtbot, window: MainWindow, controller) -> None:
    assert window.nav.isRowHidden(PAGE_PUBLICATIONS)
    _login(qtbot, controller, "window.luzhou.1")
    window.show_page(PAGE_PUBLICATIONS)  # e.g. by Ctrl+number: the page says whom it serves
    page = window.publications_page
    qtbot.waitUntil(lambda: "供科室负责人和管理员使用" in page.message.text(), timeout=TIMEOUT)
    assert window.nav.isRowHidden(PAGE_PUBLICATIONS)
    assert not page.mark_button.isEnabled() and page.model.rowCount() == 0


def test_a_supervisor_filters_records_and_exports(
    qtbot, qtmodeltester, window: MainWindow, controller: SyncController, tmp_path: Path
) -> None:
    _login(qtbot, controller, "supervisor")
    qtbot.waitUntil(lambda: not window.nav.isRowHidden(PAGE_PUBLICATIONS), timeout=TIMEOUT)
    window.show_page(PAGE_PUBLICATIONS)
    page = window.publications_page
    _loaded(qtbot, page)
    qtbot.waitUntil(lambda: page.model.rowCount() >= len(DECISIONS), timeout=TIMEOUT)
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.stats_model)
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "类型"
    # Overdue rows in red (the 2025 licence was due on 2025-10-13).
    row = _cells(page, 5).index("2025-09-26")
    assert _cells(page, 6)[row] == "2025-10-13" and _cells(page, 7)[row] == "已逾期"
    assert page.model.data(page.model.index(row, 1), Qt.ItemDataRole.ForegroundRole) == OVERDUE

    # Filters: kind and unit (their choices come from the platform's counts).
    _choose(qtbot, page, page.kind_combo, "行政处罚")
    assert set(_cells(page, 0)) == {"行政处罚"} and _cells(page, 4) == [SHIJIAN]
    _choose(qtbot, page, page.kind_combo, None)
    _choose(qtbot, page, page.unit_combo, SHENPI)
    assert set(_cells(page, 4)) == {SHENPI} and len(_cells(page, 4)) == 2
    assert page.count_label.text() == "共 2 条，已逾期 2 条"

    # Record the 2026-02-12 licence as published on its deadline, from the dialog.
    row = _cells(page, 5).index("2026-02-12")
    page.select_rows([row])
    dialog = page.mark_selected()
    assert dialog is not None
    assert dialog.where_edit.currentText() == "信用长治网站"
    assert dialog.day_edit.minimumDate() == QDate(2026, 2, 12)  # not before the decision
    dialog.day_edit.setDate(QDate(2026, 2, 28))
    dialog.where_edit.setCurrentText("")
    dialog.submit()
    assert "请填写公示的网站" in dialog.message.text()
    dialog.where_edit.setCurrentText("信用长治网站“双公示”栏目")
    dialog.submit()
    qtbot.waitUntil(
        lambda: "已登记" in page.message.text() or dialog.ok_button.isEnabled(), timeout=TIMEOUT
    )
    assert "已登记 1 条为已公示" in page.message.text(), dialog.message.text()
    _loaded(qtbot, page)
    assert "2026-02-12" not in _cells(page, 5)  # off the pending list
    assert page.count_label.text() == "共 1 条，已逾期 1 条"
    counts = {u.unit: u for u in page.stats_model.rows()}
    assert (counts[SHENPI].on_time, counts[SHENPI].pending, counts[SHENPI].overdue) == (1, 1, 1)
    assert "按时公示 1 条" in page.stats_label.text()
    # The place is remembered for the next time.
    assert controller._settings.get("publication_where") == "信用长治网站“双公示”栏目"

    _choose(qtbot, page, page.status_combo, "published")
    assert _cells(page, 7) == ["已公示（2026-02-28）"]

    # Export what is shown (all statuses now), as XLSX and as CSV.
    _choose(qtbot, page, page.status_combo, "all")
    _choose(qtbot, page, page.unit_combo, None)
    shown = [[page.model.cell_text(item, c) for c in range(8)] for item in page.model.rows()]
    xlsx = tmp_path / "公示台账.xlsx"
    with qtbot.waitSignal(page.exported, timeout=TIMEOUT):
        page.export_to(xlsx)
    sheet = openpyxl.load_workbook(xlsx).active
    assert sheet is not None
    read = [[c if c is not None else "" for c in r] for r in sheet.iter_rows(values_only=True)]
    assert read[0][:8] == ["类型", "主体名称", "统一社会信用代码", "事项", "作出单位",
                           "决定日期", "公示截止日期", "状态"]  # fmt: skip
    assert read[0][8:] == ["公示日期", "公示网站（栏目）", "说明"]
    assert [r[:8] for r in read[1:]] == shown
    published = next(r for r in read[1:] if r[5] == "2026-02-12")
    assert published[8:10] == ["2026-02-28", "信用长治网站“双公示”栏目"]
    with qtbot.waitSignal(page.exported, timeout=TIMEOUT) as saved:
        page.export_to(tmp_path / "公示台账.csv")
    with Path(saved.args[0]).open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert [r[:8] for r in rows[1:]] == shown and rows[0][:2] == ["类型", "主体名称"]
    assert "已导出" in page.message.text()

    # Ctrl+E opens the save dialog in the last folder, named by the list and the day.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.keyClick(page.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.export_dialog is not None, timeout=5000)
    export = page.export_dialog
    assert export is not None
    assert export.directory().absolutePath() == str(tmp_path)
    assert export.selectedFiles()[0].endswith(".xlsx")
    export.reject()

    # Without a login the desk says what to do (nothing is kept on the PC).
    controller.logout()
    page.refresh()
    qtbot.waitUntil(lambda: "需要连接市级平台并登录" in page.message.text(), timeout=TIMEOUT)
