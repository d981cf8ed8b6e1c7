"""限期整改 → 约谈 on the platform: overdue warnings, follow-up tasks, interviews naming them.

Each test runs on SQLite and on the real PostgreSQL (conftest.py), through the HTTP API.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from desktop_app.domain.credit_record import entry_id
from platform_server import audit_log
from tests.platform.helpers import (
    Caller,
    assign_task,
    declare_current_years,
    make_caller,
    mutation,
    pull_all,
    push,
    seed_entity,
    stored,
    uscc,
)

E1, E2 = uscc(1), uscc(2)


def setup(app: FastAPI, client: TestClient) -> dict[str, Caller]:
    declare_current_years(app)  # deadlines count working days from today
    seed_entity(app, E1)
    seed_entity(app, E2)
    callers = {
        "inspector": make_caller(app, "insp-a", "inspector"),
        "colleague": make_caller(app, "insp-b", "inspector"),
        "supervisor": make_caller(app, "sup-a", "supervisor", region="140403"),
        "elsewhere": make_caller(app, "sup-b", "supervisor", region="140404"),
        "window": make_caller(app, "wb", "window", hall="hall-b", region="140404"),
    }
    assign_task(app, callers["inspector"].user_id, "t1", E1)
    assign_task(app, callers["inspector"].user_id, "t2", E2)
    result = {
        "task_id": "t1",
        "uscc": E1,
        "inspected_on": "2025-09-26",
        "conclusion": "进货查验记录缺失",
        "outcome": "warning",
    }
    warning = {
        "task_id": "t1",
        "uscc": E1,
        "issued_on": "2025-09-26",
        "content": "请于5个工作日内补全进货查验记录",
        "rectify_working_days": 5,
        "result_id": "r1",
    }
    done = push(
        client,
        callers["inspector"],
        mutation(1, "inspection_results", "r1", **result),
        mutation(2, "warnings", "w1", **warning),
        mutation(3, "warnings", "w2", **{**warning, "task_id": "t2", "uscc": E2, "result_id": ""}),
    )
    assert [d["status"] for d in done] == ["applied"] * 3, done
    assert done[1]["server_fields"]["rectify_deadline"] == "2025-10-10"
    return callers


def _overdue(client: TestClient, who: Caller) -> list[dict[str, Any]]:
    answer = client.get("/v1/followups/warnings", headers=who.headers)
    assert answer.status_code == 200, answer.text
    return list(answer.json())


def test_overdue_warnings_are_listed_for_the_region_and_a_reinspection_ends_them(
    app: FastAPI, client: TestClient
) -> None:
    callers = setup(app, client)
    items = _overdue(client, callers["supervisor"])
    assert [i["warning_id"] for i in items] == ["w1", "w2"]
    first = items[0]
    assert first["deadline"] == "2025-10-10" and first["days_late"] > 0
    assert first["task_id"] == "t1" and first["interviews"] == 0
    assert _overdue(client, callers["elsewhere"]) == []
    for role in ("window", "inspector"):
        refused = client.get("/v1/followups/warnings", headers=callers[role].headers)
        assert refused.status_code == 403
    # A re-inspection that found no problem is the recorded rectification of w1.
    again = {
        "task_id": "t1",
        "uscc": E1,
        "inspected_on": "2025-10-20",
        "conclusion": "已整改",
        "outcome": "no_problem",
        "reinspection_of": "r1",
    }
    (done,) = push(client, callers["inspector"], mutation(4, "inspection_results", "r2", **again))
    assert done["status"] == "applied", done
    assert [i["warning_id"] for i in _overdue(client, callers["supervisor"])] == ["w2"]


def test_a_follow_up_task_lets_another_inspector_record_the_interview_everyone_sees(
    app: FastAPI, client: TestClient
) -> None:
    callers = setup(app, client)
    body = {"warning_ids": ["w1"], "inspector_usernames": ["insp-b"]}
    answer = client.post(
        "/v1/followups/warnings/assign", json=body, headers=callers["supervisor"].headers
    )
    assert answer.status_code == 200, answer.text
    (task_id,) = answer.json()["task_ids"]
    again = client.post(
        "/v1/followups/warnings/assign", json=body, headers=callers["supervisor"].headers
    )
    assert again.status_code == 409 and "已分派" in again.json()["message"]
    assert stored(app, "warnings", "w1")["fields"]["followup_task_id"] == task_id  # type: ignore[index]
    # The colleague pulls the task and the warning, and records the interview offline.
    changes, _ = pull_all(client, callers["colleague"], limit=500)
    got = {(c["collection"], c["record_id"]) for c in changes if not c["deleted"]}
    assert ("inspection_tasks", task_id) in got and ("warnings", "w1") in got
    interview = {
        "task_id": task_id,
        "uscc": E1,
        "kind": "warning",
        "held_on": "2025-10-21",
        "record": "逾期未整改，警示约谈，要求3日内补全记录",
        "participants": "张三（执法人员）、李四（法定代表人）",
        "warning_id": "w1",
    }
    wrong = {**interview, "warning_id": "w2"}  # another entity's warning
    (bad,) = push(client, callers["colleague"], mutation(1, "interviews", "i0", **wrong))
    assert bad["status"] == "rejected" and "同一主体" in bad["message"]
    (done,) = push(client, callers["colleague"], mutation(2, "interviews", "i1", **interview))
    assert done["status"] == "applied", done
    (item,) = [i for i in _overdue(client, callers["supervisor"]) if i["warning_id"] == "w1"]
    assert item["interviews"] == 1 and item["followup_task_id"] == task_id
    # Every window's city-wide record holds the interview.
    changes, _ = pull_all(client, callers["window"], limit=500)
    entries = {c["record_id"]: c for c in changes if c["collection"] == "credit_entries"}
    assert not entries[entry_id("interviews", "i1")]["deleted"]
    with app.state.sessions() as session:
        (row,) = [e for e in audit_log.entries(session) if e.action == "followup.assigned"]
    assert row.actor == "sup-a" and row.details["warning_id"] == "w1"
    # A warning not overdue (or rectified) is refused.
    body = {"warning_ids": ["w-none"], "inspector_usernames": ["insp-b"]}
    missing = client.post(
        "/v1/followups/warnings/assign", json=body, headers=callers["supervisor"].headers
    )
    assert missing.status_code == 404
