"""工作台: the start page, with the state of the local store and the commitments due at a glance.

The commitment panels (容缺 due within three working days, overdue, waiting for 核查) appear
once the page has services (:meth:`WorkbenchPage.set_services`); each load first marks the
容缺受理 whose deadline has passed as overdue, on the database worker.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.app import AppServices
from desktop_app.services.commitments import CommitmentView
from desktop_app.services.status import StoreStatus
from ui.connection import ConnectionState, state_hint, state_text
from ui.error_text import show_service_error
from ui.models.commitment_models import brief_model
from ui.models.rows import RowsModel
from ui.taskman import TaskManager
from ui.widgets.message_box import InlineMessage

DUE_WORKING_DAYS = 3


class _Tile(QFrame):
    """A number with a caption."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value_label = QLabel("—")
        self.value_label.setObjectName("tileValue")
        self.value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.value_label.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.value_label.setFont(font)
        self.caption_label = QLabel(caption)
        self.caption_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)


class CommitmentPanel(QGroupBox):
    """A short list of commitments under a title with their count.

    Signals:
        activated(str): A row was double-clicked (or Enter pressed on it): its record id.
    """

    activated = Signal(str)

    def __init__(self, title: str, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self.model: RowsModel[CommitmentView] = brief_model(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.setMinimumHeight(120)
        self.view.setMaximumHeight(300)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.empty_label = QLabel(empty_text)
        self.empty_label.setStyleSheet("color: #607d8b;")
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(self.empty_label)
        layout.addStretch(1)
        layout.addLayout(self.buttons)
        # A double-click (or Enter) activates a row; doubleClicked as well would say it twice.
        self.view.activated.connect(self._activate)
        self.set_rows([])

    def set_rows(self, rows: list[CommitmentView]) -> None:
        """Show ``rows`` and their count in the title."""
        self.model.set_rows(rows)
        self.setTitle(f"{self._title}（{len(rows)}）")
        self.empty_label.setVisible(not rows)
        self.view.setVisible(bool(rows))

    def count(self) -> int:
        """Rows in the list."""
        return self.model.rowCount()

    def selected(self) -> CommitmentView | None:
        """The selected commitment."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _activate(self, index: QModelIndex) -> None:
        view = self.model.row_at(index.row())
        if view is not None:
            self.activated.emit(view.record_id)


class WorkbenchPage(QWidget):
    """Counts from :meth:`StatusService.snapshot`, a way into 主体查询, and commitments due.

    Signals:
        lookup_requested: The user wants to look an entity up.
        refresh_requested: The user asked for fresh numbers.
        commitment_requested(str): Show this commitment (record id) on the 信用承诺 page.
        commitments_loaded(): The commitment panels show fresh lists.
        commitments_changed(): A commitment was changed here (sync has something to push).
    """

    lookup_requested = Signal()
    refresh_requested = Signal()
    commitment_requested = Signal(str)
    commitments_loaded = Signal()
    commitments_changed = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        services: AppServices | None = None,
        tasks: TaskManager | None = None,
    ) -> None:
        super().__init__(parent)
        self._services: AppServices | None = None
        self._tasks: TaskManager | None = None
        self._loading = False
        self._load_again = False
        self.title_label = QLabel(self.tr("工作台"))
        self.title_label.setObjectName("pageTitle")
        self.connection_label = QLabel()
        self.connection_label.setObjectName("connectionLabel")
        self.connection_label.setWordWrap(True)
        self.set_connection(ConnectionState.NOT_CONFIGURED)
        self.user_label = QLabel()
        self.user_label.setObjectName("userLabel")
        self.user_label.setWordWrap(True)

        self.entities_tile = _Tile(self.tr("本地缓存主体"))
        self.unsynced_tile = _Tile(self.tr("待同步变更"))
        self.last_sync_tile = _Tile(self.tr("最近一次同步"))
        self.audit_tile = _Tile(self.tr("审计日志记录"))
        tiles = QGridLayout()
        tiles.setSpacing(12)
        for column, tile in enumerate(
            (self.entities_tile, self.unsynced_tile, self.last_sync_tile, self.audit_tile)
        ):
            tiles.addWidget(tile, 0, column)

        self.lookup_button = QPushButton(self.tr("主体查询（Ctrl+F）"))
        self.lookup_button.clicked.connect(self.lookup_requested)
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.refresh_button.clicked.connect(self.refresh_commitments)
        buttons = QHBoxLayout()
        buttons.addWidget(self.lookup_button)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)

        # -- commitments that need attention ---------------------------------------------
        self.due_panel = CommitmentPanel(
            self.tr("{days}个工作日内到期的容缺承诺").format(days=DUE_WORKING_DAYS),
            self.tr("近期没有到期的容缺承诺。"),
        )
        self.received_button = QPushButton(self.tr("材料已补齐"))
        self.received_button.setToolTip(self.tr("登记所选容缺承诺的材料已全部收到"))
        self.received_button.setEnabled(False)
        self.due_panel.buttons.addWidget(self.received_button)
        self.overdue_panel = CommitmentPanel(self.tr("已逾期"), self.tr("没有逾期的承诺。"))
        self.verify_panel = CommitmentPanel(self.tr("待核查"), self.tr("没有待核查的承诺。"))
        self.commitment_panels = QWidget()
        panels = QHBoxLayout(self.commitment_panels)
        panels.setContentsMargins(0, 8, 0, 0)
        for panel in (self.due_panel, self.overdue_panel, self.verify_panel):
            panels.addWidget(panel, 1)
            panel.activated.connect(self.commitment_requested)
        self.commitment_panels.hide()
        self.commitment_message = InlineMessage()
        self.due_panel.view.selectionModel().selectionChanged.connect(
            lambda _s, _d: self._update_received_button()
        )
        self.received_button.clicked.connect(self.mark_selected_received)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.connection_label)
        layout.addWidget(self.user_label)
        layout.addLayout(tiles)
        layout.addLayout(buttons)
        layout.addWidget(self.commitment_message)
        layout.addWidget(self.commitment_panels)
        layout.addStretch(1)
        if services is not None and tasks is not None:
            self.set_services(services, tasks)

    def set_connection(self, state: ConnectionState, hint: str = "") -> None:
        """Show the connection state in the shared words (see :mod:`ui.connection`)."""
        self.connection_label.setText(
            self.tr("{state}。{hint}").format(
                state=state_text(state), hint=hint or state_hint(state)
            )
        )

    def set_user(self, name: str, confirmed: bool) -> None:
        """Show who the 经办人 on forms and letters is.

        Args:
            name: The name written as 经办人.
            confirmed: Whether a platform login named this person (else the computer's
                account stands in until the first login).
        """
        if confirmed:
            text = self.tr("经办人：{name}").format(name=name)
        else:
            text = self.tr("经办人：{name}（本机账户名；登录市级平台后将使用您的姓名）").format(
                name=name
            )
        self.user_label.setText(text)

    def set_status(self, status: StoreStatus) -> None:
        """Show a fresh snapshot of the store."""
        self.entities_tile.value_label.setText(f"{status.entities:,}")
        self.unsynced_tile.value_label.setText(f"{status.unsynced_changes:,}")
        self.last_sync_tile.value_label.setText(status.last_sync or self.tr("尚未同步"))
        self.audit_tile.value_label.setText(f"{status.audit_rows:,}")

    # -- commitments -----------------------------------------------------------------

    def set_services(self, services: AppServices, tasks: TaskManager) -> None:
        """Feed the commitment panels from ``services`` (through ``tasks``) and load them."""
        self._services = services
        self._tasks = tasks
        self.commitment_panels.show()
        self.refresh_commitments()

    def refresh_commitments(self) -> None:
        """Mark overdue 容缺受理, then reload the three panels; ``commitments_loaded`` after."""
        if self._services is None or self._tasks is None:
            return
        if self._loading:
            self._load_again = True  # a change arrived mid-load: load once more after
            return
        commitments = self._services.commitments

        def work() -> tuple[list[CommitmentView], list[CommitmentView], list[CommitmentView]]:
            commitments.refresh_overdue()
            return (
                commitments.due_soon(DUE_WORKING_DAYS),
                commitments.overdue(),
                commitments.to_verify(),
            )

        self._loading = True
        self._tasks.run_db(work, self._show_commitments, self._show_error, context=self)

    def _show_commitments(
        self, lists: tuple[list[CommitmentView], list[CommitmentView], list[CommitmentView]]
    ) -> None:
        self._loading = False
        due, overdue, to_verify = lists
        self.due_panel.set_rows(due)
        self.overdue_panel.set_rows(overdue)
        self.verify_panel.set_rows(to_verify)
        self._update_received_button()
        self.commitments_loaded.emit()
        if self._load_again:
            self._load_again = False
            self.refresh_commitments()

    def _update_received_button(self) -> None:
        self.received_button.setEnabled(self.due_panel.selected() is not None)

    def mark_selected_received(self) -> None:
        """材料已补齐: record every missing material of the selected due item as received."""
        view = self.due_panel.selected()
        if view is None or self._services is None or self._tasks is None:
            return
        commitments, record_id = self._services.commitments, view.record_id
        self.received_button.setEnabled(False)

        def done(changed: CommitmentView) -> None:
            self.commitment_message.show_message(
                self.tr("已登记“{name}”的材料全部补齐（{status}）。").format(
                    name=changed.entity_name, status=changed.status_label
                ),
                "success",
            )
            self.commitments_changed.emit()
            self.refresh_commitments()

        self._tasks.run_db(
            lambda: commitments.mark_received(record_id), done, self._show_error, context=self
        )

    def _show_error(self, exc: Exception) -> None:
        self._loading = False
        self._update_received_button()
        show_service_error(self.commitment_message, exc)
