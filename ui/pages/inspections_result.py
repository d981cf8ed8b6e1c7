"""The 检查任务 page's result in the form: showing, checking, saving and amending it.

A part of :class:`ui.pages.inspections.InspectionsPage`, which inherits it; its strings keep
the page's translation context (``InspectionsPage``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    Qt,
    SignalInstance,
)
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QPushButton,
    QTabWidget,
    QWidget,
)

from desktop_app.domain.clock import china_today
from desktop_app.domain.inspections import Outcome, needs_deadline
from desktop_app.services.app import AppServices
from desktop_app.services.inspections import (
    Checklist,
    InspectionView,
    TaskView,
)
from ui.models.inspection_models import (
    TaskTableModel,
)
from ui.taskman import TaskManager
from ui.widgets.drafts import DraftKeeper
from ui.widgets.inspection_form import InspectionForm
from ui.widgets.inspection_photos import PhotoPanel
from ui.widgets.inspection_widgets import AmendDialog
from ui.widgets.message_box import InlineMessage
from ui.widgets.save_progress import SaveProgress

_BADGE = "QLabel {{ {tone} border-radius: 4px; padding: 2px 8px; }}"
_TONES = {
    "open": "color: #0d47a1; background: #e3f2fd;",
    "good": "color: #1b5e20; background: #e8f5e9;",
    "bad": "color: #b71c1c; background: #ffebee;",
    "muted": "color: #455a64; background: #eceff1;",
    "warn": "color: #7a4a00; background: #fff3e0;",
}
TaskBundle = tuple[TaskView, Checklist | None, list[InspectionView]]


def _badge(label: QLabel, text: str, tone: str) -> None:
    label.setText(text)
    label.setStyleSheet(_BADGE.format(tone=_TONES[tone]))
    label.setVisible(bool(text))


def not_published(view: InspectionView) -> bool:
    """A result on the platform, meant to be public, that is not published yet (未公开)."""
    return view.synced and view.publishable and view.published is False


translate = QCoreApplication.translate  # lupdate extracts translate("Context", "text")


class ResultActions(QWidget):
    """Part of the page (see its module); the page class inherits it."""

    _services: AppServices
    current: InspectionView | None
    records: list[InspectionView]
    _saving: bool
    _save_again: bool
    _pending_restore: dict[str, Any] | None
    amend_dialog: AmendDialog | None
    _show_photos: Callable[[], None]  # EvidenceActions'
    _tasks: TaskManager
    amend_button: QPushButton
    changed: SignalInstance
    checklist: Checklist | None
    drafts: DraftKeeper
    form: InspectionForm
    interview_button: QPushButton
    message: InlineMessage
    model: TaskTableModel
    notice_button: QPushButton
    photos: PhotoPanel
    print_button: QPushButton
    record_badge: QLabel
    record_combo: QComboBox
    record_info: QLabel
    reinspect_button: QPushButton
    save_button: QPushButton
    save_progress: SaveProgress
    saved: SignalInstance
    scan_button: QPushButton
    sync_badge: QLabel
    tabs: QTabWidget
    task: TaskView | None
    unpublished_badge: QLabel

    def _show_bundle(self, bundle: TaskBundle, record_id: str | None = None) -> None:
        raise NotImplementedError  # the page's

    def _show_error(self, exc: Exception) -> None:
        raise NotImplementedError  # the page's

    # -- the result in the form --------------------------------------------------------

    def _record_caption(self, view: InspectionView) -> str:
        kind = (
            translate("InspectionsPage", "复查")
            if view.reinspection_of
            else translate("InspectionsPage", "检查")
        )
        return f"{view.inspected_on.isoformat()} {kind} · {view.outcome_label}"

    def _show_record(self, view: InspectionView | None, *, reinspect: bool = False) -> None:
        """Put a saved result (or, with None, a new one) in the form."""
        task = self.task
        if task is None:
            return
        base = self.current if reinspect else None
        self.current = view
        self._filling = True
        try:
            if view is None:
                self.form.start_new(task, self.checklist, china_today(), reinspection_of=base)
            else:
                self.form.show_record(task, self.checklist, view)
        finally:
            self._filling = False
        self.unsaved = False
        self._fill_record_combo(view, reinspect=base is not None)
        self._show_record_state()
        self._show_photos()

    def _fill_record_combo(self, view: InspectionView | None, *, reinspect: bool = False) -> None:
        self.record_combo.clear()
        for record in self.records:
            self.record_combo.addItem(self._record_caption(record), record.record_id)
        if view is None:
            caption = (
                translate("InspectionsPage", "新的复查记录（未保存）")
                if reinspect
                else translate("InspectionsPage", "新的检查记录（未保存）")
            )
            self.record_combo.addItem(caption, None)
        self.record_combo.setCurrentIndex(
            self.record_combo.findData(view.record_id) if view else self.record_combo.count() - 1
        )
        self.record_combo.setEnabled(self.record_combo.count() > 1)

    def _show_record_state(self) -> None:
        view = self.current
        if view is None:
            _badge(self.record_badge, translate("InspectionsPage", "未保存"), "muted")
            self.sync_badge.hide()
            self.unpublished_badge.hide()
            self.record_info.setText(
                translate("InspectionsPage", "复查记录，保存后可添加照片。")
                if self.form.reinspection_of
                else translate("InspectionsPage", "保存后可添加照片、打印现场检查记录。")
            )
        else:
            _badge(
                self.record_badge,
                view.outcome_label,
                "bad" if view.outcome is not Outcome.NO_PROBLEM else "good",
            )
            _badge(
                self.sync_badge,
                translate("InspectionsPage", "已同步")
                if view.synced
                else translate("InspectionsPage", "待同步"),
                "good" if view.synced else "open",
            )
            _badge(
                self.unpublished_badge,
                translate("InspectionsPage", "未公开") if not_published(view) else "",
                "bad",
            )
            self.unpublished_badge.setToolTip(
                translate("InspectionsPage", "该结果已同步到平台，应予公开但尚未公开。")
            )
            parts = [translate("InspectionsPage", "照片 {count} 张").format(count=len(view.photos))]
            parts.append(
                translate("InspectionsPage", "签字扫描件 {count} 份").format(
                    count=view.signed_scans
                )
            )
            if view.deadline:
                parts.append(
                    translate("InspectionsPage", "整改期限至 {day}").format(
                        day=view.deadline.isoformat()
                    )
                )
            if view.amendments:
                parts.append(
                    translate("InspectionsPage", "已更正 {count} 次").format(
                        count=len(view.amendments)
                    )
                )
            if not view.publishable:
                parts.append(translate("InspectionsPage", "不公开"))
            self.record_info.setText("  ·  ".join(parts))
        self._update_actions()

    def _editable(self) -> bool:
        return self.current is not None and not self.current.synced and not self._busy

    def _update_actions(self) -> None:
        view, idle = self.current, not self._busy
        has_task = self.task is not None
        self.save_button.setEnabled(idle and has_task and (view is None or not view.synced))
        self.save_button.setToolTip(
            translate("InspectionsPage", "已同步的记录请用“更正已同步记录…”修改。")
            if view and view.synced
            else ""
        )
        saved = view is not None and idle
        self.print_button.setEnabled(saved)
        self.notice_button.setEnabled(saved and view is not None and needs_deadline(view.outcome))
        self.scan_button.setEnabled(saved)
        self.amend_button.setEnabled(saved and view is not None and view.synced)
        self.reinspect_button.setEnabled(saved)
        self.photos.set_editable(self._editable())
        self.interview_button.setEnabled(idle and has_task)

    def _on_record_chosen(self, index: int) -> None:
        record_id = self.record_combo.itemData(index)
        view = next((v for v in self.records if v.record_id == record_id), None)
        if view is not None and view is not self.current:
            self.message.clear_message()
            self._show_record(view)

    def start_reinspection(self) -> None:
        """复查: a new result prefilled from the one in the form (failed items to check again)."""
        if self.current is None or self.task is None:
            return
        source = self.current
        self._show_record(None, reinspect=True)
        self.tabs.setCurrentIndex(1)
        self.message.show_message(
            translate(
                "InspectionsPage",
                "复查 {day} 的检查结果：原不合格的检查项已清空，请逐项复查后保存。",
            ).format(day=source.inspected_on.isoformat()),
            "info",
        )
        self.form.date_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- saving ------------------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_actions()

    def save(self) -> None:
        """Save the result in the form (Ctrl+S); ``saved`` after, or the service's message.

        The form stays editable while it saves. Pressed again meanwhile, the save queues:
        it runs once more, with what the form holds then, when the first one is done.
        """
        if self._saving:
            self._save_again = True
            return
        if self._busy or self.task is None:
            return
        if self.current is not None and self.current.synced:
            self.message.show_message(
                translate(
                    "InspectionsPage",
                    "该记录已同步到平台，不能直接修改。如需更正，请用“更正已同步记录…”。",
                ),
                "warning",
            )
            return
        data = self.form.collect()
        service = self._services.inspections
        self._saving = True
        self.save_progress.start(translate("InspectionsPage", "正在保存…"))
        self._write(
            lambda: service.record(data),
            lambda view: translate(
                "InspectionsPage", "检查记录已保存（{outcome}），将在联网后同步。"
            ).format(outcome=view.outcome_label),
            submitted=self.form.state(),
        )

    def _write(
        self,
        work: Callable[[], InspectionView],
        text: Callable[[InspectionView], str],
        *,
        submitted: dict[str, Any] | None = None,
    ) -> None:
        """Run a write of the result; ``submitted`` (the form's state) keeps the form editable.

        Without ``submitted`` the page is busy until the write ends (an amendment). With it,
        typing goes on; if the form changed meanwhile it keeps those edits, marked unsaved.
        """
        task = self.task
        if task is None:
            return
        service, task_id = self._services.inspections, task.task_id
        if submitted is None:
            self._set_busy(True)

        def run() -> tuple[InspectionView, TaskBundle, bool]:
            view = work()
            records = service.for_task(task_id)
            fresh = service.task(task_id)
            checklist = service.checklist(fresh.checklist_id) if fresh.checklist_id else None
            return view, (fresh, checklist, records), all(v.synced for v in records)

        def done(result: tuple[InspectionView, TaskBundle, bool]) -> None:
            view, bundle, synced = result
            self._set_busy(False)
            self._end_save()
            self.model.update_task(bundle[0], synced)
            if submitted is not None and self.form.state() != submitted:
                self._keep_later_edits(view, bundle)
            else:
                self.drafts.discard()
                self._show_bundle(bundle, view.record_id)
                self.message.show_message(text(view), "success")
            self.saved.emit(view.record_id)
            self.changed.emit()
            if self._save_again:
                self._save_again = False
                if self.unsaved:
                    self.save()

        self._tasks.run_db(run, done, self._show_error, context=self)

    def _end_save(self) -> None:
        self._saving = False
        self.save_progress.stop()

    def _keep_later_edits(self, view: InspectionView, bundle: TaskBundle) -> None:
        # Typed while the save ran: the saved result is listed, the form keeps the new text.
        task, _checklist, records = bundle
        if self.task is None or self.task.task_id != task.task_id:
            return
        self.records = records
        self.current = view
        self.form.record_id = view.record_id
        self._fill_record_combo(view)
        self._show_record_state()
        self._show_photos()
        self.unsaved = True
        self.drafts.flush()
        self.message.show_message(
            translate(
                "InspectionsPage",
                "检查记录已保存。保存开始后输入的内容尚未保存，请再按 Ctrl+S 保存。",
            ),
            "warning",
        )

    def ask_amend(self) -> AmendDialog | None:
        """更正已同步记录: ask the reason, then replace the synced result with the form's."""
        view = self.current
        if view is None or not view.synced or self._busy:
            return None
        if self.amend_dialog is not None and shiboken6.isValid(self.amend_dialog):
            self.amend_dialog.close()
        subject = f"{view.entity_name}（{view.uscc}）· {self._record_caption(view)}"
        dialog = AmendDialog(subject, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submitted.connect(self._amend)
        self.amend_dialog = dialog
        dialog.open()
        return dialog

    def _amend(self, reason: str) -> None:
        view = self.current
        if view is None:
            return
        data = self.form.collect()
        service, record_id = self._services.inspections, view.record_id
        self._write(
            lambda: service.amend(record_id, data, reason),
            lambda _v: translate(
                "InspectionsPage", "已更正检查记录，原内容和更正原因已留存，将在联网后同步。"
            ),
        )
