"""The 约谈记录 document: what it prints, and what it refuses to print."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop_app.reports.document import Document, KeyValues, Paragraph
from desktop_app.reports.interview_record import InterviewFacts, build_interview_record

FACTS = InterviewFacts(
    record_id="a1b2c3d4e5f6",
    kind="warning",
    entity_name="长治市某某餐饮有限公司",
    uscc="91140403MA0XXXXX0X",
    legal_representative="李四",
    held_on=date(2025, 10, 21),
    participants="王芳（执法人员）、李四（法定代表人）",
    content="逾期未整改，警示约谈。",
    warning_no="JS-R1R1R1R1",
    warning_issued_on=date(2025, 9, 26),
    warning_deadline=date(2025, 10, 10),
    warning_content="请补全进货查验记录",
    issued_at=datetime(2025, 10, 21, 15, 30),
)


def _texts(doc: Document) -> str:
    out = []
    for section in doc.sections:
        out.append(section.title)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out.append(block.text)
            elif isinstance(block, KeyValues):
                out.extend(f"{k}:{v}" for k, v in block.rows)
    return "\n".join(out)


def test_the_record_names_the_kind_the_entity_and_the_warning_it_follows_up() -> None:
    doc = build_interview_record(FACTS)
    assert (doc.doc_type, doc.title, doc.number) == ("interview_record", "约谈记录", "YT-A1B2C3D4")
    text = _texts(doc)
    assert "约谈类型:警示约谈" in text and "约谈时间:2025年10月21日" in text
    assert "JS-R1R1R1R1" in text and "整改期限至2025年10月10日" in text
    assert "（未作书面承诺）" in text and "约谈地点:________________" in text
    assert Document.from_json(doc.to_json()) == doc


def test_without_a_warning_there_is_no_reason_section_and_bad_facts_are_refused() -> None:
    from dataclasses import replace

    plain = build_interview_record(replace(FACTS, warning_no="", kind="reminder"))
    assert "约谈事由" not in [s.title for s in plain.sections]
    assert "约谈类型:提示约谈" in _texts(plain)
    with pytest.raises(ValueError, match="kind"):
        build_interview_record(replace(FACTS, kind="chat"))
    with pytest.raises(ValueError, match="participants"):
        build_interview_record(replace(FACTS, participants=" "))
