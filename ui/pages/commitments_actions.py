"""The 信用承诺 page's actions: transitions, scans, new commitments and printing letters.

They act on the selected commitment (or open a new one).

A part of :class:`ui.pages.commitments.CommitmentsPage`, which inherits it; its strings keep
the page's translation context (``CommitmentsPage``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    Qt,
    SignalInstance,
)
from PySide6.QtWidgets import (
    QPushButton,
    QTableView,
)

from desktop_app.config import Settings
from desktop_app.domain.commitments import (
    STATUS_LABELS,
    BreachSeverity,
    CommitmentKind,
    CommitmentStatus,
)
from desktop_app.reports.document import Document
from desktop_app.services.app import AppServices
from desktop_app.services.commitments import CommitmentView, MissingMaterial
from ui.labels import domain_label
from ui.models.commitment_models import (
    CommitmentTableModel,
    day_text,
)
from ui.models.rows import RowsModel
from ui.printing.preview import DocumentPreviewDialog, PreviewHost
from ui.taskman import TaskManager
from ui.widgets.commitment_dialogs import FindingDialog, NewCommitmentDialog
from ui.widgets.message_box import InlineMessage
from ui.widgets.scans import choose_scan_file, read_scan, scan_mime

translate = QCoreApplication.translate  # lupdate extracts translate("Context", "text")


class CommitmentActions(PreviewHost):
    """Part of the page (see its module); the page class inherits it."""

    _services: AppServices
    _busy: bool
    new_dialog: NewCommitmentDialog | None
    finding_dialog: FindingDialog | None
    preview_dialog: DocumentPreviewDialog | None
    _settings: Settings
    _tasks: TaskManager
    action_buttons: tuple[QPushButton, ...]
    attach_button: QPushButton
    changed: SignalInstance
    created: SignalInstance
    current: CommitmentView | None
    finding_opened: SignalInstance
    form_opened: SignalInstance
    letter_button: QPushButton
    materials: RowsModel[MissingMaterial]
    materials_view: QTableView
    message: InlineMessage
    model: CommitmentTableModel
    preview_opened: SignalInstance

    def _clear_filters(self) -> None:
        raise NotImplementedError  # the page's

    def _select_row(self, record_id: str) -> bool:
        raise NotImplementedError  # the page's

    def _show_details(self, view: CommitmentView | None) -> None:
        raise NotImplementedError  # the page's

    def _show_error(self, exc: Exception) -> None:
        raise NotImplementedError  # the page's

    def _update_material_button(self) -> None:
        raise NotImplementedError  # the page's

    def status_filter(self) -> CommitmentStatus | None:
        """The status chosen in the filter, or None for all (the page's)."""
        raise NotImplementedError

    # -- actions -----------------------------------------------------------------------

    def _act(self, work: Any, done_text: str) -> None:
        """Run a change of the selected commitment on the worker and show its new state."""
        if self._busy or self.current is None:
            return
        self._busy = True
        self._set_actions_enabled(False)

        def done(view: CommitmentView) -> None:
            self._busy = False
            self._set_actions_enabled(True)
            self.model.upsert(view)
            self._show_details(view)
            self._select_row(view.record_id)
            self.message.show_message(done_text, "success")
            self.changed.emit()

        self._tasks.run_db(work, done, self._show_error, context=self)

    def _set_actions_enabled(self, enabled: bool) -> None:
        for button in (*self.action_buttons, self.attach_button):
            button.setEnabled(enabled)
        if enabled:
            self._update_material_button()

    def sign_selected(self) -> None:
        """签署: sign the selected draft today."""
        if self.current is None:
            return
        record_id, commitments = self.current.record_id, self._services.commitments
        self._act(
            lambda: commitments.sign(record_id), translate("CommitmentsPage", "承诺书已签署。")
        )

    def mark_received(self, materials: list[str] | None = None) -> None:
        """Record missing materials as received (None: all of them, which fulfils)."""
        if self.current is None:
            return
        record_id, commitments = self.current.record_id, self._services.commitments
        text = (
            translate("CommitmentsPage", "已登记材料补齐，承诺履约完成。")
            if materials is None
            else translate("CommitmentsPage", "已登记收到：{names}").format(
                names="、".join(materials)
            )
        )
        self._act(lambda: commitments.mark_received(record_id, materials), text)

    def _mark_selected_materials(self) -> None:
        names = []
        for index in self.materials_view.selectionModel().selectedRows():
            material = self.materials.row_at(index.row())
            if material is not None and not material.received:
                names.append(material.name)
        if names:
            self.mark_received(names)

    def _transition(self, to: CommitmentStatus, note: str) -> None:
        if self.current is None:
            return
        record_id, commitments = self.current.record_id, self._services.commitments
        self._act(
            lambda: commitments.transition(record_id, to, note),
            translate("CommitmentsPage", "状态已改为“{status}”。").format(
                status=domain_label(STATUS_LABELS[to])
            ),
        )

    def verify_true(self) -> None:
        """核查属实: checking found the commitment true."""
        if self.current is None:
            return
        record_id, commitments = self.current.record_id, self._services.commitments
        self._act(
            lambda: commitments.verify(record_id, True),
            translate("CommitmentsPage", "已记录核查结果：承诺属实。"),
        )

    def ask_finding(self, mode: str) -> FindingDialog | None:
        """Ask severity and evidence (or a reason) for a breach, a false finding or a withdrawal."""
        view = self.current
        if view is None:
            return None
        subject = f"{view.entity_name}（{view.uscc}）· {view.matter} · {view.kind_label}"
        dialog = FindingDialog(mode, subject, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submitted.connect(
            lambda severity, evidence: self._record_finding(mode, severity, evidence)
        )
        self.finding_dialog = dialog
        dialog.open()
        self.finding_opened.emit(dialog)
        return dialog

    def _record_finding(self, mode: str, severity: BreachSeverity | None, evidence: str) -> None:
        if self.current is None:
            return
        record_id, commitments = self.current.record_id, self._services.commitments
        if mode == FindingDialog.WITHDRAW:
            self._act(
                lambda: commitments.transition(record_id, CommitmentStatus.WITHDRAWN, evidence),
                translate("CommitmentsPage", "承诺已撤回。"),
            )
        elif mode == FindingDialog.FALSE:
            level = severity or BreachSeverity.GENERAL
            self._act(
                lambda: commitments.verify(record_id, False, evidence, level),
                translate("CommitmentsPage", "已认定为虚假承诺，并记入信用记录。"),
            )
        else:
            level = severity or BreachSeverity.GENERAL
            self._act(
                lambda: commitments.record_breach(
                    record_id, CommitmentStatus.BREACHED, level, evidence
                ),
                translate("CommitmentsPage", "已记录违约，并记入信用记录。"),
            )

    # -- scans -------------------------------------------------------------------------

    def choose_scan(self) -> None:
        """Ask for a scanned file and attach it to the selected commitment."""
        if self.current is None:
            return
        path = choose_scan_file(self, translate("CommitmentsPage", "附加扫描件"))
        if path is not None:
            self.attach_file(path)

    def attach_file(self, path: Path) -> None:
        """Store ``path`` in the encrypted store as a scan of the selected commitment."""
        if self.current is None:
            return
        record_id, commitments = self.current.record_id, self._services.commitments
        mime = scan_mime(path)

        def work() -> CommitmentView:
            commitments.attach_scan(record_id, read_scan(path), path.name, mime)
            return commitments.get(record_id)

        self._act(
            work,
            translate("CommitmentsPage", "已附加扫描件“{name}”（已加密保存）。").format(
                name=path.name
            ),
        )

    # -- new commitments ---------------------------------------------------------------

    def open_new(self, uscc: str = "") -> NewCommitmentDialog:
        """Open the 新建承诺 form (for ``uscc`` when given)."""
        if self.new_dialog is not None and shiboken6.isValid(self.new_dialog):
            self.new_dialog.close()
        dialog = NewCommitmentDialog(self._services, self._tasks, self, uscc=uscc)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.created.connect(self._on_created)
        self.new_dialog = dialog
        dialog.open()
        (dialog.domain_combo if uscc else dialog.entity_edit).setFocus()
        self.form_opened.emit(dialog)
        return dialog

    def open_new_for(self, uscc: str) -> NewCommitmentDialog:
        """Start the form for an entity (from the 主体查询 card)."""
        return self.open_new(uscc)

    def _on_created(self, view: CommitmentView) -> None:
        status = self.status_filter()
        if status is not None and status is not view.status:
            self._clear_filters()
        self.model.upsert(view)
        self._select_row(view.record_id)
        if view.status is CommitmentStatus.DRAFT:
            text = translate(
                "CommitmentsPage", "已保存承诺草稿（{name}）。签署后方可打印承诺书。"
            ).format(name=view.entity_name)
        elif view.kind is CommitmentKind.TOLERANCE:
            text = translate(
                "CommitmentsPage",
                "已签署容缺受理承诺（{name}），补齐期限 {deadline}。"
                "请打印承诺书和一次性告知书交申请人。",
            ).format(name=view.entity_name, deadline=day_text(view.deadline))
        else:
            text = translate(
                "CommitmentsPage", "已签署信用承诺（{name}）。请打印承诺书交申请人签字留存。"
            ).format(name=view.entity_name)
        self.message.show_message(text, "success")
        self.letter_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.created.emit(view.record_id)
        self.changed.emit()

    # -- printing ----------------------------------------------------------------------

    def print_letter(self) -> None:
        """Open the print preview of the selected commitment's 信用承诺书."""
        if self.current is None:
            return
        record_id, commitments = self.current.record_id, self._services.commitments
        self._tasks.run_db(
            lambda: commitments.letter(record_id), self._preview, self._show_error, context=self
        )

    def print_notice(self) -> None:
        """Open the print preview of the selected 容缺受理's 一次性告知书."""
        if self.current is None or self.current.kind is not CommitmentKind.TOLERANCE:
            return
        record_id, commitments = self.current.record_id, self._services.commitments
        self._tasks.run_db(
            lambda: commitments.notice(record_id), self._preview, self._show_error, context=self
        )

    def _preview(self, document: Document) -> None:
        self.open_preview(document)
