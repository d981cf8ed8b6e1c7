"""导出 PDF: beside 打印 in every preview; a save dialog in a remembered folder."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QToolBar, QWidget

from desktop_app.config import Settings
from desktop_app.reports.commitment_letter import build_commitment_letter
from tests.pdf_tools import pdfinfo, pdftotext
from tests.reports.test_commitment_letter import DATA as LETTER
from ui.printing.export import (
    EXPORT_FOLDER_KEY,
    PdfExporter,
    default_export_folder,
    pdf_file_name,
    safe_file_part,
)
from ui.printing.preview import DocumentPreviewDialog, replace_preview
from ui.taskman import TaskManager

SIGNED = date(2026, 12, 3)
LETTER_DOC = build_commitment_letter(replace(LETTER, signed_on=SIGNED))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of the test's own with a 文档 (documents) folder the desktop names."""
    home = tmp_path / "home"
    (home / ".config").mkdir(parents=True)
    (home / "文档").mkdir()
    (home / ".config" / "user-dirs.dirs").write_text('XDG_DOCUMENTS_DIR="$HOME/文档"\n')
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    return home


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Profile settings bound to their file: every change is written at once."""
    return Settings.load(tmp_path / "settings.json")


@pytest.fixture
def page(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_file_name_is_form_type_entity_and_date_without_illegal_characters() -> None:
    assert LETTER_DOC.subject == LETTER.entity_name
    assert pdf_file_name(LETTER_DOC) == f"信用承诺书_{LETTER.entity_name}_2025-09-26.pdf"
    odd = replace(LETTER_DOC, subject='某某/公司: "分店" <一>|*?\\ 二\t', issued_at="")
    name = pdf_file_name(odd, today=SIGNED)
    assert name == "信用承诺书_某某_公司_分店_一_二_2026-12-03.pdf"
    assert not set('/\\:*?"<>|\t ') & set(name)
    assert safe_file_part("../..") == ""
    long = replace(LETTER_DOC, subject="长" * 400)
    assert len(pdf_file_name(long)) <= 154


def test_default_folder_is_documents_then_home(home: Path) -> None:
    assert default_export_folder() == home / "文档"
    (home / "文档").rmdir()
    assert default_export_folder() == home


def _export_action(dialog: DocumentPreviewDialog) -> QAction:
    toolbar = dialog.findChild(QToolBar)
    assert toolbar is not None
    texts = [a.text() for a in toolbar.actions()]
    assert "导出 PDF" in texts, texts
    action = next(a for a in toolbar.actions() if a.text() == "导出 PDF")
    return action


def _choose(exporter: PdfExporter, path: Path) -> None:
    dialog = exporter.dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    dialog.selectFile(str(path))
    dialog.accept()


def test_preview_exports_to_the_documents_folder_and_remembers_the_folder_chosen(
    qtbot, home: Path, settings: Settings, tasks: TaskManager, page: QWidget, tmp_path: Path
) -> None:
    errors: list[str] = []
    preview = replace_preview(page, LETTER_DOC, None, errors.append, tasks=tasks, settings=settings)
    action = _export_action(preview)
    # Beside 打印: the print button is the toolbar's last action before it.
    actions = [a for a in preview.findChild(QToolBar).actions() if not a.isSeparator()]
    # Its text is Qt's own: "Print", or "打印" once Qt's Chinese translation is installed.
    assert actions[actions.index(action) - 1].text().lower() in ("print", "打印")
    exporter = PdfExporter.for_widget(page, tasks, settings)

    action.trigger()
    dialog = exporter.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowModality() is Qt.WindowModality.WindowModal
    assert dialog.acceptMode() is QFileDialog.AcceptMode.AcceptSave
    assert Path(dialog.directory().absolutePath()) == home / "文档"
    assert dialog.selectedFiles()[0].endswith(f"信用承诺书_{LETTER.entity_name}_2025-09-26.pdf")

    chosen = tmp_path / "归档"
    chosen.mkdir()
    with qtbot.waitSignal(exporter.saved, timeout=30_000) as saved:
        _choose(exporter, chosen / "承诺书")  # the suffix is added
    target = chosen / "承诺书.pdf"
    assert saved.args == [str(target)]
    assert int(pdfinfo(target)["Pages"]) == 2
    assert "受理单位（盖章）" in pdftotext(target, 2)
    assert preview.export_status is not None
    assert preview.export_status.level == "success" and str(target) in preview.export_status.text()
    assert not errors
    # Remembered in the profile's settings file at once, and where the next dialog starts.
    stored = json.loads((tmp_path / "settings.json").read_text(encoding="utf-8"))
    assert stored["extra"][EXPORT_FOLDER_KEY] == str(chosen)
    again = Settings.load(tmp_path / "settings.json")
    assert PdfExporter(tasks, again, page).folder() == chosen
    preview.close()


def test_an_unwritable_folder_says_what_to_do_and_loses_nothing(
    qtbot, home: Path, settings: Settings, tasks: TaskManager, page: QWidget, tmp_path: Path
) -> None:
    exporter = PdfExporter.for_widget(page, tasks, settings)
    shown: list[tuple[str, str]] = []
    exporter.message.connect(lambda text, level: shown.append((text, level)))
    blocked = tmp_path / "占用"
    blocked.write_text("a file where the folder should be")
    exporter.ask(LETTER_DOC)
    with qtbot.waitSignal(exporter.failed, timeout=30_000) as failed:
        exporter.dialog.fileSelected.emit(str(blocked / "信用承诺书.pdf"))
    message = failed.args[0]
    assert "无法在" in message and "换一个可写的文件夹" in message and str(blocked) in message
    assert shown[-1] == (message, "error")
    assert blocked.read_text() == "a file where the folder should be"
    # The bad folder is not where the next dialog starts; another folder works.
    assert exporter.folder() == home / "文档"
    exporter.dialog.close()
    exporter.ask(LETTER_DOC)
    with qtbot.waitSignal(exporter.saved, timeout=30_000):
        _choose(exporter, home / "文档" / pdf_file_name(LETTER_DOC))
    assert (home / "文档" / pdf_file_name(LETTER_DOC)).is_file()


def test_a_preview_without_settings_has_no_export(qtbot, page: QWidget) -> None:
    preview = replace_preview(page, LETTER_DOC, None, lambda _t: None)
    assert preview.export_action is None
    preview.close()


def test_each_page_exporter_is_made_once(tasks: TaskManager, settings: Settings, page) -> None:
    first = PdfExporter.for_widget(page, tasks, settings)
    assert PdfExporter.for_widget(page, tasks, settings) is first
