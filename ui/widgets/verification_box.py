"""The 承诺核查 part of an inspection result: the commitment checked, and the verdict.

Shown only for a task the supervisor made from a commitment due for verification
(``TaskView.verification``). The verdict is given once: after it was saved it is shown, locked
(the platform applies it to the commitment; a wrong one is corrected through an objection).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QWidget

from desktop_app.services.inspections import CommitmentToVerify

__all__ = ["VerificationBox"]


class VerificationBox(QGroupBox):
    """Verdict of a 承诺核查 task (hidden for an ordinary task).

    Signals:
        edited(): The verdict or its severity changed.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("承诺核查"))
        self.setObjectName("verificationBox")
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict_combo = QComboBox()
        self.verdict_combo.setObjectName("verdictCombo")
        self.verdict_combo.addItem(self.tr("尚未认定"), None)
        self.verdict_combo.addItem(self.tr("承诺属实"), "kept")
        self.verdict_combo.addItem(self.tr("承诺不实（虚假承诺）"), "breached")
        self.severity_combo = QComboBox()
        self.severity_combo.setObjectName("verdictSeverity")
        for code, label in (
            ("minor", self.tr("轻微")),
            ("general", self.tr("一般")),
            ("serious", self.tr("严重")),
        ):
            self.severity_combo.addItem(label, code)
        self.severity_combo.setCurrentIndex(1)
        self.note = QLabel(
            self.tr("认定“承诺不实”须在检查结论中写明核查发现的事实和证据；提交后不能更改。")
        )
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #6d4c41;")
        row = QHBoxLayout()
        row.addWidget(self.verdict_combo, 2)
        row.addWidget(QLabel(self.tr("情节：")))
        row.addWidget(self.severity_combo, 1)
        form = QFormLayout(self)
        form.addRow(self.tr("核查对象："), self.facts)
        form.addRow(self.tr("核查结论："), row)
        form.addRow("", self.note)
        self.verdict_combo.currentIndexChanged.connect(self._changed)
        self.severity_combo.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.setVisible(False)
        self._locked = False

    def show_task(
        self, facts: CommitmentToVerify | None, verdict: str = "", severity: str = ""
    ) -> None:
        """Show the commitment of ``facts`` (None hides the box) with a saved verdict, if any."""
        self.setVisible(facts is not None)
        if facts is None:
            return
        signed = facts.signed_on.isoformat() if facts.signed_on else self.tr("未知")
        self.facts.setText(
            self.tr("{kind}：{matter}（签署于 {signed}）").format(
                kind=facts.kind_label, matter=facts.matter, signed=signed
            )
        )
        self._locked = bool(verdict)
        self.set_verdict(verdict, severity)

    def set_verdict(self, verdict: str, severity: str = "") -> None:
        """Select a verdict (``kept`` / ``breached`` / empty) and a severity code."""
        index = self.verdict_combo.findData(verdict or None)
        self.verdict_combo.setCurrentIndex(max(index, 0))
        at = self.severity_combo.findData(severity or "general")
        self.severity_combo.setCurrentIndex(max(at, 0))
        self._apply_lock()

    def _changed(self, _index: int) -> None:
        self._apply_lock()
        self.edited.emit()

    def _apply_lock(self) -> None:
        self.verdict_combo.setEnabled(not self._locked)
        self.severity_combo.setEnabled(not self._locked and self.verdict() == "breached")

    def verdict(self) -> str | None:
        """The chosen verdict, or None (not given, or an ordinary task)."""
        if self.isHidden():
            return None
        data = self.verdict_combo.currentData()
        return str(data) if data else None

    def severity(self) -> str:
        """The chosen severity code."""
        return str(self.severity_combo.currentData() or "general")
