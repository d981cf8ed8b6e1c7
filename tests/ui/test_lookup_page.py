from __future__ import annotations

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from desktop_app.domain.uscc import generate_uscc
from desktop_app.services.app import AppServices
from desktop_app.services.entities import LookupResult
from ui.pages.lookup import LookupPage
from ui.taskman import TaskManager

from .conftest import type_text


@pytest.fixture
def page(seeded_services: AppServices, tasks: TaskManager, qtbot, app) -> LookupPage:
    widget = LookupPage(seeded_services, tasks)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _search(qtbot, page: LookupPage, text: str, *, enter: bool = True) -> LookupResult:
    page.search_edit.clear()
    with qtbot.waitSignal(page.search_finished, timeout=5000) as blocker:
        type_text(qtbot, page.search_edit, text)
        if enter:
            qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    return blocker.args[0]


def _wrong_check_digit(code: str) -> str:
    return code[:17] + ("1" if code[17] != "1" else "2")


def _first_row(on_db, services: AppServices, query: str = "太行"):
    return on_db(lambda: services.lookup.rows(services.lookup.lookup(query).ids[:1]))[0]


def _unsynced(on_db, services: AppServices) -> int:
    return on_db(services.status.snapshot).unsynced_changes


def test_name_fragment_shows_results_and_selecting_shows_card(qtbot, page, seeded_services, on_db):
    result = _search(qtbot, page, "太行")
    assert result.kind == "name"
    assert page.model.rowCount() == len(result.ids) > 1
    assert page.status_label.text().startswith(f"共 {len(result.ids)} 条")
    assert "毫秒" in page.status_label.text()
    qtbot.waitUntil(lambda: "太行" in page.model.index(0, 1).data(), timeout=5000)

    page.table.setFocus()
    with qtbot.waitSignal(page.card_shown, timeout=5000) as shown:
        page.table.selectRow(1)
    expected = on_db(lambda: seeded_services.lookup.rows([result.ids[1]]))[0]
    assert shown.args == [expected.id]
    assert page.card.name_label.text() == expected.name
    assert page.card.isVisible()


def test_keyboard_selection_loads_the_card(qtbot, page, seeded_services):
    result = _search(qtbot, page, "上党")
    qtbot.waitUntil(lambda: "上党" in page.model.index(0, 1).data(), timeout=5000)
    page.table.setFocus()
    page.table.selectRow(0)
    with qtbot.waitSignal(page.card_shown, timeout=5000) as shown:
        qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert shown.args == [result.ids[1]]


def test_mouse_click_loads_the_card(qtbot, page):
    result = _search(qtbot, page, "太行")
    qtbot.waitUntil(lambda: "太行" in page.model.index(2, 1).data(), timeout=5000)
    rect = page.table.visualRect(page.model.index(2, 1))
    with qtbot.waitSignal(page.card_shown, timeout=5000) as shown:
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert shown.args == [result.ids[2]]


def test_truncated_name_search_says_so(qtbot, page):
    page.result_limit = 10
    result = _search(qtbot, page, "长治")
    assert result.truncated
    assert page.model.rowCount() == 10
    assert page.status_label.text().startswith("共 10 条，仅显示前 10 条")


def test_typing_searches_after_a_pause(qtbot, page):
    with qtbot.waitSignal(page.search_finished, timeout=5000) as blocker:
        type_text(qtbot, page.search_edit, "太行")
    assert blocker.args[0].query == "太行"


def test_code_with_one_match_opens_its_card(qtbot, page, seeded_services, on_db):
    row = _first_row(on_db, seeded_services)
    with qtbot.waitSignal(page.card_shown, timeout=5000):
        result = _search(qtbot, page, row.uscc.lower())
    assert result.kind == "uscc"
    assert page.card.name_label.text() == row.name
    assert page.table.selectionModel().selectedRows()[0].row() == 0


def test_wrong_check_digit_names_position_18_and_offers_override(
    qtbot, page, seeded_services, on_db
):
    row = _first_row(on_db, seeded_services)
    bad = _wrong_check_digit(row.uscc)
    result = _search(qtbot, page, bad)
    assert result.kind == "invalid_uscc"
    assert page.message.isVisible()
    assert page.message.kind == "error"
    assert "第18位" in page.message.text()
    for problem in result.problems:
        assert problem in page.message.text()
    assert page.override_button.isVisible()

    before = _unsynced(on_db, seeded_services)
    page.override_button.click()
    dialog = page.override_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.setTextValue("与营业执照原件核对一致")
    with qtbot.waitSignal(page.changed, timeout=5000):
        dialog.accept()
    assert page.message.kind == "success"
    assert bad in page.message.text()
    assert _unsynced(on_db, seeded_services) == before + 1


def test_override_without_reason_is_refused(qtbot, page, seeded_services, on_db):
    row = _first_row(on_db, seeded_services)
    _search(qtbot, page, _wrong_check_digit(row.uscc))
    page.override_button.click()
    dialog = page.override_dialog
    assert dialog is not None
    dialog.setTextValue("  ")
    dialog.accept()
    qtbot.waitUntil(lambda: page.message.text() and "第18位" not in page.message.text())
    assert page.message.kind == "error"
    assert _unsynced(on_db, seeded_services) == 0


def test_valid_code_not_in_cache_says_so(qtbot, page):
    code = generate_uscc("9", "1", "140403", "MA0000AB")
    result = _search(qtbot, page, code)
    assert result.kind == "uscc"
    assert result.ids == ()
    assert page.message.kind == "info"
    assert "本地缓存中没有该主体，请同步后重试" in page.message.text()
    assert page.model.rowCount() == 0
    assert not page.override_button.isVisible()


def test_longer_pasted_text_with_errors_shows_every_problem(qtbot, page):
    result = _search(qtbot, page, "91140403MAO0000O7X")
    assert result.kind == "invalid_uscc"
    assert len(result.problems) >= 2
    for problem in result.problems:
        assert problem in page.message.text()
    assert not page.override_button.isVisible()


def test_ctrl_f_focuses_the_search_box(qtbot, page):
    page.table.setFocus()
    page.focus_search()
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    assert QApplication.focusWidget() is page.search_edit


def test_card_is_a_credit_check_audited_with_its_purpose(qtbot, page, seeded_services, on_db):
    from sqlalchemy import select

    from desktop_app.services.forms import LocalForms
    from desktop_app.store.models import AuditRecord, Entity

    row = _first_row(on_db, seeded_services)

    def prepare() -> None:
        with seeded_services.store.write() as s:
            entity = s.get(Entity, row.id)
            entity.credit_grade = "B"
            entity.lists = [
                {"list": "serious_dishonesty", "basis": "拖欠农民工工资", "since": "2026-01-05"}
            ]
            LocalForms(s).create(
                "commitments",
                {
                    "uscc": row.uscc,
                    "kind": "tolerance",
                    "status": "signed",
                    "matter": "食品经营许可",
                    "signed_on": "2026-11-30",
                    "publish": True,
                },
            )

    on_db(prepare)
    page.purpose_combo.setCurrentIndex(1)  # 容缺受理审查
    _search(qtbot, page, row.uscc)
    qtbot.waitUntil(lambda: page.card.card is not None and page.card.card.id == row.id)
    card = page.card
    assert "不可适用容缺受理" in card.tolerance_label.text()
    assert "严重失信主体名单" in card.tolerance_label.text()
    texts = card.list_texts()
    assert len(texts) == 1 and "失信联合" not in texts[0] and "招标投标" in texts[0]
    assert "食品经营许可" in card.commitments_label.text()
    assert "在履行" in card.commitments_label.text() and "本厅" in card.commitments_label.text()
    assert "暂无公示期内的失信记录、警示或约谈" in card.alerts_label.text()
    # No risk class anywhere on the card (it is for supervisors).
    assert not hasattr(card, "grade_label")
    assert "风险分类" not in " ".join(w.text() for w in card.findChildren(QLabel))

    def last_audit() -> tuple[str, str, dict]:
        with seeded_services.store.read() as s:
            a = s.scalars(select(AuditRecord).order_by(AuditRecord.id.desc()).limit(1)).one()
            return a.action, a.subject_id, a.details

    assert on_db(last_audit) == ("entity.viewed", row.uscc, {"purpose": "容缺受理审查"})
    with qtbot.waitSignal(page.commitment_requested, timeout=2000) as asked:
        qtbot.mouseClick(card.commitment_button, Qt.MouseButton.LeftButton)
    assert asked.args == [row.uscc]


def test_card_marks_a_disputed_record_and_names_the_hall_that_made_it(qtbot) -> None:
    from datetime import datetime

    from desktop_app.services.entities import CommitmentSummary, EntityCard, RecordSummary
    from ui.widgets.entity_card import EntityCardWidget

    widget = EntityCardWidget()
    qtbot.addWidget(widget)
    card = EntityCard(
        id=1,
        uscc="91140403MA0L000011",
        name="长治市示例有限公司",
        legal_representative="郗昶",
        address="",
        region_code="140403",
        region="潞州区",
        industry="",
        status="存续",
        registration_authority="",
        entity_category="",
        lists=(),
        version=1,
        updated_at=datetime(2026, 12, 4, 8, 0),
        code_warnings=(),
        commitments=(
            CommitmentSummary(
                record_id="c1",
                matter="纳税信用补评",
                kind_label="告知承诺",
                status_label="已违诺",
                signed_on="2026-09-05",
                deadline="",
                is_open=False,
                is_breach=True,
                authority="国家税务总局长治市上党区税务局",
                mark="异议处理中",
            ),
        ),
        records=(
            RecordSummary(
                kind="dishonesty",
                title="虚假承诺：纳税信用补评",
                decided_on="2026-10-25",
                shown_until="2027-10-25",
                severity="一般",
                mark="信用修复办理中",
            ),
        ),
        legal_representative_id="140404********0453",
    )
    widget.set_card(card)
    commitments, alerts = widget.commitments_label.text(), widget.alerts_label.text()
    assert "异议处理中</b>" in commitments and "&lt;b" not in commitments
    assert "国家税务总局长治市上党区税务局" in commitments
    assert "信用修复办理中</b>" in alerts and "&lt;b" not in alerts
    assert "公示至 2027-10-25" in alerts
    assert widget._fields["legal_representative"].text() == "郗昶（140404********0453）"
