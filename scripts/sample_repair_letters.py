"""Make the sample letters of 信用修复 and 异议 in docs/: a PDF and a PNG of each first page.

Run it headless::

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/sample_repair_letters.py

It builds the four letters (:mod:`desktop_app.reports.repair_letters`) from made-up facts of one
entity — a 一般 失信 record, a repair application by commitment and its granted decision, an
objection to a warning and its 更正 result — and prints them through the same pipeline the app
uses (``ui.printing.render_pdf``). The decision deadlines are counted on the official calendar
(:func:`desktop_app.domain.repair.due_date`). ``--variants`` also prints the other outcomes
(不予修复, 维持, 撤销), for a look at their layout.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from PySide6.QtGui import QGuiApplication

from desktop_app.domain.repair import (
    DEFAULT_DECISION_WORKING_DAYS,
    ObjectionOutcome,
    RepairOutcome,
    RepairWay,
    due_date,
)
from desktop_app.domain.working_days import WorkingDayCalendar
from desktop_app.reports.document import Document
from desktop_app.reports.objection_letters import (
    Correction,
    ObjectionReceiptFacts,
    ObjectionResultFacts,
    objection_receipt,
    objection_result,
)
from desktop_app.reports.repair_letters import (
    RepairDecisionFacts,
    RepairReceiptFacts,
    repair_commitment,
    repair_decision,
    repair_receipt,
)
from sync.protocol.report_payload import (
    ReportQrFields,
    encode_payload,
    format_issued_at,
    signing_message,
)
from ui.fonts import load_bundled_fonts
from ui.printing import render_pdf

ROOT = Path(__file__).resolve().parent.parent
CST = timezone(timedelta(hours=8))
ENTITY = "长治市潞州区鑫盛餐饮管理有限公司"
USCC = "91140403MA0L2Y3X4K"
WINDOW = "长治市潞州区政务服务中心"
DECIDER = "长治市潞州区市场监督管理局"
RECEIVED = date(2026, 3, 18)


def _due() -> date:
    return due_date(RECEIVED, WorkingDayCalendar(), DEFAULT_DECISION_WORKING_DAYS)


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, 12, tzinfo=CST)


def letters(*, variants: bool) -> dict[str, Document]:
    """File name (without suffix) → document."""
    due = _due()
    decided = due - timedelta(days=2)
    receipt = RepairReceiptFacts(
        number="XS-2026-0318-0007",
        entity_name=ENTITY,
        uscc=USCC,
        applicant_name="王五",
        applicant_role="法定代表人",
        applicant_phone="0355-2021234",
        record_title="未按规定公示食品安全管理制度（行政处罚）",
        record_no="潞市监罚〔2025〕112号",
        record_decided_on=date(2025, 6, 12),
        record_severity="一般",
        way=RepairWay.COMMITMENT,
        materials=(
            "信用修复申请书",
            "信用修复承诺书",
            "罚款缴纳凭证（复印件）",
            "整改情况说明及照片",
            "营业执照（复印件）",
            "法定代表人身份证明",
        ),
        received_on=RECEIVED,
        due_on=due,
        due_working_days=DEFAULT_DECISION_WORKING_DAYS,
        deciding_unit=DECIDER,
        receiving_unit=WINDOW,
        clerk="李娜",
        issued_at=_at(RECEIVED, 10, 5),
    )
    decision = RepairDecisionFacts(
        number="XJ-2026-0041",
        application_no=receipt.number,
        entity_name=ENTITY,
        uscc=USCC,
        record_title=receipt.record_title,
        record_no=receipt.record_no,
        record_decided_on=receipt.record_decided_on,
        record_severity=receipt.record_severity,
        way=receipt.way,
        received_on=RECEIVED,
        outcome=RepairOutcome.GRANTED,
        reasons=(
            "该失信记录为一般失信，自认定之日起已公示满3个月；申请人已缴清罚款、完成整改，"
            "并作出信用修复承诺，符合信用修复条件。"
        ),
        decided_on=decided,
        deciding_unit=DECIDER,
        issued_at=_at(decided, 15, 40),
    )
    objection = ObjectionReceiptFacts(
        number="YS-2026-0318-0003",
        entity_name=ENTITY,
        uscc=USCC,
        objector_name="赵六",
        objector_role="委托代理人",
        objector_phone="13903551234",
        record_kind="失信警示",
        record_title="现场检查发现进货查验记录缺失，予以失信警示",
        record_no="JS-0123ABCD",
        record_decided_on=date(2026, 2, 26),
        disputed=(
            "警示所称“进货查验记录缺失”与事实不符：本单位的进货查验记录以电子台账方式保存，"
            "检查当日因网络故障未能当场调阅，次日已提交检查机关。请求撤销该警示。"
        ),
        evidence=("电子进货查验台账截图（2026年1月—2月）", "宽带故障报修记录", "授权委托书"),
        received_on=RECEIVED,
        due_on=due,
        due_working_days=DEFAULT_DECISION_WORKING_DAYS,
        deciding_unit=DECIDER,
        receiving_unit=WINDOW,
        clerk="李娜",
        issued_at=_at(RECEIVED, 10, 20),
    )
    result = ObjectionResultFacts(
        number="YJ-2026-0019",
        application_no=objection.number,
        entity_name=ENTITY,
        uscc=USCC,
        record_kind=objection.record_kind,
        record_title=objection.record_title,
        record_no=objection.record_no,
        record_decided_on=objection.record_decided_on,
        received_on=RECEIVED,
        outcome=ObjectionOutcome.CORRECTED,
        reasons=(
            "经调阅电子台账核实，该单位1月至2月的进货查验记录完整，检查当日未能调阅属实；"
            "但检查中发现的2批次原料未留存供货者许可证复印件属实，警示事项应据实更正。"
        ),
        corrections=(
            Correction("警示事项", "进货查验记录缺失", "2批次原料未留存供货者许可证复印件"),
            Correction("整改期限", "2026年3月12日", "2026年3月26日"),
        ),
        remedy="已在“信用中国（山西长治）”网站更正公示内容，并通知已调取该记录的2家单位。",
        decided_on=decided,
        deciding_unit=DECIDER,
        issued_at=_at(decided, 16, 2),
    )
    out = {
        "repair-receipt": repair_receipt(receipt),
        "repair-commitment": repair_commitment(replace(receipt, commitment_id="5C0A19E2")),
        "repair-decision": repair_decision(decision),
        "objection-receipt": objection_receipt(objection),
        "objection-result": objection_result(result),
    }
    if variants:
        out["repair-refusal"] = repair_decision(
            replace(
                decision,
                outcome=RepairOutcome.REFUSED,
                reasons="申请人尚未缴清罚款，未履行行政处罚决定确定的义务，不符合信用修复条件。",
            )
        )
        out["objection-kept"] = objection_result(
            replace(result, outcome=ObjectionOutcome.KEPT, corrections=(), remedy="")
        )
        out["objection-revoked"] = objection_result(
            replace(result, outcome=ObjectionOutcome.REVOKED, corrections=())
        )
    return out


SAMPLE_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
"""A made-up device key: the samples carry a QR code exactly as issued letters do, signed by
a key no platform knows (a real device signs with the key it enrolled at login)."""


def signed(document: Document) -> Document:
    """The document with its QR code, signed as ``RepairService.letter`` signs it."""
    fields = ReportQrFields(
        report_no=document.number,
        uscc=USCC,
        issued_at=format_issued_at(datetime.fromisoformat(document.issued_at).replace(tzinfo=CST)),
        content_digest=hashlib.sha256(document.content_bytes()).hexdigest(),
        device_id="sample-device-0001",
    )
    return document.with_qr(encode_payload(fields, SAMPLE_KEY.sign(signing_message(fields))))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "sample-repair-letters")
    parser.add_argument("--dpi", type=int, default=70, help="resolution of the page-1 PNGs")
    parser.add_argument(
        "--variants", action="store_true", help="also print 不予修复, 维持 and 撤销"
    )
    args = parser.parse_args()

    app = QGuiApplication(sys.argv[:1])
    load_bundled_fonts()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, unsigned in letters(variants=args.variants).items():
        document = signed(unsigned)
        pdf = args.out / f"{name}.pdf"
        result = render_pdf(document, pdf)
        if result.missing_glyphs:
            print(f"{name}: the font lacks {''.join(result.missing_glyphs)}", file=sys.stderr)
            return 1
        png = args.out / f"{name}-page1"
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(args.dpi),
                "-f",
                "1",
                "-l",
                "1",
                "-png",
                "-singlefile",
                "--",
                str(pdf),
                str(png),
            ],
            check=True,
        )
        print(f"{document.number} {document.title}: {result.pages} pages -> {pdf}, {png}.png")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
