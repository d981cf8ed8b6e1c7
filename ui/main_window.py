"""The main window: left navigation, the page stack, and the status bar."""

from __future__ import annotations

import base64
import logging

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QGuiApplication,
    QKeySequence,
    QMoveEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__
from desktop_app.config import FIRST_RUN_GUIDE_KEY, ProfilePaths, Settings
from desktop_app.services.app import AppServices
from desktop_app.services.entities import EntityCard
from desktop_app.services.status import StoreStatus
from ui.about import AboutDialog
from ui.connection import ConnectionState, state_hint, state_text
from ui.first_run import FirstRunGuide
from ui.help import HelpWindow
from ui.pages.commitments import CommitmentsPage
from ui.pages.education import EducationPage
from ui.pages.followup import FollowUpPage
from ui.pages.inspections import InspectionsPage
from ui.pages.lookup import LookupPage
from ui.pages.pending import PendingPage
from ui.pages.publications import PublicationsPage
from ui.pages.repairs import RepairsPage
from ui.pages.reports import ReportsPage
from ui.pages.settings import SettingsPage, keeps_full_id_numbers
from ui.pages.sync import SyncPage
from ui.pages.workbench import WorkbenchPage
from ui.report_check_dialog import ReportCheckDialog
from ui.store_events import FORMS, ISSUED, REFERENCE, STATUS, StoreEvents
from ui.sync_adapter import SyncController
from ui.taskman import TaskManager
from ui.update_notice import UpdateNotice

log = logging.getLogger(__name__)

STATUS_REFRESH_MS = 30_000
PREFERRED_SIZE = QSize(1280, 800)
GEOMETRY_KEY = "main_window_geometry"
GEOMETRY_SAVE_MS = 1_000
SYNC_PAGE_TABLES = frozenset({"conflicts", "sync_errors", "sync_runs"})

PAGE_WORKBENCH, PAGE_LOOKUP, PAGE_COMMITMENTS, PAGE_EDUCATION, PAGE_INSPECTIONS = 0, 1, 2, 3, 4
PAGE_REPORTS, PAGE_REPAIRS, PAGE_FOLLOWUP, PAGE_SYNC = 5, 6, 7, 8
PAGE_PUBLICATIONS = 9  # after 同步: window staff keep Ctrl+1…9; supervisors only see it
PAGE_SETTINGS = 10

# The manual page (docs/manual/…) F1 opens on each page: the one place that pairs them
# (tests/ui/test_help.py fails when a page has none).
MANUAL_PAGES = {
    PAGE_WORKBENCH: "workbench.md",
    PAGE_LOOKUP: "lookup.md",
    PAGE_COMMITMENTS: "commitments.md",
    PAGE_EDUCATION: "education.md",
    PAGE_INSPECTIONS: "inspections.md",
    PAGE_REPORTS: "reports.md",
    PAGE_REPAIRS: "repairs.md",
    PAGE_FOLLOWUP: "followup.md",
    PAGE_SYNC: "sync.md",
    PAGE_PUBLICATIONS: "publications.md",
    PAGE_SETTINGS: "settings.md",
}

STYLE_SHEET = """
QListWidget#navigation {
    background: #f2f4f7; border: none; border-right: 1px solid #d5dbe3; padding-top: 10px;
}
QListWidget#navigation::item { padding: 4px 14px; margin: 1px 6px; border-radius: 4px; }
QListWidget#navigation::item:hover { background: #e3e8ef; }
QListWidget#navigation::item:selected { background: #1f5fa8; color: white; }
QLabel#pageTitle { font-size: 16pt; font-weight: bold; padding: 4px 0 8px 0; }
QLabel#sectionTitle { font-weight: bold; padding-top: 6px; }
QLabel#cardName { padding-bottom: 4px; }
QLabel#gradeLabel { color: #455a64; background: #eceff1; padding: 6px 8px; border-radius: 4px; }
QFrame#tile { background: white; border: 1px solid #d5dbe3; border-radius: 6px; }
QLineEdit#searchEdit { padding: 5px 6px; font-size: 12pt; }
QPushButton#helpButton {
    background: #f2f4f7; border: none; border-top: 1px solid #d5dbe3;
    border-right: 1px solid #d5dbe3; text-align: left;
    padding-left: 20px; padding-right: 20px; padding-top: 9px; padding-bottom: 9px;
}
QPushButton#helpButton:hover { background: #e3e8ef; }
"""


class MainWindow(QMainWindow):
    """The Credit Desk main window.

    Ctrl+1…Ctrl+9 switch pages, Ctrl+F goes to 主体查询's search box, F1 opens the manual page
    of the page shown (:data:`MANUAL_PAGES`), Ctrl+Q quits. The status
    bar shows the connection state (in the words of :mod:`ui.connection`, with what to do
    when nothing can sync), the 经办人, unsynced changes and the size of the entity cache,
    refreshed on the database worker after every committed change and every 30 seconds.

    Every page reloads itself when the store changes under it — a sync, 离线准备, an import
    or a save on another page — through :class:`~ui.store_events.StoreEvents`.

    Signals:
        status_refreshed(object): A new :class:`StoreStatus` is shown.
    """

    status_refreshed = Signal(object)
    _user_arrived = Signal(str)

    def __init__(
        self,
        services: AppServices,
        settings: Settings,
        paths: ProfilePaths,
        tasks: TaskManager,
        parent: QWidget | None = None,
        *,
        sync: SyncController | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._sync = sync
        self._settings = settings
        self._paths = paths
        self._tasks = tasks
        self._status_in_flight = False
        self._locked = False
        self.status: StoreStatus | None = None
        self.help_window: HelpWindow | None = None
        self.guide: FirstRunGuide | None = None
        self.about_dialog: AboutDialog | None = None
        self.report_check_dialog: ReportCheckDialog | None = None
        self.setWindowTitle(self.tr("信用监管工作台") + " — " + __version__)
        self.setStyleSheet(STYLE_SHEET)

        self.workbench = WorkbenchPage()
        self.lookup = LookupPage(services, tasks)
        self.settings_page = SettingsPage(services, settings, paths, tasks)
        pages: list[tuple[str, QWidget]] = [
            (self.tr("工作台"), self.workbench),
            (self.tr("主体查询"), self.lookup),
        ]
        self.commitments_page = CommitmentsPage(services, tasks, settings, paths)
        pages.append((self.tr("信用承诺"), self.commitments_page))
        services.education.keep_full_id = keeps_full_id_numbers(settings)
        self.education_page = EducationPage(services, tasks, settings, paths)
        pages.append((self.tr("诚信教育"), self.education_page))
        self.inspections_page = InspectionsPage(services, tasks, settings, paths)
        pages.append((self.tr("检查任务"), self.inspections_page))
        self.reports_page = ReportsPage(services, tasks, settings, paths)
        pages.append((self.tr("报告打印"), self.reports_page))
        self.repairs_page = RepairsPage(services, tasks, settings)
        pages.append((self.tr("修复与异议"), self.repairs_page))
        self.followup_page = FollowUpPage(services, tasks)
        pages.append((self.tr("跟踪督办"), self.followup_page))
        self.sync_page: SyncPage | None = None
        if sync is not None:
            self.sync_page = SyncPage(services, tasks, sync)
            pages.append((self.tr("同步"), self.sync_page))
        else:
            pages.append((self.tr("同步"), PendingPage(self.tr("同步"))))
        self.publications_page = PublicationsPage(services, tasks, settings)
        pages.append((self.tr("公示台账"), self.publications_page))
        pages.append((self.tr("设置"), self.settings_page))

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stack = QStackedWidget()
        for number, (title, page) in enumerate(pages, start=1):
            item = QListWidgetItem(title)
            item.setToolTip(f"{title}（Ctrl+{number}）")
            item.setSizeHint(QSize(0, self.fontMetrics().height() * 2 + 8))
            self.nav.addItem(item)
            self.stack.addWidget(page)
        width = max(self.fontMetrics().horizontalAdvance(title) for title, _ in pages)
        self.nav.setFixedWidth(width + 56)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        # 公示台账 is for supervisors and admins: its entry shows once the role is known.
        self.nav.setRowHidden(PAGE_PUBLICATIONS, True)
        self.publications_page.supervisor_known.connect(
            lambda on: self.nav.setRowHidden(PAGE_PUBLICATIONS, not on)
        )
        self.publications_page.check_role()

        self.help_button = self._make_help_button()
        self.help_button.setFixedWidth(self.nav.maximumWidth())
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(0)
        left.addWidget(self.nav, 1)
        left.addWidget(self.help_button)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(left)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.online_label = QLabel()
        # What to do while nothing can sync; a label, not a temporary status message, so that
        # hovering over a widget with an empty status tip cannot wipe it.
        self.hint_label = QLabel()
        self.hint_label.setObjectName("connectionHint")
        self.hint_label.setContentsMargins(8, 0, 8, 0)
        self.hint_label.setStyleSheet("color: #b3261e;")
        # Never wider than the room left: a long hint must not widen the window (full text in
        # the tooltip).
        self.hint_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.statusBar().addWidget(self.hint_label, 1)
        self.user_label = QLabel()
        self.user_label.setObjectName("userLabel")
        self.last_sync_label = QLabel()
        self.unsynced_label = QLabel()
        self.cache_label = QLabel()
        for label in (
            self.online_label,
            self.user_label,
            self.last_sync_label,
            self.unsynced_label,
            self.cache_label,
        ):
            label.setContentsMargins(8, 0, 8, 0)
            self.statusBar().addPermanentWidget(label)
        self.online_label.setObjectName("onlineLabel")
        # 新版本 <version>, shown only when a release signed by a pinned key is newer.
        self.update_notice = UpdateNotice(settings, tasks, sync, self) if sync is not None else None
        if self.update_notice is not None:
            self.statusBar().addPermanentWidget(self.update_notice)

        self._add_shortcuts(len(pages))
        self.workbench.lookup_requested.connect(self.focus_search)
        self.workbench.refresh_requested.connect(self.refresh_status)
        self.lookup.changed.connect(self.refresh_status)
        self.lookup.report_requested.connect(self.start_report)
        self.lookup.commitment_requested.connect(self.start_commitment)
        self.workbench.set_services(services, tasks)
        self.workbench.commitment_requested.connect(self.show_commitment)
        self.workbench.commitments_changed.connect(self.refresh_status)
        self.commitments_page.changed.connect(self.refresh_status)
        self.commitments_page.changed.connect(self.workbench.refresh_commitments)
        self.education_page.changed.connect(self.refresh_status)
        self.inspections_page.changed.connect(self.refresh_status)
        self.repairs_page.changed.connect(self.refresh_status)
        self.followup_page.interview_requested.connect(self._start_interview)
        # A draft a crash left is offered on its own page: bring that page forward.
        for row, page in (
            (PAGE_COMMITMENTS, self.commitments_page),
            (PAGE_EDUCATION, self.education_page),
            (PAGE_INSPECTIONS, self.inspections_page),
        ):
            page.restore_offered.connect(lambda _prompt, row=row: self.show_page(row))
        self.settings_page.security_done.connect(self.refresh_status)
        self.store_events = StoreEvents(services.changes, self)
        self._connect_store_events()
        # A login may name a new 经办人 from any thread; the label follows on this one.
        self._unsubscribe_user = services.user.subscribe(self._user_arrived.emit)
        self._user_arrived.connect(
            lambda _name: self._show_user(), Qt.ConnectionType.QueuedConnection
        )
        self._show_user()
        if sync is not None and self.sync_page is not None:
            sync.state_changed.connect(lambda _state: self._show_online())
            sync.online_changed.connect(lambda _online: self._show_online())
            sync.logged_in_changed.connect(lambda _in: self._show_online())
            # A sync commits page after page: the pages reload once, when it has ended.
            sync.started.connect(self.store_events.hold)
            sync.finished.connect(lambda _report: self.store_events.release())
            sync.failed.connect(lambda _message: self.store_events.release())
            self.sync_page.changed.connect(self.refresh_status)
            self.repairs_page.set_decider(sync.decide)
            self.repairs_page.set_statistics_source(sync.repair_statistics)
            self.followup_page.set_platform(sync.call_platform)
            self.publications_page.set_platform(sync.call_platform)
            sync.logged_in_changed.connect(lambda _in: self.publications_page.check_role())
            self.sync_page.changed.connect(self.reports_page.refresh_history)
            self.reports_page.issued.connect(lambda _number: self._register_reports_now())
        self.reports_page.check_requested.connect(self.show_report_check)
        self._show_online()

        self._status_timer = QTimer(self)
        self._status_timer.setInterval(STATUS_REFRESH_MS)
        self._status_timer.timeout.connect(self.refresh_status)
        self._status_timer.start()

        self._geometry_timer = QTimer(self)
        self._geometry_timer.setSingleShot(True)
        self._geometry_timer.setInterval(GEOMETRY_SAVE_MS)
        self._geometry_timer.timeout.connect(self._save_geometry)

        self.nav.setCurrentRow(PAGE_WORKBENCH)
        if not self._restore_geometry():
            self.fit_to_screen()
        self.refresh_status()

    def _start_interview(self, task_id: str, warning_id: str, text: str) -> None:
        """From the 逾期未整改 list: the task's 约谈 tab, following up the warning."""
        self.show_page(PAGE_INSPECTIONS)
        self.inspections_page.start_interview(task_id, warning_id, text)

    def _connect_store_events(self) -> None:
        events = self.store_events
        events.connect_view(self.refresh_status, STATUS)
        events.arrived.connect(
            lambda tables: self.lookup.cache_changed() if tables & REFERENCE else None
        )
        events.connect_view(self.lookup.data_changed, REFERENCE)
        events.connect_view(self.inspections_page.refresh, FORMS | REFERENCE)
        events.connect_view(self.commitments_page.refresh, FORMS | REFERENCE)
        events.connect_view(self.education_page.refresh, FORMS)
        events.connect_view(self.repairs_page.refresh, FORMS)
        events.connect_view(
            lambda: self.followup_page.refresh() if self.followup_page.isVisible() else None, FORMS
        )
        events.connect_view(self.workbench.refresh_commitments, FORMS | REFERENCE)
        events.connect_view(self.reports_page.refresh_history, ISSUED)
        if self.sync_page is not None:
            events.connect_view(self.sync_page.refresh, SYNC_PAGE_TABLES)

    # -- navigation ----------------------------------------------------------------------

    def _add_shortcuts(self, page_count: int) -> None:
        for number in range(1, page_count + 1):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, row=number - 1: self.show_page(row))
            self.addAction(action)
        find = QAction(self.tr("查找主体"), self)
        find.setShortcut(QKeySequence("Ctrl+F"))
        find.triggered.connect(self.focus_search)
        self.addAction(find)
        help_action = QAction(self.tr("使用手册"), self)
        help_action.setShortcut(QKeySequence("F1"))
        help_action.triggered.connect(self.show_help)
        self.addAction(help_action)
        check_action = QAction(self.tr("核验报告"), self)
        check_action.setShortcut(QKeySequence("Ctrl+Shift+V"))
        check_action.triggered.connect(self.show_report_check)
        self.addAction(check_action)
        quit_action = QAction(self.tr("退出"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)

    # -- help ----------------------------------------------------------------------------

    def _make_help_button(self) -> QPushButton:
        button = QPushButton(self.tr("帮助"))
        button.setObjectName("helpButton")
        button.setToolTip(self.tr("使用手册（F1）、入门指南、关于"))
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        menu = QMenu(button)
        self.manual_action = menu.addAction(self.tr("本页使用手册（F1）"))
        self.manual_action.triggered.connect(self.show_help)
        self.guide_action = menu.addAction(self.tr("入门指南"))
        self.guide_action.triggered.connect(self.show_first_run_guide)
        menu.addSeparator()
        self.about_action = menu.addAction(self.tr("关于信用监管工作台"))
        self.about_action.triggered.connect(self.show_about)
        self.help_menu = menu
        # Popped up above the button (it sits at the window's bottom edge); not setMenu(),
        # whose indicator would break the button's left-aligned, nav-like label.
        button.clicked.connect(
            lambda: menu.popup(button.mapToGlobal(QPoint(0, -menu.sizeHint().height())))
        )
        return button

    def manual_page(self, row: int | None = None) -> str:
        """The manual file of page ``row`` (default: the page shown now)."""
        index = self.stack.currentIndex() if row is None else row
        return MANUAL_PAGES.get(index, "index.md")

    def show_help(self) -> None:
        """Open the manual on the page that belongs to the page shown (F1)."""
        if self._locked:
            return
        if self.help_window is None:
            self.help_window = HelpWindow(self)
        self.help_window.open_page(self.manual_page())

    def show_first_run_guide(self) -> FirstRunGuide:
        """Show the first-run guide (non-modal; 帮助 → 入门指南)."""
        if self.guide is None:
            self.guide = FirstRunGuide(self)
            self.guide.finished.connect(lambda _result: self._guide_closed())
        self.guide.go(0)
        if self.guide.isVisible():
            self.guide.raise_()
        else:
            self.guide.show()
        self.guide.activateWindow()
        return self.guide

    def _guide_closed(self) -> None:
        guide, self.guide = self.guide, None
        if guide is not None:
            guide.deleteLater()

    def show_first_run_guide_once(self) -> bool:
        """Show the first-run guide if this profile has never shown it; remember that it has.

        Returns:
            Whether the guide was shown now.
        """
        if self._settings.get(FIRST_RUN_GUIDE_KEY):
            return False
        try:
            self._settings.set(FIRST_RUN_GUIDE_KEY, True)
        except OSError as exc:
            log.warning("could not remember that the first-run guide was shown: %s", exc)
        self.show_first_run_guide()
        return True

    def show_report_check(self) -> ReportCheckDialog:
        """Open 核验报告 (scan or paste a report's QR text; online or offline answer)."""
        if self.report_check_dialog is None:
            self.report_check_dialog = ReportCheckDialog(self._services, self._sync, self)
        self.report_check_dialog.show()
        self.report_check_dialog.raise_()
        self.report_check_dialog.activateWindow()
        self.report_check_dialog.input.setFocus()
        return self.report_check_dialog

    def show_about(self) -> AboutDialog:
        """Open 关于 (version, platform address, data folder, third-party licences)."""
        if self.about_dialog is None:
            self.about_dialog = AboutDialog(self._settings, self._paths, self._tasks, self)
            self.about_dialog.finished.connect(lambda _result: self._about_closed())
        self.about_dialog.open()
        return self.about_dialog

    def _about_closed(self) -> None:
        dialog, self.about_dialog = self.about_dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def show_page(self, row: int) -> None:
        """Switch to page ``row`` (0-based, in navigation order)."""
        self.nav.setCurrentRow(row)

    def _register_reports_now(self) -> None:
        # A report issued while online is registered with the platform at once; offline it
        # waits for the next sync (its QR code is valid either way).
        if self._sync is not None and self._sync.logged_in and self._sync.online:
            self._sync.sync_now()

    def start_commitment(self, uscc: str) -> None:
        """Open 信用承诺 with a new commitment form for ``uscc`` (from the entity card)."""
        self.show_page(PAGE_COMMITMENTS)
        self.commitments_page.open_new_for(uscc)

    def show_commitment(self, record_id: str) -> None:
        """Open 信用承诺 on one commitment (from the 工作台 lists)."""
        self.show_page(PAGE_COMMITMENTS)
        self.commitments_page.select_record(record_id)

    def start_report(self, card: EntityCard | None) -> None:
        """Open 报告打印 with the entity of ``card`` chosen (from the entity card's button)."""
        if card is None:
            return
        self.reports_page.select_entity(card.id, card.name, card.uscc)
        self.show_page(PAGE_REPORTS)

    def focus_search(self) -> None:
        """Go to 主体查询 and put the cursor in its search box."""
        self.show_page(PAGE_LOOKUP)
        self.lookup.focus_search()

    # -- status --------------------------------------------------------------------------

    def refresh_status(self) -> None:
        """Ask the database worker for fresh counts (one request at a time)."""
        if self._status_in_flight or self._locked:
            return
        self._status_in_flight = True
        self._tasks.run_db(
            self._services.status.snapshot,
            self._apply_status,
            self._on_status_error,
            context=self,
        )

    def _show_online(self) -> None:
        sync = self._sync
        state = sync.state if sync is not None else ConnectionState.NOT_CONFIGURED
        hint = sync.state_hint if sync is not None else state_hint(state)
        self.online_label.setText(state_text(state))
        self.online_label.setToolTip(hint)
        self.workbench.set_connection(state, hint)
        # Never a silent no-sync: while nothing can sync, the status bar says what to do.
        self.hint_label.setText(hint if state.is_problem else "")
        self.hint_label.setToolTip(hint if state.is_problem else "")

    def _show_user(self) -> None:
        user = self._services.user
        self.user_label.setText(self.tr("经办人 {name}").format(name=user.name))
        self.user_label.setToolTip(
            self.tr("表单、承诺书和审计日志中记录的经办人（登录市级平台的工作人员）")
            if user.confirmed
            else self.tr("尚未登录市级平台：经办人暂记为本机账户名，登录后将使用您的姓名。")
        )
        self.workbench.set_user(user.name, user.confirmed)

    def _apply_status(self, status: StoreStatus) -> None:
        self._status_in_flight = False
        self.status = status
        self.last_sync_label.setText(
            self.tr("上次同步 {time}").format(time=status.last_sync or self.tr("尚未同步"))
        )
        self.unsynced_label.setText(
            self.tr("待同步 {count} 条").format(count=status.unsynced_changes)
        )
        self.cache_label.setText(self.tr("本地缓存 {count} 个主体").format(count=status.entities))
        self.workbench.set_status(status)
        if status.unsynced_changes and self._sync is not None:
            self._sync.sync_soon()  # online, a local change goes out in seconds
        self.status_refreshed.emit(status)

    def _on_status_error(self, exc: Exception) -> None:
        self._status_in_flight = False
        log.error("status refresh failed", exc_info=exc)
        self.unsynced_label.setText(self.tr("待同步 ? 条（读取失败）"))

    # -- screen lock (ui/idle_lock.py) ---------------------------------------------------

    @property
    def locked(self) -> bool:
        """Whether the client is locked (content hidden, no store reads)."""
        return self._locked

    def set_locked(self, locked: bool) -> None:
        """Hide everything the window shows, and stop reading the store, while locked."""
        if locked == self._locked:
            return
        self._locked = locked
        central = self.centralWidget()
        if central is not None:
            central.setVisible(not locked)
        self.statusBar().setVisible(not locked)
        for action in self.actions():
            action.setEnabled(not locked)
        if locked:
            self._status_timer.stop()
            self.store_events.hold()  # pages reload after the unlock, not into a closed store
            return
        self.store_events.release()
        self._status_timer.start()
        self.refresh_status()

    # -- geometry ------------------------------------------------------------------------

    def _restore_geometry(self) -> bool:
        saved = self._settings.get(GEOMETRY_KEY)
        if isinstance(saved, str):
            try:
                return bool(self.restoreGeometry(QByteArray(base64.b64decode(saved))))
            except ValueError:
                log.warning("ignoring unreadable saved window geometry")
        return False

    def fit_to_screen(self) -> None:
        """Take the preferred size, or the whole screen where that is smaller (a laptop).

        A window taller than a 1366×768 screen would hide the status bar and the forms'
        action rows below the screen's edge, so on such screens the window is maximised.
        """
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else QRect()
        if available.isEmpty():
            self.resize(PREFERRED_SIZE)
            return
        if (
            available.width() < PREFERRED_SIZE.width() + 80
            or available.height() < PREFERRED_SIZE.height() + 60
        ):
            self.setGeometry(available)
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
            return
        self.resize(PREFERRED_SIZE)
        self.move(available.center() - self.rect().center())

    def _save_geometry(self) -> None:
        geometry = bytes(self.saveGeometry().data())
        try:
            self._settings.set(GEOMETRY_KEY, base64.b64encode(geometry).decode("ascii"))
        except OSError as exc:
            log.warning("could not save window geometry: %s", exc)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Remember the new size shortly after the user stops resizing."""
        super().resizeEvent(event)
        if self.isVisible():
            self._geometry_timer.start()

    def moveEvent(self, event: QMoveEvent) -> None:
        """Remember the new position shortly after the user stops moving the window."""
        super().moveEvent(event)
        if self.isVisible():
            self._geometry_timer.start()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop the refresh timer and remember the window's geometry in the profile.

        Unsaved edits of an inspection record are not dropped silently: the user is asked.
        """
        if self.inspections_page.unsaved and not self._locked:  # locked: the draft stays
            if not self.inspections_page.confirm_discard():
                event.ignore()
                return
            self.inspections_page.drafts.discard()  # dropped on purpose: not offered again
        self._status_timer.stop()
        self._geometry_timer.stop()
        self.store_events.close()
        self._unsubscribe_user()
        if self._sync is not None:
            self._sync.shutdown()
        self._save_geometry()
        super().closeEvent(event)
