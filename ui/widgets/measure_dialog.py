"""联合奖惩反馈: record what was done about each measure the credit check calls for.

Opened from the entity card (主体查询). One row per measure of the lists the entity is on: the
clerk chooses 已实施 or 不适用 (with the reason) for those the case touched and saves; each
choice is a ``measure_feedback`` form, kept offline and synced once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.records import MeasureOutcome
from desktop_app.services.app import AppServices
from desktop_app.services.measures import MeasureChoice
from ui.error_text import error_text
from ui.taskman import TaskManager
from ui.widgets.message_box import InlineMessage

__all__ = ["MeasureDialog"]

COL_LIST, COL_MEASURE, COL_OUTCOME, COL_REASON, COL_TODAY = range(5)


class MeasureDialog(QDialog):
    """记录联合奖惩措施实施情况 for one entity.

    Signals:
        saved(int): How many feedback forms were saved.
    """

    saved = Signal(int)

    def __init__(
        self,
        services: AppServices,
        tasks: TaskManager,
        uscc: str,
        name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._measures = services.measures
        self._tasks = tasks
        self.uscc = uscc
        self._choices: list[MeasureChoice] = []
        self.setWindowTitle(self.tr("记录联合奖惩措施实施情况"))
        intro = QLabel(
            self.tr(
                "{name}：以下为其所在名单规定的措施。请对本次办理涉及的措施选择“已实施”或"
                "“不适用”（须写明理由），未涉及的保持“未记录”。记录保存在本机，联网后同步。"
            ).format(name=name)
        )
        intro.setWordWrap(True)
        self.matter_edit = QLineEdit()
        self.matter_edit.setPlaceholderText(self.tr("本次办理的事项，例如 食品经营许可（可不填）"))
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("measureTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("名单"),
                self.tr("措施"),
                self.tr("实施情况"),
                self.tr("不适用的理由"),
                self.tr("今日已记录"),
            ]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_MEASURE, QHeaderView.ResizeMode.Stretch)
        self.message = InlineMessage()
        self.save_button = QPushButton(self.tr("保存（Ctrl+Enter）"))
        self.save_button.setDefault(True)
        close = QPushButton(self.tr("关闭"))
        matter_row = QHBoxLayout()
        matter_row.addWidget(QLabel(self.tr("办理事项：")))
        matter_row.addWidget(self.matter_edit, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(matter_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(860, 460)
        close.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.save)
        self.load()

    def _label(self, outcome: str) -> str:
        labels = {
            MeasureOutcome.APPLIED.value: self.tr("已实施"),
            MeasureOutcome.NOT_APPLICABLE.value: self.tr("不适用"),
        }
        return labels.get(outcome, "")

    def load(self) -> None:
        """Read the measures on the database worker."""
        measures, uscc = self._measures, self.uscc
        self._tasks.run_db(lambda: measures.choices(uscc), self._show, self._failed, context=self)

    def _show(self, choices: list[MeasureChoice]) -> None:
        self._choices = choices
        self.table.setRowCount(len(choices))
        for row, c in enumerate(choices):
            self.table.setItem(row, COL_LIST, QTableWidgetItem(f"{c.list_name}（{c.category}）"))
            measure = QTableWidgetItem(c.measure)
            measure.setToolTip(c.measure)
            self.table.setItem(row, COL_MEASURE, measure)
            combo = QComboBox()
            combo.addItem(self.tr("未记录"), "")
            combo.addItem(self.tr("已实施"), MeasureOutcome.APPLIED.value)
            combo.addItem(self.tr("不适用"), MeasureOutcome.NOT_APPLICABLE.value)
            self.table.setCellWidget(row, COL_OUTCOME, combo)
            reason = QLineEdit()
            reason.setPlaceholderText(self.tr("不适用时必填"))
            self.table.setCellWidget(row, COL_REASON, reason)
            today = QTableWidgetItem(self._label(c.recorded_today))
            today.setFlags(today.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, COL_TODAY, today)
        if not choices:
            self.message.show_message(self.tr("该主体当前不在任何规定措施的名单内。"), "info")

    def set_row(self, row: int, outcome: str, reason: str = "") -> None:
        """Choose ``outcome`` (and type ``reason``) on ``row`` (keyboard users and tests)."""
        combo = self.table.cellWidget(row, COL_OUTCOME)
        edit = self.table.cellWidget(row, COL_REASON)
        assert isinstance(combo, QComboBox)
        assert isinstance(edit, QLineEdit)
        combo.setCurrentIndex(max(combo.findData(outcome), 0))
        edit.setText(reason)

    def _chosen(self) -> list[tuple[MeasureChoice, str, str]]:
        out = []
        for row, choice in enumerate(self._choices):
            combo = self.table.cellWidget(row, COL_OUTCOME)
            edit = self.table.cellWidget(row, COL_REASON)
            if isinstance(combo, QComboBox) and combo.currentData():
                reason = edit.text() if isinstance(edit, QLineEdit) else ""
                out.append((choice, str(combo.currentData()), reason))
        return out

    def save(self) -> None:
        """Save every row given an outcome, in one unit of work (a refusal saves none)."""
        chosen = self._chosen()
        if not chosen:
            self.message.show_message(self.tr("请至少为一项措施选择实施情况。"), "error")
            return
        measures, uscc, matter = self._measures, self.uscc, self.matter_edit.text()
        self.save_button.setEnabled(False)

        def work() -> int:
            items = [(choice, outcome, reason) for choice, outcome, reason in chosen]
            return len(measures.record_many(uscc, items, matter))  # all or none

        def done(count: int) -> None:
            self.save_button.setEnabled(True)
            self.saved.emit(count)
            self.message.show_message(
                self.tr("已记录 {count} 项措施的实施情况，联网后同步到平台。").format(count=count),
                "success",
            )
            self.load()

        self._tasks.run_db(work, done, self._failed, context=self)

    def _failed(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        self.message.show_message(error_text(exc), "error")
