"""The letters of 信用修复 and 异议: what they say, what they refuse, and that they print."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from desktop_app.domain.repair import (
    DEFAULT_DECISION_WORKING_DAYS,
    ObjectionOutcome,
    RepairOutcome,
    RepairWay,
    due_date,
)
from desktop_app.domain.working_days import WorkingDayCalendar
from desktop_app.reports.document import (
    Document,
    KeyValues,
    Paragraph,
    SignatureForm,
    Table,
)
from desktop_app.reports.objection_letters import (
    Correction,
    ObjectionReceiptFacts,
    ObjectionResultFacts,
    objection_receipt,
    objection_result,
)
from desktop_app.reports.repair_letters import (
    RepairDecisionFacts,
    RepairLetterError,
    RepairReceiptFacts,
    document_number,
    repair_decision,
    repair_receipt,
)

CST = timezone(timedelta(hours=8))
ENTITY = "长治市潞州区堃喆餐饮管理有限公司"  # a rare character of real names
USCC = "91140403MA0L2Y3X4K"
DECIDER = "长治市潞州区市场监督管理局"
WINDOW = "长治市潞州区政务服务中心"
RECEIVED = date(2026, 9, 28)
# Ten working days after receipt on the official calendar: over the 国庆 holidays.
DUE = due_date(RECEIVED, WorkingDayCalendar(), DEFAULT_DECISION_WORKING_DAYS)
DECIDED = date(2026, 10, 14)

RECEIPT = RepairReceiptFacts(
    number="XS-2026-0928-0007",
    entity_name=ENTITY,
    uscc=USCC,
    applicant_name="王五",
    applicant_role="法定代表人",
    applicant_phone="0355-2021234",
    record_title="未按规定公示食品安全管理制度",
    record_no="潞市监罚〔2025〕112号",
    record_decided_on=date(2025, 6, 12),
    record_severity="general",
    way=RepairWay.RECTIFICATION,
    materials=("信用修复申请书", "信用修复承诺书", "罚款缴纳凭证（复印件）"),
    received_on=RECEIVED,
    due_on=DUE,
    due_working_days=DEFAULT_DECISION_WORKING_DAYS,
    deciding_unit=DECIDER,
    receiving_unit=WINDOW,
    clerk="李娜",
    issued_at=datetime(2026, 9, 28, 10, 5, 31, 123456, tzinfo=CST),
)
DECISION = RepairDecisionFacts(
    number="XJ-2026-0041",
    application_no=RECEIPT.number,
    entity_name=ENTITY,
    uscc=USCC,
    record_title=RECEIPT.record_title,
    record_no=RECEIPT.record_no,
    record_decided_on=RECEIPT.record_decided_on,
    record_severity="一般",
    way=RepairWay.RECTIFICATION,
    received_on=RECEIVED,
    outcome=RepairOutcome.GRANTED,
    reasons="已公示满3个月，罚款已缴清，整改到位，符合信用修复条件。",
    decided_on=DECIDED,
    deciding_unit=DECIDER,
    issued_at=datetime(2026, 10, 14, 15, 40, 2, tzinfo=CST),
)
OBJECTION = ObjectionReceiptFacts(
    number="YS-2026-0928-0003",
    entity_name=ENTITY,
    uscc=USCC,
    objector_name="赵六",
    objector_role="委托代理人",
    record_kind="失信警示",
    record_title="进货查验记录缺失，予以失信警示",
    record_no="JS-0123ABCD",
    record_decided_on=date(2026, 9, 1),
    disputed="进货查验记录以电子台账保存，检查当日因网络故障未能调阅，请求撤销该警示。",
    evidence=("电子进货查验台账截图", "宽带故障报修记录"),
    received_on=RECEIVED,
    due_on=DUE,
    due_working_days=DEFAULT_DECISION_WORKING_DAYS,
    deciding_unit=DECIDER,
    receiving_unit=WINDOW,
    issued_at=datetime(2026, 9, 28, 10, 20, 0, tzinfo=CST),
)
RESULT = ObjectionResultFacts(
    number="YJ-2026-0019",
    application_no=OBJECTION.number,
    entity_name=ENTITY,
    uscc=USCC,
    record_kind=OBJECTION.record_kind,
    record_title=OBJECTION.record_title,
    record_no=OBJECTION.record_no,
    record_decided_on=OBJECTION.record_decided_on,
    received_on=RECEIVED,
    outcome=ObjectionOutcome.CORRECTED,
    reasons="电子台账完整属实，但2批次原料未留存供货者许可证复印件属实，应据实更正。",
    corrections=(Correction("警示事项", "进货查验记录缺失", "2批次原料未留存供货者许可证"),),
    remedy="已更正公示内容，并通知已调取该记录的2家单位。",
    decided_on=DECIDED,
    deciding_unit=DECIDER,
    issued_at=datetime(2026, 10, 14, 16, 2, 0, tzinfo=CST),
)


def texts(doc: Document) -> str:
    """Every text of a document, joined (what a reader of the printout sees)."""
    out: list[str] = [doc.title, doc.number]
    for section in doc.sections:
        out.append(section.title)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out.append(block.text)
            elif isinstance(block, KeyValues):
                out += [f"{k}{v}" for k, v in block.rows]
            elif isinstance(block, Table):
                out += [block.caption, *(" ".join(r) for r in block.rows)]
            elif isinstance(block, SignatureForm):
                out += [
                    f"{r.label}：" + (f"日期：{r.date_text}" if r.dated else "") for r in block.rows
                ]
    return "\n".join(out)


def signature_rows(doc: Document) -> list[tuple[str, bool, str]]:
    (form,) = [b for s in doc.sections for b in s.blocks if isinstance(b, SignatureForm)]
    return [(r.label, r.dated, r.date) for r in form.rows]


def canonical(doc: Document) -> dict[str, Any]:
    """The stored form of a document: its canonical JSON, read back, and the round trip."""
    assert Document.from_json(doc.to_json()) == doc
    data: dict[str, Any] = json.loads(doc.to_json())
    return data


def test_the_due_date_counts_working_days_over_national_day() -> None:
    # 9-29, 9-30, then 10-8 … 10-16 (Saturday 10-10 is a make-up working day, 10-11 is not).
    assert due_date(RECEIVED, WorkingDayCalendar()) == date(2026, 10, 16) == DUE


def test_the_repair_receipt_names_the_application_record_materials_and_deadline() -> None:
    doc = repair_receipt(RECEIPT)
    assert (doc.doc_type, doc.title, doc.number) == (
        "repair_receipt",
        "信用修复申请受理回执",
        "XS-2026-0928-0007",
    )
    # The wall-clock time of the aware moment, as the other letters print it.
    assert doc.issued_at == "2026-09-28 10:05:31" and doc.subject == ENTITY
    assert doc.qr_caption == "扫码核验文书真伪" and doc.qr_payload == ""
    data = canonical(doc)
    assert data["number"] == "XS-2026-0928-0007" and data["subject"] == ENTITY
    stored = doc.to_json()
    for text in (ENTITY, USCC, "完成整改", "2026年10月16日", "一般失信", DECIDER, WINDOW):
        assert text in stored, text
    text = texts(doc)
    assert "受理编号XS-2026-0928-0007" in text and f"申请单位{ENTITY}" in text
    assert "统一社会信用代码91140403MA0L2Y3X4K" in text and "申请人王五（法定代表人）" in text
    assert "失信记录事项未按规定公示食品安全管理制度" in text
    assert "决定文书编号潞市监罚〔2025〕112号" in text and "认定日期2025年6月12日" in text
    assert "失信严重程度一般失信" in text and "申请修复方式完成整改" in text
    assert "1 信用修复申请书" in text and "3 罚款缴纳凭证（复印件）" in text
    assert "受理日期2026年9月28日" in text and f"决定单位{DECIDER}" in text
    assert "决定期限2026年10月16日（含当日）前，即自受理之日起10个工作日内" in text
    assert "停止公示" in text and "联合惩戒措施相应终止" in text and "继续按规定公示" in text
    assert signature_rows(doc) == [
        ("申请人（签字）", True, "2026年9月28日"),
        ("受理窗口经办人（签字）", False, ""),
        ("受理单位（盖章）", True, "2026年9月28日"),
    ]
    assert repair_receipt(RECEIPT) == doc  # pure


def test_a_granted_repair_stops_publication_from_the_decision_date() -> None:
    doc = repair_decision(DECISION)
    assert (doc.doc_type, doc.title, doc.number) == (
        "repair_decision",
        "信用修复决定书",
        "XJ-2026-0041",
    )
    stored = doc.to_json()
    for text in ("XJ-2026-0041", ENTITY, "准予修复", "2026年10月14日"):
        assert text in stored, text
    text = texts(doc)
    assert "决定准予修复" in text and "决定日期2026年10月14日" in text
    assert f"决定单位{DECIDER}" in text and "受理编号XS-2026-0928-0007" in text
    assert "理由：已公示满3个月" in text
    assert "自2026年10月14日起，该失信记录停止公示" in text
    assert "联合惩戒措施相应终止" in text and "不予修复" not in text
    assert signature_rows(doc) == [
        ("决定单位（盖章）", True, "2026年10月14日"),
        ("申请人签收（签字）", True, ""),
    ]
    canonical(doc)


def test_a_refusal_gives_its_reasons_and_the_ways_forward() -> None:
    reasons = "申请人尚未缴清罚款，未履行行政处罚决定确定的义务。"
    doc = repair_decision(replace(DECISION, outcome=RepairOutcome.REFUSED, reasons=reasons))
    assert doc.title == "不予修复决定书"
    assert "不予修复" in doc.to_json() and "2026年10月14日" in doc.to_json()
    text = texts(doc)
    assert "决定不予修复" in text and f"理由：{reasons}" in text
    assert "继续按规定公示" in text and "重新提出信用修复申请" in text
    assert "依法申请行政复议或者提起行政诉讼" in text and "停止公示，不再" not in text


def test_the_objection_receipt_says_the_record_is_marked_while_checked() -> None:
    doc = objection_receipt(OBJECTION)
    assert (doc.doc_type, doc.title, doc.number) == (
        "objection_receipt",
        "异议申请受理回执",
        "YS-2026-0928-0003",
    )
    stored = doc.to_json()
    for text in ("YS-2026-0928-0003", ENTITY, "2026年10月16日", "异议处理中"):
        assert text in stored, text
    text = texts(doc)
    assert f"异议主体{ENTITY}" in text and "异议人赵六（委托代理人）" in text
    assert "联系电话—" in text and "窗口经办人—" in text  # left blank: a dash, not nothing
    assert "记录类别失信警示" in text and "记录日期2026年9月1日" in text
    assert OBJECTION.disputed in text
    assert "1 电子进货查验台账截图" in text and "2 宽带故障报修记录" in text
    assert "办理期限2026年10月16日（含当日）前" in text and f"核查单位{DECIDER}" in text
    assert "维持、更正或者撤销" in text and "标注“异议处理中”" in text
    assert signature_rows(doc)[0] == ("异议人（签字）", True, "2026年9月28日")
    bare = objection_receipt(replace(OBJECTION, evidence=(), record_decided_on=None))
    (evidence,) = [b for s in bare.sections for b in s.blocks if isinstance(b, Table)]
    assert evidence.rows == () and evidence.empty_text == "未提交证据材料。"
    assert "记录日期—" in texts(bare)
    canonical(doc)


def test_a_corrected_record_prints_each_item_before_and_after() -> None:
    doc = objection_result(RESULT)
    assert (doc.doc_type, doc.title, doc.number) == (
        "objection_result",
        "异议处理结果告知书",
        "YJ-2026-0019",
    )
    stored = doc.to_json()
    for text in ("YJ-2026-0019", ENTITY, "更正", "2026年10月14日"):
        assert text in stored, text
    text = texts(doc)
    assert "处理结果更正" in text and "决定日期2026年10月14日" in text
    assert "1 警示事项 进货查验记录缺失 2批次原料未留存供货者许可证" in text
    assert "更正前的内容保存在记录的历史中" in text and "“异议处理中”标注" in text
    assert "消除不良影响的措施：已更正公示内容" in text
    (table,) = [b for s in doc.sections for b in s.blocks if isinstance(b, Table)]
    assert table.columns == ("序号", "更正项目", "更正前", "更正后")
    assert signature_rows(doc) == [
        ("核查单位（盖章）", True, "2026年10月14日"),
        ("异议人签收（签字）", True, ""),
    ]
    canonical(doc)


def test_kept_and_revoked_results() -> None:
    kept = texts(
        objection_result(replace(RESULT, outcome=ObjectionOutcome.KEPT, corrections=(), remedy=""))
    )
    assert "处理结果维持" in kept and "予以维持，继续按规定公示" in kept
    assert "更正内容" not in kept and "消除不良影响" not in kept
    revoked = texts(
        objection_result(replace(RESULT, outcome=ObjectionOutcome.REVOKED, corrections=()))
    )
    assert "处理结果撤销" in revoked
    assert "该记录自2026年10月14日起撤销，停止公示" in revoked
    assert "消除不良影响的措施：已更正公示内容" in revoked


@pytest.mark.parametrize(
    ("build", "facts", "message"),
    [
        (repair_receipt, replace(RECEIPT, number=" "), "受理编号"),
        (repair_receipt, replace(RECEIPT, entity_name=""), "主体名称"),
        (repair_receipt, replace(RECEIPT, uscc=""), "统一社会信用代码"),
        (repair_receipt, replace(RECEIPT, materials=()), "申请材料"),
        (repair_receipt, replace(RECEIPT, record_severity="很严重"), "严重程度"),
        (repair_receipt, replace(RECEIPT, way="donation"), "修复方式"),  # type: ignore[arg-type]
        (repair_receipt, replace(RECEIPT, due_on=date(2026, 9, 27)), "办理期限早于受理日期"),
        (repair_receipt, replace(RECEIPT, record_decided_on=date(2026, 9, 29)), "认定日期"),
        (repair_receipt, replace(RECEIPT, deciding_unit=""), "作出决定的单位"),
        (repair_decision, replace(DECISION, outcome=RepairOutcome.REFUSED, reasons=""), "理由"),
        (repair_decision, replace(DECISION, reasons="同意"), "准予修复"),
        (repair_decision, replace(DECISION, number=""), "决定书编号"),
        (repair_decision, replace(DECISION, decided_on=date(2026, 9, 1)), "决定日期"),
        (repair_decision, replace(DECISION, outcome="maybe"), "准予修复或不予修复"),  # type: ignore[arg-type]
        (objection_receipt, replace(OBJECTION, disputed="  "), "异议内容"),
        (objection_receipt, replace(OBJECTION, objector_name=""), "异议人"),
        (objection_receipt, replace(OBJECTION, evidence=("",)), "证据"),
        (objection_result, replace(RESULT, corrections=()), "更正前和更正后"),
        (
            objection_result,
            replace(RESULT, corrections=(Correction("整改期限", "3月12日", "3月12日"),)),
            "内容相同",
        ),
        (objection_result, replace(RESULT, outcome=ObjectionOutcome.REVOKED), "不应填写更正"),
        (
            objection_result,
            replace(RESULT, outcome=ObjectionOutcome.KEPT, corrections=()),
            "维持",
        ),
        (objection_result, replace(RESULT, reasons="不对"), "理由"),
        (objection_result, replace(RESULT, application_no=""), "受理编号"),
    ],
)
def test_facts_that_would_print_a_wrong_letter_are_refused_in_chinese(
    build: Any, facts: Any, message: str
) -> None:
    with pytest.raises(RepairLetterError, match=message) as caught:
        build(facts)
    assert isinstance(caught.value, ValueError)
    assert re.search(r"[\u4e00-\u9fff]", str(caught.value))


def test_a_naive_issue_time_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        repair_receipt(replace(RECEIPT, issued_at=datetime(2026, 9, 28, 10, 5)))


def test_numbers_can_derive_from_record_ids() -> None:
    assert document_number("XS", "0123abcdef4567890123") == "XS-0123ABCD"


LETTERS = [
    pytest.param(repair_receipt(RECEIPT), "完成整改", "2026年10月16日", id="repair_receipt"),
    pytest.param(repair_decision(DECISION), "准予修复", "2026年10月14日", id="repair_granted"),
    pytest.param(
        repair_decision(
            replace(DECISION, outcome=RepairOutcome.REFUSED, reasons="罚款尚未缴清，不符合条件。")
        ),
        "不予修复",
        "2026年10月14日",
        id="repair_refused",
    ),
    pytest.param(
        objection_receipt(OBJECTION), "异议处理中", "2026年10月16日", id="objection_receipt"
    ),
    pytest.param(objection_result(RESULT), "更正", "2026年10月14日", id="objection_corrected"),
    pytest.param(
        objection_result(replace(RESULT, outcome=ObjectionOutcome.REVOKED, corrections=())),
        "撤销",
        "2026年10月14日",
        id="objection_revoked",
    ),
]


@pytest.mark.parametrize(("doc", "decision", "day"), LETTERS)
def test_the_letter_prints_number_entity_decision_and_date(
    qapp: object, tmp_path: Path, doc: Document, decision: str, day: str
) -> None:
    from tests.pdf_tools import pdfinfo, pdftotext
    from ui.printing import render_pdf

    pdf = tmp_path / f"{doc.doc_type}.pdf"
    result = render_pdf(doc, pdf)
    assert result.missing_glyphs == ()
    assert pdfinfo(pdf)["Title"] == f"{doc.title} {doc.number}"
    pages = [pdftotext(pdf, p) for p in range(1, result.pages + 1)]
    flat = re.sub(r"\s+", "", "".join(pages))
    for text in (doc.title, doc.number, ENTITY, USCC, decision, day):
        assert text in flat, text
    # Every page carries the number in its header.
    assert all(doc.number in re.sub(r"\s+", "", page) for page in pages)
    # The stamp line and its date print whole, on one line.
    lines = [
        line.strip()
        for p in range(1, result.pages + 1)
        for line in pdftotext(pdf, p, layout=True).splitlines()
    ]
    assert any(
        re.search(r"（盖章）：.*日期：\s*\d{4}年\d{1,2}月\d{1,2}日$", line) for line in lines
    )
