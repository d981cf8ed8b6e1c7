"""One connection indicator: a broken or unreachable platform address is never a silent no-sync."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from desktop_app.config import ProfilePaths, Settings
from desktop_app.services.app import AppServices
from ui.connection import ConnectionState, platform_address_problem, state_text
from ui.main_window import MainWindow
from ui.sync_adapter import PLATFORM_PIN_KEY, PLATFORM_URL_KEY, SyncController
from ui.taskman import TaskManager

TIMEOUT = 30_000

Make = Callable[[dict[str, object]], tuple[MainWindow, SyncController]]


@pytest.fixture
def make(
    services: AppServices, tasks: TaskManager, profile: ProfilePaths, qtbot, app
) -> Iterator[Make]:
    made: list[SyncController] = []

    def build(extra: dict[str, object]) -> tuple[MainWindow, SyncController]:
        settings = Settings.load(profile.settings_file)
        for key, value in extra.items():
            settings.set(key, value)
        ctl = SyncController(services, tasks, settings, profile)
        made.append(ctl)
        win = MainWindow(services, settings, profile, tasks, sync=ctl)
        qtbot.addWidget(win)
        win.show()
        ctl.start()
        return win, ctl

    yield build
    for ctl in made:
        ctl.shutdown()


@pytest.mark.parametrize(
    "url", ["platform.example.gov.cn", "htp://platform.example", "https://", "http://host:99999"]
)
def test_malformed_address_says_so_and_what_to_do(make: Make, url: str) -> None:
    win, ctl = make({PLATFORM_URL_KEY: url})
    assert ctl.state is ConnectionState.ADDRESS_INVALID
    assert win.online_label.text() == "离线 · 平台地址无效"
    message = win.hint_label.text()
    assert message.endswith("无法同步。请在 同步 页重新登录并改正平台地址。")
    # The 工作台 uses the same words, not a wording of its own.
    assert win.workbench.connection_label.text().startswith("离线 · 平台地址无效")


def test_malformed_pin_says_to_call_the_administrator(make: Make) -> None:
    win, ctl = make({PLATFORM_URL_KEY: "https://platform.example", PLATFORM_PIN_KEY: "not-a-pin"})
    assert ctl.state is ConnectionState.ADDRESS_INVALID
    assert win.online_label.text() == "离线 · 平台地址无效"
    assert "请联系管理员" in win.hint_label.text()


def test_unreachable_address_says_what_to_do(qtbot, make: Make) -> None:
    win, ctl = make({PLATFORM_URL_KEY: "http://127.0.0.1:9"})
    qtbot.waitUntil(lambda: ctl.state is ConnectionState.UNREACHABLE, timeout=TIMEOUT)
    assert win.online_label.text() == "离线 · 市级平台不可达"
    assert "核对平台地址" in win.hint_label.text()
    assert win.online_label.toolTip() == win.hint_label.text()


def test_malformed_address_at_login_is_refused_and_not_saved(
    qtbot, make: Make, profile: ProfilePaths
) -> None:
    _win, ctl = make({PLATFORM_URL_KEY: "http://127.0.0.1:9"})
    with qtbot.waitSignal(ctl.login_failed, timeout=5000) as failed:
        ctl.login("http//127.0.0.1:8765", "window.luzhou.1", "demo-2026")
    assert failed.args[0].startswith("平台地址无效（")
    assert Settings.load(profile.settings_file).get(PLATFORM_URL_KEY) == "http://127.0.0.1:9"


def test_every_state_has_its_own_words() -> None:
    texts = [state_text(state) for state in ConnectionState]
    assert len(set(texts)) == len(texts)
    assert platform_address_problem("https://platform.example:8443/api") is None
    assert platform_address_problem("http://127.0.0.1:8765") is None
