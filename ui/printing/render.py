"""The one printing pipeline: lay a document out once, paint it on any device.

:func:`paint_document` serves print preview and printing (``QPrinter``) and PDF export
(``QPdfWriter``); :func:`render_pdf` and :func:`render_page_images` are built on the same
page painting. Nothing here touches a widget, so PDFs and page images can be rendered on a
worker thread (the caller needs a ``QGuiApplication`` to exist, as for any font use).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QFile, QIODevice, QLineF, QMarginsF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPaintEngine,
    QPainter,
    QPdfWriter,
    QPen,
    QTransform,
)
from PySide6.QtPrintSupport import QPrinter

from desktop_app.reports.document import (
    Document,
)
from ui.printing.body import build_body
from ui.printing.cover import CoverLayout, build_cover, paint_cover
from ui.printing.glyphs import ensure_fonts, missing_characters
from ui.printing.page import (
    paint_footer,
    paint_header,
    paint_watermark,
)
from ui.printing.pagination import BodyLayout
from ui.printing.style import LAYOUT_DPI, MM_PER_INCH, PAPER_MM, PDF_DPI, body_rect, layout_device
from ui.printing.text import draw_document, saved_state

CREATOR = "Credit Desk 信用监管工作台"


class PrintError(Exception):
    """A device could not be painted on (printer gone, file not writable).

    The message is Chinese and says what to do next.
    """


@dataclass(frozen=True, slots=True)
class RenderResult:
    """What a rendering produced.

    Attributes:
        pages: Pages painted, the cover included.
        missing_glyphs: Characters of the document the bundled font cannot draw (each once,
            in order); they may print as empty boxes, so the caller should warn the user.
        path: The PDF written, for :func:`render_pdf`.
    """

    pages: int
    missing_glyphs: tuple[str, ...]
    path: Path | None = None


class PreparedDocument:
    """A document laid out once, ready to paint on any number of devices.

    Build it on the thread that paints it (its text layouts belong to that thread).

    Attributes:
        document: The document model.
        page_count: Pages, the cover included.
        missing_glyphs: See :attr:`RenderResult.missing_glyphs`.
    """

    def __init__(self, document: Document) -> None:
        ensure_fonts()
        self.document = document
        # Every text layout measures against this device; it must live as long as they do.
        self._device = layout_device()
        self._cover: CoverLayout | None = None
        if document.cover is not None:
            self._cover = build_cover(
                document.cover, document.qr_payload, document.qr_caption, self._device
            )
        self._body: BodyLayout | None = None
        body_pages = 0
        if document.sections or document.cover is None:
            self._body = build_body(document.sections, self._device)
            body_pages = self._body.doc.pageCount()
        self.page_count = body_pages + (1 if self._cover is not None else 0)
        self.missing_glyphs = tuple(missing_characters(document))

    def paint_page(self, painter: QPainter, page: int) -> None:
        """Paint page ``page`` (from 1) in layout units, origin at the paper's corner.

        Raises:
            ValueError: There is no such page.
        """
        if not 1 <= page <= self.page_count:
            raise ValueError(f"page {page} is not in 1-{self.page_count}")
        doc = self.document
        if doc.watermark:
            paint_watermark(painter, self._device, doc.watermark)
        footer_qr = doc.qr_payload
        if self._cover is not None and page == 1:
            paint_cover(painter, self._cover)
            # The cover carries the large code; a second, small one would only compete.
            footer_qr = ""
        elif self._body is not None:
            index = page - 1 - (1 if self._cover is not None else 0)
            paint_header(painter, self._device, doc.title, doc.number)
            self._paint_body_page(painter, self._body, index)
        paint_footer(
            painter,
            self._device,
            page,
            self.page_count,
            issued_at=doc.issued_at,
            qr_payload=footer_qr,
        )

    @staticmethod
    def _paint_body_page(painter: QPainter, body: BodyLayout, index: int) -> None:
        """Body page ``index`` (from 0) in the text area, a continuing table ruled off."""
        area = body_rect()
        height = body.page_height
        clip = QRectF(0.0, index * height, area.width(), height)
        closing = body.closings.get(index)
        if closing is not None:
            # Cut the side borders Qt stretches to the margin just under the last row.
            clip.setBottom(min(clip.bottom(), closing.y + closing.width / 2))
        draw_document(painter, body.doc, area.left(), area.top() - index * height, clip)
        if closing is not None:
            y = area.top() + closing.y - index * height
            pen = QPen(closing.color, closing.width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            painter.drawLine(QLineF(area.left(), y, area.right(), y))

    def result(self, path: Path | None = None) -> RenderResult:
        """The :class:`RenderResult` of painting every page."""
        return RenderResult(self.page_count, self.missing_glyphs, path)


def prepare(document: Document | PreparedDocument) -> PreparedDocument:
    """``document`` laid out (a :class:`PreparedDocument` is returned as it is)."""
    return document if isinstance(document, PreparedDocument) else PreparedDocument(document)


def pdf_title(document: Document) -> str:
    """The title a PDF or print job of ``document`` carries: title and number."""
    return f"{document.title} {document.number}".strip()


def a4_layout() -> QPageLayout:
    """A4 portrait without margins: the pipeline draws its own margins."""
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Portrait,
        QMarginsF(0, 0, 0, 0),
        QPageLayout.Unit.Millimeter,
    )


def new_printer(document: Document) -> QPrinter:
    """A high-resolution A4 printer for ``document``: job named by title and number."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(a4_layout())
    printer.setFullPage(True)
    printer.setDocName(pdf_title(document))
    printer.setCreator(CREATOR)
    return printer


def layout_to_device(
    scale_x: float, scale_y: float, dx: float, dy: float, rasterised: bool
) -> QTransform:
    """The transform from layout units to a device's pixels.

    Qt's raster engine draws small text from a glyph cache in which FreeType applies its
    synthetic bold (the bundled font has no bold face) at the font's unscaled size to an
    outline already scaled down: bold text in a preview or a page image comes out as ink
    blots. With a vanishing perspective term (10⁻⁹: a hundredth of a pixel across the page)
    the raster engine fills the glyphs' paths instead, which are emboldened correctly. A PDF
    writer or a printer would turn such text into outlines, so they get the plain scale.

    Args:
        scale_x: Device pixels per layout unit, across.
        scale_y: Device pixels per layout unit, down.
        dx: Where the paper's left edge is, in device pixels.
        dy: Where the paper's top edge is, in device pixels.
        rasterised: Whether Qt's raster engine will draw the text (images, print preview).
    """
    perspective = 1e-9 if rasterised else 0.0
    return QTransform(scale_x, 0.0, perspective, 0.0, scale_y, 0.0, dx, dy, 1.0)


def paint_document(
    document: Document | PreparedDocument, device: QPagedPaintDevice
) -> RenderResult:
    """Paint every page of ``document`` on a printer, a PDF writer or a preview printer.

    The device is set to A4 portrait; pages are laid out at a fixed resolution and scaled to
    the device's, so page breaks are the same on every device.

    Args:
        document: The document, or one already laid out.
        device: A ``QPrinter`` (print, or the printer a ``QPrintPreviewDialog`` hands to
            ``paintRequested``) or a ``QPdfWriter``. It must not be painted on already.

    Returns:
        Pages painted and the characters the font lacks.

    Raises:
        PrintError: The device could not be opened for painting.
    """
    prepared = prepare(document)
    device.setPageLayout(a4_layout())
    if isinstance(device, QPrinter):
        # Paint from the paper's corner; the driver clips what the printer cannot reach.
        device.setFullPage(True)
    painter = QPainter()
    if not painter.begin(device):
        raise PrintError(
            QCoreApplication.translate(
                "Printing", "无法开始打印：打印机或文件不可用。请检查打印机连接，或改为导出 PDF。"
            )
        )
    try:
        dpi_x, dpi_y = device.logicalDpiX(), device.logicalDpiY()
        origin = device.pageLayout().paintRectPixels(dpi_x).topLeft()
        engine = device.paintEngine()
        # A print preview records pages as pictures that the screen rasterises.
        rasterised = engine is not None and engine.type() == QPaintEngine.Type.Picture
        to_device = layout_to_device(
            dpi_x / LAYOUT_DPI, dpi_y / LAYOUT_DPI, -origin.x(), -origin.y(), rasterised
        )
        for page in range(1, prepared.page_count + 1):
            if page > 1 and not device.newPage():
                raise PrintError(
                    QCoreApplication.translate("Printing", "打印在第 {page} 页中断。").format(
                        page=page
                    )
                )
            with saved_state(painter):
                painter.setWorldTransform(to_device)
                prepared.paint_page(painter, page)
    finally:
        painter.end()
    return prepared.result()


def render_pdf(document: Document | PreparedDocument, path: str | os.PathLike[str]) -> RenderResult:
    """Write ``document`` as an A4 PDF (300 dpi, bundled font embedded) to ``path``.

    The PDF is written to a temporary file beside ``path`` and renamed over it only when
    complete, so ``path`` never holds half a PDF, and an existing file is replaced only on
    success. Safe to call on a worker thread.

    Returns:
        Pages, missing characters and the path written.

    Raises:
        OSError: The folder is not writable.
        PrintError: Qt could not paint the PDF.
    """
    target = Path(path)
    prepared = prepare(document)
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        _write_pdf(prepared, temp)
        # A new export is the user's alone (a report holds personal data); an existing file
        # keeps the mode its owner gave it.
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o600
        temp.chmod(mode)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return prepared.result(target)


def _write_pdf(prepared: PreparedDocument, path: Path) -> None:
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.WriteOnly | QIODevice.OpenModeFlag.Truncate):
        raise OSError(f"cannot write {path}: {file.errorString()}")
    try:
        writer = QPdfWriter(file)
        writer.setResolution(PDF_DPI)
        writer.setTitle(pdf_title(prepared.document))
        writer.setCreator(CREATOR)
        paint_document(prepared, writer)
        del writer
        if not file.flush():
            raise OSError(f"cannot write {path}: {file.errorString()}")
        os.fsync(file.handle())
    finally:
        file.close()


def page_size_pixels(dpi: float) -> QSize:
    """The A4 sheet in pixels at ``dpi``."""
    return QSize(
        round(PAPER_MM.width() / MM_PER_INCH * dpi), round(PAPER_MM.height() / MM_PER_INCH * dpi)
    )


def render_page_images(
    document: Document | PreparedDocument, dpi: float = 96, pages: Sequence[int] | None = None
) -> list[QImage]:
    """Paint pages as white A4 images (previews, thumbnails, tests). Thread-safe.

    Args:
        document: The document, or one already laid out.
        dpi: Image resolution.
        pages: Page numbers from 1 (as printed in the footer); all pages when omitted.

    Returns:
        One RGB image per page, in the order asked for.

    Raises:
        ValueError: A page number is out of range.
    """
    prepared = prepare(document)
    wanted = list(pages) if pages is not None else list(range(1, prepared.page_count + 1))
    for page in wanted:
        if not 1 <= page <= prepared.page_count:
            raise ValueError(f"page {page} is not in 1-{prepared.page_count}")
    size = page_size_pixels(dpi)
    dots_per_metre = round(dpi / MM_PER_INCH * 1000)
    images = []
    for page in wanted:
        image = QImage(size, QImage.Format.Format_RGB32)
        image.setDotsPerMeterX(dots_per_metre)
        image.setDotsPerMeterY(dots_per_metre)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        painter.setWorldTransform(layout_to_device(dpi / LAYOUT_DPI, dpi / LAYOUT_DPI, 0, 0, True))
        try:
            prepared.paint_page(painter, page)
        finally:
            painter.end()
        images.append(image)
    return images
