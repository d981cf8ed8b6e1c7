"""Scanned paper (signed letters, signed on-site records): choosing a file and reading it.

Both the 信用承诺 and the 现场检查 pages attach scans; the file filter, the MIME types and the
message for a file that cannot be read are defined here once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop_app.services.errors import ServiceError

__all__ = ["SCAN_FILTER", "SCAN_TYPES", "choose_scan_file", "read_scan", "scan_mime"]

SCAN_FILTER = "扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)"
"""The file dialog's filter (source text; :func:`choose_scan_file` shows it translated)."""
SCAN_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}


def scan_mime(path: Path) -> str:
    """The MIME type a scan file is stored with."""
    return SCAN_TYPES.get(path.suffix.lower(), "application/octet-stream")


def choose_scan_file(parent: QWidget, title: str) -> Path | None:
    """Ask for a scan in the pictures folder; None when the user cancels."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    path, _filter = QFileDialog.getOpenFileName(
        parent,
        title,
        folder,
        QCoreApplication.translate(
            "ScanFile", "扫描件 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;所有文件 (*)"
        ),
    )
    return Path(path) if path else None


def read_scan(path: Path) -> bytes:
    """The bytes of a scan file (run it on a worker: a network folder may be slow).

    Raises:
        ServiceError: The file cannot be read; the message says what to check.
    """
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ServiceError(
            f"无法读取文件“{path.name}”：{exc.strerror or exc}。请确认文件存在且未被占用。"
        ) from exc
