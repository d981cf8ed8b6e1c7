"""帮助: F1 opens the manual page of the screen shown, the manual is complete, the guide."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from PySide6.QtCore import Qt

from desktop_app.config import FIRST_RUN_GUIDE_KEY, ProfilePaths, Settings, manual_dir
from desktop_app.main import compose
from desktop_app.services.app import AppServices
from ui.help import INDEX_PAGE
from ui.launcher import StartupFlow
from ui.main_window import MANUAL_PAGES, MainWindow
from ui.taskman import TaskManager

MANUAL = manual_dir()
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.fixture
def window(seeded_services: AppServices, profile: ProfilePaths, tasks: TaskManager, qtbot, app):
    settings = Settings.load(profile.settings_file)
    win = MainWindow(seeded_services, settings, profile, tasks)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.status_refreshed, timeout=5000):
        win.show()
    qtbot.waitExposed(win)
    yield win
    if win.help_window is not None:
        win.help_window.close()


def test_every_page_has_a_manual_page(window: MainWindow) -> None:
    assert set(MANUAL_PAGES) == set(range(window.stack.count()))
    for row, name in MANUAL_PAGES.items():
        assert (MANUAL / name).is_file(), f"page {row} ({window.nav.item(row).text()}): {name}"


def test_f1_opens_the_manual_page_of_each_screen(qtbot, window: MainWindow) -> None:
    for row, name in MANUAL_PAGES.items():
        window.show_page(row)
        window.activateWindow()
        qtbot.keyClick(window, Qt.Key.Key_F1)
        help_window = window.help_window
        assert help_window is not None
        assert help_window.isVisible()
        assert help_window.current_file == MANUAL / name, window.nav.item(row).text()
        # The page is rendered, not shown as text: its first heading is the window's title.
        assert help_window.browser.document().firstBlock().blockFormat().headingLevel() == 1
        assert help_window.windowTitle().startswith(
            help_window.browser.document().firstBlock().text()
        )


def test_the_help_button_offers_manual_guide_and_about(qtbot, window: MainWindow) -> None:
    window.show_page(1)
    assert window.help_button.isVisible()
    assert [a.text() for a in window.help_menu.actions() if a.text()] == [
        "本页使用手册（F1）",
        "入门指南",
        "关于信用监管工作台",
    ]
    window.manual_action.trigger()
    assert window.help_window is not None
    assert window.help_window.current_file == MANUAL / "lookup.md"


def test_help_links_lead_to_other_pages_and_back(qtbot, window: MainWindow) -> None:
    window.show_help()
    help_window = window.help_window
    assert help_window is not None
    help_window.index_button.click()
    assert help_window.current_file == MANUAL / INDEX_PAGE
    assert help_window.back_button.isEnabled()
    help_window.back_button.click()
    assert help_window.current_file == MANUAL / "workbench.md"


def _links(page: Path) -> list[str]:
    return [
        link.split("#", 1)[0]
        for link in LINK.findall(page.read_text(encoding="utf-8"))
        if not re.match(r"[a-z]+:", link)
    ]


def test_every_link_and_image_of_the_manual_exists() -> None:
    pages = sorted(MANUAL.glob("*.md"))
    assert len(pages) >= len(set(MANUAL_PAGES.values())) + 2  # + index, getting started
    images = 0
    for page in pages:
        for link in _links(page):
            if not link:
                continue
            target = (page.parent / link).resolve()
            assert target.is_file(), f"{page.name} links {link}, which is missing"
            images += link.startswith("images/")
    assert images >= 20


def test_the_index_lists_every_page_and_says_the_manual_is_chinese_only() -> None:
    index = MANUAL / INDEX_PAGE
    linked = set(_links(index))
    for page in MANUAL.glob("*.md"):
        if page.name != INDEX_PAGE:
            assert page.name in linked, f"{page.name} is not in the index"
    assert "只有中文版" in index.read_text(encoding="utf-8")


def test_every_manual_image_is_a_laptop_screen_or_smaller() -> None:
    from PySide6.QtGui import QImageReader

    for image in (MANUAL / "images").glob("*.png"):
        size = QImageReader(str(image)).size()
        assert 0 < size.width() <= 1366, image.name
        assert image.stat().st_size < 600_000, image.name


# -- the first-run guide -------------------------------------------------------------------


@pytest.fixture
def start(qtbot, profile: ProfilePaths, tasks: TaskManager) -> Iterator:
    flows: list[StartupFlow] = []

    def start_client() -> StartupFlow:
        # As the real client does: settings bound to the profile's file.
        settings = Settings.load(profile.settings_file)
        flow = StartupFlow(profile, settings, tasks, compose=compose, demo=False, actor="tester")
        flows.append(flow)
        with qtbot.waitSignal(flow.ready, timeout=30_000):
            flow.start()
        return flow

    def stop(flow: StartupFlow) -> None:
        flows.remove(flow)
        if flow.window is not None:
            flow.window.close()
            flow.window.deleteLater()
            flow.window = None
        flow.close()
        flow.busy.deleteLater()
        qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)

    start_client.stop = stop  # type: ignore[attr-defined]
    yield start_client
    for flow in list(flows):
        stop(flow)


def test_the_guide_greets_a_new_profile_once(qtbot, profile: ProfilePaths, start) -> None:
    flow = start()
    window = flow.window
    assert window is not None
    guide = window.guide
    assert guide is not None and guide.isVisible()
    assert not guide.isModal()  # the window behind stays usable
    assert Settings.load(profile.settings_file).get(FIRST_RUN_GUIDE_KEY) is True
    guide.skip_button.click()
    assert window.guide is None
    start.stop(flow)

    again = start()
    assert again.window is not None
    assert again.window.guide is None


def test_the_guide_steps_forward_and_back_and_comes_back_from_help(
    qtbot, window: MainWindow
) -> None:
    guide = window.show_first_run_guide()
    assert guide.step == 0
    assert guide.step_label.text() == "第 1 步，共 3 步"
    assert not guide.back_button.isEnabled()
    assert guide.next_button.isVisible() and not guide.done_button.isVisible()
    guide.next_button.click()
    assert guide.step == 1
    assert "登录平台" in guide.stack.currentWidget().findChildren(type(guide.step_label))[1].text()
    guide.back_button.click()
    assert guide.step == 0
    guide.next_button.click()
    guide.next_button.click()
    assert guide.step == 2
    assert guide.done_button.isVisible() and not guide.next_button.isVisible()
    assert any(
        "F1" in label.text()
        for label in guide.stack.currentWidget().findChildren(type(guide.step_label))
    )
    with qtbot.waitSignal(guide.finished):
        guide.done_button.click()
    assert window.guide is None
    window.guide_action.trigger()  # 帮助 → 入门指南
    assert window.guide is not None and window.guide.isVisible()
    assert window.guide.step == 0
    window.guide.reject()


def test_show_once_remembers_in_the_settings(qtbot, window: MainWindow, profile) -> None:
    assert window.show_first_run_guide_once()
    assert window.guide is not None
    window.guide.reject()
    assert not window.show_first_run_guide_once()
    assert window.guide is None
    assert Settings.load(profile.settings_file).get(FIRST_RUN_GUIDE_KEY) is True
