"""Signature areas print as forms: label, line and the whole date on one line of A4."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from desktop_app.reports.commitment_letter import build_commitment_letter, build_tolerance_notice
from desktop_app.reports.document import (
    Document,
    Paragraph,
    Section,
    SignatureBlock,
    SignatureForm,
    SignatureLine,
)
from desktop_app.reports.inspection_record import build_onsite_record, build_rectification_notice
from tests.pdf_tools import grey_bytes, pdf_page_image, pdftotext
from tests.reports.test_commitment_letter import DATA as LETTER
from tests.reports.test_inspection_record import DATA as RECORD
from ui.printing import render_pdf

# The widest date of a year: two-digit month and day.
SIGNED = date(2026, 12, 30)


def _longest_run(row: bytes) -> int:
    best = run = 0
    for value in row:
        run = run + 1 if value < 128 else 0
        best = max(best, run)
    return best


def _groups(ys: list[int]) -> list[list[int]]:
    """Consecutive pixel rows joined (a 0.3 mm line may cover two rows)."""
    groups: list[list[int]] = []
    for y in ys:
        if groups and y - groups[-1][-1] <= 1:
            groups[-1].append(y)
        else:
            groups.append([y])
    return groups


def _layout_lines(pdf: Path, pages: int) -> list[str]:
    text = "".join(pdftotext(pdf, page, layout=True) for page in range(1, pages + 1))
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("document", "dated_label"),
    [
        (build_commitment_letter(replace(LETTER, signed_on=SIGNED)), "受理单位（盖章）："),
        (
            build_tolerance_notice(replace(LETTER, signed_on=SIGNED)),
            "申请人/法定代表人或委托代理人（签字）：",
        ),
        (build_onsite_record(replace(RECORD, inspected_on=SIGNED)), "被检查单位负责人（签字）："),
        (build_rectification_notice(replace(RECORD, inspected_on=SIGNED)), "执法人员（签字）："),
    ],
    ids=["letter", "tolerance_notice", "onsite_record", "warning_notice"],
)
def test_label_and_whole_date_print_on_one_line(
    qapp: object, tmp_path: Path, document: Document, dated_label: str
) -> None:
    pdf = tmp_path / "form.pdf"
    result = render_pdf(document, pdf)
    lines = _layout_lines(pdf, result.pages)
    dated = [line for line in lines if line.startswith(dated_label) and "日期：" in line]
    assert dated, lines[-12:]
    # The date is whole, after the label on the same line: never "2026年12月3" / "日".
    assert all(re.search(r"日期：\s*2026年12月30日$", line) for line in dated), dated
    assert not any(re.fullmatch(r"日|字）：|字）", line) for line in lines), lines[-12:]


def test_a_blank_date_and_a_long_label_stay_on_their_lines(qapp: object, tmp_path: Path) -> None:
    long_label = "承诺人/法定代表人或委托代理人（签字）"
    document = Document(
        doc_type="test",
        title="签字表",
        number="T-1",
        issued_at="2026-12-03 09:00:00",
        sections=(
            Section(
                "签署",
                (
                    Paragraph("以下签字。"),
                    SignatureForm(
                        (
                            SignatureLine(long_label, dated=True),
                            SignatureLine("受理单位（盖章）", dated=True, date="2026年12月30日"),
                            SignatureLine("经办人（签字）"),
                        )
                    ),
                ),
            ),
        ),
    )
    pdf = tmp_path / "blank.pdf"
    result = render_pdf(document, pdf)
    assert result.missing_glyphs == ()
    lines = _layout_lines(pdf, result.pages)
    assert any(re.fullmatch(rf"{re.escape(long_label)}：\s+日期：____年__月__日", x) for x in lines)
    assert any(re.fullmatch(r"受理单位（盖章）：\s+日期：2026年12月30日", x) for x in lines)
    assert "经办人（签字）：" in lines
    # The signing lines are drawn: three rows of the body (below the header's rule, 37 mm
    # from the top) with a long run of ink.
    image = pdf_page_image(pdf, result.pages, 80, tmp_path)
    data, stride = grey_bytes(image)
    ruled = [
        y
        for y in range(round(37 / 25.4 * 80), image.height())
        if _longest_run(data[y * stride : y * stride + image.width()]) >= 60  # ~19 mm
    ]
    assert len(_groups(ruled)) == 3, ruled


def test_signature_forms_round_trip_and_old_blocks_still_read() -> None:
    form = SignatureForm((SignatureLine("经办人（签字）"), SignatureLine("单位（盖章）", True, "")))
    document = Document("t", "T", "1", "2026-12-03", (Section("签署", (form,)),))
    assert Document.from_json(document.to_json()) == document
    # A report stored before signature forms existed reprints byte for byte.
    old = Document("t", "T", "1", "2026-12-03", (Section("签署", (SignatureBlock(("经办人",)),)),))
    assert Document.from_json(old.to_json()).to_json() == old.to_json()
    assert '"signature_form"' not in old.to_json()


def test_an_old_signature_block_prints_as_undated_form_rows(qapp: object, tmp_path: Path) -> None:
    old = Document(
        "t", "T", "1", "2026-12-03",
        (Section("签署", (SignatureBlock(("出具单位（盖章）", "经办人（签字）：")),)),),
    )  # fmt: skip
    pdf = tmp_path / "old.pdf"
    render_pdf(old, pdf)
    lines = _layout_lines(pdf, 1)
    assert "出具单位（盖章）：" in lines and "经办人（签字）：" in lines


def test_the_subject_names_exported_files_and_round_trips_only_when_set() -> None:
    letter = build_commitment_letter(LETTER)
    assert letter.subject == LETTER.entity_name
    assert Document.from_json(letter.to_json()) == letter
    assert build_onsite_record(RECORD).subject == RECORD.entity_name
    bare = Document("t", "T", "1", "2026-12-03", ())
    assert '"subject"' not in bare.to_json()  # stored documents keep their exact bytes
