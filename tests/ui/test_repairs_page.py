"""信用修复与异议 page: intake from the entity's city-wide record, the queue, the letters."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from desktop_app.config import Settings
from desktop_app.domain import credit_record
from desktop_app.services.app import AppServices
from desktop_app.store.models import Entity
from sync.events import SyncReport
from sync.pull import apply_page
from sync.transport import PulledChange
from ui.pages.repairs import RepairsPage
from ui.taskman import TaskManager


def _entry(uscc: str, source_id: str, decided: date, matter: str) -> PulledChange:
    fields: dict[str, Any] = {
        "uscc": uscc,
        "source_collection": "commitments",
        "source_id": f"c-{source_id}",
        "kind": "breach",
        "severity": "general",
        "matter": matter,
        "decided_on": decided.isoformat(),
    }
    entry = credit_record.project("dishonesty_records", source_id, fields)
    assert entry is not None
    key = credit_record.entry_id("dishonesty_records", source_id)
    return PulledChange(credit_record.ENTRY_COLLECTION, key, 1, False, entry)


@pytest.fixture
def listed(seeded_services: AppServices, on_db) -> str:
    def prepare() -> str:
        with seeded_services.store.write() as s:
            entity = s.query(Entity).order_by(Entity.id).first()
            assert entity is not None
            today = date.today()
            page = [
                _entry(entity.uscc, "d-old", today - timedelta(days=200), "OLD-BREACH"),
                _entry(entity.uscc, "d-new", today - timedelta(days=10), "NEW-BREACH"),
            ]
            # The queue counts working days from today: a year chinese_calendar does not know
            # is declared complete, as the platform's table would be (see test_commitments_page).
            page += [
                PulledChange(
                    "calendar_overrides", f"year-{y}", 1, False, {"year": y, "complete": True}
                )
                for y in (today.year - 1, today.year, today.year + 1)
            ]
            apply_page(s, page, SyncReport())
            return entity.uscc

    return on_db(prepare)


@pytest.fixture
def page(seeded_services: AppServices, tasks: TaskManager, qtbot) -> RepairsPage:
    widget = RepairsPage(seeded_services, tasks, Settings())
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_intake_refuses_before_the_minimum_period_then_takes_and_prints_a_receipt(
    qtbot, page: RepairsPage, listed: str, tmp_path: Path
) -> None:
    dialog = page.open_intake(objection=False)
    dialog.uscc_edit.setText(listed)
    dialog.find_records()
    qtbot.waitUntil(lambda: dialog.records.count() == 2, timeout=5000)
    texts = [dialog.records.item(i).text() for i in range(2)]
    earliest = {t.split("最早可申请：")[1][:10] for t in texts}
    assert len(earliest) == 2  # each record shows the first day it can be repaired

    new_row = next(i for i, t in enumerate(texts) if "NEW-BREACH" in t)
    dialog.records.setCurrentRow(new_row)
    dialog.person_edit.setText("王五")
    dialog.text_edit.setPlainText("已补齐材料并完成整改")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.message.kind == "error", timeout=5000)
    assert "最早可于" in dialog.message.text() and dialog.isVisible()

    dialog.records.setCurrentRow(1 - new_row)
    dialog.extra_edit.setText("信用修复申请书、整改报告")
    with qtbot.waitSignal(dialog.taken, timeout=5000):
        dialog.submit()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=5000)
    assert page.table.item(0, 0).text() == "信用修复"
    assert page.table.item(0, 5).text()  # the due date, computed offline
    assert "待同步" in page.table.item(0, 6).text()

    page.table.selectRow(0)
    scan = tmp_path / "整改报告.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"scan" * 100)
    page.attach_file(scan)
    qtbot.waitUntil(lambda: "已附加扫描件" in page.message.text(), timeout=5000)

    def attached() -> bool:  # the queue reloads after the attachment
        view = page.selected()
        return view is not None and len(view.fields.get("attachments") or []) == 1

    qtbot.waitUntil(attached, timeout=5000)
    page.unit_edit.setText("长治市潞州区政务服务中心")
    with qtbot.waitSignal(page.preview_opened, timeout=10_000) as opened:
        page.print_selected()
    assert opened.args[0] is page.preview_dialog
    page.preview_dialog.close()


def test_an_objection_can_name_any_record_and_printing_needs_a_unit(
    qtbot, page: RepairsPage, listed: str
) -> None:
    dialog = page.open_intake(objection=True)
    dialog.uscc_edit.setText(listed)
    dialog.find_records()
    qtbot.waitUntil(lambda: dialog.records.count() == 2, timeout=5000)
    assert not any("最早可申请" in dialog.records.item(i).text() for i in range(2))
    dialog.person_edit.setText("赵六")
    dialog.text_edit.setPlainText("材料已按期补齐，认定有误")
    with qtbot.waitSignal(dialog.taken, timeout=5000):
        dialog.submit()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=5000)
    assert page.table.item(0, 0).text() == "异议"
    page.table.selectRow(0)
    page.unit_edit.clear()
    page.print_selected()
    assert page.message.kind == "error" and "受理单位" in page.message.text()
