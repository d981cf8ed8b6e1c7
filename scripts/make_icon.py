"""Draw the application icon (resources/icons/credit-desk-<size>.png) with Qt.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_icon.py``

A seal-red rounded square with a white 信 in the bundled CJK font and a thin gold tick — the
icon of the desktop entry, the window and the installers (also packaging/windows/credit-desk.ico
for Inno Setup). The files are committed; rerun this after changing the design.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter, QPen

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
SIZES = (16, 32, 48, 64, 128, 256, 512)
RED = QColor("#a31d1d")
GOLD = QColor("#f2c14e")


def draw(size: int, family: str) -> QImage:
    """The icon at ``size`` × ``size`` pixels (transparent corners)."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    margin = size * 0.06
    box = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(RED)
    p.drawRoundedRect(box, size * 0.18, size * 0.18)
    font = QFont(family)
    font.setPixelSize(int(size * 0.62))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(box.adjusted(0, -size * 0.05, 0, -size * 0.05), Qt.AlignmentFlag.AlignCenter, "信")
    if size >= 32:  # the tick: checked, trustworthy
        pen = QPen(GOLD, max(1.5, size * 0.055))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        s = size
        p.drawPolyline(
            [QPointF(s * 0.60, s * 0.80), QPointF(s * 0.68, s * 0.87), QPointF(s * 0.84, s * 0.70)]
        )
    p.end()
    return image


def main() -> int:
    """Write every size; return 0."""
    app = QGuiApplication(sys.argv)
    font_id = QFontDatabase.addApplicationFont(
        str(ROOT / "resources" / "fonts" / "WenQuanYiMicroHei.ttf")
    )
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        print("the bundled CJK font could not be loaded", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        target = OUT / f"credit-desk-{size}.png"
        if not draw(size, families[0]).save(str(target)):
            print(f"could not write {target}", file=sys.stderr)
            return 1
        print(f"wrote {target.relative_to(ROOT)}")
    ico = ROOT / "packaging" / "windows" / "credit-desk.ico"
    write_ico(ico, [OUT / f"credit-desk-{size}.png" for size in (16, 32, 48, 64, 128, 256)])
    print(f"wrote {ico.relative_to(ROOT)}")
    del app
    return 0


def write_ico(target: Path, pngs: list[Path]) -> None:
    """A Windows .ico holding ``pngs`` as they are (PNG-compressed entries, Vista and later)."""
    blobs = [png.read_bytes() for png in pngs]
    header = struct.pack("<HHH", 0, 1, len(blobs))
    offset = len(header) + 16 * len(blobs)
    entries = b""
    for png, blob in zip(pngs, blobs, strict=True):
        size = int(png.stem.rsplit("-", 1)[1])
        side = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(header + entries + b"".join(blobs))


if __name__ == "__main__":
    sys.exit(main())
