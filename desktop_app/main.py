"""Composition root: flags, profile, logging, then either the self-test or the Qt client.

:func:`compose` is where the client is wired — services, the report signer, the sync
controller, the main window — once :mod:`ui.launcher` has unlocked the store. This is the
only module under ``desktop_app`` that may import Qt, ``ui`` or ``sync``, and nothing imports
it; it imports them lazily, so ``--version`` and the store part of ``--self-test`` start fast.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app import APP_DISPLAY_NAME, __version__
from desktop_app.config import ProfilePaths, Settings, default_data_dir
from desktop_app.logs import setup_logging

if TYPE_CHECKING:
    from desktop_app.services.actor import CurrentUser
    from desktop_app.services.unlock import Store, StoreUnlocker
    from ui.launcher import Composed
    from ui.taskman import TaskManager

log = logging.getLogger("desktop_app")


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="credit-desk", description=f"{APP_DISPLAY_NAME} (Credit Desk) {__version__}"
    )
    parser.add_argument("--version", action="version", version=f"credit-desk {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="profile folder (database, key header, logs, settings); default: per-user data dir",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check the encrypted store and the Qt runtime on this machine, then exit (0 = ok)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="fill an empty entity cache with demo entities (for trying the client out)",
    )
    parser.add_argument(
        "--platform-url",
        default=None,
        help="municipal platform to sync with, e.g. http://127.0.0.1:8765 (remembered)",
    )
    return parser.parse_args(list(argv))


def self_test(paths: ProfilePaths) -> int:
    """Run the store checks, then the Qt checks offscreen; print each and return 0 when all pass."""
    from desktop_app.services.self_test import Check, run_store_self_test

    checks = run_store_self_test()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.self_check import run_qt_self_check

    checks += [Check(name, ok, detail) for name, ok, detail in run_qt_self_check()]
    for check in checks:
        status = "ok  " if check.ok else "FAIL"
        print(f"[{status}] {check.name}{': ' + check.detail if check.detail else ''}")
    ok = all(c.ok for c in checks)
    print("self-test passed" if ok else "self-test FAILED")
    log.info("self-test %s", "passed" if ok else "failed")
    return 0 if ok else 1


def compose(
    store: Store,
    unlocker: StoreUnlocker,
    user: CurrentUser,
    tasks: TaskManager,
    settings: Settings,
    paths: ProfilePaths,
    *,
    demo: bool,
) -> Composed:
    """Wire the client on an open store: services, report signer, sync controller, window.

    Args:
        store: The unlocked store.
        unlocker: What unlocked it (the settings page changes the passphrase through it).
        user: Who operates the client (a later login updates it).
        tasks: The background task manager (its database worker opened ``store``).
        settings: The profile's preferences.
        paths: The profile's files.
        demo: The client runs against the demo platform.

    Returns:
        The services, the sync controller (not started) and the main window (not shown).
    """
    from desktop_app.services.app import AppServices
    from sync.report_signing import DeviceReportSigner
    from ui.launcher import Composed
    from ui.main_window import MainWindow
    from ui.sync_adapter import PLATFORM_URL_KEY, SyncController

    signer = DeviceReportSigner(store, platform_url=lambda: settings.get(PLATFORM_URL_KEY))
    services = AppServices.build(store, unlocker, user, signer=signer)
    sync = SyncController(services, tasks, settings, paths, demo=demo)
    window = MainWindow(services, settings, paths, tasks, sync=sync)
    return Composed(services, sync, window)


def restrict_new_files() -> None:
    """Make every file and folder the client creates its user's only (umask 077).

    The profile's files are created owner-only explicitly as well; the umask also covers
    what Qt and the libraries write (exports, caches) on a machine several people share.
    """
    if os.name == "posix":
        os.umask(0o077)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``credit-desk`` executable."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    restrict_new_files()
    paths = ProfilePaths((args.data_dir or default_data_dir()).expanduser().resolve())
    paths.ensure()
    log_file = setup_logging(paths.log_dir)
    log.info("credit-desk %s starting; profile %s; log %s", __version__, paths.data_dir, log_file)
    if args.self_test:
        return self_test(paths)
    settings = Settings.load(paths.settings_file)
    from ui.launcher import run_gui

    try:
        return run_gui(
            paths,
            settings,
            compose=compose,
            demo=args.demo,
            argv=[sys.argv[0]],
            platform_url=args.platform_url,
        )
    except Exception:
        log.exception("unhandled error")
        raise


if __name__ == "__main__":
    sys.exit(main())
