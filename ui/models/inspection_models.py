"""Table models of the 检查任务 page.

:class:`TaskTableModel` lists the inspector's cached tasks (a draw assigns tens, not
thousands, so rows are held whole); :class:`TaskFilterModel` narrows them by state and text.
:class:`AnswersModel` is the checklist being filled in: the result and the note of each item
are edited in place (the result through :class:`~ui.widgets.inspection_widgets.ResultDelegate`).
:class:`FindingsModel` holds the findings typed into the form before they are saved; the
small read-only tables (earlier results, list memberships) reuse
:class:`~ui.models.sync_tables.RowsModel`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from desktop_app.domain.clock import china_today
from desktop_app.domain.inspections import ITEM_RESULT_LABELS, ItemResult, Outcome
from desktop_app.services.entities import ListMembership
from desktop_app.services.inspections import (
    Checklist,
    FindingInput,
    InspectionView,
    ItemAnswer,
    PastResult,
    TaskView,
)
from ui.models.rows import RowsModel

Index = QModelIndex | QPersistentModelIndex

TASK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The task id, on every cell of the task list."""
TASK_ROLE = Qt.ItemDataRole.UserRole + 2
"""The whole :class:`TaskView`, on every cell of the task list."""

COL_DUE, COL_ENTITY, COL_USCC, COL_DRAW, COL_STATUS, COL_SYNC = range(6)
ANS_NO, ANS_ITEM, ANS_BASIS, ANS_RESULT, ANS_NOTE = range(5)

CONTEXT = "InspectionModels"
TASK_STATUS_LABELS = {
    "assigned": QT_TRANSLATE_NOOP("InspectionModels", "待检查"),
    "in_progress": QT_TRANSLATE_NOOP("InspectionModels", "检查中"),
    "done": QT_TRANSLATE_NOOP("InspectionModels", "已完成"),
}
SEVERITY_LABELS = {
    "minor": QT_TRANSLATE_NOOP("InspectionModels", "轻微"),
    "general": QT_TRANSLATE_NOOP("InspectionModels", "一般"),
    "serious": QT_TRANSLATE_NOOP("InspectionModels", "严重"),
}
RESULT_TEXTS = {
    ItemResult.PASS: QT_TRANSLATE_NOOP("InspectionModels", "合格"),
    ItemResult.FAIL: QT_TRANSLATE_NOOP("InspectionModels", "不合格"),
    ItemResult.NOT_APPLICABLE: QT_TRANSLATE_NOOP("InspectionModels", "不涉及"),
}
OUTCOME_TEXTS = {
    Outcome.NO_PROBLEM: QT_TRANSLATE_NOOP("InspectionModels", "未发现问题"),
    Outcome.RECTIFY: QT_TRANSLATE_NOOP("InspectionModels", "责令整改"),
    Outcome.WARNING: QT_TRANSLATE_NOOP("InspectionModels", "失信警示"),
    Outcome.REFERRAL: QT_TRANSLATE_NOOP("InspectionModels", "移送立案"),
}
INTERVIEW_TEXTS = {
    "reminder": QT_TRANSLATE_NOOP("InspectionModels", "提示约谈"),
    "warning": QT_TRANSLATE_NOOP("InspectionModels", "警示约谈"),
}

OVERDUE_BACKGROUND = QColor("#fdecea")
OVERDUE_FOREGROUND = QColor("#8e1b1b")
FAIL_FOREGROUND = QColor("#b71c1c")
UNANSWERED_BACKGROUND = QColor("#fff8e1")


def _tr(text: object) -> str:
    # For strings marked with QT_TRANSLATE_NOOP("InspectionModels", ...) where they are defined.
    return QCoreApplication.translate(CONTEXT, str(text))


def day_text(value: date | None) -> str:
    """A date as the page writes it, or a dash."""
    return value.isoformat() if value is not None else "—"


def task_status_text(status: str) -> str:
    """待检查 / 检查中 / 已完成 (the value itself when unknown)."""
    label = TASK_STATUS_LABELS.get(status)
    return _tr(label) if label else status


def severity_text(severity: str) -> str:
    """轻微 / 一般 / 严重 (the value itself when unknown)."""
    label = SEVERITY_LABELS.get(severity)
    return _tr(label) if label else severity


def result_text(result: ItemResult | None) -> str:
    """合格 / 不合格 / 不涉及, or 未填写 for an item not answered yet."""
    if result is None:
        return _tr(QT_TRANSLATE_NOOP("InspectionModels", "未填写"))
    label = RESULT_TEXTS.get(result)
    return _tr(label) if label else ITEM_RESULT_LABELS.get(result, str(result))


def outcome_text(outcome: Outcome) -> str:
    """未发现问题 / 责令整改 / 失信警示 / 移送立案."""
    return _tr(OUTCOME_TEXTS[outcome])


def interview_text(kind: str) -> str:
    """提示约谈 / 警示约谈 (the value itself when unknown)."""
    label = INTERVIEW_TEXTS.get(kind)
    return _tr(label) if label else kind


def is_task_overdue(task: TaskView, today: date | None = None) -> bool:
    """Whether an unfinished task is past its due date."""
    today = today or china_today()
    return task.status != "done" and task.due_on is not None and task.due_on < today


class TaskTableModel(RowsModel[TaskView]):
    """The inspector's tasks, one row each.

    Columns: 任务截止, 主体名称, 统一社会信用代码, 抽查批次, 状态, 同步. The 同步 column tells
    whether the task's results have reached the platform (a dash before there is one).
    Overdue unfinished tasks are tinted red. ``Qt.UserRole`` is a sort key.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            (
                (
                    _tr(QT_TRANSLATE_NOOP("InspectionModels", "任务截止")),
                    lambda t: day_text(t.due_on),
                ),
                (_tr(QT_TRANSLATE_NOOP("InspectionModels", "主体名称")), lambda t: t.entity_name),
                (_tr(QT_TRANSLATE_NOOP("InspectionModels", "统一社会信用代码")), lambda t: t.uscc),
                (_tr(QT_TRANSLATE_NOOP("InspectionModels", "抽查批次")), lambda t: t.draw_title),
                (
                    _tr(QT_TRANSLATE_NOOP("InspectionModels", "状态")),
                    lambda t: task_status_text(t.status),
                ),
                (_tr(QT_TRANSLATE_NOOP("InspectionModels", "同步")), self._sync_text),
            ),
            parent,
            key=lambda t: t.task_id,
        )
        self._synced: dict[str, bool] = {}

    def set_rows(self, rows: Sequence[TaskView], synced: Mapping[str, bool] | None = None) -> None:
        """Replace every row.

        Args:
            rows: The tasks, in the service's order.
            synced: For tasks with results, whether all of them are on the platform.
        """
        self._synced = dict(synced or {})
        super().set_rows(rows)

    def task_at(self, row: int) -> TaskView | None:
        """The task on ``row``, or None."""
        return self.row_at(row)

    def update_task(self, task: TaskView, synced: bool | None) -> None:
        """Show a changed task in place (after a save); unknown tasks are ignored."""
        if self.row_of(task.task_id) < 0:
            return
        if synced is None:
            self._synced.pop(task.task_id, None)
        else:
            self._synced[task.task_id] = synced
        self.replace(task)

    def sort_key(self, row: TaskView, column: int) -> Any:
        """The ISO due date (no date sorts last), else the cell text."""
        if column == COL_DUE:
            return row.due_on.isoformat() if row.due_on else "9999"
        return self.cell_text(row, column)

    def role_data(self, row: TaskView, column: int, role: int) -> Any:
        """The task id, the task, and the overdue tint."""
        if role == TASK_ID_ROLE:
            return row.task_id
        if role == TASK_ROLE:
            return row
        if role == Qt.ItemDataRole.BackgroundRole and is_task_overdue(row):
            return QBrush(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and is_task_overdue(row):
            return QBrush(OVERDUE_FOREGROUND)
        return None

    def _sync_text(self, task: TaskView) -> str:
        synced = self._synced.get(task.task_id)
        if synced is None:
            return "—"
        return (
            _tr(QT_TRANSLATE_NOOP("InspectionModels", "已同步"))
            if synced
            else _tr(QT_TRANSLATE_NOOP("InspectionModels", "待同步"))
        )


class TaskFilterModel(QSortFilterProxyModel):
    """Sorts tasks and keeps those of one state (待检查 or 已完成) containing a text.

    ``PENDING`` keeps tasks not done yet (待检查 and 检查中); ``DONE`` the finished ones.
    """

    ALL = ""
    PENDING = "pending"
    DONE = "done"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = self.ALL
        self._text = ""
        self.setSortRole(Qt.ItemDataRole.UserRole)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    @property
    def state(self) -> str:
        """``ALL``, ``PENDING`` or ``DONE``."""
        return self._state

    def set_state(self, state: str) -> None:
        """Keep only tasks in ``state`` (``ALL``: every task)."""
        if state != self._state:
            self.beginFilterChange()
            self._state = state
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        """Keep only tasks whose entity, code or draw contains ``text`` (blank: all)."""
        folded = "".join(text.split()).casefold()
        if folded != self._text:
            self.beginFilterChange()
            self._text = folded
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        """Whether a source row passes the state and text filters."""
        task = self.sourceModel().index(source_row, 0, source_parent).data(TASK_ROLE)
        if not isinstance(task, TaskView):
            return False
        if self._state == self.PENDING and task.status == "done":
            return False
        if self._state == self.DONE and task.status != "done":
            return False
        if not self._text:
            return True
        haystack = "".join(f"{task.entity_name}{task.uscc}{task.draw_title}".split())
        return self._text in haystack.casefold()


class AnswersModel(QAbstractTableModel):
    """The checklist being filled in: 序号, 检查事项, 依据, 结果, 说明.

    结果 and 说明 are editable. The result's ``Qt.EditRole`` is the :class:`ItemResult` value
    (an empty string for none); unanswered results are tinted amber and failed ones red.

    Signals:
        edited(): The inspector changed a result or a note.
    """

    edited = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._checklist: Checklist | None = None
        self._answers: list[ItemAnswer] = []
        self._headers = (
            _tr(QT_TRANSLATE_NOOP("InspectionModels", "序号")),
            _tr(QT_TRANSLATE_NOOP("InspectionModels", "检查事项")),
            _tr(QT_TRANSLATE_NOOP("InspectionModels", "依据")),
            _tr(QT_TRANSLATE_NOOP("InspectionModels", "结果")),
            _tr(QT_TRANSLATE_NOOP("InspectionModels", "说明")),
        )

    @property
    def checklist(self) -> Checklist | None:
        """The checklist shown, or None."""
        return self._checklist

    def set_checklist(
        self, checklist: Checklist | None, answers: Sequence[ItemAnswer] = ()
    ) -> None:
        """Show ``checklist`` with earlier ``answers`` (items not answered stay blank)."""
        given = {a.no: a for a in answers}
        self.beginResetModel()
        self._checklist = checklist
        items = checklist.items if checklist is not None else ()
        self._answers = [given.get(item.no, ItemAnswer(item.no, None, "")) for item in items]
        self.endResetModel()

    def answers(self) -> tuple[ItemAnswer, ...]:
        """Every item's answer, in checklist order (``result`` None where not answered)."""
        return tuple(self._answers)

    def set_all(self, result: ItemResult) -> None:
        """Answer every unanswered item with ``result`` (合格 for a clean inspection)."""
        for row, answer in enumerate(self._answers):
            if answer.result is None:
                self._answers[row] = replace(answer, result=result)
        if self._answers:
            self.dataChanged.emit(self.index(0, ANS_RESULT), self.index(len(self._answers) - 1, 4))
            self.edited.emit()

    def item_text(self, no: int) -> str:
        """``序号. 检查事项`` of item ``no`` (for the findings' links)."""
        if self._checklist is not None:
            for item in self._checklist.items:
                if item.no == no:
                    return f"{item.no}. {item.item}"
        return str(no)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Rows under the root (a table has no children)."""
        return 0 if parent.isValid() else len(self._answers)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Columns under the root."""
        return 0 if parent.isValid() else len(self._headers)

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Result and note cells are editable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (ANS_RESULT, ANS_NOTE):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, the result value to edit, alignment and tints."""
        if (
            not index.isValid()
            or self._checklist is None
            or not 0 <= index.row() < len(self._answers)
        ):
            return None
        item = self._checklist.items[index.row()]
        answer = self._answers[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.EditRole:
            if column == ANS_RESULT:
                return answer.result.value if answer.result is not None else ""
            if column == ANS_NOTE:
                return answer.note
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (
                str(item.no),
                item.item,
                item.legal_basis,
                result_text(answer.result),
                answer.note,
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (ANS_NO, ANS_RESULT):
            return int(Qt.AlignmentFlag.AlignCenter)
        if column == ANS_RESULT and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(UNANSWERED_BACKGROUND) if answer.result is None else None
        if column == ANS_RESULT and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(FAIL_FOREGROUND) if answer.result is ItemResult.FAIL else None
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Set a result (an :class:`ItemResult` or its value; blank clears) or a note."""
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or not 0 <= index.row() < len(self._answers)
            or index.column() not in (ANS_RESULT, ANS_NOTE)
        ):
            return False
        answer = self._answers[index.row()]
        if index.column() == ANS_RESULT:
            if value in (None, ""):
                result: ItemResult | None = None
            else:
                try:
                    result = ItemResult(value)
                except ValueError:
                    return False
            changed = replace(answer, result=result)
        else:
            changed = replace(answer, note=str(value or "").strip())
        if changed == answer:
            return True
        self._answers[index.row()] = changed
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None


class FindingsModel(RowsModel[FindingInput]):
    """The findings typed into the form: 问题描述, 程度, 关联检查事项.

    Args:
        answers: The checklist model, which names the linked items.
    """

    def __init__(self, answers: AnswersModel, parent: QObject | None = None) -> None:
        super().__init__(
            [
                (_tr(QT_TRANSLATE_NOOP("InspectionModels", "问题描述")), lambda f: f.description),
                (
                    _tr(QT_TRANSLATE_NOOP("InspectionModels", "程度")),
                    lambda f: severity_text(f.severity),
                ),
                (
                    _tr(QT_TRANSLATE_NOOP("InspectionModels", "关联检查事项")),
                    lambda f: answers.item_text(f.item_no) if f.item_no is not None else "—",
                ),
            ],
            parent,
        )

    def findings(self) -> tuple[FindingInput, ...]:
        """Every finding, in the order added."""
        return tuple(self._rows)

    def add(self, finding: FindingInput) -> int:
        """Append ``finding``; returns its row."""
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(finding)
        self.endInsertRows()
        return row

    def remove(self, row: int) -> bool:
        """Remove the finding on ``row``; False when there is none."""
        if not 0 <= row < len(self._rows):
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        return True


def past_results_model(parent: QObject | None = None) -> RowsModel[PastResult]:
    """Earlier inspection results of the entity: date, outcome, conclusion, rectification."""
    return RowsModel[PastResult](
        [
            (_tr(QT_TRANSLATE_NOOP("InspectionModels", "检查日期")), lambda p: p.inspected_on),
            (_tr(QT_TRANSLATE_NOOP("InspectionModels", "处理结果")), lambda p: p.outcome_label),
            (_tr(QT_TRANSLATE_NOOP("InspectionModels", "检查结论")), lambda p: p.conclusion),
            (
                _tr(QT_TRANSLATE_NOOP("InspectionModels", "整改期限")),
                lambda p: p.rectify_deadline or "—",
            ),
            (
                _tr(QT_TRANSLATE_NOOP("InspectionModels", "整改情况")),
                lambda p: (
                    _tr(QT_TRANSLATE_NOOP("InspectionModels", "整改中"))
                    if p.open_rectification
                    else "—"
                ),
            ),
        ],
        parent,
    )


def lists_model(parent: QObject | None = None) -> RowsModel[ListMembership]:
    """The lists the entity is on, with the basis and the measures they imply."""
    return RowsModel[ListMembership](
        [
            (_tr(QT_TRANSLATE_NOOP("InspectionModels", "名单")), lambda m: m.list_name),
            (_tr(QT_TRANSLATE_NOOP("InspectionModels", "列入日期")), lambda m: m.since or "—"),
            (_tr(QT_TRANSLATE_NOOP("InspectionModels", "认定依据")), lambda m: m.basis),
            (
                _tr(QT_TRANSLATE_NOOP("InspectionModels", "相应措施")),
                lambda m: "；".join(m.measures) or "—",
            ),
        ],
        parent,
    )


def unpublished_model(parent: QObject | None = None) -> RowsModel[InspectionView]:
    """Results on the platform that should be public but are not yet (未公开)."""
    return RowsModel[InspectionView](
        [
            (
                _tr(QT_TRANSLATE_NOOP("InspectionModels", "检查日期")),
                lambda v: v.inspected_on.isoformat(),
            ),
            (_tr(QT_TRANSLATE_NOOP("InspectionModels", "主体名称")), lambda v: v.entity_name),
            (_tr(QT_TRANSLATE_NOOP("InspectionModels", "处理结果")), lambda v: v.outcome_label),
        ],
        parent,
    )
