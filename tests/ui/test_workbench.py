"""The 工作台 page: its tiles, and the commitment panels fed by the service."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from desktop_app.domain.commitments import CommitmentKind, CommitmentStatus
from desktop_app.services.app import AppServices
from desktop_app.services.commitments import MissingMaterial
from desktop_app.services.status import StoreStatus
from tests.ui.test_commitments_page import create, entities, pull_catalog
from ui.pages.workbench import WorkbenchPage
from ui.taskman import TaskManager

LEFT = Qt.MouseButton.LeftButton


def test_without_services_the_page_shows_its_tiles_only(qtbot, app) -> None:
    page = WorkbenchPage()
    qtbot.addWidget(page)
    page.show()
    assert not page.commitment_panels.isVisibleTo(page)
    page.set_status(StoreStatus(entities=1234, unsynced_changes=2, last_sync=None, audit_rows=9))
    assert page.entities_tile.value_label.text() == "1,234"
    assert page.last_sync_tile.value_label.text() == "尚未同步"
    page.refresh_commitments()  # nothing to load from: no error, nothing queued
    with qtbot.waitSignal(page.refresh_requested, timeout=1000):
        qtbot.mouseClick(page.refresh_button, LEFT)


def test_panels_list_due_overdue_and_to_verify_and_act_on_them(
    qtbot, seeded_services: AppServices, tasks: TaskManager, on_db, app
) -> None:
    pull_catalog(seeded_services, on_db)
    (first, first_name), (second, _n2), (third, _n3) = entities(seeded_services, on_db, 3)
    services = seeded_services
    # Due: signed today, one working day to bring one material.
    due = create(
        on_db,
        services,
        first,
        kind=CommitmentKind.TOLERANCE,
        missing_materials=(MissingMaterial("食品安全管理制度", "原件"),),
        deadline_working_days=1,
    )
    # Overdue: signed a month ago with five working days; the page's load marks it.
    late = create(
        on_db,
        services,
        second,
        matter_id="cc-estate-01",
        kind=CommitmentKind.TOLERANCE,
        missing_materials=(MissingMaterial("遗失声明", "原件"),),
        deadline_working_days=5,
        sign_now=False,
    )
    on_db(lambda: services.commitments.sign(late.record_id, date.today() - timedelta(days=30)))
    # To verify: a signed 告知承诺.
    notify = create(on_db, services, third, matter_id="cc-tax-01")

    page = WorkbenchPage()
    qtbot.addWidget(page)
    page.resize(1300, 800)
    with qtbot.waitExposed(page):
        page.show()
    with qtbot.waitSignal(page.commitments_loaded, timeout=10_000):
        page.set_services(services, tasks)
    assert page.commitment_panels.isVisibleTo(page)
    assert page.due_panel.count() == 1 and page.due_panel.title().endswith("（1）")
    assert page.due_panel.title().startswith("3个工作日内到期的容缺承诺")
    assert page.overdue_panel.count() == 1 and page.verify_panel.count() == 1
    assert page.due_panel.model.index(0, 0).data() == first_name
    assert on_db(lambda: services.commitments.get(late.record_id)).status is (
        CommitmentStatus.OVERDUE
    )
    assert page.verify_panel.model.row_at(0).record_id == notify.record_id

    # Double-click asks for the commitment by record id.
    view = page.overdue_panel.view
    rect = view.visualRect(view.model().index(0, 0))
    assert rect.isValid()
    requested: list[str] = []
    page.commitment_requested.connect(requested.append)
    qtbot.mouseClick(view.viewport(), LEFT, pos=rect.center())
    assert requested == []  # a single click only selects
    qtbot.mouseDClick(view.viewport(), LEFT, pos=rect.center())
    assert requested == [late.record_id]

    # 材料已补齐 on a due item fulfils it; it moves to 待核查.
    assert not page.received_button.isEnabled()
    page.due_panel.view.selectRow(0)
    assert page.received_button.isEnabled()
    with (
        qtbot.waitSignal(page.commitments_changed, timeout=10_000),
        qtbot.waitSignal(page.commitments_loaded, timeout=10_000),
    ):
        qtbot.mouseClick(page.received_button, LEFT)
    assert on_db(lambda: services.commitments.get(due.record_id)).status is (
        CommitmentStatus.FULFILLED
    )
    assert page.due_panel.count() == 0 and page.due_panel.empty_label.isVisibleTo(page)
    assert page.verify_panel.count() == 2
    assert page.commitment_message.kind == "success"
    assert first_name in page.commitment_message.text()


def test_constructor_services_load_the_panels(
    qtbot, seeded_services: AppServices, tasks: TaskManager, app
) -> None:
    page = WorkbenchPage(services=seeded_services, tasks=tasks)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=5000)
    assert page.commitment_panels.isVisibleTo(page)
    assert [p.count() for p in (page.due_panel, page.overdue_panel, page.verify_panel)] == [
        0,
        0,
        0,
    ]
    assert page.overdue_panel.title() == "已逾期（0）"
