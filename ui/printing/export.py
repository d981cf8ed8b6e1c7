"""导出 PDF: a save dialog in a remembered folder, then the PDF written off the GUI thread.

Every printable document is exported the same way, whether from a print preview (its
导出 PDF button, :func:`ui.printing.preview.replace_preview`) or a page's own button::

    exporter = PdfExporter.for_widget(page, tasks, settings)
    exporter.ask(document)          # file dialog opened with open(), never exec()
    exporter.saved.connect(...)     # the path, once the PDF is complete on disk

The dialog starts in the folder the user last exported to (kept in the profile settings),
else the documents folder, else the home folder; the file name is made of the form type,
whom it is about and its date (``信用承诺书_某某公司_2026-12-03.pdf``). The PDF is rendered on
the CPU worker through :func:`ui.printing.render_pdf` (atomic: a failed export never leaves
half a file), and a folder that cannot be written is reported with what to do next.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop_app.config import Settings
from desktop_app.domain.clock import china_today
from desktop_app.reports.document import Document
from ui.printing.render import PrintError, RenderResult, render_pdf
from ui.taskman import TaskManager

log = logging.getLogger(__name__)

EXPORT_FOLDER_KEY = "pdf_export_folder"
# Characters no file system accepts in a name (Windows is the strictest), control characters,
# and whitespace, which shells and mail clients handle badly.
_ILLEGAL = re.compile(r'[\\/:*?"<>|\x00-\x1f\s]+')
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MAX_STEM = 150  # far below every file system's 255, with room for a " (2)" suffix


def safe_file_part(text: str) -> str:
    """``text`` usable in a file name on every file system (illegal characters become ``_``)."""
    return _ILLEGAL.sub("_", text).strip("._ ")


def document_day(document: Document) -> date | None:
    """The day a document is dated (its issue time's date), if it reads as one."""
    found = _DAY.match(document.issued_at)
    if found is None:
        return None
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


def pdf_file_name(document: Document, today: date | None = None) -> str:
    """``<form type>_<subject>_<date>.pdf``, e.g. ``信用承诺书_某某公司_2026-12-03.pdf``.

    Args:
        document: The document; its title is the form type, its subject whom it is about.
        today: The date used when the document carries none (the real today by default).
    """
    day = document_day(document) or today or china_today()
    parts = [safe_file_part(p) for p in (document.title, document.subject)]
    stem = "_".join([p for p in parts if p] + [day.isoformat()])
    return f"{stem[:_MAX_STEM]}.pdf"


def with_pdf_suffix(path: Path) -> Path:
    """``path``, with ``.pdf`` added unless it already ends so."""
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def default_export_folder() -> Path:
    """The user's documents folder, or the home folder where there is none."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


class PdfExporter(QObject):
    """Exports documents to PDF files the user names; one per page (see :meth:`for_widget`).

    Args:
        tasks: The background runner (the PDF is rendered on its CPU worker).
        settings: The profile settings, where the last export folder is remembered.
        parent: The widget dialogs belong to; the exporter lives as long as it.
        notify: Shows a message and its level (``info``, ``success``, ``error``), e.g. the
            page's inline message; messages are also emitted as signals.

    Signals:
        saved(str): A PDF was written completely to this path.
        failed(str): An export failed; the Chinese message says what to do next.
        message(str, str): Every message shown to the user, with its level.
    """

    saved = Signal(str)
    failed = Signal(str)
    message = Signal(str, str)

    def __init__(
        self,
        tasks: TaskManager,
        settings: Settings,
        parent: QWidget,
        notify: Callable[[str, str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._settings = settings
        self._widget = parent
        if notify is not None:
            self.message.connect(notify)
        self.dialog: QFileDialog | None = None

    @classmethod
    def for_widget(cls, widget: QWidget, tasks: TaskManager, settings: Settings) -> PdfExporter:
        """The exporter of ``widget`` (a page), created on first use and then reused."""
        found = widget.findChild(PdfExporter, options=Qt.FindChildOption.FindDirectChildrenOnly)
        return found if found is not None else cls(tasks, settings, widget)

    def folder(self) -> Path:
        """Where the save dialog starts: the last export folder while it exists."""
        remembered = self._settings.extra.get(EXPORT_FOLDER_KEY)
        if isinstance(remembered, str) and remembered and Path(remembered).is_dir():
            return Path(remembered)
        return default_export_folder()

    def ask(
        self,
        document: Document,
        name: str | None = None,
        parent: QWidget | None = None,
        on_chosen: Callable[[Path], None] | None = None,
    ) -> QFileDialog:
        """Open the save dialog for ``document``; choosing a file exports it.

        The chosen folder becomes the next dialog's start (and is forgotten again if it
        turns out not to be writable).

        Args:
            document: What to export.
            name: The proposed file name; :func:`pdf_file_name` by default.
            parent: The window the dialog belongs to (e.g. a print preview); the exporter's
                widget by default.
            on_chosen: Does the export with the chosen path (always ending in ``.pdf``)
                instead of :meth:`export`, for a page with its own.

        Returns:
            The open dialog (window-modal, deleted when closed).
        """
        dialog = QFileDialog(
            parent or self._widget,
            QCoreApplication.translate("PdfExport", "导出 PDF"),
            str(self.folder() / (name or pdf_file_name(document))),
            QCoreApplication.translate("PdfExport", "PDF 文件 (*.pdf)"),
        )
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix("pdf")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self._chosen(document, Path(path), on_chosen))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _chosen(
        self, document: Document, path: Path, on_chosen: Callable[[Path], None] | None
    ) -> None:
        path = with_pdf_suffix(path)
        self._remember(path.parent)
        (on_chosen or (lambda chosen: self.export(document, chosen)))(path)

    def export(self, document: Document, path: Path) -> None:
        """Write ``document`` to ``path`` on the CPU worker; ``saved`` or ``failed`` follows."""
        path = with_pdf_suffix(path)
        self.message.emit(QCoreApplication.translate("PdfExport", "正在生成 PDF…"), "info")

        def done(result: RenderResult) -> None:
            text = QCoreApplication.translate(
                "PdfExport", "已导出 PDF（共 {pages} 页）：{path}"
            ).format(pages=result.pages, path=str(path))
            if result.missing_glyphs:
                text += QCoreApplication.translate(
                    "PdfExport", "。注意：字库缺少“{chars}”，这些字可能显示为空白，请核对。"
                ).format(chars="".join(result.missing_glyphs))
            self.message.emit(text, "success")
            self.saved.emit(str(path))

        def failed(exc: Exception) -> None:
            if isinstance(exc, PrintError):
                text = str(exc)
            elif isinstance(exc, OSError):
                self.forget_folder(path.parent)
                text = QCoreApplication.translate(
                    "PdfExport",
                    "无法在“{folder}”写入 PDF（{error}）。文件没有生成，请再次点击“导出 PDF”，"
                    "换一个可写的文件夹保存。",
                ).format(folder=str(path.parent), error=exc.strerror or str(exc))
            else:
                raise exc
            log.warning("exporting %s to %s failed: %s", document.number, path, exc)
            self.message.emit(text, "error")
            self.failed.emit(text)

        self._tasks.run_cpu(lambda: render_pdf(document, path), done, failed, context=self)

    def forget_folder(self, folder: Path) -> None:
        """Stop starting the dialog in ``folder`` (it could not be written)."""
        if self._settings.extra.get(EXPORT_FOLDER_KEY) == str(folder):
            self._save_folder(None)

    def _remember(self, folder: Path) -> None:
        self._save_folder(str(folder))

    def _save_folder(self, value: str | None) -> None:
        try:
            self._settings.set(EXPORT_FOLDER_KEY, value)
        except OSError as exc:  # only the preference is lost, never the export
            log.warning("cannot save the export folder setting: %s", exc)
