"""``credit-platform`` subcommands of the public credit record: policies, rebuild, expiry.

* ``policy list`` / ``policy show NAME`` / ``policy history NAME`` print the policies in force
  and their revisions (JSON);
* ``policy set NAME FILE --by ACCOUNT --note WHY`` stores a new revision from a JSON file
  (checked by the shared parser; exit 2 with the reason when it is malformed);
* ``credit-rebuild`` re-projects every source form and standing;
* ``audit verify`` walks the platform's hash-chained audit log (exit 1 on a break);
  ``audit list [--subject-type C --subject-id ID --limit N]`` prints its newest rows;
  ``audit publish-head`` signs and publishes the current head (exit 1 when the log is broken);
* ``verify-audit [--heads FILE]`` walks the log and holds it to every published head (the
  table's, the data directory's witness file, and a copy someone kept): exit 1 when the log
  was rewritten or truncated, naming the rows;
* ``credit-expire`` stops publishing entries past their period (``--today`` to run it for a
  given day; CREDIT_PLATFORM_TODAY works too, as for the calendar).

Exit codes: 0 done; 1 the audit log was tampered with; 2 bad arguments, an unreadable file or
a malformed policy.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.domain.policy import POLICY_NAMES, PolicyInvalid
from platform_server import audit_log, credit_projection
from platform_server.db import transaction
from platform_server.holiday_table import calendar_today
from platform_server.migrate import migrated_sessions
from platform_server.models import User
from platform_server.policies import policy_state, revisions, set_policy
from platform_server.settings import ServerSettings


def _print(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def cmd_policy(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Show or set a credit policy."""
    sessions = migrated_sessions(settings.database_url)
    if args.action == "list":
        with transaction(sessions) as session:
            _print(policy_state(session))
        return 0
    if args.name not in POLICY_NAMES:
        print(
            f"错误：没有名为“{args.name}”的政策，可选：{'、'.join(POLICY_NAMES)}。", file=sys.stderr
        )
        return 2
    if args.action == "show":
        with transaction(sessions) as session:
            _print(next(p for p in policy_state(session) if p["name"] == args.name))
        return 0
    if args.action == "history":
        with transaction(sessions) as session:
            _print(revisions(session, args.name))
        return 0
    if not args.file or not args.by:
        print("错误：设置政策须给出 JSON 文件和 --by 账户名。", file=sys.stderr)
        return 2
    try:
        content = json.loads(Path(args.file).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"错误：无法读取政策文件 {args.file}：{exc}", file=sys.stderr)
        return 2
    with transaction(sessions) as session:
        account = session.query(User).filter(User.username == args.by).one_or_none()
        if account is None or account.role != "admin":
            print(f"错误：{args.by} 不是管理员账户，不能修改信用政策。", file=sys.stderr)
            return 2
        try:
            change = set_policy(session, args.name, content, args.by, args.note or "")
        except PolicyInvalid as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 2
    print(
        f"政策 {change.name} 已更新为第 {change.revision} 版；"
        f"容缺受理结论变化的主体 {change.standing_changed} 户（各窗口下次同步后生效）。"
    )
    return 0


def cmd_credit_rebuild(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Re-project every source form and standing."""
    sessions = migrated_sessions(settings.database_url)
    with transaction(sessions) as session:
        summary = credit_projection.rebuild(session)
    print(
        f"已重建全市公共信用记录：来源表单 {summary.sources} 份，"
        f"条目变化 {summary.entries_changed} 条，容缺受理结论变化 {summary.standing_changed} 户。"
    )
    return 0


def cmd_credit_expire(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Stop publishing entries past their publication period."""
    today = date.fromisoformat(args.today) if args.today else calendar_today()
    sessions = migrated_sessions(settings.database_url)
    with transaction(sessions) as session:
        ended = credit_projection.expire(session, today)
    print(f"{today.isoformat()}：公示期已满、停止公示的信用记录 {ended} 条。")
    return 0


def cmd_audit(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Verify the platform's audit log, or list its newest rows."""
    sessions = migrated_sessions(settings.database_url)
    try:
        return _audit(args, sessions, settings)
    finally:
        sessions.kw["bind"].dispose()  # the command may run inside a longer-lived process


def _audit(args: argparse.Namespace, sessions: Any, settings: ServerSettings) -> int:
    if args.action == "publish-head":
        try:
            head = audit_log.publish_now(sessions, settings.data_dir)
        except audit_log.ChainBrokenError as exc:
            for problem in exc.problems:
                print(f"错误：{problem}", file=sys.stderr)
            print("审计日志未通过校验，链头未发布。请保全数据库并报告安全负责人。", file=sys.stderr)
            return 1
        print(
            f"已发布第 {head.seq} 次审计日志链头：共 {head.count} 条，末条哈希 {head.hash}，"
            f"时间 {head.at}（密钥 {head.key_id}）。"
        )
        return 0
    with transaction(sessions) as session:
        if args.action == "verify":
            verdict = audit_log.verify(session)
            if verdict.ok:
                print(f"审计日志完整：共 {verdict.rows} 条，哈希链与链头一致。")
                return 0
            for problem in verdict.problems:
                print(f"错误：{problem}", file=sys.stderr)
            print(
                f"审计日志被改动：共 {verdict.rows} 条，发现 {len(verdict.problems)} 处问题。"
                "请保全数据库并报告安全负责人。",
                file=sys.stderr,
            )
            return 1
        rows = audit_log.entries(
            session, subject_type=args.subject_type, subject_id=args.subject_id, limit=args.limit
        )
        _print(
            [
                {
                    "id": r.id,
                    "at": r.at,
                    "actor": r.actor,
                    "action": r.action,
                    "subject": f"{r.subject_type}/{r.subject_id}".strip("/"),
                    "details": r.details,
                }
                for r in rows
            ]
        )
    return 0


def cmd_verify_audit(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Walk the audit log and hold it to every published head (exit 1 on any problem)."""
    copies: list[audit_log.PublishedHead] = []
    witness = settings.data_dir / audit_log.WITNESS_FILE
    sources = [Path(args.heads)] if args.heads else []
    for source in ([witness] if witness.is_file() else []) + sources:
        try:
            copies.extend(audit_log.read_heads_file(source))
        except (OSError, ValueError) as exc:
            print(f"错误：无法读取链头文件 {source}：{exc}", file=sys.stderr)
            return 2
    try:
        key = audit_log.load_key(settings.data_dir)
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    public = audit_log.public_key_bytes(key) if key is not None else None
    sessions = migrated_sessions(settings.database_url)
    try:
        with transaction(sessions) as session:
            verdict, problems, published = audit_log.verify_published(session, public, copies)
    finally:
        sessions.kw["bind"].dispose()
    problems = list(verdict.problems) + problems
    if problems:
        for problem in problems:
            print(f"错误：{problem}", file=sys.stderr)
        print(
            f"审计日志被改动：共 {verdict.rows} 条，已发布链头 {published} 次，"
            f"发现 {len(problems)} 处问题。请保全数据库和数据目录，并报告安全负责人。",
            file=sys.stderr,
        )
        return 1
    if not published:
        print(
            f"审计日志哈希链完整：共 {verdict.rows} 条。尚未发布链头，无法发现整体改写；"
            "请运行 credit-platform audit publish-head（平台服务每天自动发布）。"
        )
        return 0
    kept = f"（另行保存 {len(copies)} 份）" if copies else ""
    print(
        f"审计日志完整：共 {verdict.rows} 条；已发布的 {published} 次链头{kept}"
        "均由平台密钥签署，且都是现有日志的前缀。"
    )
    return 0


def register(sub: Any) -> None:
    """Add the subcommands to the ``credit-platform`` parser."""
    policy = sub.add_parser("policy", help="show or set a credit policy (JSON)")
    policy.add_argument("action", choices=["list", "show", "history", "set"])
    policy.add_argument("name", nargs="?", default="")
    policy.add_argument("file", nargs="?", help="JSON file with the new content (set)")
    policy.add_argument("--by", help="the administrator's account name (set)")
    policy.add_argument("--note", help="why the policy changes (set)")
    policy.set_defaults(func=cmd_policy)

    rebuild = sub.add_parser("credit-rebuild", help="re-project the public credit record")
    rebuild.set_defaults(func=cmd_credit_rebuild)

    expire = sub.add_parser("credit-expire", help="stop publishing records past their period")
    expire.add_argument("--today", help="YYYY-MM-DD (default: today in China)")
    expire.set_defaults(func=cmd_credit_expire)

    audit = sub.add_parser("audit", help="verify, list or publish the head of the audit log")
    audit.add_argument("action", choices=["verify", "list", "publish-head"])
    audit.add_argument("--subject-type", default=None, help="list: one collection")
    audit.add_argument("--subject-id", default=None, help="list: one record")
    audit.add_argument("--limit", type=int, default=100, help="list: newest N rows")
    audit.set_defaults(func=cmd_audit)

    verify_audit = sub.add_parser(
        "verify-audit", help="walk the audit log and check it against every published head"
    )
    verify_audit.add_argument(
        "--heads", default=None, help="published heads kept elsewhere (GET /v1/audit/heads)"
    )
    verify_audit.set_defaults(func=cmd_verify_audit)
