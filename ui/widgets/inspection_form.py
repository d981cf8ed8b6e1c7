"""The 检查记录 form: one inspection result of a task, as the inspector fills it in on site.

The form only edits; the page saves. :meth:`InspectionForm.collect` turns what is on screen
into an :class:`InspectionInput` for the service, which checks it (every item answered, a
failed item explained, the outcome agreeing with what was found) and says what to fix.
:meth:`InspectionForm.state` and :meth:`InspectionForm.restore_state` turn it into plain
values and back, for the draft kept while the inspector types.
"""

from __future__ import annotations

import contextlib
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import DomainError
from desktop_app.domain.inspections import (
    MAX_RECTIFY_WORKING_DAYS,
    ItemResult,
    Outcome,
    default_conclusion,
    needs_deadline,
)
from desktop_app.domain.working_days import working_days_between
from desktop_app.services.inspections import (
    Checklist,
    FindingInput,
    InspectionInput,
    InspectionView,
    ItemAnswer,
    TaskView,
)
from ui.models.inspection_models import (
    ANS_BASIS,
    ANS_ITEM,
    ANS_NOTE,
    ANS_RESULT,
    SEVERITY_LABELS,
    AnswersModel,
    FindingsModel,
    outcome_text,
    severity_text,
)
from ui.widgets.inspection_widgets import ResultDelegate
from ui.widgets.verification_box import VerificationBox

DEFAULT_DEADLINE_DAYS = 15


def to_qdate(value: date) -> QDate:
    """A Python date as a QDate."""
    return QDate(value.year, value.month, value.day)


class InspectionForm(QWidget):
    """The fields of one inspection result.

    Signals:
        edited(): Something in the form changed since it was filled.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.task: TaskView | None = None
        self.record_id: str | None = None  # the result in the form; None: not saved yet
        self.reinspection_of: str | None = None

        # -- where and with whom -------------------------------------------------------
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.location_edit = QLineEdit()
        self.location_edit.setPlaceholderText(self.tr("检查地点（默认为登记住所）"))
        self.rep_name_edit = QLineEdit()
        self.rep_name_edit.setPlaceholderText(self.tr("姓名"))
        self.rep_role_edit = QLineEdit()
        self.rep_role_edit.setPlaceholderText(self.tr("职务，例如 法定代表人、店长"))
        rep_row = QHBoxLayout()
        rep_row.addWidget(self.rep_name_edit, 1)
        rep_row.addWidget(self.rep_role_edit, 1)
        facts = QFormLayout()
        facts.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.date_edit.setMinimumWidth(140)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_edit)
        date_row.addStretch(1)
        facts.addRow(self.tr("检查日期："), date_row)
        facts.addRow(self.tr("检查地点："), self.location_edit)
        facts.addRow(self.tr("在场人员："), rep_row)

        # -- the checklist -------------------------------------------------------------
        self.answers = AnswersModel(self)
        self.checklist_label = QLabel()
        self.checklist_label.setWordWrap(True)
        self.checklist_label.setTextFormat(Qt.TextFormat.PlainText)
        self.checklist_label.setStyleSheet("color: #455a64;")
        self.answers_view = QTableView()
        self.answers_view.setObjectName("answersTable")
        self.answers_view.setModel(self.answers)
        self.answers_view.setItemDelegateForColumn(ANS_RESULT, ResultDelegate(self.answers_view))
        self.answers_view.setEditTriggers(
            QAbstractItemView.EditTrigger.AllEditTriggers
            & ~QAbstractItemView.EditTrigger.CurrentChanged
        )
        self.answers_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.answers_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.answers_view.setWordWrap(True)
        self.answers_view.verticalHeader().hide()
        self.answers_view.setTabKeyNavigation(False)
        header = self.answers_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ANS_ITEM, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ANS_BASIS, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ANS_NOTE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ANS_BASIS, 200)
        header.resizeSection(ANS_NOTE, 160)
        self.answers_view.setMinimumHeight(170)
        self.all_pass_button = QPushButton(self.tr("其余均合格"))
        self.all_pass_button.setToolTip(self.tr("把尚未填写的检查项都填为“合格”"))
        checklist_top = QHBoxLayout()
        checklist_top.addWidget(self.checklist_label, 1)
        checklist_top.addWidget(self.all_pass_button)
        checklist_box = QGroupBox(self.tr("检查事项（双击“结果”“说明”填写）"))
        checklist_layout = QVBoxLayout(checklist_box)
        checklist_layout.addLayout(checklist_top)
        checklist_layout.addWidget(self.answers_view)

        # -- findings ------------------------------------------------------------------
        self.findings = FindingsModel(self.answers, self)
        self.findings_view = QTableView()
        self.findings_view.setObjectName("findingsTable")
        self.findings_view.setModel(self.findings)
        self.findings_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.findings_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.findings_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.findings_view.verticalHeader().hide()
        self.findings_view.setTabKeyNavigation(False)
        self.findings_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.findings_view.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.Stretch
        )
        self.findings_view.setFixedHeight(110)
        self.finding_edit = QLineEdit()
        self.finding_edit.setPlaceholderText(self.tr("发现的问题，例如 未公示2023年度报告"))
        self.severity_combo = QComboBox()
        for value in SEVERITY_LABELS:
            self.severity_combo.addItem(severity_text(value), value)
        self.severity_combo.setCurrentIndex(self.severity_combo.findData("general"))
        self.item_combo = QComboBox()
        self.item_combo.setMinimumContentsLength(10)
        self.item_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.add_finding_button = QPushButton(self.tr("添加问题"))
        self.remove_finding_button = QPushButton(self.tr("删除所选"))
        self.remove_finding_button.setEnabled(False)
        finding_row = QHBoxLayout()
        finding_row.addWidget(self.finding_edit, 3)
        finding_row.addWidget(self.severity_combo)
        finding_row.addWidget(self.item_combo, 2)
        finding_row.addWidget(self.add_finding_button)
        finding_row.addWidget(self.remove_finding_button)
        findings_box = QGroupBox(self.tr("发现的问题"))
        findings_layout = QVBoxLayout(findings_box)
        findings_layout.addWidget(self.findings_view)
        findings_layout.addLayout(finding_row)

        # -- outcome -------------------------------------------------------------------
        self.outcome_group = QButtonGroup(self)
        self.outcome_buttons: dict[Outcome, QRadioButton] = {}
        outcome_row = QHBoxLayout()
        for number, outcome in enumerate(Outcome):
            button = QRadioButton(outcome_text(outcome))
            self.outcome_group.addButton(button, number)
            self.outcome_buttons[outcome] = button
            outcome_row.addWidget(button)
        outcome_row.addStretch(1)
        self.deadline_spin = QSpinBox()
        self.deadline_spin.setRange(1, MAX_RECTIFY_WORKING_DAYS)
        self.deadline_spin.setValue(DEFAULT_DEADLINE_DAYS)
        self.deadline_spin.setSuffix(self.tr(" 个工作日"))
        self.deadline_note = QLabel()
        self.deadline_note.setStyleSheet("color: #607d8b;")
        deadline_row = QHBoxLayout()
        deadline_row.addWidget(self.deadline_spin)
        deadline_row.addWidget(self.deadline_note, 1)
        self.warning_edit = QPlainTextEdit()
        self.warning_edit.setTabChangesFocus(True)
        self.warning_edit.setPlaceholderText(self.tr("警示内容：存在的问题、整改要求"))
        self.warning_edit.setFixedHeight(60)
        self.publish_check = QCheckBox(self.tr("检查结果向社会公开（双随机、一公开）"))
        self.publish_check.setChecked(True)
        self.conclusion_edit = QPlainTextEdit()
        self.conclusion_edit.setTabChangesFocus(True)
        self.conclusion_edit.setFixedHeight(60)
        outcome_box = QGroupBox(self.tr("处理结果"))
        outcome_form = QGridLayout(outcome_box)
        outcome_form.addLayout(outcome_row, 0, 0, 1, 2)
        outcome_form.addWidget(QLabel(self.tr("整改期限：")), 1, 0)
        outcome_form.addLayout(deadline_row, 1, 1)
        outcome_form.addWidget(QLabel(self.tr("警示内容：")), 2, 0, Qt.AlignmentFlag.AlignTop)
        outcome_form.addWidget(self.warning_edit, 2, 1)
        outcome_form.addWidget(QLabel(self.tr("检查结论：")), 3, 0, Qt.AlignmentFlag.AlignTop)
        outcome_form.addWidget(self.conclusion_edit, 3, 1)
        outcome_form.addWidget(self.publish_check, 4, 1)
        outcome_form.setColumnStretch(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(facts)
        layout.addWidget(checklist_box, 1)
        layout.addWidget(findings_box)
        layout.addWidget(outcome_box)
        # A 承诺核查 task says so at the top: what is checked, and the verdict.
        self.verification_box = VerificationBox()
        layout.insertWidget(1, self.verification_box)
        self.verification_box.edited.connect(self.edited)

        for first, second in (
            (self.date_edit, self.location_edit),
            (self.location_edit, self.rep_name_edit),
            (self.rep_name_edit, self.rep_role_edit),
            (self.rep_role_edit, self.answers_view),
            (self.answers_view, self.all_pass_button),
            (self.all_pass_button, self.findings_view),
            (self.findings_view, self.finding_edit),
            (self.finding_edit, self.severity_combo),
            (self.severity_combo, self.item_combo),
            (self.item_combo, self.add_finding_button),
            (self.add_finding_button, self.remove_finding_button),
            (self.remove_finding_button, self.outcome_buttons[Outcome.NO_PROBLEM]),
            (self.outcome_buttons[Outcome.NO_PROBLEM], self.deadline_spin),
            (self.deadline_spin, self.warning_edit),
            (self.warning_edit, self.conclusion_edit),
            (self.conclusion_edit, self.publish_check),
        ):
            QWidget.setTabOrder(first, second)

        self.all_pass_button.clicked.connect(lambda: self.answers.set_all(ItemResult.PASS))
        self.add_finding_button.clicked.connect(self.add_finding)
        self.finding_edit.returnPressed.connect(self.add_finding)
        self.remove_finding_button.clicked.connect(self.remove_selected_finding)
        self.findings_view.selectionModel().selectionChanged.connect(
            lambda _s, _d: self.remove_finding_button.setEnabled(
                self.findings_view.selectionModel().hasSelection()
            )
        )
        self.outcome_group.idToggled.connect(self._on_outcome_toggled)
        self.answers.edited.connect(self.edited)
        self.findings.rowsInserted.connect(lambda *_a: self.edited.emit())
        self.findings.rowsRemoved.connect(lambda *_a: self.edited.emit())
        for edit in (self.location_edit, self.rep_name_edit, self.rep_role_edit):
            edit.textEdited.connect(lambda _t: self.edited.emit())
        for text in (self.warning_edit, self.conclusion_edit):
            text.textChanged.connect(self.edited)
        self.finding_edit.textEdited.connect(lambda _t: self.edited.emit())
        self.date_edit.dateChanged.connect(lambda _d: self.edited.emit())
        self.deadline_spin.valueChanged.connect(lambda _v: self.edited.emit())
        self.publish_check.toggled.connect(lambda _c: self.edited.emit())
        self.set_outcome(Outcome.NO_PROBLEM)

    # -- filling -----------------------------------------------------------------------

    def start_new(
        self,
        task: TaskView,
        checklist: Checklist | None,
        today: date,
        reinspection_of: InspectionView | None = None,
    ) -> None:
        """An empty result of ``task`` (a re-inspection starts from the earlier result)."""
        self.task = task
        self.record_id = None
        self._set_checklist(checklist)
        base = reinspection_of
        self.reinspection_of = base.record_id if base is not None else None
        self.date_edit.setDate(to_qdate(today))
        self.location_edit.setText(base.location if base else task.address)
        self.rep_name_edit.setText(base.representative_name if base else "")
        self.rep_role_edit.setText(base.representative_role if base else "")
        # A re-inspection checks again what failed: the failed items start blank.
        answers = tuple(a for a in base.answers if a.result is not ItemResult.FAIL) if base else ()
        self.answers.set_checklist(checklist, answers)
        self.findings.set_rows([])
        self.set_outcome(Outcome.NO_PROBLEM)
        self.deadline_spin.setValue(DEFAULT_DEADLINE_DAYS)
        self.warning_edit.clear()
        self.conclusion_edit.clear()
        self.publish_check.setChecked(base.publishable if base else True)
        self.verification_box.show_task(task.verification if base is None else None)

    def show_record(
        self, task: TaskView, checklist: Checklist | None, view: InspectionView
    ) -> None:
        """Fill the form with a saved result."""
        self.task = task
        self.record_id = view.record_id
        self.reinspection_of = view.reinspection_of
        self._set_checklist(checklist)
        self.date_edit.setDate(to_qdate(view.inspected_on))
        self.location_edit.setText(view.location)
        self.rep_name_edit.setText(view.representative_name)
        self.rep_role_edit.setText(view.representative_role)
        self.answers.set_checklist(checklist, view.answers)
        self.findings.set_rows(
            [FindingInput(f.description, f.severity, f.item_no) for f in view.findings]
        )
        self.warning_edit.setPlainText(view.warning_content)
        self.set_outcome(view.outcome)
        days = view.rectify_working_days or self._working_days(view)
        self.deadline_spin.setValue(days or DEFAULT_DEADLINE_DAYS)
        self.deadline_note.setText(
            self.tr("期限至 {day}").format(day=view.deadline.isoformat()) if view.deadline else ""
        )
        self.conclusion_edit.setPlainText(view.conclusion)
        self.publish_check.setChecked(view.publishable)
        self.verification_box.show_task(
            task.verification if not view.reinspection_of else None,
            view.verification,
            view.verification_severity,
        )

    @staticmethod
    def _working_days(view: InspectionView) -> int | None:
        # The view keeps the deadline, not the period; count it back on the official calendar.
        if view.deadline is None:
            return None
        try:
            days = working_days_between(view.inspected_on, view.deadline)
        except DomainError:
            return None
        return days if 1 <= days <= MAX_RECTIFY_WORKING_DAYS else None

    def _set_checklist(self, checklist: Checklist | None) -> None:
        self.item_combo.clear()
        self.item_combo.addItem(self.tr("（不对应检查项）"), None)
        if checklist is None:
            self.checklist_label.setText(self.tr("该任务没有指定检查表。"))
            return
        self.checklist_label.setText(
            f"{checklist.title}（{checklist.domain}）  {checklist.legal_basis}".strip()
        )
        for item in checklist.items:
            self.item_combo.addItem(f"{item.no}. {item.item}", item.no)
            self.item_combo.setItemData(
                self.item_combo.count() - 1, item.item, Qt.ItemDataRole.ToolTipRole
            )

    def set_outcome(self, outcome: Outcome) -> None:
        """Choose ``outcome`` and enable the fields it needs."""
        self.outcome_buttons[outcome].setChecked(True)
        self._on_outcome()

    def outcome(self) -> Outcome:
        """The chosen outcome."""
        for outcome, button in self.outcome_buttons.items():
            if button.isChecked():
                return outcome
        return Outcome.NO_PROBLEM

    def _on_outcome_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self._on_outcome()

    def _on_outcome(self) -> None:
        outcome = self.outcome()
        self.deadline_spin.setEnabled(needs_deadline(outcome))
        self.warning_edit.setEnabled(outcome is Outcome.WARNING)
        self.conclusion_edit.setPlaceholderText(
            self.tr("不填写时使用：{text}").format(text=default_conclusion(outcome))
        )
        self.deadline_note.setText("" if needs_deadline(outcome) else self.tr("无需整改期限"))
        self.edited.emit()

    # -- findings ----------------------------------------------------------------------

    def add_finding(self) -> None:
        """Add the typed finding to the list (blank text adds nothing)."""
        text = self.finding_edit.text().strip()
        if not text:
            self.finding_edit.setFocus()
            return
        item_no = self.item_combo.currentData()
        self.findings.add(
            FindingInput(
                description=text,
                severity=str(self.severity_combo.currentData()),
                item_no=int(item_no) if item_no is not None else None,
            )
        )
        self.finding_edit.clear()
        self.finding_edit.setFocus()

    def remove_selected_finding(self) -> None:
        """Remove the selected finding."""
        rows = self.findings_view.selectionModel().selectedRows()
        if rows:
            self.findings.remove(rows[0].row())

    # -- reading -----------------------------------------------------------------------

    def inspected_on(self) -> date:
        """The inspection day in the form."""
        day = self.date_edit.date()
        return date(day.year(), day.month(), day.day())

    def _commit_editor(self) -> None:
        # A result or note still being typed when Ctrl+S is pressed counts.
        view = self.answers_view
        editor = QApplication.focusWidget()
        if (
            editor is not None
            and view.isAncestorOf(editor)
            and view.state() == QAbstractItemView.State.EditingState
        ):
            view.commitData(editor)
            view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def collect(self) -> InspectionInput:
        """What is on screen, for the service.

        Raises:
            RuntimeError: No task is in the form.
        """
        if self.task is None:
            raise RuntimeError("no task in the form")
        self._commit_editor()
        outcome = self.outcome()
        return InspectionInput(
            task_id=self.task.task_id,
            inspected_on=self.inspected_on(),
            answers=self.answers.answers(),
            conclusion=self.conclusion_edit.toPlainText().strip(),
            location=self.location_edit.text().strip(),
            representative_name=self.rep_name_edit.text().strip(),
            representative_role=self.rep_role_edit.text().strip(),
            findings=self.findings.findings(),
            outcome=outcome,
            deadline_working_days=self.deadline_spin.value() if needs_deadline(outcome) else None,
            warning_content=(
                self.warning_edit.toPlainText().strip() if outcome is Outcome.WARNING else ""
            ),
            publishable=self.publish_check.isChecked(),
            reinspection_of=self.reinspection_of,
            verification=self.verification_box.verdict(),
            verification_severity=self.verification_box.severity(),
        )

    # -- drafts ------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """Everything in the form as plain values (a draft), the finding being typed included."""
        return {
            "task_id": self.task.task_id if self.task is not None else None,
            "record_id": self.record_id,
            "reinspection_of": self.reinspection_of,
            "inspected_on": self.inspected_on().isoformat(),
            "location": self.location_edit.text(),
            "representative_name": self.rep_name_edit.text(),
            "representative_role": self.rep_role_edit.text(),
            "answers": [
                {"no": a.no, "result": a.result.value if a.result else None, "note": a.note}
                for a in self.answers.answers()
            ],
            "findings": [
                {"description": f.description, "severity": f.severity, "item_no": f.item_no}
                for f in self.findings.findings()
            ],
            "finding_text": self.finding_edit.text(),
            "outcome": self.outcome().value,
            "deadline_days": self.deadline_spin.value(),
            "warning": self.warning_edit.toPlainText(),
            "conclusion": self.conclusion_edit.toPlainText(),
            "publish": self.publish_check.isChecked(),
            "verification": self.verification_box.verdict() or "",
            "verification_severity": self.verification_box.severity(),
        }

    def restore_state(self, state: dict[str, Any]) -> None:
        """Put a draft's values back into a form already showing its task."""
        with contextlib.suppress(KeyError, ValueError):  # a draft from another version
            self.date_edit.setDate(to_qdate(date.fromisoformat(str(state["inspected_on"]))))
        self.reinspection_of = state.get("reinspection_of") or None
        self.location_edit.setText(str(state.get("location") or ""))
        self.rep_name_edit.setText(str(state.get("representative_name") or ""))
        self.rep_role_edit.setText(str(state.get("representative_role") or ""))
        answers = []
        for raw in state.get("answers") or []:
            result = raw.get("result")
            answers.append(
                ItemAnswer(
                    int(raw["no"]),
                    ItemResult(result) if result in set(ItemResult) else None,
                    str(raw.get("note") or ""),
                )
            )
        self.answers.set_checklist(self.answers.checklist, answers)
        self.findings.set_rows(
            [
                FindingInput(
                    str(f.get("description") or ""),
                    str(f.get("severity") or "general"),
                    f["item_no"] if isinstance(f.get("item_no"), int) else None,
                )
                for f in state.get("findings") or []
            ]
        )
        self.finding_edit.setText(str(state.get("finding_text") or ""))
        outcome = state.get("outcome")
        self.set_outcome(Outcome(outcome) if outcome in set(Outcome) else Outcome.NO_PROBLEM)
        days = state.get("deadline_days")
        if isinstance(days, int):
            self.deadline_spin.setValue(days)
        self.warning_edit.setPlainText(str(state.get("warning") or ""))
        self.conclusion_edit.setPlainText(str(state.get("conclusion") or ""))
        self.publish_check.setChecked(bool(state.get("publish", True)))
        if self.verification_box.verdict_combo.isEnabled():  # a saved verdict stays as saved
            self.verification_box.set_verdict(
                str(state.get("verification") or ""),
                str(state.get("verification_severity") or ""),
            )
