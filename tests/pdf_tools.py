"""Reading PDFs in tests with the real tools: poppler-utils and the zxing-cpp QR decoder."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import zxingcpp

from PySide6.QtGui import QImage


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path is not None, f"{name} is missing: scripts/setup.sh installs poppler-utils"
    return path


def pdftotext(pdf: Path, page: int, *, layout: bool = False) -> str:
    """Text of one page: reading order (``-raw``) or the page's layout (``-layout``)."""
    mode = "-layout" if layout else "-raw"
    args = [tool("pdftotext"), mode, "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdfinfo(pdf: Path) -> dict[str, str]:
    out = subprocess.run(
        [tool("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def pdffonts(pdf: Path) -> list[tuple[str, str]]:
    """(font name, emb column) of every font the PDF uses."""
    out = subprocess.run(
        [tool("pdffonts"), str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    rows = out.splitlines()[2:]  # a header line and a line of dashes
    # name type… encoding emb sub uni object-number generation: read from the right.
    return [(row.split()[0], row.split()[-5]) for row in rows if row.strip()]


def pdf_page_image(pdf: Path, page: int, dpi: int, folder: Path) -> QImage:
    prefix = folder / f"page-{page}-{dpi}"
    subprocess.run(
        [
            tool("pdftoppm"),
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-png",
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        check=True,
    )
    image = QImage(str(prefix.with_suffix(".png")))
    assert not image.isNull()
    return image


def grey_bytes(image: QImage) -> tuple[bytes, int]:
    """The image as 8-bit grey rows (and the stride between rows)."""
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    return bytes(grey.constBits()), grey.bytesPerLine()


def ink_pixels(image: QImage, below: int = 200) -> int:
    data, stride = grey_bytes(image)
    width = image.width()
    return sum(
        1 for y in range(image.height()) for v in data[y * stride : y * stride + width] if v < below
    )


def decode_qr(image: QImage) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
