"""Scopes: who pulls what, who writes what, forged ids and scopes, scope changes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from platform_server.deps import Principal
from platform_server.models import Device, Record, User
from platform_server.records import Scope
from platform_server.scopes import Viewer, can_see, region_prefix, related_record_keys
from tests.platform.helpers import (
    Caller,
    assign_task,
    commitment,
    count,
    keys,
    make_caller,
    mutation,
    pull_all,
    push,
    seed,
    seed_entity,
    stored,
    uscc,
)

E1, E2, E3 = uscc(1), uscc(2), uscc(3, region="140404")


@dataclass
class World:
    wa: Caller
    wb: Caller
    i1: Caller
    i2: Caller
    sup: Caller
    city: Caller
    other_sup: Caller
    admin: Caller


def build(app: FastAPI, client: TestClient) -> World:
    """Two halls, two inspectors with one task each, supervisors, reference data, forms."""
    w = World(
        wa=make_caller(app, "wa", "window", hall="hall-a"),
        wb=make_caller(app, "wb", "window", hall="hall-b", region="140404"),
        i1=make_caller(app, "i1", "inspector"),
        i2=make_caller(app, "i2", "inspector", region="140404"),
        sup=make_caller(app, "sup", "supervisor"),
        city=make_caller(app, "city", "supervisor", region="140400"),
        other_sup=make_caller(app, "sup2", "supervisor", region="140404"),
        admin=make_caller(app, "admin", "admin", region=None),
    )
    for code, region in ((E1, "140403"), (E2, "140403"), (E3, "140404")):
        seed_entity(app, code, region)
    seed(app, "checklists", [("cl-1", {"title": "食品经营检查表"}, Scope())])
    seed(app, "commitment_catalog", [("cat-1", {"matter": "食品经营许可"}, Scope())])
    assign_task(app, w.i1.user_id, "task-1", E1)
    assign_task(app, w.i2.user_id, "task-2", E2)
    results = [
        *push(client, w.wa, mutation(1, "commitments", "ca", **commitment(E1))),
        *push(client, w.wb, mutation(1, "commitments", "cb", **commitment(E3))),
        *push(
            client,
            w.i1,
            mutation(1, "findings", "f1", task_id="task-1", uscc=E1, description="过期食品"),
        ),
        *push(
            client,
            w.i2,
            mutation(1, "findings", "f2", task_id="task-2", uscc=E2, description="无证经营"),
        ),
    ]
    assert all(r["status"] == "applied" for r in results), results
    return w


def expected(world: World, who: Caller) -> set[tuple[str, str]]:
    ref = {("checklists", "cl-1"), ("commitment_catalog", "cat-1")}

    def entity(code: str) -> set[tuple[str, str]]:
        return {
            ("entities", code),
            ("credit_grades", f"grade-{code}"),
            ("list_memberships", f"list-{code}"),
        }

    registry = entity(E1) | entity(E2) | entity(E3)
    forms = {
        ("commitments", "ca"),
        ("commitments", "cb"),
        ("findings", "f1"),
        ("findings", "f2"),
    }
    tasks = {("inspection_tasks", "task-1"), ("inspection_tasks", "task-2")}
    return {
        "wa": ref | registry | {("commitments", "ca")},
        "wb": ref | registry | {("commitments", "cb")},
        "i1": ref | entity(E1) | {("inspection_tasks", "task-1"), ("findings", "f1")},
        "i2": ref | entity(E2) | {("inspection_tasks", "task-2"), ("findings", "f2")},
        # A form's region is its author's (i2 works for 140404 although E2 is in 140403).
        "sup": ref | entity(E1) | entity(E2) | tasks | {("commitments", "ca"), ("findings", "f1")},
        "city": ref | registry | forms | tasks,
        "sup2": ref | entity(E3) | {("commitments", "cb"), ("findings", "f2")},
        "admin": ref | registry | forms | tasks,
    }[who.username]


def test_each_role_pulls_exactly_its_scope(app: FastAPI, client: TestClient) -> None:
    world = build(app, client)
    callers = [world.wa, world.wb, world.i1, world.i2, world.sup, world.city, world.other_sup]
    for who in [*callers, world.admin]:
        changes, _ = pull_all(client, who, limit=3)
        assert keys(changes) == expected(world, who), who.username
        assert len(changes) == len(keys(changes))  # each record once
        # The Python rule used on push agrees with the SQL rule used on pull.
        with app.state.sessions() as session:
            user, device = session.get(User, who.user_id), session.get(Device, who.device_id)
            assert user is not None and device is not None
            viewer = Viewer.of(Principal(user=user, device=device))
            everything = session.scalars(select(Record)).all()
            seen = {(r.collection, r.record_id) for r in everything if can_see(session, viewer, r)}
        assert seen == expected(world, who), who.username


def test_window_users_cannot_touch_another_halls_forms(app: FastAPI, client: TestClient) -> None:
    world = build(app, client)
    before = stored(app, "commitments", "cb")
    results = push(
        client,
        world.wa,
        mutation(2, "commitments", "cb", "update", 1, matter="篡改"),
        mutation(3, "commitments", "no-such-id", "update", 1, matter="篡改"),
        mutation(4, "commitments", "cb", "delete", 1),
        mutation(5, "commitments", "cb", **commitment(E3)),
        mutation(6, "commitments", "forged", **commitment(E1, hall_id="hall-b")),
        mutation(7, "commitments", "ca", "update", 1, hall_id="hall-b"),
        mutation(8, "findings", "f9", task_id="task-1", uscc=E1, description="越权"),
        mutation(9, "commitments", "ca", "update", 1, uscc=E3),
    )
    reasons = [r["reason"] for r in results]
    assert reasons == [
        "forbidden",
        "forbidden",
        "forbidden",
        "record_exists",  # ids are global; creating over one is refused for anyone
        "forbidden",
        "forbidden",
        "forbidden",
        "invalid_field",  # the entity of a form is fixed at creation
    ]
    # Same answer whether the record exists in another hall or not at all.
    assert results[0]["message"] == results[1]["message"] == results[2]["message"]
    assert stored(app, "commitments", "cb") == before
    assert stored(app, "commitments", "forged") is None
    ca = stored(app, "commitments", "ca")
    assert ca is not None and ca["hall_id"] == "hall-a" and ca["version"] == 1


def test_inspectors_write_only_for_their_own_tasks(app: FastAPI, client: TestClient) -> None:
    world = build(app, client)
    results = push(
        client,
        world.i1,
        mutation(2, "findings", "x1", task_id="task-2", uscc=E2, description="别人的任务"),
        mutation(3, "findings", "x2", task_id="task-1", uscc=E2, description="主体不符"),
        mutation(4, "findings", "x3", task_id="task-404", uscc=E1, description="伪造任务"),
        mutation(5, "findings", "f2", "update", 1, description="改别人的"),
        mutation(6, "commitments", "x4", **commitment(E1)),
        mutation(7, "inspection_tasks", "task-1", "update", 1, status="done"),
        mutation(
            8,
            "inspection_results",
            "r1",
            task_id="task-1",
            uscc=E1.lower(),
            inspected_on="2025-05-06",
            conclusion="未发现问题",
        ),
        mutation(9, "findings", "f1", "update", 1, severity="serious"),
    )
    assert [r["reason"] for r in results] == [
        "forbidden",
        "forbidden",
        "forbidden",
        "forbidden",
        "forbidden",
        "read_only_collection",
        None,
        None,
    ]
    assert count(app, Record, collection="findings") == 2
    r1 = stored(app, "inspection_results", "r1")
    assert r1 is not None and r1["entity_uscc"] == E1 and r1["hall_id"] is None
    assert r1["region_code"] == "140403"
    f2 = stored(app, "findings", "f2")
    assert f2 is not None and f2["version"] == 1


def test_supervisors_write_in_their_region_only(app: FastAPI, client: TestClient) -> None:
    world = build(app, client)
    ok = push(
        client, world.sup, mutation(1, "commitments", "ca", "update", 1, status="verified_true")
    )
    assert ok[0]["status"] == "applied"
    denied = push(
        client, world.sup, mutation(2, "commitments", "cb", "update", 1, status="breached")
    )
    assert denied[0]["reason"] == "forbidden"
    created = push(client, world.sup, mutation(3, "commitments", "sx", **commitment(E1)))
    assert created[0]["reason"] == "forbidden"
    anyone = push(client, world.admin, mutation(1, "checklists", "cl-1", "update", 1, title="改"))
    assert anyone[0]["reason"] == "read_only_collection"


def test_a_new_task_delivers_the_entitys_records_again(app: FastAPI, client: TestClient) -> None:
    world = build(app, client)
    # i2 knows E2 only; an earlier result on E1 by i1 exists.
    _, cursor = pull_all(client, world.i2)
    with app.state.sessions() as session:
        assert related_record_keys(session, E1) == sorted(
            [
                ("credit_grades", f"grade-{E1}"),
                ("entities", E1),
                ("findings", "f1"),
                ("list_memberships", f"list-{E1}"),
            ]
        )
    assign_task(app, world.i2.user_id, "task-3", E1)
    changes, _ = pull_all(client, world.i2, cursor)
    assert keys(changes) == {
        ("inspection_tasks", "task-3"),
        ("entities", E1),
        ("credit_grades", f"grade-{E1}"),
        ("list_memberships", f"list-{E1}"),
        ("findings", "f1"),
    }
    # And the new task lets i2 write for E1.
    result = push(
        client,
        world.i2,
        mutation(
            2,
            "warnings",
            "w1",
            task_id="task-3",
            uscc=E1,
            issued_on="2025-05-06",
            content="限期整改",
            rectify_working_days=10,
        ),
    )[0]
    assert result["status"] == "applied"
    assert result["server_fields"]["rectify_deadline"] == "2025-05-20"


@pytest.mark.parametrize(
    ("code", "prefix"), [("140403", "140403"), ("140400", "1404"), ("140000", "14")]
)
def test_region_prefix(code: str, prefix: str) -> None:
    assert region_prefix(code) == prefix
