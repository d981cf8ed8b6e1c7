"""The printing pipeline, checked on real PDFs with poppler's tools and a real QR decoder."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QImage, QTextFormat
from PySide6.QtPrintSupport import QPrintPreviewWidget
from PySide6.QtWidgets import QApplication, QDialog

from desktop_app.reports.document import (
    Cover,
    Document,
    KeyValues,
    Paragraph,
    Section,
    SignatureBlock,
    Table,
)
from tests.pdf_tools import (
    decode_qr,
    grey_bytes,
    ink_pixels,
    pdf_page_image,
    pdffonts,
    pdfinfo,
    pdftotext,
)
from ui.printing import (
    CREATOR,
    PreparedDocument,
    RenderResult,
    missing_characters,
    new_printer,
    paint_document,
    render_page_images,
    render_pdf,
)
from ui.printing.body import build_body, chinese_number
from ui.printing.preview import (
    DocumentPreviewDialog,
    DocumentPrintDialog,
    open_print_preview,
    print_document,
)
from ui.printing.style import layout_device

TITLE = "现场检查记录（测试）"
NUMBER = "JC-2026-000042"
WATERMARK = "仅供招标投标使用"
PAYLOAD = "CDR1.test-payload"
RARE = "堃喆昇玥镕赟"
ROWS = 120
LONG_ROW_START = "长行开始标记"
LONG_ROW_END = "长行结束标记"
# A paragraph longer than what is left of its page, with markers a line never breaks inside.
LONG_PARAGRAPH = "".join(f"第S{i:03d}条意见已经现场核实无误。" for i in range(1, 151))
# The shape of a real credit-report payload (sync/protocol/report_payload.py): ~330 chars.
LONG_PAYLOAD = (
    "CDR1."
    + "eyJkIjoiZGV2aWNlLTEyMzQ1Njc4IiwiaCI6IjAxMjM0NTY3ODlhYmNkZWYi" * 4
    + "."
    + ("c2lnbmF0dXJl" * 7 + "c2ln")
)


def make_document(**changes: object) -> Document:
    rows = [
        (
            f"R-{i:03d}",
            f"检查事项第{i}项：经营场所公示信息",
            "符合" if i % 4 else "不符合",
            "责令改正",
        )
        for i in range(1, ROWS + 1)
    ]
    # One row taller than a page: it has to break across pages.
    long_text = LONG_ROW_START + "现场核查记录内容较长，需要跨页续排。" * 260 + LONG_ROW_END
    rows.insert(60, ("R-LONG", long_text, "不符合", "立案调查"))
    document = Document(
        doc_type="test_record",
        title=TITLE,
        number=NUMBER,
        issued_at="2026-11-27 10:05:31",
        cover=Cover(
            title="现场检查记录",
            subtitle="（测试用文书）",
            facts=(("文书编号", NUMBER), ("被检查单位", f"长治市{RARE}商贸有限公司")),
            warning="本文书为测试样张，不作为执法依据。",
            footer="长治市市场监督管理局",
        ),
        sections=(
            Section(
                "基本信息",
                (
                    KeyValues(
                        (
                            ("单位名称", f"长治市{RARE}商贸有限公司"),
                            ("统一社会信用代码", "91140400MA0K12345X"),
                            ("法定代表人", "王玥"),
                            ("检查日期", "2026-11-27"),
                            ("检查地点", "长治市潞州区英雄中路 1 号"),
                        ),
                        columns=2,
                    ),
                    Paragraph("依据《行政许可法》对该单位开展现场检查。<b>&amp;</b> 原样打印。"),
                    Paragraph(LONG_PARAGRAPH),
                    Paragraph("注：以现场记录为准。", style="note"),
                    Paragraph("发现未按规定公示信息，请限期整改。", style="warning"),
                    Paragraph("小号文字", style="small"),
                    Paragraph("检查人员", style="heading"),
                    KeyValues((("执法人员", "李昇、赵赟"),)),
                ),
            ),
            Section(
                "检查记录",
                (
                    Table(
                        columns=("编号", "检查事项", "检查结果", "处理结果"),
                        rows=tuple(rows),
                        widths=(12, 52, 16, 20),
                        caption="表1 检查事项逐项记录",
                    ),
                ),
            ),
            Section("整改情况", (Table(("序号", "整改事项"), (), empty_text="暂无整改记录"),)),
            Section(
                "签章",
                (SignatureBlock(("检查人员（签名）", "被检查单位（盖章）", "日期")),),
                page_break_before=True,
            ),
        ),
        watermark=WATERMARK,
        qr_payload=PAYLOAD,
        qr_caption="扫码核验文书真伪",
    )
    return dataclasses.replace(document, **changes)


@pytest.fixture(scope="module")
def printed(
    qapp: QApplication, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, RenderResult]:
    """The test document as a PDF, rendered once for the module."""
    path = tmp_path_factory.mktemp("printed") / "record.pdf"
    return path, render_pdf(make_document(), path)


@pytest.fixture(scope="module")
def plain(
    qapp: QApplication, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, RenderResult]:
    """The same document without a watermark (its diagonal text scatters -layout output)."""
    path = tmp_path_factory.mktemp("plain") / "record.pdf"
    return path, render_pdf(make_document(watermark=""), path)


def test_every_page_carries_page_x_of_y(printed) -> None:
    pdf, result = printed
    total = result.pages
    assert total >= 6
    assert int(pdfinfo(pdf)["Pages"]) == total
    for page in range(1, total + 1):
        assert f"第 {page} 页 / 共 {total} 页" in pdftotext(pdf, page), page
    assert result.path == pdf


def test_running_header_on_every_page_but_the_cover(plain) -> None:
    pdf, result = plain
    assert f"编号：{NUMBER}" not in pdftotext(pdf, 1)
    for page in range(2, result.pages + 1):
        lines = pdftotext(pdf, page, layout=True).splitlines()
        header = next(line for line in lines if line.strip())
        # Title on the left and the number on the right of one line, at the top of the page.
        assert header.strip().startswith(TITLE), header
        assert header.rstrip().endswith(f"编号：{NUMBER}"), header
    last = pdftotext(pdf, result.pages, layout=True)
    assert f"第 {result.pages} 页 / 共 {result.pages} 页" in last


def test_cover_first_then_body_from_page_two(printed) -> None:
    pdf, _result = printed
    cover = pdftotext(pdf, 1)
    for text in (
        "现场检查记录",
        "（测试用文书）",
        "文书编号",
        NUMBER,
        "本文书为测试样张",
        "长治市市场监督管理局",
        "扫码核验文书真伪",
    ):
        assert text in cover, text
    assert "一、基本信息" not in cover
    assert "一、基本信息" in pdftotext(pdf, 2)


def test_sections_are_numbered_and_every_block_prints(printed) -> None:
    pdf, result = printed
    text = "\n".join(pdftotext(pdf, page) for page in range(1, result.pages + 1))
    for heading in ("一、基本信息", "二、检查记录", "三、整改情况", "四、签章"):
        assert heading in text
    for piece in (
        "表1 检查事项逐项记录",
        "暂无整改记录",  # an empty table prints its empty text
        "注：以现场记录为准。",
        "发现未按规定公示信息，请限期整改。",
        "<b>&amp;</b> 原样打印",  # plain text, never interpreted as HTML
        "检查人员（签名）",
        "被检查单位（盖章）",
        "执法人员",
        "李昇、赵赟",
    ):
        assert piece in text, piece
    # Every row is printed once: nothing lost or doubled at the page breaks.
    for i in range(1, ROWS + 1):
        assert text.count(f"R-{i:03d}") == 1, i


def test_a_paragraph_broken_across_pages_prints_each_line_once(printed) -> None:
    pdf, result = printed
    texts = [pdftotext(pdf, page) for page in range(1, result.pages + 1)]
    first = next(i for i, text in enumerate(texts) if "S001" in text)
    last = next(i for i, text in enumerate(texts) if "S150" in text)
    assert last > first  # it does continue on the next page
    everything = "".join(texts)
    for i in range(1, 151):
        assert everything.count(f"S{i:03d}") == 1, i


def test_signature_section_starts_a_new_page(printed) -> None:
    pdf, result = printed
    last = pdftotext(pdf, result.pages)
    assert "四、签章" in last
    assert "R-120" not in last
    assert "四、签章" not in pdftotext(pdf, result.pages - 1)


def test_table_header_repeats_on_every_page_the_table_spans(plain) -> None:
    pdf, result = plain
    pages_with_rows = []
    for page in range(1, result.pages + 1):
        lines = pdftotext(pdf, page, layout=True).splitlines()
        rows = [i for i, line in enumerate(lines) if "R-" in line or "跨页续排" in line]
        if not rows:
            continue
        pages_with_rows.append(page)
        header = [i for i, line in enumerate(lines) if "检查事项" in line and "检查结果" in line]
        assert header, f"no header row on page {page}"
        assert header[0] < rows[0], f"header below the rows on page {page}"
    assert len(pages_with_rows) >= 3


def test_a_row_taller_than_a_page_breaks_across_pages(printed) -> None:
    pdf, result = printed
    texts = {page: pdftotext(pdf, page) for page in range(1, result.pages + 1)}
    start = next(p for p, t in texts.items() if LONG_ROW_START in t)
    end = next(p for p, t in texts.items() if LONG_ROW_END in t)
    assert end > start
    assert all("跨页续排" in texts[p] for p in range(start, end + 1))


def ink_in(image: QImage, left_mm: float, top_mm: float, right_mm: float, bottom_mm: float) -> int:
    """Pixels darker than the paper inside a rectangle given in millimetres."""
    data, stride = grey_bytes(image)
    dots = image.width() / 210.0
    x0, x1 = round(left_mm * dots), round(right_mm * dots)
    return sum(
        1
        for y in range(round(top_mm * dots), round(bottom_mm * dots))
        for v in data[y * stride + x0 : y * stride + x1]
        if v < 235
    )


def test_body_stays_inside_its_margins(qapp) -> None:
    images = render_page_images(make_document(watermark=""), 60)
    for page, image in enumerate(images[1:], start=2):
        assert ink_in(image, 0, 31, 210, 36.5) == 0, f"page {page}: below the header rule"
        assert ink_in(image, 0, 262.5, 210, 268.5) == 0, f"page {page}: above the footer"
        assert ink_in(image, 0, 0, 27.5, 297) == 0, f"page {page}: left margin"
        assert ink_in(image, 184.5, 0, 210, 297) == 0, f"page {page}: right margin"


def test_a_long_cover_shrinks_to_fit_its_page(qapp, tmp_path: Path) -> None:
    facts = tuple((f"事项{i}", f"内容第{i}条") for i in range(1, 41))
    document = make_document(
        watermark="", cover=Cover(title="很长的封面", facts=facts, footer="长治市市场监督管理局")
    )
    pdf = tmp_path / "cover.pdf"
    render_pdf(document, pdf)
    cover = pdftotext(pdf, 1)
    assert "内容第40条" in cover
    assert "长治市市场监督管理局" in cover
    assert "一、基本信息" in pdftotext(pdf, 2)
    (image,) = render_page_images(document, 60, pages=[1])
    assert ink_in(image, 0, 0, 27.5, 297) == 0
    assert ink_in(image, 0, 0, 210, 36.5) == 0  # no header on a cover, and nothing above it


def test_a_table_going_on_is_ruled_off_under_its_last_row(plain) -> None:
    pdf, result = plain
    texts = {page: pdftotext(pdf, page) for page in range(1, result.pages + 1)}
    has_rows = {page for page, text in texts.items() if "R-" in text or "跨页续排" in text}
    continuing = sorted(page for page in has_rows if page + 1 in has_rows)
    assert len(continuing) >= 2
    images = render_page_images(make_document(watermark=""), 100, pages=continuing)
    for page, image in zip(continuing, images, strict=True):
        data, stride = grey_bytes(image)
        dots = image.width() / 210.0
        left, right = round(29 * dots), round(183 * dots)
        # The lowest ink of the text area is a rule across the whole table (antialiased over
        # up to three pixel rows).
        lowest = max(
            y
            for y in range(round(37 * dots), round(262 * dots))
            if any(v < 235 for v in data[y * stride + left : y * stride + right])
        )
        band = range(lowest - 2, lowest + 1)
        covered = sum(
            1 for x in range(left, right) if min(data[y * stride + x] for y in band) < 235
        )
        assert covered > 0.95 * (right - left), f"page {page}: the table is left open"


def test_bundled_cjk_font_is_embedded_and_the_only_font(printed) -> None:
    pdf, _result = printed
    fonts = pdffonts(pdf)
    assert fonts
    for name, embedded in fonts:
        assert embedded == "yes", name
        assert "WenQuanYi" in name, name


def test_metadata_title_and_creator(printed) -> None:
    pdf, _result = printed
    info = pdfinfo(pdf)
    assert info["Title"] == f"{TITLE} {NUMBER}"
    assert info["Creator"] == CREATOR
    assert info["Page size"].startswith("595 x 842 pts")  # A4


def test_rare_characters_print_and_nothing_is_missing(printed) -> None:
    pdf, result = printed
    assert RARE in pdftotext(pdf, 2)
    assert RARE in pdftotext(pdf, 1)
    assert result.missing_glyphs == ()


def test_characters_the_font_lacks_are_reported(qapp, tmp_path: Path) -> None:
    document = make_document(
        sections=(Section("生僻字", (Paragraph("𠀀姓"), Table(("姓名",), (("李\U00020001",),)))),),
        watermark="𠀀",
    )
    assert missing_characters(document) == ["𠀀", "\U00020001"]
    result = render_pdf(document, tmp_path / "rare.pdf")
    assert result.missing_glyphs == ("𠀀", "\U00020001")
    assert missing_characters(make_document()) == []


def test_page_one_is_not_blank(printed, tmp_path: Path) -> None:
    pdf, result = printed
    for page in (1, result.pages):
        image = pdf_page_image(pdf, page, 50, tmp_path)
        assert abs(image.width() - 413) <= 1  # A4 at 50 dpi
        share = ink_pixels(image) / (image.width() * image.height())
        assert share > 0.01, f"page {page} looks blank ({share:.4f} ink)"


def test_watermark_on_every_page(printed, plain) -> None:
    pdf, result = printed
    for page in range(1, result.pages + 1):
        assert WATERMARK in pdftotext(pdf, page), page
    plain_pdf, _ = plain
    assert all(WATERMARK not in pdftotext(plain_pdf, p) for p in range(1, result.pages + 1))


def test_watermark_is_light_and_under_the_text(qapp) -> None:
    marked, unmarked = (
        render_page_images(make_document(watermark=w), 60, pages=[2])[0] for w in (WATERMARK, "")
    )
    a, stride = grey_bytes(marked)
    b, _ = grey_bytes(unmarked)
    width, height = marked.width(), marked.height()
    changed = 0
    for y in range(height):
        for x in range(y * stride, y * stride + width):
            if a[x] == b[x]:
                continue
            changed += 1
            if b[x] < 80:  # solid text: the watermark is under it, it stays as dark
                assert a[x] <= b[x] + 8, (x, y)
            elif b[x] > 250:  # blank paper: the watermark alone is light grey
                assert a[x] >= 200, (x, y)
    assert changed > 0.01 * width * height


def test_bold_text_in_small_page_images_is_not_smudged(qapp) -> None:
    # The heading "一、基本信息" (bold) at 75 dpi has as much ink as the 300 dpi page scaled
    # down to 75 dpi; Qt's glyph cache used to embolden it at its 300 dpi strength.
    prepared = PreparedDocument(make_document(watermark=""))
    (small,) = render_page_images(prepared, 75, pages=[2])
    (large,) = render_page_images(prepared, 300, pages=[2])
    large = large.scaled(
        small.size(),
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )

    def heading_ink(image: QImage) -> int:
        data, stride = grey_bytes(image)
        dots = image.width() / 210.0
        x0, x1 = round(28 * dots), round(100 * dots)
        rows = range(round(37 * dots), round(45 * dots))
        return sum(1 for y in rows for v in data[y * stride + x0 : y * stride + x1] if v < 128)

    assert heading_ink(large) > 100
    assert heading_ink(small) < 1.3 * heading_ink(large)


def test_qr_code_round_trips_through_a_real_decoder(printed, tmp_path: Path) -> None:
    pdf, _result = printed
    # The PDF as poppler rasterises it at 200 dpi: the cover's large code and a footer code.
    assert decode_qr(pdf_page_image(pdf, 1, 200, tmp_path)) == [PAYLOAD]
    assert decode_qr(pdf_page_image(pdf, 2, 200, tmp_path)) == [PAYLOAD]
    # Qt's own page images too.
    cover, body = render_page_images(make_document(), 200, pages=[1, 2])
    assert decode_qr(cover) == [PAYLOAD]
    assert decode_qr(body) == [PAYLOAD]


def test_full_length_payload_decodes_from_the_small_footer_code(qapp) -> None:
    document = make_document(qr_payload=LONG_PAYLOAD, cover=None)
    (page,) = render_page_images(document, 200, pages=[1])
    assert decode_qr(page) == [LONG_PAYLOAD]


def test_no_qr_code_without_payload(qapp) -> None:
    (page,) = render_page_images(make_document(qr_payload=""), 200, pages=[2])
    assert decode_qr(page) == []


def test_rendering_on_worker_threads_gives_the_same_pdf_text(printed, tmp_path: Path) -> None:
    pdf, result = printed
    outcome: dict[str, object] = {}

    def work(key: str, path: Path) -> Callable[[], None]:
        def run() -> None:
            try:
                outcome[key] = render_pdf(make_document(), path)
            except Exception as exc:  # handed to the test thread
                outcome[key] = exc

        return run

    thread = threading.Thread(target=work("thread", tmp_path / "thread.pdf"))
    thread.start()
    thread.join(60)
    pool = QThreadPool()
    pool.start(work("pool", tmp_path / "pool.pdf"))
    assert pool.waitForDone(60_000)
    for key in ("thread", "pool"):
        other = outcome[key]
        assert isinstance(other, RenderResult), other
        assert other.pages == result.pages
        assert other.path is not None
        for page in (1, 2, result.pages):
            assert pdftotext(other.path, page) == pdftotext(pdf, page)


def test_page_images(qapp) -> None:
    prepared = PreparedDocument(make_document())
    images = render_page_images(prepared, 30)
    assert len(images) == prepared.page_count
    assert {(i.width(), i.height()) for i in images} == {(248, 351)}
    (last,) = render_page_images(prepared, 30, pages=[prepared.page_count])
    assert last == images[-1]
    with pytest.raises(ValueError, match="page 0"):
        render_page_images(prepared, 30, pages=[0])
    with pytest.raises(ValueError, match=f"page {prepared.page_count + 1} is not"):
        render_page_images(prepared, 30, pages=[prepared.page_count + 1])


def test_pdf_replaces_an_existing_file_only_when_complete(
    qapp, tmp_path: Path, monkeypatch
) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"the previous export")
    result = render_pdf(make_document(), target)
    assert target.read_bytes().startswith(b"%PDF-")
    assert int(pdfinfo(target)["Pages"]) == result.pages
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]

    target.write_bytes(b"the previous export")
    original = PreparedDocument.paint_page

    def crash_on_page_three(self: PreparedDocument, painter, page: int) -> None:
        if page == 3:
            raise RuntimeError("power cut")
        original(self, painter, page)

    monkeypatch.setattr(PreparedDocument, "paint_page", crash_on_page_three)
    with pytest.raises(RuntimeError, match="power cut"):
        render_pdf(make_document(), target)
    assert target.read_bytes() == b"the previous export"
    with pytest.raises(RuntimeError):
        render_pdf(make_document(), tmp_path / "new.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_pdf_into_a_missing_folder_raises_oserror(qapp, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        render_pdf(make_document(), tmp_path / "missing" / "report.pdf")
    assert list(tmp_path.iterdir()) == []


def test_document_without_cover_starts_with_its_body(qapp, tmp_path: Path) -> None:
    pdf = tmp_path / "plain.pdf"
    result = render_pdf(make_document(cover=None, watermark=""), pdf)
    first = pdftotext(pdf, 1, layout=True)
    assert f"编号：{NUMBER}" in first
    assert "一、基本信息" in first
    assert f"第 1 页 / 共 {result.pages} 页" in first


def test_headings_and_captions_stay_with_what_follows(qapp) -> None:
    device = layout_device()
    moved = 0
    for filler in range(0, 40, 2):
        sections = (
            Section("填充", tuple(Paragraph(f"第{i}段填充文字。") for i in range(filler))),
            Section(
                "表格",
                (
                    Table(
                        ("甲", "乙"), tuple((str(i), "值") for i in range(30)), caption="表1 标题"
                    ),
                ),
            ),
            Section("段落", (Paragraph("正文" * 40),)),
        )
        body = build_body(sections, device)
        layout = body.doc.documentLayout()
        height = body.page_height
        for lead, follower in body.keep_with_next:
            lead_page = layout.blockBoundingRect(lead).top() // height
            assert lead_page == layout.blockBoundingRect(follower).top() // height, filler
            policy = lead.blockFormat().pageBreakPolicy()
            moved += bool(policy & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    assert moved > 0  # some filler length did put a heading at the foot of a page


def test_chinese_section_numbers() -> None:
    expected = {
        1: "一",
        2: "二",
        9: "九",
        10: "十",
        11: "十一",
        19: "十九",
        20: "二十",
        23: "二十三",
        99: "九十九",
    }
    assert {n: chinese_number(n) for n in expected} == expected
    for bad in (0, 100):
        with pytest.raises(ValueError, match="out of range"):
            chinese_number(bad)


def test_print_preview_paints_the_same_pages(qtbot, printed) -> None:
    _pdf, result = printed
    dialog = DocumentPreviewDialog(make_document())
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.rendered, timeout=30_000) as blocker:
        dialog.open()
    assert blocker.args[0].pages == result.pages
    preview = dialog.findChild(QPrintPreviewWidget)
    assert preview is not None
    qtbot.waitUntil(lambda: preview.pageCount() == result.pages)
    assert TITLE in dialog.windowTitle()
    dialog.close()


def test_print_dialog_prints_through_the_same_pipeline(qtbot, printed, tmp_path: Path) -> None:
    _pdf, result = printed
    document = make_document()
    printer = new_printer(document)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    dialog = DocumentPrintDialog(document, printer=printer)
    qtbot.addWidget(dialog)
    QDialog.open(dialog)
    with qtbot.waitSignal(dialog.printed, timeout=30_000) as blocker:
        dialog.accept()
    assert blocker.args[0].pages == result.pages
    assert int(pdfinfo(target)["Pages"]) == result.pages
    assert all(embedded == "yes" for _name, embedded in pdffonts(target))
    assert f"第 2 页 / 共 {result.pages} 页" in pdftotext(target, 2)


def test_open_helpers_show_the_dialogs_and_clean_up(qtbot) -> None:
    preview = open_print_preview(make_document())
    assert preview.isVisible()
    widget = preview.findChild(QPrintPreviewWidget)
    assert widget is not None
    qtbot.waitUntil(lambda: widget.pageCount() > 1)
    with qtbot.waitSignal(preview.destroyed):
        preview.close()
    dialog = print_document(make_document())
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.destroyed):
        dialog.reject()


def test_paint_document_on_a_pdf_writer_matches_render_pdf(qapp, printed, tmp_path: Path) -> None:
    from PySide6.QtGui import QPdfWriter

    _pdf, result = printed
    path = tmp_path / "direct.pdf"
    writer = QPdfWriter(str(path))
    outcome = paint_document(make_document(), writer)
    del writer
    assert outcome.pages == result.pages
    assert int(pdfinfo(path)["Pages"]) == result.pages
