"""设置: interface language, where the data lives, and the local database's security."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.config import AUTO_LOCK_RANGE, ProfilePaths, Settings
from desktop_app.services.app import AppServices
from desktop_app.services.errors import ServiceError, StoreError
from desktop_app.services.status import AuditCheck
from ui.error_text import error_text
from ui.taskman import TaskManager
from ui.widgets.message_box import InlineMessage

LANGUAGE_CHOICES = (("zh_CN", "中文（简体）"), ("en", "English"))


FULL_ID_KEY = "education_keep_full_id_numbers"
"""settings.extra: store attendees' identity numbers in full (default: masked)."""


def keeps_full_id_numbers(settings: Settings) -> bool:
    """Whether this profile stores attendees' identity numbers in full."""
    return settings.extra.get(FULL_ID_KEY) is True


class SettingsPage(QWidget):
    """The 设置 page.

    A language change is saved at once and takes effect at the next start (the page says
    so). Passphrase changes, key rotation and the audit check run on the database worker.

    Signals:
        language_saved(str): The chosen language was written to the settings file.
        security_done(bool): A passphrase change or key rotation finished (True if it worked).
        audit_checked(object): An :class:`AuditCheck` is shown.
    """

    language_saved = Signal(str)
    security_done = Signal(bool)
    audit_checked = Signal(object)

    def __init__(
        self,
        services: AppServices,
        settings: Settings,
        paths: ProfilePaths,
        tasks: TaskManager,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._settings = settings
        self._paths = paths
        self._tasks = tasks
        self.confirm_box: QMessageBox | None = None

        title = QLabel(self.tr("设置"))
        title.setObjectName("pageTitle")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self._language_box())
        layout.addWidget(self._data_box())
        layout.addWidget(self._privacy_box())
        layout.addWidget(self._auto_lock_box())
        layout.addWidget(self._security_box())
        layout.addWidget(self._audit_box())
        layout.addStretch(1)

    # -- language ------------------------------------------------------------------------

    def _language_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("界面语言"))
        self.language_combo = QComboBox()
        for code, name in LANGUAGE_CHOICES:
            self.language_combo.addItem(name, code)
        index = self.language_combo.findData(self._settings.language)
        self.language_combo.setCurrentIndex(max(index, 0))
        self.language_note = QLabel()
        self.language_note.setWordWrap(True)
        self.language_combo.currentIndexChanged.connect(self._on_language_chosen)
        row = QHBoxLayout(box)
        row.addWidget(self.language_combo)
        row.addWidget(self.language_note, 1)
        return box

    def _on_language_chosen(self, index: int) -> None:
        code = str(self.language_combo.itemData(index))
        try:
            self._settings.set_language(code)
        except OSError as exc:
            self.language_note.setText(self.tr("无法保存设置：{error}").format(error=exc))
            return
        self.language_note.setText(self.tr("已保存。界面语言将在重新启动本软件后生效。"))
        self.language_saved.emit(code)

    # -- data folder ---------------------------------------------------------------------

    def _data_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("数据文件夹"))
        self.data_dir_label = QLabel(str(self._paths.data_dir))
        self.data_dir_label.setWordWrap(True)
        self.data_dir_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        open_button = QPushButton(self.tr("打开文件夹"))
        open_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._paths.data_dir)))
        )
        note = QLabel(self.tr("本地数据库已加密保存；请勿手工修改此文件夹中的文件。"))
        note.setWordWrap(True)
        layout = QVBoxLayout(box)
        row = QHBoxLayout()
        row.addWidget(self.data_dir_label, 1)
        row.addWidget(open_button)
        layout.addLayout(row)
        layout.addWidget(note)
        return box

    # -- personal information ------------------------------------------------------------

    def _privacy_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("个人信息保护"))
        self.full_id_check = QCheckBox(self.tr("诚信教育签到时完整保存身份证号"))
        self.full_id_check.setChecked(keeps_full_id_numbers(self._settings))
        self.full_id_note = QLabel(
            self.tr(
                "默认只保存脱敏号码（如 140402********123X）。"
                "仅在本单位规定需要完整号码时勾选；已签到的记录不受影响。"
            )
        )
        self.full_id_note.setWordWrap(True)
        self.full_id_check.toggled.connect(self._on_full_id_toggled)
        layout = QVBoxLayout(box)
        layout.addWidget(self.full_id_check)
        layout.addWidget(self.full_id_note)
        return box

    def _on_full_id_toggled(self, checked: bool) -> None:
        self._services.education.keep_full_id = checked
        try:
            self._settings.set(FULL_ID_KEY, checked)
        except OSError as exc:
            self.full_id_note.setText(self.tr("无法保存设置：{error}").format(error=exc))

    # -- auto-lock -----------------------------------------------------------------------

    def _auto_lock_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("自动锁定"))
        self.auto_lock_spin = QSpinBox()
        self.auto_lock_spin.setObjectName("autoLockMinutes")
        self.auto_lock_spin.setRange(*AUTO_LOCK_RANGE)
        self.auto_lock_spin.setSuffix(self.tr(" 分钟"))
        self.auto_lock_spin.setValue(self._settings.auto_lock_minutes)
        self.auto_lock_note = QLabel(
            self.tr(
                "无操作超过设定时间后，客户端自动锁定并关闭本地数据库，需重新输入密码"
                "（或本机系统账户密码）才能继续；正在填写的表单会保留。按 Ctrl+L 可立即锁定。"
            )
        )
        self.auto_lock_note.setWordWrap(True)
        self.auto_lock_spin.valueChanged.connect(self._on_auto_lock_changed)
        form = QFormLayout()
        form.addRow(self.tr("无操作多久后锁定："), self.auto_lock_spin)
        layout = QVBoxLayout(box)
        layout.addLayout(form)
        layout.addWidget(self.auto_lock_note)
        return box

    def _on_auto_lock_changed(self, minutes: int) -> None:
        try:
            self._settings.set_auto_lock_minutes(minutes)
        except OSError as exc:
            self.auto_lock_note.setText(self.tr("无法保存设置：{error}").format(error=exc))

    # -- security ------------------------------------------------------------------------

    def _security_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("本地数据库安全"))
        layout = QVBoxLayout(box)
        self.security_message = InlineMessage()
        try:
            self.uses_passphrase = self._services.uses_passphrase
            key_problem = ""
        except StoreError as exc:  # the key header went missing or unreadable meanwhile
            self.uses_passphrase = False
            key_problem = str(exc)
        if key_problem:
            self.security_button = QPushButton(self.tr("更换数据库密钥"))
            self.security_button.setEnabled(False)
            self.security_message.show_message(key_problem, "error")
        elif self.uses_passphrase:
            explain = QLabel(
                self.tr(
                    "本机没有安全的系统密钥环，数据库密钥由您的密码派生。忘记密码将无法恢复数据。"
                )
            )
            explain.setWordWrap(True)
            layout.addWidget(explain)
            form = QFormLayout()
            self.old_edit = self._password_edit()
            self.new_edit = self._password_edit()
            self.confirm_edit = self._password_edit()
            form.addRow(self.tr("原密码："), self.old_edit)
            form.addRow(self.tr("新密码："), self.new_edit)
            form.addRow(self.tr("确认新密码："), self.confirm_edit)
            layout.addLayout(form)
            self.security_button = QPushButton(self.tr("修改本地数据库密码"))
            self.security_button.clicked.connect(self._change_passphrase)
        else:
            explain = QLabel(
                self.tr(
                    "数据库密钥保存在本机的系统密钥环中。更换密钥会用新的随机密钥重新加密整个数据库。"
                )
            )
            explain.setWordWrap(True)
            layout.addWidget(explain)
            self.security_button = QPushButton(self.tr("更换数据库密钥"))
            self.security_button.clicked.connect(self._confirm_rotation)
        row = QHBoxLayout()
        row.addWidget(self.security_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.security_message)
        return box

    def _password_edit(self) -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setMaximumWidth(360)
        return edit

    def _change_passphrase(self) -> None:
        old, new = self.old_edit.text(), self.new_edit.text()
        if not old or not new:
            self.security_message.show_message(self.tr("请填写原密码和新密码。"), "error")
            return
        if new != self.confirm_edit.text():
            self.security_message.show_message(
                self.tr("两次输入的新密码不一致，请重新输入。"), "error"
            )
            self.confirm_edit.clear()
            return
        services = self._services
        self._run_security(
            lambda: services.change_passphrase(old, new),
            self.tr("正在用新密码重新加密数据库…"),
            self.tr("密码已修改。下次启动请使用新密码。"),
        )

    def _confirm_rotation(self) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("更换数据库密钥"))
        box.setText(
            self.tr(
                "将生成新的随机密钥并重新加密整个本地数据库。\n操作期间请勿关闭本软件。是否继续？"
            )
        )
        confirm = box.addButton(self.tr("更换密钥"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.finished.connect(lambda _result: self._on_rotation_answer(box, confirm))
        self.confirm_box = box
        box.open()

    def _on_rotation_answer(self, box: QMessageBox, confirm: QPushButton) -> None:
        accepted = box.clickedButton() is confirm
        box.deleteLater()
        self.confirm_box = None
        if not accepted:
            return
        services = self._services
        self._run_security(
            services.rotate_key,
            self.tr("正在更换密钥并重新加密数据库…"),
            self.tr("数据库密钥已更换。"),
        )

    def _run_security(self, fn: Callable[[], Any], busy: str, done: str) -> None:
        self.security_button.setEnabled(False)
        self.security_message.show_message(busy, "info")

        def on_done(_result: object) -> None:
            self.security_button.setEnabled(True)
            self.security_message.show_message(done, "success")
            if self.uses_passphrase:
                for edit in (self.old_edit, self.new_edit, self.confirm_edit):
                    edit.clear()
            self.security_done.emit(True)

        def on_error(exc: Exception) -> None:
            self.security_button.setEnabled(True)
            if not isinstance(exc, StoreError | ServiceError):
                raise exc
            self.security_message.show_message(error_text(exc), "error")
            self.security_done.emit(False)

        self._tasks.run_db(fn, on_done, on_error, context=self)

    # -- audit log -----------------------------------------------------------------------

    def _audit_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("审计日志"))
        explain = QLabel(
            self.tr(
                "每次查看主体信用信息和每项修改都记入防篡改的审计日志。校验会检查日志是否被改动或删除。"
            )
        )
        explain.setWordWrap(True)
        self.audit_button = QPushButton(self.tr("校验审计日志"))
        self.audit_button.clicked.connect(self.verify_audit_log)
        self.audit_message = InlineMessage()
        layout = QVBoxLayout(box)
        layout.addWidget(explain)
        row = QHBoxLayout()
        row.addWidget(self.audit_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.audit_message)
        return box

    def verify_audit_log(self) -> None:
        """Walk the audit chain on the database worker and show the verdict."""
        self.audit_button.setEnabled(False)
        self._tasks.run_db(
            self._services.status.verify_audit_log, self._on_audit_checked, context=self
        )

    def _on_audit_checked(self, check: AuditCheck) -> None:
        self.audit_button.setEnabled(True)
        if check.ok:
            text = self.tr("审计日志完整，共 {rows} 条记录，未发现改动或删除。").format(
                rows=check.rows
            )
            self.audit_message.show_message(text, "success")
        else:
            lines = [self.tr("审计日志校验未通过（共 {rows} 条记录）：").format(rows=check.rows)]
            lines += [f"• {problem}" for problem in check.problems]
            lines.append(self.tr("请立即联系管理员，并不要继续录入。"))
            self.audit_message.show_message("\n".join(lines), "error")
        self.audit_checked.emit(check)
