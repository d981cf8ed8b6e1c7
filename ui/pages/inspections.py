"""检查任务: the field inspector's page, made to work on a laptop with no network.

The left half lists the 双随机 tasks cached on this device (filter by state and text) and the
results that reached the platform but are not published yet. The right half shows the selected
task in four tabs: 主体信息 (registration facts, lists with their measures, earlier results, the
internal risk grade for the inspector's eyes only), 检查记录 (the on-site form), 照片 and 约谈.
Every store call runs on the database worker; photos are decoded on the render worker, so
neither a large JPEG nor the encrypted store ever blocks the GUI thread. The form stays
editable while a result saves (what is typed meanwhile stays, marked unsaved; a second Ctrl+S
queues), and every edit is kept as an encrypted draft until the result is saved or discarded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QEvent,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.config import ProfilePaths, Settings
from desktop_app.domain.inspections import Outcome, needs_deadline
from desktop_app.reports.document import Document
from desktop_app.services.app import AppServices
from desktop_app.services.drafts import Draft
from desktop_app.services.errors import ServiceError
from desktop_app.services.inspections import (
    Checklist,
    InspectionView,
    PhotoImport,
    TaskView,
)
from ui.models.inspection_models import (
    COL_DRAW,
    COL_ENTITY,
    COL_USCC,
    INTERVIEW_TEXTS,
    TASK_ID_ROLE,
    TaskFilterModel,
    TaskTableModel,
    day_text,
    interview_text,
    lists_model,
    past_results_model,
    task_status_text,
    unpublished_model,
)
from ui.printing.preview import DocumentPreviewDialog, replace_preview
from ui.taskman import TaskManager
from ui.widgets.drafts import DraftKeeper, look_for_draft
from ui.widgets.facts import fact_form
from ui.widgets.find_key import take_find_key
from ui.widgets.inspection_form import InspectionForm, to_qdate
from ui.widgets.inspection_photos import PhotoPanel
from ui.widgets.inspection_widgets import AmendDialog
from ui.widgets.message_box import InlineMessage
from ui.widgets.save_progress import SaveProgress
from ui.widgets.scans import choose_scan_file, read_scan, scan_mime
from ui.widgets.table_columns import USCC_CHARS, fit_columns

SEARCH_DEBOUNCE_MS = 150
_BADGE = "QLabel {{ {tone} border-radius: 4px; padding: 2px 8px; }}"
_TONES = {
    "open": "color: #0d47a1; background: #e3f2fd;",
    "good": "color: #1b5e20; background: #e8f5e9;",
    "bad": "color: #b71c1c; background: #ffebee;",
    "muted": "color: #455a64; background: #eceff1;",
    "warn": "color: #7a4a00; background: #fff3e0;",
}
TaskBundle = tuple[TaskView, Checklist | None, list[InspectionView]]
DRAFT_KEY = "inspection.result"


def _badge(label: QLabel, text: str, tone: str) -> None:
    label.setText(text)
    label.setStyleSheet(_BADGE.format(tone=_TONES[tone]))
    label.setVisible(bool(text))


def not_published(view: InspectionView) -> bool:
    """A result on the platform, meant to be public, that is not published yet (未公开)."""
    return view.synced and view.publishable and view.published is False


def _small_table(model: Any, stretch: int) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def _fit_height(view: QTableView, most_rows: int = 6) -> None:
    """Make a short table as tall as its rows (scrolling past ``most_rows``)."""
    rows = min(view.model().rowCount(), most_rows)
    height = view.horizontalHeader().sizeHint().height()
    height += sum(view.rowHeight(r) for r in range(rows))
    view.setFixedHeight(height + 2 * view.frameWidth() + 2)


class InspectionsPage(QWidget):
    """The 检查任务 page.

    Ctrl+S saves the result in the form, Ctrl+P prints its 现场检查记录, Ctrl+F goes to the
    task filter (on this page only).

    Signals:
        tasks_loaded(): The task list (and the 未公开 list) shows fresh rows.
        task_shown(str): The task with this id is on screen, with its results.
        saved(str): A result with this record id was saved (or corrected).
        photos_added(int): This many photos were added to the result on screen.
        preview_opened(object): A print preview dialog is open.
        photo_opened(object): A photo's larger view is open.
        thumbnail_ready(str): The thumbnail of the photo with this SHA-256 is shown.
        interview_recorded(str): An interview with this record id was recorded.
        changed(): The page wrote something that sync will push.
        restore_offered(object): The prompt offering back a draft a crash left is open.
    """

    tasks_loaded = Signal()
    task_shown = Signal(str)
    saved = Signal(str)
    photos_added = Signal(int)
    preview_opened = Signal(object)
    photo_opened = Signal(object)
    thumbnail_ready = Signal(str)
    interview_recorded = Signal(str)
    changed = Signal()
    restore_offered = Signal(object)

    def __init__(
        self,
        services: AppServices,
        tasks: TaskManager,
        settings: Settings,
        paths: ProfilePaths,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self._settings = settings
        self._paths = paths
        self._busy = False
        self._saving = False  # a save runs; the form stays editable
        self._save_again = False  # Ctrl+S pressed while saving: save once more after
        self._pending_restore: dict[str, Any] | None = None
        self._show_seq = 0
        self.task: TaskView | None = None
        self.checklist: Checklist | None = None
        self.records: list[InspectionView] = []
        self.current: InspectionView | None = None  # the saved result in the form
        self.preview_dialog: DocumentPreviewDialog | None = None
        self.amend_dialog: AmendDialog | None = None

        title = QLabel(self.tr("检查任务"))
        title.setObjectName("pageTitle")
        self.refresh_button = QPushButton(self.tr("刷新"))
        title_row = QHBoxLayout()
        title_row.addWidget(title)
        title_row.addStretch(1)
        title_row.addWidget(self.refresh_button)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_list())
        splitter.addWidget(self._build_details())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([560, 840])

        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addWidget(splitter, 1)

        self.refresh_button.clicked.connect(self.refresh)
        for keys, slot in (
            (QKeySequence.StandardKey.Save, self.save),
            (QKeySequence.StandardKey.Print, self.print_onsite_record),
        ):
            QShortcut(keys, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._show_task(None)
        self.refresh()
        look_for_draft(
            self,
            services.drafts,
            tasks,
            DRAFT_KEY,
            self.tr("检查记录"),
            self._restore_draft,
            self.restore_offered.emit,
        )

    # -- layout ------------------------------------------------------------------------

    def _build_list(self) -> QWidget:
        self.banner = QLabel()
        self.banner.setObjectName("offlineBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel { color: #0d47a1; background: #e3f2fd; border: 1px solid #90caf9;"
            " border-radius: 4px; padding: 6px 8px; }"
        )
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("按主体名称、代码或抽查批次筛选（Ctrl+F）"))
        self.search_edit.setClearButtonEnabled(True)
        self.state_combo = QComboBox()
        self.state_combo.addItem(self.tr("全部任务"), TaskFilterModel.ALL)
        self.state_combo.addItem(self.tr("待检查"), TaskFilterModel.PENDING)
        self.state_combo.addItem(self.tr("已完成"), TaskFilterModel.DONE)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.search_edit, 1)
        filter_row.addWidget(self.state_combo)

        self.model = TaskTableModel(self)
        self.proxy = TaskFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("taskTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        fit_columns(self.table, COL_ENTITY, caps={COL_DRAW: 10, COL_USCC: USCC_CHARS})
        self.count_label = QLabel()

        self.unpublished = unpublished_model(self)
        self.unpublished_view = _small_table(self.unpublished, 1)
        self.unpublished_view.setObjectName("unpublishedTable")
        self.unpublished_view.setFixedHeight(120)
        self.unpublished_box = QGroupBox(self.tr("已同步、尚未公开的检查结果"))
        self.unpublished_box.setToolTip(
            self.tr("检查结果应在作出之日起 7 个工作日内公开；请提醒负责公示的科室。")
        )
        unpublished_layout = QVBoxLayout(self.unpublished_box)
        unpublished_layout.addWidget(self.unpublished_view)

        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addLayout(filter_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.unpublished_box)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(lambda: self.proxy.set_text(self.search_edit.text()))
        self.search_edit.textChanged.connect(lambda _t: self._debounce.start())
        self.state_combo.currentIndexChanged.connect(
            lambda _i: self.proxy.set_state(str(self.state_combo.currentData()))
        )
        self.table.selectionModel().selectionChanged.connect(lambda _s, _d: self._on_selection())
        self.unpublished_view.doubleClicked.connect(self._open_unpublished)
        self.proxy.layoutChanged.connect(self._show_count)
        self.proxy.modelReset.connect(self._show_count)
        self.proxy.rowsInserted.connect(lambda *_a: self._show_count())
        self.proxy.rowsRemoved.connect(lambda *_a: self._show_count())
        return left

    def _build_details(self) -> QWidget:
        self.name_label = QLabel()
        self.name_label.setObjectName("sectionTitle")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.name_label.setWordWrap(True)
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.name_label.setFont(font)
        self.status_badge = QLabel()
        self.sync_badge = QLabel()
        self.unpublished_badge = QLabel()
        self.unpublished_badge.setObjectName("unpublishedBadge")
        self.record_badge = QLabel()
        badges = QHBoxLayout()
        for badge in (self.status_badge, self.record_badge, self.sync_badge):
            badges.addWidget(badge)
        badges.addWidget(self.unpublished_badge)
        badges.addStretch(1)

        self.save_button = QPushButton(self.tr("保存（Ctrl+S）"))
        self.save_button.setObjectName("saveInspectionButton")
        self.save_button.setDefault(True)
        self.print_button = QPushButton(self.tr("打印现场检查记录（Ctrl+P）"))
        self.notice_button = QPushButton(self.tr("打印整改通知书"))
        self.scan_button = QPushButton(self.tr("附加签字扫描件…"))
        self.amend_button = QPushButton(self.tr("更正已同步记录…"))
        self.reinspect_button = QPushButton(self.tr("复查"))
        self.reinspect_button.setToolTip(self.tr("以所选检查记录为基础，新建一份复查记录"))
        self.action_buttons: tuple[QPushButton, ...] = (
            self.save_button,
            self.print_button,
            self.notice_button,
            self.scan_button,
            self.amend_button,
            self.reinspect_button,
        )
        actions = QHBoxLayout()
        for button in self.action_buttons:
            actions.addWidget(button)
        actions.addStretch(1)
        self.save_progress = SaveProgress()
        actions.addWidget(self.save_progress)
        self.message = InlineMessage()
        self.message.setObjectName("inspectionMessage")

        self.empty_label = QLabel(self.tr("在左侧选择一项检查任务。"))
        self.empty_label.setStyleSheet("color: #607d8b; padding: 24px 4px;")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_entity_tab(), self.tr("主体信息"))
        self.tabs.addTab(self._build_record_tab(), self.tr("检查记录"))
        self.tabs.addTab(self._build_photo_tab(), self.tr("照片"))
        self.tabs.addTab(self._build_interview_tab(), self.tr("约谈"))

        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.name_label)
        layout.addLayout(badges)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.detail_widgets: tuple[QWidget, ...] = (
            self.name_label,
            self.tabs,
            *self.action_buttons,
        )

        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_onsite_record)
        self.notice_button.clicked.connect(self.print_rectification_notice)
        self.scan_button.clicked.connect(self.choose_scan)
        self.amend_button.clicked.connect(lambda: self.ask_amend())
        self.reinspect_button.clicked.connect(self.start_reinspection)
        return panel

    def _build_entity_tab(self) -> QWidget:
        facts, self.fact_labels = fact_form(
            (
                ("uscc", self.tr("统一社会信用代码：")),
                ("representative", self.tr("法定代表人：")),
                ("address", self.tr("住所：")),
                ("industry", self.tr("行业：")),
                ("draw", self.tr("抽查批次：")),
                ("dates", self.tr("下达 / 截止：")),
                ("rectifications", self.tr("未完成整改：")),
            )
        )
        self.grade_label = QLabel()
        self.grade_label.setObjectName("internalGrade")
        self.grade_label.setTextFormat(Qt.TextFormat.PlainText)
        self.grade_label.setStyleSheet(
            "QLabel { color: #7a4a00; background: #fff8e1; border: 1px dashed #ffb74d;"
            " border-radius: 4px; padding: 4px 8px; }"
        )
        self.lists = lists_model(self)
        self.lists_view = _small_table(self.lists, 3)
        self.lists_view.setWordWrap(True)
        self.lists_box = QGroupBox(self.tr("所在名单及相应措施"))
        QVBoxLayout(self.lists_box).addWidget(self.lists_view)
        self.no_lists_label = QLabel(self.tr("该主体不在任何名单上。"))
        self.no_lists_label.setStyleSheet("color: #607d8b;")
        self.history = past_results_model(self)
        self.history_view = _small_table(self.history, 2)
        history_box = QGroupBox(self.tr("以往检查结果"))
        QVBoxLayout(history_box).addWidget(self.history_view)

        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.addLayout(facts)
        layout.addWidget(self.grade_label)
        layout.addWidget(self.no_lists_label)
        layout.addWidget(self.lists_box)
        layout.addWidget(history_box, 1)
        return panel

    def _build_record_tab(self) -> QWidget:
        self.record_combo = QComboBox()
        self.record_combo.setObjectName("recordCombo")
        self.record_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.record_info = QLabel()
        self.record_info.setStyleSheet("color: #607d8b;")
        self.record_info.setTextFormat(Qt.TextFormat.PlainText)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("检查记录：")))
        top.addWidget(self.record_combo)
        top.addWidget(self.record_info, 1)
        self.form = InspectionForm()
        # Unsaved edits in the form: switching to another task asks first (nothing is lost
        # by a stray click). ``confirm_discard`` is replaceable (tests answer it).
        self.unsaved = False
        self._filling = False
        self.confirm_discard: Callable[[], bool] = self._ask_discard
        self.drafts = DraftKeeper(self._services.drafts, self._tasks, DRAFT_KEY, self._draft, self)
        self.form.edited.connect(self._on_edited)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addLayout(top)
        inner_layout.addWidget(self.form, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        self.record_combo.activated.connect(self._on_record_chosen)
        QWidget.setTabOrder(self.record_combo, self.form.date_edit)
        return scroll

    def _build_photo_tab(self) -> QWidget:
        self.photos = PhotoPanel(self._services, self._tasks)
        self.photos.imported.connect(self._on_imported)
        self.photos.removed.connect(self._on_photo_removed)
        self.photos.failed.connect(self._show_error)
        self.photos.busy.connect(self._set_busy)
        self.photos.needs_saved.connect(self._say_needs_saved)
        self.photos.thumbnail_ready.connect(self.thumbnail_ready)
        self.photos.photo_opened.connect(self.photo_opened)
        return self.photos

    def _build_interview_tab(self) -> QWidget:
        self.interview_kind = QComboBox()
        for kind in INTERVIEW_TEXTS:
            self.interview_kind.addItem(interview_text(kind), kind)
        self.interview_date = QDateEdit()
        self.interview_date.setCalendarPopup(True)
        self.interview_date.setDisplayFormat("yyyy-MM-dd")
        self.interview_participants = QLineEdit()
        self.interview_participants.setPlaceholderText(
            self.tr("约谈人、被约谈人及职务，例如 张三（执法人员）、李四（法定代表人）")
        )
        self.interview_content = QPlainTextEdit()
        self.interview_content.setTabChangesFocus(True)
        self.interview_content.setPlaceholderText(self.tr("约谈内容：指出的问题、整改要求"))
        self.interview_commitments = QPlainTextEdit()
        self.interview_commitments.setTabChangesFocus(True)
        self.interview_commitments.setPlaceholderText(self.tr("被约谈方作出的承诺（可不填）"))
        self.interview_commitments.setFixedHeight(80)
        self.interview_content.setFixedHeight(160)
        self.interview_kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.interview_date.setMinimumWidth(140)
        self.interview_button = QPushButton(self.tr("记录约谈"))
        intro = QLabel(
            self.tr("逾期未整改的，可进行提示约谈或警示约谈；约谈记录同步后记入该主体的信用记录。")
        )
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #607d8b;")
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.interview_kind)
        kind_row.addSpacing(16)
        kind_row.addWidget(QLabel(self.tr("约谈日期：")))
        kind_row.addWidget(self.interview_date)
        kind_row.addStretch(1)
        form.addRow(self.tr("约谈类型："), kind_row)
        form.addRow(self.tr("参加人员："), self.interview_participants)
        form.addRow(self.tr("约谈内容："), self.interview_content)
        form.addRow(self.tr("作出的承诺："), self.interview_commitments)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.interview_button)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addStretch(1)
        self.interview_button.clicked.connect(self.record_interview)
        return panel

    # -- keyboard ----------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        """Take Ctrl+F on this page for its own task filter (before the window's shortcut)."""
        return take_find_key(event, self.focus_search) or super().event(event)

    def focus_search(self) -> None:
        """Put the cursor in the task filter, its text selected for retyping."""
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # -- the task list -----------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the tasks and the 未公开 list from the store; ``tasks_loaded`` after."""
        service = self._services.inspections

        def work() -> tuple[list[TaskView], dict[str, bool], list[InspectionView]]:
            rows = service.tasks()
            synced = {
                t.task_id: all(v.synced for v in service.for_task(t.task_id))
                for t in rows
                if t.result_id is not None
            }
            return rows, synced, service.unpublished()

        self._tasks.run_db(work, self._show_rows, self._show_error, context=self)

    def _show_rows(
        self, loaded: tuple[list[TaskView], dict[str, bool], list[InspectionView]]
    ) -> None:
        rows, synced, unpublished = loaded
        keep = self.task.task_id if self.task else None
        self.model.set_rows(rows, synced)
        self.unpublished.set_rows(unpublished)
        self.unpublished_box.setTitle(
            self.tr("已同步、尚未公开的检查结果（{count}）").format(count=len(unpublished))
        )
        self._show_banner(rows)
        if keep is not None:
            self._select_row(keep)
        self.tasks_loaded.emit()

    def _show_banner(self, rows: list[TaskView]) -> None:
        done = sum(1 for t in rows if t.status == "done")
        if not rows:
            self.banner.setText(
                self.tr("本机还没有检查任务。请在有网络时同步一次，任务和检查表会缓存到本机。")
            )
            return
        self.banner.setText(
            self.tr(
                "离线可用：本机已缓存 {total} 项检查任务（待检查 {todo} 项，已完成 {done} 项）"
                "及其检查表和主体信息。无网络时也可检查、拍照、保存，联网后自动同步。"
            ).format(total=len(rows), todo=len(rows) - done, done=done)
        )

    def _show_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = self.tr("共 {total} 项任务").format(total=total)
        if shown != total:
            text = self.tr("显示 {shown} 项，共 {total} 项").format(shown=shown, total=total)
        self.count_label.setText(text)

    def selected_task(self) -> str | None:
        """The task id of the selected row."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = rows[0].data(TASK_ID_ROLE)
        return str(value) if value is not None else None

    def _select_row(self, task_id: str) -> bool:
        row = self.model.row_of(task_id)
        index = self.proxy.mapFromSource(self.model.index(row, 0)) if row >= 0 else None
        if index is None or not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _on_selection(self) -> None:
        task_id = self.selected_task()
        if task_id is not None and (self.task is None or self.task.task_id != task_id):
            if self.unsaved and not self.confirm_discard():
                if self.task is not None:
                    self._select_row(self.task.task_id)  # stay on the task being edited
                return
            if self.unsaved:
                self.drafts.discard()  # deliberately dropped
            self.show_task(task_id)

    def _on_edited(self) -> None:
        if not self._filling:
            self.unsaved = True
            self.drafts.touch()

    def _draft(self) -> tuple[dict[str, Any], str] | None:
        if self.task is None or not self.unsaved:
            return None
        return self.form.state(), f"{self.task.entity_name}（{self.task.uscc}）"

    def _restore_draft(self, draft: Draft) -> None:
        task_id = draft.text("task_id")
        if task_id is not None:
            self._pending_restore = draft.fields
            self.show_task(task_id, draft.text("record_id"))

    def _ask_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("放弃未保存的修改？"),
            self.tr(
                "当前检查记录有未保存的修改，继续将放弃这些修改。\n"
                "要先保存，请点“取消”，再按 Ctrl+S。"
            ),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def _open_unpublished(self) -> None:
        rows = self.unpublished_view.selectionModel().selectedRows()
        view = self.unpublished.row_at(rows[0].row()) if rows else None
        if view is not None:
            self.show_task(view.task_id, view.record_id)

    # -- one task ----------------------------------------------------------------------

    def show_task(self, task_id: str, record_id: str | None = None) -> None:
        """Load task ``task_id`` with its checklist and results; ``task_shown`` after.

        Args:
            task_id: The task.
            record_id: The result to put in the form (default: the latest one).
        """
        self._show_seq += 1
        seq = self._show_seq
        self.message.clear_message()
        service = self._services.inspections

        def work() -> TaskBundle:
            task = service.task(task_id)
            checklist = service.checklist(task.checklist_id) if task.checklist_id else None
            return task, checklist, service.for_task(task_id)

        def done(bundle: TaskBundle) -> None:
            if seq == self._show_seq:
                self._show_bundle(bundle, record_id)

        self._tasks.run_db(work, done, self._show_error, context=self)

    def _show_bundle(self, bundle: TaskBundle, record_id: str | None = None) -> None:
        task, checklist, records = bundle
        self.checklist = checklist
        self.records = records
        self._show_task(task)
        chosen = next((v for v in records if v.record_id == record_id), None)
        self._show_record(chosen or (records[-1] if records else None))
        restore = self._pending_restore
        if restore is not None and restore.get("task_id") == task.task_id:
            self._pending_restore = None
            if restore.get("record_id") is None and self.current is not None:
                self._show_record(None)  # the draft was a result not saved yet
            self._filling = True
            try:
                self.form.restore_state(restore)
            finally:
                self._filling = False
            self.unsaved = True
            self.tabs.setCurrentIndex(1)
            self._show_record_state()
        if self.selected_task() != task.task_id:
            self._select_row(task.task_id)
        self.task_shown.emit(task.task_id)

    def _show_task(self, task: TaskView | None) -> None:
        self.task = task
        self.empty_label.setVisible(task is None)
        for widget in (*self.detail_widgets, self.status_badge):
            widget.setVisible(task is not None)
        if task is None:
            for badge in (self.sync_badge, self.unpublished_badge, self.record_badge):
                badge.hide()
            return
        self.name_label.setText(task.entity_name)
        tone = {"done": "good", "in_progress": "warn"}.get(task.status, "open")
        _badge(self.status_badge, task_status_text(task.status), tone)
        dates = f"{day_text(task.assigned_on)} / {day_text(task.due_on)}"
        facts = {
            "uscc": task.uscc,
            "representative": task.legal_representative or "—",
            "address": task.address or "—",
            "industry": task.industry or "—",
            "draw": task.draw_title,
            "dates": dates,
            "rectifications": (
                self.tr("{count} 项").format(count=task.open_rectifications)
                if task.open_rectifications
                else self.tr("无")
            ),
        }
        for key, text in facts.items():
            self.fact_labels[key].setText(text)
        self.fact_labels["rectifications"].setStyleSheet(
            "color: #b71c1c; font-weight: bold;" if task.open_rectifications else ""
        )
        self.grade_label.setText(
            self.tr("内部风险分类（仅供执法人员参阅）：{grade}").format(
                grade=task.credit_grade or self.tr("未评定")
            )
        )
        self.lists.set_rows(task.lists)
        self.lists_view.resizeRowsToContents()
        _fit_height(self.lists_view)
        self.lists_box.setVisible(bool(task.lists))
        self.no_lists_label.setVisible(not task.lists)
        self.history.set_rows(task.history)
        self.interview_date.setDate(to_qdate(date.today()))

    # -- the result in the form --------------------------------------------------------

    def _record_caption(self, view: InspectionView) -> str:
        kind = self.tr("复查") if view.reinspection_of else self.tr("检查")
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
                self.form.start_new(task, self.checklist, date.today(), reinspection_of=base)
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
                self.tr("新的复查记录（未保存）")
                if reinspect
                else self.tr("新的检查记录（未保存）")
            )
            self.record_combo.addItem(caption, None)
        self.record_combo.setCurrentIndex(
            self.record_combo.findData(view.record_id) if view else self.record_combo.count() - 1
        )
        self.record_combo.setEnabled(self.record_combo.count() > 1)

    def _show_record_state(self) -> None:
        view = self.current
        if view is None:
            _badge(self.record_badge, self.tr("未保存"), "muted")
            self.sync_badge.hide()
            self.unpublished_badge.hide()
            self.record_info.setText(
                self.tr("复查记录，保存后可添加照片。")
                if self.form.reinspection_of
                else self.tr("保存后可添加照片、打印现场检查记录。")
            )
        else:
            _badge(
                self.record_badge,
                view.outcome_label,
                "bad" if view.outcome is not Outcome.NO_PROBLEM else "good",
            )
            _badge(
                self.sync_badge,
                self.tr("已同步") if view.synced else self.tr("待同步"),
                "good" if view.synced else "open",
            )
            _badge(self.unpublished_badge, self.tr("未公开") if not_published(view) else "", "bad")
            self.unpublished_badge.setToolTip(self.tr("该结果已同步到平台，应予公开但尚未公开。"))
            parts = [self.tr("照片 {count} 张").format(count=len(view.photos))]
            parts.append(self.tr("签字扫描件 {count} 份").format(count=view.signed_scans))
            if view.deadline:
                parts.append(self.tr("整改期限至 {day}").format(day=view.deadline.isoformat()))
            if view.amendments:
                parts.append(self.tr("已更正 {count} 次").format(count=len(view.amendments)))
            if not view.publishable:
                parts.append(self.tr("不公开"))
            self.record_info.setText("  ·  ".join(parts))
        self._update_actions()

    def _editable(self) -> bool:
        return self.current is not None and not self.current.synced and not self._busy

    def _update_actions(self) -> None:
        view, idle = self.current, not self._busy
        has_task = self.task is not None
        self.save_button.setEnabled(idle and has_task and (view is None or not view.synced))
        self.save_button.setToolTip(
            self.tr("已同步的记录请用“更正已同步记录…”修改。") if view and view.synced else ""
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
            self.tr("复查 {day} 的检查结果：原不合格的检查项已清空，请逐项复查后保存。").format(
                day=source.inspected_on.isoformat()
            ),
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
                self.tr("该记录已同步到平台，不能直接修改。如需更正，请用“更正已同步记录…”。"),
                "warning",
            )
            return
        data = self.form.collect()
        service = self._services.inspections
        self._saving = True
        self.save_progress.start(self.tr("正在保存…"))
        self._write(
            lambda: service.record(data),
            lambda view: self.tr("检查记录已保存（{outcome}），将在联网后同步。").format(
                outcome=view.outcome_label
            ),
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
            self.tr("检查记录已保存。保存开始后输入的内容尚未保存，请再按 Ctrl+S 保存。"),
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
            lambda _v: self.tr("已更正检查记录，原内容和更正原因已留存，将在联网后同步。"),
        )

    # -- photos ------------------------------------------------------------------------

    def _show_photos(self) -> None:
        self.photos.show_view(self.current, self._editable())

    def _say_needs_saved(self) -> None:
        if self.current is not None and self.current.synced:
            text = self.tr("该记录已同步，不能再添加或移除照片。")
        else:
            text = self.tr("请先保存检查记录，再添加照片。")
        self.message.show_message(text, "warning")

    def import_photos(self, paths: list[Path]) -> None:
        """Add the photo files ``paths`` to the result in the form; ``photos_added`` after."""
        self.photos.import_photos(paths)

    def import_folder(self, folder: Path) -> None:
        """Add every image of ``folder`` to the result in the form; ``photos_added`` after."""
        self.photos.import_folder(folder)

    def _on_imported(self, imported: PhotoImport | None, view: InspectionView | None) -> None:
        if imported is None or view is None:
            self.message.show_message(self.tr("所选文件夹中没有照片。"), "warning")
            self.photos_added.emit(0)
            return
        self._replace_current(view)
        added = len(imported.added)
        text = self.tr("已添加 {count} 张照片（已加密保存）。").format(count=added)
        if imported.errors:
            text += "\n" + self.tr("以下文件未能添加：") + "\n" + "\n".join(imported.errors)
        self.message.show_message(text, "warning" if imported.errors else "success")
        self.photos_added.emit(added)
        if added:
            self.changed.emit()

    def _on_photo_removed(self, view: InspectionView) -> None:
        self._replace_current(view)
        self.message.show_message(self.tr("已移除照片。"), "success")
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
        path = choose_scan_file(self, self.tr("附加签字扫描件"))
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
                self.tr("已附加签字扫描件“{name}”（已加密保存）。").format(name=path.name),
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

        def done(record_id: str) -> None:
            self._set_busy(False)
            for edit in (self.interview_content, self.interview_commitments):
                edit.clear()
            self.interview_participants.clear()
            self.message.show_message(
                self.tr("已记录{kind}，将在联网后同步。").format(kind=interview_text(kind)),
                "success",
            )
            self.interview_recorded.emit(record_id)
            self.changed.emit()

        self._set_busy(True)
        self._tasks.run_db(
            lambda: service.record_interview(
                task_id, kind, held_on, participants, content, commitments
            ),
            done,
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

    def open_preview(self, document: Document) -> DocumentPreviewDialog:
        """Open Qt's print preview of ``document`` (printing is one click from there)."""
        dialog = replace_preview(
            self,
            document,
            self.preview_dialog,
            lambda t: self.message.show_message(t, "error"),
            tasks=self._tasks,
            settings=self._settings,
        )
        self.preview_dialog = dialog
        self.preview_opened.emit(dialog)
        return dialog

    # -- errors ------------------------------------------------------------------------

    def _show_error(self, exc: Exception) -> None:
        self._set_busy(False)
        self._end_save()
        self._save_again = False
        if isinstance(exc, ServiceError):
            self.message.show_message(str(exc), "error")
            return
        raise exc
