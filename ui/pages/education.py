"""诚信教育: run free integrity-education sessions at the window and check attendees in.

The page lists sessions (filtered by month), edits the selected one, checks people in with a
typed or scanned 统一社会信用代码 (Enter checks in; the cursor goes back to the code field for
the next person), prints the 签到表 and a 参训证明, and shows the year's figures. Every store
call runs on the task manager's database worker. Both forms stay editable while they save
(what is typed meanwhile stays; a second save or check-in queues) and keep an encrypted draft
of every edit until saved (:mod:`ui.pages.education_drafts`).

Attending is free and voluntary: nothing else in the app looks at it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import QDate, QItemSelection, Qt, QTime, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.config import ProfilePaths, Settings
from desktop_app.domain.clock import china_today
from desktop_app.services.app import AppServices
from desktop_app.services.education import (
    DEFAULT_ROLE,
    ROLES,
    Attendee,
    EducationSession,
    EducationStats,
    SessionDraft,
)
from ui.error_text import show_service_error
from ui.models.education_models import AttendeesModel, MonthlyStatsModel, SessionsModel
from ui.pages.education_checkin import REPORT_UNIT_KEY, UNIT_KEY, CheckInActions
from ui.pages.education_drafts import EducationDrafts
from ui.printing.preview import DocumentPreviewDialog
from ui.taskman import TaskManager
from ui.widgets.message_box import InlineMessage
from ui.widgets.save_progress import SaveProgress


def _table(model: SessionsModel | AttendeesModel | MonthlyStatsModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setHighlightSections(False)
    return view


class EducationPage(CheckInActions):
    """The 诚信教育 page.

    Signals:
        sessions_loaded(): The session list shows fresh rows.
        attendees_loaded(): The attendee list of the selected session is fresh.
        stats_loaded(): The year's figures are fresh.
        session_saved(str): A session was created or changed (its id).
        session_deleted(str): A session was deleted (its id).
        checked_in(str): A person was checked in (the attendance id).
        attendee_removed(str): A check-in was undone (the attendance id).
        preview_opened(object): A print preview dialog is open.
        changed(): The page wrote something that sync will push.
        restore_offered(object): A prompt offering back a draft a crash left is open.
    """

    sessions_loaded = Signal()
    attendees_loaded = Signal()
    stats_loaded = Signal()
    session_saved = Signal(str)
    session_deleted = Signal(str)
    checked_in = Signal(str)
    attendee_removed = Signal(str)
    preview_opened = Signal(object)
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
        self._education = services.education
        self._tasks = tasks
        self._settings = settings
        self._paths = paths
        self._editing: str | None = None  # the session in the form; None: a new one
        # What the form held when loaded or saved: edits since then are not dropped silently.
        self._loaded_draft: SessionDraft | None = None
        self.confirm_discard: Callable[[], bool] = self._ask_discard
        self._select_after_load: str | None = None
        self._identified = ""
        self._attendees_of: str | None = None  # the session whose attendees are shown
        self._focus_code_after_load = False
        self._saving = self._save_again = False  # a session save runs / another is queued
        self._checking_in = self._check_in_again = False
        self._typed_while_checking_in: set[QWidget] = set()
        self.preview_dialog: DocumentPreviewDialog | None = None
        self.confirm_box: QMessageBox | None = None

        title = QLabel(self.tr("诚信教育"))
        title.setObjectName("pageTitle")
        subtitle = QLabel(
            self.tr("面向市场主体的免费公益培训。是否参训不作为办理任何审批事项的前置条件。")
        )
        subtitle.setObjectName("pageSubtitle")
        subtitle.setWordWrap(True)
        self.message = InlineMessage()
        self.message.setObjectName("educationMessage")

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addWidget(self.message)
        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(self._build_sessions())
        upper.addWidget(self._build_form())
        upper.setStretchFactor(0, 3)
        upper.setStretchFactor(1, 2)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self._build_attendees())
        lower.addWidget(self._build_stats())
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 1)
        main = QSplitter(Qt.Orientation.Vertical)
        main.addWidget(upper)
        main.addWidget(lower)
        main.setStretchFactor(0, 2)
        main.setStretchFactor(1, 3)
        layout.addWidget(main, 1)

        self._set_tab_order()
        for keys, slot in (
            (QKeySequence.StandardKey.New, self.new_session),
            (QKeySequence.StandardKey.Print, self.print_sheet),
            (QKeySequence.StandardKey.Save, self.save_session),
        ):
            QShortcut(keys, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.drafts = EducationDrafts(self, services.drafts, tasks)
        self.new_session()
        self.refresh()
        self.drafts.offer()

    # -- building the page -------------------------------------------------------------

    def _build_sessions(self) -> QGroupBox:
        self.month_combo = QComboBox()
        self.month_combo.setObjectName("monthCombo")
        self.month_combo.addItem(self.tr("全部月份"), "")
        self.month_combo.setMinimumContentsLength(10)
        self.new_button = QPushButton(self.tr("新建场次（Ctrl+N）"))
        self.delete_button = QPushButton(self.tr("删除场次"))
        self.delete_button.setToolTip(self.tr("只能删除尚无人签到的场次"))
        self.delete_button.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("月份：")))
        row.addWidget(self.month_combo)
        row.addStretch(1)
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)

        self.sessions_model = SessionsModel(self)
        self.sessions_view = _table(self.sessions_model)
        self.sessions_view.setObjectName("sessionsTable")
        header = self.sessions_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.sessions_view.setWordWrap(False)

        box = QGroupBox(self.tr("培训场次"))
        box_layout = QVBoxLayout(box)
        box_layout.addLayout(row)
        box_layout.addWidget(self.sessions_view, 1)

        self.month_combo.currentIndexChanged.connect(lambda _i: self.refresh_sessions())
        self.new_button.clicked.connect(self.new_session)
        self.delete_button.clicked.connect(self.delete_session)
        self.sessions_view.selectionModel().selectionChanged.connect(self._on_session_selected)
        return box

    def _build_form(self) -> QGroupBox:
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(self.tr("例如 市场主体诚信经营第一课"))
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.start_edit = QTimeEdit()
        self.start_edit.setDisplayFormat("HH:mm")
        self.end_edit = QTimeEdit()
        self.end_edit.setDisplayFormat("HH:mm")
        times = QHBoxLayout()
        times.addWidget(self.start_edit)
        times.addWidget(QLabel(self.tr("至")))
        times.addWidget(self.end_edit)
        times.addStretch(1)
        self.place_edit = QLineEdit()
        self.place_edit.setPlaceholderText(self.tr("例如 潞州区政务服务中心三楼培训室"))
        self.facilitator_edit = QLineEdit()
        self.facilitator_edit.setPlaceholderText(self.tr("主讲人姓名"))
        self.materials_edit = QPlainTextEdit()
        self.materials_edit.setPlaceholderText(self.tr("每行一项，例如 信用承诺告知书样本"))
        self.materials_edit.setTabChangesFocus(True)
        self.materials_edit.setFixedHeight(60)
        self.capacity_spin = QSpinBox()
        self.capacity_spin.setRange(0, 9999)
        self.capacity_spin.setSpecialValueText(self.tr("不限"))
        self.capacity_spin.setSuffix(self.tr(" 人"))
        self.save_button = QPushButton(self.tr("保存场次（Ctrl+S）"))

        form = QFormLayout()
        form.addRow(self.tr("培训主题："), self.title_edit)
        form.addRow(self.tr("培训日期："), self.date_edit)
        form.addRow(self.tr("培训时间："), times)
        form.addRow(self.tr("培训地点："), self.place_edit)
        form.addRow(self.tr("主讲人："), self.facilitator_edit)
        form.addRow(self.tr("培训材料："), self.materials_edit)
        form.addRow(self.tr("容纳人数："), self.capacity_spin)
        self.save_progress = SaveProgress()
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_progress)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)

        self.form_box = QGroupBox()
        box_layout = QVBoxLayout(self.form_box)
        box_layout.addLayout(form)
        box_layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save_session)
        self.title_edit.returnPressed.connect(self.save_session)
        return self.form_box

    def _build_attendees(self) -> QGroupBox:
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("checkInCode")
        self.code_edit.setPlaceholderText(self.tr("输入统一社会信用代码，或扫描营业执照二维码"))
        self.code_edit.setClearButtonEnabled(True)
        self.entity_edit = QLineEdit()
        self.entity_edit.setPlaceholderText(self.tr("主体名称（本地主体库中没有时填写）"))
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(self.tr("参训人姓名"))
        self.role_combo = QComboBox()
        self.role_combo.addItems(list(ROLES))
        self.role_combo.setCurrentText(DEFAULT_ROLE)
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText(self.tr("联系电话（选填）"))
        self.id_edit = QLineEdit()
        self.id_edit.setPlaceholderText(self.tr("身份证号码（选填，脱敏保存）"))
        self.check_in_button = QPushButton(self.tr("签到（Enter）"))
        self.check_in_button.setObjectName("checkInButton")

        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("主体代码：")), 0, 0)
        grid.addWidget(self.code_edit, 0, 1, 1, 3)
        grid.addWidget(QLabel(self.tr("主体名称：")), 0, 4)
        grid.addWidget(self.entity_edit, 0, 5, 1, 4)
        grid.addWidget(QLabel(self.tr("参训人：")), 1, 0)
        grid.addWidget(self.name_edit, 1, 1)
        grid.addWidget(QLabel(self.tr("身份：")), 1, 2)
        grid.addWidget(self.role_combo, 1, 3)
        grid.addWidget(QLabel(self.tr("电话：")), 1, 4)
        grid.addWidget(self.phone_edit, 1, 5)
        grid.addWidget(QLabel(self.tr("身份证：")), 1, 6)
        grid.addWidget(self.id_edit, 1, 7)
        grid.addWidget(self.check_in_button, 1, 8)
        for column in (1, 5, 7):
            grid.setColumnStretch(column, 2)

        self.attendees_model = AttendeesModel(self)
        self.attendees_view = _table(self.attendees_model)
        self.attendees_view.setObjectName("attendeesTable")
        header = self.attendees_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self.unit_edit = QLineEdit(
            str(
                self._settings.extra.get(UNIT_KEY)
                or self._settings.extra.get(REPORT_UNIT_KEY)
                or ""
            )
        )
        self.unit_edit.setPlaceholderText(self.tr("出具单位，例如 长治市潞州区政务服务中心"))
        self.print_button = QPushButton(self.tr("打印签到表（Ctrl+P）"))
        self.certificate_button = QPushButton(self.tr("打印参训证明"))
        self.remove_button = QPushButton(self.tr("移除签到"))
        self.remove_button.setToolTip(self.tr("撤销误登记的签到记录"))
        actions = QHBoxLayout()
        actions.addWidget(QLabel(self.tr("出具单位：")))
        actions.addWidget(self.unit_edit, 1)
        actions.addWidget(self.print_button)
        actions.addWidget(self.certificate_button)
        actions.addWidget(self.remove_button)

        self.attendees_box = QGroupBox(self.tr("签到"))
        box_layout = QVBoxLayout(self.attendees_box)
        box_layout.addLayout(grid)
        self.check_in_progress = SaveProgress()
        box_layout.addWidget(self.check_in_progress)
        box_layout.addWidget(self.attendees_view, 1)
        box_layout.addLayout(actions)

        self.code_edit.returnPressed.connect(self._on_code_entered)
        self.code_edit.editingFinished.connect(self._identify_code)
        for edit in (self.entity_edit, self.name_edit, self.phone_edit, self.id_edit):
            edit.returnPressed.connect(self.check_in)
        for edit in (self.code_edit, self.entity_edit, self.name_edit, self.phone_edit,
                     self.id_edit):  # fmt: skip
            edit.textEdited.connect(lambda _t, e=edit: self._row_typed(e))
        self.role_combo.activated.connect(lambda _i: self._row_typed(self.role_combo))
        self.check_in_button.clicked.connect(self.check_in)
        self.print_button.clicked.connect(self.print_sheet)
        self.certificate_button.clicked.connect(self.print_certificate)
        self.remove_button.clicked.connect(self.remove_selected)
        self.attendees_view.selectionModel().selectionChanged.connect(
            lambda _s, _d: self._update_buttons()
        )
        self.attendees_view.doubleClicked.connect(lambda _i: self.print_certificate())
        return self.attendees_box

    def _build_stats(self) -> QGroupBox:
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(china_today().year)
        self.year_spin.setSuffix(self.tr(" 年"))
        self.stats_model = MonthlyStatsModel(self)
        self.stats_view = _table(self.stats_model)
        self.stats_view.setObjectName("statsTable")
        self.stats_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.stats_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.places_label = QLabel()
        self.places_label.setObjectName("placesLabel")
        self.places_label.setWordWrap(True)
        self.places_label.setTextFormat(Qt.TextFormat.PlainText)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("年度：")))
        row.addWidget(self.year_spin)
        row.addStretch(1)
        box = QGroupBox(self.tr("统计"))
        box.setMinimumWidth(300)
        box_layout = QVBoxLayout(box)
        box_layout.addLayout(row)
        box_layout.addWidget(self.stats_view, 1)
        box_layout.addWidget(self.places_label)
        self.year_spin.valueChanged.connect(lambda _v: self.refresh_stats())
        return box

    def _set_tab_order(self) -> None:
        chain = (
            self.month_combo, self.sessions_view, self.title_edit, self.date_edit,
            self.start_edit, self.end_edit, self.place_edit, self.facilitator_edit,
            self.materials_edit, self.capacity_spin, self.save_button, self.code_edit,
            self.entity_edit, self.name_edit, self.role_combo, self.phone_edit, self.id_edit,
            self.check_in_button, self.attendees_view, self.unit_edit, self.print_button,
            self.certificate_button,
        )  # fmt: skip
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- loading -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the month filter, the session list and the figures."""
        education = self._education
        self._tasks.run_db(education.months, self._show_months, self._show_error, context=self)
        self.refresh_sessions()
        self.refresh_stats()

    def _show_months(self, months: list[str]) -> None:
        current = self.month_combo.currentData()
        self.month_combo.blockSignals(True)
        self.month_combo.clear()
        self.month_combo.addItem(self.tr("全部月份"), "")
        for month in months:
            self.month_combo.addItem(month, month)
        found = self.month_combo.findData(current)
        self.month_combo.setCurrentIndex(max(found, 0))
        self.month_combo.blockSignals(False)

    def refresh_sessions(self) -> None:
        """Reload the session list (keeping the selection)."""
        education, month = self._education, str(self.month_combo.currentData() or "")
        self._tasks.run_db(
            lambda: education.sessions(month), self._show_sessions, self._show_error, context=self
        )

    def _show_sessions(self, sessions: list[EducationSession]) -> None:
        keep = self._select_after_load or self.selected_session_id()
        self._select_after_load = None
        self.sessions_model.set_rows(sessions)
        row = self.sessions_model.row_of(keep) if keep else -1
        if row >= 0:
            self.sessions_view.selectRow(row)
        else:
            self._attendees_of = None
            self.attendees_model.set_rows([])
            if self._editing is not None:
                self.new_session()  # the session shown is gone (deleted, or another month)
        self._update_buttons()
        if self._focus_code_after_load and row >= 0:
            self.code_edit.setFocus()
        self._focus_code_after_load = False
        self.sessions_loaded.emit()

    def refresh_attendees(self) -> None:
        """Reload the attendees of the selected session."""
        session_id = self.selected_session_id()
        self._attendees_of = session_id
        if session_id is None:
            self.attendees_model.set_rows([])
            self._update_buttons()
            self.attendees_loaded.emit()
            return
        education = self._education
        self._tasks.run_db(
            lambda: education.attendees(session_id),
            lambda rows: self._show_attendees(session_id, rows),
            self._show_error,
            context=self,
        )

    def _show_attendees(self, session_id: str, rows: list[Attendee]) -> None:
        if session_id != self.selected_session_id():
            return  # the selection moved on meanwhile
        self.attendees_model.set_rows(rows)
        if rows:
            self.attendees_view.scrollToBottom()
        self._update_buttons()
        self.attendees_loaded.emit()

    def refresh_stats(self) -> None:
        """Reload the figures of the chosen year."""
        education, year = self._education, self.year_spin.value()
        self._tasks.run_db(
            lambda: education.stats(year), self._show_stats, self._show_error, context=self
        )

    def _show_stats(self, stats: EducationStats) -> None:
        self.stats_model.set_stats(stats)
        if stats.places:
            lines = [
                self.tr("{place}：{sessions} 场，{attendees} 人次，{entities} 户").format(
                    place=p.place, sessions=p.sessions, attendees=p.attendees, entities=p.entities
                )
                for p in stats.places
            ]
            self.places_label.setText(self.tr("按地点：") + "\n" + "\n".join(lines))
        else:
            self.places_label.setText(self.tr("{year}年尚无培训场次。").format(year=stats.year))
        self.stats_loaded.emit()

    # -- sessions ----------------------------------------------------------------------

    def selected_session_id(self) -> str | None:
        """The id of the session selected in the list."""
        rows = self.sessions_view.selectionModel().selectedRows()
        session = self.sessions_model.row_at(rows[0].row()) if rows else None
        return session.id if session else None

    def selected_session(self) -> EducationSession | None:
        """The session selected in the list."""
        rows = self.sessions_view.selectionModel().selectedRows()
        return self.sessions_model.row_at(rows[0].row()) if rows else None

    def has_unsaved(self) -> bool:
        """Whether the session form differs from what was loaded or last saved."""
        return self._loaded_draft is not None and self.draft() != self._loaded_draft

    def _ask_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("放弃未保存的修改？"),
            self.tr(
                "培训场次信息有未保存的修改，继续将放弃这些修改。\n"
                "要先保存，请点“取消”，再按 Ctrl+S。"
            ),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def _on_session_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        session = self.selected_session()
        if session is None:
            return  # cleared for a reload or a new session; the next selection decides
        if session.id != self._editing and self.has_unsaved() and not self.confirm_discard():
            row = self.sessions_model.row_of(self._editing) if self._editing else -1
            if row >= 0:
                self.sessions_view.selectRow(row)  # stay on the session being edited
            else:
                self.sessions_view.clearSelection()  # stay on the new session being typed
            return
        if session.id != self._editing:
            if self.has_unsaved():
                self.drafts.session.discard()  # the clerk chose to drop the edits
            self._load_form(session)
        self._update_buttons()
        if session.id != self._attendees_of:
            self.refresh_attendees()

    def _load_form(self, session: EducationSession) -> None:
        self._editing = session.id
        self.form_box.setTitle(self.tr("场次信息"))
        self.title_edit.setText(session.title)
        held = session.held_on
        self.date_edit.setDate(QDate(held.year, held.month, held.day))
        for edit, text in (
            (self.start_edit, session.start_time),
            (self.end_edit, session.end_time),
        ):
            edit.setTime(QTime.fromString(text, "HH:mm") if text else QTime(0, 0))
        self.place_edit.setText(session.place)
        self.facilitator_edit.setText(session.facilitator)
        self.materials_edit.setPlainText("\n".join(session.materials))
        self.capacity_spin.setValue(session.capacity or 0)
        self._loaded_draft = self.draft()
        self.attendees_box.setTitle(
            self.tr("签到 — {title}（{day}）").format(
                title=session.title, day=session.held_on.isoformat()
            )
        )

    def new_session(self) -> None:
        """Clear the form for a new session (Ctrl+N) and put the cursor in its title.

        Unsaved changes in the form are not dropped without asking.
        """
        if self.has_unsaved():
            if not self.confirm_discard():
                return
            self.drafts.session.discard()
        self._editing = None
        self._attendees_of = None
        self.sessions_view.clearSelection()
        self.attendees_model.set_rows([])
        self.form_box.setTitle(self.tr("新建场次"))
        self.title_edit.clear()
        self.date_edit.setDate(QDate.currentDate())
        self.start_edit.setTime(QTime(9, 0))
        self.end_edit.setTime(QTime(11, 0))
        self.facilitator_edit.clear()
        self.materials_edit.clear()
        self.capacity_spin.setValue(0)
        # The place is usually the same room as last time: keep it.
        self._loaded_draft = self.draft()
        self.attendees_box.setTitle(self.tr("签到 — 请先在上方选择培训场次"))
        self.title_edit.setFocus()
        self._update_buttons()

    def draft(self) -> SessionDraft:
        """The session as typed in the form."""
        materials = [m.strip() for m in self.materials_edit.toPlainText().splitlines()]
        return SessionDraft(
            title=self.title_edit.text(),
            held_on=self.date_edit.date().toString("yyyy-MM-dd"),
            start_time=self.start_edit.time().toString("HH:mm"),
            end_time=self.end_edit.time().toString("HH:mm"),
            place=self.place_edit.text(),
            facilitator=self.facilitator_edit.text(),
            materials=[m for m in materials if m],
            capacity=self.capacity_spin.value() or None,
        )

    @property
    def editing_session_id(self) -> str | None:
        """The session in the form; None for a new one."""
        return self._editing

    def keeps_full_id(self) -> bool:
        """Whether this profile keeps full ID numbers at check-in (else they are masked)."""
        return bool(getattr(self._education, "keep_full_id", False))

    def restore_session(self, session_id: str | None, draft: SessionDraft) -> None:
        """Put a session draft back into the form, unsaved (and select its session)."""
        self._editing = session_id
        self.form_box.setTitle(self.tr("场次信息（已恢复草稿，未保存）"))
        self.title_edit.setText(draft.title)
        day = QDate.fromString(str(draft.held_on), "yyyy-MM-dd")
        if day.isValid():
            self.date_edit.setDate(day)
        for edit, text in ((self.start_edit, draft.start_time), (self.end_edit, draft.end_time)):
            edit.setTime(QTime.fromString(text, "HH:mm") if text else QTime(0, 0))
        self.place_edit.setText(draft.place)
        self.facilitator_edit.setText(draft.facilitator)
        self.materials_edit.setPlainText("\n".join(draft.materials))
        self.capacity_spin.setValue(draft.capacity or 0)
        self._loaded_draft = SessionDraft(title="", held_on="")  # differs: unsaved
        if session_id is not None:
            self._select_after_load = session_id
            self.refresh_sessions()

    def restore_check_in(self, session_id: str | None, values: dict[str, str]) -> None:
        """Put a check-in draft back into the check-in row (and select its session)."""
        for edit, key in (
            (self.code_edit, "code"),
            (self.entity_edit, "entity"),
            (self.name_edit, "name"),
            (self.phone_edit, "phone"),
            (self.id_edit, "id_number"),
        ):
            edit.setText(values.get(key, ""))
        if values.get("role"):
            self.role_combo.setCurrentText(values["role"])
        if session_id is None or session_id == self.selected_session_id():
            return
        if self.has_unsaved() and session_id != self._editing:
            # Selecting it would ask to drop the session form's own restored edits.
            self.message.show_message(
                self.tr("已恢复签到草稿。请先保存或放弃场次表单的修改，再选择培训场次签到。"),
                "warning",
            )
            return
        self._select_after_load = session_id
        self.refresh_sessions()

    def save_session(self) -> None:
        """Create the session in the form, or save the changes to the selected one.

        The form stays editable while it saves; pressed again meanwhile, the save queues.
        """
        if self._saving:
            self._save_again = True
            return
        if not self.title_edit.text().strip():
            self.message.show_message(self.tr("请填写培训主题。"), "warning")
            self.title_edit.setFocus()
            return
        education, draft, editing = self._education, self.draft(), self._editing

        def work() -> EducationSession:
            if editing is None:
                return education.create_session(draft)
            return education.update_session(editing, draft)

        self._saving = True
        self.save_progress.start(self.tr("正在保存…"))
        self._tasks.run_db(
            work,
            lambda s: self._on_saved(s, editing is None, draft),
            self._show_error,
            context=self,
        )

    def _on_saved(self, session: EducationSession, created: bool, submitted: SessionDraft) -> None:
        self._saving = False
        self.save_progress.stop()
        text = (
            self.tr("已新建培训场次“{title}”，可开始签到。")
            if created
            else self.tr("已保存培训场次“{title}”。")
        )
        self._editing = session.id
        self._loaded_draft = submitted  # what is saved; later typing stays unsaved
        if self.has_unsaved():
            text += self.tr("保存开始后输入的内容尚未保存，请再按 Ctrl+S 保存。")
            self.message.show_message(text.format(title=session.title), "warning")
            self.drafts.session.flush()
        else:
            self.message.show_message(text.format(title=session.title), "success")
            self.drafts.session.discard()
        self._select_after_load = session.id
        self.session_saved.emit(session.id)
        self.changed.emit()
        self._focus_code_after_load = created
        self.refresh()
        if self._save_again:
            self._save_again = False
            if self.has_unsaved():
                self.save_session()

    def delete_session(self) -> None:
        """Delete the selected session (refused when someone has checked in)."""
        session = self.selected_session()
        if session is None:
            return
        education = self._education
        self._tasks.run_db(
            lambda: education.delete_session(session.id),
            lambda _r: self._on_deleted(session),
            self._show_error,
            context=self,
        )

    def _on_deleted(self, session: EducationSession) -> None:
        self.message.show_message(
            self.tr("已删除培训场次“{title}”。").format(title=session.title), "success"
        )
        self.new_session()
        self.session_deleted.emit(session.id)
        self.changed.emit()
        self.refresh()

    # -- state -------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        session = self.selected_session()
        chosen = session is not None
        self.delete_button.setEnabled(chosen and session is not None and session.attendees == 0)
        self.print_button.setEnabled(chosen)
        for widget in self._check_in_widgets():
            widget.setEnabled(chosen)
        person = self.selected_attendee() is not None
        self.certificate_button.setEnabled(person)
        self.remove_button.setEnabled(person)

    def _check_in_widgets(self) -> tuple[QWidget, ...]:
        return (self.code_edit, self.entity_edit, self.name_edit, self.role_combo,
                self.phone_edit, self.id_edit, self.check_in_button)  # fmt: skip

    def _show_error(self, exc: Exception) -> None:
        self._saving = self._save_again = False
        self.save_progress.stop()
        show_service_error(self.message, exc)
