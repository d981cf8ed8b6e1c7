"""Asking for the local database's passphrase, on a machine without a secure keyring.

The same dialog unlocks the client after it locked itself (:mod:`ui.idle_lock`): then it asks
for the passphrase, or for the OS account's password on a keyring profile, and cannot be
closed except by quitting the client.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.errors import StoreError
from desktop_app.services.unlock import LockKind, StoreUnlocker, UnlockMode
from ui.taskman import TaskManager
from ui.widgets.message_box import InlineMessage

if TYPE_CHECKING:
    from desktop_app.services.unlock import Store

log = logging.getLogger(__name__)

# Mirrors the store's minimum (a hint only; StoreUnlocker.unlock has the final word).
HINT_MIN_LENGTH = 8
DIALOG_WIDTH = 560


def strength_hint(passphrase: str) -> tuple[int, str]:
    """A rough strength score (0–3) and the key of its description, for the live hint.

    Args:
        passphrase: What the user has typed so far.
    """
    if len(passphrase) < HINT_MIN_LENGTH:
        return 0, "short"
    classes = sum(
        (
            any(c.islower() for c in passphrase),
            any(c.isupper() for c in passphrase),
            any(c.isdigit() for c in passphrase),
            any(not c.isascii() or not c.isalnum() for c in passphrase),
        )
    )
    score = 1 + (len(passphrase) >= 12) + (classes >= 3)
    return score, ("weak", "fair", "strong")[score - 1]


class UnlockDialog(QDialog):
    """Asks for the passphrase and opens the store on the database worker.

    Open it with :meth:`open` and listen to ``finished``. On success :attr:`store` holds the
    opened store and the dialog finishes with ``Accepted``. A wrong passphrase or a store error
    is shown in the dialog (in red), which stays open with the field cleared.

    With ``relock`` (the client locked itself) it unlocks that store again
    (:meth:`StoreUnlocker.reopen`), asking for what :meth:`StoreUnlocker.lock_kind` says; it
    is application-modal, Esc and the close button do nothing, and ``退出`` rejects it (the
    client then quits).
    """

    def __init__(
        self,
        unlocker: StoreUnlocker,
        tasks: TaskManager,
        parent: QWidget | None = None,
        *,
        mode: UnlockMode | None = None,
        relock: Store | None = None,
        idle_minutes: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._unlocker = unlocker
        self._tasks = tasks
        self.relock = relock
        self.lock_kind = unlocker.lock_kind() if relock is not None else None
        self._idle_minutes = idle_minutes
        self._quitting = False
        if relock is not None:
            keyring = self.lock_kind is not LockKind.PASSPHRASE
            self.mode = UnlockMode.OPEN_WITH_KEYRING if keyring else UnlockMode.OPEN_WITH_PASSPHRASE
        else:
            self.mode = mode or unlocker.mode()
            if self.mode is UnlockMode.OPEN_WITH_KEYRING_AFTER_LOCK:
                # Locked when the client ended: the OS account is asked before the keyring.
                self.lock_kind = LockKind.OS_ACCOUNT
        self.creating = self.mode is UnlockMode.CREATE_WITH_PASSPHRASE
        self.store: Store | None = None
        self.busy = False
        if relock is not None:
            self.setWindowTitle(self.tr("信用监管工作台 — 已锁定"))
            self.setObjectName("lockDialog")
            self.setWindowModality(Qt.WindowModality.ApplicationModal)
        else:
            self.setWindowTitle(self.tr("信用监管工作台 — 本地数据库"))
            self.setModal(True)
        self.setMinimumWidth(420)

        layout = QVBoxLayout(self)
        intro = QLabel(self._intro_text())
        intro.setWordWrap(True)
        intro.setObjectName("unlockIntro")
        layout.addWidget(intro)

        form = QFormLayout()
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setObjectName("passphraseEdit")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(
            self.tr("系统账户密码：")
            if self.lock_kind is LockKind.OS_ACCOUNT
            else self.tr("密码："),
            self.passphrase_edit,
        )
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setObjectName("confirmEdit")
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength_label = QLabel()
        self.strength_label.setObjectName("strengthLabel")
        if self.creating:
            form.addRow(self.tr("再次输入："), self.confirm_edit)
            form.addRow("", self.strength_label)
            self.passphrase_edit.textChanged.connect(self._update_strength)
            self._update_strength("")
        else:
            self.confirm_edit.hide()
            self.strength_label.hide()
        layout.addLayout(form)

        self.error_label = InlineMessage()
        self.error_label.setObjectName("unlockError")
        layout.addWidget(self.error_label)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.hide()
        layout.addWidget(self.progress)

        self.buttons = QDialogButtonBox()
        if self.creating:
            label = self.tr("创建数据库")
        elif relock is not None or self.mode is UnlockMode.OPEN_WITH_KEYRING_AFTER_LOCK:
            label = self.tr("解锁")
        else:
            label = self.tr("打开")
        self.ok_button: QPushButton = self.buttons.addButton(
            label, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setDefault(True)
        self.cancel_button: QPushButton = self.buttons.addButton(
            self.tr("退出"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self._quit if relock is not None else self.reject)
        layout.addWidget(self.buttons)
        if self.lock_kind is LockKind.RESTART:
            # Nothing here can check the OS account: the only way on is a restart.
            self.passphrase_edit.hide()
            form.labelForField(self.passphrase_edit).hide()
            self.ok_button.hide()
            self.cancel_button.setDefault(True)
        self.passphrase_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(DIALOG_WIDTH, 0)
        self._fit_height()

    def _show_message(self, text: str, kind: str = "error") -> None:
        self.error_label.show_message(text, kind)
        self._fit_height()

    def _fit_height(self) -> None:
        # A top-level window sizes itself from its labels' width-less size hints, which
        # cuts wrapped text off; grow to the height the layout needs at the current width.
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _intro_text(self) -> str:
        if self.relock is not None:
            return self._lock_text()
        if self.mode is UnlockMode.OPEN_WITH_KEYRING_AFTER_LOCK:
            return self.tr(
                "客户端上次处于锁定状态时被关闭，重新启动不会跳过锁定。\n\n"
                "请输入本机系统账户（{user}）的登录密码，打开本地数据库。"
            ).format(user=self._unlocker.account_check.user)
        if self.creating:
            return self.tr(
                "首次使用：请为本地数据库设置密码。\n\n"
                "本机没有安全的系统密钥环，因此数据库的加密密钥由这个密码派生，"
                "每次启动都需要输入。密码不会保存在任何地方，忘记密码将无法恢复本地数据"
                "（未同步的记录会丢失），请牢记。"
            )
        return self.tr("请输入本地数据库密码。本机没有安全的系统密钥环，数据库密钥由该密码派生。")

    def _lock_text(self) -> str:
        if self._idle_minutes:
            why = self.tr("已超过 {minutes} 分钟无操作，客户端已锁定，本地数据库已关闭。").format(
                minutes=self._idle_minutes
            )
        else:
            why = self.tr("客户端已锁定，本地数据库已关闭。")
        kept = self.tr("正在填写的表单已保存为草稿，解锁后可以继续。")
        if self.lock_kind is LockKind.PASSPHRASE:
            ask = self.tr("请输入本地数据库密码解锁。")
        elif self.lock_kind is LockKind.OS_ACCOUNT:
            ask = self.tr("请输入本机系统账户（{user}）的登录密码解锁。").format(
                user=self._unlocker.account_check.user
            )
        else:
            ask = self.tr("本机无法核验系统账户密码，请点击“退出”，然后重新启动本软件。")
        return "\n\n".join((why, kept, ask))

    def _update_strength(self, text: str) -> None:
        score, key = strength_hint(text)
        descriptions = {
            "short": self.tr("密码强度：太短（至少 {n} 个字符）").format(n=HINT_MIN_LENGTH),
            "weak": self.tr("密码强度：弱，建议使用更长的密码并混合字母、数字和符号"),
            "fair": self.tr("密码强度：中"),
            "strong": self.tr("密码强度：强"),
        }
        colours = ("#b71c1c", "#b35c00", "#5d6d00", "#1b5e20")
        self.strength_label.setText(descriptions[key])
        self.strength_label.setStyleSheet(f"color: {colours[score]};")

    def submit(self) -> None:
        """Check the fields and unlock the store on the database worker."""
        if self.busy:
            return
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self._show_message(self.tr("请输入密码。"))
            return
        if self.creating and passphrase != self.confirm_edit.text():
            self._show_message(self.tr("两次输入的密码不一致，请重新输入。"))
            self.confirm_edit.clear()
            self.confirm_edit.setFocus()
            return
        self._set_busy(True)
        unlocker = self._unlocker
        relock = self.relock
        if relock is not None:

            def reopen() -> Store:
                unlocker.reopen(relock, passphrase)
                return relock

            self._tasks.run_db(reopen, self._on_unlocked, self._on_failed, context=self)
            return
        self._tasks.run_db(
            lambda: unlocker.unlock(passphrase), self._on_unlocked, self._on_failed, context=self
        )

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        for widget in (self.passphrase_edit, self.confirm_edit, self.ok_button, self.cancel_button):
            widget.setEnabled(not busy)
        self.progress.setVisible(busy)
        if busy and self.lock_kind is LockKind.OS_ACCOUNT:
            self._show_message(self.tr("正在核验系统账户密码…"), "info")
        elif busy:
            self._show_message(self.tr("正在打开本地数据库…"), "info")

    def _on_unlocked(self, store: Store) -> None:
        self._set_busy(False)
        self.store = store
        self.error_label.clear_message()
        self.accept()

    def _on_failed(self, exc: Exception) -> None:
        self._set_busy(False)
        if isinstance(exc, StoreError):
            message = str(exc)
        else:
            log.error("unlocking the store failed", exc_info=exc)
            message = self.tr(
                "无法打开本地数据库（{error}）。详细信息已写入日志，请联系管理员。"
            ).format(error=type(exc).__name__)
        self._show_message(message)
        self.passphrase_edit.clear()
        self.confirm_edit.clear()
        self.passphrase_edit.setFocus()

    def _quit(self) -> None:
        if not self.busy:
            self._quitting = True
            super().reject()

    def reject(self) -> None:
        """Close without a store, unless an unlock is still running (it cannot be stopped).

        A lock prompt is not closed this way (Esc, the close button): only by ``退出``.
        """
        if self.relock is not None and not self._quitting:
            return
        if not self.busy:
            super().reject()
