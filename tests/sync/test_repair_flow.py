"""信用修复 and 异议 end to end: two windows, a supervisor, one REAL platform process.

Intake at window A (no network needed), sync; refusal before the minimum period with the right
earliest date; the decision by the supervisor of the unit that made the record; window B's card,
容缺受理 check and report no longer show the record after its next sync. An objection taken at B
marks the record 异议处理中 at A after sync; 撤销 removes it everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from desktop_app.domain.commitments import BreachSeverity, CommitmentKind
from desktop_app.domain.disclosure import add_months
from desktop_app.domain.repair import RepairWay
from desktop_app.reports.document import Document
from desktop_app.reports.repair_letters import chinese_date
from desktop_app.services.commitments import CommitmentInput, CommitmentService
from desktop_app.services.errors import ServiceError
from desktop_app.services.forms import load_fields
from desktop_app.services.repairs import ObjectionInput, RepairInput, RepairService
from desktop_app.store.models import Entity, FormRecord
from sync.report_signing import DeviceReportSigner
from tests.sync.conftest import LiveServer
from tests.sync.test_city_wide_record import (
    REQUEST,
    _admin_token,
    _card,
    _clean_entity,
    _report_text,
)
from tests.sync.test_engine import Device

HALL_A = "window.luzhou.1"
HALL_B = "window.shangdang.1"
LONG_AGO = datetime(2026, 6, 1, 10, 0)  # a 一般 breach then may be repaired from 2026-09-01


@pytest.fixture
def halls(live_server: LiveServer, tmp_path: Path) -> Iterator[tuple[Device, Device]]:
    a = Device(live_server, tmp_path / "a", HALL_A)
    b = Device(live_server, tmp_path / "b", HALL_B)
    a.sync()
    b.sync()
    yield a, b
    a.close()
    b.close()


def _breach(device: Device, code: str, when: datetime, matter: str = "cc-tax-01") -> str:
    """A false commitment found at the device's hall on ``when``; the 失信记录's id."""
    service = CommitmentService(device.store, HALL_A, clock=lambda: when)
    letter = service.create(
        CommitmentInput(
            uscc=code, matter_id=matter, kind=CommitmentKind.NOTIFY, applicant_name="赵六"
        )
    )
    false = service.verify(
        letter.record_id, truthful=False, note="所附证明系伪造", severity=BreachSeverity.GENERAL
    )
    assert false.breach is not None
    return str(false.breach["dishonesty_id"])


def _decide(server: LiveServer, kind: str, record_id: str, body: dict) -> requests.Response:
    token = _admin_token(server, "supervisor")
    return requests.post(
        f"{server.url}/v1/{kind}/{record_id}/decision",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def _pdf_text(document: Document, folder: Path) -> str:
    """The document rendered by the real printing pipeline, as pdftotext reads it."""
    from tests.pdf_tools import pdftotext
    from ui.printing import render_pdf

    pdf = folder / f"{document.doc_type}-{document.number}.pdf"
    result = render_pdf(document, pdf)
    return re.sub(r"\s+", "", "".join(pdftotext(pdf, p) for p in range(1, result.pages + 1)))


def test_repair_from_intake_to_decision_reaches_every_window(
    qapp: object, halls: tuple[Device, Device], live_server: LiveServer, tmp_path: Path
) -> None:
    a, b = halls
    code = _clean_entity(b)
    old = _breach(a, code, LONG_AGO)
    recent_day = datetime.combine(date.today() - timedelta(days=10), LONG_AGO.time())
    recent = _breach(a, code, recent_day, matter="cc-food-01")
    a.sync()
    b.sync()
    card = _card(b, code)
    assert card.tolerance is not None and not card.tolerance.allowed

    repairs = RepairService(a.store, HALL_A, signer=DeviceReportSigner(a.store))
    record_titles = {c.source_id: c.title for c in repairs.choices(code)}
    assert record_titles[old] != record_titles[recent]
    # Before the minimum period: refused at the window, with the earliest date, offline.
    with pytest.raises(ServiceError) as too_early:
        repairs.apply_repair(RepairInput(code, recent, RepairWay.RECTIFICATION, "已整改", "赵六"))
    earliest = add_months(recent_day.date(), 3).isoformat()
    assert too_early.value.key == "repair.too_early" and earliest in str(too_early.value)

    taken = repairs.apply_repair(
        RepairInput(
            code,
            old,
            RepairWay.RECTIFICATION,
            "已补齐材料，缴清罚款，作出信用修复承诺",
            "赵六",
            materials=("信用修复申请书", "整改报告"),
        )
    )
    assert not taken.synced and taken.due_on  # the receipt's due date, computed offline
    repairs.attach_scan(
        "repair_applications", taken.record_id, b"%PDF-1.4 scan of the materials", "材料.pdf",
        "application/pdf",
    )  # fmt: skip
    receipt = repairs.letter("repair_applications", taken.record_id, "长治市潞州区政务服务中心")
    text = _pdf_text(receipt, tmp_path)
    assert receipt.number in text and "信用修复申请受理回执" in text
    assert card_name(a, code) in text and chinese_date(date.fromisoformat(taken.due_on)) in text
    pledge = repairs.letter(
        "repair_applications", taken.record_id, "长治市潞州区政务服务中心", commitment=True
    )
    text = _pdf_text(pledge, tmp_path)
    assert "信用修复承诺书" in text and card_name(a, code) in text and "郑重承诺" in text
    # The 信用修复承诺 is a commitment form of its own (kind 信用修复), signed at intake.
    pledge_id = str(taken.fields["commitment_id"])
    assert pledge.number == f"XC-{pledge_id[:8].upper()}"
    kept = CommitmentService(a.store, HALL_A).get(pledge_id)
    assert kept.kind is CommitmentKind.REPAIR and kept.status_label == "已签署"
    # Reprinted, a letter is the same document with the same signed QR code.
    again = repairs.letter("repair_applications", taken.record_id, "长治市潞州区政务服务中心")
    assert again.qr_payload and again == receipt
    report = a.sync()
    assert report.rejected == 0  # type: ignore[attr-defined]
    assert report.reports_registered == 2  # type: ignore[attr-defined]  # receipt and 承诺书
    for letter_ in (receipt, pledge):
        answer_ = _verify(live_server, letter_.number, letter_.qr_payload)
        assert answer_["genuine"] and answer_["registered"], answer_
    synced = repairs.get("repair_applications", taken.record_id)
    assert synced.synced and synced.fields["status"] == "received"
    assert synced.fields["due_on"] == taken.due_on  # the platform derived the same date
    b.sync()
    marked = [c for c in _card(b, code).records if c.mark == "信用修复办理中"]
    assert len(marked) == 1

    answer = _decide(
        live_server,
        "repairs",
        taken.record_id,
        {"outcome": "granted", "reasons": "已完成整改并履行法定义务"},
    )
    assert answer.status_code == 200, answer.text
    a.sync()
    b.sync()
    decided = repairs.get("repair_applications", taken.record_id)
    assert decided.fields["decision"] == "准予修复" and decided.decided
    letter = repairs.letter("repair_applications", taken.record_id, "长治市潞州区政务服务中心")
    text = _pdf_text(letter, tmp_path)
    assert "信用修复决定书" in text and "准予修复" in text and letter.number in text
    assert chinese_date(date.fromisoformat(decided.fields["decided_on"])) in text
    assert letter.qr_payload and letter.number != receipt.number
    # Window B: the repaired breach is gone from the card and the report; the recent one stays.
    card = _card(b, code)
    titles = [r.title for r in card.records]
    assert len(titles) == 1 and card.tolerance is not None and not card.tolerance.allowed
    text = _report_text(b, code)
    assert text.count("已违诺") == 1
    # The printed report at window B, read back from the PDF: the repaired breach is gone.
    from desktop_app.services.reports import ReportService

    with b.store.read() as s:
        entity_id = s.scalars(select(Entity.id).where(Entity.uscc == code)).one()
    report = ReportService(b.store, HALL_B, None).draft(entity_id, REQUEST)
    printed = _pdf_text(report, tmp_path)
    # (once in the section's note, once for the breach still published)
    assert printed.count("已违诺") == 2
    # The repaired record is named only by the public 信用修复承诺 that is published instead.
    pledged = f"信用修复（{record_titles[old]}）"
    assert pledged in printed and record_titles[old] not in printed.replace(pledged, "")
    assert record_titles[recent] in printed


def _verify(server: LiveServer, number: str, payload: str) -> dict:
    """What the platform's verification says about a letter's number and QR text."""
    answer = requests.post(
        f"{server.url}/v1/reports/verify",
        json={"report_no": number, "payload": payload},
        headers={"Authorization": f"Bearer {_admin_token(server, 'supervisor')}"},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def card_name(device: Device, code: str) -> str:
    return _card(device, code).name


def test_an_objection_marks_the_record_everywhere_and_revocation_removes_it(
    qapp: object, halls: tuple[Device, Device], live_server: LiveServer, tmp_path: Path
) -> None:
    a, b = halls
    code = _clean_entity(b)
    record = _breach(a, code, LONG_AGO)
    a.sync()
    b.sync()
    objections = RepairService(b.store, HALL_B)
    taken = objections.apply_objection(
        ObjectionInput(code, "dishonesty_records", record, "赵六", "材料已按期补齐，认定有误")
    )
    b.sync()  # the platform marks the record; a second objection is refused at the window
    again = ObjectionInput(code, "dishonesty_records", record, "赵六", "再次提出")
    with pytest.raises(ServiceError, match="正在核查"):
        objections.apply_objection(again)
    a.sync()
    card = _card(a, code)
    assert any(r.mark == "异议处理中" for r in card.records)
    answer = _decide(
        live_server,
        "objections",
        taken.record_id,
        {
            "outcome": "revoked",
            "reasons": "经核查认定有误，予以撤销",
            "remedy": "已恢复其容缺受理资格",
        },
    )
    assert answer.status_code == 200, answer.text
    a.sync()
    b.sync()
    for device in (a, b):
        card = _card(device, code)
        assert not card.records and card.tolerance is not None and card.tolerance.allowed
    assert "已违诺" not in _report_text(b, code)
    letter = objections.letter("objections", taken.record_id, "长治市上党区政务服务中心")
    text = _pdf_text(letter, tmp_path)
    assert "异议处理结果告知书" in text and "撤销" in text and letter.number in text


def test_publication_stops_at_the_maximum_period_with_no_one_acting(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import func

    from desktop_app.store.models import ReferenceRecord
    from tests.sync.conftest import running_platform

    # The platform's clock, controlled: a day when every demo breach (一般: one year from
    # its decision in 2026) is past its period, but the letters (three years) are not.
    monkeypatch.setenv("CREDIT_PLATFORM_TODAY", "2028-06-01")
    with running_platform(tmp_path_factory.mktemp("expiry")) as server:
        _wait_for_the_job(server.db_path)
        window = Device(server, tmp_path / "w", HALL_A)
        try:
            window.sync()
            with window.store.read() as s:
                kinds = dict(
                    s.execute(
                        select(func.json_extract(ReferenceRecord.data, "$.kind"), func.count())
                        .where(
                            ReferenceRecord.collection == "credit_entries",
                            ReferenceRecord.deleted.is_(False),
                        )
                        .group_by(func.json_extract(ReferenceRecord.data, "$.kind"))
                    ).all()
                )
        finally:
            window.close()
    assert "dishonesty" not in kinds  # withdrawn by the serving platform's own job
    assert kinds.get("commitment") and kinds.get("standing")


def _wait_for_the_job(db: Path) -> None:
    """Until the serving platform's expiry job has withdrawn the ended breaches (≤ 20 s)."""
    import sqlite3
    import time

    deadline = time.monotonic() + 20
    while True:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            live = conn.execute(
                "SELECT count(*) FROM records WHERE collection = 'credit_entries' "
                'AND NOT deleted AND data LIKE \'%"kind":"dishonesty"%\''
            ).fetchone()[0]
        finally:
            conn.close()
        if live == 0:
            return
        assert time.monotonic() < deadline, f"{live} ended entries still published"
        time.sleep(0.1)  # polling the platform's own job, not synchronising with it


def test_a_corrected_record_shows_corrected_everywhere_and_keeps_its_history(
    qapp: object, halls: tuple[Device, Device], live_server: LiveServer, tmp_path: Path
) -> None:
    a, b = halls
    code = _clean_entity(b)
    record = _breach(a, code, LONG_AGO)
    a.sync()
    b.sync()
    (before,) = _card(b, code).records
    assert before.severity == "一般"
    objections = RepairService(b.store, HALL_B, signer=DeviceReportSigner(b.store))
    taken = objections.apply_objection(
        ObjectionInput(code, "dishonesty_records", record, "赵六", "情节认定有误")
    )
    b.sync()
    answer = _decide(
        live_server,
        "objections",
        taken.record_id,
        {
            "outcome": "corrected",
            "reasons": "经核查，违诺情节严重，更正严重程度",
            "corrections": {"severity": "serious"},
        },
    )
    assert answer.status_code == 200, answer.text
    a.sync()
    b.sync()
    for device in (a, b):
        (after,) = _card(device, code).records
        assert after.severity == "严重" and after.title == before.title
        assert after.shown_until > before.shown_until  # a serious record is published longer
    # The form itself, as window A (which made it) now holds it: corrected, history kept.
    with a.store.read() as s:
        row = s.get(FormRecord, ("dishonesty_records", record))
        assert row is not None
        fields = load_fields(row.data)
    assert fields["severity"] == "serious"
    assert fields["corrections_history"][0]["before"] == {"severity": "general"}
    letter = objections.letter("objections", taken.record_id, "长治市上党区政务服务中心")
    text = _pdf_text(letter, tmp_path)
    assert "异议处理结果告知书" in text and "更正" in text and letter.number in text
