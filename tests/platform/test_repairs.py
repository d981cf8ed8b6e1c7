"""信用修复 and 异议 on the platform: intake checks, routing, decisions, effect, figures.

Each test runs on SQLite and on the real PostgreSQL (conftest.py), through the HTTP API.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from desktop_app.domain.credit_record import entry_id
from desktop_app.domain.repair import due_date
from desktop_app.domain.working_days import DEFAULT_CALENDAR
from tests.platform.helpers import (
    Caller,
    commitment,
    declare_current_years,
    make_caller,
    mutation,
    pull_all,
    push,
    seed_entity,
    stored,
    uscc,
)

E1 = uscc(1)
OLD = "2025-01-02"  # a 一般 record decided then may be repaired from 2025-04-02


def breach(decided_on: str = OLD, **over: Any) -> dict[str, Any]:
    return {
        "uscc": E1,
        "source_collection": "commitments",
        "source_id": "c1",
        "kind": "breach",
        "severity": "general",
        "evidence": "逾期未补齐材料",
        "decided_on": decided_on,
        "matter": "食品经营许可",
        **over,
    }


def repair(source_id: str = "d1", **over: Any) -> dict[str, Any]:
    return {
        "uscc": E1,
        "source_collection": "dishonesty_records",
        "source_id": source_id,
        "way": "rectification",
        "statement": "已补齐全部材料并完成整改",
        "applicant_name": "王五",
        "received_on": "2025-09-26",
        **over,
    }


def objection(source_id: str, collection: str = "dishonesty_records", **over: Any) -> dict:
    return {
        "uscc": E1,
        "source_collection": collection,
        "source_id": source_id,
        "objector_name": "赵六",
        "objector_role": "法定代表人",
        "disputed": "材料已按期补齐，认定有误",
        "evidence": "补交材料的签收单",
        "received_on": "2025-09-26",
        **over,
    }


def setup(app: FastAPI, client: TestClient) -> tuple[Caller, Caller]:
    declare_current_years(app)  # deadlines count working days from today
    seed_entity(app, E1)
    hall_a = make_caller(app, "wa", "window", hall="hall-a")  # 140403: made the record
    hall_b = make_caller(app, "wb", "window", hall="hall-b", region="140404")
    results = push(
        client,
        hall_a,
        mutation(1, "commitments", "c1", **commitment(E1, publish=True)),
        mutation(2, "dishonesty_records", "d1", **breach()),
        mutation(3, "dishonesty_records", "d-new", **breach("2025-09-01")),
    )
    assert [r["status"] for r in results] == ["applied"] * 3, results
    return hall_a, hall_b


def entry(client: TestClient, who: Caller, source_id: str) -> dict[str, Any] | None:
    changes, _ = pull_all(client, who, limit=50)
    key = entry_id("dishonesty_records", source_id)
    found: dict[str, Any] | None = None
    for c in changes:
        if c["collection"] == "credit_entries" and c["record_id"] == key:
            found = None if c["deleted"] else c["fields"]
    return found


def test_a_repair_is_refused_before_the_minimum_period_with_the_earliest_date(
    app: FastAPI, client: TestClient
) -> None:
    _a, hall_b = setup(app, client)
    (result,) = push(client, hall_b, mutation(1, "repair_applications", "r1", **repair("d-new")))
    assert result["status"] == "rejected"
    assert "最早可于 2025-12-01 申请信用修复" in result["message"]  # 一般: 3 months
    # A date the window could not know yet is refused too.
    (later,) = push(
        client, hall_b, mutation(2, "repair_applications", "r2", **repair(received_on="2099-01-01"))
    )
    assert later["status"] == "rejected" and "受理日期不能晚于今天" in later["message"]


def test_a_granted_repair_ends_publication_everywhere(app: FastAPI, client: TestClient) -> None:
    hall_a, hall_b = setup(app, client)
    (result,) = push(client, hall_b, mutation(1, "repair_applications", "r1", **repair()))
    assert result["status"] == "applied", result
    fields = result["server_fields"]
    # National Day 2025: the due date skips Oct 1-8 and counts the make-up days.
    assert (
        fields["due_on"]
        == "2025-10-16"
        == due_date(date(2025, 9, 26), DEFAULT_CALENDAR).isoformat()
    )
    assert fields["status"] == "received" and fields["record_title"].startswith("违反信用承诺")
    row = stored(app, "repair_applications", "r1")
    assert row is not None and row["region_code"] == "140403"  # routed to the unit that decides
    assert entry(client, hall_a, "d1")["repair"] == "applying"  # type: ignore[index]
    # A second application while one runs is refused; a client cannot decide by push.
    (again,) = push(client, hall_b, mutation(2, "repair_applications", "r2", **repair()))
    assert again["status"] == "rejected" and "正在办理" in again["message"]
    (forged,) = push(
        client,
        hall_b,
        mutation(3, "repair_applications", "r1", op="update", base=1, decision="准予修复"),
    )
    # A decision is a derived field: the push's value is dropped, nothing changes.
    assert forged["status"] == "applied" and "decision" not in forged["server_fields"]
    assert stored(app, "repair_applications", "r1")["fields"].get("decision") is None  # type: ignore[index]

    elsewhere = make_caller(app, "sup-b", "supervisor", region="140404")
    unit = make_caller(app, "sup-a", "supervisor", region="140403")
    body = {"outcome": "granted", "reasons": "已完成整改并作出信用承诺"}
    refused = client.post("/v1/repairs/r1/decision", json=body, headers=elsewhere.headers)
    assert refused.status_code == 403 and "无权决定" in refused.json()["message"]
    assert (
        client.post("/v1/repairs/r1/decision", json=body, headers=hall_b.headers).status_code == 403
    )
    done = client.post("/v1/repairs/r1/decision", json=body, headers=unit.headers)
    assert done.status_code == 200, done.text
    decided = done.json()["fields"]
    assert decided["decision"] == "准予修复" and decided["decided_by"] == "sup-a"
    twice = client.post("/v1/repairs/r1/decision", json=body, headers=unit.headers)
    assert twice.status_code == 409
    # Every window's pull now drops the record (the breach of its commitment too).
    assert entry(client, hall_b, "d1") is None
    target = stored(app, "dishonesty_records", "d1")
    assert target is not None and target["fields"]["repaired"] is True
    figures = client.get("/v1/repairs/statistics", headers=unit.headers).json()
    row_r = next(f for f in figures if f["kind"] == "repair")
    assert (row_r["received"], row_r["decided"], row_r["pending"]) == (1, 1, 0)
    assert row_r["median_working_days"] is not None


def test_objections_mark_revoke_and_correct_with_history(app: FastAPI, client: TestClient) -> None:
    hall_a, hall_b = setup(app, client)
    unit = make_caller(app, "sup-a", "supervisor", region="140403")
    (first,) = push(client, hall_b, mutation(1, "objections", "o1", **objection("d1")))
    assert first["status"] == "applied", first
    assert entry(client, hall_a, "d1")["objection"] == "pending"  # type: ignore[index]
    revoke = {
        "outcome": "revoked",
        "reasons": "经核查，材料已按期补齐，认定有误",
        "remedy": "已书面致歉",
    }
    assert (
        client.post("/v1/objections/o1/decision", json=revoke, headers=unit.headers).status_code
        == 200
    )
    assert entry(client, hall_b, "d1") is None  # 撤销: removed from publication everywhere

    (second,) = push(client, hall_b, mutation(2, "objections", "o2", **objection("d-new")))
    assert second["status"] == "applied", second
    empty = {"outcome": "corrected", "reasons": "严重程度认定有误", "corrections": {}}
    bad = client.post("/v1/objections/o2/decision", json=empty, headers=unit.headers)
    assert bad.status_code == 422 and "更正后的内容" in bad.json()["message"]
    fix = {**empty, "corrections": {"severity": "minor", "publishable": True}}
    assert (
        client.post("/v1/objections/o2/decision", json=fix, headers=unit.headers).status_code == 200
    )
    corrected = entry(client, hall_b, "d-new")
    assert corrected is not None and corrected["severity"] == "minor"
    assert corrected["objection"] == "corrected"
    history = stored(app, "dishonesty_records", "d-new")["fields"]["corrections_history"]  # type: ignore[index]
    assert history[0]["before"] == {"severity": "general", "publishable": None}
    # A decided application cannot be deleted.
    version = stored(app, "objections", "o2")["version"]  # type: ignore[index]
    (gone,) = push(client, hall_b, mutation(3, "objections", "o2", op="delete", base=version))
    assert gone["status"] == "rejected" and "不能删除" in gone["message"]
