"""The credit check's conclusion: whether 容缺受理 is open, from the public record and policy."""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop_app.domain import credit_record as cr
from desktop_app.domain import window_rules as w
from desktop_app.domain.policy import DEFAULT_POLICY, policy_from_records

TODAY = date(2026, 11, 27)
USCC = "91140403MA0L000011"


def check(persons: tuple[w.PersonMatch, ...] = (), policy: Any = DEFAULT_POLICY, **over: Any):
    args: dict[str, Any] = {"memberships": [], "penalties": [], "entries": [], "today": TODAY}
    args.update(over)
    return w.tolerance_eligibility(cr.public_record(**args), policy, persons)


def test_good_credit_may_use_tolerance() -> None:
    verdict = check()
    assert verdict.allowed and verdict.reasons == () and verdict.cautions == ()


def test_serious_dishonesty_list_refuses_with_its_basis() -> None:
    listed = {"list": "serious_dishonesty", "basis": "拖欠农民工工资", "status": "active"}
    verdict = check(memberships=[listed])
    assert not verdict.allowed
    assert "严重失信主体名单" in verdict.reasons[0] and "拖欠农民工工资" in verdict.reasons[0]
    assert check(memberships=[{**listed, "status": "removed"}]).allowed


def test_serious_penalties_in_publication_are_bad_credit() -> None:
    serious = {"severity": "serious", "decided_on": "2026-06-01", "status": "active"}
    verdict = check(penalties=[serious])
    assert not verdict.allowed and "严重行政处罚" in verdict.reasons[0]
    assert check(penalties=[{**serious, "repair_status": "repaired"}]).allowed
    assert check(penalties=[{**serious, "severity": "general"}]).allowed
    assert check(penalties=[{**serious, "decided_on": "2020-01-01"}]).allowed  # period over


def test_a_breach_from_any_hall_refuses_until_repaired() -> None:
    record = {
        "uscc": USCC,
        "source_collection": "commitments",
        "source_id": "c-elsewhere",
        "kind": "false_commitment",
        "severity": "general",
        "matter": "纳税信用补评",
        "decided_on": "2026-10-10",
    }
    entry = cr.project("dishonesty_records", "d1", record)
    verdict = check(entries=[entry])
    assert not verdict.allowed and "纳税信用补评" in verdict.reasons[0]
    assert "一处失信、处处受限" in verdict.reasons[0]
    assert cr.project("dishonesty_records", "d1", {**record, "repaired": True}) is None


def test_the_platforms_standing_refuses_without_naming_a_class() -> None:
    verdict = check(entries=[cr.standing_entry(USCC, True)])
    assert not verdict.allowed and verdict.reasons == (cr.STANDING_REASON,)


def test_red_and_key_attention_lists_give_cautions_not_refusals() -> None:
    red = {"list": "red", "status": "active"}
    key = {"list": "key_attention", "basis": "抽检不合格", "status": "active"}
    verdict = check(memberships=[red, key])
    assert verdict.allowed and len(verdict.cautions) == 2
    assert any("红名单" in c for c in verdict.cautions)
    assert any("抽检不合格" in c for c in verdict.cautions)


def test_the_city_sets_which_lists_bar_tolerance() -> None:
    key = {"list": "key_attention", "basis": "抽检不合格", "status": "active"}
    lists = {
        code: {
            "name": rule.name,
            "category": rule.category,
            "measures": list(rule.measures),
            "blocks_tolerance": rule.blocks_tolerance or code == "key_attention",
            "caution": rule.caution,
            "rate_factor": rule.rate_factor,
        }
        for code, rule in DEFAULT_POLICY.lists.items()
    }
    strict = policy_from_records(
        [{"name": "list_measures", "revision": 2, "content": {"lists": lists}}]
    )
    assert check(memberships=[key]).allowed
    assert not check(memberships=[key], policy=strict).allowed


def test_a_legal_representative_under_a_measure_refuses() -> None:
    elsewhere = w.PersonMatch(
        "法定代表人", "张三", "140403********1234", "serious_dishonesty", "某公司"
    )
    verdict = check(persons=(elsewhere,))
    assert not verdict.allowed
    assert "张三（140403********1234）" in verdict.reasons[0] and "某公司" in verdict.reasons[0]
    banned = w.PersonMatch("主要负责人", "李四", "140403********5678", "market_ban")
    assert "市场禁入" in check(persons=(banned,)).reasons[0]
    # A list that does not bar 容缺受理 does not reach the person either.
    assert check(persons=(w.PersonMatch("法定代表人", "王五", "x", "red", "好公司"),)).allowed
