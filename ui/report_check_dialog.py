"""核验报告: a window clerk scans or pastes a report's QR text and reads one word.

A USB scanner types the QR text and Enter into the field; pasting works the same. Both forms
are read: the public address (``HTTPS://<platform>/V/<number>/<check code>``) and the older
signed ``CDR1.`` payload. Signed in and online, the platform answers 真实有效 / 无法核验 /
已作废 with number, entity, issuing body and date (``sync.report_check.check_online``);
otherwise — or when the platform cannot be reached — the client checks the signature with the
key it has (its own device's) and says that the registration could not be checked.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.app import AppServices
from sync.protocol.report_check import ReportVerdict
from sync.report_check import (
    CheckOutcome,
    OfflineReason,
    Scan,
    check_offline,
    check_online,
    read_scan,
)
from ui.sync_adapter import SyncController

log = logging.getLogger(__name__)

_COLOURS = {
    ReportVerdict.GENUINE: "color:#0b6b2d;background:#e6f4ea;",
    ReportVerdict.UNVERIFIABLE: "color:#7a4d00;background:#fef7e0;",
    ReportVerdict.VOID: "color:#a50e0e;background:#fce8e6;",
}


class ReportCheckDialog(QDialog):
    """The 核验报告 dialog (opened from 报告打印, or Ctrl+Shift+V anywhere).

    Signals:
        answered(object): A :class:`sync.report_check.CheckOutcome` is shown (tests).
    """

    answered = Signal(object)

    def __init__(
        self, services: AppServices, sync: SyncController | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportCheckDialog")
        self.setWindowTitle(self.tr("核验报告"))
        self.setMinimumWidth(560)
        self._store = services.store
        self._sync = sync
        self._pending = 0

        intro = QLabel(
            self.tr(
                "用扫码枪扫描报告上的二维码，或粘贴二维码内容后按回车。"
                "支持新版报告的核验网址和旧版报告的签名内容（CDR1.）。"
            )
        )
        intro.setWordWrap(True)
        self.input = QLineEdit()
        self.input.setObjectName("reportCheckInput")
        self.input.setPlaceholderText(self.tr("扫描或粘贴二维码内容"))
        self.input.setClearButtonEnabled(True)
        self.input.returnPressed.connect(self.check)
        self.check_button = QPushButton(self.tr("核验"))
        self.check_button.clicked.connect(self.check)
        row = QHBoxLayout()
        row.addWidget(self.input, 1)
        row.addWidget(self.check_button)

        self.verdict = QLabel()
        self.verdict.setObjectName("verdictLabel")
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict.setVisible(False)
        self.number = QLabel()
        self.entity = QLabel()
        self.issuer = QLabel()
        self.issued_on = QLabel()
        form = QFormLayout()
        form.addRow(self.tr("报告编号"), self.number)
        form.addRow(self.tr("主体名称"), self.entity)
        form.addRow(self.tr("出具单位"), self.issuer)
        form.addRow(self.tr("出具日期"), self.issued_on)
        for label in (self.number, self.entity, self.issuer, self.issued_on):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
        self.explanation = QLabel()
        self.explanation.setObjectName("reportCheckExplanation")
        self.explanation.setWordWrap(True)
        self.offline_note = QLabel()
        self.offline_note.setObjectName("reportCheckOffline")
        self.offline_note.setWordWrap(True)
        self.offline_note.setStyleSheet("color:#a50e0e;")
        self.offline_note.setVisible(False)
        mapping = QLabel(
            self.tr(
                "结果只有三种：签名有效且已按期在平台登记为“真实有效”；签发设备在登记前已被注销"
                "或登记已被撤销为“已作废”；查不到相符的已登记报告为“无法核验”。"
            )
        )
        mapping.setWordWrap(True)
        mapping.setStyleSheet("color:#5f6368;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.verdict)
        layout.addLayout(form)
        layout.addWidget(self.explanation)
        layout.addWidget(self.offline_note)
        layout.addWidget(mapping)
        layout.addWidget(buttons)
        self._clear()

    # -- checking --------------------------------------------------------------------------

    def check(self) -> None:
        """Check what the field holds: online when signed in, else offline."""
        scan = read_scan(self.input.text())
        self.input.selectAll()  # the next scan replaces this one
        if scan is None:
            self._clear()
            self.explanation.setText(
                self.tr(
                    "无法识别：请扫描报告上的二维码，或粘贴二维码内容"
                    "（以 https:// 或 CDR1. 开头）。"
                )
            )
            return
        sync = self._sync
        if sync is None or not sync.logged_in or sync.online is False:
            self._show(check_offline(self._store, scan))
            return
        self._pending += 1
        ticket = self._pending
        self.explanation.setText(self.tr("正在向平台核验……"))
        sync.call_platform(
            lambda transport: check_online(transport, scan),
            lambda outcome: self._online_done(ticket, outcome),
            lambda message: self._online_failed(ticket, scan, message),
            self.tr("联网核验报告"),
            context=self,
        )

    def _online_done(self, ticket: int, outcome: CheckOutcome) -> None:
        if ticket == self._pending:
            self._show(outcome)

    def _online_failed(self, ticket: int, scan: Scan, message: str) -> None:
        if ticket != self._pending:
            return
        log.info("online report check failed; checking offline: %s", message)
        self._show(check_offline(self._store, scan))

    # -- showing ---------------------------------------------------------------------------

    def _clear(self) -> None:
        self.verdict.setVisible(False)
        for label in (self.number, self.entity, self.issuer, self.issued_on):
            label.setText("—")
        self.explanation.setText("")
        self.offline_note.setVisible(False)

    def _word(self, verdict: ReportVerdict) -> str:
        if verdict is ReportVerdict.GENUINE:
            return self.tr("真实有效")
        if verdict is ReportVerdict.VOID:
            return self.tr("已作废")
        return self.tr("无法核验")

    def _offline_text(self, reason: OfflineReason | None) -> str:
        if reason is OfflineReason.SIGNATURE_OK:
            return self.tr("本机核对了签名：该报告由本机出具，签名有效，内容未被改动。")
        if reason is OfflineReason.NO_DEVICE_KEY:
            return self.tr(
                "该报告由其他设备签发，本机没有该设备的公钥，离线无法核对签名。请联网后再核验。"
            )
        if reason is OfflineReason.BAD_SIGNATURE:
            return self.tr("签名校验未通过：二维码内容与本机的签名不符，报告可能被篡改。")
        if reason is OfflineReason.CODE_MISMATCH:
            return self.tr("核验码与本机出具的同编号报告不符，报告可能被涂改。")
        return self.tr("该报告不是本机出具的，离线时本机没有可核对的签名。请联网后再核验。")

    def _show(self, outcome: CheckOutcome) -> None:
        self.verdict.setText(self._word(outcome.verdict))
        self.verdict.setStyleSheet(
            "font-size:26pt;font-weight:bold;padding:8px;border-radius:6px;"
            + _COLOURS[outcome.verdict]
        )
        self.verdict.setVisible(True)
        self.number.setText(outcome.report_no or "—")
        self.entity.setText(outcome.entity_name or "—")
        self.issuer.setText(outcome.issuer or "—")
        self.issued_on.setText(outcome.issued_on or "—")
        if outcome.registration_checked:
            self.explanation.setText(outcome.explanation)
            self.offline_note.setVisible(False)
        else:
            self.explanation.setText(self._offline_text(outcome.offline_reason))
            self.offline_note.setText(
                self.tr(
                    "无法联网核验登记信息：未能核对该报告是否已在平台登记、是否已作废。"
                    "请联网并登录后再核验一次。"
                )
            )
            self.offline_note.setVisible(True)
        self.answered.emit(outcome)
