"""公示台账: what must go online within 7 working days of the decision (seed 四(十三)).

Licences, penalties, inspection results, warnings, interviews, commitments, draws and granted
repairs, as the platform's publication feed lists them: who decided (作出单位), the decision
date and the deadline on the official calendar, overdue ones in red. A supervisor filters by
status, kind and unit, records that selected items went online (the day and the website), and
exports the list for the city website's team (XLSX or CSV). The counts per unit — online in
time, online late, not yet online, overdue — sit under the list.

Everything comes from the platform when shown (nothing is kept on the PC): a supervisor's or an
administrator's client, connected and logged in. Other roles see what the page is for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QItemSelectionModel, QModelIndex, QStandardPaths, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.config import Settings
from desktop_app.domain.clock import china_today
from desktop_app.reports.spreadsheet import Table, write_table
from desktop_app.services.app import AppServices
from sync.errors import SyncError
from sync.protocol import PublicationItem, PublicationStatistics, PublicationUnitCount
from sync.publications import FeedQuery, fetch_publications, fetch_statistics, mark_published
from sync.transport import Transport
from ui.models.rows import RowsModel
from ui.sync_adapter import PlatformCall
from ui.taskman import TaskManager
from ui.widgets.message_box import InlineMessage
from ui.widgets.table_columns import USCC_CHARS, fit_columns

OVERDUE = QColor("#b71c1c")
LATE = QColor("#8d6e00")
SUPERVISORS = frozenset({"supervisor", "admin"})
WHERE_KEY = "publication_where"
EXPORT_FOLDER_KEY = "publication_export_folder"
DEFAULT_WHERE = "信用长治网站"
COL_KIND, COL_ENTITY, COL_USCC, COL_MATTER, COL_UNIT, COL_DECIDED, COL_DEADLINE, COL_STATUS = range(
    8
)


@dataclass(frozen=True)
class MarkOutcome:
    """What recording a batch as published came to: the items recorded, the refusals."""

    done: list[PublicationItem]
    refused: list[str]


def mark_batch(transport: Transport, ids: list[str], published_on: date, where: str) -> MarkOutcome:
    """Record each item as published, one request each; a refusal does not stop the others.

    Runs on the network worker. A network failure stops the batch (it is raised): the items
    recorded before it stay recorded, and sending the batch again is harmless.
    """
    done: list[PublicationItem] = []
    refused: list[str] = []
    for item_id in ids:
        try:
            done.append(mark_published(transport, item_id, published_on, where))
        except SyncError as exc:
            if exc.code is None:  # no answer from the platform: stop, report it
                raise
            refused.append(exc.user_message)
    return MarkOutcome(done, refused)


class PublicationModel(RowsModel[PublicationItem]):
    """The feed's items; overdue rows in red, items published late in amber."""

    def role_data(self, row: PublicationItem, column: int, role: int) -> Any:
        """Red text for overdue items; the deadline's note as the deadline's tooltip."""
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.overdue:
                return OVERDUE
            if row.late:
                return LATE
        return None

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """As :class:`RowsModel`, with the deadline note on the deadline's tooltip."""
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and index.isValid()
            and index.column() == COL_DEADLINE
        ):
            item = self.row_at(index.row())
            if item is not None and item.deadline_note:
                return item.deadline_note
        return super().data(index, role)


class MarkPublishedDialog(QDialog):
    """登记已公示: the day the selected items went online and where.

    The platform checks both again (not in the future, not before the decision).

    Signals:
        chosen(object, str): The day (a :class:`datetime.date`) and the place.
    """

    chosen = Signal(object, str)

    def __init__(
        self, count: int, earliest: date, today: date, where: str, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记已公示"))
        self.day_edit = QDateEdit()
        self.day_edit.setObjectName("publishedOn")
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.day_edit.setMinimumDate(QDate(earliest.year, earliest.month, earliest.day))
        self.day_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        self.day_edit.setDate(QDate(today.year, today.month, today.day))
        self.where_edit = QComboBox()
        self.where_edit.setObjectName("publishedWhere")
        self.where_edit.setEditable(True)
        choices = [
            where,
            DEFAULT_WHERE,
            self.tr("信用长治网站“双公示”栏目"),
            self.tr("信用中国（山西）网站"),
        ]
        for choice in dict.fromkeys(c for c in choices if c):
            self.where_edit.addItem(choice)
        self.where_edit.setCurrentText(where or DEFAULT_WHERE)
        self.where_edit.setMinimumWidth(320)
        self.message = InlineMessage()
        self.ok_button = QPushButton(self.tr("登记（Ctrl+Enter）"))
        self.ok_button.setDefault(True)
        cancel = QPushButton(self.tr("取消"))
        form = QFormLayout()
        form.addRow(self.tr("条目："), QLabel(self.tr("已选 {count} 条").format(count=count)))
        form.addRow(self.tr("公示日期："), self.day_edit)
        form.addRow(self.tr("公示网站（栏目）："), self.where_edit)
        hint = QLabel(self.tr("公示日期为网站上实际发布的日期，不能晚于今天，也不能早于决定日期。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #546e7a;")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.ok_button.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.submit)

    def submit(self) -> None:
        """Check the place and hand the day and place on (the dialog stays until done)."""
        where = self.where_edit.currentText().strip()
        if not where:
            self.message.show_message(
                self.tr("请填写公示的网站或栏目，例如“信用长治网站”。"), "error"
            )
            return
        self.message.clear_message()
        self.ok_button.setEnabled(False)
        self.chosen.emit(self.day_edit.date().toPython(), where)

    def failed(self, text: str) -> None:
        """Show why nothing (or not everything) was recorded; the user may send again."""
        self.ok_button.setEnabled(True)
        self.message.show_message(text, "error")


class PublicationsPage(QWidget):
    """公示台账 for supervisors and administrators (the list comes from the platform).

    Signals:
        supervisor_known(bool): Whether the profile's role may use the desk (the window
            shows the page's navigation entry only then).
        exported(str): The list was written completely to this file.
    """

    supervisor_known = Signal(bool)
    exported = Signal(str)

    def __init__(self, services: AppServices, tasks: TaskManager, settings: Settings) -> None:
        super().__init__()
        self._services = services
        self._tasks = tasks
        self._settings = settings
        self._call: PlatformCall | None = None
        self._loading = 0
        self._today = china_today()
        self.mark_dialog: MarkPublishedDialog | None = None
        self.export_dialog: QFileDialog | None = None
        self.statistics: PublicationStatistics | None = None

        title = QLabel(self.tr("公示台账"))
        title.setObjectName("pageTitle")
        self.intro = QLabel(
            self.tr(
                "行政许可、行政处罚、检查结果、失信警示、约谈和信用修复决定等，"
                "须自作出决定之日起 7 个工作日内上网公示（截止日期按法定节假日和调休计算）。"
                "列表取自市级平台，不在本机保存。"
            )
        )
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet("color: #455a64;")
        self.message = InlineMessage()

        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusFilter")
        for text, value in (
            (self.tr("待公示（含逾期）"), "due"),
            (self.tr("已逾期"), "overdue"),
            (self.tr("已公示"), "published"),
            (self.tr("全部"), "all"),
        ):
            self.status_combo.addItem(text, value)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kindFilter")
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("unitFilter")
        self.unit_combo.setMinimumContentsLength(14)
        self._fill_choices(self.kind_combo, self.tr("全部类型"), [])
        self._fill_choices(self.unit_combo, self.tr("全部单位"), [])
        self.count_label = QLabel()
        self.count_label.setObjectName("feedCount")
        self.busy_label = QLabel(self.tr("正在从市级平台读取…"))
        self.busy_label.setObjectName("busyLabel")
        self.busy_label.setStyleSheet("color: #1f5fa8;")
        self.busy_label.hide()
        self.refresh_button = QPushButton(self.tr("刷新（F5）"))
        self.mark_button = QPushButton(self.tr("登记已公示…"))
        self.mark_button.setObjectName("markButton")
        self.mark_button.setToolTip(self.tr("为所选条目登记公示日期和公示网站（可多选）"))
        self.export_button = QPushButton(self.tr("导出（Ctrl+E）…"))
        self.export_button.setToolTip(self.tr("将当前列表导出为 Excel（.xlsx）或 CSV 文件"))

        self.model = PublicationModel(self._columns(), self, key=lambda i: i.id)
        self.table = QTableView()
        self.table.setObjectName("publicationTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        fit_columns(
            self.table,
            COL_MATTER,
            min_chars=16,
            caps={COL_KIND: 12, COL_ENTITY: 22, COL_USCC: USCC_CHARS, COL_UNIT: 20},
        )

        self.stats_model: RowsModel[PublicationUnitCount] = RowsModel(
            [
                (self.tr("作出单位"), lambda u: u.unit),
                (self.tr("按时公示"), lambda u: str(u.on_time)),
                (self.tr("逾期公示"), lambda u: str(u.late)),
                (self.tr("未公示"), lambda u: str(u.pending)),
                (self.tr("其中已逾期"), lambda u: str(u.overdue)),
                (self.tr("合计"), lambda u: str(u.total)),
            ],
            self,
            {n: Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter for n in range(1, 6)},
        )
        self.stats_table = QTableView()
        self.stats_table.setObjectName("unitCounts")
        self.stats_table.setModel(self.stats_model)
        self.stats_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.stats_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.stats_table.verticalHeader().hide()
        self.stats_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.stats_table.setAlternatingRowColors(True)
        header = self.stats_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setDefaultSectionSize(self.fontMetrics().horizontalAdvance("按时公示") * 2)
        self.stats_label = QLabel()
        self.stats_label.setObjectName("statsSummary")
        stats_box = QGroupBox(self.tr("各单位公示情况"))
        stats_layout = QVBoxLayout(stats_box)
        stats_layout.addWidget(self.stats_label)
        stats_layout.addWidget(self.stats_table, 1)

        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.refresh_button)
        head.addWidget(self.mark_button)
        head.addWidget(self.export_button)
        filters = QHBoxLayout()
        for text, combo in (
            (self.tr("状态："), self.status_combo),
            (self.tr("类型："), self.kind_combo),
            (self.tr("作出单位："), self.unit_combo),
        ):
            filters.addWidget(QLabel(text))
            filters.addWidget(combo)
            filters.addSpacing(12)
        filters.addStretch(1)
        filters.addWidget(self.busy_label)
        filters.addSpacing(12)
        filters.addWidget(self.count_label)
        list_part = QWidget()
        list_layout = QVBoxLayout(list_part)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addLayout(filters)
        list_layout.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(list_part)
        self.splitter.addWidget(stats_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.intro)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)

        self.refresh_button.clicked.connect(self.refresh)
        self.mark_button.clicked.connect(self.mark_selected)
        self.export_button.clicked.connect(self.ask_export)
        self.table.doubleClicked.connect(lambda _index: self.mark_selected())
        for combo in (self.status_combo, self.kind_combo, self.unit_combo):
            combo.activated.connect(lambda _i: self.load_feed())
        QShortcut(QKeySequence("F5"), self, self.refresh)
        QShortcut(QKeySequence("Ctrl+E"), self, self.ask_export)
        self._set_enabled(False)

    # -- columns and texts ---------------------------------------------------------------

    def _columns(self) -> list[tuple[str, Callable[[PublicationItem], str]]]:
        return [
            (self.tr("类型"), lambda i: i.kind),
            # A draw's item is about a batch, not one entity: its title is the matter.
            (self.tr("主体名称"), lambda i: i.entity_name or ("—" if i.matter else i.title)),
            (self.tr("统一社会信用代码"), lambda i: i.uscc or ""),
            (self.tr("事项"), lambda i: i.matter or ""),
            (self.tr("作出单位"), lambda i: i.unit or ""),
            (self.tr("决定日期"), lambda i: i.decided_on),
            (self.tr("公示截止日期"), lambda i: i.deadline or self.tr("待定")),
            (self.tr("状态"), self.status_text),
        ]

    def status_text(self, item: PublicationItem) -> str:
        """The item's state in words: 待公示, 已逾期, 已公示（date）, 逾期公示（date）."""
        if item.published_on or item.published_at:
            day = item.published_on or (item.published_at or "")[:10]
            if item.late:
                return self.tr("逾期公示（{day}）").format(day=day)
            return self.tr("已公示（{day}）").format(day=day)
        if item.overdue:
            return self.tr("已逾期")
        if item.deadline is None:
            return self.tr("待公示（截止日期待定）")
        return self.tr("待公示")

    @staticmethod
    def _fill_choices(combo: QComboBox, everything: str, values: list[str]) -> None:
        current = combo.currentData()
        combo.clear()
        combo.addItem(everything, None)
        for value in values:
            combo.addItem(value, value)
        index = combo.findData(current) if current else 0
        combo.setCurrentIndex(max(index, 0))

    # -- platform ------------------------------------------------------------------------

    def set_platform(self, call: PlatformCall | None) -> None:
        """Let this page ask the platform (a connected client's ``call_platform``)."""
        self._call = call

    def _set_enabled(self, on: bool) -> None:
        for widget in (
            self.refresh_button,
            self.mark_button,
            self.export_button,
            self.status_combo,
            self.kind_combo,
            self.unit_combo,
            self.table,
        ):
            widget.setEnabled(on)

    def showEvent(self, event: Any) -> None:
        """Load the list and the counts when the page is shown."""
        super().showEvent(event)
        self.refresh()

    def check_role(self) -> None:
        """Learn the profile's role on the database worker; ``supervisor_known`` follows."""
        self._tasks.run_db(
            self._services.offline.role,
            lambda role: self.supervisor_known.emit(role in SUPERVISORS),
            context=self,
        )

    def refresh(self) -> None:
        """Reload the counts and the list from the platform (supervisors and admins only)."""
        self._tasks.run_db(self._services.offline.role, self._with_role, context=self)

    def _with_role(self, role: str | None) -> None:
        supervisor = role in SUPERVISORS
        self.supervisor_known.emit(supervisor)
        self._set_enabled(supervisor and self._call is not None)
        if not supervisor:
            self.message.show_message(
                self.tr("公示台账供科室负责人和管理员使用；请以监管人员账户登录后查看。"), "info"
            )
            return
        if self._call is None:
            self.message.show_message(
                self.tr("公示台账需要连接市级平台；本机未设置平台地址，请在“同步”页设置并登录。"),
                "error",
            )
            return
        self.message.clear_message()
        self.load_statistics()
        self.load_feed()

    def _busy(self, delta: int) -> None:
        # Waiting is shown beside the list, so a result or an error above it stays readable.
        self._loading = max(0, self._loading + delta)
        self.refresh_button.setEnabled(self._loading == 0 and self._call is not None)
        self.busy_label.setVisible(self._loading > 0)

    def _failed(self, text: str) -> None:
        self._busy(-1)
        self.message.show_message(text, "error")

    def query(self) -> FeedQuery:
        """The feed query the filters make."""
        return FeedQuery(
            status=str(self.status_combo.currentData() or "due"),
            kind=self.kind_combo.currentData(),
            unit=self.unit_combo.currentData(),
        )

    def load_feed(self) -> None:
        """Ask the platform for the list the filters select."""
        if self._call is None:
            return
        query = self.query()
        self._busy(+1)
        self._call(
            lambda t: fetch_publications(t, query),
            self._show_feed,
            self._failed,
            self.tr("公示台账"),
            context=self,
        )

    def load_statistics(self) -> None:
        """Ask the platform for the counts per unit (and the kinds and units to filter by)."""
        if self._call is None:
            return
        self._busy(+1)
        self._call(
            fetch_statistics,
            self._show_statistics,
            self._failed,
            self.tr("公示台账"),
            context=self,
        )

    def _show_feed(self, items: list[PublicationItem]) -> None:
        self._busy(-1)
        self.model.set_rows(items)
        overdue = sum(i.overdue for i in items)
        self.count_label.setText(
            self.tr("共 {count} 条，已逾期 {overdue} 条").format(count=len(items), overdue=overdue)
        )

    def _show_statistics(self, stats: PublicationStatistics) -> None:
        self._busy(-1)
        self.statistics = stats
        self._today = date.fromisoformat(stats.as_of)
        self._fill_choices(self.kind_combo, self.tr("全部类型"), stats.kinds)
        self._fill_choices(self.unit_combo, self.tr("全部单位"), [u.unit for u in stats.units])
        self.stats_model.set_rows(stats.units)
        units = stats.units
        self.stats_label.setText(
            self.tr(
                "截至 {day}：共 {total} 条，按时公示 {on_time} 条，逾期公示 {late} 条，"
                "未公示 {pending} 条（其中已逾期 {overdue} 条）"
            ).format(
                day=stats.as_of,
                total=sum(u.total for u in units),
                on_time=sum(u.on_time for u in units),
                late=sum(u.late for u in units),
                pending=sum(u.pending for u in units),
                overdue=sum(u.overdue for u in units),
            )
        )

    # -- recording -----------------------------------------------------------------------

    def selected_items(self) -> list[PublicationItem]:
        """The items selected in the list, in list order."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [item for r in rows if (item := self.model.row_at(r)) is not None]

    def select_rows(self, rows: list[int]) -> None:
        """Select these rows of the list (keyboard users and tests)."""
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in rows:
            selection.select(self.model.index(row, 0, QModelIndex()), flags)

    def mark_selected(self) -> MarkPublishedDialog | None:
        """Open 登记已公示 for the selected items not yet published."""
        chosen = [i for i in self.selected_items() if not i.published_at]
        if not chosen or self._call is None:
            self.message.show_message(
                self.tr("请先在列表中选择尚未公示的条目（可按住 Ctrl 或 Shift 多选）。"), "error"
            )
            return None
        earliest = max(date.fromisoformat(i.decided_on) for i in chosen)
        where = str(self._settings.get(WHERE_KEY, "") or DEFAULT_WHERE)
        dialog = MarkPublishedDialog(len(chosen), earliest, max(self._today, earliest), where, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.mark_dialog = dialog
        dialog.chosen.connect(lambda day, place: self._send_marks(dialog, chosen, day, place))
        dialog.open()
        return dialog

    def _send_marks(
        self, dialog: MarkPublishedDialog, items: list[PublicationItem], day: date, where: str
    ) -> None:
        call = self._call
        if call is None:
            dialog.failed(self.tr("本机未连接市级平台，无法登记。"))
            return
        if where != self._settings.get(WHERE_KEY):
            self._settings.set(WHERE_KEY, where)
        ids = [i.id for i in items]
        dialog.message.show_message(self.tr("正在登记 {count} 条…").format(count=len(ids)), "info")
        call(
            lambda t: mark_batch(t, ids, day, where),
            lambda outcome: self._marked(dialog, outcome, day, where),
            dialog.failed,
            self.tr("登记已公示"),
            context=dialog,
        )

    def _marked(
        self, dialog: MarkPublishedDialog, outcome: MarkOutcome, day: date, where: str
    ) -> None:
        for item in outcome.done:
            self.model.replace(item)
        if outcome.refused:
            dialog.failed(
                self.tr("已登记 {done} 条；{count} 条未登记：{reasons}").format(
                    done=len(outcome.done),
                    count=len(outcome.refused),
                    reasons="；".join(dict.fromkeys(outcome.refused)),
                )
            )
        else:
            dialog.accept()
        self.message.show_message(
            self.tr("已登记 {count} 条为已公示（公示日期 {day}，{where}）。").format(
                count=len(outcome.done), day=day.isoformat(), where=where
            ),
            "success",
        )
        self.load_statistics()
        self.load_feed()

    # -- export --------------------------------------------------------------------------

    def export_table(self) -> Table:
        """The list as shown, with where and when each item went online, for a file."""
        headers = [str(self.model.headerData(c, Qt.Orientation.Horizontal)) for c in range(8)]
        headers += [self.tr("公示日期"), self.tr("公示网站（栏目）"), self.tr("说明")]
        rows = []
        marked = set()
        for number, item in enumerate(self.model.rows()):
            cells = [self.model.cell_text(item, c) for c in range(8)]
            cells += [item.published_on or "", item.published_where or "", item.deadline_note or ""]
            rows.append(cells)
            if item.overdue:
                marked.add(number)
        return Table(self.tr("公示台账"), headers, rows, frozenset(marked))

    def _export_folder(self) -> Path:
        remembered = self._settings.get(EXPORT_FOLDER_KEY)
        if isinstance(remembered, str) and remembered and Path(remembered).is_dir():
            return Path(remembered)
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    def ask_export(self) -> QFileDialog | None:
        """Open the save dialog; choosing a file exports the list as shown."""
        if not self.model.rows():
            self.message.show_message(self.tr("列表为空，没有可导出的条目。"), "error")
            return None
        status = self.status_combo.currentText().split("（", 1)[0]
        name = self.tr("公示台账_{status}_{day}.xlsx").format(
            status=status, day=self._today.isoformat()
        )
        dialog = QFileDialog(
            self,
            self.tr("导出公示台账"),
            str(self._export_folder() / name),
            self.tr("Excel 工作簿 (*.xlsx);;CSV 文件（UTF-8） (*.csv)"),
        )
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix("xlsx")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def export_to(self, path: Path) -> None:
        """Write the list to ``path`` (``.xlsx``, else CSV) on the CPU worker."""
        table = self.export_table()
        self.message.show_message(self.tr("正在导出…"), "info")

        def done(written: Path) -> None:
            if str(written.parent) != self._settings.get(EXPORT_FOLDER_KEY):
                self._settings.set(EXPORT_FOLDER_KEY, str(written.parent))
            self.message.show_message(
                self.tr("已导出 {count} 条：{path}").format(count=len(table.rows), path=written),
                "success",
            )
            self.exported.emit(str(written))

        def failed(exc: Exception) -> None:
            if not isinstance(exc, OSError):
                raise exc
            self.message.show_message(
                self.tr(
                    "无法写入 {path}（{reason}）。"
                    "请换一个有写入权限的文件夹，或关闭已打开的同名文件后重试。"
                ).format(path=path, reason=exc.strerror or exc),
                "error",
            )

        self._tasks.run_cpu(lambda: write_table(table, path), done, failed, context=self)
