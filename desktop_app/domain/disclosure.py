"""What public credit information may be shown to the public, and until when.

Rules (DOMAIN.md "Credit repair", "Credit grades"; NDRC 《信用修复管理办法》, 令第36号):

* Internal risk grades (A/B/C/D, A–E elsewhere) are for supervisors and are never disclosed.
* 行政处罚 are published for a period that depends on their severity and runs from the decision
  date: 轻微 (``minor``) — in principle not published, at most 3 months; 一般 (``general``) — 3
  months to 1 year; 严重 (``serious``) — 1 to 3 years. Publication stops automatically at the
  maximum; a shorter declared end (``publish_until``) is honoured, a longer one is capped.
* A minor penalty is disclosed only when its record says it is published (``published``).
* A record that has been repaired (信用修复 completed), revoked (撤销) or whose publication has
  ended is not disclosed: when repair completes, publication stops and joint punishment ends.
* A list membership is disclosed while it is active (not removed, not repaired, not past its
  ``until`` date).

Record fields follow the platform collections ``penalties``, ``licences`` and
``list_memberships`` (docs/PROTOCOL.md); functions take plain mappings so both the client and
the platform use them.
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from desktop_app.domain.errors import DomainError


class Severity(enum.StrEnum):
    """情节严重程度 of a 行政处罚 (decides its publication period)."""

    MINOR = "minor"
    GENERAL = "general"
    SERIOUS = "serious"


SEVERITY_LABELS: Mapping[Severity, str] = {
    Severity.MINOR: "轻微",
    Severity.GENERAL: "一般",
    Severity.SERIOUS: "严重",
}

SEVERITY_ALIASES: Mapping[str, Severity] = {
    **{s.value: s for s in Severity},
    **{label: s for s, label in SEVERITY_LABELS.items()},
    "轻微失信": Severity.MINOR,
    "一般失信": Severity.GENERAL,
    "严重失信": Severity.SERIOUS,
}

MAX_PUBLICATION_MONTHS: Mapping[Severity, int] = {
    Severity.MINOR: 3,
    Severity.GENERAL: 12,
    Severity.SERIOUS: 36,
}
"""Longest publication period by severity, in months from the decision date."""

MIN_PUBLICATION_MONTHS: Mapping[Severity, int] = {
    Severity.MINOR: 0,
    Severity.GENERAL: 3,
    Severity.SERIOUS: 12,
}
"""Shortest period before repair may be applied for (informational; the platform decides)."""

REPAIR_STATUSES = frozenset({"none", "applying", "repaired", "rejected"})
"""``repair_status`` of a penalty: no application, in progress, completed, refused."""

REPAIR_LABELS: Mapping[str, str] = {
    "none": "未申请",
    "applying": "信用修复申请办理中",
    "repaired": "已完成信用修复",
    "rejected": "信用修复申请未通过",
}

INTERNAL_FIELDS = frozenset({"credit_grade", "grade", "risk_grade", "risk_class", "scale"})
"""Fields that hold internal risk classes: never copied into anything printed."""


class DisclosureError(DomainError):
    """A record's fields do not allow a disclosure decision (bad severity or date)."""


def parse_severity(value: object) -> Severity:
    """A severity from its code or Chinese label.

    Raises:
        DisclosureError: Not a known severity.
    """
    found = SEVERITY_ALIASES.get(str(value).strip()) if value is not None else None
    if found is None:
        raise DisclosureError(f"处罚情节“{value}”无效，应为 轻微、一般 或 严重。")
    return found


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months (the 31st becomes the last day of a shorter month)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _date(value: object, label: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):  # a date subclass that cannot be compared with a date
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise DisclosureError(f"{label}“{value}”不是有效日期（应为 YYYY-MM-DD）。") from None


def publication_end(
    severity: Severity, decided_on: date, declared_until: date | None = None
) -> date:
    """The last day a penalty may be published.

    Args:
        severity: The penalty's severity.
        decided_on: The decision date (the period runs from it).
        declared_until: An end the deciding authority declared, if any (capped at the maximum).
    """
    maximum = add_months(decided_on, MAX_PUBLICATION_MONTHS[severity])
    if declared_until is not None and declared_until < maximum:
        return declared_until
    return maximum


def _repaired(record: Mapping[str, Any]) -> bool:
    return record.get("repair_status") == "repaired" or bool(record.get("repaired_on"))


def penalty_disclosed(record: Mapping[str, Any], today: date) -> bool:
    """Whether a ``penalties`` record may appear on a public report on ``today``.

    Raises:
        DisclosureError: The record's severity or dates are malformed.
    """
    if record.get("status", "active") != "active" or _repaired(record):
        return False
    severity = parse_severity(record.get("severity", Severity.GENERAL.value))
    if severity is Severity.MINOR and not record.get("published"):
        return False
    decided = _date(record.get("decided_on"), "处罚决定日期")
    if decided is None:
        raise DisclosureError("处罚记录缺少决定日期（decided_on），无法判断公示期。")
    until = publication_end(severity, decided, _date(record.get("publish_until"), "公示截止日期"))
    return decided <= today <= until


def membership_disclosed(record: Mapping[str, Any], today: date) -> bool:
    """Whether a ``list_memberships`` record may appear on a public report on ``today``."""
    if record.get("status", "active") != "active" or _repaired(record):
        return False
    until = _date(record.get("until"), "移出日期")
    return until is None or today <= until


def licence_disclosed(record: Mapping[str, Any]) -> bool:
    """Whether a ``licences`` record may appear on a public report (not revoked)."""
    return record.get("status", "valid") not in {"revoked", "withdrawn"}


def strip_internal(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``fields`` without internal risk classes (:data:`INTERNAL_FIELDS`)."""
    return {k: v for k, v in fields.items() if k not in INTERNAL_FIELDS}
