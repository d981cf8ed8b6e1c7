"""``credit-platform risk list``: the 风险预警 list from the command line.

Prints the flagged entities as JSON (the same objects ``GET /v1/risk-warnings`` answers), for
the city or one region (``--region``), evaluated on today in China (``--today`` or
``CREDIT_PLATFORM_TODAY`` for another day). The rules themselves are a policy:
``credit-platform policy show|history|set risk_rules``.

Exit codes: 0 done; 2 bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from platform_server.db import transaction
from platform_server.holiday_table import calendar_today
from platform_server.migrate import migrated_sessions
from platform_server.risk_warnings import flags_json, risk_report
from platform_server.settings import ServerSettings


def cmd_risk(args: argparse.Namespace, settings: ServerSettings) -> int:
    """Print the flagged entities (JSON)."""
    region = args.region
    if region is not None and not (len(region) == 6 and region.isdigit()):
        print("错误：区划代码应为6位数字，如 140403（潞州区）。", file=sys.stderr)
        return 2
    try:
        today = date.fromisoformat(args.today) if args.today else calendar_today()
    except ValueError:
        print("错误：日期应为 YYYY-MM-DD，如 2026-12-01。", file=sys.stderr)
        return 2
    sessions = migrated_sessions(settings.database_url)
    try:
        with transaction(sessions) as session:
            report = risk_report(session, today, region)
    finally:
        sessions.kw["bind"].dispose()  # the command may run inside a longer-lived process
    answer = {
        "as_of": report.as_of.isoformat(),
        "rules_revision": report.revision,
        "total": len(report.entities),
        "items": [flags_json(e) for e in report.entities],
    }
    print(json.dumps(answer, ensure_ascii=False, indent=2))
    return 0


def register(sub: Any) -> None:
    """Add the ``risk`` subcommand to the ``credit-platform`` parser."""
    risk = sub.add_parser("risk", help="list the entities flagged by the early-warning rules")
    risk.add_argument("action", choices=["list"])
    risk.add_argument("--region", default=None, help="six-digit region code (default: the city)")
    risk.add_argument("--today", default=None, help="YYYY-MM-DD (default: today in China)")
    risk.set_defaults(func=cmd_risk)
