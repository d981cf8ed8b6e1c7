"""主体查询: find an entity by code, name or pasted licence text, and show its card."""

from __future__ import annotations

import time
from functools import partial

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.app import AppServices
from desktop_app.services.entities import EntityCard, LookupResult
from desktop_app.services.errors import ServiceError
from ui.error_text import error_text, show_service_error
from ui.models.entity_results import EntityResultsModel
from ui.taskman import TaskManager
from ui.widgets.entity_card import EntityCardWidget
from ui.widgets.measure_dialog import MeasureDialog
from ui.widgets.message_box import InlineMessage

SEARCH_DEBOUNCE_MS = 300
PURPOSES = ("行政审批受理", "容缺受理审查", "告知承诺审查", "出具信用报告", "日常监管", "咨询答复")
"""查询事由: why a clerk looks an entity up (kept with each credit check in the audit log)."""
SELECTION_DEBOUNCE_MS = 150


class LookupPage(QWidget):
    """The 主体查询 page: a search box, the result table and the entity card.

    Every lookup and card load runs on the task manager's database worker; answers to an
    older query than the latest are dropped.

    Signals:
        search_finished(object): A :class:`LookupResult` was shown.
        card_shown(int): The card of this entity id is on screen.
        changed: The page wrote something that sync will push (a USCC override).
        report_requested(object): The card's 出具信用报告 was clicked (its ``EntityCard``).
        commitment_requested(str): The card's 新建承诺 was clicked (the entity's USCC).
    """

    search_finished = Signal(object)
    card_shown = Signal(int)
    changed = Signal()
    report_requested = Signal(object)
    commitment_requested = Signal(str)

    def __init__(
        self, services: AppServices, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._lookup = services.lookup
        self._services = services
        self._tasks = tasks
        self._query_seq = 0
        self._card_target: int | None = None
        self._results_stale = False  # a commit changed the cache after the last lookup
        self.last_result: LookupResult | None = None
        # Most name matches to list; None leaves the service's default (5,000).
        self.result_limit: int | None = None
        self.override_dialog: QInputDialog | None = None

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setPlaceholderText(
            self.tr("输入统一社会信用代码、名称，或粘贴营业执照二维码内容")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_button = QPushButton(self.tr("查询"))
        self.person_button = QPushButton(self.tr("查人员(&P)"))
        self.person_button.setObjectName("personButton")
        self.person_button.setCheckable(True)
        self.person_button.setToolTip(
            self.tr(
                "按法定代表人或主要负责人查询其名下的市场主体：输入姓名，"
                "可加身份证号（仅按脱敏号码比对，不保存完整号码）"
            )
        )
        self.purpose_combo = QComboBox()
        self.purpose_combo.setObjectName("purposeCombo")
        self.purpose_combo.setToolTip(self.tr("查询事由：每次信用核查都记入审计日志"))
        shown = (
            self.tr("行政审批受理"),
            self.tr("容缺受理审查"),
            self.tr("告知承诺审查"),
            self.tr("出具信用报告"),
            self.tr("日常监管"),
            self.tr("咨询答复"),
        )
        for text, purpose in zip(shown, PURPOSES, strict=True):
            self.purpose_combo.addItem(text, purpose)
        search_row = QHBoxLayout()
        search_row.addWidget(self.person_button)
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(QLabel(self.tr("查询事由：")))
        search_row.addWidget(self.purpose_combo)
        search_row.addWidget(self.search_button)

        self.message = InlineMessage()
        self.message.setObjectName("lookupMessage")
        self.override_button = QPushButton(self.tr("仍然使用（需填写理由）"))
        self.override_button.hide()
        message_row = QHBoxLayout()
        message_row.addWidget(self.message, 1)
        message_row.addWidget(self.override_button, 0, Qt.AlignmentFlag.AlignTop)

        self.status_label = QLabel()
        self.status_label.setObjectName("lookupStatus")

        self.model = EntityResultsModel(services.lookup, tasks, self)
        self.table = QTableView()
        self.table.setObjectName("resultsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self._size_columns()

        self.card = EntityCardWidget()
        self.card.report_requested.connect(lambda _id: self.report_requested.emit(self.card.card))
        self.card.commitment_requested.connect(self.commitment_requested)
        self.card.measures_requested.connect(self.open_measures)
        card_scroll = QScrollArea()
        card_scroll.setWidgetResizable(True)
        card_scroll.setWidget(self.card)
        card_scroll.setMinimumWidth(360)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(card_scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([860, 440])

        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addLayout(message_row)
        layout.addWidget(self.status_label)
        layout.addWidget(splitter, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.search)
        self._selection_timer = QTimer(self)
        self._selection_timer.setSingleShot(True)
        self._selection_timer.setInterval(SELECTION_DEBOUNCE_MS)
        self._selection_timer.timeout.connect(self._load_selected_card)

        self.search_edit.textEdited.connect(lambda _text: self._debounce.start())
        self.search_edit.returnPressed.connect(self.search)
        self.search_button.clicked.connect(self.search)
        self.person_button.toggled.connect(self._on_person_mode)
        self.override_button.clicked.connect(self._ask_override_reason)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

    def _on_person_mode(self, on: bool) -> None:
        self.search_edit.setPlaceholderText(
            self.tr("输入法定代表人或主要负责人的姓名，可加身份证号，例如：张三 140403199001011234")
            if on
            else self.tr("输入统一社会信用代码、名称，或粘贴营业执照二维码内容")
        )
        self.focus_search()
        if self.search_edit.text().strip():
            self.search()

    def open_measures(self, uscc: str, name: str) -> MeasureDialog:
        """The 联合奖惩反馈 form for the entity on the card (modeless)."""
        dialog = MeasureDialog(self._services, self._tasks, uscc, name, self)
        dialog.saved.connect(lambda _n: self.changed.emit())
        self.measure_dialog = dialog
        dialog.show()
        return dialog

    def focus_search(self) -> None:
        """Put the cursor in the search box, with its text selected for retyping."""
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def search(self) -> None:
        """Look up the search box's text on the database worker."""
        self._debounce.stop()
        self._results_stale = False
        self._query_seq += 1
        seq = self._query_seq
        query = self.search_edit.text()
        lookup = self._lookup
        limit = self.result_limit
        person = self.person_button.isChecked()

        def job() -> tuple[LookupResult, float]:
            started = time.perf_counter()
            if person:
                result = lookup.lookup_person(query)
            elif limit is None:
                result = lookup.lookup(query)
            else:
                result = lookup.lookup(query, limit)
            return result, time.perf_counter() - started

        self.status_label.setText(self.tr("正在查询…"))
        self._tasks.run_db(job, partial(self._on_result, seq), context=self)

    def cache_changed(self) -> None:
        """A commit changed the entity cache: the results on screen may predate it."""
        self._results_stale = True

    def data_changed(self) -> None:
        """The entity cache changed under the page (a sync or an import) and has settled.

        Results looked up before the change are looked up again, unless the clerk is on a row
        or a card: a card is not reloaded by itself (each load is an audited view the clerk
        did not ask for) and a selection is not pulled away, so the page says it may be stale.
        """
        if not self._results_stale:
            return  # looked up after the change: the list already shows it
        self._results_stale = False
        if self.last_result is None or self.last_result.kind == "empty":
            return
        if self._card_target is not None or self._selected_row() is not None:
            self.message.show_message(
                self.tr("本地缓存已更新（同步或导入）。请重新查询以查看该主体的最新信用信息。"),
                "info",
            )
            return
        self.search()

    def _on_result(self, seq: int, outcome: tuple[LookupResult, float]) -> None:
        if seq != self._query_seq:
            return  # the user typed on; a newer query is on its way
        result, elapsed = outcome
        self.last_result = result
        self.message.clear_message()
        self.override_button.hide()
        self._selection_timer.stop()
        self._card_target = None
        self.card.set_card(None)
        self.model.set_ids(result.ids)
        took = self.tr("用时 {ms} 毫秒").format(ms=max(1, round(elapsed * 1000)))
        if result.kind == "empty":
            self.status_label.clear()
        elif result.kind == "name":
            self._show_name_result(result, took)
        elif result.kind == "person":
            self._show_person_result(result, took)
        else:
            self._show_code_result(result, took)
        self.search_finished.emit(result)

    def _show_name_result(self, result: LookupResult, took: str) -> None:
        count = self.tr("共 {count} 条").format(count=len(result.ids))
        parts = [count]
        if result.truncated:
            parts.append(
                self.tr("仅显示前 {limit} 条，请输入更完整的名称").format(limit=len(result.ids))
            )
        parts.append(took)
        self.status_label.setText(self.tr("，").join(parts))
        if not result.ids:
            self.message.show_message(
                self.tr("本地缓存中没有名称包含“{query}”的主体。").format(query=result.query),
                "info",
            )

    def _show_person_result(self, result: LookupResult, took: str) -> None:
        self.status_label.setText(
            self.tr("法定代表人或主要负责人“{person}”名下的主体：共 {count} 户，{took}").format(
                person=result.query, count=len(result.ids), took=took
            )
        )
        if result.problems:
            self.message.show_message("\n".join(result.problems), "error")
        elif not result.ids:
            self.message.show_message(
                self.tr(
                    "本地缓存中没有法定代表人或主要负责人为“{person}”的主体。"
                    "同名不同人时请加身份证号查询。"
                ).format(person=result.query),
                "info",
            )

    def _show_code_result(self, result: LookupResult, took: str) -> None:
        self.status_label.setText(
            self.tr("统一社会信用代码 {code}，{took}").format(code=result.code or "", took=took)
        )
        if result.kind == "invalid_uscc":
            lines = [self.tr("该统一社会信用代码有误：")]
            lines += [f"• {problem}" for problem in result.problems]
            lines += [f"• {warning}" for warning in result.warnings]
            self.message.show_message("\n".join(lines), "error")
            self.override_button.setVisible(result.overridable)
        elif not result.ids:
            lines = [self.tr("本地缓存中没有该主体，请同步后重试。")]
            lines += list(result.warnings)
            self.message.show_message("\n".join(lines), "info")
        elif result.warnings:
            self.message.show_message("\n".join(result.warnings), "warning")
        if len(result.ids) == 1:
            self._card_target = result.ids[0]
            self.table.selectRow(0)
            self._load_card(result.ids[0])

    # -- entity card --------------------------------------------------------------------

    def _on_selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        if selected.indexes():
            self._selection_timer.start()

    def _selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _load_selected_card(self) -> None:
        row = self._selected_row()
        if row is None or row >= self.model.rowCount():
            return
        entity_id = self.model.entity_id(row)
        if entity_id != self._card_target:
            self._load_card(entity_id)

    def _load_card(self, entity_id: int) -> None:
        """Fetch the card of ``entity_id`` (an audited view) on the database worker."""
        self._card_target = entity_id
        lookup = self._lookup
        purpose = str(self.purpose_combo.currentData() or "")
        self._tasks.run_db(
            lambda: lookup.card(entity_id, purpose),
            self._on_card,
            partial(self._on_card_error, entity_id),
            context=self,
        )

    def _on_card(self, card: EntityCard) -> None:
        if card.id != self._card_target:
            return
        self.card.set_card(card)
        self.card_shown.emit(card.id)

    def _on_card_error(self, entity_id: int, exc: Exception) -> None:
        if not isinstance(exc, ServiceError):
            raise exc
        if entity_id == self._card_target:
            self.message.show_message(error_text(exc), "error")

    # -- USCC override ------------------------------------------------------------------

    def _ask_override_reason(self) -> None:
        result = self.last_result
        if result is None or result.code is None:
            return
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("例外使用统一社会信用代码"))
        dialog.setLabelText(
            self.tr(
                "代码 {code} 的校验码与其余各位不符。\n"
                "如已与营业执照原件核对一致，请填写仍然使用的理由（将记入审计日志并上报）："
            ).format(code=result.code)
        )
        dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
        dialog.setOkButtonText(self.tr("确认使用"))
        dialog.setCancelButtonText(self.tr("取消"))
        dialog.textValueSelected.connect(partial(self._record_override, result.code))
        dialog.finished.connect(dialog.deleteLater)
        self.override_dialog = dialog
        dialog.open()

    def _record_override(self, code: str, reason: str) -> None:
        lookup = self._lookup
        self._tasks.run_db(
            lambda: lookup.record_uscc_override(code, reason),
            self._on_override_recorded,
            self._on_override_error,
            context=self,
        )

    def _on_override_recorded(self, code: str) -> None:
        self.override_button.hide()
        self.message.show_message(
            self.tr("已记录例外使用代码 {code}，理由已存档，将在同步时上报。").format(code=code),
            "success",
        )
        self.changed.emit()

    def _on_override_error(self, exc: Exception) -> None:
        show_service_error(self.message, exc)

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        # Fixed widths: ResizeToContents would read every row and so fetch every page.
        widths = {
            0: metrics.horizontalAdvance("91140403MA0000000XW") + 16,
            2: metrics.horizontalAdvance("法定代表人") + 24,
            3: metrics.horizontalAdvance("山西省长治市长治县（已撤销）") + 16,
            4: metrics.horizontalAdvance("登记状态") + 24,
        }
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in widths.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            header.resizeSection(column, max(width, metrics.horizontalAdvance(title) + 24))
        # The name takes whatever room is left; the others keep their widths.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(metrics.horizontalAdvance("名称") + 24)
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 10)
