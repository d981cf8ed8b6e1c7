"""The city-wide public credit record on the platform: projection, standing, policies, expiry.

Each test runs on SQLite and on the real PostgreSQL (fixtures in conftest.py), through the HTTP
API where a client would use it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from desktop_app.domain.credit_record import STANDING_REASON, entry_id, standing_id
from platform_server import credit_projection
from platform_server.db import transaction
from platform_server.models import PolicyRevision
from tests.platform.helpers import (
    Caller,
    commitment,
    count,
    make_caller,
    mutation,
    pull_all,
    push,
    seed_entity,
    stored,
    uscc,
)

E1, E2 = uscc(1), uscc(2, region="140404")


def entries(client: TestClient, who: Caller) -> dict[str, dict[str, Any] | None]:
    """The credit entries ``who`` holds after pulling everything (tombstones as None)."""
    changes, _ = pull_all(client, who, limit=50)
    found: dict[str, dict[str, Any] | None] = {}
    for c in changes:
        if c["collection"] == "credit_entries":
            found[c["record_id"]] = None if c["deleted"] else c["fields"]
    return found


def breach(source_id: str, code: str = E1, **over: Any) -> dict[str, Any]:
    return {
        "uscc": code,
        "source_collection": "commitments",
        "source_id": source_id,
        "kind": "false_commitment",
        "severity": "general",
        "evidence": "所附完税证明系伪造（内部记录）",
        "decided_on": "2026-11-02",
        "matter": "纳税信用补评",
        **over,
    }


def test_a_breach_at_one_hall_reaches_every_window_until_repaired(
    app: FastAPI, client: TestClient
) -> None:
    seed_entity(app, E1)
    hall_a = make_caller(app, "wa", "window", hall="hall-a")
    hall_b = make_caller(app, "wb", "window", hall="hall-b", region="140404")
    letter = commitment(E1, matter="纳税信用补评", status="verified_false", publish=False)
    results = push(
        client,
        hall_a,
        mutation(1, "commitments", "c1", **commitment(E1, status="signed")),
        mutation(2, "commitments", "c1", op="update", base=1, **letter),
        mutation(3, "dishonesty_records", "d1", **breach("c1")),
    )
    assert [r["status"] for r in results] == ["applied"] * 3, results
    seen = entries(client, hall_b)
    commitment_entry = seen[entry_id("commitments", "c1")]
    dishonesty_entry = seen[entry_id("dishonesty_records", "d1")]
    assert commitment_entry is not None and commitment_entry["status_label"] == "已违诺"
    assert dishonesty_entry is not None and dishonesty_entry["title"] == "虚假承诺：纳税信用补评"
    assert dishonesty_entry["shown_until"] == "2027-11-02"
    assert "伪造" not in str(seen)  # evidence is internal
    # Hall B cannot see hall A's forms themselves: only the public record.
    changes, cursor = pull_all(client, hall_b)
    assert not {c["collection"] for c in changes} & {"commitments", "dishonesty_records"}

    # Repaired: both entries become tombstones, so every window drops them at its next pull.
    assert (
        push(
            client,
            hall_a,
            mutation(4, "dishonesty_records", "d1", op="update", base=1, repaired=True),
        )[0]["status"]
        == "applied"
    )
    later, _ = pull_all(client, hall_b, cursor=cursor)
    gone = {c["record_id"] for c in later if c["collection"] == "credit_entries" and c["deleted"]}
    assert gone == {entry_id("commitments", "c1"), entry_id("dishonesty_records", "d1")}


def test_unpublishable_and_withdrawn_forms_are_never_projected(
    app: FastAPI, client: TestClient
) -> None:
    seed_entity(app, E1)
    hall_a = make_caller(app, "wa", "window", hall="hall-a")
    hall_b = make_caller(app, "wb", "window", hall="hall-b", region="140404")
    push(
        client,
        hall_a,
        mutation(1, "commitments", "private", **commitment(E1)),  # no agreement to publish
        mutation(2, "commitments", "public", **commitment(E1, publish=True)),
        mutation(3, "commitments", "draft", **commitment(E1, status="draft", publish=True)),
    )
    push(client, hall_a, mutation(4, "commitments", "draft", op="delete", base=1))
    seen = entries(client, hall_b)
    assert entry_id("commitments", "private") not in seen
    assert entry_id("commitments", "draft") not in seen
    assert seen[entry_id("commitments", "public")] is not None
    # Withdrawing the letter takes it out of the public record.
    push(
        client,
        hall_a,
        mutation(5, "commitments", "public", op="update", base=1, status="withdrawn"),
    )
    assert stored(app, "credit_entries", entry_id("commitments", "public"))["deleted"]  # type: ignore[index]


def test_the_tolerance_threshold_is_platform_data_versioned_and_audited(
    app: FastAPI, client: TestClient
) -> None:
    seed_entity(app, E1, grade="C")
    seed_entity(app, E2, region="140404", grade="D")
    with transaction(app.state.write_sessions) as session:
        credit_projection.refresh_standing(session)
    admin = make_caller(app, "admin", "admin", region=None)
    window = make_caller(app, "wa", "window", hall="hall-a")
    before = entries(client, window)
    assert set(before) == {standing_id(E2)}
    assert before[standing_id(E2)] == {
        "uscc": E2,
        "kind": "standing",
        "tolerance_barred": True,
        "reason": STANDING_REASON,
        "publishable": True,
    }

    # Windows read policies but may not change them; a malformed one is refused with the reason.
    assert client.get("/v1/policies", headers=window.headers).status_code == 200
    body = {"content": {"barred_grades": ["C", "D", "E"]}, "note": "市信用办通知"}
    assert (
        client.put("/v1/policies/tolerance", json=body, headers=window.headers).status_code == 403
    )
    bad = client.put(
        "/v1/policies/tolerance", json={"content": {"barred_grades": "C"}}, headers=admin.headers
    )
    assert bad.status_code == 422 and "barred_grades" in bad.json()["message"]
    assert count(app, PolicyRevision) == 0

    answer = client.put("/v1/policies/tolerance", json=body, headers=admin.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["revision"] == 1 and answer.json()["standing_changed"] == 1
    after = entries(client, window)
    assert set(after) == {standing_id(E1), standing_id(E2)}
    # Clients get the policy itself too, as reference data.
    changes, _ = pull_all(client, window)
    policy = next(c for c in changes if c["collection"] == "policies")
    assert policy["fields"]["content"]["barred_grades"] == ["C", "D", "E"]
    assert policy["fields"]["changed_by"] == "admin" and policy["fields"]["revision"] == 1

    # Back to the default: only E1's answer changes again; the history keeps both revisions.
    default = {"barred_grades": ["D", "E"], "serious_penalty_blocks": True, "breach_blocks": True}
    again = client.put("/v1/policies/tolerance", json={"content": default}, headers=admin.headers)
    assert again.json()["revision"] == 2 and again.json()["standing_changed"] == 1
    history = client.get("/v1/policies/tolerance/revisions", headers=admin.headers).json()
    assert [h["revision"] for h in history] == [2, 1]
    assert history[1]["note"] == "市信用办通知" and history[1]["changed_by"] == "admin"
    assert client.get("/v1/policies/nonsense/revisions", headers=admin.headers).status_code == 404


def test_publication_stops_at_the_maximum_period_without_anyone_acting(
    app: FastAPI, client: TestClient
) -> None:
    seed_entity(app, E1)
    hall_a = make_caller(app, "wa", "window", hall="hall-a")
    push(
        client,
        hall_a,
        mutation(1, "commitments", "c1", **commitment(E1)),
        mutation(2, "dishonesty_records", "d1", **breach("c1", decided_on="2025-11-02")),
    )
    key = entry_id("dishonesty_records", "d1")
    with transaction(app.state.write_sessions) as session:
        assert credit_projection.expire(session, date(2026, 11, 2)) == 0  # last day shown
    with transaction(app.state.write_sessions) as session:
        assert credit_projection.expire(session, date(2026, 11, 3)) == 1
    assert stored(app, "credit_entries", key)["deleted"]  # type: ignore[index]


def test_an_unpublishable_or_revoked_record_leaves_every_window_pull(
    app: FastAPI, client: TestClient
) -> None:
    seed_entity(app, E1)
    hall_a = make_caller(app, "wa", "window", hall="hall-a")
    hall_b = make_caller(app, "wb", "window", hall="hall-b", region="140404")
    results = push(
        client,
        hall_a,
        mutation(1, "commitments", "c1", **commitment(E1)),
        mutation(2, "dishonesty_records", "d-hidden", **breach("c1", publishable=False)),
        mutation(3, "dishonesty_records", "d-shown", **breach("c1")),
    )
    assert [r["status"] for r in results] == ["applied"] * 3, results
    seen = entries(client, hall_b)
    assert entry_id("dishonesty_records", "d-hidden") not in seen
    assert seen[entry_id("dishonesty_records", "d-shown")] is not None
    # Revoked after an objection (撤销): a tombstone for every window.
    push(
        client,
        hall_a,
        mutation(
            4, "dishonesty_records", "d-shown", op="update", base=1, objection_status="revoked"
        ),
    )
    assert entries(client, hall_b)[entry_id("dishonesty_records", "d-shown")] is None
