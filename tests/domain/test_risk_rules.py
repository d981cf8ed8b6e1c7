"""风险预警 rules: each kind fires and does not, the strict checker, the lenient reader, raises."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from desktop_app.domain import policy as p
from desktop_app.domain import risk_rules as rr
from desktop_app.domain.window_rules import PersonMatch

TODAY = date(2026, 10, 15)
RULES = rr.DEFAULT_RULES
LIST_NAMES = {"serious_dishonesty": "严重失信主体名单", "key_attention": "重点关注对象名单"}


def breach(day: str, severity: str = "general", rid: str = "") -> rr.BreachFact:
    return rr.BreachFact(rid or f"d-{day}", date.fromisoformat(day), severity)


def warning(issued: str, deadline: str | None, *, rectified: bool = False) -> rr.WarningFact:
    due = date.fromisoformat(deadline) if deadline else None
    return rr.WarningFact(f"w-{issued}", date.fromisoformat(issued), due, rectified)


def facts(**over: Any) -> rr.EntityFacts:
    return rr.EntityFacts(uscc="91140403MA0000001X", name="测试企业", region_code="140403", **over)


def fired(entity: rr.EntityFacts, rules: tuple[rr.RiskRule, ...] = RULES) -> dict[str, str]:
    return {f.rule.code: f.explanation for f in rr.evaluate([entity], rules, TODAY, LIST_NAMES)}


def rule_set(*rules: dict[str, Any]) -> tuple[rr.RiskRule, ...]:
    return rr.check_rules({"rules": list(rules)})


# --- repeat_breaches -----------------------------------------------------------------------------


def test_two_breaches_within_twelve_months_fire() -> None:
    entity = facts(breaches=(breach("2026-09-10"), breach("2026-03-01")))
    assert fired(entity) == {"repeat_breaches": "12个月内失信记录2条（2026-03-01、2026-09-10）"}


def test_one_breach_or_an_old_one_does_not_fire() -> None:
    assert fired(facts(breaches=(breach("2026-09-10"),))) == {}
    # 2025-10-14 is one day before the 12-month window; a future date is not counted either.
    old = facts(breaches=(breach("2026-09-10"), breach("2025-10-14"), breach("2026-11-01")))
    assert fired(old) == {}
    edge = facts(breaches=(breach("2026-09-10"), breach("2025-10-15")))
    assert "repeat_breaches" in fired(edge)


def test_a_repeat_rule_can_count_only_some_severities() -> None:
    rules = rule_set(
        {
            "code": "serious_twice",
            "kind": "repeat_breaches",
            "count": 2,
            "months": 24,
            "severities": ["serious"],
            "rate_factor": 3,
        }
    )
    mixed = facts(breaches=(breach("2025-01-10", "serious"), breach("2026-09-10", "general")))
    assert fired(mixed, rules) == {}
    serious = facts(breaches=(breach("2025-01-10", "serious"), breach("2026-09-10", "serious")))
    assert fired(serious, rules) == {
        "serious_twice": "24个月内严重失信记录2条（2025-01-10、2026-09-10）"
    }


# --- breach_and_overdue_warning ------------------------------------------------------------------


def test_a_breach_and_an_overdue_warning_fire() -> None:
    entity = facts(
        breaches=(breach("2026-03-01"),), warnings=(warning("2026-08-03", "2026-08-07"),)
    )
    assert fired(entity) == {
        "breach_and_overdue_warning": (
            "12个月内失信记录1条（2026-03-01），且失信警示逾期未整改1条（整改期限2026-08-07）"
        )
    }


@pytest.mark.parametrize(
    "late",
    [
        warning("2026-08-03", "2026-08-07", rectified=True),  # rectified
        warning("2026-10-09", "2026-10-15"),  # the deadline is today: not missed yet
        warning("2026-10-09", None),  # no deadline known
        warning("2025-08-03", "2025-08-07"),  # issued before the window
    ],
)
def test_a_warning_that_is_not_overdue_does_not_fire(late: rr.WarningFact) -> None:
    entity = facts(breaches=(breach("2026-03-01"),), warnings=(late,))
    assert fired(entity) == {}


def test_an_overdue_warning_without_a_breach_does_not_fire() -> None:
    assert fired(facts(warnings=(warning("2026-08-03", "2026-08-07"),))) == {}


# --- representative_on_list ----------------------------------------------------------------------


def test_a_legal_representative_on_the_serious_list_fires() -> None:
    in_person = PersonMatch("法定代表人", "张三", "140402********1234", "serious_dishonesty")
    assert fired(facts(persons=(in_person,))) == {
        "representative_on_list": "法定代表人张三（140402********1234）在严重失信主体名单内"
    }
    elsewhere = PersonMatch(
        "法定代表人", "张三", "140402********1234", "serious_dishonesty", "失信公司"
    )
    assert fired(facts(persons=(elsewhere,))) == {
        "representative_on_list": (
            "法定代表人张三（140402********1234）同时是严重失信主体名单内主体“失信公司”"
            "的法定代表人或主要负责人"
        )
    }


def test_another_list_or_another_role_does_not_fire() -> None:
    other_list = PersonMatch("法定代表人", "张三", "140402********1234", "key_attention")
    principal = PersonMatch("主要负责人", "李四", "140403********5678", "serious_dishonesty")
    assert fired(facts(persons=(other_list, principal))) == {}
    both_roles = rule_set(
        {
            "code": "people",
            "kind": "representative_on_list",
            "lists": ["serious_dishonesty"],
            "roles": ["legal_representative", "principal"],
            "raise_to": 1,
        }
    )
    assert set(fired(facts(persons=(principal,)), both_roles)) == {"people"}


# --- effects, switches, several rules ------------------------------------------------------------


def test_flags_raise_the_rate_and_combine() -> None:
    assert rr.RateRaise(floor=0.6).apply(0.05) == 0.6
    assert rr.RateRaise(floor=0.6).apply(1.0) == 1.0  # never lowered
    assert rr.RateRaise(factor=3).apply(0.2) == pytest.approx(0.6)
    assert rr.RateRaise(factor=3).apply(0.5) == 1.0  # at most 1
    rules = rule_set(
        {"code": "a", "kind": "repeat_breaches", "raise_to": 0.5},
        {"code": "b", "kind": "breach_and_overdue_warning", "rate_factor": 2},
    )
    entity = facts(
        breaches=(breach("2026-03-01"), breach("2026-04-01")),
        warnings=(warning("2026-08-03", "2026-08-07"),),
    )
    flags = rr.evaluate([entity], rules, TODAY)
    assert [f.rule.code for f in flags] == ["a", "b"]
    assert rr.raises_of(flags) == {entity.uscc: rr.RateRaise(factor=2.0, floor=0.5)}
    assert rr.RateRaise.from_json(rr.RateRaise(2.0, 0.5).to_json()) == rr.RateRaise(2.0, 0.5)


def test_a_disabled_rule_never_fires() -> None:
    rules = rule_set({"code": "off", "kind": "repeat_breaches", "raise_to": 1, "enabled": False})
    assert fired(facts(breaches=(breach("2026-03-01"), breach("2026-04-01"))), rules) == {}
    assert rr.evaluate([facts()], RULES, TODAY) == []


# --- the checker and the reader ------------------------------------------------------------------


def test_the_default_is_issue_16s_examples_and_a_policy() -> None:
    assert [r.kind for r in RULES] == list(rr.KINDS)
    assert RULES[0].count == 2 and RULES[0].months == 12
    assert RULES[2].lists == ("serious_dishonesty",)
    assert all(r.effect == rr.RateRaise(floor=0.6) for r in RULES)
    assert p.RISK_RULES in p.POLICY_NAMES
    assert p.check_policy(p.RISK_RULES, p.DEFAULT_CONTENT[p.RISK_RULES]) == dict(rr.DEFAULT_CONTENT)
    assert rr.rules_from_records(()) == rr.RuleSet(RULES, 0)


GOOD: dict[str, Any] = {"code": "r", "kind": "repeat_breaches", "raise_to": 0.6}


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ([], "JSON 对象"),
        ({"rules": [], "other": 1}, "不应有其他项"),
        ({"rules": "repeat_breaches"}, "规则列表"),
        ({"rules": [GOOD] * 21}, "至多 20 条"),
        ({"rules": ["repeat_breaches"]}, "第 1 条规则应为对象"),
        ({"rules": [{**GOOD, "code": "两次失信"}]}, "英文字母、数字或下划线"),
        ({"rules": [{**GOOD, "kind": "often"}]}, "类型（kind）“often”无效"),
        ({"rules": [{**GOOD, "lists": ["serious_dishonesty"]}]}, "不认识的项：lists"),
        ({"rules": [{**GOOD, "count": 1}]}, "“count”应为 2 至 50 之间的整数"),
        ({"rules": [{**GOOD, "months": 12.5}]}, "“months”应为 1 至 60 之间的整数"),
        ({"rules": [{**GOOD, "severities": ["grave"]}]}, "serious（严重）"),
        ({"rules": [{**GOOD, "raise_to": 1.5}]}, "“raise_to”应为 0 至 1"),
        ({"rules": [{**GOOD, "raise_to": None, "rate_factor": 1}]}, "须写明如何提高抽查比例"),
        ({"rules": [{**GOOD, "rate_factor": 20}]}, "“rate_factor”应为 1 至 10"),
        ({"rules": [{**GOOD, "enabled": "yes"}]}, "true 或 false"),
        ({"rules": [{**GOOD, "label": ""}]}, "名称（label）"),
        ({"rules": [GOOD, GOOD]}, "规则代码“r”重复"),
        (
            {"rules": [{"code": "p", "kind": "representative_on_list", "raise_to": 1}]},
            "“lists”应为列表",
        ),
        (
            {
                "rules": [
                    {
                        "code": "p",
                        "kind": "representative_on_list",
                        "lists": ["严重失信"],
                        "raise_to": 1,
                    },
                ]
            },
            "不是名单代码",
        ),
        (
            {
                "rules": [
                    {
                        "code": "p",
                        "kind": "representative_on_list",
                        "lists": ["serious_dishonesty"],
                        "roles": ["boss"],
                        "raise_to": 1,
                    }
                ]
            },
            "legal_representative（法定代表人）",
        ),
    ],
)
def test_bad_rules_are_refused_with_what_to_fix(content: Any, says: str) -> None:
    with pytest.raises(rr.RiskRulesInvalid, match=says):
        rr.check_rules(content)
    # Through the policy check, the message names the policy.
    with pytest.raises(p.PolicyInvalid, match=r"^风险预警规则："):
        p.check_policy(p.RISK_RULES, content)


def test_an_empty_rule_set_turns_the_warning_off_and_the_reader_is_lenient() -> None:
    assert rr.check_rules({"rules": []}) == ()
    stored = {"name": "risk_rules", "revision": 4, "content": {"rules": []}}
    assert rr.rules_from_records([stored]) == rr.RuleSet((), 4)
    broken = {"name": "risk_rules", "revision": 5, "content": {"rules": "x"}}
    assert rr.rules_from_records([broken]) == rr.RuleSet(RULES, 0)


def test_a_long_explanation_is_cut_with_a_count() -> None:
    many = tuple(
        PersonMatch("法定代表人", "张三", "140402********1234", "serious_dishonesty", f"公司{i}")
        for i in range(5)
    )
    text = fired(facts(persons=many))["representative_on_list"]
    assert text.count("同时是") == 3 and text.endswith("等，共5项")
    dates = tuple(breach(f"2026-0{m}-01") for m in range(1, 8))
    assert fired(facts(breaches=dates))["repeat_breaches"] == (
        "12个月内失信记录7条（2026-01-01、2026-02-01、2026-03-01、2026-04-01、2026-05-01等）"
    )
