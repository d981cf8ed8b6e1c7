"""A real client process for the settings-after-SIGKILL test.

It starts the client the way ``desktop_app.main`` does (``Settings.load`` of the profile,
:class:`ui.launcher.StartupFlow`, the main window with its sync controller), then, by mode:

``login <data_dir> <url> <user> <password>``
    Opens the 同步 page's login dialog, types the platform address, account and password and
    clicks 登录 — the code path a clerk uses — then prints ``submitted`` and keeps running
    (prints ``logged-in`` once the platform accepted) until it is killed.
``flag <data_dir> <url>``
    Starts with ``--platform-url <url>`` (as ``credit-desk --platform-url``), prints
    ``ready`` when the window is shown, and keeps running until it is killed.
``show <data_dir>``
    Prints ``url <platform address>``, then ``state <connection state>`` once the first
    probe answered and a stored login had time to be restored, then
    ``logged-in <True|False>``, and exits.

The store key lives in a small file keyring inside the data folder (the OS keyring's
stand-in, shared by the processes of one test).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialogButtonBox

from desktop_app.config import ProfilePaths, Settings
from desktop_app.main import compose
from tests.memory_keyring import FileKeyring
from ui.app import create_application
from ui.connection import ConnectionState
from ui.launcher import StartupFlow
from ui.main_window import MainWindow
from ui.taskman import TaskManager


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main(argv: list[str]) -> int:
    """Run one mode (see the module docstring)."""
    mode, data_dir = argv[0], Path(argv[1])
    paths = ProfilePaths(data_dir)
    paths.ensure()
    keyring.set_keyring(FileKeyring(data_dir / "test-keyring.json"))
    settings = Settings.load(paths.settings_file)  # as desktop_app.main does
    app = create_application([sys.argv[0]], settings)
    app.setQuitOnLastWindowClosed(False)
    tasks = TaskManager()
    flow = StartupFlow(
        paths,
        settings,
        tasks,
        compose=compose,
        demo=False,
        platform_url=argv[2] if mode == "flag" else None,
    )

    def on_ready(window: MainWindow) -> None:
        sync = flow.sync
        assert sync is not None and window.sync_page is not None
        if mode == "flag":
            _say("ready")
        elif mode == "login":
            sync.logged_in_changed.connect(lambda value: _say(f"logged-in {value}"))
            window.sync_page.open_login()
            dialog = window.sync_page.login_dialog
            assert dialog is not None
            dialog.url_edit.setText(argv[2])
            dialog.username_edit.setText(argv[3])
            dialog.password_edit.setText(argv[4])
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
            _say("submitted")
        else:
            _say(f"url {sync.url}")

            ticks = [0]

            def report() -> None:
                # Wait for the probe and the restored login (or give up after ~20 s).
                ticks[0] += 1
                state = sync.state
                if state is ConnectionState.CHECKING and ticks[0] < 400:
                    return
                if state is ConnectionState.ONLINE_LOGGED_OUT and ticks[0] < 100:
                    return  # the stored login may still be on its way
                timer.stop()
                _say(f"state {sync.state.value}")
                _say(f"logged-in {sync.logged_in}")
                app.exit(0)

            timer = QTimer(app)
            timer.setInterval(50)
            timer.timeout.connect(report)
            timer.start()

    flow.ready.connect(on_ready)
    flow.exit_requested.connect(app.exit)
    flow.start()
    code = app.exec()
    flow.close()
    tasks.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
