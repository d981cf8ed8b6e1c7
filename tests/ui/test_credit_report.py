"""The credit report end to end: issued on the 报告打印 page, printed to a real PDF, read back.

PDFs are checked with poppler's tools (pdftotext, pdffonts, pdftoppm) and the QR code with a
real decoder (zxing-cpp); its signature is verified with the device's enrolled public key.
"""

from __future__ import annotations

import base64
import dataclasses
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select

from PySide6.QtCore import Qt

from desktop_app.config import ProfilePaths, Settings
from desktop_app.reports.credit_report import SECTION_TITLES
from desktop_app.reports.document import Document
from desktop_app.services.app import AppServices
from desktop_app.services.reports import IssueRequest, SignedReport
from desktop_app.store.models import Entity
from sync.credentials import DeviceIdentity
from sync.events import SyncReport
from sync.protocol.report_payload import decode_payload, encode_payload, signing_message
from sync.pull import apply_page
from sync.transport import PulledChange
from tests.pdf_tools import decode_qr, ink_pixels, pdf_page_image, pdffonts, pdftotext
from ui.pages.reports import ReportsPage, default_pdf_name
from ui.printing import render_page_images, render_pdf
from ui.printing.preview import DocumentPreviewDialog
from ui.taskman import TaskManager

LEFT = Qt.MouseButton.LeftButton
RARE_NAME = "长治市堃喆昇玥镕赟商贸有限公司"
UNIT = "长治市潞州区政务服务中心"
GRADE_BASIS = "企业信用风险分类管理（内部）"


def _ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def _records(uscc: str) -> list[PulledChange]:
    changes: list[tuple[str, str, dict[str, Any]]] = [
        (
            "licences",
            "lic-1",
            {
                "uscc": uscc,
                "licence_no": "JY11404030012345",
                "licence_name": "食品经营许可证",
                "matter": "食品经营许可",
                "content": "预包装食品销售",
                "decided_on": "2025-03-01",
                "decided_by": "长治市行政审批服务管理局",
            },
        ),
        (
            "penalties",
            "pen-1",
            {
                "uscc": uscc,
                "decision_no": "长市监罚〔2026〕12号",
                "violation": "销售超过保质期的食品",
                "penalty": "没收违法所得，并处罚款",
                "amount": 5000,
                "decided_on": _ago(60),
                "decided_by": "长治市市场监督管理局",
                "severity": "serious",
            },
        ),
        (
            "penalties",
            "pen-old",
            {
                "uscc": uscc,
                "decision_no": "长市监罚〔2023〕99号",
                "violation": "已过公示期的违法行为",
                "penalty": "警告",
                "decided_on": _ago(800),
                "decided_by": "长治市市场监督管理局",
                "severity": "general",
            },
        ),
        ("credit_grades", f"cg-{uscc}", {"uscc": uscc, "grade": "D", "basis": GRADE_BASIS}),
        (
            "list_memberships",
            "lm-1",
            {
                "uscc": uscc,
                "list": "key_attention",
                "basis": "食品安全抽检两次不合格",
                "since": _ago(100),
                "decided_by": "长治市市场监督管理局",
            },
        ),
        # Many inspections make the report long enough for tables to span pages.
        *(
            (
                "public_inspections",
                f"pi-{n}",
                {
                    "uscc": uscc,
                    "inspected_on": f"2026-{1 + n % 9:02d}-{1 + n % 27:02d}",
                    "inspection_kind": "双随机抽查",
                    "authority": "长治市潞州区市场监督管理局",
                    "result": f"第{n}次检查未发现问题",
                },
            )
            for n in range(60)
        ),
    ]
    return [PulledChange(c, rid, 1, False, f) for c, rid, f in changes]


@pytest.fixture
def entity(seeded_services: AppServices, on_db) -> tuple[int, str]:
    def work() -> tuple[int, str]:
        store = seeded_services.store
        with store.write() as s:
            row = s.scalars(select(Entity).order_by(Entity.id).limit(1)).one()
            row.name = RARE_NAME
            row.credit_grade = "D"
            apply_page(s, _records(row.uscc), SyncReport())
            return row.id, row.uscc

    return on_db(work)


@pytest.fixture
def page(seeded_services: AppServices, tasks: TaskManager, profile: ProfilePaths, qtbot, app):
    widget = ReportsPage(seeded_services, tasks, Settings(), profile)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitSignal(widget.history_loaded, timeout=5000)
    return widget


def _issue(on_db, services: AppServices, entity_id: int, **kw: Any) -> SignedReport:
    request = IssueRequest(purpose="招标投标", issuing_unit=UNIT, **kw)
    return on_db(lambda: services.reports.issue(entity_id, request))


def _all_text(pdf: Path, pages: int) -> str:
    return "\n".join(pdftotext(pdf, p) for p in range(1, pages + 1))


def test_report_pdf_has_every_section_the_number_and_no_internal_grade(
    qapp, seeded_services: AppServices, entity, on_db, tmp_path: Path
) -> None:
    entity_id, uscc = entity
    signed = _issue(on_db, seeded_services, entity_id, watermark="仅供招标投标使用")
    pdf = tmp_path / "report.pdf"
    result = render_pdf(signed.document, pdf)
    assert result.pages >= 4 and result.missing_glyphs == ()
    text = _all_text(pdf, result.pages)
    flat = re.sub(r"\s+", "", text)
    for title in SECTION_TITLES:
        assert title in flat, title
    assert RARE_NAME in flat  # rare characters print (and are not boxes)
    assert uscc in flat and signed.report_no in flat
    assert "招标投标" in flat and UNIT in flat
    assert f"第1页/共{result.pages}页" in flat and f"第{result.pages}页/共{result.pages}页" in flat
    assert "销售超过保质期的食品" in flat and "第59次检查未发现问题" in flat
    # Never printed: the internal risk class and a penalty past its publication period.
    assert GRADE_BASIS not in flat and "已过公示期的违法行为" not in flat
    assert re.search(r"(风险分类|信用等级|风险等级)[：:]?[A-E](?![A-Za-z0-9])", flat) is None
    # The bundled CJK font is embedded, and it is the only font.
    fonts = pdffonts(pdf)
    assert fonts and all(emb == "yes" for _name, emb in fonts)
    assert any("WenQuanYi" in name for name, _emb in fonts)
    # Page 1 is not blank.
    assert ink_pixels(pdf_page_image(pdf, 1, 40, tmp_path)) > 2000


def test_qr_code_decodes_from_the_pdf_verifies_and_tampering_fails(
    qapp, seeded_services: AppServices, entity, on_db, tmp_path: Path
) -> None:
    entity_id, uscc = entity
    signed = _issue(on_db, seeded_services, entity_id)
    pdf = tmp_path / "report.pdf"
    render_pdf(signed.document, pdf)
    decoded = decode_qr(pdf_page_image(pdf, 1, 200, tmp_path))
    assert decoded == [signed.payload]
    # Every later page carries the same code in its footer.
    assert decode_qr(pdf_page_image(pdf, 2, 300, tmp_path)) == [signed.payload]

    fields, signature = decode_payload(decoded[0])
    assert (fields.report_no, fields.uscc) == (signed.report_no, uscc)
    identity = on_db(lambda: DeviceIdentity.load_or_create(seeded_services.store))
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(identity.public_key_b64))
    public.verify(signature, signing_message(fields))
    for change in ({"uscc": "91140403MA0XXXXX0X"}, {"content_digest": "0" * 64}):
        forged, _ = decode_payload(encode_payload(dataclasses.replace(fields, **change), signature))
        with pytest.raises(InvalidSignature):
            public.verify(signature, signing_message(forged))


def test_issuing_on_the_page_previews_lists_and_reprints_the_same_report(
    qtbot, page: ReportsPage, entity, on_db, seeded_services: AppServices, tmp_path: Path
) -> None:
    entity_id, uscc = entity
    page.select_entity(entity_id, RARE_NAME, uscc)
    page.unit_edit.setText(UNIT)
    page.purpose_combo.setCurrentText("行政审批")
    assert page.watermark_combo.itemText(1) == "仅供行政审批使用"
    page.watermark_combo.setCurrentIndex(1)
    with (
        qtbot.waitSignal(page.issued, timeout=10_000) as issued,
        qtbot.waitSignal(page.preview_opened, timeout=10_000) as opened,
        qtbot.waitSignal(page.history_loaded, timeout=10_000),
    ):
        qtbot.mouseClick(page.issue_button, LEFT)
    number = issued.args[0]
    dialog = opened.args[0]
    assert isinstance(dialog, DocumentPreviewDialog) and dialog.isVisible()
    assert dialog.prepared.document.number == number
    assert dialog.prepared.document.watermark == "仅供行政审批使用"
    assert page.message.kind in {"success", "warning"} and number in page.message.text()
    assert page.history_table.rowCount() == 1
    assert page.history_table.item(0, 0).text() == number
    assert page.history_table.item(0, 6).text() == "待同步登记"
    assert page._settings.extra["report_issuing_unit"] == UNIT  # remembered for next time
    dialog.close()

    page.history_table.selectRow(0)
    with (
        qtbot.waitSignal(page.preview_opened, timeout=10_000) as again,
        qtbot.waitSignal(page.history_loaded, timeout=10_000),
    ):
        qtbot.mouseClick(page.reprint_button, LEFT)
    reprinted: Document = again.args[0].prepared.document
    original = on_db(lambda: seeded_services.reports.issued()[0])
    assert reprinted.number == number and original.reprints == 1
    assert page.history_table.item(0, 7).text() == "1"
    again.args[0].close()

    target = tmp_path / default_pdf_name(number, RARE_NAME)
    with qtbot.waitSignal(page.pdf_saved, timeout=20_000) as saved:
        page.export_pdf(reprinted, target)
    assert saved.args == [str(target)] and target.stat().st_size > 10_000
    assert "已导出 PDF" in page.message.text()


def test_a_preview_draft_is_marked_and_nothing_is_issued(
    qtbot, page: ReportsPage, entity, on_db, seeded_services: AppServices
) -> None:
    entity_id, uscc = entity
    page.select_entity(entity_id, RARE_NAME, uscc)
    page.unit_edit.setText(UNIT)
    with qtbot.waitSignal(page.preview_opened, timeout=10_000) as opened:
        qtbot.mouseClick(page.draft_button, LEFT)
    document = opened.args[0].prepared.document
    assert document.number == "预览-未出具" and "不作为信用报告使用" in document.watermark
    assert page.message.kind == "info"
    assert on_db(seeded_services.reports.issued) == []
    opened.args[0].close()


def test_bad_input_is_a_clear_message_and_issues_nothing(
    qtbot, page: ReportsPage, entity, on_db, seeded_services: AppServices
) -> None:
    qtbot.mouseClick(page.issue_button, LEFT)
    assert page.message.kind == "warning" and "请先选择主体" in page.message.text()

    entity_id, uscc = entity
    page.select_entity(entity_id, RARE_NAME, uscc)
    page.unit_edit.clear()
    qtbot.mouseClick(page.issue_button, LEFT)
    qtbot.waitUntil(lambda: page.message.kind == "error", timeout=5000)
    assert "请填写出具单位" in page.message.text()

    page.unit_edit.setText(UNIT)
    page.purpose_combo.setCurrentText("其他")
    assert page.detail_edit.isEnabled()
    page.message.clear_message()
    qtbot.mouseClick(page.issue_button, LEFT)
    qtbot.waitUntil(lambda: page.message.kind == "error", timeout=5000)
    assert "请填写具体用途" in page.message.text()
    assert on_db(seeded_services.reports.issued) == []
    assert page.issue_button.isEnabled()


def test_find_entities_on_the_page(qtbot, page: ReportsPage, entity) -> None:
    _entity_id, uscc = entity
    page.search_edit.setText(uscc)
    qtbot.mouseClick(page.find_button, LEFT)
    qtbot.waitUntil(lambda: page.entity_combo.count() == 1, timeout=5000)
    assert RARE_NAME in page.entity_combo.currentText()
    page.search_edit.setText("没有这个主体名称XYZ")
    qtbot.mouseClick(page.find_button, LEFT)
    qtbot.waitUntil(lambda: page.message.kind == "warning", timeout=5000)
    assert page.selected_entity() is None


def test_page_images_of_a_report_render_off_the_gui_thread(
    qtbot, seeded_services: AppServices, entity, on_db, tasks: TaskManager
) -> None:
    entity_id, _uscc = entity
    signed = _issue(on_db, seeded_services, entity_id)
    images: list[Any] = []
    tasks.run_cpu(lambda: render_page_images(signed.document, 30, [1]), images.append)
    qtbot.waitUntil(lambda: bool(images), timeout=20_000)
    assert ink_pixels(images[0][0]) > 500


def test_pdf_file_names_are_safe() -> None:
    name = default_pdf_name("XYBG-20261127-ABCDEF12-0001", '长治/某某"公司 :分店')
    assert name.endswith(".pdf") and not re.search(r'[\\/:*?"<>|\s]', name)
