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
from typing import Any

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
from desktop_app.domain.clock import china_today
from desktop_app.services.app import AppServices
from desktop_app.services.drafts import Draft
from desktop_app.services.inspections import (
    Checklist,
    InspectionView,
    TaskView,
)
from ui.error_text import show_service_error
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
from ui.pages.inspections_evidence import EvidenceActions
from ui.pages.inspections_result import ResultActions, TaskBundle, _badge
from ui.printing.preview import DocumentPreviewDialog
from ui.taskman import TaskManager
from ui.widgets.drafts import DraftKeeper, look_for_draft
from ui.widgets.facts import fact_form
from ui.widgets.find_key import take_find_key
from ui.widgets.inspection_form import InspectionForm, to_qdate
from ui.widgets.inspection_photos import PhotoPanel
from ui.widgets.inspection_widgets import AmendDialog
from ui.widgets.message_box import InlineMessage
from ui.widgets.save_progress import SaveProgress
from ui.widgets.table_columns import USCC_CHARS, fit_columns

INTERVIEW_TAB = 3
"""The 约谈 tab's index on the task's detail."""

SEARCH_DEBOUNCE_MS = 150
DRAFT_KEY = "inspection.result"


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


class InspectionsPage(ResultActions, EvidenceActions):
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
        self.tabs.addTab(self._build_interview_tab(), self.tr("约谈"))  # INTERVIEW_TAB

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
        self.interview_location = QLineEdit()
        self.interview_location.setPlaceholderText(self.tr("约谈地点（可不填，打印后手写）"))
        self.interview_print_button = QPushButton(self.tr("打印约谈记录"))
        self.interview_print_button.setObjectName("interviewPrint")
        self.interview_print_button.setEnabled(False)
        self.interview_warning_label = QLabel()
        self.interview_warning_label.setObjectName("interviewWarning")
        self.interview_warning_label.setWordWrap(True)
        self.interview_warning_label.setStyleSheet("color: #b71c1c;")
        self.interview_warning_label.setVisible(False)
        self.interview_warning_id = ""
        self.last_interview_id = ""
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
        form.addRow(self.tr("约谈地点："), self.interview_location)
        form.addRow(self.tr("约谈内容："), self.interview_content)
        form.addRow(self.tr("作出的承诺："), self.interview_commitments)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.interview_print_button)
        row.addWidget(self.interview_button)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.addWidget(intro)
        layout.addWidget(self.interview_warning_label)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addStretch(1)
        self.interview_button.clicked.connect(self.record_interview)
        self.interview_print_button.clicked.connect(self.print_interview_record)
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

    def start_interview(self, task_id: str, warning_id: str, text: str) -> None:
        """Open task ``task_id`` on its 约谈 tab, the interview following up ``warning_id``.

        From the 逾期未整改 follow-up list: ``text`` says which warning (shown above the form).
        """

        def open_tab(shown: str) -> None:
            if shown != task_id:
                return
            self.task_shown.disconnect(open_tab)
            self.tabs.setCurrentIndex(INTERVIEW_TAB)
            self.set_interview_warning(warning_id, text)
            self.interview_content.setFocus()

        self.task_shown.connect(open_tab)
        self.show_task(task_id)

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
        if task is None or self.task is None or task.task_id != self.task.task_id:
            self.last_interview_id = ""  # the 约谈记录 button prints this task's interview
            self.interview_print_button.setEnabled(False)
            self.set_interview_warning("", "")
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
        self.interview_date.setDate(to_qdate(china_today()))

    # -- errors ------------------------------------------------------------------------

    def _show_error(self, exc: Exception) -> None:
        self._set_busy(False)
        self._end_save()
        self._save_again = False
        show_service_error(self.message, exc)
