"""Only https: a plain http:// platform address is refused unless it is this machine.

Tokens, passwords and the registry would otherwise cross the network readable by anyone on
the way. Loopback (``localhost``, ``127.x``, ``[::1]``) stays allowed for development.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop_app.config import ProfilePaths, Settings
from desktop_app.services.app import AppServices
from ui.connection import ConnectionState, platform_address_problem
from ui.login_dialog import LoginDialog
from ui.sync_adapter import PLATFORM_URL_KEY, SyncController
from ui.taskman import TaskManager

from .conftest import type_text

REFUSAL = "未加密的 http:// 地址只能用于本机调试，市级平台地址必须以 https:// 开头"


@pytest.mark.parametrize(
    "url",
    [
        "http://platform.changzhi.gov.cn",
        "http://10.20.30.40:8765",
        "http://192.168.1.5",
        "HTTP://Platform.Example/api",
        "http://[2001:db8::1]:8443",
        "http://localhost.example.com",
        "http://127.0.0.1.nip.io",
    ],
)
def test_plain_http_to_another_host_is_refused(url: str) -> None:
    assert platform_address_problem(url) == REFUSAL


@pytest.mark.parametrize(
    "url",
    [
        "https://platform.changzhi.gov.cn",
        "https://10.20.30.40:8443/api",
        "http://127.0.0.1:8765",
        "http://127.8.9.10:8765",
        "http://localhost:8765",
        "http://LOCALHOST",
        "http://[::1]:8765",
    ],
)
def test_https_and_loopback_http_are_accepted(url: str) -> None:
    assert platform_address_problem(url) is None


@pytest.fixture
def controller(
    services: AppServices, tasks: TaskManager, profile: ProfilePaths, qtbot, app
) -> Iterator[SyncController]:
    settings = Settings.load(profile.settings_file)
    settings.set(PLATFORM_URL_KEY, "https://platform.example")
    ctl = SyncController(services, tasks, settings, profile)
    yield ctl
    ctl.shutdown()


def test_login_refuses_plain_http_and_keeps_the_saved_address(
    qtbot, controller: SyncController, profile: ProfilePaths
) -> None:
    dialog = LoginDialog(controller)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.url_edit.clear()
    type_text(qtbot, dialog.url_edit, "http://platform.changzhi.gov.cn")
    type_text(qtbot, dialog.username_edit, "window.luzhou.1")
    type_text(qtbot, dialog.password_edit, "demo-2026")
    with qtbot.waitSignal(controller.login_failed, timeout=5000) as failed:
        dialog.buttons.accepted.emit()
    assert failed.args[0] == f"平台地址无效（{REFUSAL}），请检查后重新填写。"
    assert dialog.error_label.text() == failed.args[0] and dialog.isVisible()
    assert Settings.load(profile.settings_file).get(PLATFORM_URL_KEY) == "https://platform.example"
    assert not controller.logged_in


def test_a_plain_http_address_in_the_settings_file_is_never_used(
    services: AppServices, tasks: TaskManager, profile: ProfilePaths, qtbot, app
) -> None:
    settings = Settings.load(profile.settings_file)
    settings.set(PLATFORM_URL_KEY, "http://platform.changzhi.gov.cn")
    ctl = SyncController(services, tasks, settings, profile)
    try:
        assert ctl.state is ConnectionState.ADDRESS_INVALID
        assert ctl.state_hint.startswith(REFUSAL + "，无法同步。")
        assert not ctl.sync_now()  # no transport was ever made for it
    finally:
        ctl.shutdown()
