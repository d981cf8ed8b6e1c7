"""Logging in to the municipal platform (first start, or after the login expired)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.sync_adapter import SyncController

DEMO_USERNAME = "window.luzhou.1"
DEMO_PASSWORD = "demo-2026"  # noqa: S105 - the public demo account of the seeded platform


class LoginDialog(QDialog):
    """Platform address, account and password; the login runs on the database worker.

    Open it with :meth:`open`; it accepts itself once the login succeeded and stays open
    with the Chinese reason when it failed. In demo mode the demo account is filled in.
    """

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self.setWindowTitle(self.tr("登录市级平台"))
        self.url_edit = QLineEdit(controller.url)
        self.url_edit.setPlaceholderText("https://platform.example.gov.cn")
        self.username_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("平台地址"), self.url_edit)
        form.addRow(self.tr("用户名"), self.username_edit)
        form.addRow(self.tr("密码"), self.password_edit)
        self.demo_label = QLabel()
        self.demo_label.setWordWrap(True)
        if controller.demo:
            self.username_edit.setText(DEMO_USERNAME)
            self.password_edit.setText(DEMO_PASSWORD)
            self.demo_label.setText(
                self.tr("演示模式：已填入演示账号 {user}（密码 {password}）。").format(
                    user=DEMO_USERNAME, password=DEMO_PASSWORD
                )
            )
        self.demo_label.setVisible(controller.demo)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("登录"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.demo_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        controller.logged_in_changed.connect(self._on_logged_in)
        controller.login_failed.connect(self._on_failed)

    def _submit(self) -> None:
        username = self.username_edit.text().strip()
        if not username or not self.password_edit.text():
            self._on_failed(self.tr("请填写用户名和密码。"))
            return
        self.error_label.hide()
        self.buttons.setEnabled(False)
        self._controller.login(self.url_edit.text(), username, self.password_edit.text())

    def _on_logged_in(self, logged_in: bool) -> None:
        if logged_in and self.isVisible():
            self.password_edit.clear()
            self.accept()

    def _on_failed(self, message: str) -> None:
        self.buttons.setEnabled(True)
        self.error_label.setText(message)
        self.error_label.show()
