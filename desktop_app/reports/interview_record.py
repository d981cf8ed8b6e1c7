"""约谈记录: the record of a 提示约谈 / 警示约谈, printed for both sides to sign (seed 三(八)).

Plain data in, a :class:`Document` out (no Qt, no database). Numbered ``YT-`` after the
interview's record id; when the interview follows up an overdue 失信警示 the warning is named
with its deadline, so the paper says why the entity was called in. The record enters the
entity's credit record after sync (city-wide, one year, publishable unless the officer said
no): the paper says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from desktop_app.reports.document import (
    Document,
    KeyValues,
    Paragraph,
    Section,
    SignatureForm,
    SignatureLine,
)
from desktop_app.reports.inspection_record import chinese_date, document_number

__all__ = ["INTERVIEW_DOC_TYPE", "INTERVIEW_PREFIX", "InterviewFacts", "build_interview_record"]

INTERVIEW_DOC_TYPE = "interview_record"
INTERVIEW_PREFIX = "YT"
INTERVIEW_TITLE = "约谈记录"
KIND_LABELS = {"reminder": "提示约谈", "warning": "警示约谈"}
EFFECT = (
    "本约谈记录经双方签字后存档，并记入被约谈单位的信用记录，依法向社会公示。"
    "被约谈单位应当按照约谈要求和所作承诺如期整改；拒不整改或整改不到位的，"
    "依法依规实施失信惩戒，涉嫌违法的移送有关部门处理。"
)


@dataclass(frozen=True, kw_only=True)
class InterviewFacts:
    """Everything the 约谈记录 prints.

    Attributes:
        record_id: The interview form (its number derives from it).
        kind: ``reminder`` (提示约谈) or ``warning`` (警示约谈).
        entity_name: The entity called in.
        uscc: Its code.
        legal_representative: From the registry, or empty.
        held_on: The day of the interview.
        location: Where, or empty (a line to write on).
        participants: Who took part (约谈人、被约谈人及职务).
        content: What was said: the problems, what is required.
        commitments_made: What the entity committed to, or empty.
        interviewer: Who recorded it.
        authority: The inspecting body (stamped), or empty.
        warning_no: The 失信警示's printed number when the interview follows one up.
        warning_issued_on: Its date.
        warning_deadline: Its rectification deadline (passed).
        warning_content: What was to be rectified.
        issued_at: When printed.
        watermark: Text over every page, or empty.
    """

    record_id: str
    kind: str
    entity_name: str
    uscc: str
    legal_representative: str = ""
    held_on: date
    location: str = ""
    participants: str
    content: str
    commitments_made: str = ""
    interviewer: str = ""
    authority: str = ""
    warning_no: str = ""
    warning_issued_on: date | None = None
    warning_deadline: date | None = None
    warning_content: str = ""
    issued_at: datetime
    watermark: str = ""


def _dash(text: str) -> str:
    return text.strip() or "—"


def build_interview_record(facts: InterviewFacts) -> Document:
    """The 约谈记录 to print and sign.

    Raises:
        ValueError: An unknown kind, or no participants or content (the service checks these
            before saving; a stored record that lacks them is not printed).
    """
    label = KIND_LABELS.get(facts.kind)
    if label is None:
        raise ValueError(f"unknown interview kind {facts.kind!r}")
    if not facts.participants.strip() or not facts.content.strip():
        raise ValueError("an interview record needs its participants and content")
    held = chinese_date(facts.held_on)
    basic = KeyValues(
        (
            ("被约谈单位", facts.entity_name),
            ("统一社会信用代码", facts.uscc),
            ("法定代表人", _dash(facts.legal_representative)),
            ("约谈类型", label),
            ("约谈时间", held),
            ("约谈地点", facts.location.strip() or "________________"),
            ("参加人员", facts.participants.strip()),
        )
    )
    sections: list[Section] = [Section("基本情况", (basic,))]
    if facts.warning_no:
        reason = Paragraph(
            f"你单位于{chinese_date(facts.warning_issued_on)}被予以失信警示"
            f"（{facts.warning_no}），整改期限至{chinese_date(facts.warning_deadline)}，"
            "逾期未见整改。依照社会信用体系建设有关规定，现对你单位进行约谈。"
        )
        blocks: list[Paragraph | KeyValues] = [reason]
        if facts.warning_content.strip():
            blocks.append(Paragraph(f"警示内容：{facts.warning_content.strip()}"))
        sections.append(Section("约谈事由", tuple(blocks)))
    sections += [
        Section("约谈内容", (Paragraph(facts.content.strip()),)),
        Section(
            "被约谈单位的承诺",
            (Paragraph(facts.commitments_made.strip() or "（未作书面承诺）"),),
        ),
        Section("约谈后果", (Paragraph(EFFECT, "warning"),)),
        Section(
            "签字",
            (
                Paragraph("本记录一式两份，约谈机关和被约谈单位各执一份。"),
                SignatureForm(
                    (
                        SignatureLine("约谈机关（盖章）"),
                        SignatureLine("约谈人（签字）", dated=True, date=held),
                        SignatureLine("记录人（签字）"),
                        SignatureLine("被约谈单位负责人（签字）", dated=True),
                    )
                ),
            ),
        ),
    ]
    return Document(
        doc_type=INTERVIEW_DOC_TYPE,
        title=INTERVIEW_TITLE,
        number=document_number(INTERVIEW_PREFIX, facts.record_id),
        issued_at=facts.issued_at.strftime("%Y-%m-%d %H:%M:%S"),
        sections=tuple(sections),
        watermark=facts.watermark,
        subject=facts.entity_name,
    )
