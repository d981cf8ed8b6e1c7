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

from desktop_app.domain.window_rules import ToleranceEligibility
from desktop_app.services.entities import (
    CommitmentSummary,
    EntityCard,
    ListMembership,
)

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


def _person(name: str, id_masked: str) -> str:
    if name and id_masked:
        return f"{name}（{id_masked}）"
    return name


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
        commitment_requested(str): The user wants to take a commitment from the entity (USCC).
        measures_requested(str, str): Record what was done about the list measures (USCC,
            name); the button shows only when a list in force calls for measures.
    """

    report_requested = Signal(int)
    commitment_requested = Signal(str)
    measures_requested = Signal(str, str)

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
        self.commitment_button = QPushButton(self.tr("新建承诺…"))
        self.commitment_button.setToolTip(self.tr("为该主体办理告知承诺或容缺受理（信用承诺）"))
        self.commitment_button.clicked.connect(self._request_commitment)
        self.measures_button = QPushButton(self.tr("记录措施实施…"))
        self.measures_button.setObjectName("measuresButton")
        self.measures_button.setToolTip(
            self.tr("记录对名单规定的激励或惩戒措施的实施情况（联合奖惩反馈）")
        )
        self.measures_button.clicked.connect(self._request_measures)
        actions = QHBoxLayout()
        actions.addWidget(self.commitment_button)
        actions.addWidget(self.report_button)
        actions.addWidget(self.measures_button)
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
            ("principal", self.tr("主要负责人")),
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

        self.tolerance_label = _label(rich=True)
        self.tolerance_label.setObjectName("toleranceLabel")
        body.addWidget(self.tolerance_label)

        commitments_title = QLabel(self.tr("信用承诺"))
        commitments_title.setObjectName("sectionTitle")
        body.addWidget(commitments_title)
        self.commitments_label = _label(rich=True)
        self.commitments_label.setObjectName("commitmentsLabel")
        body.addWidget(self.commitments_label)

        warnings_title = QLabel(self.tr("失信记录、警示和约谈"))
        warnings_title.setObjectName("sectionTitle")
        body.addWidget(warnings_title)
        self.alerts_label = _label(rich=True)
        self.alerts_label.setObjectName("alertsLabel")
        body.addWidget(self.alerts_label)
        scope = QLabel(
            self.tr("以上为全市各部门、各服务大厅依规可公示的信用记录（一处失信、处处受限）。")
        )
        scope.setWordWrap(True)
        scope.setStyleSheet("color: palette(mid);")
        body.addWidget(scope)
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
            "legal_representative": _person(
                card.legal_representative, card.legal_representative_id
            ),
            "principal": _person(card.principal, card.principal_id),
            "address": card.address,
            "region": card.region,
            "industry": card.industry,
            "status": card.status,
        }
        for key, value in values.items():
            self._fields[key].setText(value or self.tr("（未登记）"))
        self._show_lists(card.lists)
        self.measures_button.setVisible(any(m.measures for m in card.lists))
        self._show_tolerance(card.tolerance)
        self._show_commitments(card.commitments)
        self._show_warnings(card)
        self.warnings_label.setVisible(bool(card.code_warnings))
        self.warnings_label.setText("\n".join(card.code_warnings))
        self.meta_label.setText(
            self.tr("本地缓存更新于 {time}，数据版本 {version}").format(
                time=_local_time(card.updated_at), version=card.version
            )
        )

    def _show_tolerance(self, verdict: ToleranceEligibility | None) -> None:
        self.tolerance_label.setVisible(verdict is not None)
        if verdict is None:
            return
        if verdict.allowed:
            fg, bg = "#1b5e20", "#e8f5e9"
            head = self.tr("可以适用容缺受理")
            lines = verdict.cautions
        else:
            fg, bg = "#b71c1c", "#ffebee"
            head = self.tr("不可适用容缺受理")
            lines = verdict.reasons + verdict.cautions
        body = "".join(f"<br>· {html.escape(line)}" for line in lines)
        self.tolerance_label.setText(f"<b>{html.escape(head)}</b>{body}")
        self.tolerance_label.setStyleSheet(
            f"QLabel {{ color: {fg}; background: {bg}; border-left: 4px solid {fg};"
            " padding: 6px 8px; }"
        )
        self.tolerance_label.setAccessibleDescription(" ".join((head, *lines)))

    def _show_commitments(self, commitments: tuple[CommitmentSummary, ...]) -> None:
        if not commitments:
            self.commitments_label.setText(html.escape(self.tr("暂无信用承诺记录。")))
            return
        rows = []
        for c in commitments:
            colour = "#b71c1c" if c.is_breach else "#0d47a1" if c.is_open else "#37474f"
            when = c.signed_on or self.tr("未签署")
            due = self.tr("，期限 {date}").format(date=c.deadline) if c.deadline else ""
            where = c.authority or ""
            if c.here:
                where = self.tr("本厅") + (f" · {where}" if where else "")
            mark = self._mark(c.mark)
            rows.append(
                f"<span style='color:{colour}'>● <b>{html.escape(c.status_label)}</b></span>"
                f"{mark} {html.escape(c.kind_label)} · {html.escape(c.matter)} "
                f"<span style='color:#607d8b'>（{html.escape(when)}{html.escape(due)}"
                f"{html.escape('，' + where if where else '')}）</span>"
            )
        self.commitments_label.setText("<br>".join(rows))

    def _mark(self, mark: str) -> str:
        """A record's 异议处理中 / 信用修复办理中 mark as rich text ("" for none)."""
        if not mark:
            return ""
        marks = {"异议处理中": self.tr("异议处理中"), "信用修复办理中": self.tr("信用修复办理中")}
        return f" <b style='color:#e65100'>{html.escape(marks.get(mark, mark))}</b>"

    def _show_warnings(self, card: EntityCard) -> None:
        if not card.warnings and not card.records:
            self.alerts_label.setText(html.escape(self.tr("暂无公示期内的失信记录、警示或约谈。")))
            return
        rows = []
        for r in card.records:
            colour = "#b71c1c" if r.kind == "dishonesty" else "#37474f"
            severity = f"（{r.severity}）" if r.severity else ""
            until = self.tr("公示至 {date}").format(date=r.shown_until) if r.shown_until else ""
            mark = self._mark(r.mark)
            rows.append(
                f"<span style='color:{colour}'>● <b>{html.escape(r.title + severity)}</b></span>"
                f"{mark} {html.escape(r.decided_on)} {html.escape(r.authority)} "
                f"<span style='color:#607d8b'>{html.escape(until)}</span>"
            )
        for w in card.warnings:
            due = (
                self.tr("（整改期限 {date}）").format(date=w.rectify_deadline)
                if w.rectify_deadline
                else ""
            )
            mark = self._mark(w.mark)
            rows.append(
                f"● <b>{html.escape(self.tr('失信警示'))}</b>{mark} {html.escape(w.issued_on)} "
                f"{html.escape(w.content)}{html.escape(due)}"
            )
        self.alerts_label.setText("<br>".join(rows))

    def _request_commitment(self) -> None:
        if self._card is not None:
            self.commitment_requested.emit(self._card.uscc)

    def _request_measures(self) -> None:
        if self._card is not None:
            self.measures_requested.emit(self._card.uscc, self._card.name)

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
        if membership.decided_by:
            since += self.tr("（{authority}认定）").format(authority=membership.decided_by)
        title = membership.list_name
        if membership.category:
            title = f"{membership.category} · {title}"
        measures = "".join(f"<br>· {html.escape(m)}" for m in membership.measures)
        label = _label(
            f"<b>{html.escape(title)}</b><br>{html.escape(basis)}<br>"
            f"{html.escape(since)}{measures}",
            rich=True,
        )
        label.setObjectName(f"list_{membership.list_code}")
        label.setFrameShape(QFrame.Shape.StyledPanel)
        label.setStyleSheet(
            f"QLabel {{ color: {fg}; background: {bg}; border-left: 4px solid {fg};"
            " padding: 6px 8px; }"
        )
        label.setAccessibleDescription(
            " ".join((membership.list_name, basis, since, *membership.measures))
        )
        return label
