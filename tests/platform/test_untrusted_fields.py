"""The platform sets author, time, registry and catalog names itself (issue #17).

Each test runs on SQLite and on the real PostgreSQL (conftest.py), through the HTTP API.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from platform_server.records import Scope
from tests.platform.helpers import commitment, make_caller, mutation, push, seed, seed_entity, uscc

E1 = uscc(1)


def test_a_commitment_is_named_by_the_registry_and_the_catalog_and_stamped(
    app: FastAPI, client: TestClient
) -> None:
    seed_entity(app, E1)
    seed(
        app,
        "commitment_catalog",
        [("cc-food", {"matter": "食品经营许可", "authority": "长治市市场监督管理局"}, Scope())],
    )
    window = make_caller(app, "wa", "window", hall="hall-a")
    forged = commitment(
        E1,
        matter_id="cc-food",
        matter="随便写的事项",
        authority="冒名机关",
        entity_name="冒名顶替有限公司",
        created_at="2020-01-01T08:00:00",
    )
    (made,) = push(client, window, mutation(1, "commitments", "c1", **forged))
    assert made["status"] == "applied", made
    f = made["server_fields"]
    assert (f["matter"], f["authority"]) == ("食品经营许可", "长治市市场监督管理局")
    assert f["entity_name"] == f"测试企业{E1[-6:]}"
    assert f["client_created_at"] == "2020-01-01T08:00:00" != f["created_at"]
    for n, (name, value) in enumerate(
        (
            ("created_at", "2021-01-01T00:00:00"),
            ("entity_name", "改名"),
            ("client_created_at", "x"),
        ),
        start=2,
    ):
        change = mutation(n, "commitments", "c1", "update", made["version"], **{name: value})
        (refused,) = push(client, window, change)
        assert refused["status"] == "rejected" and "不能修改" in refused["message"], name


def test_who_recorded_measure_feedback_is_the_account(app: FastAPI, client: TestClient) -> None:
    seed_entity(app, E1)
    window = make_caller(app, "wa", "window", hall="hall-a")
    fields = {
        "uscc": E1,
        "list_code": "serious",
        "measure": "限制申请财政资金",
        "outcome": "applied",
        "recorded_on": "2026-12-01",
        "recorded_by": "别人",
    }
    (made,) = push(client, window, mutation(1, "measure_feedback", "m1", **fields))
    assert made["status"] == "applied", made
    assert made["server_fields"]["recorded_by"] == "wa"  # the account (no display name set)
