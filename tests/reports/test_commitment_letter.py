"""信用承诺书 and 容缺受理一次性告知书: what they say, and that the Chinese text prints."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from desktop_app.domain.commitment_catalog import CATALOG
from desktop_app.domain.commitments import CommitmentKind
from desktop_app.reports.commitment_letter import (
    LetterData,
    LetterMaterial,
    build_commitment_letter,
    build_tolerance_notice,
)
from desktop_app.reports.document import (
    Document,
    KeyValues,
    Paragraph,
    SignatureForm,
    Table,
)

FOOD = dict(CATALOG)["cc-food-01"]
DATA = LetterData(
    record_id="0123abcdef4567890123abcdef456789",
    entity_name="长治市潞州区鑫盛餐饮管理有限公司",
    uscc="91140403MA0L2Y3X4K",
    applicant_name="王五",
    applicant_role="法定代表人",
    applicant_phone="0355-2021234",
    matter=FOOD["matter"],
    domain=FOOD["domain"],
    legal_basis=FOOD["legal_basis"],
    authority=FOOD["authority"],
    kind=CommitmentKind.TOLERANCE,
    template=FOOD["letter_template"],
    signed_on=date(2025, 9, 26),
    materials=(
        LetterMaterial("食品安全管理制度文本", "原件"),
        LetterMaterial("经营场所平面布局图", "复印件"),
    ),
    deadline=date(2025, 10, 10),
    deadline_working_days=5,
    publish=True,
    issued_at=datetime(2025, 9, 26, 10, 30, 5),
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
                out += [" ".join(r) for r in block.rows]
            elif isinstance(block, SignatureForm):
                out += [
                    f"{r.label}：" + (f"日期：{r.date_text}" if r.dated else "") for r in block.rows
                ]
    return "\n".join(out)


def test_the_letter_fills_in_the_template_and_has_both_sides_signature_lines() -> None:
    doc = build_commitment_letter(DATA)
    assert (doc.doc_type, doc.title, doc.number) == (
        "commitment_letter",
        "信用承诺书",
        "CN-0123ABCD",
    )
    assert doc.issued_at == "2025-09-26 10:30:05" and doc.watermark == ""
    text = texts(doc)
    assert "{" not in text
    assert f"本单位（本人）{DATA.entity_name}（统一社会信用代码：{DATA.uscc}）" in text
    assert "近三年内无违法违规行为" in text and "符合食品安全法律法规和标准要求" in text
    assert "王五（法定代表人）" in text and "承诺日期：2025年9月26日" in text
    assert "《食品经营许可和备案管理办法》" in text and "承诺类型容缺受理" in text
    assert "食品安全管理制度文本 原件" in text and "2025年10月10日（含当日）前" in text
    assert "5个工作日内" in text and "终止办理" in text
    assert "同意将本承诺书" in text
    (signature,) = [b for s in doc.sections for b in s.blocks if isinstance(b, SignatureForm)]
    assert [(r.label, r.dated, r.date) for r in signature.rows] == [
        ("承诺人/法定代表人或委托代理人（签字）", False, ""),
        ("承诺单位（盖章）", True, "2025年9月26日"),
        ("受理窗口经办人（签字）", False, ""),
        ("受理单位（盖章）", True, "2025年9月26日"),
    ]
    # The document survives its JSON form (kept for exact reprints).
    assert Document.from_json(doc.to_json()) == doc


def test_a_notify_draft_letter_has_blank_date_lines_and_no_materials() -> None:
    draft = replace(
        DATA, kind=CommitmentKind.NOTIFY, signed_on=None, materials=(), deadline=None,
        deadline_working_days=None, publish=False, watermark="",
    )  # fmt: skip
    text = texts(build_commitment_letter(draft))
    assert "容缺受理材料" not in text and "补齐期限" not in text
    assert "承诺日期：________" in text and "受理单位（盖章）：日期：____年__月__日" in text
    assert "依法不予公开" in text and "同意将本承诺书及履约情况" not in text
    with pytest.raises(ValueError, match="容缺受理"):
        build_tolerance_notice(draft)


def test_the_notice_tells_materials_forms_deadline_and_consequence_in_one_go() -> None:
    doc = build_tolerance_notice(DATA)
    assert (doc.doc_type, doc.title, doc.number) == (
        "tolerance_notice",
        "容缺受理一次性告知书",
        "RQ-0123ABCD",
    )
    text = texts(doc)
    assert "一次性告知如下" in text and f"“{DATA.matter}”事项" in text
    assert "1 食品安全管理制度文本 原件" in text and "2 经营场所平面布局图 复印件" in text
    assert "请于2025年10月10日（含当日）前，即自签署之日起5个工作日内补齐" in text
    assert "本事项终止办理，由此造成的损失由申请人自行承担" in text
    assert "申请人/法定代表人或委托代理人（签字）：" in text and "受理单位（盖章）：" in text
    unknown = texts(build_tolerance_notice(replace(DATA, deadline=None)))
    assert "按工作日历计算具体截止日期" in unknown


def test_the_chinese_text_prints(qapp: object, tmp_path: Path) -> None:
    from tests.pdf_tools import pdftotext
    from ui.printing import render_pdf

    for doc, must in (
        (build_commitment_letter(DATA), ("信用承诺书", "CN-0123ABCD", "食品安全管理制度文本",
                                        "受理窗口经办人（签字）", DATA.entity_name)),
        (build_tolerance_notice(DATA), ("容缺受理一次性告知书", "终止办理", "2025年10月10日")),
    ):  # fmt: skip
        pdf = tmp_path / f"{doc.doc_type}.pdf"
        result = render_pdf(doc, pdf)
        assert result.missing_glyphs == ()
        flat = re.sub(r"\s+", "", "".join(pdftotext(pdf, p) for p in range(1, result.pages + 1)))
        for text in must:
            assert text in flat, text
