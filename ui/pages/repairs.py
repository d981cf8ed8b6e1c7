"""信用修复与异议: intake at the window (offline too), the queue by due date, the letters.

The queue lists the applications this device holds — a hall's own, or, for a supervisor, those
of their region that the unit decides — undecided first by due date, overdue in red. Intake
picks a record of the entity's city-wide public credit record; a repair before the minimum
publication period is refused with the earliest date. 打印文书 previews the 受理回执 until a
decision has come back, then the decision letter.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.config import Settings
from desktop_app.domain.clock import china_today
from desktop_app.domain.regions import region_name
from desktop_app.domain.repair import (
    ObjectionOutcome,
    RepairError,
    RepairOutcome,
    RepairWay,
    repair_effect,
)
from desktop_app.reports.document import Document
from desktop_app.services.app import AppServices
from desktop_app.services.repairs import (
    ApplicationView,
    ObjectionInput,
    RecordChoice,
    RepairInput,
)
from ui.error_text import show_service_error
from ui.printing.preview import ISSUING_UNIT_KEY, DocumentPreviewDialog, PreviewHost
from ui.taskman import TaskManager
from ui.widgets.message_box import InlineMessage
from ui.widgets.scans import choose_scan_file, read_scan, scan_mime

OVERDUE = QColor("#b71c1c")


class IntakeDialog(QDialog):
    """受理信用修复申请 / 异议申请 for one entity.

    Signals:
        taken(object): The application was saved (an :class:`ApplicationView`).
    """

    taken = Signal(object)

    def __init__(
        self,
        services: AppServices,
        tasks: TaskManager,
        objection: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._repairs = services.repairs
        self._tasks = tasks
        self.objection = objection
        self._choices: list[RecordChoice] = []
        self.setWindowTitle(self.tr("受理异议申请") if objection else self.tr("受理信用修复申请"))
        self.uscc_edit = QLineEdit()
        self.uscc_edit.setPlaceholderText(self.tr("统一社会信用代码"))
        self.find_button = QPushButton(self.tr("查找记录"))
        self.records = QListWidget()
        self.records.setObjectName("intakeRecords")
        self.records.setMinimumHeight(120)
        self.way_combo = QComboBox()
        for way in RepairWay:
            self.way_combo.addItem(self._way_label(way), way.value)
        self.person_edit = QLineEdit()
        self.role_edit = QLineEdit()
        self.role_edit.setPlaceholderText(self.tr("法定代表人 / 委托代理人"))
        self.phone_edit = QLineEdit()
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText(
            self.tr("认为记录有误之处")
            if objection
            else self.tr("整改情况、履行法定义务情况、作出的信用修复承诺")
        )
        self.extra_edit = QLineEdit()
        self.extra_edit.setPlaceholderText(
            self.tr("证据，多项用顿号分隔") if objection else self.tr("已提交材料，多项用顿号分隔")
        )
        self.message = InlineMessage()
        self.save_button = QPushButton(self.tr("受理并保存（Ctrl+Enter）"))
        self.cancel_button = QPushButton(self.tr("取消"))

        find_row = QHBoxLayout()
        find_row.addWidget(self.uscc_edit, 1)
        find_row.addWidget(self.find_button)
        form = QFormLayout()
        form.addRow(self.tr("主体："), find_row)
        form.addRow(self.tr("记录："), self.records)
        if not objection:
            form.addRow(self.tr("修复方式："), self.way_combo)
        form.addRow(self.tr("异议人：") if objection else self.tr("申请人："), self.person_edit)
        if objection:
            form.addRow(self.tr("身份："), self.role_edit)
        form.addRow(self.tr("联系电话："), self.phone_edit)
        form.addRow(self.tr("异议内容：") if objection else self.tr("申请理由："), self.text_edit)
        form.addRow(self.tr("证据：") if objection else self.tr("材料："), self.extra_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(620, 560)

        self.find_button.clicked.connect(self.find_records)
        self.uscc_edit.returnPressed.connect(self.find_records)
        self.save_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.submit)

    def _way_label(self, way: RepairWay) -> str:
        labels = {
            RepairWay.COMMITMENT: self.tr("作出信用承诺"),
            RepairWay.RECTIFICATION: self.tr("完成整改"),
            RepairWay.VERIFICATION: self.tr("提交核查说明"),
            RepairWay.TRAINING: self.tr("参加信用修复培训"),
            RepairWay.CREDIT_REPORT: self.tr("提交信用报告"),
            RepairWay.PUBLIC_SERVICE: self.tr("参加公益慈善活动"),
        }
        return labels[way]

    def find_records(self) -> None:
        """Load the entity's records of the public credit record."""
        code = self.uscc_edit.text().strip().upper()
        repairs = self._repairs
        self._tasks.run_db(
            lambda: repairs.choices(code), self._show_records, self._error, context=self
        )

    def _show_records(self, choices: list[RecordChoice]) -> None:
        self.message.clear_message()
        self._choices = [c for c in choices if self.objection or c.repairable]
        self.records.clear()
        for choice in self._choices:
            parts = [choice.title, choice.decided_on]
            if choice.severity:
                parts.append(choice.severity)
            if not self.objection and choice.earliest is not None:
                parts.append(self.tr("最早可申请：{date}").format(date=choice.earliest.isoformat()))
            if choice.mark:
                parts.append(choice.mark)
            self.records.addItem(QListWidgetItem("　".join(p for p in parts if p)))
        if self._choices:
            self.records.setCurrentRow(0)
        else:
            self.message.show_message(self.tr("该主体没有可办理的公示期内记录。"), "info")

    def submit(self) -> None:
        """Save the application (the window's own store; it syncs when it can)."""
        row = self.records.currentRow()
        if row < 0 or row >= len(self._choices):
            self.message.show_message(self.tr("请先查找主体并选择一条记录。"), "error")
            return
        choice = self._choices[row]
        code = self.uscc_edit.text().strip().upper()
        extra = tuple(x.strip() for x in self.extra_edit.text().split("、") if x.strip())
        repairs = self._repairs
        if self.objection:
            data_o = ObjectionInput(
                uscc=code,
                source_collection=choice.source_collection,
                source_id=choice.source_id,
                objector_name=self.person_edit.text(),
                objector_role=self.role_edit.text(),
                objector_phone=self.phone_edit.text(),
                disputed=self.text_edit.toPlainText(),
                evidence="\n".join(extra),
            )
            self._tasks.run_db(
                lambda: repairs.apply_objection(data_o), self._saved, self._error, context=self
            )
            return
        data = RepairInput(
            uscc=code,
            source_id=choice.source_id,
            way=RepairWay(str(self.way_combo.currentData())),
            statement=self.text_edit.toPlainText(),
            applicant_name=self.person_edit.text(),
            applicant_phone=self.phone_edit.text(),
            materials=extra,
        )
        self._tasks.run_db(
            lambda: repairs.apply_repair(data), self._saved, self._error, context=self
        )

    def _saved(self, view: ApplicationView) -> None:
        self.taken.emit(view)
        self.accept()

    def _error(self, exc: Exception) -> None:
        show_service_error(self.message, exc)


Decider = Callable[
    [str, str, dict[str, Any], Callable[[dict[str, Any]], None], Callable[[str], None]], None
]
"""Sends a decision to the platform (``SyncController.decide``)."""


class DecisionDialog(QDialog):
    """作出决定: 准予修复 / 不予修复, or 维持 / 更正 / 撤销, with reasons.

    Signals:
        decided(dict): The body to send (validated here with the platform's rule).
    """

    decided = Signal(dict)

    def __init__(self, view: ApplicationView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.setWindowTitle(self.tr("作出决定"))
        f = view.fields
        self.outcome_combo = QComboBox()
        if view.kind == "repair":
            self.outcome_combo.addItem(self.tr("准予修复"), RepairOutcome.GRANTED.value)
            self.outcome_combo.addItem(self.tr("不予修复"), RepairOutcome.REFUSED.value)
        else:
            self.outcome_combo.addItem(self.tr("维持"), ObjectionOutcome.KEPT.value)
            self.outcome_combo.addItem(self.tr("更正"), ObjectionOutcome.CORRECTED.value)
            self.outcome_combo.addItem(self.tr("撤销"), ObjectionOutcome.REVOKED.value)
        self.severity_combo = QComboBox()
        for code, label in (
            ("minor", self.tr("轻微")),
            ("general", self.tr("一般")),
            ("serious", self.tr("严重")),
        ):
            self.severity_combo.addItem(label, code)
        self.reasons_edit = QPlainTextEdit()
        self.reasons_edit.setPlaceholderText(self.tr("决定的理由（将写入告知书）"))
        self.remedy_edit = QLineEdit()
        self.remedy_edit.setPlaceholderText(self.tr("因错误记录造成损害的，已采取的纠正措施"))
        self.message = InlineMessage()
        self.send_button = QPushButton(self.tr("提交决定"))
        cancel = QPushButton(self.tr("取消"))
        form = QFormLayout()
        form.addRow(self.tr("申请："), QLabel(f"{view.number}　{f.get('record_title', '')}"))
        form.addRow(self.tr("决定："), self.outcome_combo)
        if view.kind == "objection":
            form.addRow(self.tr("更正后的严重程度："), self.severity_combo)
            form.addRow(self.tr("纠正措施："), self.remedy_edit)
        form.addRow(self.tr("理由："), self.reasons_edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.send_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(520, 380)
        self.send_button.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        self.outcome_combo.currentIndexChanged.connect(lambda _i: self._show_outcome())
        self._show_outcome()

    def _show_outcome(self) -> None:
        corrected = self.outcome_combo.currentData() == ObjectionOutcome.CORRECTED.value
        self.severity_combo.setEnabled(corrected)

    def submit(self) -> None:
        """Check the decision the way the platform will, then hand its body on."""
        outcome = str(self.outcome_combo.currentData())
        reasons = self.reasons_edit.toPlainText().strip()
        body: dict[str, Any] = {"outcome": outcome, "reasons": reasons}
        try:
            if self.view.kind == "repair":
                repair_effect(RepairOutcome(outcome), reasons, china_today())
            else:
                body["remedy"] = self.remedy_edit.text().strip()
                if outcome == ObjectionOutcome.CORRECTED.value:
                    body["corrections"] = {"severity": self.severity_combo.currentData()}
                if len(reasons) < 4:
                    repair_effect(RepairOutcome.REFUSED, reasons, china_today())
        except RepairError as err:
            self.message.show_message(str(err), "error")
            return
        self.send_button.setEnabled(False)
        self.message.show_message(self.tr("正在提交到市级平台…"), "info")
        self.decided.emit(body)


StatisticsSource = Callable[[Callable[[list[dict[str, Any]]], None], Callable[[str], None]], None]
"""Fetches the follow-up figures from the platform (``SyncController.repair_statistics``)."""


class StatisticsDialog(QDialog):
    """办理统计: per hall that took them and per deciding unit, what is pending and overdue."""

    def __init__(self, rows: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("信用修复与异议办理统计"))
        self.table = QTableWidget(len(rows), 8)
        self.table.setObjectName("repairStatistics")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("类别"),
                self.tr("受理大厅"),
                self.tr("决定单位"),
                self.tr("受理"),
                self.tr("未办结"),
                self.tr("逾期"),
                self.tr("已决定"),
                self.tr("办理用时中位数（工作日）"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for row, item in enumerate(rows):
            median = item.get("median_working_days")
            unit = str(item.get("unit") or "")
            values = [
                self.tr("异议") if item.get("kind") == "objection" else self.tr("信用修复"),
                str(item.get("hall") or ""),
                region_name(unit) or unit,
                str(item.get("received", 0)),
                str(item.get("pending", 0)),
                str(item.get("overdue", 0)),
                str(item.get("decided", 0)),
                "—" if median is None else f"{median:g}",
            ]
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                if column == 5 and item.get("overdue"):
                    cell.setForeground(OVERDUE)
                self.table.setItem(row, column, cell)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(860, 360)


class RepairsPage(PreviewHost):
    """信用修复与异议: the queue, intake, letters.

    Signals:
        preview_opened(object): A letter's preview opened.
        changed(): An application was taken.
    """

    preview_opened = Signal(object)
    changed = Signal()

    def __init__(
        self,
        services: AppServices,
        tasks: TaskManager,
        settings: Settings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self._settings = settings
        self.preview_dialog: DocumentPreviewDialog | None = None
        self.intake: IntakeDialog | None = None
        self._views: list[ApplicationView] = []

        title = QLabel(self.tr("信用修复与异议"))
        title.setObjectName("pageTitle")
        self.repair_button = QPushButton(self.tr("受理信用修复…"))
        self.objection_button = QPushButton(self.tr("受理异议…"))
        self.print_button = QPushButton(self.tr("打印文书…"))
        self.commitment_button = QPushButton(self.tr("信用修复承诺书…"))
        self.commitment_button.setToolTip(self.tr("打印所选修复申请的信用修复承诺书，供申请人签署"))
        self.scan_button = QPushButton(self.tr("附加扫描件…"))
        self.scan_button.setToolTip(
            self.tr("为所选申请附加材料或证据的扫描件（加密保存，联网后上传）")
        )
        self.decide_button = QPushButton(self.tr("作出决定…"))
        self.decide_button.setToolTip(self.tr("作出记录的单位的科室负责人决定（需要连接市级平台）"))
        self.decide_button.hide()
        self._decider: Decider | None = None
        self.stats_button = QPushButton(self.tr("办理统计…"))
        self.stats_button.setToolTip(self.tr("各大厅、各决定单位的受理、未办结、逾期和办理用时"))
        self.stats_button.hide()
        self._statistics: StatisticsSource | None = None
        self.statistics_dialog: StatisticsDialog | None = None
        self.decision_dialog: DecisionDialog | None = None
        self.print_button.setToolTip(self.tr("未决定时打印受理回执，决定后打印决定书或结果告知书"))
        self.pending_check = QCheckBox(self.tr("只看未办结"))
        # The same 出具单位 the report page remembers: one window, one unit.
        self.unit_edit = QLineEdit(str(settings.get(ISSUING_UNIT_KEY, "") or ""))
        self.unit_edit.setPlaceholderText(self.tr("受理单位（印在文书上）"))
        self.unit_edit.setMinimumWidth(260)
        self.message = InlineMessage()
        self.count_label = QLabel()
        self.table = QTableWidget(0, 8)
        self.table.setObjectName("repairQueue")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("类别"),
                self.tr("受理编号"),
                self.tr("主体"),
                self.tr("记录"),
                self.tr("受理日期"),
                self.tr("办理期限"),
                self.tr("状态"),
                self.tr("决定"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.unit_edit)
        top.addWidget(self.repair_button)
        top.addWidget(self.objection_button)
        top.addWidget(self.commitment_button)
        top.addWidget(self.scan_button)
        top.addWidget(self.print_button)
        top.addWidget(self.decide_button)
        top.addWidget(self.stats_button)
        filters = QHBoxLayout()
        filters.addWidget(self.pending_check)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        self.repair_button.clicked.connect(lambda: self.open_intake(objection=False))
        self.objection_button.clicked.connect(lambda: self.open_intake(objection=True))
        self.print_button.clicked.connect(self.print_selected)
        self.scan_button.clicked.connect(self.choose_scan)
        self.commitment_button.clicked.connect(lambda: self.print_selected(commitment=True))
        self.decide_button.clicked.connect(self.decide_selected)
        self.stats_button.clicked.connect(self.show_statistics)
        self.pending_check.toggled.connect(lambda _on: self.refresh())
        self.table.doubleClicked.connect(lambda _index: self.print_selected())
        self.refresh()

    def set_decider(self, decider: Decider | None) -> None:
        """Let this page send decisions (a supervisor's client, connected to the platform)."""
        self._decider = decider
        self.refresh()

    def set_statistics_source(self, source: StatisticsSource | None) -> None:
        """Let this page fetch the follow-up figures (a supervisor's connected client)."""
        self._statistics = source
        self.refresh()

    def show_statistics(self) -> None:
        """Fetch the figures from the platform and show them."""
        if self._statistics is None:
            return

        def show(rows: list[dict[str, Any]]) -> None:
            dialog = StatisticsDialog(rows, self)
            self.statistics_dialog = dialog
            dialog.show()

        self._statistics(show, lambda text: self.message.show_message(text, "error"))

    def decide_selected(self) -> DecisionDialog | None:
        """Open the decision form for the selected, undecided application."""
        view = self.selected()
        if view is None or self._decider is None:
            self.message.show_message(self.tr("请先在列表中选择一件申请。"), "error")
            return None
        if view.decided:
            self.message.show_message(self.tr("这件申请已作出决定。"), "info")
            return None
        dialog = DecisionDialog(view, self)
        decider = self._decider

        def send(body: dict[str, Any]) -> None:
            decider(view.kind, view.record_id, body, done, failed)

        def done(fields: dict[str, Any]) -> None:
            dialog.accept()
            self.message.show_message(
                self.tr("已作出决定：{decision}。同步后各窗口生效，可打印告知书。").format(
                    decision=fields.get("decision", "")
                ),
                "info",
            )

        def failed(text: str) -> None:
            dialog.send_button.setEnabled(True)
            dialog.message.show_message(text, "error")

        dialog.decided.connect(send)
        self.decision_dialog = dialog
        dialog.show()
        return dialog

    def open_intake(self, objection: bool) -> IntakeDialog:
        """Open the intake form (modeless, so the card can be looked at meanwhile)."""
        dialog = IntakeDialog(self._services, self._tasks, objection, self)
        dialog.taken.connect(self._taken)
        self.intake = dialog
        dialog.show()
        return dialog

    def _taken(self, view: ApplicationView) -> None:
        self.message.show_message(
            self.tr("已受理，受理编号 {number}；办理期限 {due}。可打印受理回执。").format(
                number=view.number, due=view.due_on or self.tr("（待平台计算）")
            ),
            "info",
        )
        self.changed.emit()
        self.refresh(select=view.record_id)

    def refresh(self, select: str = "") -> None:
        """Reload the queue on the database worker."""
        repairs = self._services.repairs
        offline = self._services.offline
        pending = self.pending_check.isChecked()

        def work() -> tuple[list[ApplicationView], str | None]:
            return repairs.queue(pending_only=pending), offline.role()

        def show(result: tuple[list[ApplicationView], str | None]) -> None:
            views, role = result
            # Decisions belong to the unit's supervisors: the button is theirs (and admins').
            supervisor = role in {"supervisor", "admin"}
            self.decide_button.setVisible(self._decider is not None and supervisor)
            self.stats_button.setVisible(self._statistics is not None and supervisor)
            self._show(views, select)

        self._tasks.run_db(work, show, context=self)

    def _show(self, views: list[ApplicationView], select: str) -> None:
        self._views = views
        self.table.setRowCount(len(views))
        overdue = 0
        for row, view in enumerate(views):
            f = view.fields
            status = f.get("decision") or (self.tr("已逾期") if view.overdue else self.tr("办理中"))
            kind = self.tr("异议") if view.kind == "objection" else self.tr("信用修复")
            values = [
                kind,
                view.number,
                str(f.get("entity_name") or f.get("uscc") or ""),
                str(f.get("record_title") or ""),
                str(f.get("received_on") or ""),
                view.due_on,
                str(status) + ("" if view.synced else self.tr("（待同步）")),
                str(f.get("reasons") or ""),
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if view.overdue:
                    item.setForeground(OVERDUE)
                self.table.setItem(row, column, item)
            overdue += view.overdue
            if view.record_id == select:
                self.table.selectRow(row)
        self.count_label.setText(
            self.tr("共 {count} 件，逾期 {overdue} 件").format(count=len(views), overdue=overdue)
        )

    @property
    def views(self) -> list[ApplicationView]:
        """The applications shown, in table order."""
        return list(self._views)

    def selected(self) -> ApplicationView | None:
        """The application selected in the queue."""
        row = self.table.currentRow()
        return self._views[row] if 0 <= row < len(self._views) else None

    def choose_scan(self) -> None:
        """Ask for a scan file and attach it to the selected application."""
        if self.selected() is None:
            self.message.show_message(self.tr("请先在列表中选择一件申请。"), "error")
            return
        path = choose_scan_file(self, self.tr("选择材料扫描件"))
        if path is not None:
            self.attach_file(path)

    def attach_file(self, path: Path) -> None:
        """Attach the file at ``path`` to the selected application (read on the worker)."""
        view = self.selected()
        if view is None:
            return
        collection = "objections" if view.kind == "objection" else "repair_applications"
        repairs = self._services.repairs

        def work() -> str:
            return repairs.attach_scan(
                collection, view.record_id, read_scan(path), path.name, scan_mime(path)
            )

        def done(_sha: str) -> None:
            self.message.show_message(
                self.tr("已附加扫描件“{name}”，联网后随申请上传。").format(name=path.name), "info"
            )
            self.refresh(select=view.record_id)

        self._tasks.run_db(
            work, done, lambda exc: show_service_error(self.message, exc), context=self
        )

    def print_selected(self, commitment: bool = False) -> None:
        """Preview the selected application's letter (receipt, or the decision).

        With ``commitment``: the 信用修复承诺书 the applicant signs.
        """
        view = self.selected()
        if view is None:
            self.message.show_message(self.tr("请先在列表中选择一件申请。"), "error")
            return
        unit = self.unit_edit.text().strip()
        if not unit:
            self.message.show_message(self.tr("请填写受理单位（将印在文书上）。"), "error")
            self.unit_edit.setFocus()
            return
        if unit != self._settings.get(ISSUING_UNIT_KEY):
            self._settings.set(ISSUING_UNIT_KEY, unit)
        collection = "objections" if view.kind == "objection" else "repair_applications"
        repairs = self._services.repairs

        def work() -> Document:
            return repairs.letter(collection, view.record_id, unit, commitment=commitment)

        def show(document: Document) -> None:
            self.open_preview(document)

        self._tasks.run_db(
            work, show, lambda exc: show_service_error(self.message, exc), context=self
        )
