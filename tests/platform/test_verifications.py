"""承诺核查 on the platform: due dates, the supervisor's list, tasks, results applied.

Each test runs on SQLite and on the real PostgreSQL (conftest.py), through the HTTP API.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from desktop_app.domain.credit_record import entry_id
from desktop_app.domain.verification import verification_due
from desktop_app.domain.working_days import DEFAULT_CALENDAR
from platform_server import audit_log
from platform_server.records import Scope
from tests.platform.helpers import (
    Caller,
    assign_task,
    commitment,
    declare_current_years,
    make_caller,
    mutation,
    pull_all,
    push,
    seed,
    seed_entity,
    stored,
    uscc,
)

E1 = uscc(1)
SIGNED = "2025-09-26"  # a Friday before National Day


def setup(app: FastAPI, client: TestClient, **over: Any) -> dict[str, Caller]:
    declare_current_years(app)  # deadlines count working days from today
    seed_entity(app, E1)
    seed(
        app,
        "commitment_catalog",
        [("cc-food", {"matter": "食品经营许可", "verify_working_days": 5}, Scope())],
    )
    callers = {
        "window": make_caller(app, "wa", "window", hall="hall-a"),
        "other": make_caller(app, "wb", "window", hall="hall-b", region="140404"),
        "supervisor": make_caller(app, "sup-a", "supervisor", region="140403"),
        "elsewhere": make_caller(app, "sup-b", "supervisor", region="140404"),
        "inspector": make_caller(app, "insp-a", "inspector", region="140403"),
    }
    (made,) = push(
        client,
        callers["window"],
        mutation(1, "commitments", "c1", **commitment(E1, **{"signed_on": SIGNED, **over})),
    )
    assert made["status"] == "applied", made
    return callers


def _assign(client: TestClient, who: Caller, ids: list[str], names: list[str]) -> Any:
    body = {"commitment_ids": ids, "inspector_usernames": names}
    return client.post("/v1/verifications/assign", json=body, headers=who.headers)


def _result(task_id: str, **over: Any) -> dict[str, Any]:
    return {
        "task_id": task_id,
        "uscc": E1,
        "inspected_on": "2025-10-20",
        "conclusion": "现场核查：承诺所述从业人员健康证明与实际不符",
        **over,
    }


def test_the_due_date_follows_the_matter_and_the_calendar(app: FastAPI, client: TestClient) -> None:
    setup(app, client, matter_id="cc-food")
    fields = stored(app, "commitments", "c1")["fields"]  # type: ignore[index]
    # 5 working days after Friday 9-26: Sunday 9-28 (make-up), 9-29, 9-30, then 10-9, 10-10.
    assert fields["verify_due_on"] == "2025-10-10"
    assert verification_due(date(2025, 9, 26), DEFAULT_CALENDAR, 5) == date(2025, 10, 10)


def test_a_matter_without_a_period_uses_the_default_and_drafts_have_none(
    app: FastAPI, client: TestClient
) -> None:
    callers = setup(app, client)  # no matter_id: the default 20 working days
    fields = stored(app, "commitments", "c1")["fields"]  # type: ignore[index]
    assert (
        fields["verify_due_on"] == verification_due(date(2025, 9, 26), DEFAULT_CALENDAR).isoformat()
    )
    draft = commitment(E1, status="draft", signed_on=None)
    (made,) = push(client, callers["window"], mutation(2, "commitments", "c2", **draft))
    assert made["status"] == "applied" and "verify_due_on" not in made["server_fields"]
    # A client cannot set it.
    forged = mutation(3, "commitments", "c3", **commitment(E1, verify_due_on="2099-01-01"))
    (made,) = push(client, callers["window"], forged)
    assert made["server_fields"]["verify_due_on"] != "2099-01-01"


def test_supervisors_list_what_is_due_in_their_region_only(
    app: FastAPI, client: TestClient
) -> None:
    callers = setup(app, client, matter_id="cc-food")
    due = client.get("/v1/verifications", headers=callers["supervisor"].headers)
    assert due.status_code == 200
    (item,) = due.json()
    assert item["commitment_id"] == "c1" and item["verify_due_on"] == "2025-10-10"
    assert item["overdue"] and item["task_id"] == "" and item["matter"] == "食品经营许可"
    assert client.get("/v1/verifications", headers=callers["elsewhere"].headers).json() == []
    mine = client.get("/v1/verifications/inspectors", headers=callers["supervisor"].headers)
    assert [i["username"] for i in mine.json()] == ["insp-a"]
    assert (
        client.get("/v1/verifications/inspectors", headers=callers["elsewhere"].headers).json()
        == []
    )
    for role in ("window", "inspector"):
        assert client.get("/v1/verifications", headers=callers[role].headers).status_code == 403
    refused = _assign(client, callers["elsewhere"], ["c1"], ["insp-a"])
    assert refused.status_code == 422  # an inspector outside the caller's region
    assert _assign(client, callers["supervisor"], ["c1"], ["wa"]).status_code == 422


def test_a_breach_found_by_verification_enters_the_city_wide_record(
    app: FastAPI, client: TestClient
) -> None:
    callers = setup(app, client, matter_id="cc-food")
    answer = _assign(client, callers["supervisor"], ["c1"], ["insp-a"])
    assert answer.status_code == 200, answer.text
    (task_id,) = answer.json()["task_ids"]
    again = _assign(client, callers["supervisor"], ["c1"], ["insp-a"])
    assert again.status_code == 409 and "已分派" in again.json()["message"]
    # The inspector pulls the task with the commitment's facts, and records the result.
    changes, _ = pull_all(client, callers["inspector"], limit=200)
    task = next(c for c in changes if c["record_id"] == task_id)
    assert task["fields"]["purpose"] == "commitment_verification"
    assert task["fields"]["commitment_id"] == "c1" and task["fields"]["matter"] == "食品经营许可"
    no_evidence = _result(task_id, verification="breached", conclusion=" ")
    (bad,) = push(
        client, callers["inspector"], mutation(1, "inspection_results", "r0", **no_evidence)
    )
    assert bad["status"] == "rejected"
    found = _result(task_id, verification="breached", verification_severity="serious")
    (done,) = push(client, callers["inspector"], mutation(2, "inspection_results", "r1", **found))
    assert done["status"] == "applied", done
    kept = stored(app, "commitments", "c1")
    assert kept is not None and kept["fields"]["status"] == "verified_false"
    assert kept["fields"]["verification_task_id"] == task_id
    dishonesty_id = kept["fields"]["breach"]["dishonesty_id"]
    record = stored(app, "dishonesty_records", dishonesty_id)
    assert record is not None and record["hall_id"] == "hall-a"  # the commitment's hall
    assert (
        record["fields"]["severity"] == "serious" and record["fields"]["kind"] == "false_commitment"
    )
    # Another hall's window sees the breach in the city-wide record.
    changes, _ = pull_all(client, callers["other"], limit=500)
    entries = {c["record_id"]: c for c in changes if c["collection"] == "credit_entries"}
    assert not entries[entry_id("dishonesty_records", dishonesty_id)]["deleted"]
    # The verdict is given once: not changed, not given twice.
    version = stored(app, "inspection_results", "r1")["version"]  # type: ignore[index]
    change = mutation(3, "inspection_results", "r1", op="update", base=version, verification="kept")
    (refused,) = push(client, callers["inspector"], change)
    assert refused["status"] == "rejected" and "不能更改" in refused["message"]
    twice = _result(task_id, verification="kept")
    (second,) = push(client, callers["inspector"], mutation(4, "inspection_results", "r2", **twice))
    assert second["status"] == "rejected" and "不能再记录核查结论" in second["message"]
    assert client.get("/v1/verifications", headers=callers["supervisor"].headers).json() == []
    with app.state.sessions() as session:
        steps = [(e.action, e.actor) for e in reversed(audit_log.entries(session))]
    assert steps == [("verification.assigned", "sup-a"), ("verification.recorded", "insp-a")]


def test_a_kept_commitment_is_verified_and_ordinary_tasks_take_no_verdict(
    app: FastAPI, client: TestClient
) -> None:
    callers = setup(app, client, matter_id="cc-food")
    (task_id,) = _assign(client, callers["supervisor"], ["c1"], ["insp-a"]).json()["task_ids"]
    # Saved first without a verdict (the inspector was interrupted), given on the next edit.
    first = _result(task_id, conclusion="核查中")
    (done,) = push(client, callers["inspector"], mutation(1, "inspection_results", "r1", **first))
    assert done["status"] == "applied", done
    assert stored(app, "commitments", "c1")["fields"]["status"] == "signed"  # type: ignore[index]
    verdict = mutation(
        2, "inspection_results", "r1", op="update", base=done["version"], verification="kept"
    )
    (done,) = push(client, callers["inspector"], verdict)
    assert done["status"] == "applied", done
    fields = stored(app, "commitments", "c1")["fields"]  # type: ignore[index]
    assert fields["status"] == "verified_true" and fields["verified_on"]
    assert fields["history"][-1]["to"] == "verified_true"
    assign_task(app, callers["inspector"].user_id, "t-plain", E1)
    plain = _result("t-plain", verification="kept")
    (refused,) = push(
        client, callers["inspector"], mutation(3, "inspection_results", "r2", **plain)
    )
    assert refused["status"] == "rejected" and "承诺核查" in refused["message"]


def test_a_december_signing_waits_for_next_years_calendar_and_is_never_refused(
    app: FastAPI, client: TestClient
) -> None:
    from platform_server.models import User
    from platform_server.verification_service import due_commitments

    callers = setup(app, client, matter_id="cc-food", signed_on="2031-12-26")
    fields = stored(app, "commitments", "c1")["fields"]  # type: ignore[index]
    assert "verify_due_on" not in fields  # 2032 is unknown: no date rather than a guess
    with app.state.sessions() as session:
        user = session.get(User, callers["supervisor"].user_id)
        assert user is not None
        assert due_commitments(session, user, date(2032, 3, 1)) == []  # cannot say yet
    seed(
        app,
        "calendar_overrides",
        [
            ("y2031", {"year": 2031, "complete": True}, Scope()),
            ("y2032", {"year": 2032, "complete": True}, Scope()),
        ],
    )
    with app.state.sessions() as session:
        user = session.get(User, callers["supervisor"].user_id)
        assert user is not None
        (item,) = due_commitments(session, user, date(2032, 3, 1))
    # 5 working days after Friday 2031-12-26 on the (weekday) table: 12-29 … 1-02.
    assert item.verify_due_on == "2032-01-02" and item.overdue
