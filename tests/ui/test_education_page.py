"""The 诚信教育 page: sessions, keyboard check-in, printing, figures; PDFs read back."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox

from desktop_app.config import ProfilePaths, Settings
from desktop_app.domain.uscc import generate_uscc
from desktop_app.reports.education import (
    build_attendance_certificate,
    build_attendance_sheet,
)
from desktop_app.services.app import AppServices
from desktop_app.services.education import (
    Attendee,
    EducationService,
    EducationSession,
    EducationStats,
    MonthStats,
    PlaceStats,
    SessionDraft,
)
from desktop_app.store.models import Entity
from tests.pdf_tools import pdffonts, pdftotext
from tests.ui.conftest import type_text
from tests.ui.holding import held_db_worker
from ui.models.education_models import AttendeesModel, MonthlyStatsModel, SessionsModel
from ui.pages.education import EducationPage
from ui.printing import render_pdf
from ui.printing.preview import DocumentPreviewDialog
from ui.taskman import TaskManager

LEFT = Qt.MouseButton.LeftButton
RARE_ENTITY = "长治市堃喆昇玥镕赟商贸有限公司"
RARE_PERSON = "王堃喆"
ROOM = "潞州区政务服务中心三楼培训室"
HALL = "长治市潞州区政务服务中心"
FULL_ID = "140402199001011235"
NEW_CODE = generate_uscc("9", "1", "140403", "00000731")


@pytest.fixture
def entity(seeded_services: AppServices, on_db) -> tuple[str, str]:
    """The first cached entity, renamed with rare characters: (uscc, name)."""

    def work() -> tuple[str, str]:
        with seeded_services.store.write() as s:
            row = s.scalars(select(Entity).order_by(Entity.id).limit(1)).one()
            row.name = RARE_ENTITY
            return row.uscc, row.name

    return on_db(work)


@pytest.fixture
def page(seeded_services: AppServices, tasks: TaskManager, profile: ProfilePaths, qtbot, app):
    settings = Settings()
    settings.extra["report_issuing_unit"] = HALL
    widget = EducationPage(seeded_services, tasks, settings, profile)
    qtbot.addWidget(widget)
    widget.resize(1280, 860)
    with qtbot.waitSignal(widget.sessions_loaded, timeout=5000):
        widget.show()
    qtbot.waitExposed(widget)
    return widget


def _draft(**over: object) -> SessionDraft:
    fields: dict[str, object] = {
        "title": "市场主体诚信经营第一课",
        "held_on": date.today(),
        "start_time": "09:00",
        "end_time": "11:30",
        "place": ROOM,
        "facilitator": "李玥",
        "materials": ["信用承诺告知书样本"],
    }
    fields.update(over)
    return SessionDraft(**fields)  # type: ignore[arg-type]


def _create_on_page(qtbot, page: EducationPage, title: str) -> str:
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert page.form_box.title() == "新建场次" and page.title_edit.hasFocus()
    type_text(qtbot, page.title_edit, title)
    page.date_edit.setDate(QDate.currentDate())
    page.place_edit.setText(ROOM)
    type_text(qtbot, page.facilitator_edit, "李玥")
    page.materials_edit.setPlainText("信用承诺告知书样本\n\n诚信经营案例汇编")
    page.capacity_spin.setValue(30)
    with (
        qtbot.waitSignal(page.session_saved, timeout=5000) as saved,
        qtbot.waitSignal(page.sessions_loaded, timeout=5000),
    ):
        qtbot.keyClick(page.title_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    return str(saved.args[0])


def _check_in(qtbot, page: EducationPage, code: str, name: str, **extra: str) -> None:
    """Type (or 'scan') a code, press Enter, type the name, press Enter."""
    page.code_edit.clear()
    page.code_edit.setFocus()
    type_text(qtbot, page.code_edit, code)
    qtbot.keyClick(page.code_edit, Qt.Key.Key_Return)
    assert page.name_edit.hasFocus()  # the scanner's Enter moves on to the name
    if "entity" in extra:
        page.entity_edit.setText(extra["entity"])
    if "phone" in extra:
        page.phone_edit.setText(extra["phone"])
    if "id_number" in extra:
        page.id_edit.setText(extra["id_number"])
    if "role" in extra:
        page.role_combo.setCurrentText(extra["role"])
    type_text(qtbot, page.name_edit, name)
    with (
        qtbot.waitSignal(page.checked_in, timeout=5000),
        qtbot.waitSignal(page.attendees_loaded, timeout=5000),
    ):
        qtbot.keyClick(page.name_edit, Qt.Key.Key_Return)


def test_models_pass_the_model_tester(qtmodeltester) -> None:
    held = EducationSession(
        "s1", "诚信第一课", date(2026, 11, 27), "09:00", "11:00", ROOM, "李玥", (), 30, 2, False
    )
    sessions = SessionsModel()
    sessions.set_rows([held, EducationSession(**{**held.__dict__, "id": "s2", "capacity": None})])
    qtmodeltester.check(sessions)
    assert sessions.data(sessions.index(0, 5)) == "2/30"
    assert sessions.data(sessions.index(1, 5)) == "2" and sessions.row_of("s2") == 1
    person = Attendee(
        "a1",
        "s1",
        "",
        "",
        RARE_PERSON,
        "经办人",
        "13812345678",
        "",
        "2026-11-27T09:05:31+08:00",
        True,
    )
    attendees = AttendeesModel()
    attendees.set_rows([person])
    qtmodeltester.check(attendees)
    assert [attendees.data(attendees.index(0, c)) for c in range(8)] == [
        "1",
        "（未登记主体）",
        "—",
        RARE_PERSON,
        "经办人",
        "138****5678",
        "09:05:31",
        "已同步",
    ]
    months = tuple(MonthStats(m, int(m == 3), 2 * int(m == 3), int(m == 3)) for m in range(1, 13))
    stats = MonthlyStatsModel()
    stats.set_stats(EducationStats(2026, months, (PlaceStats(ROOM, 1, 2, 1),), 1, 2, 1))
    qtmodeltester.check(stats)
    assert stats.rowCount() == 2
    assert [stats.data(stats.index(1, c)) for c in range(4)] == ["合计", "1", "2", "1"]
    assert stats.data(stats.index(0, 0)) == "3月"


def test_new_session_then_quick_check_in_by_keyboard(
    qtbot, page: EducationPage, entity: tuple[str, str], on_db, seeded_services: AppServices
) -> None:
    uscc, name = entity
    assert not page.code_edit.isEnabled()  # nothing to check in to yet
    session_id = _create_on_page(qtbot, page, "诚信经营第一课")
    assert page.selected_session_id() == session_id
    assert page.message.kind == "success" and "诚信经营第一课" in page.message.text()
    assert page.code_edit.isEnabled() and page.code_edit.hasFocus()
    held = on_db(lambda: seeded_services.education.get(session_id))
    assert held.materials == ("信用承诺告知书样本", "诚信经营案例汇编") and held.capacity == 30

    # A scanned licence QR text, then Enter, then the name, then Enter.
    _check_in(
        qtbot,
        page,
        f"https://www.gsxt.gov.cn/x?uniscid={uscc}&entname=abc",
        RARE_PERSON,
        phone="13812345678",
        id_number=FULL_ID,
        role="法定代表人",
    )
    assert page.message.kind == "success" and RARE_PERSON in page.message.text()
    assert page.code_edit.hasFocus() and page.code_edit.text() == ""  # ready for the next
    assert page.name_edit.text() == "" and page.role_combo.currentText() == "经办人"
    model = page.attendees_model
    assert model.rowCount() == 1
    assert model.data(model.index(0, 1)) == name and model.data(model.index(0, 2)) == uscc
    assert model.data(model.index(0, 5)) == "138****5678"
    stored = on_db(lambda: seeded_services.education.attendees(session_id))
    assert stored[0].id_number == "140402********1235" and stored[0].role == "法定代表人"

    # A new entrant not in the local cache: allowed, with a warning.
    _check_in(qtbot, page, NEW_CODE, "赵昇", entity="长治市新设镕赟餐饮有限公司")
    assert page.message.kind == "warning" and "本地主体库中没有该代码" in page.message.text()
    assert model.rowCount() == 2
    qtbot.waitUntil(lambda: page.sessions_model.data(page.sessions_model.index(0, 5)) == "2/30")
    assert not page.delete_button.isEnabled()


def test_bad_input_shows_clear_messages_and_saves_nothing(
    qtbot, page: EducationPage, entity: tuple[str, str], on_db, seeded_services: AppServices
) -> None:
    uscc, _name = entity
    page.new_session()
    page.save_session()
    assert page.message.kind == "warning" and "请填写培训主题" in page.message.text()
    session_id = _create_on_page(qtbot, page, "诚信经营第一课")

    page.code_edit.setText(uscc[:17] + ("0" if uscc[17] != "0" else "1"))
    page.name_edit.setText("王昇")
    page.check_in()
    qtbot.waitUntil(lambda: page.message.kind == "error", timeout=5000)
    assert "统一社会信用代码有误" in page.message.text() and "第18位校验码" in page.message.text()
    assert page.check_in_button.isEnabled()

    page.message.clear_message()
    page.code_edit.setText(uscc)
    page.phone_edit.setText("12345")
    page.check_in()
    qtbot.waitUntil(lambda: page.message.kind == "error", timeout=5000)
    assert "联系电话" in page.message.text()

    page.phone_edit.clear()
    page.name_edit.clear()
    page.check_in()
    assert page.message.kind == "warning" and "请填写参训人姓名" in page.message.text()
    assert page.name_edit.hasFocus()
    assert on_db(lambda: seeded_services.education.attendees(session_id)) == []

    # The same person twice.
    _check_in(qtbot, page, uscc, "王昇")
    page.code_edit.setText(uscc)
    page.name_edit.setText("王昇")
    page.check_in()
    qtbot.waitUntil(lambda: page.message.kind == "error", timeout=5000)
    assert "无需重复签到" in page.message.text()
    assert len(on_db(lambda: seeded_services.education.attendees(session_id))) == 1


def test_sessions_are_filtered_by_month_edited_and_deleted(
    qtbot, page: EducationPage, on_db, seeded_services: AppServices
) -> None:
    education = seeded_services.education
    old = on_db(lambda: education.create_session(_draft(held_on="2025-05-06", title="去年五月场")))
    on_db(lambda: education.create_session(_draft(title="本月场")))
    with qtbot.waitSignal(page.sessions_loaded, timeout=5000):
        page.refresh()
    assert page.sessions_model.rowCount() == 2
    assert page.month_combo.count() == 3 and page.month_combo.itemData(2) == "2025-05"
    with qtbot.waitSignal(page.sessions_loaded, timeout=5000):
        page.month_combo.setCurrentIndex(2)
    assert [s.id for s in page.sessions_model.rows()] == [old.id]

    page.sessions_view.selectRow(0)
    assert page.form_box.title() == "场次信息" and page.title_edit.text() == "去年五月场"
    assert page.delete_button.isEnabled()
    page.title_edit.setText("去年五月场（更正）")
    with qtbot.waitSignal(page.sessions_loaded, timeout=5000):
        page.save_session()
    assert on_db(lambda: education.get(old.id)).title == "去年五月场（更正）"
    assert page.selected_session_id() == old.id

    with qtbot.waitSignal(page.session_deleted, timeout=5000):
        qtbot.mouseClick(page.delete_button, LEFT)
    assert page.message.kind == "success" and page.form_box.title() == "新建场次"
    assert [s.title for s in on_db(education.sessions)] == ["本月场"]


def test_printing_the_sheet_and_a_certificate_and_removing_a_check_in(
    qtbot, page: EducationPage, entity: tuple[str, str], on_db, seeded_services: AppServices
) -> None:
    uscc, _name = entity
    _create_on_page(qtbot, page, "诚信经营第一课")
    _check_in(qtbot, page, uscc, RARE_PERSON, phone="13812345678")
    assert page.unit_edit.text() == HALL  # from the report page's setting

    with qtbot.waitSignal(page.preview_opened, timeout=10_000) as opened:
        qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = opened.args[0]
    assert isinstance(dialog, DocumentPreviewDialog) and dialog.isVisible()
    sheet = dialog.prepared.document
    assert sheet.title == "诚信教育培训签到表"
    assert any(RARE_PERSON in row for sec in sheet.sections for b in sec.blocks
               for row in getattr(b, "rows", ()))  # fmt: skip
    dialog.close()

    assert not page.certificate_button.isEnabled()
    page.attendees_view.selectRow(0)
    assert page.certificate_button.isEnabled() and page.remove_button.isEnabled()
    with qtbot.waitSignal(page.preview_opened, timeout=10_000) as opened:
        qtbot.mouseClick(page.certificate_button, LEFT)
    certificate = opened.args[0].prepared.document
    assert certificate.title == "诚信教育参训证明" and certificate.number.startswith("JYZM-")
    opened.args[0].close()

    page.remove_selected()
    box = page.confirm_box
    assert isinstance(box, QMessageBox)
    with qtbot.waitSignal(page.attendee_removed, timeout=5000):
        box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: page.attendees_model.rowCount() == 0, timeout=5000)
    assert "已移除" in page.message.text()


def test_statistics_show_the_year(
    qtbot, page: EducationPage, entity: tuple[str, str], on_db, seeded_services: AppServices
) -> None:
    uscc, _name = entity
    education = seeded_services.education

    def seed() -> None:
        held = education.create_session(_draft(held_on="2025-03-05"))
        education.check_in(held.id, uscc, "王昇")
        education.check_in(held.id, uscc, "李玥")

    on_db(seed)
    with qtbot.waitSignal(page.stats_loaded, timeout=5000):
        page.year_spin.setValue(2025)
    model = page.stats_model
    assert [model.data(model.index(0, c)) for c in range(4)] == ["3月", "1", "2", "1"]
    assert model.data(model.index(1, 0)) == "合计"
    assert ROOM in page.places_label.text() and "2 人次" in page.places_label.text()
    with qtbot.waitSignal(page.stats_loaded, timeout=5000):
        page.year_spin.setValue(2024)
    assert "2024年尚无培训场次" in page.places_label.text()


def test_page_screenshot_renders(qtbot, page: EducationPage, entity, tmp_path: Path) -> None:
    uscc, _name = entity
    _create_on_page(qtbot, page, "市场主体诚信经营第一课")
    _check_in(qtbot, page, uscc, RARE_PERSON, phone="13812345678", role="法定代表人")
    image = page.grab()
    target = tmp_path / "education.png"
    assert image.save(str(target)) and target.stat().st_size > 10_000


# -- the printed forms, read back from real PDFs ---------------------------------------


def _flat(pdf: Path, pages: int) -> str:
    return re.sub(r"\s+", "", "\n".join(pdftotext(pdf, p) for p in range(1, pages + 1)))


def _session() -> dict[str, object]:
    return {
        "title": "市场主体诚信经营第一课",
        "held_on": "2026-11-27",
        "start_time": "09:00",
        "end_time": "11:30",
        "place": ROOM,
        "facilitator": "李玥",
        "materials": ["信用承诺告知书样本"],
        "capacity": 30,
    }


def _attendee(id_number: str) -> dict[str, object]:
    return {
        "session_id": "0" * 32,
        "uscc": NEW_CODE,
        "entity_name": RARE_ENTITY,
        "attendee_name": RARE_PERSON,
        "role": "法定代表人",
        "phone": "13812345678",
        "id_number": id_number,
        "checked_in_at": "2026-11-27T09:05:31+08:00",
    }


def test_sheet_pdf_prints_rare_names_and_masks_phone_numbers(qapp, tmp_path: Path) -> None:
    others = [
        {**_attendee(""), "attendee_name": f"参训人{n}", "phone": f"1390355{n:04d}"}
        for n in range(40)
    ]
    sheet = build_attendance_sheet(
        _session(), [_attendee("140402********1235"), *others], session_id="ab" * 16, hall=HALL
    )
    pdf = tmp_path / "sheet.pdf"
    result = render_pdf(sheet, pdf)
    assert result.missing_glyphs == () and result.pages >= 2
    flat = _flat(pdf, result.pages)
    for text in ("诚信教育培训签到表", RARE_ENTITY, RARE_PERSON, NEW_CODE, "市场主体诚信经营第一课",
                 ROOM, "签名", "主讲人（签字）", "组织单位（盖章）", HALL, "138****5678",
                 "参训人39", "免费", "前置条件", "JYQD-20261127-ABABABAB"):  # fmt: skip
        assert text in flat, text
    assert "13812345678" not in flat and "13903550039" not in flat
    assert all(emb == "yes" for _name, emb in pdffonts(pdf))


def test_certificate_pdf_states_the_facts_and_never_a_full_id(qapp, tmp_path: Path) -> None:
    # Even a profile that keeps full numbers never prints one.
    for stored in (FULL_ID, "140402********1235"):
        certificate = build_attendance_certificate(
            _session(),
            _attendee(stored),
            attendance_id="cd" * 16,
            issuing_unit=HALL,
            issued_on=date(2026, 11, 28),
        )
        pdf = tmp_path / "certificate.pdf"
        result = render_pdf(certificate, pdf)
        assert result.missing_glyphs == ()
        flat = _flat(pdf, result.pages)
        for text in ("诚信教育参训证明", RARE_ENTITY, RARE_PERSON, NEW_CODE, "2026年11月27日",
                     "市场主体诚信经营第一课", ROOM, "免费", "不作为", "前置条件", HALL,
                     "2026年11月28日", "出具单位（盖章）", "140402********1235",
                     "JYZM-20261127-CDCDCDCD"):  # fmt: skip
            assert text in flat, text
        assert FULL_ID not in flat and "13812345678" not in flat


def test_printed_forms_from_the_service_match_the_builders(
    seeded_services: AppServices, on_db
) -> None:
    education = EducationService(seeded_services.store, "clerk")

    def work() -> tuple[str, str]:
        held = education.create_session(_draft(held_on="2026-11-27"))
        person = education.check_in(held.id, NEW_CODE, RARE_PERSON, entity_name=RARE_ENTITY)
        sheet = education.attendance_sheet(held.id, HALL)
        return sheet.number, education.certificate(person.attendee.id, HALL).number

    sheet_no, certificate_no = on_db(work)
    assert sheet_no.startswith("JYQD-20261127-") and certificate_no.startswith("JYZM-20261127-")


def test_unsaved_session_edits_are_not_dropped_silently(qtbot, page: EducationPage) -> None:
    first = _create_on_page(qtbot, page, "第一场")
    second = _create_on_page(qtbot, page, "第二场")
    asked: list[bool] = []
    answers = iter((False, True))

    def confirm() -> bool:
        asked.append(True)
        return next(answers)

    page.confirm_discard = confirm
    assert page._editing == second and not page.has_unsaved()
    type_text(qtbot, page.title_edit, "（改）")
    assert page.has_unsaved()
    row = page.sessions_model.row_of(first)
    page.sessions_view.selectRow(row)  # "cancel": the edits stay
    assert asked == [True] and page._editing == second
    assert page.title_edit.text() == "第二场（改）"
    page.sessions_view.selectRow(row)  # "discard"
    assert asked == [True, True] and page._editing == first
    assert page.title_edit.text() == "第一场" and not page.has_unsaved()


# -- saving never blocks typing; drafts --------------------------------------------------------


def test_the_next_person_typed_during_a_check_in_is_kept(
    qtbot, page: EducationPage, entity: tuple[str, str], tasks: TaskManager, on_db
) -> None:
    uscc, _name = entity
    session_id = _create_on_page(qtbot, page, "诚信经营第二课")
    type_text(qtbot, page.code_edit, uscc)
    type_text(qtbot, page.name_edit, RARE_PERSON)
    with qtbot.waitSignal(page.checked_in, timeout=10_000), held_db_worker(tasks):
        qtbot.keyClick(page.name_edit, Qt.Key.Key_Return)
        # The row stays editable: the clerk scans the next person's licence meanwhile.
        assert page.code_edit.isEnabled() and page.check_in_button.isEnabled()
        page.code_edit.clear()
        type_text(qtbot, page.code_edit, NEW_CODE)
        qtbot.waitUntil(page.check_in_progress.isVisible, timeout=3000)
    assert page.code_edit.text() == NEW_CODE  # typed after the check-in began: kept
    assert page.name_edit.text() == ""  # the person checked in: cleared
    stored = on_db(lambda: page._education.attendees(session_id))
    assert [(a.attendee_name, a.uscc) for a in stored] == [(RARE_PERSON, uscc)]


def test_typing_while_a_session_saves_stays_unsaved_and_is_drafted(
    qtbot, page: EducationPage, tasks: TaskManager, on_db, seeded_services: AppServices
) -> None:
    session_id = _create_on_page(qtbot, page, "第三场")
    with qtbot.waitSignal(page.session_saved, timeout=10_000), held_db_worker(tasks):
        type_text(qtbot, page.place_edit, "（东厅）")
        qtbot.keyClick(page.title_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        assert page.save_button.isEnabled() and page.facilitator_edit.isEnabled()
        page.facilitator_edit.clear()
        type_text(qtbot, page.facilitator_edit, "王主讲")
    assert page.facilitator_edit.text() == "王主讲" and page.has_unsaved()
    assert page.message.kind == "warning" and "尚未保存" in page.message.text()
    held = on_db(lambda: seeded_services.education.get(session_id))
    assert held.place.endswith("（东厅）") and held.facilitator == "李玥"
    qtbot.waitUntil(
        lambda: (
            (d := on_db(lambda: seeded_services.drafts.load("education.session"))) is not None
            and d.fields["facilitator"] == "王主讲"
        ),
        timeout=5000,
    )


def test_session_and_check_in_drafts_are_offered_back(
    qtbot,
    seeded_services: AppServices,
    tasks: TaskManager,
    profile: ProfilePaths,
    on_db,
    app,
) -> None:
    session = on_db(lambda: seeded_services.education.create_session(_draft(title="第四场")))
    drafts = seeded_services.drafts
    on_db(lambda: drafts.save("education.checkin", {
        "session_id": session.id, "code": NEW_CODE, "entity": "长治市新设商贸有限公司",
        "name": "赵昇", "role": "法定代表人", "phone": "13800000000",
    }, "赵昇"))  # fmt: skip
    on_db(lambda: drafts.save("education.session", {
        "editing": session.id, "title": "第五场（草稿）", "held_on": "2026-12-08",
        "start_time": "14:00", "end_time": "16:00", "place": ROOM, "facilitator": "李玥",
        "materials": ["案例汇编"], "capacity": 40,
    }, "第五场（草稿）"))  # fmt: skip
    page = EducationPage(seeded_services, tasks, Settings(), profile)
    qtbot.addWidget(page)
    boxes: list[QMessageBox] = []
    page.restore_offered.connect(boxes.append)
    page.show()
    qtbot.waitUntil(lambda: len(boxes) == 2, timeout=5000)
    for box in boxes:
        next(b for b in box.buttons() if b.text() == "恢复").click()
    qtbot.waitUntil(lambda: page.selected_session_id() == session.id, timeout=5000)
    assert page.title_edit.text() == "第五场（草稿）" and page.capacity_spin.value() == 40
    assert page.start_edit.time().toString("HH:mm") == "14:00"
    assert page.date_edit.date() == QDate(2026, 12, 8) and page.has_unsaved()
    assert page.code_edit.text() == NEW_CODE and page.name_edit.text() == "赵昇"
    assert page.role_combo.currentText() == "法定代表人"
    assert page.phone_edit.text() == "13800000000"
