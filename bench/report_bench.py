"""Report benchmark: render a ~20-page credit report to PDF through ui.printing.

Run: ``.venv/bin/python bench/report_bench.py [--rounds 5]``. It prints figures; it is not a
test and asserts nothing. The target: a 20-page report renders in under 1 s (ratio <= 1.0).
Each round lays the document out and writes the PDF, as an export does; the layout alone is
timed too. Record the figures in docs/PERFORMANCE.md with the date and machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtGui import QGuiApplication

from desktop_app.reports.credit_report import (
    CreditRecords,
    EntityFacts,
    ReportOptions,
    build_credit_report,
)
from desktop_app.reports.document import Document
from ui.printing import PreparedDocument, render_pdf

TARGET_SECONDS = 1.0
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚堃喆昇玥镕赟"
AUTHORITIES = ("长治市市场监督管理局", "长治市住房和城乡建设局", "长治市生态环境局")
VIOLATIONS = (
    "销售超过保质期的食品",
    "超出核准登记的经营范围从事经营活动",
    "使用不合格计量器具，未按规定进行周期检定",
    "未按规定公示年度报告",
)
RESULTS = ("未发现问题", "发现问题，已责令整改", "已整改到位", "未按规定公示信息，已责令限期改正")
# The shape of a real payload (sync/protocol/report_payload.py): ~330 characters.
PAYLOAD = (
    "CDR1."
    + "eyJkIjoiZGV2aWNlLTAxIiwiaCI6IjAxMjM0NTY3ODlhYmNkZWYiLCJuIjoiWFkifQ" * 3
    + ".c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl"
)


def build_document(
    licences: int = 80, penalties: int = 80, inspections: int = 120, seed: int = 2020
) -> Document:
    """A real credit report (desktop_app.reports.credit_report) of an entity with a long record."""
    rng = random.Random(seed)
    today = date(2026, 11, 27)

    def day(back: int) -> str:
        return (today - timedelta(days=rng.randint(1, back))).isoformat()

    code = "91140403MA0K12345X"
    records = CreditRecords(
        licences=[
            {
                "uscc": code,
                "licence_no": f"JY1140403{rng.randint(10**6, 10**7 - 1)}",
                "licence_name": "食品经营许可证",
                "matter": "食品经营许可",
                "content": "预包装食品（含冷藏冷冻食品）销售；热食类食品制售",
                "decided_on": day(1500),
                "valid_until": "2030-12-31",
                "decided_by": "长治市行政审批服务管理局",
            }
            for _ in range(licences)
        ],
        penalties=[
            {
                "uscc": code,
                "decision_no": f"长市监罚〔2026〕{i}号",
                "violation": rng.choice(VIOLATIONS),
                "penalty": "警告，并处罚款",
                "amount": rng.choice((2000, 5000, 30000)),
                "decided_on": day(300),
                "decided_by": rng.choice(AUTHORITIES),
                "severity": "serious",
            }
            for i in range(1, penalties + 1)
        ],
        memberships=[
            {
                "uscc": code,
                "list": "key_attention",
                "basis": "食品安全抽检两次不合格",
                "since": "2026-08-01",
                "decided_by": AUTHORITIES[0],
            },
        ],
        inspections=[
            {
                "uscc": code,
                "inspected_on": day(900),
                "inspection_kind": "双随机抽查",
                "authority": rng.choice(AUTHORITIES),
                "result": rng.choice(RESULTS),
            }
            for _ in range(inspections)
        ],
    )
    entity = EntityFacts(
        uscc=code,
        name="长治市堃喆昇玥镕赟" + rng.choice(GIVEN) + "商贸有限公司",
        legal_representative="王玥",
        address="山西省长治市潞州区英雄中路1号",
        region="山西省长治市潞州区",
        industry="批发和零售业",
        status="存续",
        entity_category="企业",
        registration_authority="工商/市场监管",
    )
    issued = datetime(2026, 11, 27, 10, 5, 31).astimezone()
    options = ReportOptions(
        purpose="招标投标",
        issuing_unit="长治市潞州区政务服务中心",
        report_no="XYBG-20261127-0123ABCD-0001",
        issued_at=issued,
        data_as_of=issued - timedelta(hours=2),
        watermark="仅供招标投标使用",
    )
    return build_credit_report(entity, records, options).with_qr(PAYLOAD)


def timed(fn: Callable[[], object], rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--licences", type=int, default=80, help="licence rows")
    parser.add_argument("--penalties", type=int, default=80, help="penalty rows")
    parser.add_argument("--inspections", type=int, default=120, help="inspection rows")
    args = parser.parse_args()
    print(
        f"machine: {platform.node()} {platform.machine()} {platform.processor() or ''} "
        f"python {platform.python_version()}, {os.cpu_count()} cores"
    )
    app = QGuiApplication.instance() or QGuiApplication([])
    document = build_document(args.licences, args.penalties, args.inspections)
    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp:
        path = Path(tmp) / "report.pdf"
        result = render_pdf(document, path)  # warm-up: fonts, glyph caches
        size_kb = path.stat().st_size / 1024
        layout = timed(lambda: PreparedDocument(document), args.rounds)
        full = timed(lambda: render_pdf(document, path), args.rounds)
    median = statistics.median(full)
    print(
        f"credit report: {result.pages} pages ({args.licences} licences, {args.penalties} "
        f"penalties, {args.inspections} inspections), PDF {size_kb:.0f} KB"
    )
    print(f"layout only: median {statistics.median(layout):.3f} s over {args.rounds} rounds")
    print(
        f"render_pdf (layout + paint + write): median {median:.3f} s, "
        f"min {min(full):.3f} s, max {max(full):.3f} s over {args.rounds} rounds"
    )
    print(
        f"ratio median / {TARGET_SECONDS:.1f} s target: {median / TARGET_SECONDS:.2f} "
        f"(target <= 1.0 for a 20-page report)"
    )
    del app


if __name__ == "__main__":
    main()
