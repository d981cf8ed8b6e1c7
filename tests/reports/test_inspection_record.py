"""现场检查记录 and the notices: what they say, that the Chinese text prints, no credit grade."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from desktop_app.domain.inspections import Outcome
from desktop_app.reports.document import Document, KeyValues, Paragraph, SignatureForm, Table
from desktop_app.reports.inspection_record import (
    InspectionRecordData,
    RecordFinding,
    RecordItem,
    RecordPhoto,
    build_onsite_record,
    build_rectification_notice,
)

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
DATA = InspectionRecordData(
    record_id="0123abcdef4567890123abcdef456789",
    task_id="DR20250901-ab12cd34-0001",
    draw_title="2025年第三季度食品经营抽查",
    checklist_title="食品经营者日常监督检查表",
    checklist_legal_basis="《食品生产经营监督检查管理办法》（国家市场监督管理总局令第49号）",
    entity_name="长治市潞州区堃喆犇淼餐饮管理有限公司",  # rare characters of real names
    uscc="91140403MA0L2Y3X4K",
    legal_representative="刘龑翀",
    address="山西省长治市潞州区英雄中路88号",
    industry="住宿和餐饮业",
    inspected_on=date(2025, 9, 26),
    location="后厨及仓库",
    inspectors=("inspector.luzhou.1", "inspector.luzhou.2"),
    representative_name="王五",
    representative_role="店长",
    items=(
        RecordItem(1, "从业人员是否取得健康证明", "《中华人民共和国食品安全法》第四十五条", "合格"),
        RecordItem(
            2,
            "是否查验供货者许可证和合格证明并建立进货查验记录",
            "《中华人民共和国食品安全法》第五十三条",
            "不合格",
            "缺8月以后记录",
        ),
        RecordItem(
            3,
            "是否按要求贮存食品并及时清理变质或超过保质期的食品",
            "《中华人民共和国食品安全法》第五十四条",
            "不涉及",
        ),
        RecordItem(
            4,
            "餐具、饮具是否洗净、消毒",
            "《中华人民共和国食品安全法》第三十三条",
            "不合格",
            "消毒柜未通电",
        ),
    ),
    findings=(RecordFinding("进货查验记录缺失2025年8月以后的记录", "一般", 2),),
    photos=(
        RecordPhoto("后厨.jpg", datetime(2025, 9, 26, 10, 31, 7), SHA),
        RecordPhoto("仓库.png", None, "ab" * 32),
    ),
    conclusion="发现问题2项，予以失信警示并责令限期整改。",
    outcome=Outcome.WARNING,
    deadline=date(2025, 10, 10),
    deadline_working_days=5,
    warning_content="未建立进货查验记录，责令5个工作日内改正。",
    issued_at=datetime(2025, 9, 26, 15, 0, 0),
)


def texts(doc: Document) -> str:
    parts = [doc.title, doc.number]
    for section in doc.sections:
        parts.append(section.title)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                parts.append(block.text)
            elif isinstance(block, KeyValues):
                parts += [f"{k}：{v}" for k, v in block.rows]
            elif isinstance(block, Table):
                parts += ["|".join(row) for row in block.rows] or [block.empty_text]
            elif isinstance(block, SignatureForm):
                parts += [
                    f"{r.label}：" + (f"日期：{r.date_text}" if r.dated else "") for r in block.rows
                ]
    return "\n".join(parts)


def test_the_onsite_record_has_items_findings_photos_outcome_and_signatures() -> None:
    doc = build_onsite_record(DATA)
    text = texts(doc)
    assert doc.doc_type == "inspection_record" and doc.number == "JC-0123ABCD"
    assert doc.issued_at == "2025-09-26 15:00:00"
    for needed in (
        "检查任务：DR20250901-ab12cd34-0001",
        "被检查单位：长治市潞州区堃喆犇淼餐饮管理有限公司",
        "统一社会信用代码：91140403MA0L2Y3X4K",
        "检查日期：2025年9月26日",
        "检查地点：后厨及仓库",
        "执法人员：inspector.luzhou.1、inspector.luzhou.2",
        "被检查单位现场负责人：王五（店长）",
        "4|餐具、饮具是否洗净、消毒|《中华人民共和国食品安全法》第三十三条|不合格|消毒柜未通电",
        "1|进货查验记录缺失2025年8月以后的记录|一般|第2项",
        "1|后厨.jpg|2025-09-26 10:31:07|9f86d081884c",
        "2|仓库.png|未记录|abababababab",
        "处理结果：失信警示",
        "整改期限：2025年10月10日（含当日）前，即自检查之日起5个工作日内",
        "警示内容：未建立进货查验记录",
        "被检查单位负责人（签字）：",
    ):
        assert needed in text, needed
    signature = next(b for s in doc.sections for b in s.blocks if isinstance(b, SignatureForm))
    assert [r.label for r in signature.rows].count("执法人员（签字）") == 2
    assert signature.rows[-1].date == "2025年9月26日"
    assert SHA not in text  # only the first 12 digits are printed


def test_a_clean_record_has_no_deadline_and_says_no_problems() -> None:
    doc = build_onsite_record(
        replace(DATA, findings=(), photos=(), outcome=Outcome.NO_PROBLEM, deadline=None,
                deadline_working_days=None, warning_content="", location="")
    )  # fmt: skip
    text = texts(doc)
    assert "整改期限" not in text and "警示内容" not in text
    assert "未发现问题。" in text and "未拍摄照片。" in text
    assert "检查地点：山西省长治市潞州区英雄中路88号" in text  # the address by default


def test_the_warning_notice_lists_what_to_fix_the_deadline_and_the_consequences() -> None:
    doc = build_rectification_notice(DATA)
    text = texts(doc)
    assert doc.title == "失信警示告知书" and doc.number == "JS-0123ABCD"
    assert "予以失信警示" in text and "现场检查记录编号：JC-0123ABCD" in text
    # The finding, and the failed item no finding covers (item 4).
    assert "1|进货查验记录缺失2025年8月以后的记录|一般|第2项" in text
    assert "2|餐具、饮具是否洗净、消毒：消毒柜未通电|—|第4项" in text
    assert "2025年10月10日（含当日）前，即自检查之日起5个工作日内完成整改" in text
    assert "提示约谈或警示约谈" in text and "信用记录" in text
    assert "被检查单位签收人（签字）：" in text
    rectify = build_rectification_notice(replace(DATA, outcome=Outcome.RECTIFY))
    assert rectify.title == "责令整改通知书" and rectify.number == "ZG-0123ABCD"
    assert "失信警示" not in texts(rectify)
    with pytest.raises(ValueError, match="notice"):
        build_rectification_notice(replace(DATA, outcome=Outcome.REFERRAL))


def test_documents_are_plain_data_that_round_trip() -> None:
    doc = build_onsite_record(DATA)
    assert Document.from_json(doc.to_json()) == doc
    assert build_onsite_record(DATA) == doc  # pure


def test_the_chinese_text_prints_and_no_credit_grade_does(qapp: object, tmp_path: Path) -> None:
    from tests.pdf_tools import pdftotext
    from ui.printing import render_pdf

    for doc, must in (
        (build_onsite_record(DATA), ("现场检查记录", "JC-0123ABCD", "堃喆犇淼", "刘龑翀",
                                     "消毒柜未通电", "被检查单位负责人（签字）", "9f86d081884c")),
        (build_rectification_notice(DATA), ("失信警示告知书", "2025年10月10日", "警示约谈",
                                            "进货查验记录缺失")),
    ):  # fmt: skip
        pdf = tmp_path / f"{doc.doc_type}.pdf"
        result = render_pdf(doc, pdf)
        assert result.missing_glyphs == ()
        flat = re.sub(r"\s+", "", "".join(pdftotext(pdf, p) for p in range(1, result.pages + 1)))
        for text in must:
            assert text in flat, text
        assert not re.search(r"信用等级|风险等级|风险分类", flat)
