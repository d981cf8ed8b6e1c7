"""限期整改 → 约谈: when a warning is overdue (one rule for device, list and risk rule)."""

from __future__ import annotations

from datetime import date
from typing import Any

from desktop_app.domain.followup import overdue_warnings, rectified_results

TODAY = date(2025, 10, 20)


def warning(**over: Any) -> dict[str, Any]:
    return {
        "uscc": "91140403MA0XXXXX0X",
        "entity_name": "长治市某某餐饮有限公司",
        "issued_on": "2025-09-26",
        "rectify_deadline": "2025-10-10",
        "content": "请补全进货查验记录",
        "task_id": "t1",
        "result_id": "r1",
        **over,
    }


def test_a_warning_is_overdue_only_after_its_deadline_without_rectification() -> None:
    (late,) = overdue_warnings([("w1", warning())], [], [], TODAY)
    assert late.warning_id == "w1" and late.days_late(TODAY) == 10 and late.interviews == 0
    assert overdue_warnings([("w1", warning())], [], [], date(2025, 10, 10)) == []  # last day
    assert overdue_warnings([("w1", warning(rectified=True))], [], [], TODAY) == []
    no_deadline = warning(rectify_deadline=None)  # the calendar did not know the year
    assert overdue_warnings([("w1", no_deadline)], [], [], TODAY) == []


def test_a_reinspection_that_found_no_problem_is_the_rectification() -> None:
    fixed = {"reinspection_of": "r1", "outcome": "no_problem"}
    still = {"reinspection_of": "r1", "outcome": "warning"}
    assert rectified_results([fixed, still, {"outcome": "no_problem"}]) == {"r1"}
    assert overdue_warnings([("w1", warning())], [fixed], [], TODAY) == []
    assert len(overdue_warnings([("w1", warning())], [still], [], TODAY)) == 1


def test_interviews_are_counted_per_warning_and_the_oldest_comes_first() -> None:
    later = warning(issued_on="2025-09-30", rectify_deadline="2025-10-15", result_id="r2")
    found = overdue_warnings(
        [("w2", later), ("w1", warning())],
        [],
        [{"warning_id": "w1"}, {"warning_id": "w1"}, {"warning_id": ""}],
        TODAY,
    )
    assert [(w.warning_id, w.interviews) for w in found] == [("w1", 2), ("w2", 0)]
