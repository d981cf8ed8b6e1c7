from __future__ import annotations

import pytest

from PySide6.QtWidgets import QMessageBox

from desktop_app.config import ProfilePaths, Settings
from desktop_app.services.app import AppServices
from desktop_app.services.unlock import StoreUnlocker
from ui.pages.settings import SettingsPage

OLD = "旧的本地密码 lion-11"
NEW = "新的本地密码 bear-22"


def _page(qtbot, services, profile, tasks, settings=None) -> SettingsPage:
    page = SettingsPage(services, settings or Settings.load(profile.settings_file), profile, tasks)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    return page


@pytest.fixture
def passphrase_services(no_keyring, profile: ProfilePaths, on_db):
    unlocker = StoreUnlocker(profile)
    services = AppServices.build(on_db(lambda: unlocker.unlock(OLD)), unlocker, actor="tester")
    yield services
    on_db(services.store.close)


def test_language_is_saved_and_the_restart_is_announced(qtbot, services, profile, tasks, app):
    page = _page(qtbot, services, profile, tasks)
    assert page.language_combo.currentData() == "zh_CN"
    with qtbot.waitSignal(page.language_saved, timeout=1000) as saved:
        page.language_combo.setCurrentIndex(page.language_combo.findData("en"))
    assert saved.args == ["en"]
    assert Settings.load(profile.settings_file).language == "en"
    assert "重新启动" in page.language_note.text()
    assert str(profile.data_dir) == page.data_dir_label.text()


def test_audit_log_check_reports_an_intact_chain(qtbot, services, profile, tasks):
    page = _page(qtbot, services, profile, tasks)
    with qtbot.waitSignal(page.audit_checked, timeout=5000) as checked:
        page.audit_button.click()
    assert checked.args[0].ok
    assert page.audit_message.kind == "success"
    assert "审计日志完整" in page.audit_message.text()


def test_keyring_profile_rotates_key_after_confirmation(qtbot, services, profile, tasks, on_db):
    page = _page(qtbot, services, profile, tasks)
    assert page.security_button.text() == "更换数据库密钥"
    page.security_button.click()
    box = page.confirm_box
    assert box is not None and box.isVisible()
    cancel = next(
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole
    )
    cancel.click()
    assert page.security_message.text() == ""

    page.security_button.click()
    box = page.confirm_box
    confirm = next(
        b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole
    )
    with qtbot.waitSignal(page.security_done, timeout=10_000) as done:
        confirm.click()
    assert done.args == [True]
    assert page.security_message.text() == "数据库密钥已更换。"
    assert on_db(services.status.snapshot).entities == 0  # the store still works


def test_passphrase_change_checks_and_reports_in_chinese(
    qtbot, passphrase_services: AppServices, profile, tasks, on_db
):
    page = _page(qtbot, passphrase_services, profile, tasks)
    assert page.security_button.text() == "修改本地数据库密码"

    page.old_edit.setText(OLD)
    page.new_edit.setText(NEW)
    page.confirm_edit.setText(NEW + "!")
    page.security_button.click()
    assert page.security_message.text() == "两次输入的新密码不一致，请重新输入。"

    page.old_edit.setText("不是原来的密码 x")
    page.confirm_edit.setText(NEW)
    with qtbot.waitSignal(page.security_done, timeout=10_000) as done:
        page.security_button.click()
    assert done.args == [False]
    assert page.security_message.text() == "原密码不正确，密码未修改。"

    page.old_edit.setText(OLD)
    page.confirm_edit.setText(NEW)
    with qtbot.waitSignal(page.security_done, timeout=10_000) as done:
        page.security_button.click()
    assert done.args == [True]
    assert page.security_message.kind == "success"
    assert page.old_edit.text() == ""

    # The new passphrase opens the store after a restart.
    on_db(passphrase_services.store.close)
    passphrase_services.store = on_db(lambda: StoreUnlocker(profile).unlock(NEW))


def test_unreadable_key_header_is_reported_not_raised(qtbot, store, tmp_path, tasks):
    # The store is open, but the profile the unlocker looks at has lost its key header.
    elsewhere = ProfilePaths(tmp_path / "elsewhere")
    elsewhere.ensure()
    elsewhere.database.write_bytes(b"\x93" * 1024)
    services = AppServices.build(store, StoreUnlocker(elsewhere), actor="tester")
    page = _page(qtbot, services, elsewhere, tasks)
    assert not page.security_button.isEnabled()
    assert page.security_message.kind == "error"
    assert "缺少密钥头文件" in page.security_message.text()


def test_full_id_numbers_are_off_by_default_and_the_choice_is_kept(
    qtbot, seeded_services, profile, tasks, on_db
) -> None:
    from desktop_app.services.education import SessionDraft
    from ui.pages.settings import FULL_ID_KEY

    full = "140402199001011235"
    page = _page(qtbot, seeded_services, profile, tasks)
    education = seeded_services.education
    assert not page.full_id_check.isChecked() and not education.keep_full_id
    session = on_db(lambda: education.create_session(SessionDraft("诚信第一课", "2026-11-20")))

    def check_in(name: str) -> str:
        result = education.check_in(session.id, "", name, id_number=full, entity_name="新办个体户")
        return result.attendee.id_number

    assert on_db(lambda: check_in("王堃")) == "140402********1235"
    page.full_id_check.setChecked(True)
    assert education.keep_full_id
    assert Settings.load(profile.settings_file).extra[FULL_ID_KEY] is True
    assert on_db(lambda: check_in("赵玥")) == full
    page.full_id_check.setChecked(False)
    assert not education.keep_full_id
    assert Settings.load(profile.settings_file).extra[FULL_ID_KEY] is False
