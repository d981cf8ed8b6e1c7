"""What a public report may show, and until when (令第36号 publication periods)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desktop_app.domain import disclosure as d
from desktop_app.domain.disclosure import Severity


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),
        (date(2023, 2, 28), 36, date(2026, 2, 28)),
        (date(2026, 12, 1), 0, date(2026, 12, 1)),
    ],
)
def test_add_months_clamps_to_the_end_of_short_months(
    start: date, months: int, expected: date
) -> None:
    assert d.add_months(start, months) == expected


@pytest.mark.parametrize(
    ("severity", "end"),
    [
        (Severity.MINOR, date(2026, 4, 10)),
        (Severity.GENERAL, date(2027, 1, 10)),
        (Severity.SERIOUS, date(2029, 1, 10)),
    ],
)
def test_publication_ends_at_the_maximum_for_the_severity(severity: Severity, end: date) -> None:
    assert d.publication_end(severity, date(2026, 1, 10)) == end


def test_a_declared_end_is_honoured_when_shorter_and_capped_when_longer() -> None:
    decided = date(2026, 1, 10)
    assert d.publication_end(Severity.GENERAL, decided, date(2026, 6, 1)) == date(2026, 6, 1)
    assert d.publication_end(Severity.GENERAL, decided, date(2030, 1, 1)) == date(2027, 1, 10)


@pytest.mark.parametrize("text", ["一般", "general", " 一般 ", "一般失信"])
def test_severity_aliases(text: str) -> None:
    assert d.parse_severity(text) is Severity.GENERAL


@pytest.mark.parametrize("text", ["", "很严重", None, "3"])
def test_unknown_severity_is_a_clear_error(text: object) -> None:
    with pytest.raises(d.DisclosureError, match="轻微、一般 或 严重"):
        d.parse_severity(text)


def _penalty(**over: object) -> dict[str, object]:
    return {"severity": "general", "decided_on": "2026-01-10", "status": "active", **over}


TODAY = date(2026, 11, 27)


def test_penalty_in_its_period_is_disclosed_and_not_after_or_before() -> None:
    assert d.penalty_disclosed(_penalty(), TODAY)
    assert d.penalty_disclosed(_penalty(), date(2027, 1, 10))  # the last day still counts
    assert not d.penalty_disclosed(_penalty(), date(2027, 1, 11))
    assert not d.penalty_disclosed(_penalty(decided_on="2026-12-01"), TODAY)  # not yet decided


def test_repaired_revoked_and_unpublished_minor_penalties_are_never_disclosed() -> None:
    assert not d.penalty_disclosed(_penalty(repair_status="repaired"), TODAY)
    assert not d.penalty_disclosed(_penalty(repaired_on="2026-06-01"), TODAY)
    assert not d.penalty_disclosed(_penalty(status="revoked"), TODAY)
    recent_minor = _penalty(severity="minor", decided_on="2026-11-01")
    assert not d.penalty_disclosed(recent_minor, TODAY)
    assert d.penalty_disclosed({**recent_minor, "published": True}, TODAY)
    # Under repair is still published until the repair completes.
    assert d.penalty_disclosed(_penalty(repair_status="applying"), TODAY)


def test_datetimes_and_dates_are_accepted_and_bad_dates_refused() -> None:
    assert d.penalty_disclosed(_penalty(decided_on=datetime(2026, 1, 10, 9, 30)), TODAY)
    assert d.penalty_disclosed(_penalty(decided_on=date(2026, 1, 10)), TODAY)
    with pytest.raises(d.DisclosureError, match="不是有效日期"):
        d.penalty_disclosed(_penalty(decided_on="10/01/2026"), TODAY)
    with pytest.raises(d.DisclosureError, match="缺少决定日期"):
        d.penalty_disclosed(_penalty(decided_on=None), TODAY)


def test_list_memberships_show_while_active() -> None:
    active = {"list": "red", "status": "active", "since": "2025-01-01"}
    assert d.membership_disclosed(active, TODAY)
    assert not d.membership_disclosed({**active, "status": "removed"}, TODAY)
    assert not d.membership_disclosed({**active, "repair_status": "repaired"}, TODAY)
    assert d.membership_disclosed({**active, "until": "2026-11-27"}, TODAY)
    assert not d.membership_disclosed({**active, "until": "2026-11-26"}, TODAY)


def test_licences_hide_only_when_revoked_or_withdrawn() -> None:
    assert d.licence_disclosed({"status": "valid"})
    assert d.licence_disclosed({"status": "expired"})
    assert d.licence_disclosed({})
    assert not d.licence_disclosed({"status": "revoked"})
    assert not d.licence_disclosed({"status": "withdrawn"})


def test_strip_internal_drops_every_risk_class_field() -> None:
    kept = d.strip_internal({"uscc": "x", "credit_grade": "D", "grade": "C", "risk_class": "B"})
    assert kept == {"uscc": "x"}
