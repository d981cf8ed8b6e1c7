"""The 同步 page: sync now, progress, history, rejected items and the conflicts to resolve."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.app import AppServices
from desktop_app.services.calendar import CalendarService
from desktop_app.services.errors import ServiceError
from desktop_app.services.offline import INSPECTOR_ROLE, OfflineSummary
from desktop_app.services.sync_status import (
    ItemError,
    Keep,
    RecordConflicts,
    RunSummary,
    SyncOverview,
)
from ui.connection import state_text
from ui.error_text import error_text
from ui.login_dialog import LoginDialog
from ui.models.sync_tables import (
    collection_name,
    conflict_fields_model,
    conflicts_model,
    errors_model,
    history_model,
)
from ui.sync_adapter import SyncController
from ui.taskman import TaskManager
from ui.widgets.calendar_notice import CalendarNotice

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _PageData:
    overview: SyncOverview
    conflicts: list[RecordConflicts]
    errors: list[ItemError]
    history: list[RunSummary]
    role: str | None
    offline: OfflineSummary | None


def _table(model: object) -> QTableView:
    view = QTableView()
    view.setModel(model)  # type: ignore[arg-type]
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


class SyncPage(QWidget):
    """Sync with the municipal platform and settle what it could not.

    Ctrl+S syncs now. Picking a conflict shows each field's local and platform value; 保留本机
    queues this device's values for the next sync (started at once), 保留平台 accepts the
    platform's. A delete conflict offers 仍然删除 / 保留平台记录 (this device deleted) or
    恢复本地记录 / 接受删除 (another device deleted); a choice the platform would refuse is
    disabled with the reason, and a choice it refused later shows its reason.

    Signals:
        refreshed(): The lists show fresh data.
        changed(): Local data changed (a sync ended or a conflict was resolved).
    """

    refreshed = Signal()
    changed = Signal()

    PHASES = ("push", "blobs", "reports", "pull")

    def __init__(
        self,
        services: AppServices,
        tasks: TaskManager,
        controller: SyncController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self._controller = controller
        self._loading = False
        self.login_dialog: LoginDialog | None = None

        title = QLabel(self.tr("同步"))
        title.setObjectName("pageTitle")
        self.account_label = QLabel()
        self.account_label.setWordWrap(True)
        self.login_button = QPushButton(self.tr("登录平台…"))
        self.sync_button = QPushButton(self.tr("立即同步"))
        self.sync_button.setToolTip(self.tr("立即同步（Ctrl+S）"))
        self.offline_button = QPushButton(self.tr("离线准备"))
        self.offline_button.setToolTip(
            self.tr("下载检查任务所需的全部数据和附件，然后显示本机是否可以离线工作")
        )
        self.offline_button.setVisible(False)  # shown for inspectors (role from the login)
        self.cancel_button = QPushButton(self.tr("取消同步"))
        self.cancel_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.account_label, 1)
        top.addWidget(self.login_button)
        top.addWidget(self.sync_button)
        top.addWidget(self.offline_button)
        top.addWidget(self.cancel_button)

        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_bar.setTextVisible(False)
        self.phase_label = QLabel(self.tr("未在同步"))
        self.message_label = QLabel()
        self.message_label.setObjectName("syncMessage")
        self.message_label.setWordWrap(True)
        self.summary_label = QLabel()
        self.offline_banner = QLabel()
        self.offline_banner.setObjectName("offlineBanner")
        self.offline_banner.setWordWrap(True)
        self.offline_banner.setVisible(False)
        self.calendar_notice = CalendarNotice(CalendarService(services.store), tasks)
        self.offline_ready: bool | None = None
        self._role: str | None = None

        self.conflicts = conflicts_model(self)
        self.fields = conflict_fields_model(self)
        self.errors = errors_model(self)
        self.history = history_model(self)
        self.conflicts_view = _table(self.conflicts)
        self.fields_view = _table(self.fields)
        self.fields_view.setWordWrap(True)
        self.errors_view = _table(self.errors)
        self.history_view = _table(self.history)
        self.keep_local_button = QPushButton(self.tr("保留本机"))
        self.keep_server_button = QPushButton(self.tr("保留平台"))
        for button in (self.keep_local_button, self.keep_server_button):
            button.setEnabled(False)
        self.conflict_hint = QLabel(self.tr("选择一条冲突，查看本机与平台各字段的值。"))
        self.conflict_hint.setWordWrap(True)
        conflict_tab = QWidget()
        conflict_layout = QVBoxLayout(conflict_tab)
        conflict_layout.addWidget(self.conflicts_view, 1)
        conflict_layout.addWidget(self.conflict_hint)
        conflict_layout.addWidget(self.fields_view, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.keep_local_button)
        buttons.addWidget(self.keep_server_button)
        conflict_layout.addLayout(buttons)

        self.tabs = QTabWidget()
        self.tabs.addTab(conflict_tab, self.tr("冲突"))
        self.tabs.addTab(self.errors_view, self.tr("同步错误"))
        self.tabs.addTab(self.history_view, self.tr("同步记录"))

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(top)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.phase_label)
        layout.addWidget(self.message_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.offline_banner)
        layout.addWidget(self.calendar_notice)
        layout.addWidget(self.tabs, 1)

        sync_action = QAction(self.tr("立即同步"), self)
        sync_action.setShortcut(QKeySequence("Ctrl+S"))
        sync_action.triggered.connect(self.sync_now)
        self.addAction(sync_action)
        self.sync_action = sync_action

        self.login_button.clicked.connect(self.open_login)
        self.sync_button.clicked.connect(self.sync_now)
        self.offline_button.clicked.connect(self.prepare_offline)
        self.cancel_button.clicked.connect(controller.cancel)
        self.keep_local_button.clicked.connect(lambda: self._resolve("local"))
        self.keep_server_button.clicked.connect(lambda: self._resolve("server"))
        self.conflicts_view.selectionModel().selectionChanged.connect(self._on_conflict_selected)
        controller.started.connect(self._on_started)
        controller.progress.connect(self._on_progress)
        controller.finished.connect(self._on_finished)
        controller.failed.connect(self._on_failed)
        controller.prepared.connect(self._on_prepared)
        controller.logged_in_changed.connect(lambda _v: self._show_account())
        controller.online_changed.connect(lambda _v: self._show_account())
        controller.state_changed.connect(lambda _v: self._show_account())
        self._show_account()

    # -- account and actions -------------------------------------------------------------

    def _show_account(self) -> None:
        c = self._controller
        if not c.configured:
            text = self.tr("尚未设置市级平台地址，请先登录平台。")
        elif not c.logged_in:
            text = self.tr("平台 {url} · 未登录").format(url=c.url)
        else:  # the connection in the one set of words the status bar uses too
            state = state_text(c.state)
            text = self.tr("平台 {url} · 已登录 · {state}").format(url=c.url, state=state)
        self.account_label.setText(text)
        self.login_button.setText(self.tr("重新登录…") if c.logged_in else self.tr("登录平台…"))
        self.sync_button.setEnabled(c.logged_in and not c.running)
        self.offline_button.setVisible(self._role == INSPECTOR_ROLE)
        self.offline_button.setEnabled(c.logged_in and not c.running)

    def open_login(self) -> None:
        """Show the login dialog (non-blocking)."""
        if self.login_dialog is not None:
            self.login_dialog.raise_()
            return
        dialog = LoginDialog(self._controller, self)
        dialog.finished.connect(self._on_login_closed)
        self.login_dialog = dialog
        dialog.open()

    def _on_login_closed(self, _result: int) -> None:
        if self.login_dialog is not None:
            self.login_dialog.deleteLater()
            self.login_dialog = None

    def sync_now(self) -> None:
        """Start a sync (or ask for a login first)."""
        if not self._controller.logged_in:
            self.open_login()
            return
        self._controller.sync_now()

    def prepare_offline(self) -> None:
        """Start 离线准备 (or ask for a login first)."""
        if not self._controller.logged_in:
            self.open_login()
            return
        self._controller.prepare_offline()

    # -- progress ------------------------------------------------------------------------

    def _phase_text(self, phase: str) -> str:
        return {
            "login": self.tr("正在登录"),
            "push": self.tr("推送本机更改"),
            "blobs": self.tr("上传附件"),
            "reports": self.tr("登记已出具的信用报告"),
            "pull": self.tr("下载平台数据"),
            "download": self.tr("下载附件"),
            "snapshot": self.tr("下载全市数据快照"),
            "snapshot_adopt": self.tr("正在启用数据快照"),
            "done": self.tr("同步完成"),
        }.get(phase, phase)

    def _on_started(self) -> None:
        self.sync_button.setEnabled(False)
        self.offline_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.message_label.clear()
        self.progress_bar.setRange(0, 0)
        self.phase_label.setText(self.tr("正在连接平台…"))

    def _on_progress(self, phase: str, done: int, total: int, size: int) -> None:
        if phase == "snapshot" and total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
            self.phase_label.setText(
                self.tr("{phase}：{done}/{total} MB").format(
                    phase=self._phase_text(phase), done=done, total=total
                )
            )
            return
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
            text = self.tr("{phase}：{done}/{total}").format(
                phase=self._phase_text(phase), done=done, total=total
            )
        else:
            self.progress_bar.setRange(0, 0)
            text = self.tr("{phase}：已处理 {done} 条").format(
                phase=self._phase_text(phase), done=done
            )
        if size:
            text += self.tr("（{kb} KB）").format(kb=max(1, size // 1024))
        self.phase_label.setText(text)

    def _stopped(self) -> None:
        self.cancel_button.setEnabled(False)
        self.progress_bar.setRange(0, 1)
        self._show_account()
        self.refresh()
        self.changed.emit()

    def _on_finished(self, report: object) -> None:
        self.progress_bar.setValue(1)
        pushed = getattr(report, "pushed", 0)
        pulled = getattr(report, "pulled", 0)
        text = self.tr("同步完成：上传 {pushed} 条，下载 {pulled} 条。").format(
            pushed=pushed, pulled=pulled
        )
        snapshot = getattr(report, "snapshot_entities", 0)
        if snapshot:
            text += self.tr("另从数据快照取得 {n} 个主体。").format(n=snapshot)
        self.phase_label.setText(text)
        self._stopped()

    def _on_failed(self, message: str) -> None:
        self.progress_bar.setValue(0)
        self.phase_label.setText(self.tr("同步未完成"))
        self.message_label.setText(message)
        self._stopped()

    def _on_prepared(self, pack: object) -> None:
        summary = getattr(pack, "summary", None)
        if isinstance(summary, OfflineSummary):
            self.show_offline(summary)

    def show_offline(self, o: OfflineSummary) -> None:
        """Show the green (ready) or amber (something missing) offline banner."""
        self.offline_ready = o.ready
        if o.ready:
            text = self.tr(
                "已可离线工作：{tasks} 个检查任务、{entities} 户主体、{checklists} 份检查表、"
                "附件 {blobs} 个，更新于 {at}"
            ).format(
                tasks=o.tasks,
                entities=o.entities_present,
                checklists=o.checklists_present,
                blobs=o.blobs_present,
                at=o.updated_at or "",
            )
            style = "background:#e6f4ea; color:#1e6b34; border:1px solid #34a853;"
        else:
            missing: list[str] = []
            if not o.synced:
                missing.append(self.tr("尚未从平台下载数据"))
            if o.entities_missing:
                missing.append(self.tr("主体 {n} 户").format(n=len(o.entities_missing)))
            if o.checklists_missing:
                missing.append(self.tr("检查表 {ids}").format(ids="、".join(o.checklists_missing)))
            if o.blobs_missing:
                missing.append(self.tr("附件 {n} 个").format(n=len(o.blobs_missing)))
            text = self.tr("尚不能离线工作，缺少：{missing}。请联网后再次点击“离线准备”。").format(
                missing="；".join(missing)
            )
            style = "background:#fef7e0; color:#8a5300; border:1px solid #f9ab00;"
        self.offline_banner.setText(text)
        self.offline_banner.setStyleSheet(f"QLabel#offlineBanner {{{style} padding:6px;}}")
        self.offline_banner.setVisible(True)

    # -- lists ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """Refresh the lists whenever the page comes into view."""
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Reload overview, conflicts, errors and history on the database worker."""
        if self._loading:
            return
        self._loading = True
        status = self._services.sync_status
        offline = self._services.offline

        def load() -> _PageData:
            role = offline.role()
            return _PageData(
                status.overview(),
                status.open_conflicts(),
                status.item_errors(),
                status.history(),
                role,
                offline.summary() if role == INSPECTOR_ROLE else None,
            )

        self._tasks.run_db(load, self._apply, self._on_load_error, context=self)
        self.calendar_notice.refresh()

    def _apply(self, data: _PageData) -> None:
        self._loading = False
        self.conflicts.set_rows(data.conflicts)
        self.errors.set_rows(data.errors)
        self.history.set_rows(data.history)
        self.fields.set_rows([])
        self._update_buttons()
        self._role = data.role
        self._show_account()
        if data.offline is not None:
            self.show_offline(data.offline)
        else:
            self.offline_banner.setVisible(False)
        o = data.overview
        self.summary_label.setText(
            self.tr(
                "待同步 {unsynced} 条 · 待处理冲突 {conflicts} 条 · 被拒绝 {errors} 条 · "
                "上次成功同步：{last}"
            ).format(
                unsynced=o.unsynced,
                conflicts=o.open_conflicts,
                errors=o.errors,
                last=o.last_success or self.tr("尚未同步"),
            )
        )
        self.tabs.setTabText(0, self.tr("冲突（{n}）").format(n=o.open_conflicts))
        self.tabs.setTabText(1, self.tr("同步错误（{n}）").format(n=o.errors))
        self.refreshed.emit()

    def _on_load_error(self, exc: Exception) -> None:
        self._loading = False
        log.error("loading the sync page failed", exc_info=exc)
        self.message_label.setText(self.tr("读取同步信息失败，详细信息已写入日志。"))

    # -- conflicts -----------------------------------------------------------------------

    def selected_conflict(self) -> RecordConflicts | None:
        """The record whose conflicts are shown, if any."""
        rows = self.conflicts_view.selectionModel().selectedRows()
        return self.conflicts.row_at(rows[0].row()) if rows else None

    def _on_conflict_selected(self, _new: QItemSelection, _old: QItemSelection) -> None:
        record = self.selected_conflict()
        self.fields.set_rows(list(record.fields) if record else [])
        if record is not None:
            self.conflict_hint.setText(self._conflict_hint(record))
        self._update_buttons()

    def _conflict_hint(self, record: RecordConflicts) -> str:
        if record.kind == "local_deleted":
            text = self.tr(
                "{kind} {record}：本机删除了这条记录，但其他人已在平台上修改了它。"
                "可以仍然删除，或保留平台上的记录。"
            )
        elif record.kind == "server_deleted":
            text = self.tr(
                "{kind} {record}：本机修改了这条记录，但其他人已在平台上删除了它。"
                "可以恢复本地记录（整条重新提交），或接受删除。"
            )
        else:
            text = self.tr("{kind} {record}：请逐项比较后选择保留哪一方的值。")
        parts = [text.format(kind=collection_name(record.collection), record=record.record_id)]
        if record.rejected:
            parts.append(self.tr("平台未接受上次的选择：{reason}").format(reason=record.rejected))
        if record.blocked:
            parts.append(record.blocked)
        return "\n".join(parts)

    def _update_buttons(self) -> None:
        record = self.selected_conflict()
        kind = record.kind if record is not None else "fields"
        if kind == "local_deleted":
            local, server = self.tr("仍然删除"), self.tr("保留平台记录")
        elif kind == "server_deleted":
            local, server = self.tr("恢复本地记录"), self.tr("接受删除")
        else:
            local, server = self.tr("保留本机"), self.tr("保留平台")
        self.keep_local_button.setText(local)
        self.keep_server_button.setText(server)
        self.keep_local_button.setEnabled(record is not None and "local" in record.choices)
        self.keep_local_button.setToolTip(record.blocked if record is not None else "")
        self.keep_server_button.setEnabled(record is not None)

    def _resolve(self, keep: str) -> None:
        record = self.selected_conflict()
        if record is None:
            return
        status = self._services.sync_status
        choice: Keep = "local" if keep == "local" else "server"
        self.keep_local_button.setEnabled(False)
        self.keep_server_button.setEnabled(False)
        self._tasks.run_db(
            lambda: status.resolve_record(record.collection, record.record_id, choice),
            lambda _n: self._on_resolved(choice, record.kind),
            self._on_resolve_error,
            context=self,
        )

    def _on_resolve_error(self, exc: Exception) -> None:
        if not isinstance(exc, ServiceError):
            self._on_load_error(exc)
            return
        self.message_label.setText(error_text(exc))  # what the platform would refuse, and why
        self._update_buttons()

    def _on_resolved(self, keep: str, kind: str) -> None:
        if keep == "server":
            done = {
                "local_deleted": self.tr("已保留平台上的记录。"),
                "server_deleted": self.tr("已接受删除。"),
            }.get(kind, self.tr("已采用平台的值。"))
        else:
            done = {
                "local_deleted": self.tr("已选择仍然删除，将在下次同步时提交到平台。"),
                "server_deleted": self.tr("已恢复本地记录，将在下次同步时重新提交到平台。"),
            }.get(kind, self.tr("已保留本机的值，将在下次同步时提交到平台。"))
        self.message_label.setText(done)
        self.refresh()
        self.changed.emit()
        if keep == "local" and self._controller.logged_in:
            self._controller.sync_now()
