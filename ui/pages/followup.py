"""跟踪督办: what supervisors follow up after the window and the inspection (seed 一(一), 三(九)).

* 承诺核查 — commitments due for verification in the supervisor's region (the matter's
  working days after signing), overdue in red; selected ones are assigned as 核查 tasks to
  inspectors of the region, who record the result offline like any inspection.
* 风险预警 — entities the platform's early-warning rules flag, with the rule that fired and
  why (they get a raised sampling rate in the next draw).
* 联合奖惩 — per list measure, how often windows applied it (their 联合奖惩反馈).
* 逾期未整改 — 失信警示 past their rectification deadline with no rectification on record.
  Supervisors see their region's (from the platform) and give them to inspectors as follow-up
  tasks; an inspector sees the warnings on this PC (offline) and records the 约谈 from here
  (``interview_requested`` opens the task's 约谈 tab).

The supervisors' lists come from the platform when shown (nothing of them is kept on the PC).
Window staff see what this page is for (their follow-up is on the 工作台).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.regions import region_name
from desktop_app.services.app import AppServices
from desktop_app.services.inspections import OverdueItem
from sync.followups import (
    assign_followups,
    fetch_measure_statistics,
    fetch_overdue_warnings,
)
from sync.protocol import RiskWarningList
from sync.risk import fetch_risk_warnings
from sync.verifications import (
    assign_verifications,
    fetch_due_verifications,
    fetch_inspectors,
)
from ui.sync_adapter import PlatformCall
from ui.taskman import TaskManager
from ui.widgets.message_box import InlineMessage

OVERDUE = QColor("#b71c1c")
SUPERVISORS = frozenset({"supervisor", "admin"})
TAB_VERIFY, TAB_RISK, TAB_OVERDUE, TAB_MEASURES = 0, 1, 2, 3


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class AssignDialog(QDialog):
    """Choose the inspectors (and their time) for the selected commitments."""

    def __init__(
        self,
        count: int,
        inspectors: list[dict[str, Any]],
        parent: QWidget,
        followup: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            self.tr("分派逾期整改跟进（约谈）任务") if followup else self.tr("分派承诺核查任务")
        )
        self.people = QListWidget()
        self.people.setObjectName("inspectorList")
        for person in inspectors:
            region = region_name(str(person.get("region_code") or "")) or ""
            item = QListWidgetItem(
                f"{person.get('display_name', '')}（{person.get('username', '')}）  {region}"
            )
            item.setData(Qt.ItemDataRole.UserRole, person.get("username"))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.people.addItem(item)
        self.days = QSpinBox()
        self.days.setRange(1, 60)
        self.days.setValue(10)
        self.days.setSuffix(self.tr(" 个工作日"))
        self.message = InlineMessage()
        self.ok_button = QPushButton(self.tr("分派（Ctrl+Enter）"))
        self.ok_button.setDefault(True)
        cancel = QPushButton(self.tr("取消"))
        form = QFormLayout()
        form.addRow(self.tr("核查承诺："), QLabel(self.tr("已选 {count} 份").format(count=count)))
        form.addRow(self.tr("执法人员："), self.people)
        form.addRow(self.tr("完成期限："), self.days)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(480, 420)
        cancel.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.ok_button.click)

    def chosen(self) -> list[str]:
        """The usernames ticked."""
        out = []
        for row in range(self.people.count()):
            item = self.people.item(row)
            if item.checkState() is Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out


class FollowUpPage(QWidget):
    """跟踪督办: 承诺核查, 风险预警 (supervisors) and 逾期未整改 (supervisors and inspectors).

    Signals:
        interview_requested(str, str, str): Record an interview under task (first), following
            up warning (second); the third is the line that says which warning.
    """

    interview_requested = Signal(str, str, str)

    def __init__(self, services: AppServices, tasks: TaskManager) -> None:
        super().__init__()
        self._services = services
        self._tasks = tasks
        self._call: PlatformCall | None = None
        self._due: list[dict[str, Any]] = []
        self._overdue: list[dict[str, Any]] = []
        self._local: list[OverdueItem] = []
        self._role: str | None = None
        self._keep_message = False
        self.title = QLabel(self.tr("跟踪督办"))
        self.title.setObjectName("pageTitle")
        self.intro = QLabel(
            self.tr(
                "承诺核查、风险预警和逾期整改跟进：监管人员的列表取自市级平台，不在本机保存；"
                "执法人员的“逾期未整改”列表取自本机，离线可用。"
            )
        )
        self.intro.setWordWrap(True)
        self.message = InlineMessage()
        self.tabs = QTabWidget()

        # -- 承诺核查 -------------------------------------------------------------------------
        self.due_table = _table(
            [
                self.tr("主体名称"),
                self.tr("统一社会信用代码"),
                self.tr("承诺事项"),
                self.tr("承诺类型"),
                self.tr("签署日期"),
                self.tr("核查期限"),
                self.tr("受理大厅"),
                self.tr("状态"),
            ],
            "verificationTable",
        )
        self.due_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.soon_check = QCheckBox(self.tr("含 7 日内到期"))
        self.refresh_button = QPushButton(self.tr("刷新（F5）"))
        self.assign_button = QPushButton(self.tr("分派核查…"))
        self.assign_button.setObjectName("assignButton")
        self.due_count = QLabel()
        due_bar = QHBoxLayout()
        due_bar.addWidget(self.soon_check)
        due_bar.addStretch(1)
        due_bar.addWidget(self.due_count)
        due_bar.addWidget(self.assign_button)
        due_tab = QWidget()
        due_layout = QVBoxLayout(due_tab)
        due_layout.addLayout(due_bar)
        due_layout.addWidget(self.due_table, 1)
        self.tabs.addTab(due_tab, self.tr("承诺核查"))

        # -- 风险预警 -------------------------------------------------------------------------
        self.risk_table = _table(
            [
                self.tr("主体名称"),
                self.tr("统一社会信用代码"),
                self.tr("所属区域"),
                self.tr("触发规则"),
                self.tr("抽查比例提高至"),
                self.tr("预警说明"),
            ],
            "riskTable",
        )
        self.risk_count = QLabel()
        risk_tab = QWidget()
        risk_layout = QVBoxLayout(risk_tab)
        risk_layout.addWidget(self.risk_count)
        risk_layout.addWidget(self.risk_table, 1)
        self.tabs.addTab(risk_tab, self.tr("风险预警"))

        # -- 逾期未整改 -----------------------------------------------------------------------
        self.overdue_table = _table(
            [
                self.tr("主体名称"),
                self.tr("统一社会信用代码"),
                self.tr("警示日期"),
                self.tr("整改期限"),
                self.tr("逾期天数"),
                self.tr("警示内容"),
                self.tr("已约谈"),
                self.tr("跟进任务"),
            ],
            "overdueTable",
        )
        self.overdue_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.overdue_count = QLabel()
        self.followup_button = QPushButton(self.tr("分派约谈…"))
        self.followup_button.setObjectName("followupButton")
        self.interview_button = QPushButton(self.tr("记录约谈…（Enter）"))
        self.interview_button.setObjectName("interviewButton")
        overdue_bar = QHBoxLayout()
        overdue_bar.addWidget(self.overdue_count)
        overdue_bar.addStretch(1)
        overdue_bar.addWidget(self.followup_button)
        overdue_bar.addWidget(self.interview_button)
        overdue_tab = QWidget()
        overdue_layout = QVBoxLayout(overdue_tab)
        overdue_layout.addLayout(overdue_bar)
        overdue_layout.addWidget(self.overdue_table, 1)
        self.tabs.addTab(overdue_tab, self.tr("逾期未整改"))

        # -- 联合奖惩 -------------------------------------------------------------------------
        self.measure_table = _table(
            [
                self.tr("名单"),
                self.tr("类别"),
                self.tr("措施"),
                self.tr("已实施"),
                self.tr("不适用"),
                self.tr("实施比例"),
                self.tr("记录的大厅"),
            ],
            "measureStatsTable",
        )
        self.measure_count = QLabel()
        measures_tab = QWidget()
        measures_layout = QVBoxLayout(measures_tab)
        measures_layout.addWidget(self.measure_count)
        measures_layout.addWidget(self.measure_table, 1)
        self.tabs.addTab(measures_tab, self.tr("联合奖惩"))

        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.intro)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)

        self.refresh_button.clicked.connect(lambda: self.refresh())
        self.assign_button.clicked.connect(self.assign_selected)
        self.followup_button.clicked.connect(self.assign_followups)
        self.interview_button.clicked.connect(self.request_interview)
        self.overdue_table.doubleClicked.connect(lambda _i: self.request_interview())
        QShortcut(
            QKeySequence(Qt.Key.Key_Return),
            self.overdue_table,
            self.request_interview,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.soon_check.toggled.connect(lambda _on: self.refresh())
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        QShortcut(QKeySequence("F5"), self, self.refresh)
        self._set_enabled(False)

    def set_platform(self, call: PlatformCall | None) -> None:
        """Let this page ask the platform (a connected client's ``call_platform``)."""
        self._call = call

    def _set_enabled(self, on: bool) -> None:
        self.tabs.setEnabled(on)
        self.refresh_button.setEnabled(on)

    def showEvent(self, event: Any) -> None:
        """Load the lists when the page is shown."""
        super().showEvent(event)
        self.refresh()

    def refresh(self, keep_message: bool = False) -> None:
        """Reload the current tab (supervisors: from the platform; inspectors: this PC).

        Args:
            keep_message: Leave the message line as it is (after an act that reported on it).
        """
        offline = self._services.offline
        self._keep_message = keep_message
        self._tasks.run_db(offline.role, self._with_role, context=self)

    def _with_role(self, role: str | None) -> None:
        self._role = role
        supervisor = role in SUPERVISORS
        inspector = role == "inspector"
        self._set_enabled(supervisor or inspector)
        for tab in (TAB_VERIFY, TAB_RISK, TAB_MEASURES):
            self.tabs.setTabEnabled(tab, supervisor)
        self.followup_button.setVisible(supervisor)
        self.interview_button.setVisible(inspector)
        if not (supervisor or inspector):
            self.message.show_message(
                self.tr(
                    "跟踪督办供监管人员和执法人员使用；窗口的容缺补齐和待核查承诺在“工作台”中。"
                ),
                "info",
            )
            return
        if inspector:
            if self.tabs.currentIndex() != TAB_OVERDUE:
                self.tabs.setCurrentIndex(TAB_OVERDUE)  # refreshes again through the signal
                return
            self._clear_message()
            inspections = self._services.inspections
            self._tasks.run_db(inspections.overdue_warnings, self._show_local, context=self)
            return
        if self._call is None:
            self.message.show_message(self.tr("本机未连接市级平台。"), "error")
            return
        self._clear_message()
        current = self.tabs.currentIndex()
        if current == TAB_VERIFY:
            within = 7 if self.soon_check.isChecked() else 0
            self._call(
                lambda t: fetch_due_verifications(t, within),
                self._show_due,
                self._failed,
                self.tr("承诺核查"),
                context=self,
            )
        elif current == TAB_RISK:
            self._call(
                fetch_risk_warnings,
                self._show_risk,
                self._failed,
                self.tr("风险预警"),
                context=self,
            )
        elif current == TAB_MEASURES:
            self._call(
                fetch_measure_statistics,
                self._show_measures,
                self._failed,
                self.tr("联合奖惩"),
                context=self,
            )
        else:
            self._call(
                fetch_overdue_warnings,
                self._show_overdue,
                self._failed,
                self.tr("逾期未整改"),
                context=self,
            )

    def _clear_message(self) -> None:
        if not self._keep_message:
            self.message.clear_message()
        self._keep_message = False

    def _kind_label(self, kind: str) -> str:
        labels = {"notify": self.tr("告知承诺"), "tolerance": self.tr("容缺受理")}
        return labels.get(kind, kind)

    def _failed(self, text: str) -> None:
        self.message.show_message(text, "error")

    def _show_due(self, rows: list[dict[str, Any]]) -> None:
        self._due = rows
        table = self.due_table
        table.setRowCount(len(rows))
        overdue = 0
        for row, d in enumerate(rows):
            late = bool(d.get("overdue"))
            if d.get("task_id"):
                state = self.tr("已分派 {task}").format(task=d["task_id"])
            elif late:
                state = self.tr("已逾期")
            else:
                state = self.tr("待分派")
            values = [
                str(d.get("entity_name") or ""),
                str(d.get("uscc") or ""),
                str(d.get("matter") or ""),
                self._kind_label(str(d.get("kind") or "")),
                str(d.get("signed_on") or ""),
                str(d.get("verify_due_on") or ""),
                str(d.get("hall") or ""),
                state,
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if late and not d.get("task_id"):
                    item.setForeground(OVERDUE)
                table.setItem(row, column, item)
            overdue += late and not d.get("task_id")
        self.due_count.setText(
            self.tr("共 {count} 份，逾期未分派 {overdue} 份").format(
                count=len(rows), overdue=overdue
            )
        )

    def _show_risk(self, answer: RiskWarningList) -> None:
        table = self.risk_table
        table.setRowCount(len(answer.items))
        for row, w in enumerate(answer.items):
            values = [
                w.entity_name,
                w.uscc,
                region_name(w.region_code or "") or (w.region_code or ""),
                "、".join(r.label for r in w.rules),
                f"{w.raise_to:.0%}" if w.raise_to else "",
                "；".join(r.explanation for r in w.rules),
            ]
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(value))
        self.risk_count.setText(
            self.tr("共 {count} 户主体触发预警（{day} 评估，规则第 {rev} 版）").format(
                count=answer.total, day=answer.as_of, rev=answer.rules_revision
            )
        )

    def _show_measures(self, rows: list[dict[str, Any]]) -> None:
        table = self.measure_table
        table.setRowCount(len(rows))
        for row, m in enumerate(rows):
            halls = m.get("halls") if isinstance(m.get("halls"), dict) else {}
            assert isinstance(halls, dict)
            values = [
                str(m.get("list_name") or m.get("list_code") or ""),
                str(m.get("category") or ""),
                str(m.get("measure") or ""),
                str(m.get("applied") or 0),
                str(m.get("not_applicable") or 0),
                f"{float(m.get('applied_share') or 0):.0%}",
                "、".join(f"{h} {n}" for h, n in halls.items()),
            ]
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(value))
        total = sum(int(m.get("total") or 0) for m in rows)
        self.measure_count.setText(
            self.tr("窗口共反馈 {total} 次措施实施情况，涉及 {count} 项措施").format(
                total=total, count=len(rows)
            )
        )

    def _fill_overdue(self, rows: list[list[str]], late: list[bool]) -> None:
        table = self.overdue_table
        table.setRowCount(len(rows))
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if late[row]:
                    item.setForeground(OVERDUE)
                table.setItem(row, column, item)
        waiting = sum(late)
        self.overdue_count.setText(
            self.tr("共 {count} 份逾期未整改的失信警示，尚未约谈 {waiting} 份").format(
                count=len(rows), waiting=waiting
            )
        )

    def _show_overdue(self, rows: list[dict[str, Any]]) -> None:
        self._overdue = rows
        self._fill_overdue(
            [
                [
                    str(w.get("entity_name") or ""),
                    str(w.get("uscc") or ""),
                    str(w.get("issued_on") or ""),
                    str(w.get("deadline") or ""),
                    str(w.get("days_late") or ""),
                    str(w.get("content") or ""),
                    str(w.get("interviews") or 0),
                    str(w.get("followup_task_id") or self.tr("待分派")),
                ]
                for w in rows
            ],
            [not w.get("interviews") for w in rows],
        )

    def _show_local(self, items: list[OverdueItem]) -> None:
        self._local = items
        self._fill_overdue(
            [
                [
                    o.entity_name,
                    o.warning.uscc,
                    o.warning.issued_on.isoformat(),
                    o.warning.deadline.isoformat(),
                    str(o.days_late),
                    o.warning.content,
                    str(o.warning.interviews),
                    o.record_task_id or self.tr("本机无该主体的任务"),
                ]
                for o in items
            ],
            [o.warning.interviews == 0 for o in items],
        )

    def request_interview(self) -> None:
        """Open the 约谈 form for the selected overdue warning (inspectors, offline)."""
        rows = self.overdue_table.selectionModel().selectedRows()
        item = self._local[rows[0].row()] if rows and rows[0].row() < len(self._local) else None
        if item is None:
            self.message.show_message(self.tr("请先在列表中选择一份逾期的失信警示。"), "error")
            return
        if not item.record_task_id:
            self.message.show_message(
                self.tr("本机没有该主体的检查任务，请联系监管人员分派跟进任务后同步。"), "error"
            )
            return
        w = item.warning
        text = self.tr("跟进失信警示：{day} 警示，整改期限 {deadline}，已逾期 {late} 天。").format(
            day=w.issued_on.isoformat(), deadline=w.deadline.isoformat(), late=item.days_late
        )
        self.interview_requested.emit(item.record_task_id, w.warning_id, text)

    def assign_followups(self) -> None:
        """Give the selected overdue warnings to inspectors as follow-up (约谈) tasks."""
        rows = sorted({i.row() for i in self.overdue_table.selectionModel().selectedRows()})
        chosen = [
            str(self._overdue[r]["warning_id"])
            for r in rows
            if r < len(self._overdue) and not self._overdue[r].get("followup_task_id")
        ]
        self._open_assign(chosen, followup=True)

    def selected_commitments(self) -> list[str]:
        """The commitments selected in the 承诺核查 table and not assigned yet."""
        rows = sorted({i.row() for i in self.due_table.selectionModel().selectedRows()})
        return [
            str(self._due[r]["commitment_id"])
            for r in rows
            if r < len(self._due) and not self._due[r].get("task_id")
        ]

    def assign_selected(self) -> None:
        """Open the assignment dialog for the selected commitments."""
        self._open_assign(self.selected_commitments(), followup=False)

    def _open_assign(self, chosen: list[str], followup: bool) -> None:
        if not chosen or self._call is None:
            self.message.show_message(
                self.tr("请先在列表中选择尚未分派的条目（可按住 Ctrl 多选）。"), "error"
            )
            return
        call = self._call
        send_to = assign_followups if followup else assign_verifications
        what = self.tr("分派约谈") if followup else self.tr("分派核查")

        def open_dialog(people: list[dict[str, Any]]) -> None:
            dialog = AssignDialog(len(chosen), people, self, followup)
            self.assign_dialog = dialog

            def send() -> None:
                dialog.message.clear_message()
                names = dialog.chosen()
                if not names:
                    dialog.message.show_message(self.tr("请至少勾选一名执法人员。"), "error")
                    return
                dialog.ok_button.setEnabled(False)
                days = dialog.days.value()
                call(
                    lambda t: send_to(t, chosen, names, days),
                    lambda tasks: self._assigned(dialog, tasks),
                    lambda text: self._assign_failed(dialog, text),
                    what,
                    context=dialog,
                )

            dialog.ok_button.clicked.connect(send)
            dialog.show()

        call(fetch_inspectors, open_dialog, self._failed, what, context=self)

    def _assigned(self, dialog: AssignDialog, tasks: list[str]) -> None:
        dialog.accept()
        self.message.show_message(
            self.tr("已分派 {count} 项任务；执法人员下次同步后即可离线办理。").format(
                count=len(tasks)
            ),
            "info",
        )
        self.refresh(keep_message=True)

    def _assign_failed(self, dialog: AssignDialog, text: str) -> None:
        dialog.ok_button.setEnabled(True)
        dialog.message.show_message(text, "error")
