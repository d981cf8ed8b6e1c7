"""The entity card: everything the 主体查询 page knows about one registered entity."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.entities import EntityCard, ListMembership

SELECTABLE = (
    Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
)

# Red list: commendation (green); serious dishonesty: sanction (red); key attention: warning.
LIST_COLOURS = {
    "red": ("#1b5e20", "#e8f5e9"),
    "serious_dishonesty": ("#b71c1c", "#ffebee"),
    "key_attention": ("#b35c00", "#fff3e0"),
}
_DEFAULT_COLOURS = ("#37474f", "#eceff1")


def _local_time(stamp: datetime) -> str:
    """The store keeps naive UTC times; staff read local time."""
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.astimezone().strftime("%Y-%m-%d %H:%M")


def _label(text: str = "", *, rich: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(SELECTABLE)
    label.setWordWrap(True)
    return label


class EntityCardWidget(QWidget):
    """Shows one :class:`EntityCard`, or a hint when nothing is selected.

    All text is selectable, so staff can copy a code or an address into another system.

    Signals:
        report_requested(int): The user asked for a credit report on the entity shown.
    """

    report_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entityCard")
        self._card: EntityCard | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)

        self._hint = QLabel(self.tr("在结果列表中选择一个主体，这里显示它的信用信息。"))
        self._hint.setWordWrap(True)
        self._hint.setObjectName("cardHint")
        layout.addWidget(self._hint)

        self._body = QWidget()
        body = QVBoxLayout(self._body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(10)
        self.name_label = _label()
        self.name_label.setObjectName("cardName")
        name_font = QFont(self.font())
        name_font.setPointSizeF(name_font.pointSizeF() * 1.6)
        name_font.setBold(True)
        self.name_label.setFont(name_font)
        body.addWidget(self.name_label)
        self.report_button = QPushButton(self.tr("出具信用报告…"))
        self.report_button.setToolTip(self.tr("为该主体出具公共信用信息报告（报告打印）"))
        self.report_button.clicked.connect(self._request_report)
        actions = QHBoxLayout()
        actions.addWidget(self.report_button)
        actions.addStretch(1)
        body.addLayout(actions)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._fields: dict[str, QLabel] = {}
        for key, title in (
            ("uscc", self.tr("统一社会信用代码")),
            ("authority", self.tr("登记管理部门")),
            ("category", self.tr("机构类别")),
            ("legal_representative", self.tr("法定代表人")),
            ("address", self.tr("住所")),
            ("region", self.tr("所属地区")),
            ("industry", self.tr("行业")),
            ("status", self.tr("登记状态")),
        ):
            self._fields[key] = _label()
            form.addRow(title + self.tr("："), self._fields[key])
        body.addLayout(form)

        lists_title = QLabel(self.tr("信用名单"))
        lists_title.setObjectName("sectionTitle")
        body.addWidget(lists_title)
        self._lists = QVBoxLayout()
        self._lists.setSpacing(6)
        body.addLayout(self._lists)

        self.grade_label = _label()
        self.grade_label.setObjectName("gradeLabel")
        body.addWidget(self.grade_label)
        self.warnings_label = _label()
        self.warnings_label.setObjectName("codeWarnings")
        self.warnings_label.setStyleSheet("color: #8a5300;")
        body.addWidget(self.warnings_label)
        self.meta_label = _label()
        self.meta_label.setStyleSheet("color: palette(mid);")
        body.addWidget(self.meta_label)
        body.addStretch(1)
        layout.addWidget(self._body)
        self.set_card(None)

    @property
    def card(self) -> EntityCard | None:
        """The card shown, if any."""
        return self._card

    def set_card(self, card: EntityCard | None) -> None:
        """Show ``card``; None shows the hint instead."""
        self._card = card
        self._hint.setVisible(card is None)
        self._body.setVisible(card is not None)
        if card is None:
            return
        self.name_label.setText(card.name)
        values = {
            "uscc": card.uscc,
            "authority": card.registration_authority,
            "category": card.entity_category,
            "legal_representative": card.legal_representative,
            "address": card.address,
            "region": card.region,
            "industry": card.industry,
            "status": card.status,
        }
        for key, value in values.items():
            self._fields[key].setText(value or self.tr("（未登记）"))
        self._show_lists(card.lists)
        grade = card.credit_grade or self.tr("暂无")
        self.grade_label.setText(
            self.tr("内部风险分类（仅供监管人员参阅）：{grade}").format(grade=grade)
        )
        self.warnings_label.setVisible(bool(card.code_warnings))
        self.warnings_label.setText("\n".join(card.code_warnings))
        self.meta_label.setText(
            self.tr("本地缓存更新于 {time}，数据版本 {version}").format(
                time=_local_time(card.updated_at), version=card.version
            )
        )

    def _request_report(self) -> None:
        if self._card is not None:
            self.report_requested.emit(self._card.id)

    def list_texts(self) -> list[str]:
        """Plain text of each list membership shown (for tests and accessibility)."""
        texts = []
        for i in range(self._lists.count()):
            item = self._lists.itemAt(i)
            widget = item.widget() if item is not None else None
            if isinstance(widget, QLabel):
                texts.append(widget.accessibleDescription())
        return texts

    def _show_lists(self, lists: tuple[ListMembership, ...]) -> None:
        while self._lists.count():
            item = self._lists.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if not lists:
            none = _label(self.tr("未列入守信激励、严重失信或重点关注名单。"))
            none.setAccessibleDescription(none.text())
            self._lists.addWidget(none)
            return
        for membership in lists:
            self._lists.addWidget(self._list_label(membership))

    def _list_label(self, membership: ListMembership) -> QLabel:
        fg, bg = LIST_COLOURS.get(membership.list_code, _DEFAULT_COLOURS)
        basis = self.tr("依据：{basis}").format(basis=membership.basis)
        since = self.tr("列入日期：{date}").format(date=membership.since)
        label = _label(
            f"<b>{html.escape(membership.list_name)}</b><br>{html.escape(basis)}<br>"
            f"{html.escape(since)}",
            rich=True,
        )
        label.setObjectName(f"list_{membership.list_code}")
        label.setFrameShape(QFrame.Shape.StyledPanel)
        label.setStyleSheet(
            f"QLabel {{ color: {fg}; background: {bg}; border-left: 4px solid {fg};"
            " padding: 6px 8px; }"
        )
        label.setAccessibleDescription(f"{membership.list_name} {basis} {since}")
        return label
