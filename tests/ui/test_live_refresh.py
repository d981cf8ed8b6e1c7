"""Pages show what a sync brought at once, and 经办人 is the logged-in staff member.

Against a REAL platform process (tests/sync/conftest.py): nothing here calls a page's
``refresh`` by hand — the store's change notifications (``AppServices.changes``) reach the
pages through the window's :class:`~ui.store_events.StoreEvents`.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import func, select

from desktop_app.domain.commitments import CommitmentKind
from desktop_app.reports.document import KeyValues
from desktop_app.services.app import AppServices
from desktop_app.services.commitments import CommitmentInput
from desktop_app.store.models import AuditRecord, Entity, FormRecord
from tests.sync.conftest import LiveServer
from tests.sync.helpers import create_form, server_count
from tests.sync.test_engine import WINDOW_B, Device, commitment
from ui.main_window import PAGE_COMMITMENTS, MainWindow
from ui.sync_adapter import SyncController

TIMEOUT = 60_000
PAGE_INSPECTIONS = 4
INSPECTOR, INSPECTOR_NAME = "inspector.luzhou.1", "潞州区执法1"
WINDOW, WINDOW_NAME = "window.luzhou.1", "潞州区窗口1"


def _login(qtbot, controller: SyncController, username: str) -> None:
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT):
        controller.login(controller.url, username, "demo-2026")


def test_inspection_tasks_appear_as_soon_as_the_sync_brought_them(
    qtbot, window: MainWindow, controller: SyncController
) -> None:
    window.show_page(PAGE_INSPECTIONS)
    page = window.inspections_page
    qtbot.waitUntil(lambda: page.banner.text().startswith("本机还没有检查任务"), timeout=5000)
    assert page.model.rowCount() == 0
    _login(qtbot, controller, INSPECTOR)  # the login's first sync pulls the demo draw
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10_000)
    assert page.banner.text().startswith("离线可用：本机已缓存")


def test_commitment_from_another_window_appears_after_a_sync(
    qtbot,
    window: MainWindow,
    controller: SyncController,
    live_server: LiveServer,
    services: AppServices,
    tmp_path: Path,
) -> None:
    _login(qtbot, controller, WINDOW)
    window.show_page(PAGE_COMMITMENTS)
    page = window.commitments_page

    def held() -> int:  # the hall's commitments the login's sync brought (the demo has some)
        with services.store.read() as s:
            return int(
                s.scalar(
                    select(func.count()).where(
                        FormRecord.collection == "commitments", FormRecord.deleted.is_(False)
                    )
                )
                or 0
            )

    before = held()
    qtbot.waitUntil(lambda: page.model.rowCount() == before, timeout=5000)
    rid = f"c-{uuid.uuid4().hex}"
    other = Device(live_server, tmp_path / "other", WINDOW_B)  # a colleague in the same hall
    try:
        create_form(other.store, "commitments", rid, commitment(entity_name="同厅同事受理的主体"))
        other.sync()
    finally:
        other.close()
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT):
        controller.sync_now()
    qtbot.waitUntil(lambda: page.model.row_of(rid) >= 0, timeout=10_000)
    assert page.model.rowCount() == before + 1
    # The 工作台 and the status bar reloaded from the same notification.
    assert window.status is not None and window.status.unsynced_changes == 0


def test_handled_by_is_the_logged_in_user_on_screen_in_print_and_in_the_audit_log(
    qtbot, window: MainWindow, controller: SyncController, services: AppServices, on_db
) -> None:
    # Before any login the computer's account stands in, and the window says so.
    assert not services.user.confirmed
    assert "登录市级平台后将使用您的姓名" in window.workbench.user_label.text()
    _login(qtbot, controller, WINDOW)
    assert services.actor == WINDOW_NAME  # the services follow without being rebuilt
    qtbot.waitUntil(lambda: window.user_label.text() == f"经办人 {WINDOW_NAME}", timeout=5000)
    assert window.workbench.user_label.text() == f"经办人：{WINDOW_NAME}"

    uscc = on_db(lambda: _first_entity(services))
    commitments = services.commitments
    view = on_db(
        lambda: commitments.create(
            CommitmentInput(
                uscc=uscc,
                matter_id="cc-tax-01",
                kind=CommitmentKind.NOTIFY,
                applicant_name="赵六",
                applicant_role="委托代理人",
            )
        )
    )
    letter = on_db(lambda: commitments.letter(view.record_id))
    facts = dict(
        row
        for section in letter.sections
        for block in section.blocks
        if isinstance(block, KeyValues)
        for row in block.rows
    )
    assert facts["受理窗口经办人"] == WINDOW_NAME
    actors = on_db(lambda: _audit_actors(services, view.record_id))
    assert actors and set(actors) == {WINDOW_NAME}


def test_a_change_made_online_reaches_the_platform_without_pressing_sync(
    qtbot,
    window: MainWindow,
    controller: SyncController,
    services: AppServices,
    on_db,
    live_server: LiveServer,
) -> None:
    _login(qtbot, controller, WINDOW)
    qtbot.waitUntil(lambda: controller.online is True and not controller.running, timeout=TIMEOUT)
    uscc = on_db(lambda: _first_entity(services))
    commitments = services.commitments
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT):  # no sync_now() anywhere
        view = on_db(
            lambda: commitments.create(
                CommitmentInput(
                    uscc=uscc,
                    matter_id="cc-tax-01",
                    kind=CommitmentKind.NOTIFY,
                    applicant_name="赵六",
                )
            )
        )
    sql = "SELECT count(*) FROM records WHERE collection = 'commitments' AND record_id = ?"
    assert server_count(live_server.db_path, sql, view.record_id) == 1
    qtbot.waitUntil(lambda: window.status is not None and window.status.unsynced_changes == 0)


def test_the_last_logged_in_user_is_the_actor_after_a_restart(
    qtbot, controller: SyncController, services: AppServices, on_db
) -> None:
    from desktop_app.services.actor import CurrentUser

    _login(qtbot, controller, WINDOW)
    # A new start (no network needed): the name comes from the encrypted store.
    user = CurrentUser("root")
    on_db(lambda: user.load(services.store))
    assert (user.name, user.confirmed) == (WINDOW_NAME, True)


def _first_entity(services: AppServices) -> str:
    with services.store.read() as s:
        return str(s.scalars(select(Entity.uscc).order_by(Entity.uscc).limit(1)).one())


def _audit_actors(services: AppServices, record_id: str) -> list[str]:
    with services.store.read() as s:
        return list(s.scalars(select(AuditRecord.actor).where(AuditRecord.subject_id == record_id)))


def test_a_supervisor_decides_a_repair_from_the_queue_screen(
    qtbot,
    window: MainWindow,
    controller: SyncController,
    live_server: LiveServer,
    services: AppServices,
    tmp_path: Path,
) -> None:
    from datetime import datetime

    from desktop_app.domain.commitments import BreachSeverity
    from desktop_app.domain.repair import RepairWay
    from desktop_app.services.commitments import CommitmentService
    from desktop_app.services.repairs import RepairInput, RepairService
    from tests.sync.test_city_wide_record import _clean_entity
    from ui.main_window import PAGE_REPAIRS

    # Window A found a false commitment in June; in December the entity applies for repair.
    hall = Device(live_server, tmp_path / "hall", "window.luzhou.1")
    try:
        hall.sync()
        code = _clean_entity(hall)  # no commitment of any hall yet (tests share the server)
        commitments = CommitmentService(
            hall.store, "window.luzhou.1", clock=lambda: datetime(2026, 6, 1, 10, 0)
        )
        letter = commitments.create(
            CommitmentInput(
                uscc=code, matter_id="cc-tax-01", kind=CommitmentKind.NOTIFY, applicant_name="赵六"
            )
        )
        false = commitments.verify(
            letter.record_id, truthful=False, note="证明系伪造", severity=BreachSeverity.GENERAL
        )
        assert false.breach is not None
        hall.sync()
        taken = RepairService(hall.store, "window.luzhou.1").apply_repair(
            RepairInput(code, str(false.breach["dishonesty_id"]), RepairWay.RECTIFICATION,
                        "已整改并作出信用修复承诺", "赵六")
        )  # fmt: skip
        hall.sync()
    finally:
        hall.close()

    _login(qtbot, controller, "supervisor")  # 市局: the unit that decides, city-wide
    window.show_page(PAGE_REPAIRS)
    page = window.repairs_page
    page.refresh()
    qtbot.waitUntil(
        lambda: page.decide_button.isVisible() and page.table.rowCount() >= 1, timeout=10_000
    )
    row = next(i for i, v in enumerate(page.views) if v.record_id == taken.record_id)
    page.table.selectRow(row)
    dialog = page.decide_selected()
    assert dialog is not None
    dialog.reasons_edit.setPlainText("短")
    dialog.submit()
    assert "理由" in dialog.message.text()  # refused here, as the platform would
    dialog.reasons_edit.setPlainText("已完成整改，履行了法定义务")
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT):
        dialog.submit()  # sent, then a sync brings the decision into this store
    qtbot.waitUntil(
        lambda: any(v.record_id == taken.record_id and v.decided for v in page.views),
        timeout=10_000,
    )
    decided = services.repairs.get("repair_applications", taken.record_id)
    assert decided.fields["decision"] == "准予修复"
    assert decided.fields["decided_by"] == "市局信用监管科负责人"
    # The follow-up figures, from the platform: the 潞州区 hall's repair is decided.
    assert page.stats_button.isVisible()
    page.show_statistics()
    qtbot.waitUntil(lambda: page.statistics_dialog is not None, timeout=10_000)
    table = page.statistics_dialog.table  # type: ignore[union-attr]
    rows = [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]
    mine = [r for r in rows if r[0] == "信用修复" and r[1] == "潞州区政务服务中心"]
    assert mine and int(mine[0][6]) >= 1 and mine[0][7] != "—"


def test_a_supervisor_assigns_a_commitment_due_for_verification_from_the_follow_up_page(
    qtbot,
    window: MainWindow,
    controller: SyncController,
    live_server: LiveServer,
    tmp_path: Path,
) -> None:
    from datetime import datetime

    from PySide6.QtCore import Qt

    from desktop_app.services.commitments import CommitmentService
    from tests.sync.test_city_wide_record import _clean_entity
    from ui.main_window import PAGE_FOLLOWUP

    hall = Device(live_server, tmp_path / "hall", "window.luzhou.1")
    try:
        hall.sync()
        code = _clean_entity(hall)
        letter = CommitmentService(
            hall.store, "window.luzhou.1", clock=lambda: datetime(2026, 6, 1, 10, 0)
        ).create(
            CommitmentInput(
                uscc=code, matter_id="cc-tax-01", kind=CommitmentKind.NOTIFY, applicant_name="赵六"
            )
        )
        hall.sync()
    finally:
        hall.close()

    _login(qtbot, controller, "supervisor")
    window.show_page(PAGE_FOLLOWUP)
    page = window.followup_page
    qtbot.waitUntil(lambda: page.due_table.rowCount() >= 1, timeout=TIMEOUT)
    codes = [page.due_table.item(r, 1).text() for r in range(page.due_table.rowCount())]
    row = codes.index(code)
    assert page.due_table.item(row, 7).text() == "已逾期"  # due long ago, not yet assigned
    assert page.due_table.item(row, 0).foreground().color().name() == "#b71c1c"
    page.due_table.selectRow(row)
    assert page.selected_commitments() == [letter.record_id]
    page.assign_selected()
    qtbot.waitUntil(lambda: getattr(page, "assign_dialog", None) is not None, timeout=TIMEOUT)
    dialog = page.assign_dialog
    dialog.ok_button.click()
    assert "至少勾选" in dialog.message.text()  # nobody ticked: nothing sent
    names = [
        dialog.people.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.people.count())
    ]
    dialog.people.item(names.index("inspector.luzhou.2")).setCheckState(Qt.CheckState.Checked)
    dialog.ok_button.click()
    qtbot.waitUntil(
        lambda: "已分派 1 项" in page.message.text() or bool(dialog.message.text()),
        timeout=TIMEOUT,
    )
    assert "已分派 1 项" in page.message.text(), dialog.message.text()
    qtbot.waitUntil(
        lambda: any(
            page.due_table.item(r, 1).text() == code
            and page.due_table.item(r, 7).text().startswith("已分派 vt-")
            for r in range(page.due_table.rowCount())
        ),
        timeout=TIMEOUT,
    )
    page.tabs.setCurrentIndex(1)  # 风险预警: the platform's list answers (maybe empty)
    qtbot.waitUntil(lambda: page.risk_count.text().startswith("共 "), timeout=TIMEOUT)
    page.tabs.setCurrentIndex(3)  # 联合奖惩: the windows' feedback per measure
    qtbot.waitUntil(lambda: page.measure_count.text().startswith("窗口共反馈"), timeout=TIMEOUT)


def test_an_inspector_records_the_interview_of_an_overdue_warning_from_the_follow_up_list(
    qtbot, window: MainWindow, controller: SyncController, services: AppServices
) -> None:
    from datetime import date, timedelta

    from PySide6.QtCore import Qt

    from tests.sync.test_inspection_sync import _warning_input
    from ui.main_window import PAGE_FOLLOWUP

    _login(qtbot, controller, "inspector.luzhou.2")
    inspections = services.inspections
    task = inspections.tasks()[0]
    items = [i.no for i in inspections.checklist(task.checklist_id).items]
    inspections.record(
        _warning_input(task.task_id, items, inspected_on=date.today() - timedelta(days=40))
    )
    window.show_page(PAGE_FOLLOWUP)
    page = window.followup_page
    qtbot.waitUntil(lambda: page.overdue_table.rowCount() == 1, timeout=TIMEOUT)
    assert not page.tabs.isTabEnabled(0) and page.tabs.currentIndex() == 2  # an inspector's
    assert page.overdue_table.item(0, 1).text() == task.uscc
    assert page.overdue_table.item(0, 0).foreground().color().name() == "#b71c1c"
    page.overdue_table.selectRow(0)
    qtbot.keyClick(page.overdue_table, Qt.Key.Key_Return)
    target = window.inspections_page
    qtbot.waitUntil(lambda: target.tabs.currentIndex() == 3, timeout=TIMEOUT)
    assert window.stack.currentWidget() is target
    assert "跟进失信警示" in target.interview_warning_label.text()
    target.interview_participants.setText("王芳（执法人员）、李四（法定代表人）")
    target.interview_content.setPlainText("逾期未整改，警示约谈，要求3个工作日内更正。")
    target.interview_kind.setCurrentIndex(target.interview_kind.findData("warning"))
    with qtbot.waitSignal(target.interview_recorded, timeout=TIMEOUT) as recorded:
        target.record_interview()
    assert target.interview_print_button.isEnabled()
    with qtbot.waitSignal(target.preview_opened, timeout=TIMEOUT) as preview:
        target.print_interview_record()
    paper = preview.args[0].prepared.document
    assert paper.title == "约谈记录" and task.entity_name in paper.to_json()
    assert "逾期未见整改" in paper.to_json()  # it names the warning it follows up
    preview.args[0].close()
    assert paper.number == f"YT-{recorded.args[0][:8].upper()}"
    # Back on the list, the warning counts its interview (it stays until rectified).
    window.show_page(PAGE_FOLLOWUP)
    qtbot.waitUntil(lambda: page.overdue_table.item(0, 6).text() == "1", timeout=TIMEOUT)
