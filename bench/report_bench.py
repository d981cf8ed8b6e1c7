"""Report benchmark: render a realistic ~20-page document to PDF through ui.printing.

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
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtGui import QGuiApplication

from desktop_app.reports.document import (
    Cover,
    Document,
    KeyValues,
    Paragraph,
    Section,
    SignatureBlock,
    Table,
)
from ui.printing import PreparedDocument, render_pdf

TARGET_SECONDS = 1.0
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚堃喆昇玥镕赟"
DISTRICTS = ("潞州区", "上党区", "屯留区", "潞城区", "襄垣县", "平顺县", "黎城县", "壶关县")
TRADES = ("商贸", "建筑工程", "餐饮管理", "物流", "医药连锁", "农业科技", "机械制造", "信息技术")
MEASURES = (
    "行政许可：食品经营许可证（新办）",
    "行政处罚：警告，并处罚款人民币五千元，责令限期改正违法行为",
    "守信激励：纳入诚信典型名单，容缺受理，优先办理",
    "信用承诺：已签署告知承诺书，承诺期内未发现违诺情形",
)


def company(rng: random.Random, i: int) -> str:
    return f"长治市{rng.choice(DISTRICTS)}{rng.choice(GIVEN)}{rng.choice(GIVEN)}{rng.choice(TRADES)}有限公司（{i}）"


def uscc(rng: random.Random) -> str:
    return "9114" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(14))


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def build_document(records: int = 220, inspections: int = 110, seed: int = 2020) -> Document:
    """A credit-report-like document: cover, facts, two long tables, notes, signatures."""
    rng = random.Random(seed)
    record_rows = tuple(
        (
            str(i),
            f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
            rng.choice(MEASURES),
            f"长治市{rng.choice(('市场监督管理局', '住房和城乡建设局', '税务局', '生态环境局'))}",
            f"长{rng.choice('市监住建税环')}决字〔2026〕{rng.randint(1, 999)}号",
        )
        for i in range(1, records + 1)
    )
    inspection_rows = tuple(
        (
            f"JC-2026-{i:05d}",
            company(rng, i),
            uscc(rng),
            person(rng) + "、" + person(rng),
            rng.choice(("未发现问题", "责令整改", "已整改到位", "移交立案")),
        )
        for i in range(1, inspections + 1)
    )
    return Document(
        doc_type="credit_report",
        title="公共信用信息报告（企业版）",
        number="XY-2026-1127-000123",
        issued_at="2026-11-27 10:05:31",
        cover=Cover(
            title="公共信用信息报告",
            subtitle="（企业版）",
            facts=(
                ("报告编号", "XY-2026-1127-000123"),
                ("主体名称", "长治市堃喆昇玥镕赟商贸有限公司"),
                ("统一社会信用代码", "91140400MA0K12345X"),
                ("出具时间", "2026-11-27 10:05:31"),
                ("出具单位", "长治市社会信用体系建设领导组办公室"),
            ),
            warning="本报告仅供招标投标使用，有效期三个月，复印无效。",
            footer="长治市公共信用信息中心\n2026年11月27日",
        ),
        sections=(
            Section(
                "基本信息",
                (
                    KeyValues(
                        (
                            ("主体名称", "长治市堃喆昇玥镕赟商贸有限公司"),
                            ("统一社会信用代码", "91140400MA0K12345X"),
                            ("法定代表人", "王玥"),
                            ("成立日期", "2015-06-01"),
                            ("注册资本", "500万元人民币"),
                            ("登记机关", "长治市市场监督管理局"),
                            ("住所", "山西省长治市潞州区英雄中路 1 号"),
                        ),
                        columns=2,
                    ),
                    Paragraph(
                        "本报告依据长治市公共信用信息平台截至出具时间归集的信息生成，"
                        "反映该主体在本市的行政许可、行政处罚、守信激励、失信惩戒等公共信用信息。"
                        * 3
                    ),
                    Paragraph("注：信息以平台记录为准，如有异议可申请信用修复或异议处理。", "note"),
                ),
            ),
            Section(
                "行政管理信息",
                (
                    Table(
                        ("序号", "决定日期", "内容", "决定机关", "文号"),
                        record_rows,
                        widths=(7, 13, 40, 20, 20),
                        caption="表1 行政许可、行政处罚及信用承诺记录",
                    ),
                ),
            ),
            Section(
                "双随机抽查记录",
                (
                    Table(
                        ("检查编号", "被检查单位", "统一社会信用代码", "检查人员", "结果"),
                        inspection_rows,
                        widths=(16, 30, 26, 16, 12),
                        caption="表2 双随机、一公开抽查记录",
                    ),
                    Table(("序号", "名单类别"), (), empty_text="未列入严重失信主体名单。"),
                ),
            ),
            Section(
                "出具说明",
                (
                    Paragraph("该主体被列入重点关注名单，请依法依规审慎办理。", "warning"),
                    SignatureBlock(("出具单位（盖章）", "经办人", "日期")),
                ),
            ),
        ),
        watermark="仅供招标投标使用",
        qr_payload="CDR1."
        + "eyJkIjoiZGV2aWNlLTAxIiwiaCI6IjAxMjM0NTY3ODlhYmNkZWYiLCJuIjoiWFkifQ" * 3
        + ".c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl",
        qr_caption="扫描二维码核验报告真伪",
    )


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
    parser.add_argument("--records", type=int, default=220, help="rows of table 1")
    parser.add_argument("--inspections", type=int, default=110, help="rows of table 2")
    args = parser.parse_args()
    print(
        f"machine: {platform.node()} {platform.machine()} {platform.processor() or ''} "
        f"python {platform.python_version()}, {os.cpu_count()} cores"
    )
    app = QGuiApplication.instance() or QGuiApplication([])
    document = build_document(args.records, args.inspections)
    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp:
        path = Path(tmp) / "report.pdf"
        result = render_pdf(document, path)  # warm-up: fonts, glyph caches
        size_kb = path.stat().st_size / 1024
        layout = timed(lambda: PreparedDocument(document), args.rounds)
        full = timed(lambda: render_pdf(document, path), args.rounds)
    median = statistics.median(full)
    print(
        f"document: {result.pages} pages (cover + {args.records} + {args.inspections} table "
        f"rows), PDF {size_kb:.0f} KB"
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
