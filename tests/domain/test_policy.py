"""Credit policy as data: defaults, the strict check of an edit, the lenient reader."""

from __future__ import annotations

import pytest

from desktop_app.domain import policy as p


def test_defaults_are_domain_md() -> None:
    pol = p.DEFAULT_POLICY
    assert pol.barred_grades == {"D", "E"}
    assert [(g.code, g.rate) for g in pol.grades] == [
        ("A", 0.05),
        ("B", 0.20),
        ("C", 0.60),
        ("D", 1.0),
    ]
    assert pol.lists["serious_dishonesty"].blocks_tolerance
    assert not pol.lists["key_attention"].blocks_tolerance
    assert "绿色通道" in "".join(pol.lists["red"].measures)
    assert pol.revisions == {"list_measures": 0, "tolerance": 0, "grade_scale": 0, "repair": 0}
    assert pol.repair_min_months == {"minor": 0, "general": 3, "serious": 12}
    assert pol.repair_working_days == pol.objection_working_days == 10


def test_list_measures_raise_the_sampling_rate_up_to_one() -> None:
    pol = p.DEFAULT_POLICY
    assert pol.sampling_rate("A") == 0.05
    assert pol.sampling_rate("A", ["key_attention"]) == pytest.approx(0.10)
    assert pol.sampling_rate("C", ["serious_dishonesty"]) == 1.0
    assert pol.sampling_rate(None) == pol.ungraded_rate == pol.sampling_rate("Z")


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("nonsense", {}, "没有名为"),
        ("tolerance", [], "JSON 对象"),
        ("tolerance", {"barred_grades": "D"}, "barred_grades"),
        ("tolerance", {"barred_grades": ["D"], "breach_blocks": "yes"}, "true 或 false"),
        ("tolerance", {"barred": ["D"]}, "不认识的项"),
        ("grade_scale", {"grades": [{"code": "A", "rate": 0.1}]}, "2 至 10"),
        ("grade_scale", {"grades": [{"code": "A", "rate": 2}, {"code": "B", "rate": 1}]}, "0 至 1"),
        ("grade_scale", {"grades": [{"code": "A", "rate": 0.1}] * 2}, "重复"),
        ("list_measures", {"lists": {}}, "至少要有一个名单"),
        ("repair", {"min_months": {"minor": 0, "general": 3}}, "三档"),
        ("repair", {"min_months": {"minor": 0, "general": 3, "serious": 1.5}}, "整数"),
        (
            "repair",
            {"min_months": {"minor": 0, "general": 3, "serious": 12}, "repair_working_days": 0},
            "repair_working_days",
        ),
        ("list_measures", {"lists": {"red": {"name": "红", "category": "好"}}}, "措施类别"),
        (
            "list_measures",
            {"lists": {"red": {"name": "红", "category": "守信激励", "rate_factor": 0.5}}},
            "rate_factor",
        ),
    ],
)
def test_a_malformed_edit_is_refused_with_what_to_fix(
    name: str, content: object, says: str
) -> None:
    with pytest.raises(p.PolicyInvalid, match=says):
        p.check_policy(name, content)


def test_records_override_defaults_and_a_bad_record_falls_back() -> None:
    records = [
        {"name": "tolerance", "revision": 3, "content": {"barred_grades": ["C", "D"]}},
        {"name": "grade_scale", "revision": 2, "content": {"grades": "broken"}},
    ]
    pol = p.policy_from_records(records)
    assert pol.barred_grades == {"C", "D"} and pol.revisions["tolerance"] == 3
    assert pol.grades == p.DEFAULT_POLICY.grades and pol.revisions["grade_scale"] == 0
