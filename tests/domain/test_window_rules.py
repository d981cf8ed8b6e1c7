"""The credit check's conclusions: list measures and whether 容缺受理 is open."""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop_app.domain import window_rules as w

TODAY = date(2026, 11, 27)


def check(**over: Any) -> w.ToleranceEligibility:
    args: dict[str, Any] = {
        "memberships": [],
        "risk_grade": "B",
        "penalties": [],
        "commitments": [],
        "dishonesty": [],
        "today": TODAY,
    }
    args.update(over)
    return w.tolerance_eligibility(**args)


def test_good_credit_may_use_tolerance() -> None:
    verdict = check()
    assert verdict.allowed and verdict.reasons == () and verdict.cautions == ()


def test_serious_dishonesty_list_refuses_with_its_basis() -> None:
    listed = {"list": "serious_dishonesty", "basis": "拖欠农民工工资", "status": "active"}
    verdict = check(memberships=[listed])
    assert not verdict.allowed
    assert "严重失信主体名单" in verdict.reasons[0] and "拖欠农民工工资" in verdict.reasons[0]
    # Once removed from the list, it no longer counts.
    assert check(memberships=[{**listed, "status": "removed"}]).allowed


def test_lowest_risk_class_and_serious_penalties_are_bad_credit() -> None:
    assert not check(risk_grade="D").allowed
    assert not check(risk_grade="e").allowed  # A–E scales too
    assert check(risk_grade="C").allowed and check(risk_grade=None).allowed
    serious = {"severity": "serious", "decided_on": "2026-06-01", "status": "active"}
    verdict = check(penalties=[serious])
    assert not verdict.allowed and "严重行政处罚" in verdict.reasons[0]
    assert check(penalties=[{**serious, "repair_status": "repaired"}]).allowed
    assert check(penalties=[{**serious, "severity": "general"}]).allowed
    assert check(penalties=[{**serious, "decided_on": "2020-01-01"}]).allowed  # period over


def test_unrepaired_false_commitment_refuses_until_repaired() -> None:
    false = {"record_id": "c1", "status": "verified_false", "matter": "食品经营许可"}
    verdict = check(commitments=[false])
    assert not verdict.allowed and "食品经营许可" in verdict.reasons[0]
    repaired = {"source_id": "c1", "repaired": True}
    assert check(commitments=[false], dishonesty=[repaired]).allowed
    assert not check(commitments=[{**false, "status": "breached"}]).allowed
    assert check(commitments=[{**false, "status": "fulfilled"}]).allowed


def test_a_dishonesty_record_from_elsewhere_counts_on_its_own() -> None:
    other_hall = {"source_id": "not-here", "repaired": False, "evidence": "虚假材料"}
    assert not check(dishonesty=[other_hall]).allowed
    assert check(dishonesty=[{**other_hall, "repaired": True}]).allowed


def test_red_and_key_attention_lists_give_cautions_not_refusals() -> None:
    red = {"list": "red", "status": "active"}
    key = {"list": "key_attention", "basis": "抽检不合格", "status": "active"}
    verdict = check(memberships=[red, key])
    assert verdict.allowed and len(verdict.cautions) == 2
    assert any("红名单" in c for c in verdict.cautions)
    assert any("抽检不合格" in c for c in verdict.cautions)


def test_every_list_has_a_category_and_measures() -> None:
    for code in ("red", "serious_dishonesty", "key_attention"):
        assert w.LIST_CATEGORIES[code] and w.LIST_MEASURES[code]
    assert "绿色通道" in "".join(w.LIST_MEASURES["red"])


def test_reasons_add_up() -> None:
    verdict = check(
        risk_grade="D",
        memberships=[{"list": "serious_dishonesty", "status": "active"}],
        commitments=[{"record_id": "c", "status": "breached", "matter": "m"}],
    )
    assert not verdict.allowed and len(verdict.reasons) == 3
