from __future__ import annotations

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_app import __version__
from desktop_app.config import ProfilePaths, Settings
from desktop_app.services.app import AppServices
from ui.main_window import MainWindow
from ui.pages.pending import PendingPage
from ui.taskman import TaskManager

NAV = [
    "工作台",
    "主体查询",
    "信用承诺",
    "诚信教育",
    "检查任务",
    "报告打印",
    "修复与异议",
    "跟踪督办",
    "同步",
    "公示台账",
    "设置",
]


@pytest.fixture
def window(seeded_services: AppServices, profile: ProfilePaths, tasks: TaskManager, qtbot, app):
    settings = Settings.load(profile.settings_file)
    win = MainWindow(seeded_services, settings, profile, tasks)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.status_refreshed, timeout=5000):
        win.show()
    qtbot.waitExposed(win)
    return win


def test_title_navigation_and_honest_pending_pages(qtbot, window: MainWindow) -> None:
    assert window.windowTitle() == f"信用监管工作台 — {__version__}"
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == NAV
    assert window.stack.currentWidget() is window.workbench
    window.nav.setCurrentRow(1)
    assert window.stack.currentWidget() is window.lookup
    for row in (8,):  # the window fixture has no sync controller: 同步 is pending
        window.nav.setCurrentRow(row)
        page = window.stack.currentWidget()
        assert isinstance(page, PendingPage)
        assert page.title_label.text() == NAV[row]
        assert page.body_label.text() == "本模块将在后续版本中提供。"
    window.nav.setCurrentRow(2)
    assert window.stack.currentWidget() is window.commitments_page
    window.nav.setCurrentRow(3)
    assert window.stack.currentWidget() is window.education_page
    window.nav.setCurrentRow(4)
    assert window.stack.currentWidget() is window.inspections_page
    window.nav.setCurrentRow(5)
    assert window.stack.currentWidget() is window.reports_page
    window.nav.setCurrentRow(6)
    assert window.stack.currentWidget() is window.repairs_page
    window.nav.setCurrentRow(7)
    assert window.stack.currentWidget() is window.followup_page
    window.nav.setCurrentRow(9)
    assert window.stack.currentWidget() is window.publications_page
    assert window.nav.isRowHidden(9)  # 公示台账: supervisors and admins only
    window.nav.setCurrentRow(window.nav.count() - 1)
    assert window.stack.currentWidget() is window.settings_page


@pytest.mark.parametrize("number", range(1, 10))
def test_ctrl_number_jumps_to_page(qtbot, window: MainWindow, number: int) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
    assert window.nav.currentRow() == number - 1
    assert window.stack.currentIndex() == number - 1


def test_ctrl_f_focuses_lookup_search_box(qtbot, window: MainWindow) -> None:
    window.activateWindow()
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.lookup
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.lookup.search_edit)


def test_ctrl_q_closes_the_window(qtbot, window: MainWindow, profile: ProfilePaths) -> None:
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())
    # Closing remembers the geometry in the profile's settings.
    assert "main_window_geometry" in Settings.load(profile.settings_file).extra


def test_status_bar_shows_offline_unsynced_count_and_cache_size(
    qtbot, window: MainWindow, seeded_services: AppServices, on_db
) -> None:
    assert window.online_label.text() == "离线 · 未设置市级平台地址"
    # Never a silent no-sync: the status bar says what to do.
    assert "请在 同步 页登录市级平台" in window.hint_label.text()
    assert window.unsynced_label.text() == "待同步 0 条"
    assert window.cache_label.text() == "本地缓存 500 个主体"
    assert window.workbench.entities_tile.value_label.text() == "500"
    assert window.workbench.last_sync_tile.value_label.text() == "尚未同步"

    on_db(lambda: seeded_services.lookup.record_uscc_override("91140403MA0000007X", "核对一致"))
    with qtbot.waitSignal(window.status_refreshed, timeout=5000):
        window.refresh_status()
    assert window.unsynced_label.text() == "待同步 1 条"
    assert window.workbench.unsynced_tile.value_label.text() == "1"


def test_status_refreshes_after_an_override_on_the_lookup_page(
    qtbot, window: MainWindow, seeded_services: AppServices, on_db
) -> None:
    code = on_db(
        lambda: seeded_services.lookup.rows(seeded_services.lookup.lookup("太行").ids[:1])
    )[0].uscc
    bad = code[:17] + ("1" if code[17] != "1" else "2")
    window.focus_search()
    window.lookup.search_edit.setText(bad)
    with qtbot.waitSignal(window.lookup.search_finished, timeout=5000):
        window.lookup.search()
    window.lookup.override_button.click()
    dialog = window.lookup.override_dialog
    assert dialog is not None
    dialog.setTextValue("与营业执照原件核对一致")
    with qtbot.waitSignal(window.status_refreshed, timeout=5000):
        dialog.accept()
    assert window.unsynced_label.text() == "待同步 1 条"


def test_window_geometry_is_written_without_waiting_for_exit(
    qtbot, window: MainWindow, profile: ProfilePaths
) -> None:
    window.resize(1100, 700)
    # Written shortly after the resize, while the window stays open (a crash may follow).
    qtbot.waitUntil(
        lambda: "main_window_geometry" in Settings.load(profile.settings_file).extra,
        timeout=5000,
    )
    assert window.isVisible()
