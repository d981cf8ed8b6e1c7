"""The 检查任务 page's evidence and paper: photos, the signed scan, interviews, printing.

A part of :class:`ui.pages.inspections.InspectionsPage`, which inherits it; its strings keep
the page's translation context (``InspectionsPage``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    SignalInstance,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
)

from desktop_app.config import Settings
from desktop_app.domain.inspections import needs_deadline
from desktop_app.reports.document import Document
from desktop_app.services.app import AppServices
from desktop_app.services.inspections import (
    InspectionView,
    PhotoImport,
    TaskView,
)
from ui.models.inspection_models import (
    interview_text,
)
from ui.printing.preview import DocumentPreviewDialog, PreviewHost
from ui.taskman import TaskManager
from ui.widgets.inspection_photos import PhotoPanel
from ui.widgets.message_box import InlineMessage
from ui.widgets.scans import choose_scan_file, read_scan, scan_mime

translate = QCoreApplication.translate  # lupdate extracts translate("Context", "text")


class EvidenceActions(PreviewHost):
    """Part of the page (see its module); the page class inherits it."""

    _busy: bool
    records: list[InspectionView]
    current: InspectionView | None
    preview_dialog: DocumentPreviewDialog | None
    _services: AppServices
    _settings: Settings
    _tasks: TaskManager
    changed: SignalInstance
    interview_commitments: QPlainTextEdit
    interview_content: QPlainTextEdit
    interview_date: QDateEdit
    interview_kind: QComboBox
    interview_participants: QLineEdit
    interview_location: QLineEdit
    interview_warning_label: QLabel
    interview_print_button: QPushButton
    interview_warning_id: str
    last_interview_id: str
    interview_recorded: SignalInstance
    message: InlineMessage
    photos: PhotoPanel
    photos_added: SignalInstance
    preview_opened: SignalInstance
    task: TaskView | None

    def _editable(self) -> bool:
        raise NotImplementedError  # the page's

    def _set_busy(self, busy: bool) -> None:
        raise NotImplementedError  # the page's

    def _show_error(self, exc: Exception) -> None:
        raise NotImplementedError  # the page's

    def _show_record_state(self) -> None:
        raise NotImplementedError  # the page's

    # -- photos ------------------------------------------------------------------------

    def _show_photos(self) -> None:
        self.photos.show_view(self.current, self._editable())

    def _say_needs_saved(self) -> None:
        if self.current is not None and self.current.synced:
            text = translate("InspectionsPage", "该记录已同步，不能再添加或移除照片。")
        else:
            text = translate("InspectionsPage", "请先保存检查记录，再添加照片。")
        self.message.show_message(text, "warning")

    def import_photos(self, paths: list[Path]) -> None:
        """Add the photo files ``paths`` to the result in the form; ``photos_added`` after."""
        self.photos.import_photos(paths)

    def import_folder(self, folder: Path) -> None:
        """Add every image of ``folder`` to the result in the form; ``photos_added`` after."""
        self.photos.import_folder(folder)

    def _on_imported(self, imported: PhotoImport | None, view: InspectionView | None) -> None:
        if imported is None or view is None:
            self.message.show_message(
                translate("InspectionsPage", "所选文件夹中没有照片。"), "warning"
            )
            self.photos_added.emit(0)
            return
        self._replace_current(view)
        added = len(imported.added)
        text = translate("InspectionsPage", "已添加 {count} 张照片（已加密保存）。").format(
            count=added
        )
        if imported.errors:
            text += (
                "\n"
                + translate("InspectionsPage", "以下文件未能添加：")
                + "\n"
                + "\n".join(imported.errors)
            )
        self.message.show_message(text, "warning" if imported.errors else "success")
        self.photos_added.emit(added)
        if added:
            self.changed.emit()

    def _on_photo_removed(self, view: InspectionView) -> None:
        self._replace_current(view)
        self.message.show_message(translate("InspectionsPage", "已移除照片。"), "success")
        self.changed.emit()

    def _replace_current(self, view: InspectionView) -> None:
        self.records = [view if v.record_id == view.record_id else v for v in self.records]
        self.current = view
        self._show_record_state()
        self._show_photos()

    # -- signed scans ------------------------------------------------------------------

    def choose_scan(self) -> None:
        """Ask for the scan of the signed on-site record and attach it."""
        if self.current is None:
            return
        path = choose_scan_file(self, translate("InspectionsPage", "附加签字扫描件"))
        if path is not None:
            self.attach_scan_file(path)

    def attach_scan_file(self, path: Path) -> None:
        """Store ``path`` as the signed scan of the result in the form."""
        view = self.current
        if view is None or self._busy:
            return
        service, record_id = self._services.inspections, view.record_id
        mime = scan_mime(path)

        def work() -> InspectionView:
            service.attach_signed_scan(record_id, read_scan(path), path.name, mime)
            return service.get(record_id)

        def done(changed: InspectionView) -> None:
            self._set_busy(False)
            self._replace_current(changed)
            self.message.show_message(
                translate("InspectionsPage", "已附加签字扫描件“{name}”（已加密保存）。").format(
                    name=path.name
                ),
                "success",
            )
            self.changed.emit()

        self._set_busy(True)
        self._tasks.run_db(work, done, self._show_error, context=self)

    # -- interviews --------------------------------------------------------------------

    def record_interview(self) -> None:
        """Record the 提示约谈 / 警示约谈 in the 约谈 tab; ``interview_recorded`` after."""
        if self.task is None or self._busy:
            return
        service, task_id = self._services.inspections, self.task.task_id
        kind = str(self.interview_kind.currentData())
        day = self.interview_date.date()
        held_on = date(day.year(), day.month(), day.day())
        participants = self.interview_participants.text().strip()
        content = self.interview_content.toPlainText().strip()
        commitments = self.interview_commitments.toPlainText().strip()
        location = self.interview_location.text().strip()
        warning_id = self.interview_warning_id

        def done(record_id: str) -> None:
            self._set_busy(False)
            for edit in (self.interview_content, self.interview_commitments):
                edit.clear()
            self.interview_participants.clear()
            self.set_interview_warning("", "")
            self.last_interview_id = record_id
            self.interview_print_button.setEnabled(True)
            self.message.show_message(
                translate(
                    "InspectionsPage", "已记录{kind}，将在联网后同步。可打印约谈记录交双方签字。"
                ).format(kind=interview_text(kind)),
                "success",
            )
            self.interview_recorded.emit(record_id)
            self.changed.emit()

        self._set_busy(True)
        self._tasks.run_db(
            lambda: service.record_interview(
                task_id,
                kind,
                held_on,
                participants,
                content,
                commitments,
                warning_id=warning_id,
                location=location,
            ),
            done,
            self._show_error,
            context=self,
        )

    def set_interview_warning(self, warning_id: str, text: str) -> None:
        """Say which overdue 失信警示 the next interview follows up ("" for none)."""
        self.interview_warning_id = warning_id
        self.interview_warning_label.setText(text)
        self.interview_warning_label.setVisible(bool(warning_id))

    def print_interview_record(self) -> None:
        """Open the print preview of the 约谈记录 of the interview recorded last."""
        if not self.last_interview_id:
            return
        service, record_id = self._services.inspections, self.last_interview_id
        self._tasks.run_db(
            lambda: service.interview_record(record_id),
            self._preview,
            self._show_error,
            context=self,
        )

    # -- printing ----------------------------------------------------------------------

    def print_onsite_record(self) -> None:
        """Open the print preview of the result's 现场检查记录 (Ctrl+P)."""
        if self.current is None:
            return
        service, record_id = self._services.inspections, self.current.record_id
        self._tasks.run_db(
            lambda: service.onsite_record(record_id),
            self._preview,
            self._show_error,
            context=self,
        )

    def print_rectification_notice(self) -> None:
        """Open the print preview of the 责令整改通知书 (责令整改 and 失信警示 only)."""
        if self.current is None or not needs_deadline(self.current.outcome):
            return
        service, record_id = self._services.inspections, self.current.record_id
        self._tasks.run_db(
            lambda: service.rectification_notice(record_id),
            self._preview,
            self._show_error,
            context=self,
        )

    def _preview(self, document: Document) -> None:
        self.open_preview(document)
