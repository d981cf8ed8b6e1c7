"""Print preview and printing on the GUI thread, through the one printing pipeline.

Both dialogs are opened with ``open()`` (never a blocking ``exec()``) and report back through
signals, so callers and tests can wait for them::

    dialog = print_document(document, parent=self)
    dialog.printed.connect(self.show_printed)
    dialog.failed.connect(self.show_error)

A preview paints its first pages while it opens: to see that ``rendered`` signal, create a
:class:`DocumentPreviewDialog`, connect, then ``open()`` it.

Given a :class:`~ui.printing.export.PdfExporter`, the preview's toolbar has 导出 PDF (Ctrl+S)
beside its print button, and shows the outcome of the export under the pages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, Signal, SignalInstance
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QLabel, QToolBar, QWidget

from desktop_app.config import Settings
from desktop_app.reports.document import Document
from ui.printing.export import PdfExporter
from ui.printing.render import (
    PreparedDocument,
    PrintError,
    new_printer,
    paint_document,
    prepare,
)
from ui.taskman import TaskManager
from ui.widgets.message_box import InlineMessage

log = logging.getLogger(__name__)

ISSUING_UNIT_KEY = "report_issuing_unit"
"""Settings key: the issuing unit printed on reports and letters (remembered from the last one;
the report, 修复与异议 and education pages share it)."""


class ExportStatus(QLabel):
    """The last export message, under the preview's pages (its tooltip holds the whole text)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setContentsMargins(8, 4, 8, 4)
        self.level = ""

    def show_message(self, text: str, level: str) -> None:
        """Show ``text``; ``level`` is ``info``, ``success`` or ``error``."""
        self.setText(text)
        self.setToolTip(text)
        self.setStyleSheet("color: #b3261e;" if level == "error" else "")
        self.level = level


class DocumentPreviewDialog(QPrintPreviewDialog):
    """Print preview of one document; its print button prints the same pages.

    The document is laid out once; the preview repaints (zoom, page setup, printing) from
    that layout. ``printer`` defaults to :func:`new_printer`.

    Signals:
        rendered: A :class:`~ui.printing.render.RenderResult`, after each painting.
        failed: A Chinese message, when painting on the printer failed.
    """

    rendered = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        document: Document | PreparedDocument,
        parent: QWidget | None = None,
        *,
        printer: QPrinter | None = None,
    ) -> None:
        prepared = prepare(document)
        printer = printer or new_printer(prepared.document)
        super().__init__(printer, parent)
        # The dialog does not own its printer; keep it alive as long as the dialog.
        self._printer = printer
        self.prepared = prepared
        self.setWindowTitle(
            QCoreApplication.translate("Printing", "打印预览：{title}").format(
                title=prepared.document.title
            )
        )
        self.resize(900, 1000)
        self.paintRequested.connect(self._paint)
        self.export_action: QAction | None = None
        self.export_status: ExportStatus | None = None

    def enable_export(self, exporter: PdfExporter) -> QAction:
        """Add 导出 PDF (Ctrl+S) beside the print button; it exports this document.

        Returns:
            The action (tests trigger it).
        """
        toolbar = self.findChild(QToolBar)
        action = QAction(QCoreApplication.translate("Printing", "导出 PDF"), self)
        action.setShortcut(QKeySequence.StandardKey.Save)
        action.setToolTip(
            QCoreApplication.translate("Printing", "把本文档保存为 PDF 文件（Ctrl+S）")
        )
        document = self.prepared.document
        action.triggered.connect(lambda: exporter.ask(document, parent=self))
        status = ExportStatus(self)
        exporter.message.connect(status.show_message)
        if toolbar is not None:  # Qt's preview has one; keep working should that change
            toolbar.addAction(action)
        else:
            self.addAction(action)
        # Under the pages, where a full toolbar would not push it out of sight.
        layout = self.layout()
        if layout is not None:
            layout.addWidget(status)
        self.export_action, self.export_status = action, status
        return action

    def _paint(self, printer: QPrinter) -> None:
        try:
            result = paint_document(self.prepared, printer)
        except PrintError as exc:
            log.warning("printing %s failed: %s", self.prepared.document.number, exc)
            self.failed.emit(str(exc))
            return
        self.rendered.emit(result)


class DocumentPrintDialog(QPrintDialog):
    """The system print dialog for one document; accepting it prints the document.

    ``printer`` defaults to :func:`new_printer`; pass one to preset the dialog (for example a
    printer whose output file name is set, to print to PDF).

    Signals:
        printed: A :class:`~ui.printing.render.RenderResult`, once the pages went to the printer.
        failed: A Chinese message, when the printer could not be painted on.
    """

    printed = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        document: Document | PreparedDocument,
        parent: QWidget | None = None,
        *,
        printer: QPrinter | None = None,
    ) -> None:
        prepared = prepare(document)
        printer = printer or new_printer(prepared.document)
        super().__init__(printer, parent)
        self._printer = printer
        self.prepared = prepared
        self.finished.connect(self._on_finished)

    def _on_finished(self, result: int) -> None:
        if result != QDialog.DialogCode.Accepted.value:
            return
        try:
            outcome = paint_document(self.prepared, self._printer)
        except PrintError as exc:
            log.warning("printing %s failed: %s", self.prepared.document.number, exc)
            self.failed.emit(str(exc))
            return
        self.printed.emit(outcome)


def replace_preview(
    parent: QWidget,
    document: Document,
    current: DocumentPreviewDialog | None,
    on_failed: Callable[[str], None],
    *,
    tasks: TaskManager | None = None,
    settings: Settings | None = None,
) -> DocumentPreviewDialog:
    """Close a page's open preview (if any) and open one of ``document``, window-modal.

    The dialog is titled with the document's title and number, deletes itself when closed,
    and passes a painting failure's message to ``on_failed``. Given ``tasks`` and
    ``settings``, it offers 导出 PDF beside its print button (the page's
    :class:`~ui.printing.export.PdfExporter`).

    Args:
        parent: The page the preview belongs to.
        document: What to preview.
        current: The page's previous preview (possibly already deleted).
        on_failed: Shows a failure message (e.g. the page's inline message).
        tasks: The background runner the PDF export renders on.
        settings: The profile settings, where the export folder is remembered.

    Returns:
        The open dialog.
    """
    if current is not None and shiboken6.isValid(current):
        current.close()
    dialog = DocumentPreviewDialog(document, parent)
    dialog.setWindowTitle(
        QCoreApplication.translate("Printing", "打印预览 — {title} {number}").format(
            title=document.title, number=document.number
        )
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.failed.connect(on_failed)
    if tasks is not None and settings is not None:
        dialog.enable_export(PdfExporter.for_widget(parent, tasks, settings))
    dialog.open()
    return dialog


def open_print_preview(
    document: Document | PreparedDocument, parent: QWidget | None = None
) -> DocumentPreviewDialog:
    """Open a print preview of ``document`` (window-modal, deleted when closed).

    Args:
        document: The document, or one already laid out.
        parent: The window the preview belongs to; without one, keep the returned dialog
            referenced while it is open.

    Returns:
        The open dialog.
    """
    dialog = DocumentPreviewDialog(document, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def print_document(
    document: Document | PreparedDocument, parent: QWidget | None = None
) -> DocumentPrintDialog:
    """Open the print dialog for ``document``; accepting it prints.

    Args:
        document: The document, or one already laid out.
        parent: The window the dialog belongs to; without one, keep the returned dialog
            referenced while it is open.

    Returns:
        The open dialog; connect to its ``printed`` and ``failed`` signals.
    """
    dialog = DocumentPrintDialog(document, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    # QPrintDialog.open(receiver, member) hides QDialog.open() in the bindings.
    QDialog.open(dialog)
    return dialog


class PreviewHost(QWidget):
    """A page that previews its documents: the one :meth:`open_preview` every page shares.

    The page sets ``preview_dialog`` to None at start and declares the ``preview_opened``
    signal; failures show in its inline ``message``.
    """

    preview_dialog: DocumentPreviewDialog | None
    preview_opened: SignalInstance
    message: InlineMessage
    _tasks: TaskManager
    _settings: Settings

    def open_preview(self, document: Document) -> DocumentPreviewDialog:
        """Open Qt's print preview of ``document`` (printing is one click from there)."""
        dialog = replace_preview(
            self,
            document,
            self.preview_dialog,
            lambda text: self.message.show_message(text, "error"),
            tasks=self._tasks,
            settings=self._settings,
        )
        self.preview_dialog = dialog
        self.preview_opened.emit(dialog)
        return dialog
