"""The Qt half of ``--self-test``: fonts, translations, printing and the main window, offscreen."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer

from desktop_app.config import ProfilePaths, Settings
from desktop_app.reports.document import Document, Paragraph, Section
from desktop_app.services.self_test import open_throwaway_services
from ui.app import create_application, install_translator
from ui.fonts import BUNDLED_CJK_FAMILY, missing_glyphs
from ui.main_window import MainWindow
from ui.printing import render_pdf
from ui.taskman import TaskManager

GLYPH_SAMPLE = "信用监管工作台堃喆昇玥镕赟"

CheckRow = tuple[str, bool, str]


def _print_check(path: Path) -> CheckRow:
    """Render a one-page document with Chinese text and a QR code; the font must be embedded."""
    document = Document(
        doc_type="self_test",
        title="打印自检",
        number="SELFTEST-0001",
        issued_at="2026-01-01 00:00:00",
        sections=(Section("打印自检", (Paragraph(GLYPH_SAMPLE),)),),
        qr_payload="CDR1.self-test",
    )
    result = render_pdf(document, path)
    embedded = b"FontFile2" in path.read_bytes()
    ok = result.pages == 1 and embedded and not result.missing_glyphs
    return ("print-pdf", ok, f"{result.pages} page(s), font embedded: {embedded}")


def run_qt_self_check() -> list[CheckRow]:
    """Create the application, check fonts and translations, show the main window briefly.

    Returns:
        ``(name, ok, detail)`` rows.
    """
    rows: list[CheckRow] = []
    app = create_application(["credit-desk", "--self-test"], Settings())
    missing = missing_glyphs(BUNDLED_CJK_FAMILY, GLYPH_SAMPLE)
    rows.append(("cjk-font", not missing, "missing: " + "".join(missing) if missing else ""))

    english = install_translator(app, "en")
    translated = QCoreApplication.translate("MainWindow", "主体查询")
    rows.append(("translation-en", english and translated != "主体查询", translated))
    install_translator(app, "zh_CN")

    with tempfile.TemporaryDirectory(prefix="credit-desk-qt-selftest-") as tmp:
        rows.append(_print_check(Path(tmp) / "self-test.pdf"))
        services = open_throwaway_services(Path(tmp))
        tasks = TaskManager()
        window = MainWindow(services, Settings(), ProfilePaths(Path(tmp)), tasks)
        try:
            window.show()
            # exit() leaves the window open (quit() would close it before we can look).
            QTimer.singleShot(300, lambda: app.exit(0))
            app.exec()
            rows.append(("main-window", window.isVisible(), window.windowTitle()))
        finally:
            window.close()
            window.deleteLater()
            # Close on the worker: the worker thread owns its own SQLCipher connection.
            tasks.run_db(services.close)
            tasks.shutdown()
    return rows
