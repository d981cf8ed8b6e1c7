"""跟踪督办: what supervisors follow up after the window and the inspection (seed 一(一), 三(九)).

* 承诺核查 — commitments due for verification in the supervisor's region (the matter's
  working days after signing), overdue in red; selected ones are assigned as 核查 tasks to
  inspectors of the region, who record the result offline like any inspection.
* 风险预警 — entities the platform's early-warning rules flag, with the rule that fired and
  why (they get a raised sampling rate in the next draw).

Both lists come from the platform when shown (nothing of them is kept on the PC): a
supervisor's client connected and logged in. Other roles see what this page is for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
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
from sync.protocol import RiskWarningList
from sync.risk import fetch_risk_warnings
from sync.transport import Transport
from sync.verifications import (
    assign_verifications,
    fetch_due_verifications,
    fetch_inspectors,
)
from ui.taskman import TaskManager
from ui.widgets.message_box import InlineMessage

OVERDUE = QColor("#b71c1c")
SUPERVISORS = frozenset({"supervisor", "admin"})

PlatformCall = Callable[
    [Callable[[Transport], Any], Callable[[Any], None], Callable[[str], None], str], None
]
"""``SyncController.call_platform``: (request, on_done, on_error, what needs the platform)."""


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

    def __init__(self, count: int, inspectors: list[dict[str, Any]], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("分派承诺核查任务"))
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
    """跟踪督办 for supervisors: 承诺核查 and 风险预警 (lists from the platform)."""

    def __init__(self, services: AppServices, tasks: TaskManager) -> None:
        super().__init__()
        self._services = services
        self._tasks = tasks
        self._call: PlatformCall | None = None
        self._due: list[dict[str, Any]] = []
        self.title = QLabel(self.tr("跟踪督办"))
        self.title.setObjectName("pageTitle")
        self.intro = QLabel(
            self.tr(
                "承诺核查与风险预警由监管人员在线办理：列表取自市级平台，不在本机保存。"
                "窗口和执法人员的待办在“工作台”和“检查任务”中。"
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
                self.tr("预警说明"),
                self.tr("抽查比例提高至"),
            ],
            "riskTable",
        )
        self.risk_count = QLabel()
        risk_tab = QWidget()
        risk_layout = QVBoxLayout(risk_tab)
        risk_layout.addWidget(self.risk_count)
        risk_layout.addWidget(self.risk_table, 1)
        self.tabs.addTab(risk_tab, self.tr("风险预警"))

        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.intro)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)

        self.refresh_button.clicked.connect(self.refresh)
        self.assign_button.clicked.connect(self.assign_selected)
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

    def refresh(self) -> None:
        """Reload the current tab from the platform (supervisors only)."""
        offline = self._services.offline
        self._tasks.run_db(offline.role, self._with_role, context=self)

    def _with_role(self, role: str | None) -> None:
        supervisor = role in SUPERVISORS
        self._set_enabled(supervisor and self._call is not None)
        if not supervisor:
            self.message.show_message(
                self.tr("跟踪督办供监管人员使用；请以监管人员账户登录后查看。"), "info"
            )
            return
        if self._call is None:
            self.message.show_message(self.tr("本机未连接市级平台。"), "error")
            return
        self.message.clear_message()
        if self.tabs.currentIndex() == 0:
            within = 7 if self.soon_check.isChecked() else 0
            self._call(
                lambda t: fetch_due_verifications(t, within),
                self._show_due,
                self._failed,
                self.tr("承诺核查"),
            )
        else:
            self._call(fetch_risk_warnings, self._show_risk, self._failed, self.tr("风险预警"))

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
                "；".join(r.explanation for r in w.rules),
                f"{w.raise_to:.0%}" if w.raise_to else "",
            ]
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(value))
        self.risk_count.setText(
            self.tr("共 {count} 户主体触发预警（{day} 评估，规则第 {rev} 版）").format(
                count=answer.total, day=answer.as_of, rev=answer.rules_revision
            )
        )

    def selected_commitments(self) -> list[str]:
        """The commitments selected in the 承诺核查 table and not assigned yet."""
        rows = sorted({i.row() for i in self.due_table.selectionModel().selectedRows()})
        return [
            str(self._due[r]["commitment_id"])
            for r in rows
            if r < len(self._due) and not self._due[r].get("task_id")
        ]

    def assign_selected(self) -> AssignDialog | None:
        """Open the assignment dialog for the selected commitments."""
        chosen = self.selected_commitments()
        if not chosen or self._call is None:
            self.message.show_message(
                self.tr("请先在列表中选择尚未分派的承诺（可按住 Ctrl 多选）。"), "error"
            )
            return None
        call = self._call

        def open_dialog(people: list[dict[str, Any]]) -> None:
            dialog = AssignDialog(len(chosen), people, self)
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
                    lambda t: assign_verifications(t, chosen, names, days),
                    lambda tasks: self._assigned(dialog, tasks),
                    lambda text: self._assign_failed(dialog, text),
                    self.tr("分派核查"),
                )

            dialog.ok_button.clicked.connect(send)
            dialog.show()

        call(fetch_inspectors, open_dialog, self._failed, self.tr("分派核查"))
        return None

    def _assigned(self, dialog: AssignDialog, tasks: list[str]) -> None:
        dialog.accept()
        self.message.show_message(
            self.tr("已分派 {count} 项核查任务；执法人员下次同步后即可离线办理。").format(
                count=len(tasks)
            ),
            "info",
        )
        self.refresh()

    def _assign_failed(self, dialog: AssignDialog, text: str) -> None:
        dialog.ok_button.setEnabled(True)
        dialog.message.show_message(text, "error")
