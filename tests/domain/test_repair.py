"""信用修复 and 异议 rules: the minimum period by severity, working-day due dates, effects."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.repair import (
    ObjectionOutcome,
    RepairError,
    RepairOutcome,
    due_date,
    earliest_application,
    eligibility,
    objection_effect,
    repair_effect,
)
from desktop_app.domain.working_days import DEFAULT_CALENDAR


@pytest.mark.parametrize(
    ("severity", "earliest"),
    [
        ("minor", date(2025, 1, 31)),  # 轻微: not published in principle; no wait
        ("general", date(2025, 4, 30)),  # 一般: 3 months
        ("serious", date(2026, 1, 31)),  # 严重: 1 year
    ],
)
def test_the_earliest_application_follows_the_minimum_period(severity: str, earliest: date) -> None:
    assert earliest_application(date(2025, 1, 31), severity) == earliest


def test_the_month_end_is_kept_and_the_platform_table_wins() -> None:
    assert earliest_application(date(2025, 11, 30), "一般") == date(2026, 2, 28)
    assert earliest_application(date(2025, 1, 2), "general", {"general": 6}) == date(2025, 7, 2)


def test_eligibility_says_the_earliest_date_when_it_is_too_early() -> None:
    early = eligibility(date(2025, 9, 1), "general", date(2025, 11, 30))
    assert not early.allowed and early.earliest == date(2025, 12, 1)
    assert "最早可于 2025-12-01 申请信用修复" in early.message
    on_the_day = eligibility(date(2025, 9, 1), "general", date(2025, 12, 1))
    assert on_the_day.allowed and on_the_day.message == ""


def test_due_dates_skip_national_day_and_count_the_make_up_weekend_days() -> None:
    # Received Friday 2025-09-26: Sunday 9-28 is a make-up working day (day 1), then 9-29,
    # 9-30; Oct 1-8 are the holiday; 10-9, 10-10, Saturday 10-11 (make-up, day 6), 10-13 …
    assert due_date(date(2025, 9, 26), DEFAULT_CALENDAR, 1) == date(2025, 9, 28)
    assert due_date(date(2025, 9, 26), DEFAULT_CALENDAR, 6) == date(2025, 10, 11)
    assert due_date(date(2025, 9, 26), DEFAULT_CALENDAR, 7) == date(2025, 10, 13)
    assert due_date(date(2025, 9, 26), DEFAULT_CALENDAR) == date(2025, 10, 16)  # 10 days
    # An ordinary week: Friday + 10 working days is the Friday two weeks on.
    assert due_date(date(2025, 11, 7), DEFAULT_CALENDAR) == date(2025, 11, 21)


def test_a_granted_repair_ends_publication_and_a_refusal_keeps_it() -> None:
    granted = repair_effect(RepairOutcome.GRANTED, "已完成整改", date(2025, 12, 5))
    assert granted["repaired"] is True and granted["repaired_on"] == "2025-12-05"
    refused = repair_effect(RepairOutcome.REFUSED, "尚未缴清罚款", date(2025, 12, 5))
    assert "repaired" not in refused and refused["repair_status"] == "rejected"
    with pytest.raises(RepairError, match="理由"):
        repair_effect(RepairOutcome.GRANTED, "  ", date(2025, 12, 5))


def test_a_correction_keeps_what_it_replaced_and_cannot_touch_identity() -> None:
    current = {"severity": "general", "uscc": "X", "corrections_history": []}
    fixed = objection_effect(
        ObjectionOutcome.CORRECTED, "情节认定有误", current, {"severity": "serious"}
    )
    assert fixed["severity"] == "serious"
    assert fixed["corrections_history"][0]["before"] == {"severity": "general"}
    with pytest.raises(RepairError, match="标识字段"):
        objection_effect(ObjectionOutcome.CORRECTED, "改代码了", current, {"uscc": "Y"})
    with pytest.raises(RepairError, match="至少一项"):
        objection_effect(ObjectionOutcome.CORRECTED, "没有变化", current, {"severity": "general"})
    revoked = objection_effect(ObjectionOutcome.REVOKED, "认定有误", current)
    assert revoked == {"objection_status": "revoked", "objection_reasons": "认定有误"}
