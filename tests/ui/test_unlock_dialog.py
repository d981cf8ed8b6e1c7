from __future__ import annotations

import hashlib

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop_app.config import ProfilePaths
from desktop_app.services.unlock import StoreUnlocker, UnlockMode
from ui.taskman import TaskManager
from ui.unlock_dialog import UnlockDialog, strength_hint

from .conftest import type_text

RIGHT = "正确的密码 horse-42"


def _digest(profile: ProfilePaths) -> str:
    digest = hashlib.sha256()
    for path in sorted(profile.data_dir.iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _dialog(qtbot, profile: ProfilePaths, tasks: TaskManager) -> UnlockDialog:
    dialog = UnlockDialog(StoreUnlocker(profile), tasks)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def _close_store_of(dialog: UnlockDialog, on_db) -> None:
    store = dialog.store
    assert store is not None
    on_db(store.close)


@pytest.fixture
def existing_profile(no_keyring, profile: ProfilePaths, on_db) -> ProfilePaths:
    """A passphrase-protected store made earlier, closed."""
    on_db(lambda: StoreUnlocker(profile).unlock(RIGHT).close())
    assert StoreUnlocker(profile).mode() is UnlockMode.OPEN_WITH_PASSPHRASE
    return profile


def test_create_mode_explains_and_requires_matching_passphrases(
    qtbot, no_keyring, profile, tasks, on_db
) -> None:
    dialog = _dialog(qtbot, profile, tasks)
    assert dialog.mode is UnlockMode.CREATE_WITH_PASSPHRASE
    assert dialog.confirm_edit.isVisible()
    intro = dialog.findChild(type(dialog.strength_label), "unlockIntro").text()
    assert "密钥环" in intro and "无法恢复" in intro

    type_text(qtbot, dialog.passphrase_edit, RIGHT)
    type_text(qtbot, dialog.confirm_edit, RIGHT + "x")
    assert dialog.strength_label.text().startswith("密码强度：")
    dialog.ok_button.click()
    assert dialog.error_label.text() == "两次输入的密码不一致，请重新输入。"
    assert dialog.isVisible()
    assert not profile.database.exists()

    type_text(qtbot, dialog.confirm_edit, RIGHT)
    with qtbot.waitSignal(dialog.finished, timeout=10_000) as finished:
        qtbot.keyClick(dialog.confirm_edit, Qt.Key.Key_Return)
    assert finished.args == [QDialog.DialogCode.Accepted]
    assert dialog.store is not None
    assert profile.database.exists()
    _close_store_of(dialog, on_db)


def test_create_mode_shows_the_stores_refusal_of_a_weak_passphrase(
    qtbot, no_keyring, profile, tasks
) -> None:
    dialog = _dialog(qtbot, profile, tasks)
    for edit in (dialog.passphrase_edit, dialog.confirm_edit):
        type_text(qtbot, edit, "short")
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.error_label.kind == "error", timeout=5000)
    assert "至少需要 8 个字符" in dialog.error_label.text()
    assert dialog.passphrase_edit.text() == ""
    assert dialog.isVisible()


def test_wrong_passphrase_shows_message_and_leaves_files_untouched(
    qtbot, existing_profile, tasks, on_db
) -> None:
    before = _digest(existing_profile)
    dialog = _dialog(qtbot, existing_profile, tasks)
    assert dialog.mode is UnlockMode.OPEN_WITH_PASSPHRASE
    assert not dialog.confirm_edit.isVisible()

    type_text(qtbot, dialog.passphrase_edit, "错误的密码 nope-1")
    dialog.ok_button.click()
    assert dialog.busy
    assert dialog.progress.isVisible()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.error_label.kind == "error"
    assert (
        dialog.error_label.text()
        == "密码不正确，无法打开本地数据库。请重新输入；数据库未做任何改动。"
    )
    assert "Traceback" not in dialog.error_label.text()
    assert dialog.passphrase_edit.text() == ""
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert _digest(existing_profile) == before

    type_text(qtbot, dialog.passphrase_edit, RIGHT)
    with qtbot.waitSignal(dialog.finished, timeout=10_000) as finished:
        dialog.ok_button.click()
    assert finished.args == [QDialog.DialogCode.Accepted]
    _close_store_of(dialog, on_db)


def test_cannot_cancel_while_unlocking(qtbot, existing_profile, tasks, on_db) -> None:
    dialog = _dialog(qtbot, existing_profile, tasks)
    type_text(qtbot, dialog.passphrase_edit, RIGHT)
    with qtbot.waitSignal(dialog.finished, timeout=10_000) as finished:
        dialog.ok_button.click()
        dialog.reject()  # ignored: the store is being opened
    assert finished.args == [QDialog.DialogCode.Accepted]
    _close_store_of(dialog, on_db)


def test_cancel_finishes_rejected(qtbot, existing_profile, tasks) -> None:
    dialog = _dialog(qtbot, existing_profile, tasks)
    with qtbot.waitSignal(dialog.finished, timeout=5000) as finished:
        dialog.cancel_button.click()
    assert finished.args == [QDialog.DialogCode.Rejected]
    assert dialog.store is None


@pytest.mark.parametrize(
    ("passphrase", "key"),
    [
        ("", "short"),
        ("abcdefg", "short"),
        ("abcdefgh", "weak"),
        ("abcdefghijkl", "fair"),
        ("Abcdefgh1234!", "strong"),
    ],
)
def test_strength_hint(passphrase: str, key: str) -> None:
    assert strength_hint(passphrase)[1] == key
