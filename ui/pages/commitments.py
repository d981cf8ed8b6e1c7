"""信用承诺: take commitment letters at the window and follow them through their lifecycle.

The left half lists commitments (search and status filter); the right half shows the one
selected: its facts, the missing materials of a 容缺受理 with what has arrived, the history
of its status changes, a breach finding, and the actions its status allows (the service's
``allowed_next``; nothing else is offered). Every store call runs on the database worker;
letters and notices print through the one printing pipeline's preview.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QEvent,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.config import ProfilePaths, Settings
from desktop_app.domain.commitments import (
    STATUS_LABELS,
    BreachSeverity,
    CommitmentKind,
    CommitmentStatus,
)
from desktop_app.reports.commitment_letter import LETTER_PREFIX, document_number
from desktop_app.services.app import AppServices
from desktop_app.services.commitments import CommitmentView
from ui.error_text import show_service_error
from ui.labels import domain_label
from ui.models.commitment_models import (
    COL_ENTITY,
    COL_MATTER,
    COL_USCC,
    RECORD_ID_ROLE,
    CommitmentFilterModel,
    CommitmentTableModel,
    day_text,
    history_model,
    is_overdue,
    materials_model,
    sync_text,
    time_text,
)
from ui.pages.commitments_actions import CommitmentActions
from ui.printing.preview import DocumentPreviewDialog
from ui.taskman import TaskManager
from ui.widgets.commitment_dialogs import DRAFT_KEY, FindingDialog, NewCommitmentDialog
from ui.widgets.drafts import look_for_draft
from ui.widgets.facts import fact_form
from ui.widgets.find_key import take_find_key
from ui.widgets.message_box import InlineMessage
from ui.widgets.table_columns import USCC_CHARS, fit_columns

SEARCH_DEBOUNCE_MS = 250
_BADGE = {
    "open": "color: #0d47a1; background: #e3f2fd;",
    "good": "color: #1b5e20; background: #e8f5e9;",
    "bad": "color: #b71c1c; background: #ffebee;",
    "closed": "color: #455a64; background: #eceff1;",
}
_BREACH_KEYS = {
    "severity": QT_TRANSLATE_NOOP("CommitmentsPage", "失信程度"),
    "evidence": QT_TRANSLATE_NOOP("CommitmentsPage", "证据与情况"),
    "recorded_at": QT_TRANSLATE_NOOP("CommitmentsPage", "认定时间"),
    "recorded_by": QT_TRANSLATE_NOOP("CommitmentsPage", "认定人"),
    "dishonesty_id": QT_TRANSLATE_NOOP("CommitmentsPage", "失信记录编号"),
}


def _badge_style(view: CommitmentView) -> str:
    status = view.status
    if status in (CommitmentStatus.BREACHED, CommitmentStatus.VERIFIED_FALSE) or is_overdue(view):
        tone = "bad"
    elif status in (CommitmentStatus.FULFILLED, CommitmentStatus.VERIFIED_TRUE):
        tone = "good"
    elif status is CommitmentStatus.WITHDRAWN:
        tone = "closed"
    else:
        tone = "open"
    return f"QLabel {{ {_BADGE[tone]} border-radius: 4px; padding: 2px 8px; }}"


class CommitmentsPage(CommitmentActions):
    """The 信用承诺 page.

    Ctrl+N opens the new-commitment form, Ctrl+P prints the selected letter, Ctrl+F goes to
    the search box (on this page only; elsewhere it is the window's 主体查询 search).

    Signals:
        created(str): A commitment with this record id was created (and is selected).
        changed(): The page wrote something that sync will push.
        preview_opened(object): A print preview dialog is open (for tests and screenshots).
        loaded(): The list shows fresh rows.
        form_opened(object): The new-commitment dialog is open.
        finding_opened(object): A breach / false / withdrawal dialog is open.
        details_shown(str): The details of this record id are on screen.
        restore_offered(object): The prompt offering back a draft a crash left is open.
    """

    created = Signal(str)
    changed = Signal()
    preview_opened = Signal(object)
    loaded = Signal()
    form_opened = Signal(object)
    finding_opened = Signal(object)
    details_shown = Signal(str)
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
        self._search_seq = 0
        self._busy = False
        self._pending_select: str | None = None
        self.current: CommitmentView | None = None
        self.new_dialog: NewCommitmentDialog | None = None
        self.finding_dialog: FindingDialog | None = None
        self.preview_dialog: DocumentPreviewDialog | None = None

        title = QLabel(self.tr("信用承诺"))
        title.setObjectName("pageTitle")
        self.new_button = QPushButton(self.tr("新建承诺（Ctrl+N）"))
        self.new_button.setObjectName("newCommitmentButton")
        self.refresh_button = QPushButton(self.tr("刷新"))
        title_row = QHBoxLayout()
        title_row.addWidget(title)
        title_row.addStretch(1)
        title_row.addWidget(self.refresh_button)
        title_row.addWidget(self.new_button)
        self.message = InlineMessage()
        self.message.setObjectName("commitmentMessage")

        # -- the list ----------------------------------------------------------------
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("按主体名称、代码、事项或承诺人筛选（Ctrl+F）"))
        self.search_edit.setClearButtonEnabled(True)
        self.status_combo = QComboBox()
        self.status_combo.addItem(self.tr("全部状态"), None)
        for status, label in STATUS_LABELS.items():
            self.status_combo.addItem(domain_label(label), status.value)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self.search_edit, 1)
        filter_row.addWidget(self.status_combo)

        self.model = CommitmentTableModel(self)
        self.proxy = CommitmentFilterModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("commitmentTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the service's order
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        fit_columns(self.table, COL_ENTITY, caps={COL_MATTER: 14, COL_USCC: USCC_CHARS})
        self.count_label = QLabel()
        self.count_label.setObjectName("commitmentCount")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filter_row)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count_label)

        # -- the details -------------------------------------------------------------
        self.details = self._build_details()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.details)
        scroll.setMinimumWidth(420)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([760, 520])

        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(self._on_search_text)
        self.search_edit.returnPressed.connect(self.refresh)
        self.status_combo.currentIndexChanged.connect(lambda _i: self._on_status_filter())
        self.table.selectionModel().selectionChanged.connect(lambda _s, _d: self._on_selection())
        self.new_button.clicked.connect(lambda: self.open_new())
        self.refresh_button.clicked.connect(self.refresh)
        self.model.modelReset.connect(self._show_count)
        self.proxy.rowsInserted.connect(lambda *_a: self._show_count())
        self.proxy.layoutChanged.connect(self._show_count)
        for keys, slot in (
            (QKeySequence.StandardKey.New, self.open_new),
            (QKeySequence.StandardKey.Print, self.print_letter),
        ):
            QShortcut(keys, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._show_details(None)
        self.refresh()
        look_for_draft(
            self,
            services.drafts,
            tasks,
            DRAFT_KEY,
            self.tr("新建信用承诺"),
            lambda draft: self.open_new().restore_state(draft.fields),
            self.restore_offered.emit,
        )

    # -- layout of the details ---------------------------------------------------------

    def _build_details(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("commitmentDetails")
        self.empty_label = QLabel(
            self.tr("在左侧选择一项承诺查看详情，或点“新建承诺”办理新的信用承诺。")
        )
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: #607d8b; padding: 24px 4px;")
        self.name_label = QLabel()
        self.name_label.setObjectName("sectionTitle")
        self.name_label.setWordWrap(True)
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.name_label.setFont(font)
        self.badge_label = QLabel()
        self.kind_badge = QLabel()
        self.kind_badge.setStyleSheet(
            "QLabel { color: #37474f; background: #eceff1; border-radius: 4px; padding: 2px 8px; }"
        )
        badges = QHBoxLayout()
        badges.addWidget(self.kind_badge)
        badges.addWidget(self.badge_label)
        badges.addStretch(1)

        facts, self.fact_labels = fact_form(
            (
                ("uscc", self.tr("统一社会信用代码：")),
                ("matter", self.tr("办理事项：")),
                ("basis", self.tr("法律依据：")),
                ("applicant", self.tr("承诺人：")),
                ("signed", self.tr("签署日期：")),
                ("deadline", self.tr("履约期限：")),
                ("publish", self.tr("公开：")),
                ("attachments", self.tr("扫描件：")),
                ("sync", self.tr("同步：")),
                ("record", self.tr("承诺书编号：")),
            )
        )

        # Actions: each shown only when the status allows it.
        self.sign_button = QPushButton(self.tr("签署"))
        self.received_button = QPushButton(self.tr("材料已补齐"))
        self.received_button.setToolTip(self.tr("登记所缺材料全部收到，承诺履约完成"))
        self.received_some_button = QPushButton(self.tr("登记所选材料已收到"))
        self.fulfil_button = QPushButton(self.tr("确认已履约"))
        self.verify_true_button = QPushButton(self.tr("核查属实"))
        self.verify_false_button = QPushButton(self.tr("核查不实…"))
        self.breach_button = QPushButton(self.tr("记录违约…"))
        self.withdraw_button = QPushButton(self.tr("撤回…"))
        self.action_buttons = (
            self.sign_button,
            self.received_button,
            self.received_some_button,
            self.fulfil_button,
            self.verify_true_button,
            self.verify_false_button,
            self.breach_button,
            self.withdraw_button,
        )
        actions = QHBoxLayout()
        for button in self.action_buttons:
            actions.addWidget(button)
        actions.addStretch(1)
        self.no_action_label = QLabel(self.tr("该承诺已办结，没有可进行的操作。"))
        self.no_action_label.setStyleSheet("color: #607d8b;")
        actions.addWidget(self.no_action_label)

        self.letter_button = QPushButton(self.tr("打印承诺书（Ctrl+P）"))
        self.notice_button = QPushButton(self.tr("打印一次性告知书"))
        self.attach_button = QPushButton(self.tr("附加扫描件…"))
        prints = QHBoxLayout()
        prints.addWidget(self.letter_button)
        prints.addWidget(self.notice_button)
        prints.addWidget(self.attach_button)
        prints.addStretch(1)

        self.materials = materials_model(self)
        self.materials_view = self._small_table(self.materials, 0)
        self.materials_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.materials_box = QGroupBox(self.tr("容缺材料"))
        materials_layout = QVBoxLayout(self.materials_box)
        materials_layout.addWidget(self.materials_view)

        self.breach_label = QLabel()
        self.breach_label.setWordWrap(True)
        self.breach_label.setTextFormat(Qt.TextFormat.PlainText)
        self.breach_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.breach_box = QGroupBox(self.tr("失信认定"))
        self.breach_box.setStyleSheet("QGroupBox { color: #b71c1c; }")
        breach_layout = QVBoxLayout(self.breach_box)
        breach_layout.addWidget(self.breach_label)

        self.history = history_model(self)
        self.history_view = self._small_table(self.history, 4)
        self.history_box = QGroupBox(self.tr("办理记录"))
        history_layout = QVBoxLayout(self.history_box)
        history_layout.addWidget(self.history_view)

        self.detail_widgets: tuple[QWidget, ...] = (
            self.name_label,
            self.kind_badge,
            self.badge_label,
            self.materials_box,
            self.breach_box,
            self.history_box,
            self.letter_button,
            self.notice_button,
            self.attach_button,
        )
        self._facts_box = QWidget()
        self._facts_box.setLayout(facts)
        self._actions_box = QWidget()
        actions_layout = QVBoxLayout(self._actions_box)
        actions_layout.setContentsMargins(0, 4, 0, 4)
        actions_layout.addLayout(actions)
        actions_layout.addLayout(prints)

        layout = QVBoxLayout(panel)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.name_label)
        layout.addLayout(badges)
        layout.addWidget(self._facts_box)
        layout.addWidget(self._actions_box)
        layout.addWidget(self.materials_box)
        layout.addWidget(self.breach_box)
        layout.addWidget(self.history_box)
        layout.addStretch(1)

        self.sign_button.clicked.connect(self.sign_selected)
        self.received_button.clicked.connect(lambda: self.mark_received(None))
        self.received_some_button.clicked.connect(self._mark_selected_materials)
        self.fulfil_button.clicked.connect(
            lambda: self._transition(CommitmentStatus.FULFILLED, self.tr("确认已履约"))
        )
        self.verify_true_button.clicked.connect(self.verify_true)
        self.verify_false_button.clicked.connect(lambda: self.ask_finding(FindingDialog.FALSE))
        self.breach_button.clicked.connect(lambda: self.ask_finding(FindingDialog.BREACH))
        self.withdraw_button.clicked.connect(lambda: self.ask_finding(FindingDialog.WITHDRAW))
        self.letter_button.clicked.connect(self.print_letter)
        self.notice_button.clicked.connect(self.print_notice)
        self.attach_button.clicked.connect(self.choose_scan)
        self.materials_view.selectionModel().selectionChanged.connect(
            lambda _s, _d: self._update_material_button()
        )
        return panel

    @staticmethod
    def _small_table(model: Any, stretch: int) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        return view

    @staticmethod
    def _fit_height(view: QTableView, most_rows: int = 8) -> None:
        """Make a short table exactly as tall as its rows (scrolling past ``most_rows``)."""
        rows = min(view.model().rowCount(), most_rows)
        row_height = view.verticalHeader().defaultSectionSize()
        height = view.horizontalHeader().sizeHint().height() + rows * row_height
        view.setFixedHeight(height + 2 * view.frameWidth() + 2)

    # -- keyboard ----------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        """Take Ctrl+F on this page for its own search box (before the window's shortcut)."""
        return take_find_key(event, self.focus_search) or super().event(event)

    def focus_search(self) -> None:
        """Put the cursor in the search box, its text selected for retyping."""
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # -- the list ----------------------------------------------------------------------

    def status_filter(self) -> CommitmentStatus | None:
        """The status chosen in the filter, or None for all."""
        value = self.status_combo.currentData()
        # Combo boxes hand enum data back as plain strings.
        return CommitmentStatus(value) if isinstance(value, str) and value else None

    def _on_search_text(self, text: str) -> None:
        self.proxy.set_text(text)  # narrow at once; the worker's answer follows
        self._debounce.start()

    def _on_status_filter(self) -> None:
        self.proxy.set_status(self.status_filter())
        self.refresh()

    def refresh(self) -> None:
        """Reload the list from the store (search text and status filter); ``loaded`` after."""
        self._debounce.stop()
        self._search_seq += 1
        seq = self._search_seq
        commitments = self._services.commitments
        query, status = self.search_edit.text().strip(), self.status_filter()
        self._tasks.run_db(
            lambda: commitments.search(query, status),
            lambda rows: self._show_rows(seq, rows),
            self._show_error,
            context=self,
        )

    def _show_rows(self, seq: int, rows: list[CommitmentView]) -> None:
        if seq != self._search_seq:
            return  # an answer to an older search
        keep = self._pending_select or (self.current.record_id if self.current else None)
        self._pending_select = None
        self.model.set_rows(rows)
        if keep is None or not self._select_row(keep):
            self._show_details(None)
        self.loaded.emit()

    def _show_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = self.tr("共 {total} 项承诺").format(total=total)
        if shown != total:
            text = self.tr("显示 {shown} 项，共 {total} 项").format(shown=shown, total=total)
        overdue = sum(1 for view in self.model.rows() if is_overdue(view))
        if overdue:
            text += self.tr("，其中逾期 {count} 项").format(count=overdue)
        self.count_label.setText(text)

    def _select_row(self, record_id: str) -> bool:
        row = self.model.row_of(record_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        view = self.model.view_at(row)
        if view is not None and (self.current is None or self.current != view):
            self._show_details(view)
        return True

    def select_record(self, record_id: str) -> None:
        """Show commitment ``record_id`` (from the 工作台 panels), clearing filters if needed."""
        if self._select_row(record_id):
            return
        commitments = self._services.commitments
        self._tasks.run_db(
            lambda: commitments.get(record_id), self._show_loaded, self._show_error, context=self
        )

    def _show_loaded(self, view: CommitmentView) -> None:
        self._clear_filters()
        self.model.upsert(view)
        self._select_row(view.record_id)

    def _clear_filters(self) -> None:
        for widget in (self.search_edit, self.status_combo):
            widget.blockSignals(True)
        self.search_edit.clear()
        self.status_combo.setCurrentIndex(0)
        for widget in (self.search_edit, self.status_combo):
            widget.blockSignals(False)
        self.proxy.set_text("")
        self.proxy.set_status(None)

    def selected_record(self) -> str | None:
        """The record id of the selected row."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = rows[0].data(RECORD_ID_ROLE)
        return str(value) if value is not None else None

    def _on_selection(self) -> None:
        record_id = self.selected_record()
        if self.current is None or record_id != self.current.record_id:
            self.message.clear_message()  # it spoke of the previous commitment
        if record_id is None:
            self._show_details(None)
            return
        self._show_details(self.model.view_at(self.model.row_of(record_id)))

    # -- details -----------------------------------------------------------------------

    def _show_details(self, view: CommitmentView | None) -> None:
        self.current = view
        self.empty_label.setVisible(view is None)
        for widget in (*self.detail_widgets, self._facts_box, self._actions_box):
            widget.setVisible(view is not None)
        if view is None:
            return
        self.name_label.setText(view.entity_name)
        self.kind_badge.setText(domain_label(view.kind_label))
        status = domain_label(view.status_label)
        if is_overdue(view) and view.status is not CommitmentStatus.OVERDUE:
            status += self.tr("（已过期限）")
        self.badge_label.setText(status)
        self.badge_label.setStyleSheet(_badge_style(view))
        applicant = f"{view.applicant_name}（{view.applicant_role}）"
        if view.applicant_phone:
            applicant += f"  {view.applicant_phone}"
        facts = {
            "uscc": view.uscc,
            "matter": f"{view.matter}（{view.domain}）",
            "basis": view.legal_basis,
            "applicant": applicant,
            "signed": day_text(view.signed_on) if view.signed_on else self.tr("未签署（草稿）"),
            "deadline": day_text(view.deadline),
            "publish": self.tr("公开") if view.publish else self.tr("不公开"),
            "attachments": self.tr("{count} 份").format(count=view.attachments),
            "sync": sync_text(view),
            "record": document_number(LETTER_PREFIX, view.record_id),
        }
        for key, text in facts.items():
            self.fact_labels[key].setText(text)
        self.materials.set_rows(view.missing_materials)
        self.materials_box.setVisible(bool(view.missing_materials))
        self.history.set_rows(view.history)
        self._fit_height(self.materials_view)
        self._fit_height(self.history_view)
        self.breach_box.setVisible(view.breach is not None)
        self.breach_label.setText(self._breach_text(view.breach or {}))
        self._show_actions(view)
        self.details_shown.emit(view.record_id)

    def _breach_text(self, breach: dict[str, Any]) -> str:
        lines = []
        ordered = [k for k in _BREACH_KEYS if k in breach]
        for key in [*ordered, *(k for k in breach if k not in _BREACH_KEYS)]:
            value = breach[key]
            if value in (None, ""):
                continue
            if key == "severity" and value in {s.value for s in BreachSeverity}:
                value = domain_label(BreachSeverity(value).label)
            elif key == "recorded_at":
                value = time_text(str(value))
            caption = self.tr(str(_BREACH_KEYS[key])) if key in _BREACH_KEYS else key
            lines.append(f"{caption}：{value}")
        return "\n".join(lines)

    def _show_actions(self, view: CommitmentView) -> None:
        allowed = set(view.allowed_next)
        tolerance = view.kind is CommitmentKind.TOLERANCE
        fulfil = CommitmentStatus.FULFILLED in allowed
        unreceived = any(not m.received for m in view.missing_materials)
        shown = {
            self.sign_button: CommitmentStatus.SIGNED in allowed,
            self.received_button: tolerance and fulfil,
            self.received_some_button: tolerance and fulfil and unreceived,
            self.fulfil_button: not tolerance and fulfil,
            self.verify_true_button: CommitmentStatus.VERIFIED_TRUE in allowed,
            self.verify_false_button: CommitmentStatus.VERIFIED_FALSE in allowed,
            self.breach_button: CommitmentStatus.BREACHED in allowed,
            self.withdraw_button: CommitmentStatus.WITHDRAWN in allowed,
        }
        for button, visible in shown.items():
            button.setVisible(visible)
            button.setEnabled(not self._busy)
        self.no_action_label.setVisible(not any(shown.values()))
        self.notice_button.setVisible(tolerance)
        self._update_material_button()

    def _update_material_button(self) -> None:
        chosen = self.materials_view.selectionModel().selectedRows()
        self.received_some_button.setEnabled(bool(chosen) and not self._busy)

    # -- errors ------------------------------------------------------------------------

    def _show_error(self, exc: Exception) -> None:
        self._busy = False
        self._set_actions_enabled(True)
        show_service_error(self.message, exc)
