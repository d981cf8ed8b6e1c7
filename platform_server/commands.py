"""Data and account subcommands of ``credit-platform``.

Data: import, seed-demo, draw, calendar-status. Accounts: devices, deactivate-user,
activate-user, unlock-user (create-user and revoke-device are in :mod:`platform_server.cli`).

Exit codes: 0 done; 1 ``calendar-status`` found a year's holiday table missing; 2 bad arguments
(an unknown account, a database seed-demo refuses), or a file/collection that cannot be
imported; 3 an import that stored the valid rows but rejected some (see the printed report);
4 a draw the platform refused (the reason is printed).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from platform_server.db import transaction
from platform_server.demo import describe, mark_demo, non_demo_data, seed_demo
from platform_server.errors import ApiError
from platform_server.holiday_table import calendar_status, calendar_today, status_line
from platform_server.importer import SUPPORTED, ImportFileError, import_file
from platform_server.migrate import migrated_sessions
from platform_server.models import Device, User
from platform_server.security import (
    AccountChange,
    activate_account,
    deactivate_account,
    unlock_login,
)
from platform_server.settings import ServerSettings
from sync.protocol import DrawRequest, Role


def _sessions(settings: ServerSettings) -> sessionmaker[Session]:
    return migrated_sessions(settings.database_url)


def cmd_import(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Import reference data from a CSV or JSON file and print the report.

    Ends with the calendar warning when next year's holidays are still missing.
    """
    sessions = _sessions(settings)
    try:
        report = import_file(sessions, args.collection, Path(args.file), args.report)
    except ImportFileError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(report.text())
    if args.report:
        print(f"报告已写入 {args.report}")
    warn_calendar(sessions)
    return 3 if report.rejected else 0


def warn_calendar(sessions: Any) -> None:
    """Print the calendar warning, if any, to stderr (see :mod:`platform_server.holiday_table`)."""
    try:
        line = status_line(sessions)
    except ValueError as exc:  # a malformed CREDIT_PLATFORM_TODAY
        line = f"警告：无法检查工作日历：{exc}"
    if line:
        print(line, file=sys.stderr)


def cmd_calendar_status(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Print whether this year's and (in December) next year's holidays are known.

    Exit code 0 when they are, 1 when a holiday table must be imported.
    """
    try:
        today = date.fromisoformat(args.today) if args.today else calendar_today()
    except ValueError as exc:
        print(f"错误：日期无效：{exc}", file=sys.stderr)
        return 2
    with transaction(_sessions(settings)) as session:
        status = calendar_status(session, today)
    print(f"{today.isoformat()}：{status.message()}")
    return 1 if status.warning else 0


def cmd_seed_demo(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Fill the database with the demo 长治 (safe to run again: it skips or tops up).

    Refused (exit 2) on a database that holds non-demo data (:func:`demo.non_demo_data`).
    """
    if args.entities < 0:
        print("错误：--entities 不能为负数。", file=sys.stderr)
        return 2
    sessions = _sessions(settings)
    with transaction(sessions) as session:
        refusal = non_demo_data(session)
        if refusal is None:
            mark_demo(session)
    if refusal is not None:
        print(
            f"错误：{refusal}，不能写入演示数据（演示账户的密码是公开的）。"
            "请为演示另建一个空数据库（设置新的 DATABASE_URL 或 CREDIT_PLATFORM_DATA）后再运行。",
            file=sys.stderr,
        )
        return 2
    summary = seed_demo(sessions, args.entities, seed=args.seed)
    print(describe(summary))
    return 0


def cmd_draw(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Make a 双随机 draw on behalf of a supervisor and print the tasks."""
    from platform_server.draw_service import perform_draw

    try:
        body = DrawRequest(
            title=args.title,
            region_code=args.region,
            industry=args.industry,
            share=args.share,
            checklist_id=args.checklist,
            due_working_days=args.due_working_days,
        )
    except ValueError as exc:
        print(f"错误：参数不正确：{exc}", file=sys.stderr)
        return 2
    sessions = _sessions(settings)
    try:
        with transaction(sessions) as session:
            user = session.scalar(select(User).where(User.username == args.supervisor))
            allowed = (Role.SUPERVISOR.value, Role.ADMIN.value)
            if user is None or not user.active or user.role not in allowed:
                print(
                    f"错误：账户 {args.supervisor} 不存在、已停用，或不是科室负责人/管理员。",
                    file=sys.stderr,
                )
                return 2
            result = perform_draw(session, body, user)
    except ApiError as exc:
        print(f"抽查未进行：{exc.message}", file=sys.stderr)
        return 4
    print(f"抽查批次 {result.draw_id}（{result.title}）：随机种子 {result.seed}（平台生成）")
    for c in result.classes:
        if c.pool:
            print(f"  风险分类 {c.code}：{c.pool} 户，比例 {c.rate:.2%}，抽取 {c.drawn} 户")
    print(f"候选主体 {result.candidates} 户，抽中 {len(result.tasks)} 户：")
    for task in result.tasks:
        inspectors = "、".join(task.inspectors)
        print(f"  {task.task_id}  {task.uscc}  {task.entity_name}  执法人员：{inspectors}")
    return 0


ACCOUNT_ACTOR = "credit-platform（命令行）"


def _account_command(
    settings: ServerSettings,
    username: str,
    action: Any,
) -> AccountChange | None:
    with transaction(_sessions(settings)) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            print(f"错误：没有账户 {username}，请核对用户名。", file=sys.stderr)
            return None
        change: AccountChange = action(session, user, ACCOUNT_ACTOR)
        return change


def cmd_deactivate_user(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Deactivate an account: no login, every session ended, every device revoked (wiped)."""
    change = _account_command(settings, args.username, deactivate_account)
    if change is None:
        return 2
    print(
        f"账户 {change.username} 已停用：结束登录会话 {change.sessions_ended} 个，"
        f"注销设备 {change.devices_revoked} 台（这些设备下次联网时会清除本机数据）。"
    )
    return 0


def cmd_activate_user(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Let a deactivated account log in again."""
    change = _account_command(settings, args.username, activate_account)
    if change is None:
        return 2
    print(f"账户 {change.username} 已启用，可以重新登录（已注销的设备需要重新登记）。")
    return 0


def cmd_unlock_user(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Lift every login lockout of an account."""
    change = _account_command(settings, args.username, unlock_login)
    if change is None:
        return 2
    print(f"账户 {change.username} 的登录锁定已解除（{change.sources_unlocked} 个来源）。")
    return 0


def cmd_devices(args: argparse.Namespace, settings: ServerSettings) -> int:
    """List enrolled devices (tab-separated), oldest enrolment first."""
    with transaction(_sessions(settings)) as session:
        stmt = select(Device, User.username).join(User, User.id == Device.user_id)
        if args.user:
            stmt = stmt.where(User.username == args.user)
        if not args.all:
            stmt = stmt.where(Device.revoked_at.is_(None))
        rows = session.execute(stmt.order_by(Device.enrolled_at, Device.id)).all()
        print("device_id\tusername\tname\tenrolled_at\tlast_seen_at\trevoked_at")
        for device, username in rows:
            times = (device.enrolled_at, device.last_seen_at, device.revoked_at)
            shown = "\t".join(f"{t:%Y-%m-%d %H:%M:%S}Z" if t else "-" for t in times)
            print(f"{device.id}\t{username}\t{device.name or '-'}\t{shown}")
    print(f"共 {len(rows)} 台设备", file=sys.stderr)
    return 0


def register_accounts(sub: Any) -> None:
    """Add the account subcommands (devices, deactivate-user, activate-user, unlock-user)."""
    devices = sub.add_parser("devices", help="list enrolled devices (revoke with revoke-device)")
    devices.add_argument("--user", help="only this account's devices")
    devices.add_argument("--all", action="store_true", help="revoked devices too")
    devices.set_defaults(func=cmd_devices)

    for name, func, text in (
        (
            "deactivate-user",
            cmd_deactivate_user,
            "deactivate an account (ends sessions, revokes devices)",
        ),
        ("activate-user", cmd_activate_user, "let a deactivated account log in again"),
        ("unlock-user", cmd_unlock_user, "lift the login lockouts of an account"),
    ):
        command = sub.add_parser(name, help=text)
        command.add_argument("username")
        command.set_defaults(func=func)


def register(sub: Any) -> None:
    """Add the data subcommands to the ``credit-platform`` parser.

    Args:
        sub: The ``add_subparsers()`` object of :func:`platform_server.cli.build_parser`.
    """
    imp = sub.add_parser("import", help="import reference data (CSV or JSON)")
    imp.add_argument("--collection", required=True, choices=SUPPORTED)
    imp.add_argument(
        "file",
        help="a .csv (header row) or .json (list of objects) file; for calendar_overrides "
        "also a .txt holiday notice (lines like 2027-01-01,休 / 2027-02-06,班 / 2027,完整)",
    )
    imp.add_argument("--report", type=Path, help="also write the report to this CSV file")
    imp.set_defaults(func=cmd_import)

    demo = sub.add_parser("seed-demo", help="fill the database with a demo 长治 (idempotent)")
    demo.add_argument("--entities", type=int, default=10_000, help="entities wanted in total")
    demo.add_argument("--seed", type=int, default=2020, help="generator seed")
    demo.set_defaults(func=cmd_seed_demo)

    cal = sub.add_parser(
        "calendar-status", help="is next year's holiday table imported? (exit 1 when missing)"
    )
    cal.add_argument("--today", help="judge as of this ISO date (default: today in China)")
    cal.set_defaults(func=cmd_calendar_status)

    draw = sub.add_parser("draw", help="make a 双随机 draw on behalf of a supervisor")
    draw.add_argument("--title", required=True)
    draw.add_argument("--region", help="six-digit region code (abolished codes included)")
    draw.add_argument("--industry")
    draw.add_argument(
        "--share",
        type=float,
        default=1.0,
        help="fraction of the yearly sampling rates this draw takes (0.25: a quarterly draw)",
    )
    draw.add_argument("--checklist", help="checklist id for the tasks")
    draw.add_argument("--due-working-days", type=int, default=20)
    draw.add_argument("--supervisor", required=True, help="username of the supervisor or admin")
    draw.set_defaults(func=cmd_draw)
    register_accounts(sub)
