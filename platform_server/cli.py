"""``credit-platform``: serve, migrate, create-user, revoke-device, and the data commands.

The data commands (import, seed-demo, draw, calendar-status) and the account commands
(devices, deactivate-user, activate-user, unlock-user) are in :mod:`platform_server.commands`.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from platform_server import __version__
from platform_server.db import make_engine, transaction
from platform_server.migrate import migrated_sessions, upgrade
from platform_server.models import Device, Hall, User
from platform_server.security import (
    hash_password,
    now,
    password_problem,
    reset_password,
    revoke_device_by,
)
from platform_server.settings import ServerSettings
from sync.protocol import Role

log = logging.getLogger("platform_server")
CLI_ACTOR = "credit-platform（命令行）"
"""The audit log's actor for account and device changes made on the command line."""


def _sessions(settings: ServerSettings) -> sessionmaker[Session]:
    return migrated_sessions(settings.database_url)


def cmd_serve(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Run the HTTP server (migrates first)."""
    import uvicorn

    from platform_server import audit_log
    from platform_server.app import create_app
    from platform_server.commands import warn_calendar

    app = create_app(settings)
    database = _redacted(settings.database_url)
    print(f"credit-platform {__version__} on http://{args.host}:{args.port} — database {database}")
    sessions = _sessions(settings)
    warn_calendar(sessions)
    # Publication stops at the maximum period without anyone acting: at start, then twice a day.
    start_expiry_job(sessions)
    audit_log.start_head_job(sessions, settings.data_dir)  # the signed audit head, daily
    # proxy_headers=False: uvicorn would otherwise believe X-Forwarded-For from 127.0.0.1; the
    # platform reads it itself, only from CREDIT_PLATFORM_TRUSTED_PROXIES (deps.client_address).
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        access_log=False,
        proxy_headers=False,
    )
    return 0


EXPIRY_INTERVAL_S = 12 * 3600


def start_expiry_job(sessions: Any) -> threading.Thread:
    """Run :func:`platform_server.credit_projection.expire` now and every 12 hours.

    A daemon thread of the serving process; ``CREDIT_PLATFORM_TODAY`` sets its day (a clock
    tests control). Failures are logged and retried at the next turn.
    """
    from platform_server.credit_projection import expire
    from platform_server.holiday_table import calendar_today

    def run() -> None:
        while True:
            try:
                with transaction(sessions) as session:
                    ended = expire(session, calendar_today())
                if ended:
                    log.info("publication period over: %d credit entries withdrawn", ended)
            except Exception:
                log.exception("the credit-expire job failed; retrying at its next turn")
            time.sleep(EXPIRY_INTERVAL_S)

    thread = threading.Thread(target=run, name="credit-expire", daemon=True)
    thread.start()
    return thread


def _redacted(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def cmd_migrate(_args: argparse.Namespace, settings: ServerSettings) -> int:
    """Bring the database schema to the newest revision."""
    upgrade(make_engine(settings.database_url))
    print("database is at the newest schema revision")
    return 0


def cmd_create_user(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Create an account, or reset an existing one's password, role, hall and region.

    The password must pass :func:`platform_server.security.password_problem`. A reset ends
    every session of the account and revokes its devices (``--keep-devices``: sessions only).
    """
    password = (
        args.password or os.environ.get("CREDIT_PLATFORM_PASSWORD") or getpass.getpass("密码: ")
    )
    problem = password_problem(password, args.username)
    if problem is not None:
        print(f"错误：{problem}", file=sys.stderr)
        return 2
    role = Role(args.role)
    if role is Role.WINDOW and not args.hall:
        print("错误：窗口人员账户需要 --hall（所属服务大厅编号）。", file=sys.stderr)
        return 2
    sessions = _sessions(settings)
    with transaction(sessions) as session:
        if args.hall and session.get(Hall, args.hall) is None:
            session.add(
                Hall(id=args.hall, name=args.hall_name or args.hall, region_code=args.region or "")
            )
        user = session.scalar(select(User).where(User.username == args.username))
        if user is None:
            user = User(
                username=args.username,
                display_name=args.display_name or args.username,
                password_hash=hash_password(password),
                role=role.value,
                hall_id=args.hall,
                region_code=args.region,
                active=True,
                created_at=now(),
            )
            session.add(user)
            print(f"account {args.username} ({role.value}) created")
        else:
            user.role = role.value
            user.hall_id = args.hall
            user.region_code = args.region
            change = reset_password(
                session, user, password, CLI_ACTOR, keep_devices=args.keep_devices
            )
            print(f"account {args.username} updated")
            print(
                f"已结束该账户的全部登录会话（{change.sessions_ended} 个），"
                f"注销设备 {change.devices_revoked} 台"
                + ("（这些设备下次联网时会清除本机数据）。" if change.devices_revoked else "。")
            )
    return 0


def cmd_revoke_device(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Revoke a device: its tokens stop working and its next request tells it to wipe."""
    sessions = _sessions(settings)
    with transaction(sessions) as session:
        device = session.get(Device, args.device_id)
        if device is None:
            print(f"错误：没有编号为 {args.device_id} 的设备。", file=sys.stderr)
            return 2
        revoke_device_by(session, device, CLI_ACTOR)
    print(f"device {args.device_id} revoked")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser."""
    parser = argparse.ArgumentParser(
        prog="credit-platform", description="Credit Desk reference municipal platform"
    )
    parser.add_argument("--version", action="version", version=f"credit-platform {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(func=cmd_serve)

    sub.add_parser("migrate", help="upgrade the database schema").set_defaults(func=cmd_migrate)

    user = sub.add_parser("create-user", help="create an account or reset its password")
    user.add_argument("username")
    user.add_argument("--role", choices=[r.value for r in Role], required=True)
    user.add_argument("--display-name")
    user.add_argument("--hall", help="service hall id (window staff)")
    user.add_argument("--hall-name")
    user.add_argument("--region", help="six-digit region code")
    user.add_argument("--password", help="or set CREDIT_PLATFORM_PASSWORD; asked when absent")
    user.add_argument(
        "--keep-devices",
        action="store_true",
        help="on a reset: end the sessions but leave the devices enrolled (no wipe)",
    )
    user.set_defaults(func=cmd_create_user)

    revoke = sub.add_parser("revoke-device", help="revoke a device (it wipes its store)")
    revoke.add_argument("device_id")
    revoke.set_defaults(func=cmd_revoke_device)

    from platform_server import commands, credit_commands, releases, risk_commands, snapshots

    commands.register(sub)
    credit_commands.register(sub)
    risk_commands.register(sub)
    releases.register(sub)
    snapshots.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``credit-platform``."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    args = build_parser().parse_args(argv)
    settings = ServerSettings.from_env()
    return int(args.func(args, settings))


if __name__ == "__main__":
    sys.exit(main())
