"""Push: idempotent resends, field-level conflicts, validation and rejections (both backends)."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from platform_server.models import MutationLog, Publication, Record
from platform_server.records import Scope
from sync.protocol import MAX_PUSH_BATCH, PushResponse
from tests.platform.helpers import (
    bad_check_digit,
    commitment,
    count,
    log_count,
    make_caller,
    mutation,
    push,
    seed,
    stored,
    uscc,
)

CODE = uscc(1)


def test_create_then_resend_answers_duplicate_with_the_stored_result(
    app: FastAPI, client: TestClient
) -> None:
    w = make_caller(app, "wang", "window", hall="hall-a")
    batch = [
        mutation(1, "commitments", "c-1", **commitment(CODE.lower())),
        mutation(2, "commitments", "c-1", "update", 1, matter="食品经营许可（变更）"),
    ]
    first = push(client, w, *batch)
    assert [r["status"] for r in first] == ["applied", "applied"]
    assert [r["version"] for r in first] == [1, 2]
    # The platform normalizes the code and stamps the hall from the account.
    assert first[0]["server_fields"]["uscc"] == CODE
    assert first[0]["server_fields"]["hall_id"] == "hall-a"
    again = push(client, w, *batch)
    assert [r["status"] for r in again] == ["duplicate", "duplicate"]
    assert [r["original"] for r in again] == ["applied", "applied"]
    assert [r["version"] for r in again] == [1, 2]
    assert again[1]["server_fields"] == first[1]["server_fields"]
    row = stored(app, "commitments", "c-1")
    assert row is not None and row["version"] == 2
    assert row["hall_id"] == "hall-a" and row["entity_uscc"] == CODE
    assert log_count(app) == 2
    PushResponse.model_validate({"results": again})


def test_mutation_seq_reused_for_different_content_is_not_swallowed(
    app: FastAPI, client: TestClient
) -> None:
    w = make_caller(app, "wang", "window", hall="hall-a")
    push(client, w, mutation(1, "commitments", "c-1", **commitment(CODE)))
    reused = push(client, w, mutation(1, "commitments", "c-2", **commitment(CODE)))
    assert reused[0]["status"] == "rejected" and reused[0]["reason"] == "bad_request"
    assert "变更序号" in reused[0]["message"]
    assert stored(app, "commitments", "c-2") is None
    # The same seq on another device is another mutation.
    other = make_caller(app, "wang2", "window", hall="hall-a")
    assert (
        push(client, other, mutation(1, "commitments", "c-2", **commitment(CODE)))[0]["status"]
        == "applied"
    )


def test_edits_to_different_fields_merge_and_same_field_conflicts(
    app: FastAPI, client: TestClient
) -> None:
    a = make_caller(app, "a", "window", hall="hall-a")
    b = make_caller(app, "b", "window", hall="hall-a")
    push(
        client, a, mutation(1, "education_sessions", "s-1", title="诚信教育", held_on="2025-04-01")
    )
    # Both devices start from version 1.
    assert (
        push(client, b, mutation(1, "education_sessions", "s-1", "update", 1, title="诚信经营"))[0][
            "status"
        ]
        == "applied"
    )
    merged = push(client, a, mutation(2, "education_sessions", "s-1", "update", 1, room="二楼"))
    assert merged[0]["status"] == "applied" and merged[0]["version"] == 3
    assert merged[0]["server_fields"]["title"] == "诚信经营"
    clash = push(
        client,
        a,
        mutation(
            3, "education_sessions", "s-1", "update", 1, title="守信教育", held_on="2025-04-02"
        ),
    )[0]
    assert clash["status"] == "conflict"
    assert clash["conflicts"] == [
        {"field": "title", "server_value": "诚信经营", "client_value": "守信教育"}
    ]
    assert clash["version"] == 4  # held_on was not touched by anyone else: applied
    row = stored(app, "education_sessions", "s-1")
    assert row is not None
    assert row["fields"]["title"] == "诚信经营" and row["fields"]["held_on"] == "2025-04-02"
    # Sending the server's own value is no conflict, and changes nothing.
    same = push(client, a, mutation(4, "education_sessions", "s-1", "update", 1, title="诚信经营"))
    assert same[0]["status"] == "applied" and same[0]["version"] == 4
    # A resent conflict answers the same conflicts.
    resent = push(
        client,
        a,
        mutation(
            3, "education_sessions", "s-1", "update", 1, title="守信教育", held_on="2025-04-02"
        ),
    )[0]
    assert resent["status"] == "duplicate" and resent["original"] == "conflict"
    assert resent["conflicts"] == clash["conflicts"]


def test_deletes_tombstones_and_stale_deletes(app: FastAPI, client: TestClient) -> None:
    w = make_caller(app, "w", "window", hall="hall-a")
    other = make_caller(app, "w-other", "window", hall="hall-a")
    push(client, w, mutation(1, "education_sessions", "s-1", title="培训", held_on="2025-04-01"))
    push(client, other, mutation(1, "education_sessions", "s-1", "update", 1, title="培训二"))
    stale = push(client, w, mutation(3, "education_sessions", "s-1", "delete", 1))[0]
    assert stale["status"] == "conflict" and stale["version"] == 2
    assert stale["conflicts"] == [
        {"field": "title", "server_value": "培训二", "client_value": None}
    ]
    row = stored(app, "education_sessions", "s-1")
    assert row is not None and not row["deleted"]
    gone = push(client, w, mutation(4, "education_sessions", "s-1", "delete", 2))[0]
    assert gone["status"] == "applied" and gone["version"] == 3
    row = stored(app, "education_sessions", "s-1")
    assert row is not None and row["deleted"] and row["fields"] == {}
    results = push(
        client,
        w,
        mutation(5, "education_sessions", "s-1", "update", 3, title="复活"),
        mutation(6, "education_sessions", "s-1", title="同号新建", held_on="2025-04-01"),
        mutation(7, "education_sessions", "s-1", "delete", 3),
    )
    assert [r["reason"] for r in results] == ["record_deleted", "record_exists", "record_deleted"]
    row = stored(app, "education_sessions", "s-1")
    assert row is not None and row["deleted"] and row["version"] == 3


def test_rejections_store_nothing_and_never_block_later_mutations(
    app: FastAPI, client: TestClient
) -> None:
    w = make_caller(app, "w", "window", hall="hall-a")
    cases = [
        (mutation(1, "no_such_thing", "x-1", a=1), "unknown_collection"),
        (mutation(2, "entities", CODE, uscc=CODE, name="伪造主体"), "read_only_collection"),
        (mutation(3, "commitments", "c-3", **commitment("91350100M000100Y4")), "invalid_uscc"),
        (mutation(4, "commitments", "c-4", **commitment(CODE, matter=None)), "missing_field"),
        (mutation(5, "commitments", "c-5", **commitment(CODE, kind="approval")), "invalid_field"),
        (
            mutation(6, "commitments", "c-6", **commitment(CODE, signed_on="2025/03/18")),
            "invalid_field",
        ),
        (mutation(7, "commitments", "c-7", **commitment(CODE, **{"Bad-Name": 1})), "invalid_field"),
        (mutation(8, "commitments", "c-8", **commitment(CODE, n=2**70)), "invalid_field"),
        (mutation(9, "commitments", "c-9", **commitment(CODE, matter=["列表"])), "invalid_field"),
        (mutation(10, "commitments", "c-10", "update", 1, matter="无此记录"), "forbidden"),
        (
            mutation(11, "commitments", "c-11", **commitment(CODE, status="fulfilled")),
            "illegal_transition",
        ),
        (
            mutation(12, "attendance", "a-12", session_id="nope", attendee_name="张三"),
            "invalid_field",
        ),
        (
            mutation(13, "attendance", "a-13", session_id="bad\u0000id", attendee_name="李四"),
            "invalid_field",
        ),
    ]
    results = push(
        client, w, *(m for m, _ in cases), mutation(14, "commitments", "ok", **commitment(CODE))
    )
    assert [r["reason"] for r in results[:-1]] == [reason for _, reason in cases]
    assert all(r["status"] == "rejected" and r["message"] for r in results[:-1])
    assert results[-1]["status"] == "applied"
    assert count(app) == 1  # only the last one
    assert log_count(app) == 14  # every answer is kept for resends
    again = push(client, w, cases[2][0])[0]
    assert again["status"] == "duplicate" and again["original"] == "rejected"
    assert again["reason"] == "invalid_uscc"


def test_uscc_check_digit_override_needs_a_reason(app: FastAPI, client: TestClient) -> None:
    w = make_caller(app, "w", "window", hall="hall-a")
    pilot = bad_check_digit(CODE)
    results = push(
        client,
        w,
        mutation(1, "commitments", "c-1", **commitment(pilot)),
        mutation(2, "commitments", "c-2", **commitment(pilot, uscc_override_reason="核对")),
        mutation(
            3, "commitments", "c-3", **commitment(pilot, uscc_override_reason="已与执照原件核对")
        ),
        mutation(4, "uscc_overrides", "o-1", uscc=pilot, reason="早期试点代码，已核对"),
        mutation(5, "uscc_overrides", "o-2", uscc=CODE, reason="代码本身有效"),
        mutation(6, "uscc_overrides", "o-3", uscc="91140403O0000001X9", reason="试点代码已核对"),
    )
    assert [r["status"] for r in results] == [
        "rejected",
        "rejected",  # a two-character reason is not a reason
        "applied",
        "applied",
        "rejected",
        "rejected",
    ]
    assert results[0]["reason"] == "invalid_uscc" and "第18位" in results[0]["message"]
    assert "uscc_override_reason" in results[0]["message"]
    assert results[4]["reason"] == "invalid_uscc" and "无需" in results[4]["message"]
    row = stored(app, "uscc_overrides", "o-1")
    assert row is not None and row["entity_uscc"] == pilot and row["hall_id"] == "hall-a"
    assert count(app, Record, collection="uscc_overrides") == 1


def test_commitment_lifecycle_is_enforced(app: FastAPI, client: TestClient) -> None:
    w = make_caller(app, "w", "window", hall="hall-a")
    push(client, w, mutation(1, "commitments", "c-1", **commitment(CODE)))
    done = push(client, w, mutation(2, "commitments", "c-1", "update", 1, status="fulfilled"))[0]
    assert done["status"] == "applied"
    back = push(client, w, mutation(3, "commitments", "c-1", "update", 2, status="signed"))[0]
    assert back["status"] == "rejected" and back["reason"] == "illegal_transition"
    assert "已履约" in back["message"]
    delete = push(client, w, mutation(4, "commitments", "c-1", "delete", 2))[0]
    assert delete["reason"] == "illegal_transition" and "撤回" in delete["message"]
    unsigned = push(
        client, w, mutation(5, "commitments", "c-2", **commitment(CODE, signed_on=None))
    )[0]
    assert unsigned["reason"] == "missing_field" and "signed_on" in unsigned["message"]
    draft = push(
        client,
        w,
        mutation(6, "commitments", "c-3", **commitment(CODE, status="draft", signed_on=None)),
        mutation(7, "commitments", "c-3", "delete", 1),
    )
    assert [r["status"] for r in draft] == ["applied", "applied"]
    row = stored(app, "commitments", "c-1")
    assert row is not None and row["fields"]["status"] == "fulfilled" and row["version"] == 2


def test_tolerance_deadline_is_computed_in_working_days(app: FastAPI, client: TestClient) -> None:
    w = make_caller(app, "w", "window", hall="hall-a")
    tolerance = commitment(
        CODE,
        kind="tolerance",
        signed_on="2024-09-27",
        missing_materials=["法定代表人身份证明"],
        deadline_working_days=3,
        deadline="2024-10-02",  # the client's guess: the platform computes its own
    )
    results = push(
        client,
        w,
        mutation(1, "commitments", "t-1", **tolerance),
        mutation(2, "commitments", "t-2", **{**tolerance, "missing_materials": None}),
        mutation(3, "commitments", "t-3", **{**tolerance, "deadline_working_days": 0}),
        mutation(4, "commitments", "t-4", **{**tolerance, "signed_on": "2031-03-03"}),
    )
    assert [r["status"] for r in results] == ["applied", "rejected", "rejected", "rejected"]
    # 29 Sep 2024 was a make-up working day, 1–7 Oct National Day.
    assert results[0]["server_fields"]["deadline"] == "2024-10-08"
    assert [r["reason"] for r in results[1:]] == [
        "missing_field",
        "invalid_field",
        "calendar_unknown",
    ]
    assert "2031" in results[3]["message"]
    assert stored(app, "commitments", "t-4") is None
    # Changing the term moves the deadline; the client cannot set it.
    moved = push(
        client,
        w,
        mutation(5, "commitments", "t-1", "update", 1, deadline_working_days=1, deadline="x"),
    )[0]
    assert moved["server_fields"]["deadline"] == "2024-09-29"
    # Once the platform's table covers 2031, the same commitment is accepted.
    seed(app, "calendar_overrides", [("y2031", {"year": 2031, "complete": True}, Scope())])
    later = push(
        client, w, mutation(6, "commitments", "t-4", **{**tolerance, "signed_on": "2031-03-03"})
    )
    assert later[0]["status"] == "applied" and later[0]["server_fields"]["deadline"] == "2031-03-06"


def test_versions_and_bad_requests(app: FastAPI, client: TestClient) -> None:
    w = make_caller(app, "w", "window", hall="hall-a")
    push(client, w, mutation(1, "education_sessions", "s-1", title="培训", held_on="2025-04-01"))
    results = push(
        client,
        w,
        mutation(2, "education_sessions", "s-1", "update", None, title="无版本"),
        mutation(3, "education_sessions", "s-1", "update", 9, title="未来版本"),
    )
    assert [r["reason"] for r in results] == ["base_version_required", "invalid_field"]
    headers = w.headers
    other = make_caller(app, "x", "window", hall="hall-a")
    mismatch = client.post(
        "/v1/sync/push",
        json={"device_id": other.device_id, "mutations": [mutation(9, "commitments", "z")]},
        headers=headers,
    )
    assert mismatch.status_code == 403 and mismatch.json()["code"] == "device_mismatch"
    unauthenticated = client.post("/v1/sync/push", json={"device_id": w.device_id, "mutations": []})
    assert unauthenticated.status_code == 401
    malformed = client.post(
        "/v1/sync/push",
        content=b'{"device_id": ',
        headers={**headers, "Content-Type": "application/json"},
    )
    assert malformed.status_code == 422 and malformed.json()["code"] == "validation_error"
    for body in (
        {"device_id": w.device_id, "mutations": [{"mutation_seq": "one"}]},
        {"device_id": w.device_id, "mutations": [mutation(0, "commitments", "z")]},
        {"device_id": w.device_id, "mutations": [mutation(1, "commitments", "bad id/../")]},
        {"device_id": w.device_id, "mutations": [mutation(1, "commitments", "z", "upsert")]},
        {
            "device_id": w.device_id,
            "mutations": [mutation(i + 10, "x", "y") for i in range(MAX_PUSH_BATCH + 1)],
        },
    ):
        resp = client.post("/v1/sync/push", json=body, headers=headers)
        assert resp.status_code == 422, body
        assert resp.json()["code"] == "validation_error"
    assert count(app) == 1 and log_count(app) == 3


def test_admin_learns_that_a_record_is_missing(app: FastAPI, client: TestClient) -> None:
    admin = make_caller(app, "root", "admin", region=None)
    result = push(client, admin, mutation(1, "commitments", "nope", "update", 1, matter="x"))[0]
    assert result["reason"] == "record_missing"
    result = push(client, admin, mutation(2, "commitments", "nope", matter="x"))[0]
    assert result["reason"] == "forbidden"  # admins supervise; forms come from windows


def test_published_forms_reach_the_publication_feed(app: FastAPI, client: TestClient) -> None:
    w = make_caller(app, "w", "window", hall="hall-a")
    push(
        client,
        w,
        mutation(1, "commitments", "c-1", **commitment(CODE, publish=True)),
        mutation(2, "commitments", "c-2", **commitment(CODE)),
    )
    with app.state.sessions() as session:
        feed = session.scalars(select(Publication.record_id)).all()
        assert feed == ["c-1"]
        assert session.scalar(select(MutationLog.device_id)) == w.device_id


def test_own_queued_edits_do_not_conflict_but_foreign_ones_do(
    app: FastAPI, client: TestClient
) -> None:
    """Edits queued on one base: the device's own earlier writes never conflict with it."""
    a = make_caller(app, "own-a", "window", hall="hall-a")
    b = make_caller(app, "own-b", "window", hall="hall-a")
    push(client, a, mutation(1, "education_sessions", "s-q", title="初稿", held_on="2025-04-01"))
    # A queued two edits of the title and one of the room on version 1; B changed held_on.
    push(client, a, mutation(2, "education_sessions", "s-q", "update", 1, title="二稿"))
    push(client, b, mutation(1, "education_sessions", "s-q", "update", 1, held_on="2025-04-09"))
    again = push(client, a, mutation(3, "education_sessions", "s-q", "update", 1, title="三稿"))[0]
    assert again["status"] == "applied" and again["server_fields"]["title"] == "三稿"
    clash = push(
        client, a, mutation(4, "education_sessions", "s-q", "update", 1, held_on="2025-04-02")
    )[0]
    assert clash["status"] == "conflict"
    assert clash["conflicts"] == [
        {"field": "held_on", "server_value": "2025-04-09", "client_value": "2025-04-02"}
    ]
    # A queued delete on version 1 is refused too: B's change was never seen.
    gone = push(client, a, mutation(5, "education_sessions", "s-q", "delete", 1))[0]
    assert gone["status"] == "conflict"
    assert [c["field"] for c in gone["conflicts"]] == ["held_on"]
    row = stored(app, "education_sessions", "s-q")
    assert row is not None and not row["deleted"] and row["fields"]["held_on"] == "2025-04-09"


def test_a_tombstone_is_recreated_only_by_a_create_naming_its_version(
    app: FastAPI, client: TestClient
) -> None:
    w = make_caller(app, "re-w", "window", hall="hall-a")
    other = make_caller(app, "re-o", "window", hall="hall-b")
    push(client, w, mutation(1, "education_sessions", "s-r", title="培训", held_on="2025-04-01"))
    push(client, w, mutation(2, "education_sessions", "s-r", "delete", 1))
    fields = {"title": "恢复的培训", "held_on": "2025-04-01"}
    blind = push(client, w, mutation(3, "education_sessions", "s-r", **fields))[0]
    assert blind["reason"] == "record_exists"
    foreign = push(client, other, mutation(1, "education_sessions", "s-r", "create", 2, **fields))
    assert foreign[0]["reason"] == "record_exists"  # another hall's tombstone stays dead
    restored = push(client, w, mutation(4, "education_sessions", "s-r", "create", 2, **fields))[0]
    assert restored["status"] == "applied" and restored["version"] == 3
    row = stored(app, "education_sessions", "s-r")
    assert row is not None and not row["deleted"] and row["fields"]["title"] == "恢复的培训"


def test_a_session_with_attendance_cannot_be_deleted(app: FastAPI, client: TestClient) -> None:
    w = make_caller(app, "att-w", "window", hall="hall-a")
    push(client, w, mutation(1, "education_sessions", "s_1", title="培训", held_on="2025-04-01"))
    push(client, w, mutation(2, "education_sessions", "sX1", title="培训", held_on="2025-04-01"))
    push(client, w, mutation(3, "attendance", "a-1", session_id="s_1", attendee_name="王五"))
    refused = push(client, w, mutation(4, "education_sessions", "s_1", "delete", 1))[0]
    assert refused["status"] == "rejected" and refused["reason"] == "record_in_use"
    assert "1人签到" in refused["message"] and refused["server_fields"]["title"] == "培训"
    # "_" is no wildcard: the session whose id it would match has nobody checked in.
    free = push(client, w, mutation(5, "education_sessions", "sX1", "delete", 1))[0]
    assert free["status"] == "applied"
    push(client, w, mutation(6, "attendance", "a-1", "delete", 1))
    assert (
        push(client, w, mutation(7, "education_sessions", "s_1", "delete", 1))[0]["status"]
        == "applied"
    )
