"""The 同步 page and its controller against a REAL platform process (tests/sync/conftest.py)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop_app.config import ProfilePaths, Settings
from desktop_app.services.app import AppServices
from desktop_app.services.forms import LocalForms
from desktop_app.store.models import FormRecord
from sync.events import SyncEvent, SyncReport
from sync.pull import known_forms
from tests.sync.conftest import LiveServer
from tests.sync.helpers import create_form, edit_form
from tests.sync.test_engine import CODE, WINDOW_B, Device, commitment
from ui.main_window import PAGE_SYNC, MainWindow
from ui.sync_adapter import PLATFORM_URL_KEY, SyncController
from ui.taskman import TaskManager

TIMEOUT = 60_000


@pytest.fixture
def controller(
    services: AppServices, tasks: TaskManager, profile: ProfilePaths, live_server: LiveServer
) -> Iterator[SyncController]:
    settings = Settings(extra={PLATFORM_URL_KEY: live_server.url})
    ctl = SyncController(services, tasks, settings, profile, demo=True)
    yield ctl
    ctl.shutdown()


@pytest.fixture
def window(services, profile, tasks, controller, qtbot, app) -> MainWindow:
    win = MainWindow(services, controller._settings, profile, tasks, sync=controller)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.status_refreshed, timeout=5000):
        win.show()
    win.show_page(PAGE_SYNC)
    return win


def _login(qtbot, controller: SyncController) -> None:
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT):
        controller.login(controller.url, "window.luzhou.1", "demo-2026")


def test_login_dialog_then_sync_fills_the_entity_cache(qtbot, window: MainWindow, controller):
    page = window.sync_page
    assert page is not None
    assert "未登录" in page.account_label.text()
    assert not page.sync_button.isEnabled()
    page.sync_now()  # not logged in: the login dialog opens instead
    dialog = page.login_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.username_edit.text() == "window.luzhou.1"  # demo mode fills the demo account
    assert "演示" in dialog.demo_label.text()
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    qtbot.waitUntil(lambda: page.login_dialog is None, timeout=5000)
    qtbot.waitUntil(lambda: window.status is not None and window.status.entities == 300)
    assert window.cache_label.text() == "本地缓存 300 个主体"
    qtbot.waitUntil(lambda: page.history.rowCount() == 1)
    assert page.history.index(0, 1).data() == "成功"
    assert "同步完成" in page.phase_label.text()
    assert "已登录" in page.account_label.text()
    qtbot.waitUntil(lambda: window.online_label.text() == "在线 · 已连接市级平台")
    assert window.last_sync_label.text().startswith("上次同步 20")


def test_wrong_password_is_a_chinese_message_in_the_dialog(qtbot, window: MainWindow, controller):
    page = window.sync_page
    assert page is not None
    page.open_login()
    dialog = page.login_dialog
    assert dialog is not None
    dialog.password_edit.setText("wrong-password")
    with qtbot.waitSignal(controller.login_failed, timeout=TIMEOUT) as blocker:
        dialog.buttons.accepted.emit()
    assert dialog.error_label.text() == blocker.args[0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in dialog.error_label.text())
    assert not controller.logged_in
    dialog.reject()


def test_rejected_change_shows_the_platform_reason(qtbot, window, controller, services, on_db):
    _login(qtbot, controller)
    bad = CODE[:17] + ("0" if CODE[17] != "0" else "1")
    on_db(
        lambda: create_form(services.store, "commitments", f"c-{uuid.uuid4().hex}", commitment(bad))
    )
    page = window.sync_page
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT):
        qtbot.mouseClick(page.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.errors.rowCount() == 1)
    message = page.errors.index(0, 3).data()
    assert message and any("\u4e00" <= ch <= "\u9fff" for ch in message)
    assert page.errors.index(0, 1).data() == "信用承诺"


def test_conflict_is_listed_and_keeping_local_pushes_it(
    qtbot, window, controller, services, on_db, live_server: LiveServer, tmp_path: Path
):
    _login(qtbot, controller)
    rid = f"c-{uuid.uuid4().hex}"
    on_db(lambda: create_form(services.store, "commitments", rid, commitment()))
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT):
        controller.sync_now()
    other = Device(live_server, tmp_path / "other", WINDOW_B)
    try:
        other.sync()
        edit_form(other.store, "commitments", rid, {"matter": "平台上的修改"})
        other.sync()
        on_db(lambda: edit_form(services.store, "commitments", rid, {"matter": "本机的修改"}))
        page = window.sync_page
        with qtbot.waitSignal(controller.finished, timeout=TIMEOUT) as blocker:
            controller.sync_now()
        assert blocker.args[0].conflicts == 1
        qtbot.waitUntil(lambda: page.conflicts.rowCount() == 1)
        page.conflicts_view.selectRow(0)
        assert page.fields.rowCount() == 1
        assert [page.fields.index(0, c).data() for c in range(3)] == [
            "matter",
            "本机的修改",
            "平台上的修改",
        ]
        assert page.keep_local_button.isEnabled()
        with qtbot.waitSignal(controller.finished, timeout=TIMEOUT) as blocker:
            qtbot.mouseClick(page.keep_local_button, Qt.MouseButton.LeftButton)
        assert blocker.args[0].applied == 1
        qtbot.waitUntil(lambda: page.conflicts.rowCount() == 0)
        other.sync()
        assert known_forms(other.store, "commitments")[rid]["matter"] == "本机的修改"

        def local_form() -> tuple[bool, str]:
            with services.store.read() as s:
                form = s.get(FormRecord, ("commitments", rid))
                assert form is not None
                return form.dirty, json.loads(form.data)["matter"]

        assert on_db(local_form) == (False, "本机的修改")
    finally:
        other.close()


def test_a_delete_conflict_offers_restore_or_accept_and_restore_recreates_the_record(
    qtbot, window, controller, services, on_db, live_server: LiveServer, tmp_path: Path
):
    _login(qtbot, controller)
    rid = f"c-{uuid.uuid4().hex}"
    on_db(lambda: create_form(services.store, "commitments", rid, commitment(status="draft")))
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT):
        controller.sync_now()
    other = Device(live_server, tmp_path / "other", WINDOW_B)
    try:
        other.sync()
        with other.store.write() as s:
            LocalForms(s).delete("commitments", rid)
        other.sync()
        on_db(lambda: edit_form(services.store, "commitments", rid, {"matter": "本机的修改"}))
        page = window.sync_page
        with qtbot.waitSignal(controller.finished, timeout=TIMEOUT):
            controller.sync_now()
        qtbot.waitUntil(lambda: page.conflicts.rowCount() == 1)
        page.conflicts_view.selectRow(0)
        assert page.conflicts.index(0, 2).data() == "整条记录"
        assert page.fields.index(0, 1).data().count("本机的修改") == 1
        assert page.fields.index(0, 2).data() == "已删除"
        # Two choices, never a blank update: restore the whole local record, or accept.
        assert page.keep_local_button.text() == "恢复本地记录"
        assert page.keep_server_button.text() == "接受删除"
        assert page.keep_local_button.isEnabled() and page.keep_server_button.isEnabled()
        assert "其他人已在平台上删除" in page.conflict_hint.text()
        with qtbot.waitSignal(controller.finished, timeout=TIMEOUT) as blocker:
            qtbot.mouseClick(page.keep_local_button, Qt.MouseButton.LeftButton)
        assert blocker.args[0].applied == 1
        qtbot.waitUntil(lambda: page.conflicts.rowCount() == 0)
        other.sync()
        restored = known_forms(other.store, "commitments")[rid]
        assert (restored["matter"], restored["uscc"]) == ("本机的修改", CODE)
    finally:
        other.close()


def test_a_choice_the_platform_would_refuse_is_disabled_with_its_reason(
    qtbot, window, controller, services, on_db, live_server: LiveServer, tmp_path: Path
):
    _login(qtbot, controller)
    rid = f"c-{uuid.uuid4().hex}"
    on_db(lambda: create_form(services.store, "commitments", rid, commitment()))
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT):
        controller.sync_now()
    other = Device(live_server, tmp_path / "other", WINDOW_B)
    try:
        other.sync()
        edit_form(other.store, "commitments", rid, {"status": "verified_false"})
        other.sync()
        on_db(lambda: edit_form(services.store, "commitments", rid, {"status": "verified_true"}))
        page = window.sync_page
        with qtbot.waitSignal(controller.finished, timeout=TIMEOUT):
            controller.sync_now()
        qtbot.waitUntil(lambda: page.conflicts.rowCount() == 1)
        page.conflicts_view.selectRow(0)
        assert page.keep_local_button.text() == "保留本机"
        assert not page.keep_local_button.isEnabled()
        assert page.keep_server_button.isEnabled()
        assert "不能从“虚假承诺”改为“核查属实”" in page.conflict_hint.text()
        assert page.keep_local_button.toolTip() == page.conflicts.row_at(0).blocked
    finally:
        other.close()


def test_every_sync_model_passes_qtmodeltester(
    qtbot, window, controller, services, on_db, qtmodeltester
):
    _login(qtbot, controller)
    page = window.sync_page
    qtbot.waitUntil(lambda: page.history.rowCount() >= 1)
    for model in (page.history, page.errors, page.conflicts, page.fields):
        qtmodeltester.check(model, force_py=True)


def test_unreachable_platform_is_offline_in_chinese(qtbot, services, tasks, profile, app):
    settings = Settings(extra={PLATFORM_URL_KEY: "http://127.0.0.1:9"})
    ctl = SyncController(services, tasks, settings, profile)
    win = MainWindow(services, settings, profile, tasks, sync=ctl)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(ctl.online_changed, timeout=TIMEOUT) as blocker:
        ctl.start()
    assert blocker.args == [False]
    assert win.online_label.text() == "离线 · 市级平台不可达"
    ctl.shutdown()


def test_inspector_prepares_offline_and_sees_the_banner(qtbot, window, controller, services, on_db):
    page = window.sync_page
    assert not page.offline_button.isVisibleTo(page)  # role unknown before a login
    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT):
        controller.login(controller.url, "inspector.luzhou.1", "demo-2026")
    qtbot.waitUntil(lambda: page.offline_button.isVisibleTo(page), timeout=10_000)
    with qtbot.waitSignal(controller.prepared, timeout=TIMEOUT) as blocker:
        qtbot.mouseClick(page.offline_button, Qt.MouseButton.LeftButton)
    pack = blocker.args[0]
    assert pack.ready
    s = pack.summary
    assert page.offline_ready is True and page.offline_banner.isVisibleTo(page)
    assert page.offline_banner.text() == (
        f"已可离线工作：{s.tasks} 个检查任务、{s.entities_present} 户主体、"
        f"{s.checklists_present} 份检查表、附件 {s.blobs_present} 个，更新于 {s.prepared_at}"
    )
    assert s.tasks > 0 and s.checklists_present == 1

    # Without the network the banner comes from the store: a cited photo never downloaded
    # turns it amber and says what is missing.
    ghost = "0" * 64

    def add_ghost() -> None:
        with services.store.write() as session:
            session.add(
                FormRecord(
                    collection="findings",
                    record_id=f"f-{uuid.uuid4().hex}",
                    version=1,
                    data=json.dumps({"attachments": [ghost]}),
                    deleted=False,
                    dirty=False,
                )
            )

    on_db(add_ghost)
    controller.logout()
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.refresh()
    assert page.offline_ready is False
    assert page.offline_banner.text().startswith("尚不能离线工作，缺少：附件 1 个")


def test_window_user_gets_no_offline_button(qtbot, window, controller):
    _login(qtbot, controller)
    page = window.sync_page
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.refresh()
    assert not page.offline_button.isVisibleTo(page)
    assert not page.offline_banner.isVisibleTo(page)


def test_a_report_issued_online_is_registered_at_once(
    qtbot, window: MainWindow, controller: SyncController, services: AppServices
) -> None:
    _login(qtbot, controller)
    qtbot.waitUntil(lambda: window.status is not None and window.status.entities == 300)
    qtbot.waitUntil(lambda: controller.online is True, timeout=TIMEOUT)
    card = window.lookup.card
    window.lookup.search_edit.setText("有限")
    window.lookup.search()
    qtbot.waitUntil(lambda: window.lookup.model.rowCount() > 0, timeout=TIMEOUT)
    with qtbot.waitSignal(window.lookup.card_shown, timeout=TIMEOUT):
        window.lookup.table.selectRow(0)
    assert card.report_button.isEnabled()
    qtbot.mouseClick(card.report_button, Qt.MouseButton.LeftButton)
    page = window.reports_page
    assert window.stack.currentWidget() is page
    assert page.selected_entity() == card.card.id  # type: ignore[union-attr]
    page.unit_edit.setText("长治市潞州区政务服务中心")
    with (
        qtbot.waitSignal(page.issued, timeout=TIMEOUT),
        qtbot.waitSignal(controller.finished, timeout=TIMEOUT),
    ):
        qtbot.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    if page.preview_dialog is not None:
        page.preview_dialog.close()
    # The sync that issuing started registered it; the list says so.
    qtbot.waitUntil(
        lambda: (
            page.history_table.rowCount() == 1 and page.history_table.item(0, 6).text() == "已登记"
        ),
        timeout=TIMEOUT,
    )


def test_look_up_take_a_commitment_print_it_and_the_platform_holds_it(
    qtbot, window: MainWindow, controller: SyncController, live_server: LiveServer
) -> None:
    from tests.sync.helpers import server_count

    _login(qtbot, controller)  # the first sync brings the registry and the catalog
    qtbot.waitUntil(lambda: window.status is not None and window.status.entities == 300)
    lookup = window.lookup
    lookup.search_edit.setText("有限")
    lookup.search()
    qtbot.waitUntil(lambda: lookup.model.rowCount() > 0, timeout=TIMEOUT)
    with qtbot.waitSignal(lookup.card_shown, timeout=TIMEOUT):
        lookup.table.selectRow(0)
    card = lookup.card.card
    assert card is not None
    page = window.commitments_page
    with qtbot.waitSignal(page.form_opened, timeout=TIMEOUT) as opened:
        qtbot.mouseClick(lookup.card.commitment_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is page
    dialog = opened.args[0]
    qtbot.waitUntil(lambda: dialog.matter_combo.count() > 0, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: card.name in dialog.entity_label.text(), timeout=TIMEOUT)
    assert dialog.select_matter("cc-tax-01")  # 涉税证明事项告知承诺: 告知承诺 only
    dialog.applicant_edit.setText("王堃")
    with qtbot.waitSignal(page.created, timeout=TIMEOUT) as created:
        dialog.submit(sign_now=True)
    record_id = created.args[0]
    with qtbot.waitSignal(page.preview_opened, timeout=TIMEOUT) as preview:
        page.print_letter()
    letter = preview.args[0].prepared.document
    assert letter.title == "信用承诺书" and card.name in letter.to_json()
    preview.args[0].close()

    with qtbot.waitSignal(controller.finished, timeout=TIMEOUT):
        assert controller.sync_now()
    sql = "SELECT count(*) FROM records WHERE collection = 'commitments' AND record_id = ?"
    assert server_count(live_server.db_path, sql, record_id) == 1
    qtbot.waitUntil(lambda: window.status is not None and window.status.unsynced_changes == 0)


def test_a_province_snapshot_download_shows_megabytes_past_the_32_bit_range(
    qtbot, window, controller
):
    page = window.sync_page
    total_bytes = 2_700_000_000  # a province's snapshot: more than a C int holds
    event = SyncEvent("snapshot", 1_500, 2_575, total_bytes - 1)
    with qtbot.waitSignal(controller.progress, timeout=5000) as got:
        controller._on_event(event)
    assert got.args == ["snapshot", 1_500, 2_575, total_bytes - 1]
    assert page.phase_label.text() == "下载全市数据快照：1500/2575 MB"
    assert (page.progress_bar.maximum(), page.progress_bar.value()) == (2_575, 1_500)
    controller._on_event(SyncEvent("snapshot_adopt", 0, None, 0))
    assert page.phase_label.text().startswith("正在启用数据快照")
    assert page.progress_bar.maximum() == 0  # busy: re-encrypting has no count
    page._on_finished(SyncReport(pulled=9, snapshot_entities=3_000_000))
    assert (
        page.phase_label.text()
        == "同步完成：上传 0 条，下载 9 条。另从数据快照取得 3000000 个主体。"
    )
