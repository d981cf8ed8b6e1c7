"""Dialogs of the 信用承诺 page: a new commitment, and a finding (breach, false, withdrawal).

Both are opened with ``open()`` and report through signals. The new-commitment form does its
store work on the database worker and shows the service's message next to the form when it
refuses the input; the service saves nothing half-way, so the form can simply be corrected
and submitted again. The form stays editable while it saves: what is typed after the save
began stays in the form, marked unsaved. Every edit is kept as an encrypted draft
(:class:`~ui.widgets.drafts.DraftKeeper`) until the form is saved or cancelled.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.commitments import (
    KIND_LABELS,
    MAX_TOLERANCE_WORKING_DAYS,
    BreachSeverity,
    CommitmentKind,
)
from desktop_app.services.app import AppServices
from desktop_app.services.commitments import (
    APPLICANT_ROLES,
    MATERIAL_FORMS,
    CatalogMatter,
    CommitmentInput,
    CommitmentView,
    MissingMaterial,
)
from desktop_app.services.entities import LookupResult
from ui.error_text import show_service_error
from ui.labels import domain_label
from ui.taskman import TaskManager
from ui.widgets.drafts import DraftKeeper
from ui.widgets.message_box import InlineMessage
from ui.widgets.save_progress import SaveProgress

LOOKUP_DEBOUNCE_MS = 300
DEFAULT_DEADLINE_DAYS = 5
DRAFT_KEY = "commitment.new"


class FindingDialog(QDialog):
    """Asks what was found: a breach (违约) or a false commitment need severity and evidence.

    A withdrawal (撤回) asks for a reason only.

    Signals:
        submitted(object, str): The severity (None for a withdrawal) and the evidence text.
    """

    submitted = Signal(object, str)

    BREACH = "breach"
    FALSE = "false"
    WITHDRAW = "withdraw"

    def __init__(self, mode: str, subject: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        titles = {
            self.BREACH: self.tr("记录违约"),
            self.FALSE: self.tr("核查不实（虚假承诺）"),
            self.WITHDRAW: self.tr("撤回承诺"),
        }
        self.setWindowTitle(titles[mode])
        self.intro_label = QLabel(subject)
        self.intro_label.setWordWrap(True)
        self.intro_label.setTextFormat(Qt.TextFormat.PlainText)

        self.severity_combo = QComboBox()
        for severity in BreachSeverity:
            self.severity_combo.addItem(domain_label(severity.label), severity.value)
        self.severity_combo.setCurrentIndex(
            max(0, self.severity_combo.findData(BreachSeverity.GENERAL))
        )
        self.evidence_edit = QPlainTextEdit()
        self.evidence_edit.setTabChangesFocus(True)
        self.evidence_edit.setMinimumHeight(110)
        if mode == self.WITHDRAW:
            self.evidence_edit.setPlaceholderText(self.tr("撤回原因，例如 申请人主动撤回申请"))
        else:
            self.evidence_edit.setPlaceholderText(
                self.tr("认定依据：核查方式、发现的事实、相关文书编号等")
            )
        self.message = InlineMessage()

        form = QFormLayout()
        if mode != self.WITHDRAW:
            form.addRow(self.tr("失信程度："), self.severity_combo)
            form.addRow(self.tr("证据与情况："), self.evidence_edit)
        else:
            self.severity_combo.hide()
            form.addRow(self.tr("撤回原因："), self.evidence_edit)

        self.ok_button = QPushButton(self.tr("确定"))
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("取消"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(480, 300)

        self.ok_button.clicked.connect(self._submit)
        self.cancel_button.clicked.connect(self.reject)
        self.evidence_edit.setFocus()

    def _submit(self) -> None:
        evidence = self.evidence_edit.toPlainText().strip()
        if not evidence:
            self.message.show_message(
                self.tr("请填写撤回原因。")
                if self.mode == self.WITHDRAW
                else self.tr("请填写证据与情况：认定违约或虚假承诺须有事实依据。"),
                "warning",
            )
            return
        severity = (
            None
            if self.mode == self.WITHDRAW
            else BreachSeverity(self.severity_combo.currentData())
        )
        self.submitted.emit(severity, evidence)
        self.accept()


class NewCommitmentDialog(QDialog):
    """新建承诺: a commitment letter taken at the window, built from the catalog's matter.

    The matter decides the legal basis shown, the required materials offered as missing
    ones (for 容缺受理) and the kinds allowed. Submitting looks the entity up again and
    creates the commitment on the database worker; the service's refusal is shown in the form.

    Signals:
        created(object): The new :class:`CommitmentView` (the dialog has closed, unless
            something was typed while it saved: then it stays open with that, unsaved).
        entity_shown(str): The entity line was updated (the entity's name, or "" when none).
        catalog_loaded(): Domains and matters are in the form.
    """

    created = Signal(object)
    entity_shown = Signal(str)
    catalog_loaded = Signal()

    def __init__(
        self,
        services: AppServices,
        tasks: TaskManager,
        parent: QWidget | None = None,
        *,
        uscc: str = "",
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self._matters: list[CatalogMatter] = []
        self._material_rows: list[tuple[QCheckBox, QComboBox]] = []
        self._lookup_seq = 0
        self._busy = False
        self._restoring: dict[str, Any] | None = None
        self.unsaved = False  # edits not in any saved commitment
        self.setWindowTitle(self.tr("新建信用承诺"))

        # -- entity --------------------------------------------------------------------
        self.entity_edit = QLineEdit(uscc)
        self.entity_edit.setPlaceholderText(
            self.tr("统一社会信用代码，或粘贴/扫描营业执照二维码内容")
        )
        self.entity_edit.setClearButtonEnabled(True)
        self.entity_label = QLabel(self.tr("输入代码后显示主体名称"))
        self.entity_label.setObjectName("entityName")
        self.entity_label.setWordWrap(True)
        self.entity_label.setTextFormat(Qt.TextFormat.PlainText)

        # -- matter ----------------------------------------------------------------------
        self.domain_combo = QComboBox()
        self.matter_combo = QComboBox()
        self.matter_combo.setMinimumContentsLength(24)
        self.matter_info = QLabel()
        self.matter_info.setWordWrap(True)
        self.matter_info.setTextFormat(Qt.TextFormat.PlainText)
        self.matter_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.matter_info.setStyleSheet("color: #37474f;")
        self.matter_info.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.kind_combo = QComboBox()
        self.measures_label = QLabel()
        self.measures_label.setObjectName("windowMeasures")
        self.measures_label.setWordWrap(True)
        self.measures_label.setTextFormat(Qt.TextFormat.PlainText)
        self.measures_label.setStyleSheet(
            "QLabel { color: #7a4a00; background: #fff8e1; border-left: 4px solid #f9a825;"
            " padding: 6px 8px; }"
        )
        self.measures_label.hide()
        self._measures_seq = 0

        # -- applicant -------------------------------------------------------------------
        self.applicant_edit = QLineEdit()
        self.applicant_edit.setPlaceholderText(self.tr("承诺人姓名"))
        self.role_combo = QComboBox()
        for role in APPLICANT_ROLES:
            self.role_combo.addItem(domain_label(role), role)
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText(self.tr("联系电话（选填）"))

        # -- 容缺受理 terms ----------------------------------------------------------------
        self.tolerance_box = QGroupBox(self.tr("容缺材料与补齐期限"))
        self.materials_grid = QGridLayout()
        self.materials_grid.setColumnStretch(0, 1)
        self.deadline_spin = QSpinBox()
        self.deadline_spin.setRange(1, MAX_TOLERANCE_WORKING_DAYS)
        self.deadline_spin.setValue(DEFAULT_DEADLINE_DAYS)
        self.deadline_spin.setSuffix(self.tr(" 个工作日"))
        self.deadline_spin.setToolTip(self.tr("自签署次日起计算，节假日顺延"))
        deadline_row = QHBoxLayout()
        deadline_row.addWidget(QLabel(self.tr("补齐期限：")))
        deadline_row.addWidget(self.deadline_spin)
        deadline_row.addStretch(1)
        tolerance_layout = QVBoxLayout(self.tolerance_box)
        tolerance_layout.addWidget(QLabel(self.tr("勾选申请人暂缺的材料，并注明应补交的形式：")))
        tolerance_layout.addLayout(self.materials_grid)
        tolerance_layout.addLayout(deadline_row)
        self.tolerance_box.hide()

        self.publish_check = QCheckBox(self.tr("公开承诺（在信用网站公示，接受社会监督）"))
        self.publish_check.setChecked(True)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(self.tr("备注（选填）"))

        self.message = InlineMessage()
        self.message.setObjectName("commitmentFormMessage")
        self.sign_button = QPushButton(self.tr("签署并保存（Ctrl+Enter）"))
        self.draft_button = QPushButton(self.tr("保存草稿"))
        self.cancel_button = QPushButton(self.tr("取消"))

        form = QFormLayout()
        form.addRow(self.tr("主体："), self.entity_edit)
        form.addRow("", self.entity_label)
        form.addRow(self.tr("领域："), self.domain_combo)
        form.addRow(self.tr("办理事项："), self.matter_combo)
        form.addRow("", self.matter_info)
        form.addRow("", self.measures_label)
        form.addRow(self.tr("承诺类型："), self.kind_combo)
        form.addRow(self.tr("承诺人："), self.applicant_edit)
        form.addRow(self.tr("身份："), self.role_combo)
        form.addRow(self.tr("联系电话："), self.phone_edit)
        self.progress = SaveProgress()
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress)
        buttons.addStretch(1)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.draft_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.tolerance_box)
        layout.addWidget(self.publish_check)
        layout.addWidget(self.note_edit)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.resize(640, 640)

        self._lookup_timer = QTimer(self)
        self._lookup_timer.setSingleShot(True)
        self._lookup_timer.setInterval(LOOKUP_DEBOUNCE_MS)
        self._lookup_timer.timeout.connect(self.look_up_entity)
        self.entity_edit.textEdited.connect(lambda _t: self._lookup_timer.start())
        self.entity_edit.returnPressed.connect(self.look_up_entity)
        self.domain_combo.currentIndexChanged.connect(lambda _i: self._fill_matters())
        self.matter_combo.currentIndexChanged.connect(lambda _i: self._show_matter())
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._show_kind())
        self.sign_button.clicked.connect(lambda: self.submit(sign_now=True))
        self.draft_button.clicked.connect(lambda: self.submit(sign_now=False))
        self.cancel_button.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, lambda: self.submit(sign_now=True))
        self._fix_tab_order()
        self.drafts = DraftKeeper(services.drafts, tasks, DRAFT_KEY, self._draft, self)
        # Only the user's own edits (never filling the form) make a draft.
        self.entity_edit.textEdited.connect(lambda _t: self._edited())
        for combo in (self.domain_combo, self.matter_combo, self.kind_combo, self.role_combo):
            combo.activated.connect(lambda _i: self._edited())
        for edit in (self.applicant_edit, self.phone_edit, self.note_edit):
            edit.textEdited.connect(lambda _t: self._edited())
        self.deadline_spin.valueChanged.connect(lambda _v: self._edited())
        self.publish_check.clicked.connect(lambda _c: self._edited())

        self._load_catalog()
        if uscc:
            self.look_up_entity()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keep Enter from submitting the form by accident (Ctrl+Enter signs).

        In the entity field Enter looks the entity up; on a focused button it presses it;
        anywhere else it does nothing.
        """
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if plain and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = self.focusWidget()
            if isinstance(focused, QPushButton):
                focused.click()
            event.accept()
            return
        super().keyPressEvent(event)

    # -- entity ----------------------------------------------------------------------

    def look_up_entity(self) -> None:
        """Show the name of the entity the code (or pasted licence text) names."""
        self._lookup_timer.stop()
        text = self.entity_edit.text()
        self._lookup_seq += 1
        seq = self._lookup_seq
        lookup = self._services.lookup

        def work() -> tuple[LookupResult, str]:
            found = lookup.lookup(text)
            name = ""
            if found.ids and found.kind != "name":
                rows = lookup.rows(found.ids[:1])
                name = rows[0].name if rows else ""
            return found, name

        self._tasks.run_db(
            work, lambda r: self._show_entity(seq, *r), self._show_error, context=self
        )

    def _show_entity(self, seq: int, found: LookupResult, name: str) -> None:
        if seq != self._lookup_seq:
            return  # an answer to older text
        color = "#1b5e20"
        if found.kind == "empty":
            text, color = self.tr("输入代码后显示主体名称"), "#607d8b"
        elif found.kind == "name":
            text = self.tr("请输入统一社会信用代码（或粘贴营业执照二维码内容），而不是名称。")
            color = "#7a4a00"
        elif found.kind == "invalid_uscc":
            text, color = "；".join(found.problems) or self.tr("统一社会信用代码有误"), "#b71c1c"
        elif name:
            text = f"{name}（{found.code}）"
            if found.warnings:
                text += "\n" + "；".join(found.warnings)
        else:
            text = self.tr("{code} 不在本地缓存中，请核对代码，或同步后再试。").format(
                code=found.code
            )
            color = "#7a4a00"
        self.entity_label.setText(text)
        self.entity_label.setStyleSheet(f"color: {color};")
        self.entity_shown.emit(name)
        self._load_measures()

    def _load_measures(self) -> None:
        """The measures the entity's lists call for at the chosen matter (city policy)."""
        self._measures_seq += 1
        seq = self._measures_seq
        matter = self.current_matter()
        code = self.entity_edit.text().strip()
        if matter is None or not code:
            self.measures_label.hide()
            return
        commitments = self._services.commitments
        matter_id = matter.id

        def work() -> list[str]:
            return commitments.window_measures(code, matter_id)

        self._tasks.run_db(
            work, lambda lines: self._show_measures(seq, lines), self._show_error, context=self
        )

    def _show_measures(self, seq: int, lines: list[str]) -> None:
        if seq != self._measures_seq:
            return  # an answer for an earlier entity or matter
        self.measures_label.setVisible(bool(lines))
        head = self.tr("该主体在信用名单内，办理本事项时适用：")
        self.measures_label.setText("\n".join([head, *(f"· {line}" for line in lines)]))

    # -- catalog ---------------------------------------------------------------------

    def _load_catalog(self) -> None:
        commitments = self._services.commitments

        def work() -> tuple[list[str], list[CatalogMatter]]:
            return commitments.domains(), commitments.catalog()

        self._tasks.run_db(work, lambda r: self._show_catalog(*r), self._show_error, context=self)

    def _show_catalog(self, domains: list[str], matters: list[CatalogMatter]) -> None:
        self._matters = matters
        self.domain_combo.blockSignals(True)
        self.domain_combo.clear()
        for domain in domains:
            self.domain_combo.addItem(domain)
        self.domain_combo.blockSignals(False)
        if not matters:
            self.message.show_message(
                self.tr(
                    "本机还没有信用承诺事项清单，无法办理承诺。请联网同步后再试，"
                    "或联系管理员导入本地的事项清单。"
                ),
                "warning",
            )
        self._fill_matters()
        if self._restoring is not None:
            self._apply_state(self._restoring)
            self._restoring = None
        self.catalog_loaded.emit()

    def _fill_matters(self) -> None:
        domain = self.domain_combo.currentText()
        self.matter_combo.blockSignals(True)
        self.matter_combo.clear()
        for matter in self._matters:
            if matter.domain == domain:
                self.matter_combo.addItem(matter.matter, matter.id)
        self.matter_combo.blockSignals(False)
        self._show_matter()

    def current_matter(self) -> CatalogMatter | None:
        """The matter chosen in the form."""
        matter_id = self.matter_combo.currentData()
        return next((m for m in self._matters if m.id == matter_id), None)

    def select_matter(self, matter_id: str) -> bool:
        """Choose the matter ``matter_id`` (its domain first); whether it exists."""
        matter = next((m for m in self._matters if m.id == matter_id), None)
        if matter is None:
            return False
        self.domain_combo.setCurrentText(matter.domain)
        self.matter_combo.setCurrentIndex(self.matter_combo.findData(matter_id))
        return True

    def _show_matter(self) -> None:
        matter = self.current_matter()
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        if matter is None:
            self.matter_info.setText("")
        else:
            lines = [
                self.tr("法律依据：{basis}").format(basis=matter.legal_basis),
                self.tr("实施机关：{authority}").format(authority=matter.authority),
                self.tr("所需材料：{materials}").format(
                    materials="、".join(matter.required_materials) or self.tr("无")
                ),
            ]
            if matter.note:
                lines.append(matter.note)
            self.matter_info.setText("\n".join(lines))
            for kind in matter.allowed_kinds:
                self.kind_combo.addItem(domain_label(KIND_LABELS[kind]), kind.value)
        self.kind_combo.blockSignals(False)
        self._build_materials(matter.required_materials if matter else ())
        self._show_kind()
        self._load_measures()

    def _build_materials(self, names: tuple[str, ...]) -> None:
        for check, form in self._material_rows:
            check.deleteLater()
            form.deleteLater()
        self._material_rows = []
        for row, name in enumerate(names):
            check = QCheckBox(name)
            form = QComboBox()
            for value in MATERIAL_FORMS:
                form.addItem(domain_label(value), value)
            form.setEnabled(False)
            check.toggled.connect(form.setEnabled)
            self.materials_grid.addWidget(check, row, 0)
            self.materials_grid.addWidget(form, row, 1)
            check.clicked.connect(lambda _c: self._edited())
            form.activated.connect(lambda _i: self._edited())
            self._material_rows.append((check, form))
        self._fix_tab_order()

    def material_rows(self) -> list[tuple[QCheckBox, QComboBox]]:
        """The material check boxes with their form choices, in catalog order."""
        return list(self._material_rows)

    def current_kind(self) -> CommitmentKind | None:
        """The kind chosen in the form."""
        value = self.kind_combo.currentData()
        # Combo boxes hand enum data back as plain strings.
        return CommitmentKind(value) if isinstance(value, str) and value else None

    def _show_kind(self) -> None:
        self.tolerance_box.setVisible(self.current_kind() is CommitmentKind.TOLERANCE)

    def _fix_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.entity_edit,
            self.domain_combo,
            self.matter_combo,
            self.kind_combo,
            self.applicant_edit,
            self.role_combo,
            self.phone_edit,
        ]
        for check, form in self._material_rows:
            chain += [check, form]
        chain += [
            self.deadline_spin,
            self.publish_check,
            self.note_edit,
            self.sign_button,
            self.draft_button,
            self.cancel_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- submitting ------------------------------------------------------------------

    def commitment_input(self, uscc: str, sign_now: bool) -> CommitmentInput | None:
        """The form as a :class:`CommitmentInput` for ``uscc``; None without a matter."""
        matter, kind = self.current_matter(), self.current_kind()
        if matter is None or kind is None:
            return None
        tolerance = kind is CommitmentKind.TOLERANCE
        missing = tuple(
            MissingMaterial(check.text(), str(form.currentData()))
            for check, form in self._material_rows
            if tolerance and check.isChecked()
        )
        return CommitmentInput(
            uscc=uscc,
            matter_id=matter.id,
            kind=kind,
            applicant_name=self.applicant_edit.text().strip(),
            applicant_role=str(self.role_combo.currentData()),
            applicant_phone=self.phone_edit.text().strip(),
            missing_materials=missing,
            deadline_working_days=self.deadline_spin.value() if tolerance else None,
            publish=self.publish_check.isChecked(),
            sign_now=sign_now,
            note=self.note_edit.text().strip(),
        )

    def submit(self, sign_now: bool = True) -> None:
        """Create the commitment (signed now, or as a draft) on the database worker.

        The form stays editable meanwhile; a second press while it saves does nothing (it
        would create the same commitment twice).
        """
        if self._busy:
            return
        draft = self.commitment_input("", sign_now)
        if draft is None:
            self.message.show_message(self.tr("请先选择办理事项和承诺类型。"), "warning")
            return
        text = self.entity_edit.text()
        lookup, commitments = self._services.lookup, self._services.commitments

        def work() -> CommitmentView:
            # Pasted licence text holds the code somewhere inside: take the code itself. A
            # code that fails its checks goes to the service as typed, which says what is wrong.
            found = lookup.lookup(text)
            code = found.code or text.strip()
            return commitments.create(replace(draft, uscc=code))

        self._set_busy(True)
        self.message.clear_message()
        submitted = self.form_state()
        self._tasks.run_db(
            work, lambda view: self._on_created(view, submitted), self._show_error, context=self
        )

    def _on_created(self, view: CommitmentView, submitted: dict[str, Any]) -> None:
        self._set_busy(False)
        if self.form_state() == submitted:
            self.unsaved = False
            self.drafts.discard()
            self.accept()
            self.created.emit(view)
            return
        # Typed while it saved: the commitment holds what was submitted; the rest stays here.
        self.unsaved = True
        self.drafts.flush()
        self.message.show_message(
            self.tr(
                "承诺已保存（{name}）。保存开始后输入的内容不在其中，仍留在表单中（未保存）："
                "核对后可作为新的承诺保存，或点“取消”放弃。"
            ).format(name=view.entity_name),
            "warning",
        )
        self.created.emit(view)

    def _set_busy(self, busy: bool) -> None:
        # Only the buttons wait: the fields stay editable while the save runs.
        self._busy = busy
        for button in (self.sign_button, self.draft_button):
            button.setEnabled(not busy)
        if busy:
            self.progress.start(self.tr("正在保存…"))
        else:
            self.progress.stop()

    def reject(self) -> None:
        """Cancel: the form is deliberately discarded, and its draft with it."""
        self.drafts.discard()
        super().reject()

    # -- drafts ----------------------------------------------------------------------

    def _edited(self) -> None:
        self.unsaved = True
        self.drafts.touch()

    def form_state(self) -> dict[str, Any]:
        """Every field of the form as plain values (what a draft keeps)."""
        return {
            "entity": self.entity_edit.text(),
            "domain": self.domain_combo.currentText(),
            "matter_id": self.matter_combo.currentData(),
            "kind": self.kind_combo.currentData(),
            "applicant": self.applicant_edit.text(),
            "role": self.role_combo.currentData(),
            "phone": self.phone_edit.text(),
            "materials": [
                {"name": check.text(), "missing": check.isChecked(), "form": form.currentData()}
                for check, form in self._material_rows
            ],
            "deadline_days": self.deadline_spin.value(),
            "publish": self.publish_check.isChecked(),
            "note": self.note_edit.text(),
        }

    def _draft(self) -> tuple[dict[str, Any], str] | None:
        state = self.form_state()
        typed = (state["entity"], state["applicant"], state["phone"], state["note"])
        if not any(text.strip() for text in typed):
            return None  # nothing typed yet: no draft worth offering back
        name = self.entity_label.text() if self.entity_edit.text().strip() else ""
        return state, name.splitlines()[0] if name else ""

    def restore_state(self, state: dict[str, Any]) -> None:
        """Put a draft's fields back (after the catalog has loaded, if it has not yet)."""
        if self._matters:
            self._apply_state(state)
        else:
            self._restoring = state

    def _apply_state(self, state: dict[str, Any]) -> None:
        self.entity_edit.setText(str(state.get("entity") or ""))
        matter_id = state.get("matter_id")
        if isinstance(matter_id, str):
            self.select_matter(matter_id)
        for combo, key in ((self.kind_combo, "kind"), (self.role_combo, "role")):
            index = combo.findData(state.get(key))
            if index >= 0:
                combo.setCurrentIndex(index)
        self.applicant_edit.setText(str(state.get("applicant") or ""))
        self.phone_edit.setText(str(state.get("phone") or ""))
        rows = {check.text(): (check, form) for check, form in self._material_rows}
        for material in state.get("materials") or []:
            if isinstance(material, dict) and material.get("name") in rows:
                check, form = rows[material["name"]]
                check.setChecked(bool(material.get("missing")))
                index = form.findData(material.get("form"))
                if index >= 0:
                    form.setCurrentIndex(index)
        days = state.get("deadline_days")
        if isinstance(days, int):
            self.deadline_spin.setValue(days)
        self.publish_check.setChecked(bool(state.get("publish", True)))
        self.note_edit.setText(str(state.get("note") or ""))
        self.unsaved = True
        if self.entity_edit.text().strip():
            self.look_up_entity()

    def _show_error(self, exc: Exception) -> None:
        self._set_busy(False)
        show_service_error(self.message, exc)
