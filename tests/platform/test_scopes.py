"""Scopes: who pulls what, who writes what, forged ids and scopes, scope changes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from desktop_app.domain.credit_record import entry_id
from platform_server.deps import Principal
from platform_server.models import Device, Record, User
from platform_server.records import Scope
from platform_server.region_codes import region_covers, region_prefix
from platform_server.scopes import Viewer, can_see, related_record_keys
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
        # Published: its entry in the city-wide public credit record reaches every window.
        *push(client, w.wb, mutation(1, "commitments", "cb", **commitment(E3), publish=True)),
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

    public_cb = {("credit_entries", entry_id("commitments", "cb"))}
    registry = entity(E1) | entity(E2) | entity(E3) | public_cb
    # Windows: the registry city-wide, without risk classes.
    window = {k for k in registry if k[0] != "credit_grades"}
    forms = {
        ("commitments", "ca"),
        ("commitments", "cb"),
        ("findings", "f1"),
        ("findings", "f2"),
    }
    tasks = {("inspection_tasks", "task-1"), ("inspection_tasks", "task-2")}
    return {
        "wa": ref | window | {("commitments", "ca")},
        "wb": ref | window | {("commitments", "cb")},
        "i1": ref | entity(E1) | {("inspection_tasks", "task-1"), ("findings", "f1")},
        "i2": ref | entity(E2) | {("inspection_tasks", "task-2"), ("findings", "f2")},
        # A form's region is its author's (i2 works for 140404 although E2 is in 140403).
        "sup": ref | entity(E1) | entity(E2) | tasks | {("commitments", "ca"), ("findings", "f1")},
        "city": ref | registry | forms | tasks,
        "sup2": ref | entity(E3) | public_cb | {("commitments", "cb"), ("findings", "f2")},
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


def _sees(app: FastAPI, who: Caller, collection: str, record_id: str) -> bool:
    """``can_see`` for one stored record (the Python rule used on push)."""
    with app.state.sessions() as session:
        user, device = session.get(User, who.user_id), session.get(Device, who.device_id)
        record = session.get(Record, (collection, record_id))
        assert user is not None and device is not None and record is not None
        return can_see(session, Viewer.of(Principal(user=user, device=device)), record)


def test_supervisors_cover_the_abolished_codes_merged_into_their_region(
    app: FastAPI, client: TestClient
) -> None:
    world = build(app, client)
    # Registered in 郊区 (140411) before 2018; 郊区 is part of 潞州区 (140403) today.
    old = uscc(7, region="140411")
    seed_entity(app, old, "140411")
    # A form tagged 城区 (140402), by an account whose region was never renumbered.
    legacy = make_caller(app, "legacy", "window", hall="hall-old", region="140402")
    made = push(client, legacy, mutation(1, "commitments", "c-old", **commitment(old)))
    assert made[0]["status"] == "applied"
    merged = {
        ("entities", old),
        ("credit_grades", f"grade-{old}"),
        ("list_memberships", f"list-{old}"),
        ("commitments", "c-old"),
    }
    for who, covered in ((world.sup, True), (world.city, True), (world.other_sup, False)):
        changes, _ = pull_all(client, who, limit=3)
        assert merged & keys(changes) == (merged if covered else set()), who.username
        # The SQL rule of the pull and the Python rule of push agree.
        assert all(_sees(app, who, c, r) is covered for c, r in merged), who.username
    ok = push(
        client, world.sup, mutation(1, "commitments", "c-old", "update", 1, status="verified_true")
    )
    assert ok[0]["status"] == "applied"
    denied = push(
        client, world.other_sup, mutation(1, "commitments", "c-old", "update", 2, status="breached")
    )
    assert denied[0]["reason"] == "forbidden"


@pytest.mark.parametrize(
    ("region", "code", "covered"),
    [
        ("140403", "140403", True),
        ("140403", "140402", True),
        ("140403", "140411", True),
        ("140403", "140404", False),
        ("140403", "140421", False),  # 长治县 became 上党区, not 潞州区
        ("140404", "140421", True),
        ("140404", "140411", False),
        ("140400", "140411", True),
        ("140400", "140471", True),
        ("140000", "140402", True),
        ("140400", "140503", False),
        (None, "140403", False),
        ("140403", None, False),
    ],
)
def test_region_covers(region: str | None, code: str | None, covered: bool) -> None:
    assert region_covers(region, code) is covered


def test_inspectors_change_only_the_forms_they_made(app: FastAPI, client: TestClient) -> None:
    world = build(app, client)
    a, b = world.i1, world.i2
    result = mutation(
        2,
        "inspection_results",
        "r-a",
        task_id="task-1",
        uscc=E1,
        inspected_on="2025-05-06",
        conclusion="未发现问题",
    )
    assert push(client, a, result)[0]["status"] == "applied"
    # B gets a later task on the same entity: it reads A's earlier result ...
    assign_task(app, b.user_id, "task-3", E1)
    changes, _ = pull_all(client, b)
    assert {("inspection_results", "r-a"), ("findings", "f1")} <= keys(changes)
    # ... but neither changes nor deletes it, nor A's finding.
    denied = push(
        client,
        b,
        mutation(2, "inspection_results", "r-a", "update", 1, conclusion="改别人的结论"),
        mutation(3, "inspection_results", "r-a", "delete", 1),
        mutation(4, "findings", "f1", "update", 1, severity="serious"),
    )
    assert [r["reason"] for r in denied] == ["forbidden", "forbidden", "forbidden"]
    r_a = stored(app, "inspection_results", "r-a")
    assert r_a is not None and r_a["version"] == 1 and not r_a["deleted"]
    # A still corrects its own result, and the supervisor of the region any form.
    own = push(client, a, mutation(3, "inspection_results", "r-a", "update", 1, conclusion="复核"))
    assert own[0]["status"] == "applied" and own[0]["version"] == 2
    sup = push(client, world.sup, mutation(1, "findings", "f1", "update", 1, severity="minor"))
    assert sup[0]["status"] == "applied"
    # B's own form on the new task is B's to change.
    mine = push(
        client,
        b,
        mutation(5, "findings", "f-b", task_id="task-3", uscc=E1, description="标签不全"),
        mutation(6, "findings", "f-b", "update", 1, description="标签不全（已整改）"),
    )
    assert [r["status"] for r in mine] == ["applied", "applied"]


def test_co_inspectors_of_one_task_complete_each_others_forms(
    app: FastAPI, client: TestClient
) -> None:
    # A draw pairs two inspectors on one task: they inspect together, so either may
    # complete the pair's forms (unlike an inspector of a later task on the same entity).
    world = build(app, client)
    a, b = world.i1, world.i2
    created = push(
        client,
        a,
        mutation(
            2,
            "inspection_results",
            "r-pair",
            task_id="task-1",
            uscc=E1,
            inspected_on="2025-05-06",
            conclusion="初查",
        ),
    )
    assert created[0]["status"] == "applied"
    denied = push(
        client, b, mutation(2, "inspection_results", "r-pair", "update", 1, conclusion="x")
    )
    assert denied[0]["reason"] == "forbidden"
    assign_task(app, b.user_id, "task-1", E1)  # B joins the same task
    joined = push(
        client, b, mutation(3, "inspection_results", "r-pair", "update", 1, conclusion="复查补充")
    )
    assert joined[0]["status"] == "applied"
    after = stored(app, "inspection_results", "r-pair")
    assert after is not None
    assert after["fields"]["conclusion"] == "复查补充"


def test_no_window_payload_carries_a_risk_class(app: FastAPI, client: TestClient) -> None:
    world = build(app, client)
    # An entity record imported with a class on it (an older registry) is cleaned on upgrade.
    with app.state.write_sessions() as session, session.begin():
        from platform_server.credit_projection import upgrade_data
        from platform_server.models import Meta

        record = session.get(Record, ("entities", E1))
        assert record is not None
        record.data = record.data[:-1] + ',"credit_grade":"D"}'
        session.get(Meta, "credit_record").value = "0"  # type: ignore[union-attr]
        session.flush()
        assert upgrade_data(session)
    for who in (world.wa, world.wb):
        body = client.get("/v1/sync/pull", params={"limit": 1000}, headers=who.headers).text
        assert '"credit_grade"' not in body and '"grade"' not in body, who.username
        assert "credit_grades" not in body
    # Supervisors still see the class, in its own collection (the existing record wins).
    changes, _ = pull_all(client, world.sup, limit=100)
    grades = {c["record_id"]: c["fields"] for c in changes if c["collection"] == "credit_grades"}
    assert grades[f"grade-{E1}"]["grade"] == "B"
    entity = next(c for c in changes if c["record_id"] == E1 and c["collection"] == "entities")
    assert "credit_grade" not in entity["fields"]
