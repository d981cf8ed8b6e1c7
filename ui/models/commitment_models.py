"""Table models of the 信用承诺 page and the 工作台 panels.

:class:`CommitmentTableModel` holds the immutable :class:`CommitmentView` rows the database
worker handed over (the service bounds a list to a few hundred rows, so no paging is needed);
:class:`CommitmentFilterModel` narrows them by status and text at once while a new search
runs on the worker, and sorts them. The small models of one commitment's materials and
history reuse :class:`~ui.models.sync_tables.RowsModel`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from desktop_app.domain.clock import china_today
from desktop_app.domain.commitments import (
    OPEN_STATUSES,
    STATUS_LABELS,
    CommitmentStatus,
    parse_status,
)
from desktop_app.domain.errors import DomainError
from desktop_app.services.commitments import CommitmentView, MissingMaterial
from ui.labels import domain_label
from ui.models.rows import RowsModel

Index = QModelIndex | QPersistentModelIndex

RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The commitment's record id, on every cell."""
VIEW_ROLE = Qt.ItemDataRole.UserRole + 2
"""The whole :class:`CommitmentView`, on every cell."""

COL_ENTITY, COL_USCC, COL_MATTER, COL_KIND, COL_STATUS, COL_SIGNED, COL_DEADLINE, COL_SYNC = range(
    8
)

OVERDUE_BACKGROUND = QColor("#fdecea")
OVERDUE_FOREGROUND = QColor("#8e1b1b")

translate = QCoreApplication.translate  # lupdate extracts translate("Context", "text")


def is_overdue(view: CommitmentView, today: date | None = None) -> bool:
    """Whether ``view`` is past its deadline without being fulfilled.

    True for the 逾期未履约 status, and for an open commitment whose deadline has passed but
    which the daily check has not marked yet.
    """
    if view.status is CommitmentStatus.OVERDUE:
        return True
    today = today or china_today()
    return view.status in OPEN_STATUSES and view.deadline is not None and view.deadline < today


def day_text(value: date | None) -> str:
    """A date as the window writes it, or a dash."""
    return value.isoformat() if value is not None else "—"


def sync_text(view: CommitmentView) -> str:
    """同步 column text."""
    return (
        translate("CommitmentModels", "已同步")
        if view.synced
        else translate("CommitmentModels", "待同步")
    )


def status_text(value: str) -> str:
    """The label of a status value from a history entry (the value itself when unknown)."""
    if not value:
        return "—"
    try:
        return STATUS_LABELS[parse_status(value)]
    except DomainError:
        return value


def time_text(value: str) -> str:
    """A history timestamp (local time, as the service writes it) to the minute."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


class CommitmentTableModel(RowsModel[CommitmentView]):
    """Commitments, one row each.

    Columns: 主体名称, 统一社会信用代码, 办理事项, 承诺类型, 状态, 签署日期, 履约期限, 同步.
    Overdue rows are tinted red. ``RECORD_ID_ROLE`` and ``VIEW_ROLE`` give each row's record
    id and view; ``Qt.UserRole`` is a sort key (ISO dates sort as text).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            (
                (translate("CommitmentModels", "主体名称"), lambda v: v.entity_name),
                (translate("CommitmentModels", "统一社会信用代码"), lambda v: v.uscc),
                (translate("CommitmentModels", "办理事项"), lambda v: v.matter),
                (translate("CommitmentModels", "承诺类型"), lambda v: domain_label(v.kind_label)),
                (translate("CommitmentModels", "状态"), lambda v: domain_label(v.status_label)),
                (translate("CommitmentModels", "签署日期"), lambda v: day_text(v.signed_on)),
                (translate("CommitmentModels", "履约期限"), lambda v: day_text(v.deadline)),
                (translate("CommitmentModels", "同步"), sync_text),
            ),
            parent,
            key=lambda v: v.record_id,
        )

    def view_at(self, row: int) -> CommitmentView | None:
        """The commitment on ``row``, or None."""
        return self.row_at(row)

    def sort_key(self, row: CommitmentView, column: int) -> Any:
        """ISO dates for the date columns (they sort as text), else the cell text."""
        if column in (COL_SIGNED, COL_DEADLINE):
            value = row.signed_on if column == COL_SIGNED else row.deadline
            return value.isoformat() if value is not None else ""
        return self.cell_text(row, column)

    def role_data(self, row: CommitmentView, column: int, role: int) -> Any:
        """The record id, the view, and the overdue tint."""
        if role == RECORD_ID_ROLE:
            return row.record_id
        if role == VIEW_ROLE:
            return row
        if role == Qt.ItemDataRole.BackgroundRole and is_overdue(row):
            return QBrush(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and is_overdue(row):
            return QBrush(OVERDUE_FOREGROUND)
        return None


class CommitmentFilterModel(QSortFilterProxyModel):
    """Sorts commitments and keeps those of one status whose texts contain a search text.

    The text matches, ignoring case, the entity's name and code, the matter, the applicant,
    the record id and the kind and status labels.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status: CommitmentStatus | None = None
        self._text = ""
        self.setSortRole(Qt.ItemDataRole.UserRole)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    @property
    def status(self) -> CommitmentStatus | None:
        """The status rows must have, or None for any."""
        return self._status

    @property
    def text(self) -> str:
        """The text rows must contain (already stripped and folded)."""
        return self._text

    def set_status(self, status: CommitmentStatus | None) -> None:
        """Keep only rows in ``status`` (None: every status)."""
        if status != self._status:
            self.beginFilterChange()
            self._status = status
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        """Keep only rows containing ``text`` (blank: every row)."""
        folded = "".join(text.split()).casefold()
        if folded != self._text:
            self.beginFilterChange()
            self._text = folded
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        """Whether a source row passes the status and text filters."""
        view = self.sourceModel().index(source_row, 0, source_parent).data(VIEW_ROLE)
        if not isinstance(view, CommitmentView):
            return False
        if self._status is not None and view.status is not self._status:
            return False
        if not self._text:
            return True
        haystack = "\n".join(
            (
                view.entity_name,
                view.uscc,
                view.matter,
                view.applicant_name,
                view.record_id,
                view.kind_label,
                view.status_label,
            )
        )
        return self._text in "".join(haystack.split(" ")).casefold()


def materials_model(parent: QObject | None = None) -> RowsModel[MissingMaterial]:
    """The missing materials of a 容缺受理 commitment, with their form and whether received."""
    return RowsModel[MissingMaterial](
        [
            (translate("CommitmentModels", "材料名称"), lambda m: m.name),
            (translate("CommitmentModels", "形式"), lambda m: m.form),
            (
                translate("CommitmentModels", "收到"),
                lambda m: (
                    translate("CommitmentModels", "✓ 已收到")
                    if m.received
                    else translate("CommitmentModels", "未收到")
                ),
            ),
        ],
        parent,
    )


def history_model(parent: QObject | None = None) -> RowsModel[dict[str, str]]:
    """The status changes of a commitment: when, from, to, who and why."""
    return RowsModel[dict[str, str]](
        [
            (
                translate("CommitmentModels", "时间"),
                lambda h: time_text(h.get("at", "")),
            ),
            (
                translate("CommitmentModels", "原状态"),
                lambda h: status_text(h.get("from", "")),
            ),
            (
                translate("CommitmentModels", "新状态"),
                lambda h: status_text(h.get("to", "")),
            ),
            (translate("CommitmentModels", "经办人"), lambda h: h.get("by", "")),
            (translate("CommitmentModels", "说明"), lambda h: h.get("note", "")),
        ],
        parent,
    )


def brief_model(parent: QObject | None = None) -> RowsModel[CommitmentView]:
    """A short list of commitments for the 工作台 panels: entity, contact, matter, deadline, status.

    The applicant and their phone: whom the clerk calls about missing materials or a check.
    """
    return RowsModel[CommitmentView](
        [
            (translate("CommitmentModels", "主体名称"), lambda v: v.entity_name),
            (
                translate("CommitmentModels", "联系人"),
                lambda v: " ".join(p for p in (v.applicant_name, v.applicant_phone) if p),
            ),
            (translate("CommitmentModels", "办理事项"), lambda v: v.matter),
            (
                translate("CommitmentModels", "履约期限"),
                lambda v: day_text(v.deadline),
            ),
            (
                translate("CommitmentModels", "状态"),
                lambda v: domain_label(v.status_label),
            ),
        ],
        parent,
    )
