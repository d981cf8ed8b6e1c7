"""The 信用承诺 page end to end, on a real encrypted store with the demo catalog pulled in."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QWidget

from desktop_app.config import ProfilePaths, Settings
from desktop_app.domain.clock import china_today
from desktop_app.domain.commitment_catalog import CATALOG
from desktop_app.domain.commitments import BreachSeverity, CommitmentKind, CommitmentStatus
from desktop_app.reports.document import Document, KeyValues, Paragraph, Table
from desktop_app.services.app import AppServices
from desktop_app.services.commitments import CommitmentInput, CommitmentView, MissingMaterial
from desktop_app.store.models import Entity
from sync.events import SyncReport
from sync.pull import apply_page
from sync.transport import PulledChange
from tests.ui.conftest import type_text
from tests.ui.holding import held_db_worker
from ui.models.commitment_models import (
    COL_DEADLINE,
    COL_STATUS,
    COL_SYNC,
    VIEW_ROLE,
    CommitmentFilterModel,
    CommitmentTableModel,
    brief_model,
    history_model,
    materials_model,
)
from ui.pages.commitments import CommitmentsPage
from ui.printing.preview import DocumentPreviewDialog
from ui.taskman import TaskManager
from ui.widgets.commitment_dialogs import FindingDialog, NewCommitmentDialog

LEFT = Qt.MouseButton.LeftButton
FOOD = "cc-food-01"  # 食品经营许可: 告知承诺 or 容缺受理
TAX = "cc-tax-01"  # 涉税证明事项告知承诺: 告知承诺 only
FOOD_MATERIALS = ("食品经营许可申请书", "食品安全管理制度", "经营场所平面布局图")


def pull_catalog(services: AppServices, on_db) -> None:
    """Put the demo catalog into the store the way a sync pull does.

    These tests take commitments dated today, so deadlines can fall in next year. The platform
    distributes a year's holiday table as ``calendar_overrides``; a year declared complete here
    (with no holidays listed) keeps the tests computable in any year, while the official
    calendar still decides the years ``chinese_calendar`` knows.
    """
    changes = [
        PulledChange("commitment_catalog", matter_id, 1, False, dict(fields))
        for matter_id, fields in CATALOG
    ]
    for year in (date.today().year, date.today().year + 1):
        changes.append(
            PulledChange(
                "calendar_overrides", f"year-{year}", 1, False, {"year": year, "complete": True}
            )
        )

    def work() -> None:
        with services.store.write() as s:
            apply_page(s, changes, SyncReport())

    on_db(work)


def entities(services: AppServices, on_db, count: int = 3) -> list[tuple[str, str]]:
    """``(uscc, name)`` of the first cached entities."""

    def work() -> list[tuple[str, str]]:
        with services.store.read() as s:
            rows = s.execute(select(Entity.uscc, Entity.name).order_by(Entity.id).limit(count))
            return [(uscc, name) for uscc, name in rows]

    return on_db(work)


def create(on_db, services: AppServices, uscc: str, **kw: object) -> CommitmentView:
    """A commitment made through the service (on the DB worker)."""
    values: dict[str, object] = {
        "uscc": uscc,
        "matter_id": FOOD,
        "kind": CommitmentKind.NOTIFY,
        "applicant_name": "李四",
    }
    values.update(kw)
    data = CommitmentInput(**values)  # type: ignore[arg-type]
    return on_db(lambda: services.commitments.create(data))


def document_text(document: Document) -> str:
    """Every text a document prints, one piece a line."""
    parts = [document.title, document.number]
    for section in document.sections:
        parts.append(section.title)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            elif isinstance(block, KeyValues):
                parts += [f"{k}{v}" for k, v in block.rows]
            elif isinstance(block, Table):
                parts += [*block.columns, *("".join(row) for row in block.rows)]
    return "\n".join(parts)


def shown(widget: QWidget) -> bool:
    """Whether ``widget`` is shown within its (visible) window."""
    return widget.isVisibleTo(widget.window())


@pytest.fixture
def catalog_services(seeded_services: AppServices, on_db) -> AppServices:
    pull_catalog(seeded_services, on_db)
    return seeded_services


@pytest.fixture
def page(
    catalog_services: AppServices, tasks: TaskManager, profile: ProfilePaths, qtbot, app
) -> CommitmentsPage:
    widget = CommitmentsPage(catalog_services, tasks, Settings(), profile)
    qtbot.addWidget(widget)
    widget.resize(1400, 860)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=5000)
    return widget


def open_form(qtbot, page: CommitmentsPage, uscc: str = "") -> NewCommitmentDialog:
    with qtbot.waitSignal(page.form_opened, timeout=5000) as opened:
        page.open_new(uscc)
    dialog: NewCommitmentDialog = opened.args[0]
    qtbot.waitUntil(lambda: dialog.matter_combo.count() > 0, timeout=5000)
    return dialog


def fill_form(
    qtbot, dialog: NewCommitmentDialog, matter: str, kind: CommitmentKind, applicant: str
) -> None:
    assert dialog.select_matter(matter)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(kind))
    dialog.applicant_edit.clear()
    if applicant:
        type_text(qtbot, dialog.applicant_edit, applicant)


def rows_in_store(on_db, services: AppServices) -> list[CommitmentView]:
    return on_db(lambda: services.commitments.search())


# -- the main flow ---------------------------------------------------------------------------


def test_tolerance_commitment_from_lookup_to_print_to_fulfilled(
    qtbot, page: CommitmentsPage, catalog_services: AppServices, on_db
) -> None:
    (uscc, name), *_ = entities(catalog_services, on_db)
    dialog = open_form(qtbot, page)

    # A pasted licence QR text: the form finds the code in it and shows the entity's name.
    with qtbot.waitSignal(dialog.entity_shown, timeout=5000) as shown_name:
        type_text(qtbot, dialog.entity_edit, f"统一社会信用代码：{uscc} 名称：{name}")
        qtbot.keyClick(dialog.entity_edit, Qt.Key.Key_Return)
    assert shown_name.args == [name]
    assert dialog.isVisible() and not dialog.message.kind  # Enter looked up, did not submit
    assert name in dialog.entity_label.text() and uscc in dialog.entity_label.text()

    # The form follows the matter: its legal basis, materials and allowed kinds only.
    assert dialog.select_matter(TAX)
    kinds = [dialog.kind_combo.itemData(i) for i in range(dialog.kind_combo.count())]
    assert kinds == [CommitmentKind.NOTIFY]
    assert not dialog.tolerance_box.isVisibleTo(dialog)
    fill_form(qtbot, dialog, FOOD, CommitmentKind.TOLERANCE, "张三")
    assert "国家市场监督管理总局令第78号" in dialog.matter_info.text()
    assert dialog.tolerance_box.isVisibleTo(dialog)
    assert [check.text() for check, _form in dialog.material_rows()] == list(FOOD_MATERIALS)
    assert dialog.deadline_spin.value() == 5 and dialog.publish_check.isChecked()
    (check1, form1), (check2, form2), _third = dialog.material_rows()
    assert not form1.isEnabled()
    check1.setChecked(True)
    check2.setChecked(True)
    form2.setCurrentIndex(form2.findData("复印件"))
    type_text(qtbot, dialog.phone_edit, "0355-2021234")

    with qtbot.waitSignal(page.created, timeout=10_000) as created:
        qtbot.mouseClick(dialog.sign_button, LEFT)
    record_id = created.args[0]
    assert not dialog.isVisible()

    # It is listed, selected and waiting to be synced.
    assert page.selected_record() == record_id
    view = page.current
    assert view is not None and view.status is CommitmentStatus.SIGNED
    row = page.model.row_of(record_id)
    assert page.model.index(row, COL_SYNC).data() == "待同步"
    assert page.model.index(row, COL_STATUS).data() == "已签署"
    assert page.model.index(row, COL_DEADLINE).data() == view.deadline.isoformat()
    assert page.message.kind == "success" and "一次性告知书" in page.message.text()
    assert [(m.name, m.form, m.received) for m in view.missing_materials] == [
        (FOOD_MATERIALS[0], "原件", False),
        (FOOD_MATERIALS[1], "复印件", False),
    ]
    assert page.materials.rowCount() == 2
    assert shown(page.notice_button) and shown(page.received_button)
    assert not shown(page.sign_button) and not shown(page.breach_button)

    # The letter and the one-time notice preview through the printing pipeline.
    with qtbot.waitSignal(page.preview_opened, timeout=10_000) as opened:
        qtbot.mouseClick(page.letter_button, LEFT)
    letter_dialog: DocumentPreviewDialog = opened.args[0]
    letter = letter_dialog.prepared.document
    assert letter.title == "信用承诺书" and letter.number == f"CN-{record_id[:8].upper()}"
    assert name in document_text(letter) and "张三" in document_text(letter)
    letter_dialog.close()
    with qtbot.waitSignal(page.preview_opened, timeout=10_000) as opened:
        qtbot.mouseClick(page.notice_button, LEFT)
    notice_dialog: DocumentPreviewDialog = opened.args[0]
    notice = notice_dialog.prepared.document
    assert notice.title == "容缺受理一次性告知书"
    assert notice.number == f"RQ-{record_id[:8].upper()}"
    text = document_text(notice)
    assert FOOD_MATERIALS[0] in text and FOOD_MATERIALS[1] in text
    assert FOOD_MATERIALS[2] not in text  # only the missing ones
    notice_dialog.close()

    # Materials arrive: the commitment is fulfilled, in the store and on screen.
    with qtbot.waitSignal(page.changed, timeout=10_000):
        qtbot.mouseClick(page.received_button, LEFT)
    assert page.current is not None and page.current.status is CommitmentStatus.FULFILLED
    assert page.model.index(row, COL_STATUS).data() == "已履约"
    assert all(m.received for m in page.current.missing_materials)
    stored = on_db(lambda: catalog_services.commitments.get(record_id))
    assert stored.status is CommitmentStatus.FULFILLED
    assert [h["to"] for h in stored.history] == ["signed", "fulfilled"]
    assert page.history.rowCount() == 2
    assert page.history.index(1, 2).data() == "已履约"
    assert not shown(page.received_button) and shown(page.notice_button)
    assert shown(page.verify_true_button) and shown(page.verify_false_button)
    assert not shown(page.withdraw_button) and not shown(page.breach_button)


def test_some_materials_received_keeps_the_commitment_open(
    qtbot, page: CommitmentsPage, catalog_services: AppServices, on_db
) -> None:
    (uscc, _name), *_ = entities(catalog_services, on_db)
    view = create(
        on_db,
        catalog_services,
        uscc,
        kind=CommitmentKind.TOLERANCE,
        missing_materials=(
            MissingMaterial(FOOD_MATERIALS[0], "原件"),
            MissingMaterial(FOOD_MATERIALS[1], "电子件"),
        ),
        deadline_working_days=5,
    )
    with qtbot.waitSignal(page.details_shown, timeout=5000):
        page.select_record(view.record_id)
    assert not page.received_some_button.isEnabled()
    page.materials_view.selectRow(1)
    assert page.received_some_button.isEnabled()
    with qtbot.waitSignal(page.changed, timeout=10_000):
        qtbot.mouseClick(page.received_some_button, LEFT)
    current = page.current
    assert current is not None and current.status is CommitmentStatus.SIGNED
    assert [m.received for m in current.missing_materials] == [False, True]
    assert page.materials.index(1, 2).data() == "✓ 已收到"
    assert FOOD_MATERIALS[1] in page.message.text()


# -- only the allowed actions ------------------------------------------------------------------


def test_a_draft_offers_only_sign_and_withdraw_and_signing_moves_it_on(
    qtbot, page: CommitmentsPage, catalog_services: AppServices, on_db
) -> None:
    (uscc, _name), *_ = entities(catalog_services, on_db)
    draft = create(on_db, catalog_services, uscc, matter_id=TAX, sign_now=False)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    with qtbot.waitSignal(page.details_shown, timeout=5000):
        page.table.selectRow(0)
    assert page.current is not None and page.current.record_id == draft.record_id
    visible = {b.text() for b in page.action_buttons if shown(b)}
    assert visible == {"签署", "撤回…"}
    assert not shown(page.notice_button)  # not a 容缺受理
    assert page.fact_labels["signed"].text() == "未签署（草稿）"

    with qtbot.waitSignal(page.changed, timeout=10_000):
        qtbot.mouseClick(page.sign_button, LEFT)
    assert page.current.status is CommitmentStatus.SIGNED
    assert page.current.signed_on == china_today()  # the regulatory date, not the PC's
    visible = {b.text() for b in page.action_buttons if shown(b)}
    assert visible == {"确认已履约", "核查属实", "核查不实…", "撤回…"}
    # Every button offered is a move the lifecycle allows.
    assert set(page.current.allowed_next) >= {
        CommitmentStatus.FULFILLED,
        CommitmentStatus.VERIFIED_TRUE,
        CommitmentStatus.VERIFIED_FALSE,
        CommitmentStatus.WITHDRAWN,
    }
    assert CommitmentStatus.BREACHED not in page.current.allowed_next

    with qtbot.waitSignal(page.changed, timeout=10_000):
        qtbot.mouseClick(page.verify_true_button, LEFT)
    assert page.current.status is CommitmentStatus.VERIFIED_TRUE
    assert not any(shown(b) for b in page.action_buttons)
    assert shown(page.no_action_label)


def test_withdrawing_asks_for_a_reason(
    qtbot, page: CommitmentsPage, catalog_services: AppServices, on_db
) -> None:
    (uscc, _name), *_ = entities(catalog_services, on_db)
    view = create(on_db, catalog_services, uscc, matter_id=TAX)
    with qtbot.waitSignal(page.details_shown, timeout=5000):
        page.select_record(view.record_id)
    with qtbot.waitSignal(page.finding_opened, timeout=5000) as opened:
        qtbot.mouseClick(page.withdraw_button, LEFT)
    dialog: FindingDialog = opened.args[0]
    assert not dialog.severity_combo.isVisibleTo(dialog)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and dialog.message.kind == "warning"
    type_text(qtbot, dialog.evidence_edit, "申请人主动撤回申请")
    with qtbot.waitSignal(page.changed, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    stored = on_db(lambda: catalog_services.commitments.get(view.record_id))
    assert stored.status is CommitmentStatus.WITHDRAWN
    assert stored.history[-1]["note"] == "申请人主动撤回申请"


def test_breach_of_an_overdue_tolerance_records_severity_and_evidence(
    qtbot, page: CommitmentsPage, catalog_services: AppServices, on_db
) -> None:
    (uscc, name), *_ = entities(catalog_services, on_db)
    view = create(
        on_db,
        catalog_services,
        uscc,
        kind=CommitmentKind.TOLERANCE,
        missing_materials=(MissingMaterial(FOOD_MATERIALS[1], "原件"),),
        deadline_working_days=1,
        sign_now=False,
    )
    # Signed three weeks ago with one working day to supply the material: long overdue.
    signed_on = date.today() - timedelta(days=21)
    on_db(lambda: catalog_services.commitments.sign(view.record_id, signed_on))
    assert on_db(catalog_services.commitments.refresh_overdue) == 1

    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    row = page.model.row_of(view.record_id)
    assert page.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None  # tinted
    assert "逾期 1 项" in page.count_label.text()
    with qtbot.waitSignal(page.details_shown, timeout=5000):
        page.select_record(view.record_id)
    visible = {b.text() for b in page.action_buttons if shown(b)}
    assert visible == {"材料已补齐", "登记所选材料已收到", "记录违约…"}

    with qtbot.waitSignal(page.finding_opened, timeout=5000) as opened:
        qtbot.mouseClick(page.breach_button, LEFT)
    dialog: FindingDialog = opened.args[0]
    assert name in dialog.intro_label.text() and "食品经营许可" in dialog.intro_label.text()
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert dialog.isVisible() and "证据" in dialog.message.text()  # evidence is required
    dialog.severity_combo.setCurrentIndex(dialog.severity_combo.findData(BreachSeverity.SERIOUS))
    type_text(qtbot, dialog.evidence_edit, "逾期未补交食品安全管理制度，经电话催告仍未补交")
    with qtbot.waitSignal(page.changed, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, LEFT)

    stored = on_db(lambda: catalog_services.commitments.get(view.record_id))
    assert stored.status is CommitmentStatus.BREACHED
    assert stored.breach is not None and stored.breach["severity"] == "serious"
    assert stored.breach["evidence"].startswith("逾期未补交")
    assert page.current is not None and page.current.status is CommitmentStatus.BREACHED
    assert shown(page.breach_box)
    assert "严重" in page.breach_label.text() and "电话催告" in page.breach_label.text()
    assert not any(shown(b) for b in page.action_buttons)


def test_a_false_commitment_found_on_checking(
    qtbot, page: CommitmentsPage, catalog_services: AppServices, on_db
) -> None:
    (uscc, _name), *_ = entities(catalog_services, on_db)
    view = create(on_db, catalog_services, uscc, matter_id=TAX)
    with qtbot.waitSignal(page.details_shown, timeout=5000):
        page.select_record(view.record_id)
    with qtbot.waitSignal(page.finding_opened, timeout=5000) as opened:
        qtbot.mouseClick(page.verify_false_button, LEFT)
    dialog: FindingDialog = opened.args[0]
    assert dialog.severity_combo.currentData() == BreachSeverity.GENERAL
    dialog.severity_combo.setCurrentIndex(dialog.severity_combo.findData(BreachSeverity.MINOR))
    type_text(qtbot, dialog.evidence_edit, "核查发现所述纳税证明事项与事实不符")
    with qtbot.waitSignal(page.changed, timeout=10_000):
        qtbot.mouseClick(dialog.ok_button, LEFT)
    stored = on_db(lambda: catalog_services.commitments.get(view.record_id))
    assert stored.status is CommitmentStatus.VERIFIED_FALSE
    assert stored.breach is not None and stored.breach["severity"] == "minor"
    assert "轻微" in page.breach_label.text()


# -- bad input ---------------------------------------------------------------------------------


def test_bad_input_shows_the_services_message_and_saves_nothing(
    qtbot, page: CommitmentsPage, catalog_services: AppServices, on_db
) -> None:
    (uscc, _name), (other, _other_name), *_ = entities(catalog_services, on_db)
    dialog = open_form(qtbot, page)

    # A code whose check digit is wrong.
    bad = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")
    type_text(qtbot, dialog.entity_edit, bad)
    fill_form(qtbot, dialog, TAX, CommitmentKind.NOTIFY, "张三")
    qtbot.mouseClick(dialog.sign_button, LEFT)
    qtbot.waitUntil(lambda: dialog.message.kind == "error", timeout=5000)
    assert "统一社会信用代码有误" in dialog.message.text()
    assert dialog.isVisible() and dialog.sign_button.isEnabled()

    # No applicant.
    dialog.entity_edit.setText(uscc)
    dialog.applicant_edit.clear()
    dialog.message.clear_message()
    qtbot.mouseClick(dialog.sign_button, LEFT)
    qtbot.waitUntil(lambda: dialog.message.kind == "error", timeout=5000)
    assert "请填写法定代表人或委托代理人的姓名" in dialog.message.text()
    assert rows_in_store(on_db, catalog_services) == []

    # 容缺受理 without any missing material ticked.
    fill_form(qtbot, dialog, FOOD, CommitmentKind.TOLERANCE, "张三")
    dialog.message.clear_message()
    qtbot.mouseClick(dialog.sign_button, LEFT)
    qtbot.waitUntil(lambda: dialog.message.kind == "error", timeout=5000)
    assert "所缺材料" in dialog.message.text()
    assert rows_in_store(on_db, catalog_services) == []

    # The same matter still open for this entity.
    existing = create(on_db, catalog_services, other, matter_id=TAX)
    dialog.entity_edit.setText(other)
    fill_form(qtbot, dialog, TAX, CommitmentKind.NOTIFY, "张三")
    dialog.message.clear_message()
    qtbot.mouseClick(dialog.sign_button, LEFT)
    qtbot.waitUntil(lambda: dialog.message.kind == "error", timeout=5000)
    assert "尚未办结" in dialog.message.text()
    assert [v.record_id for v in rows_in_store(on_db, catalog_services)] == [existing.record_id]
    dialog.close()


def test_without_a_catalog_the_form_says_to_sync(
    qtbot, seeded_services: AppServices, tasks: TaskManager, profile: ProfilePaths, app
) -> None:
    page = CommitmentsPage(seeded_services, tasks, Settings(), profile)
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.form_opened, timeout=5000) as opened:
        page.open_new()
    dialog: NewCommitmentDialog = opened.args[0]
    qtbot.waitUntil(lambda: dialog.message.kind == "warning", timeout=5000)
    assert "同步" in dialog.message.text()
    qtbot.mouseClick(dialog.sign_button, LEFT)
    assert "请先选择办理事项" in dialog.message.text()
    dialog.close()


# -- keyboard and entry points -----------------------------------------------------------------


def test_shortcuts_open_the_form_focus_search_and_print(
    qtbot, page: CommitmentsPage, catalog_services: AppServices, on_db
) -> None:
    (uscc, _name), *_ = entities(catalog_services, on_db)
    view = create(on_db, catalog_services, uscc, matter_id=TAX)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    with qtbot.waitActive(page):
        page.activateWindow()
    page.table.setFocus()
    page.table.selectRow(0)

    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search_edit.hasFocus()

    with qtbot.waitSignal(page.form_opened, timeout=5000) as form:
        qtbot.keyClick(page.search_edit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog: NewCommitmentDialog = form.args[0]
    assert dialog.isVisible() and dialog.entity_edit.text() == ""
    dialog.close()

    with qtbot.waitActive(page):
        page.activateWindow()
    page.table.setFocus()
    with qtbot.waitSignal(page.preview_opened, timeout=10_000) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert opened.args[0].prepared.document.number == f"CN-{view.record_id[:8].upper()}"
    opened.args[0].close()


def test_open_new_for_an_entity_shows_its_name_and_tab_order_follows_the_form(
    qtbot, page: CommitmentsPage, catalog_services: AppServices, on_db
) -> None:
    (uscc, name), *_ = entities(catalog_services, on_db)
    with qtbot.waitSignal(page.form_opened, timeout=5000) as opened:
        page.open_new_for(uscc)
    dialog: NewCommitmentDialog = opened.args[0]
    qtbot.waitUntil(lambda: name in dialog.entity_label.text(), timeout=5000)
    assert dialog.entity_edit.text() == uscc
    chain: list[QWidget] = [dialog.entity_edit]
    widget: QWidget = dialog.entity_edit
    while len(chain) < 5:
        widget = widget.nextInFocusChain()
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isEnabled():
            chain.append(widget)
    assert chain[1:5] == [
        dialog.domain_combo,
        dialog.matter_combo,
        dialog.kind_combo,
        dialog.applicant_edit,
    ]
    dialog.close()


def test_search_and_status_filter(
    qtbot, page: CommitmentsPage, catalog_services: AppServices, on_db
) -> None:
    (first, first_name), (second, _n), *_ = entities(catalog_services, on_db)
    create(on_db, catalog_services, first, matter_id=TAX)
    create(on_db, catalog_services, second, matter_id=TAX, sign_now=False)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.refresh()
    assert page.proxy.rowCount() == 2 and "共 2 项" in page.count_label.text()

    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.status_combo.setCurrentIndex(page.status_combo.findData(CommitmentStatus.DRAFT))
    assert page.proxy.rowCount() == 1
    assert page.proxy.index(0, 0).data(VIEW_ROLE).uscc == second

    page.status_combo.setCurrentIndex(0)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        type_text(qtbot, page.search_edit, first[:12])
    assert page.proxy.rowCount() == 1 and page.proxy.index(0, 0).data() == first_name


def test_attaching_a_scan_stores_it_encrypted(
    qtbot, page: CommitmentsPage, catalog_services: AppServices, on_db, tmp_path: Path
) -> None:
    (uscc, _name), *_ = entities(catalog_services, on_db)
    view = create(on_db, catalog_services, uscc, matter_id=TAX)
    with qtbot.waitSignal(page.details_shown, timeout=5000):
        page.select_record(view.record_id)
    scan = tmp_path / "签字承诺书.pdf"
    scan.write_bytes(b"%PDF-1.4 scanned letter " * 40)
    with qtbot.waitSignal(page.changed, timeout=10_000):
        page.attach_file(scan)
    assert page.current is not None and page.current.attachments == 1
    assert page.fact_labels["attachments"].text() == "1 份"
    page.attach_file(tmp_path / "missing.pdf")
    qtbot.waitUntil(lambda: page.message.kind == "error", timeout=5000)
    assert "无法读取文件" in page.message.text()


# -- models ------------------------------------------------------------------------------------


def test_models_pass_the_model_tester(
    qtmodeltester, catalog_services: AppServices, on_db, qapp
) -> None:
    (first, _n), (second, _m), *_ = entities(catalog_services, on_db)
    tolerance = create(
        on_db,
        catalog_services,
        first,
        kind=CommitmentKind.TOLERANCE,
        missing_materials=(MissingMaterial(FOOD_MATERIALS[0], "原件"),),
        deadline_working_days=3,
    )
    notify = create(on_db, catalog_services, second, matter_id=TAX)
    views = [tolerance, notify]

    table = CommitmentTableModel()
    qtmodeltester.check(table)
    table.set_rows(views)
    qtmodeltester.check(table)
    proxy = CommitmentFilterModel()
    proxy.setSourceModel(table)
    qtmodeltester.check(proxy)
    proxy.set_status(CommitmentStatus.SIGNED)
    assert proxy.rowCount() == 2
    proxy.set_text(notify.entity_name)
    assert proxy.rowCount() == 1
    proxy.set_text("")
    proxy.set_status(CommitmentStatus.DRAFT)
    assert proxy.rowCount() == 0
    qtmodeltester.check(proxy)
    proxy.set_status(None)
    proxy.sort(6, Qt.SortOrder.AscendingOrder)  # no deadline sorts first
    assert proxy.index(0, 0).data(VIEW_ROLE).record_id == notify.record_id
    assert table.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None  # not overdue

    materials = materials_model()
    materials.set_rows(tolerance.missing_materials)
    qtmodeltester.check(materials)
    history = history_model()
    history.set_rows(tolerance.history)
    qtmodeltester.check(history)
    assert history.index(0, 2).data() == "已签署" and history.index(0, 1).data() == "—"
    brief = brief_model()
    brief.set_rows(views)
    qtmodeltester.check(brief)
    assert brief.rowCount(QModelIndex()) == 2


# -- saving never blocks typing; drafts --------------------------------------------------------


def test_typing_while_the_form_saves_stays_in_it_marked_unsaved(
    qtbot, page: CommitmentsPage, catalog_services: AppServices, tasks: TaskManager, on_db
) -> None:
    (uscc, name), *_ = entities(catalog_services, on_db)
    dialog = open_form(qtbot, page, uscc)
    fill_form(qtbot, dialog, TAX, CommitmentKind.NOTIFY, "张三")
    with qtbot.waitSignal(page.created, timeout=10_000) as created, held_db_worker(tasks):
        qtbot.mouseClick(dialog.sign_button, LEFT)
        # The save waits for the worker: the form stays editable and says it is saving.
        assert dialog.isEnabled() and dialog.note_edit.isEnabled()
        assert dialog.applicant_edit.isEnabled()
        type_text(qtbot, dialog.note_edit, "申请人下午补交原件")
        type_text(qtbot, dialog.phone_edit, "0355-2021234")
        qtbot.waitUntil(dialog.progress.isVisible, timeout=3000)
        assert "正在保存" in dialog.progress.label.text()
    qtbot.waitUntil(lambda: not dialog.progress.isVisible(), timeout=5000)

    # The commitment holds what was submitted; what came after is still in the form.
    assert dialog.isVisible() and dialog.unsaved
    assert dialog.note_edit.text() == "申请人下午补交原件"
    assert dialog.applicant_edit.text() == "张三" and dialog.phone_edit.text() == "0355-2021234"
    assert dialog.message.kind == "warning" and "未保存" in dialog.message.text()
    stored = on_db(lambda: catalog_services.commitments.get(created.args[0]))
    assert stored.applicant_name == "张三" and stored.entity_name == name
    assert stored.applicant_phone == ""
    assert page.selected_record() == created.args[0]


def test_each_edit_keeps_a_draft_until_the_form_is_cancelled(
    qtbot, page: CommitmentsPage, catalog_services: AppServices, on_db
) -> None:
    dialog = open_form(qtbot, page)
    drafts = catalog_services.drafts
    with qtbot.waitSignal(dialog.drafts.written, timeout=5000):
        type_text(qtbot, dialog.applicant_edit, "王五")
    draft = on_db(lambda: drafts.load("commitment.new"))
    assert draft is not None and draft.fields["applicant"] == "王五"
    with qtbot.waitSignal(dialog.drafts.written, timeout=5000):
        type_text(qtbot, dialog.phone_edit, "13900001111")
    draft = on_db(lambda: drafts.load("commitment.new"))
    assert draft.fields["phone"] == "13900001111" and draft.fields["applicant"] == "王五"

    qtbot.mouseClick(dialog.cancel_button, LEFT)
    assert not dialog.isVisible()
    assert on_db(lambda: drafts.load("commitment.new")) is None  # queued after the delete


def test_a_saved_form_leaves_no_draft(
    qtbot, page: CommitmentsPage, catalog_services: AppServices, on_db
) -> None:
    (uscc, _name), *_ = entities(catalog_services, on_db)
    dialog = open_form(qtbot, page, uscc)
    fill_form(qtbot, dialog, TAX, CommitmentKind.NOTIFY, "")
    with qtbot.waitSignal(dialog.drafts.written, timeout=5000):
        type_text(qtbot, dialog.applicant_edit, "张三")
    with qtbot.waitSignal(page.created, timeout=10_000):
        qtbot.mouseClick(dialog.sign_button, LEFT)
    assert on_db(lambda: catalog_services.drafts.pending()) == []  # queued after the delete


def test_a_draft_left_by_a_crash_is_offered_back_and_fills_the_form(
    qtbot,
    catalog_services: AppServices,
    tasks: TaskManager,
    profile: ProfilePaths,
    on_db,
    app,
) -> None:
    (uscc, name), *_ = entities(catalog_services, on_db)
    fields = {
        "entity": uscc,
        "domain": "市场监管",
        "matter_id": FOOD,
        "kind": "tolerance",
        "applicant": "李四",
        "role": "委托代理人",
        "phone": "0355-2021234",
        "materials": [
            {"name": FOOD_MATERIALS[1], "missing": True, "form": "复印件"},
            {"name": FOOD_MATERIALS[2], "missing": False, "form": "原件"},
        ],
        "deadline_days": 7,
        "publish": False,
        "note": "窗口2号",
    }
    on_db(lambda: catalog_services.drafts.save("commitment.new", fields, name))

    page = CommitmentsPage(catalog_services, tasks, Settings(), profile)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.restore_offered, timeout=5000) as offered:
        page.show()
    box = offered.args[0]
    assert box.windowTitle() == "恢复未保存的草稿？"
    assert "发现未保存的草稿" in box.text() and name in box.text()
    restore = next(b for b in box.buttons() if b.text() == "恢复")
    with qtbot.waitSignal(page.form_opened, timeout=5000) as opened:
        restore.click()
    dialog: NewCommitmentDialog = opened.args[0]
    qtbot.waitUntil(lambda: dialog.applicant_edit.text() == "李四", timeout=5000)
    assert dialog.entity_edit.text() == uscc
    assert dialog.current_matter() is not None and dialog.current_matter().id == FOOD
    assert dialog.current_kind() is CommitmentKind.TOLERANCE
    assert dialog.role_combo.currentData() == "委托代理人"
    assert dialog.phone_edit.text() == "0355-2021234" and dialog.note_edit.text() == "窗口2号"
    assert [(c.text(), c.isChecked(), f.currentData()) for c, f in dialog.material_rows()] == [
        (FOOD_MATERIALS[0], False, "原件"),
        (FOOD_MATERIALS[1], True, "复印件"),
        (FOOD_MATERIALS[2], False, "原件"),
    ]
    assert dialog.deadline_spin.value() == 7 and not dialog.publish_check.isChecked()
    assert dialog.unsaved
    qtbot.waitUntil(lambda: name in dialog.entity_label.text(), timeout=5000)


def test_discarding_an_offered_draft_deletes_it(
    qtbot,
    catalog_services: AppServices,
    tasks: TaskManager,
    profile: ProfilePaths,
    on_db,
    app,
) -> None:
    on_db(lambda: catalog_services.drafts.save("commitment.new", {"applicant": "李四"}, ""))
    page = CommitmentsPage(catalog_services, tasks, Settings(), profile)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.restore_offered, timeout=5000) as offered:
        page.show()
    box = offered.args[0]
    next(b for b in box.buttons() if b.text() == "放弃").click()
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=5000)
    assert page.new_dialog is None
    assert on_db(lambda: catalog_services.drafts.load("commitment.new")) is None


def test_the_form_shows_the_measures_a_list_calls_for_at_the_chosen_matter(
    qtbot, page: CommitmentsPage, catalog_services: AppServices, on_db
) -> None:
    from desktop_app.store.models import Entity

    (uscc, _name), *_ = entities(catalog_services, on_db)

    def listed() -> None:
        with catalog_services.store.write() as s:
            entity = s.query(Entity).filter_by(uscc=uscc).one()
            entity.lists = [
                {"list": "serious_dishonesty", "basis": "拖欠工资", "since": "2025-01-02"}
            ]

    on_db(listed)
    dialog = open_form(qtbot, page, uscc)
    assert dialog.select_matter("cc-tax-01")
    qtbot.waitUntil(lambda: shown(dialog.measures_label), timeout=5000)
    text = dialog.measures_label.text()
    assert "严重失信主体名单：" in text and "税收优惠" in text and "招标投标" not in text
    dialog.entity_edit.clear()
    dialog.look_up_entity()
    qtbot.waitUntil(lambda: not shown(dialog.measures_label), timeout=5000)
