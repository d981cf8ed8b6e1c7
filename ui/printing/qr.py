"""The verification QR code, drawn as vector rectangles so it is crisp at any resolution."""

from __future__ import annotations

from functools import lru_cache

import segno

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath

from ui.printing.style import QR_QUIET_MODULES

Run = tuple[int, int, int]  # row, first column, column after the last


@lru_cache(maxsize=32)
def qr_runs(payload: str) -> tuple[int, tuple[Run, ...]]:
    """The dark modules of ``payload``'s QR code (error correction M), as horizontal runs.

    Merging a row's adjacent dark modules into one rectangle keeps the PDF small and leaves no
    hairline seams between modules when a rasteriser antialiases the edges.

    Args:
        payload: The text to encode.

    Returns:
        The symbol's size in modules (without the quiet zone) and its runs.
    """
    # boost_error=False: the level stays M even where the version would have room for more.
    code = segno.make_qr(payload, error="m", boost_error=False)
    runs: list[Run] = []
    for y, row in enumerate(code.matrix):
        start = -1
        for x, dark in enumerate([*row, 0]):
            if dark and start < 0:
                start = x
            elif not dark and start >= 0:
                runs.append((y, start, x))
                start = -1
    return len(code.matrix), tuple(runs)


def draw_qr(painter: QPainter, payload: str, rect: QRectF) -> None:
    """Paint ``payload`` as a QR code filling the square ``rect``, quiet zone included.

    The square is filled white first, so a watermark under it never reaches the symbol.

    Args:
        painter: An active painter.
        payload: The text to encode.
        rect: Where the symbol and its quiet zone go (the shorter side is used).
    """
    size, runs = qr_runs(payload)
    side = min(rect.width(), rect.height())
    module = side / (size + 2 * QR_QUIET_MODULES)
    left = rect.x() + QR_QUIET_MODULES * module
    top = rect.y() + QR_QUIET_MODULES * module
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for y, x0, x1 in runs:
        path.addRect(QRectF(left + x0 * module, top + y * module, (x1 - x0) * module, module))
    painter.fillRect(QRectF(rect.x(), rect.y(), side, side), QColor(Qt.GlobalColor.white))
    painter.fillPath(path, QColor(Qt.GlobalColor.black))
