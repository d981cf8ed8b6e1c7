"""The 检查任务 page end to end, on a real encrypted store with tasks pulled in as sync does."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import pytest

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QComboBox

from desktop_app.config import ProfilePaths, Settings
from desktop_app.domain.inspections import ItemResult, Outcome
from desktop_app.services.app import AppServices
from desktop_app.services.demo_data import generate_entities
from desktop_app.services.entities import ListMembership
from desktop_app.services.inspections import (
    Checklist,
    ChecklistItem,
    FindingInput,
    InspectionService,
    InspectionView,
    ItemAnswer,
    PastResult,
    TaskView,
)
from desktop_app.store.outbox import Outbox
from sync.events import SyncReport
from sync.protocol.v1 import MutationResult, MutationStatus
from sync.pull import apply_page
from sync.push import record_results
from sync.transport import PulledChange
from tests.ui.conftest import type_text
from tests.ui.holding import held_db_worker
from ui.models.inspection_models import (
    ANS_NOTE,
    ANS_RESULT,
    COL_STATUS,
    COL_SYNC,
    AnswersModel,
    FindingsModel,
    TaskFilterModel,
    TaskTableModel,
    lists_model,
    past_results_model,
    unpublished_model,
)
from ui.pages.inspections import InspectionsPage
from ui.printing.preview import DocumentPreviewDialog
from ui.taskman import TaskManager
from ui.widgets.inspection_widgets import AmendDialog, PhotoPreviewDialog

NOW = datetime(2025, 6, 10, 9, 30)  # a Tuesday; the next holiday is 国庆
TODAY = NOW.date()
CHECKLIST = "CL-TEST-01"
ITEMS = (
    (1, "是否按时报送并公示上一年度年度报告", "《企业信息公示暂行条例》第八条"),
    (2, "年度报告公示信息是否真实、及时", "《企业信息公示暂行条例》第三条"),
    (3, "登记的住所（经营场所）能否联系", "《中华人民共和国市场主体登记管理条例》"),
)
CTRL = Qt.KeyboardModifier.ControlModifier


def pull(services: AppServices, on_db, changes: list[PulledChange]) -> None:
    """Apply one page of pulled changes, as the sync engine does."""

    def work() -> None:
        with services.store.write() as s:
            apply_page(s, changes, SyncReport())

    on_db(work)


def push_all(services: AppServices, on_db) -> int:
    """Answer every pending outbox entry as the platform does when it accepts them."""

    def work() -> int:
        with services.store.write() as s:
            entries = Outbox(s).pending(1000)
            results = [
                MutationResult(
                    mutation_seq=e.seq,
                    status=MutationStatus.APPLIED,
                    collection=e.collection,
                    record_id=e.record_id,
                    version=1,
                )
                for e in entries
            ]
            record_results(s, results, SyncReport())
            return len(results)

    return on_db(work)


@pytest.fixture
def entities() -> list[dict[str, object]]:
    return list(generate_entities(2, seed=11))


@pytest.fixture
def field_services(services: AppServices, on_db, entities) -> AppServices:
    """Services with a fixed clock and two tasks, their checklist and entities pulled in."""
    changes = [
        PulledChange(
            "entities",
            str(e["uscc"]),
            1,
            False,
            {
                "uscc": e["uscc"],
                "name": e["name"],
                "legal_representative": "王五",
                "address": "长治市潞州区英雄中路 1 号",
                "industry": "批发和零售业",
                "credit_grade": "C",
                "lists": [
                    {
                        "list": "key_attention",
                        "basis": "长治市市场监管局认定",
                        "since": "2025-01-06",
                    }
                ]
                if n == 0
                else [],
            },
        )
        for n, e in enumerate(entities)
    ]
    changes.append(
        PulledChange(
            "checklists",
            CHECKLIST,
            1,
            False,
            {
                "domain": "企业信息公示",
                "title": "企业公示信息抽查检查表",
                "legal_basis": "《企业信息公示暂行条例》",
                "items": [{"no": n, "item": i, "legal_basis": b} for n, i, b in ITEMS],
            },
        )
    )
    for n, (task_id, due) in enumerate((("T-1", "2025-06-20"), ("T-2", "2025-07-04"))):
        e = entities[n]
        changes.append(
            PulledChange(
                "inspection_tasks",
                task_id,
                1,
                False,
                {
                    "draw_id": "D-1",
                    "draw_title": "2025年第二季度双随机抽查",
                    "uscc": e["uscc"],
                    "entity_name": e["name"],
                    "inspectors": ["tester", "colleague"],
                    "checklist_id": CHECKLIST,
                    "assigned_on": "2025-06-03",
                    "due_on": due,
                    "due_note": None,
                    "status": "assigned",
                },
            )
        )
    pull(services, on_db, changes)
    return dataclasses.replace(
        services, inspections=InspectionService(services.store, "tester", clock=lambda: NOW)
    )


@pytest.fixture
def page(
    field_services: AppServices, tasks: TaskManager, profile: ProfilePaths, qtbot, app
) -> InspectionsPage:
    widget = InspectionsPage(field_services, tasks, Settings(), profile)
    qtbot.addWidget(widget)
    widget.resize(1440, 900)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: widget.model.rowCount() == 2, timeout=5000)
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=5000)
    return widget


def jpeg(path: Path, color: str, size: tuple[int, int] = (640, 480)) -> Path:
    """A small real JPEG."""
    image = QImage(size[0], size[1], QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    assert image.save(str(path), "JPEG", 80)
    return path


def show_task(qtbot, page: InspectionsPage, task_id: str) -> None:
    row = page.proxy.mapFromSource(page.model.index(page.model.row_of(task_id), 0)).row()
    with qtbot.waitSignal(page.task_shown, timeout=5000) as shown:
        page.table.selectRow(row)
    assert shown.args == [task_id]


def answer(page: InspectionsPage, no: int, result: ItemResult | None, note: str = "") -> None:
    model = page.form.answers
    assert model.setData(model.index(no - 1, ANS_RESULT), result.value if result else "")
    if note:
        assert model.setData(model.index(no - 1, ANS_NOTE), note)


def icon_color(page: InspectionsPage, row: int) -> QColor:
    """The colour in the middle of a photo's thumbnail."""
    icon = page.photos.list.item(row).icon()
    return icon.pixmap(64, 64).toImage().pixelColor(32, 32)


def wait_idle(qtbot, tasks: TaskManager) -> None:
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)


def by_record(on_db, services: AppServices, task_id: str) -> list[InspectionView]:
    return on_db(lambda: services.inspections.for_task(task_id))


# -- the main flow ---------------------------------------------------------------------------


def test_full_inspection_offline_photos_print_sync_amend_and_reinspect(
    qtbot,
    page: InspectionsPage,
    field_services: AppServices,
    tasks: TaskManager,
    on_db,
    entities,
    tmp_path: Path,
) -> None:
    name = str(entities[0]["name"])
    assert "离线可用" in page.banner.text() and "2 项检查任务" in page.banner.text()
    assert page.model.index(0, COL_STATUS).data() == "待检查"
    assert page.model.index(0, COL_SYNC).data() == "—"
    assert page.unpublished.rowCount() == 0

    # The entity: facts, the list with its measures, the grade marked internal.
    show_task(qtbot, page, "T-1")
    assert page.name_label.text() == name
    assert page.fact_labels["representative"].text() == "王五"
    assert page.grade_label.text() == "内部风险分类（仅供执法人员参阅）：C"
    assert page.lists.rowCount() == 1
    assert page.lists.index(0, 0).data() == "重点关注对象名单"
    assert page.history.rowCount() == 0
    assert not page.print_button.isEnabled() and page.save_button.isEnabled()

    # The form starts empty, at the entity's address; nothing can be photographed yet.
    form = page.form
    assert form.record_id is None and form.answers.rowCount() == 3
    assert form.location_edit.text() == "长治市潞州区英雄中路 1 号"
    assert form.publish_check.isChecked()
    assert not form.deadline_spin.isEnabled() and not form.warning_edit.isEnabled()
    page.photos.choose_photos()  # refused before any dialog opens
    assert page.message.kind == "warning" and "请先保存检查记录" in page.message.text()

    form.date_edit.setDate(QDate(2025, 6, 10))
    type_text(qtbot, form.rep_name_edit, "王五")
    type_text(qtbot, form.rep_role_edit, "法定代表人")

    # Item 1 through the result delegate, as a user picks it from the combo.
    page.tabs.setCurrentIndex(1)
    index = form.answers.index(0, ANS_RESULT)
    form.answers_view.edit(index)
    editors = form.answers_view.findChildren(QComboBox)
    assert len(editors) == 1
    editor = editors[0]
    assert [editor.itemText(i) for i in range(editor.count())] == [
        "未填写",
        "合格",
        "不合格",
        "不涉及",
    ]
    editor.setCurrentIndex(1)
    editor.activated.emit(1)
    assert index.data() == "合格"
    answer(page, 2, ItemResult.PASS)

    # Item 3 left blank: the service's message, nothing saved.
    with qtbot.waitSignal(tasks.idle, timeout=5000):
        page.save()
    assert page.message.kind == "error"
    assert "尚未填写检查结果：第3项" in page.message.text()
    assert by_record(on_db, field_services, "T-1") == []

    # Item 3 failed, a finding tied to it, 责令整改 in 10 working days.
    answer(page, 3, ItemResult.FAIL)
    type_text(qtbot, form.finding_edit, "登记住所无法联系")
    form.severity_combo.setCurrentIndex(form.severity_combo.findData("serious"))
    form.item_combo.setCurrentIndex(form.item_combo.findData(3))
    qtbot.mouseClick(form.add_finding_button, Qt.MouseButton.LeftButton)
    assert form.findings.rowCount() == 1
    assert [form.findings.index(0, c).data() for c in range(3)] == [
        "登记住所无法联系",
        "严重",
        "3. 登记的住所（经营场所）能否联系",
    ]
    form.outcome_buttons[Outcome.RECTIFY].click()
    assert form.deadline_spin.isEnabled() and not form.warning_edit.isEnabled()
    form.deadline_spin.setValue(10)

    page.save_button.setFocus()
    with qtbot.waitSignal(page.saved, timeout=10_000) as saved:
        qtbot.keyClick(page.save_button, Qt.Key.Key_S, CTRL)
    record_id = saved.args[0]
    view = page.current
    assert view is not None and view.record_id == record_id
    assert view.outcome is Outcome.RECTIFY
    assert view.deadline == date(2025, 6, 24)  # 10 working days after the inspection day
    assert [(f.description, f.severity, f.item_no) for f in view.findings] == [
        ("登记住所无法联系", "serious", 3)
    ]
    assert page.message.kind == "success"
    assert page.sync_badge.text() == "待同步" and not page.unpublished_badge.isVisibleTo(page)
    row = page.model.row_of("T-1")
    assert page.model.index(row, COL_STATUS).data() == "检查中"
    assert page.model.index(row, COL_SYNC).data() == "待同步"
    assert page.print_button.isEnabled() and page.notice_button.isEnabled()
    assert not page.amend_button.isEnabled()

    # Photos: two good ones and a text file named .jpg; the good ones are kept.
    good = [jpeg(tmp_path / "a.jpg", "#4caf50"), jpeg(tmp_path / "b.jpg", "#2196f3")]
    bad = tmp_path / "bad.jpg"
    bad.write_text("这不是照片", encoding="utf-8")
    page.tabs.setCurrentIndex(2)
    with qtbot.waitSignal(page.photos_added, timeout=10_000) as added:
        page.import_photos([*good, bad])
    assert added.args == [2]
    assert page.message.kind == "warning" and "bad.jpg" in page.message.text()
    assert page.photos.list.count() == 2
    placeholder = QColor("#eceff1")
    qtbot.waitUntil(
        lambda: all(icon_color(page, i) != placeholder for i in range(2)), timeout=10_000
    )
    colours = sorted(icon_color(page, i).name() for i in range(2))
    assert colours[0].startswith("#2") and colours[1].startswith("#4")  # blue and green
    assert page.photos.list.item(0).text() == "拍摄时间未知"

    # A folder: its images only.
    folder = tmp_path / "camera"
    folder.mkdir()
    jpeg(folder / "IMG_0001.JPG", "#ff9800", (1200, 900))
    (folder / "notes.txt").write_text("现场笔记", encoding="utf-8")
    with qtbot.waitSignal(page.photos_added, timeout=10_000) as added:
        page.import_folder(folder)
    assert added.args == [1]
    assert page.photos.list.count() == 3 and len(page.current.photos) == 3

    # Double-click: the larger view, decoded on the render worker.
    with qtbot.waitSignal(page.photo_opened, timeout=5000) as opened:
        page.photos.list.itemDoubleClicked.emit(page.photos.list.item(2))
    dialog = opened.args[0]
    assert isinstance(dialog, PhotoPreviewDialog)
    qtbot.waitUntil(lambda: not dialog.image_label.pixmap().isNull(), timeout=10_000)
    assert dialog.image_label.pixmap().width() == 1200
    dialog.close()

    # Remove one.
    page.photos.list.setCurrentRow(0)
    assert page.photos.remove_button.isEnabled()
    with qtbot.waitSignal(page.changed, timeout=5000):
        qtbot.mouseClick(page.photos.remove_button, Qt.MouseButton.LeftButton)
    assert page.photos.list.count() == 2 and len(page.current.photos) == 2

    # Printing: the on-site record (Ctrl+P) and the rectification notice.
    page.activateWindow()
    page.save_button.setFocus()
    qtbot.waitUntil(page.save_button.hasFocus, timeout=2000)
    with qtbot.waitSignal(page.preview_opened, timeout=10_000) as previewed:
        qtbot.keyClick(page.save_button, Qt.Key.Key_P, CTRL)
    preview = previewed.args[0]
    assert isinstance(preview, DocumentPreviewDialog)
    assert "现场检查记录" in preview.prepared.document.title
    with qtbot.waitSignal(page.preview_opened, timeout=10_000) as previewed:
        qtbot.mouseClick(page.notice_button, Qt.MouseButton.LeftButton)
    assert "整改" in previewed.args[0].prepared.document.title
    previewed.args[0].close()

    # The signed paper record, scanned.
    scan = tmp_path / "signed.pdf"
    scan.write_bytes(b"%PDF-1.4\n% signed on-site record\n")
    with qtbot.waitSignal(page.changed, timeout=5000):
        page.attach_scan_file(scan)
    assert page.current.signed_scans == 1
    assert "签字扫描件 1 份" in page.record_info.text()

    # An interview.
    page.tabs.setCurrentIndex(3)
    page.interview_kind.setCurrentIndex(page.interview_kind.findData("reminder"))
    page.interview_date.setDate(QDate(2025, 6, 10))
    type_text(qtbot, page.interview_participants, "张三（执法人员）、王五（法定代表人）")
    type_text(qtbot, page.interview_content, "告知逾期未整改的后果")
    with qtbot.waitSignal(page.interview_recorded, timeout=5000):
        qtbot.mouseClick(page.interview_button, Qt.MouseButton.LeftButton)
    assert page.message.kind == "success" and "提示约谈" in page.message.text()
    assert page.interview_content.toPlainText() == ""

    # Synced: read-only except by a correction, and listed as not published yet.
    assert push_all(field_services, on_db) > 0
    with qtbot.waitSignal(page.tasks_loaded, timeout=5000):
        page.refresh()
    with qtbot.waitSignal(page.task_shown, timeout=5000):
        page.show_task("T-1")
    assert page.current is not None and page.current.synced
    assert page.sync_badge.text() == "已同步"
    assert page.unpublished_badge.isVisibleTo(page) and page.unpublished_badge.text() == "未公开"
    assert page.unpublished.rowCount() == 1
    assert page.unpublished.index(0, 1).data() == name
    assert page.model.index(page.model.row_of("T-1"), COL_STATUS).data() == "已完成"
    assert page.model.index(page.model.row_of("T-1"), COL_SYNC).data() == "已同步"
    assert not page.save_button.isEnabled() and page.amend_button.isEnabled()
    assert form.deadline_spin.value() == 10 and "2025-06-24" in form.deadline_note.text()
    assert not page.photos.import_button.isEnabled()

    # A correction needs a reason.
    form.location_edit.setText("长治市潞州区英雄中路 1 号（经营场所）")
    amend = page.ask_amend()
    assert isinstance(amend, AmendDialog)
    type_text(qtbot, amend.reason_edit, "笔误")
    qtbot.mouseClick(amend.ok_button, Qt.MouseButton.LeftButton)
    assert amend.isVisible() and amend.message.kind == "warning"
    type_text(qtbot, amend.reason_edit, "：检查地点录入不完整")
    with qtbot.waitSignal(page.saved, timeout=10_000) as saved:
        qtbot.mouseClick(amend.ok_button, Qt.MouseButton.LeftButton)
    assert saved.args == [record_id]
    assert page.current.location == "长治市潞州区英雄中路 1 号（经营场所）"
    assert len(page.current.amendments) == 1
    assert "已更正 1 次" in page.record_info.text()

    # Published by the platform: no longer listed.
    assert push_all(field_services, on_db) > 0
    pull(
        field_services,
        on_db,
        [
            PulledChange(
                "public_inspections",
                "PUB-1",
                1,
                False,
                {"uscc": entities[0]["uscc"], "source": record_id, "published_on": "2025-06-12"},
            )
        ],
    )
    with qtbot.waitSignal(page.tasks_loaded, timeout=5000):
        page.refresh()
    with qtbot.waitSignal(page.task_shown, timeout=5000):
        page.show_task("T-1")
    assert page.unpublished.rowCount() == 0
    assert not page.unpublished_badge.isVisibleTo(page)

    # 复查: a new result from the first one; the failed item is to be checked again.
    page.start_reinspection()
    assert form.record_id is None and form.reinspection_of == record_id
    assert [a.result for a in form.answers.answers()] == [ItemResult.PASS, ItemResult.PASS, None]
    assert page.record_combo.currentText() == "新的复查记录（未保存）"
    assert page.save_button.isEnabled()
    form.date_edit.setDate(QDate(2025, 6, 10))
    answer(page, 3, ItemResult.PASS)
    form.outcome_buttons[Outcome.NO_PROBLEM].click()
    with qtbot.waitSignal(page.saved, timeout=10_000) as saved:
        page.save()
    assert page.message.kind == "success", page.message.text()
    second = saved.args[0]
    assert second != record_id
    results = by_record(on_db, field_services, "T-1")
    assert {r.record_id: r.reinspection_of for r in results} == {
        record_id: None,
        second: record_id,
    }
    assert page.record_combo.count() == 2
    wait_idle(qtbot, tasks)


def test_task_filter_and_keyboard(qtbot, page: InspectionsPage, field_services, on_db) -> None:
    assert page.count_label.text() == "共 2 项任务"
    page.state_combo.setCurrentIndex(page.state_combo.findData(TaskFilterModel.DONE))
    assert page.proxy.rowCount() == 0
    page.state_combo.setCurrentIndex(page.state_combo.findData(TaskFilterModel.PENDING))
    assert page.proxy.rowCount() == 2

    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, CTRL)
    assert page.search_edit.hasFocus()
    type_text(qtbot, page.search_edit, "T-2")  # not a searchable field
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 0, timeout=2000)
    page.search_edit.clear()
    uscc = page.model.task_at(1).uscc
    type_text(qtbot, page.search_edit, uscc[-6:])
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1, timeout=2000)
    assert page.count_label.text() == "显示 1 项，共 2 项"


def test_warning_needs_its_content_and_shows_the_service_message(
    qtbot, page: InspectionsPage, field_services, tasks: TaskManager, on_db
) -> None:
    show_task(qtbot, page, "T-2")
    form = page.form
    form.date_edit.setDate(QDate(2025, 6, 10))
    form.answers.set_all(ItemResult.FAIL)
    assert form.answers.index(0, ANS_RESULT).data() == "不合格"
    for no in (1, 2, 3):
        answer(page, no, ItemResult.FAIL, "现场核实不符")
    form.outcome_buttons[Outcome.WARNING].click()
    assert form.warning_edit.isEnabled() and form.deadline_spin.isEnabled()
    with qtbot.waitSignal(tasks.idle, timeout=5000):
        page.save()
    assert page.message.kind == "error" and "警示内容" in page.message.text()
    assert by_record(on_db, field_services, "T-2") == []

    type_text(qtbot, form.warning_edit, "年度报告未公示，限期补报")
    with qtbot.waitSignal(page.saved, timeout=10_000):
        page.save()
    assert page.current is not None and page.current.outcome is Outcome.WARNING
    assert page.current.warning_id is not None
    assert page.notice_button.isEnabled()


# -- models ----------------------------------------------------------------------------------


def _task(task_id: str, status: str, due: date | None) -> TaskView:
    return TaskView(
        task_id=task_id,
        uscc="91140400MA0K000001",
        entity_name=f"主体{task_id}",
        draw_title="批次",
        assigned_on=date(2025, 6, 1),
        due_on=due,
        checklist_id=CHECKLIST,
        status=status,
        result_id=None,
        address="",
        legal_representative="",
        industry="",
        credit_grade=None,
        lists=(),
        history=(),
        open_rectifications=0,
    )


def test_models_pass_the_model_tester(qtmodeltester, qapp) -> None:
    tasks_model = TaskTableModel()
    tasks_model.set_rows(
        [_task("A", "assigned", date(2020, 1, 2)), _task("B", "done", None)], {"B": True}
    )
    qtmodeltester.check(tasks_model)
    assert tasks_model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None  # overdue
    assert tasks_model.index(1, COL_SYNC).data() == "已同步"
    proxy = TaskFilterModel()
    proxy.setSourceModel(tasks_model)
    proxy.set_state(TaskFilterModel.DONE)
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 1

    checklist = Checklist(
        CHECKLIST, "领域", "检查表", "依据", tuple(ChecklistItem(n, i, b) for n, i, b in ITEMS)
    )
    answers = AnswersModel()
    answers.set_checklist(checklist, [ItemAnswer(2, ItemResult.NOT_APPLICABLE, "无")])
    qtmodeltester.check(answers)
    assert answers.index(1, ANS_RESULT).data() == "不涉及"
    assert answers.index(0, ANS_RESULT).data() == "未填写"
    assert answers.flags(answers.index(0, 0)) & Qt.ItemFlag.ItemIsEditable == Qt.ItemFlag(0)
    assert not answers.setData(answers.index(0, ANS_RESULT), "bogus")
    assert answers.setData(answers.index(0, ANS_RESULT), "pass")
    qtmodeltester.check(answers)
    assert answers.answers()[0] == ItemAnswer(1, ItemResult.PASS, "")

    findings = FindingsModel(answers)
    findings.add(FindingInput("问题一", "minor", 1))
    findings.add(FindingInput("问题二", "general", None))
    qtmodeltester.check(findings)
    assert findings.index(0, 2).data() == f"1. {ITEMS[0][1]}"
    assert findings.remove(0) and not findings.remove(5)
    assert findings.findings() == (FindingInput("问题二", "general", None),)

    past = past_results_model()
    past.set_rows([PastResult("R1", "2024-05-01", "责令整改", "已整改", "2024-05-20", True)])
    qtmodeltester.check(past)
    assert past.index(0, 4).data() == "整改中"
    lists = lists_model()
    lists.set_rows([ListMembership("red", "红名单", "依据", "2024-01-01", measures=("优先办理",))])
    qtmodeltester.check(lists)
    qtmodeltester.check(unpublished_model())


def test_unsaved_edits_are_not_dropped_by_switching_tasks(qtbot, page: InspectionsPage) -> None:
    asked: list[bool] = []
    answers = iter((False, True))

    def confirm() -> bool:
        asked.append(True)
        return next(answers)

    page.confirm_discard = confirm
    show_task(qtbot, page, "T-1")
    assert not page.unsaved  # loading a task is not an edit
    show_task(qtbot, page, "T-2")
    assert asked == []  # nothing typed: no question
    show_task(qtbot, page, "T-1")
    page.tabs.setCurrentIndex(1)
    type_text(qtbot, page.form.location_edit, "（后门）")
    assert page.unsaved
    row_2 = page.proxy.mapFromSource(page.model.index(page.model.row_of("T-2"), 0)).row()
    page.table.selectRow(row_2)  # "cancel": stay on T-1 with the edits
    assert asked == [True] and page.task is not None and page.task.task_id == "T-1"
    assert page.selected_task() == "T-1" and page.form.location_edit.text().endswith("（后门）")
    with qtbot.waitSignal(page.task_shown, timeout=5000) as shown:
        page.table.selectRow(row_2)  # "discard": switch
    assert shown.args == ["T-2"] and asked == [True, True] and not page.unsaved


# -- saving never blocks typing; drafts --------------------------------------------------------


def test_typing_while_a_result_saves_stays_in_the_form_and_a_second_save_queues(
    qtbot, page: InspectionsPage, field_services, tasks: TaskManager, on_db
) -> None:
    show_task(qtbot, page, "T-1")
    page.tabs.setCurrentIndex(1)
    form = page.form
    form.date_edit.setDate(QDate(2025, 6, 10))
    form.answers.set_all(ItemResult.PASS)
    type_text(qtbot, form.rep_name_edit, "王某某")
    with qtbot.waitSignal(page.saved, timeout=10_000), held_db_worker(tasks):
        qtbot.keyClick(form.location_edit, Qt.Key.Key_S, CTRL)
        # Saving: the form stays editable, and says so.
        assert form.isEnabled() and form.conclusion_edit.isEnabled()
        assert page.save_button.isEnabled()
        type_text(qtbot, form.conclusion_edit, "经营正常")
        qtbot.waitUntil(page.save_progress.isVisible, timeout=3000)
    # The first save holds what was submitted; the typing after it is still on screen.
    assert form.conclusion_edit.toPlainText() == "经营正常"
    assert page.unsaved and page.message.kind == "warning"
    stored = by_record(on_db, field_services, "T-1")
    assert len(stored) == 1 and stored[0].representative_name == "王某某"
    assert stored[0].conclusion != "经营正常"
    assert page.current is not None and page.current.record_id == stored[0].record_id

    # Ctrl+S while a save runs queues one more save, of what the form holds when it runs.
    with qtbot.waitSignal(page.saved, timeout=10_000), held_db_worker(tasks):
        qtbot.keyClick(form.location_edit, Qt.Key.Key_S, CTRL)
        type_text(qtbot, form.conclusion_edit, "，无问题")
        qtbot.keyClick(form.location_edit, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: not page.unsaved, timeout=10_000)
    qtbot.waitUntil(lambda: tasks.pending == 0, timeout=10_000)
    stored = by_record(on_db, field_services, "T-1")
    assert len(stored) == 1 and stored[0].conclusion == "经营正常，无问题"
    assert form.conclusion_edit.toPlainText() == "经营正常，无问题"
    assert page.message.kind == "success" and not page.save_progress.isVisible()
    assert on_db(lambda: field_services.drafts.load("inspection.result")) is None


def test_an_inspection_draft_is_kept_and_offered_back(
    qtbot, field_services, tasks: TaskManager, profile: ProfilePaths, on_db, app
) -> None:
    first = InspectionsPage(field_services, tasks, Settings(), profile)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitUntil(lambda: first.model.rowCount() == 2, timeout=5000)
    show_task(qtbot, first, "T-2")
    first.tabs.setCurrentIndex(1)
    answer(first, 1, ItemResult.FAIL, "未公示")
    first.form.outcome_buttons[Outcome.RECTIFY].click()
    with qtbot.waitSignal(first.drafts.written, timeout=5000):
        type_text(qtbot, first.form.conclusion_edit, "责令十日内补报")
    with qtbot.waitSignal(first.drafts.written, timeout=5000):
        type_text(qtbot, first.form.finding_edit, "未按时公示年报")
    first.close()

    # The next start (a new page on the same store) offers the draft back.
    page = InspectionsPage(field_services, tasks, Settings(), profile)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.restore_offered, timeout=5000) as offered:
        page.show()
    box = offered.args[0]
    assert "检查记录" in box.text()
    with qtbot.waitSignal(page.task_shown, timeout=5000):
        next(b for b in box.buttons() if b.text() == "恢复").click()
    form = page.form
    assert page.task is not None and page.task.task_id == "T-2"
    assert page.tabs.currentIndex() == 1 and page.unsaved
    assert form.conclusion_edit.toPlainText() == "责令十日内补报"
    assert form.finding_edit.text() == "未按时公示年报"
    assert form.outcome() is Outcome.RECTIFY
    assert form.answers.answers()[0] == ItemAnswer(1, ItemResult.FAIL, "未公示")
    assert form.answers.answers()[1].result is None
