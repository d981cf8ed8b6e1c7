"""The 诚信教育 page's quick check-in (签到) and its printing (签到表, 参训证明).

A part of :class:`ui.pages.education.EducationPage`, which inherits it; its strings keep the
page's translation context (``EducationPage``).
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import (
    QCoreApplication,
    Qt,
    SignalInstance,
)
from PySide6.QtWidgets import (
    QComboBox,
    QLineEdit,
    QMessageBox,
    QTableView,
    QWidget,
)

from desktop_app.config import Settings
from desktop_app.reports.document import Document
from desktop_app.services.education import (
    DEFAULT_ROLE,
    Attendee,
    CheckInResult,
    CodeHint,
    EducationService,
)
from ui.models.education_models import AttendeesModel
from ui.pages.education_drafts import EducationDrafts
from ui.printing.preview import ISSUING_UNIT_KEY, DocumentPreviewDialog, PreviewHost
from ui.taskman import TaskManager
from ui.widgets.message_box import InlineMessage
from ui.widgets.save_progress import SaveProgress

UNIT_KEY = "education_issuing_unit"
"""Settings key: the unit printed on 参训证明 (remembered from the last print)."""
REPORT_UNIT_KEY = ISSUING_UNIT_KEY  # the report's unit, when no 参训证明 was printed yet

translate = QCoreApplication.translate  # lupdate extracts translate("Context", "text")


class CheckInActions(PreviewHost):
    """Part of the page (see its module); the page class inherits it."""

    _education: EducationService
    _settings: Settings
    _tasks: TaskManager
    attendee_removed: SignalInstance
    attendees_model: AttendeesModel
    attendees_view: QTableView
    changed: SignalInstance
    check_in_progress: SaveProgress
    checked_in: SignalInstance
    code_edit: QLineEdit
    _identified: str
    _checking_in: bool
    _check_in_again: bool
    _typed_while_checking_in: set[QWidget]
    preview_dialog: DocumentPreviewDialog | None
    confirm_box: QMessageBox | None
    drafts: EducationDrafts
    entity_edit: QLineEdit
    id_edit: QLineEdit
    message: InlineMessage
    name_edit: QLineEdit
    phone_edit: QLineEdit
    preview_opened: SignalInstance
    role_combo: QComboBox
    unit_edit: QLineEdit

    def _show_error(self, exc: Exception) -> None:
        raise NotImplementedError  # the page's

    def refresh_attendees(self) -> None:
        """Reload the attendees of the selected session (the page's)."""
        raise NotImplementedError

    def refresh_sessions(self) -> None:
        """Reload the session list (the page's)."""
        raise NotImplementedError

    def refresh_stats(self) -> None:
        """Reload the monthly statistics (the page's)."""
        raise NotImplementedError

    def selected_session_id(self) -> str | None:
        """The id of the selected session, or None (the page's)."""
        raise NotImplementedError

    # -- check-in ----------------------------------------------------------------------

    def _on_code_entered(self) -> None:
        if self.name_edit.text().strip():
            self.check_in()
            return
        self._identify_code()
        self.name_edit.setFocus()

    def _identify_code(self) -> None:
        text = self.code_edit.text().strip()
        if not text or text == self._identified:
            return
        self._identified = text
        education = self._education
        self._tasks.run_db(
            lambda: education.identify(text),
            lambda hint: self._show_hint(text, hint),
            lambda exc: self._show_hint_error(text, exc),
            context=self,
        )

    def _show_hint(self, text: str, hint: CodeHint) -> None:
        if text != self.code_edit.text().strip():
            return
        if hint.entity_name:
            self.entity_edit.setText(hint.entity_name)
            self.message.show_message(
                translate("EducationPage", "{name}（{code}）").format(
                    name=hint.entity_name, code=hint.uscc
                ),
                "info",
            )
        if hint.warnings:
            self.message.show_message("\n".join(hint.warnings), "warning")

    def _show_hint_error(self, text: str, exc: Exception) -> None:
        if text == self.code_edit.text().strip():
            self._show_error(exc)

    def check_in(self) -> None:
        """Check the person in the check-in row in to the selected session.

        The row stays editable meanwhile (the next person can be typed); pressed again
        before the check-in is done, it queues.
        """
        if self._checking_in:
            self._check_in_again = True
            return
        session_id = self.selected_session_id()
        if session_id is None:
            self.message.show_message(
                translate(
                    "EducationPage", "请先在“培训场次”中选择本场培训，或按 Ctrl+N 新建场次。"
                ),
                "warning",
            )
            return
        if not self.code_edit.text().strip() and not self.entity_edit.text().strip():
            self.message.show_message(
                translate(
                    "EducationPage",
                    "请输入统一社会信用代码或扫描营业执照二维码；尚未登记的主体请填写主体名称。",
                ),
                "warning",
            )
            self.code_edit.setFocus()
            return
        if not self.name_edit.text().strip():
            self.message.show_message(translate("EducationPage", "请填写参训人姓名。"), "warning")
            self.name_edit.setFocus()
            return
        education = self._education
        code, name, role = (
            self.code_edit.text(),
            self.name_edit.text(),
            self.role_combo.currentText(),
        )
        phone, id_number, entity = (
            self.phone_edit.text(),
            self.id_edit.text(),
            self.entity_edit.text(),
        )
        self._typed_while_checking_in = set()
        self._checking_in = True
        self.check_in_progress.start(translate("EducationPage", "正在签到…"))
        self._tasks.run_db(
            lambda: education.check_in(session_id, code, name, role, phone, id_number, entity),
            self._on_checked_in,
            self._on_check_in_failed,
            context=self,
        )

    def _row_typed(self, widget: QWidget) -> None:
        if self._checking_in:
            self._typed_while_checking_in.add(widget)

    def _check_in_done(self) -> None:
        self._checking_in = False
        self.check_in_progress.stop()

    def _on_checked_in(self, result: CheckInResult) -> None:
        person = result.attendee
        self._check_in_done()
        text = translate("EducationPage", "已签到：{name}（{entity}）").format(
            name=person.attendee_name,
            entity=person.entity_name or translate("EducationPage", "未登记主体"),
        )
        if result.warnings:
            self.message.show_message(text + "\n" + "\n".join(result.warnings), "warning")
        else:
            self.message.show_message(text, "success")
        # Clear what was checked in; what was typed meanwhile (the next person) stays.
        typed = self._typed_while_checking_in
        kept = bool(typed)
        for edit in (self.code_edit, self.entity_edit, self.name_edit, self.phone_edit,
                     self.id_edit):  # fmt: skip
            if edit not in typed:
                edit.clear()
        if self.role_combo not in typed:
            self.role_combo.setCurrentText(DEFAULT_ROLE)
        if self.code_edit not in typed:
            self._identified = ""
        if kept:
            self.drafts.check_in.flush()
        else:
            self.drafts.check_in.discard()
            self.code_edit.setFocus()  # ready for the next person
        self.checked_in.emit(person.id)
        self.changed.emit()
        self.refresh_attendees()
        self.refresh_sessions()
        self.refresh_stats()
        if self._check_in_again:
            self._check_in_again = False
            if kept:
                self.check_in()

    def _on_check_in_failed(self, exc: Exception) -> None:
        self._check_in_done()
        self._check_in_again = False
        self._show_error(exc)

    def selected_attendee(self) -> Attendee | None:
        """The attendee selected in the list."""
        rows = self.attendees_view.selectionModel().selectedRows()
        return self.attendees_model.row_at(rows[0].row()) if rows else None

    def remove_selected(self) -> None:
        """Ask, then undo the selected check-in."""
        person = self.selected_attendee()
        if person is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            translate("EducationPage", "移除签到"),
            translate("EducationPage", "确定移除“{name}”的签到记录吗？").format(
                name=person.attendee_name
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda result: self._remove_if_confirmed(person, result))
        self.confirm_box = box
        box.open()

    def _remove_if_confirmed(self, person: Attendee, result: int) -> None:
        self.confirm_box = None
        if result != QMessageBox.StandardButton.Yes.value:
            return
        education = self._education

        def removed(_r: object) -> None:
            self.message.show_message(
                translate("EducationPage", "已移除“{name}”的签到记录。").format(
                    name=person.attendee_name
                ),
                "success",
            )
            self.attendee_removed.emit(person.id)
            self.changed.emit()
            self.refresh_attendees()
            self.refresh_sessions()
            self.refresh_stats()

        self._tasks.run_db(
            lambda: education.remove_attendee(person.id), removed, self._show_error, context=self
        )

    # -- printing ----------------------------------------------------------------------

    def _unit(self) -> str:
        unit = self.unit_edit.text().strip()
        if unit:
            with contextlib.suppress(OSError):  # a preference only
                self._settings.set(UNIT_KEY, unit)
        return unit

    def print_sheet(self) -> None:
        """Open the print preview of the selected session's 签到表 (Ctrl+P)."""
        session_id = self.selected_session_id()
        if session_id is None:
            self.message.show_message(
                translate("EducationPage", "请先选择要打印签到表的培训场次。"), "warning"
            )
            return
        education, unit = self._education, self._unit()
        self._tasks.run_db(
            lambda: education.attendance_sheet(session_id, unit),
            self._show_document,
            self._show_error,
            context=self,
        )

    def print_certificate(self) -> None:
        """Open the print preview of the selected attendee's 参训证明."""
        person = self.selected_attendee()
        if person is None:
            self.message.show_message(
                translate("EducationPage", "请先在签到名单中选择参训人。"), "warning"
            )
            return
        unit = self._unit()
        if not unit:
            self.message.show_message(
                translate("EducationPage", "请填写出具单位（将印在参训证明的落款处）。"), "warning"
            )
            self.unit_edit.setFocus()
            return
        education = self._education
        self._tasks.run_db(
            lambda: education.certificate(person.id, unit),
            self._show_document,
            self._show_error,
            context=self,
        )

    def _show_document(self, document: Document) -> None:
        self.open_preview(document)
