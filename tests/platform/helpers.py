"""Shared helpers for the sync tests: fast accounts, seeded records, push and pull calls.

Accounts are written straight into the database with a token issued the way login issues
it, so a test does not pay two Argon2 computations per user (login itself is covered by
``test_auth.py``).
"""

from __future__ import annotations

import base64
import os
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from desktop_app.domain.clock import china_today
from desktop_app.domain.uscc import generate_uscc
from platform_server.db import transaction
from platform_server.demo_calendar import seed_demo_calendar
from platform_server.models import Device, Hall, MutationLog, Record, TaskAssignment, User
from platform_server.records import Scope, bulk_insert_new, loads, touch
from platform_server.scopes import related_record_keys
from platform_server.security import hash_password, issue_token, now
from tests.platform.conftest import PASSWORD

_HASH = hash_password(PASSWORD)


@dataclass
class Caller:
    """An account with one enrolled device and a valid access token."""

    username: str
    user_id: int
    device_id: str
    headers: dict[str, str]


def make_caller(
    app: FastAPI,
    username: str,
    role: str,
    *,
    hall: str | None = None,
    region: str | None = "140403",
) -> Caller:
    """Create an account, enrol a device for it and issue an access token."""
    device_id = uuid.uuid4().hex
    with transaction(app.state.sessions) as session:
        if hall and session.get(Hall, hall) is None:
            session.add(Hall(id=hall, name=f"{hall}政务服务大厅", region_code=region or ""))
        user = User(
            username=username,
            display_name=username,
            password_hash=_HASH,
            role=role,
            hall_id=hall,
            region_code=region,
            active=True,
            created_at=now(),
        )
        session.add(user)
        session.flush()
        session.add(
            Device(id=device_id, user_id=user.id, public_key=os.urandom(32), enrolled_at=now())
        )
        session.flush()
        token, _ = issue_token(session, "access", user.id, device_id, 3600)
        user_id = user.id
    return Caller(username, user_id, device_id, {"Authorization": f"Bearer {token}"})


def uscc(n: int, region: str = "140403") -> str:
    """A valid code, different for every ``n``."""
    return generate_uscc("9", "1", region, f"{n:08d}")


def bad_check_digit(code: str) -> str:
    """``code`` with a wrong position-18 check digit (and nothing else wrong)."""
    return code[:17] + ("0" if code[17] != "0" else "1")


def seed(app: FastAPI, collection: str, rows: list[tuple[str, dict[str, Any], Scope]]) -> None:
    """Insert reference records the way imports do."""
    with transaction(app.state.write_sessions) as session:
        bulk_insert_new(session, collection, rows)


def declare_current_years(app: FastAPI) -> None:
    """The demo's holiday table for this year and next where the bundled calendar stops short.

    For tests that count working days from today: the platform refuses (``calendar_unknown``) a
    year nobody has imported the State Council's notice for, so without this such a test fails
    from the first day ``chinese_calendar`` does not know (:mod:`platform_server.demo_calendar`).
    """
    with transaction(app.state.write_sessions) as session:
        seed_demo_calendar(session, china_today())


def seed_entity(app: FastAPI, code: str, region: str = "140403", grade: str = "B") -> None:
    """An entity with one credit grade and one list membership."""
    scope = Scope(region_code=region, entity_uscc=code)
    seed(app, "entities", [(code, {"uscc": code, "name": f"测试企业{code[-6:]}"}, scope)])
    seed(app, "credit_grades", [(f"grade-{code}", {"uscc": code, "grade": grade}, scope)])
    seed(app, "list_memberships", [(f"list-{code}", {"uscc": code, "list": "red"}, scope)])


def assign_task(
    app: FastAPI, user_id: int, task_id: str, code: str, region: str = "140403"
) -> None:
    """Give an inspector a task the way a draw does (task record, assignment, touch)."""
    with transaction(app.state.write_sessions) as session:
        scope = Scope(region_code=region, entity_uscc=code)
        if session.get(Record, ("inspection_tasks", task_id)) is None:
            bulk_insert_new(session, "inspection_tasks", [(task_id, {"uscc": code}, scope)])
        session.add(TaskAssignment(task_id=task_id, user_id=user_id, entity_uscc=code))
        session.flush()
        touch(session, related_record_keys(session, code))


def mutation(
    seq: int,
    collection: str,
    record_id: str,
    op: str = "create",
    base: int | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """One mutation as the wire carries it."""
    body: dict[str, Any] = {
        "mutation_seq": seq,
        "collection": collection,
        "record_id": record_id,
        "op": op,
        "fields": fields,
    }
    if base is not None:
        body["base_version"] = base
    return body


def push(client: TestClient, caller: Caller, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
    """Push a batch and return its results (asserting 200)."""
    resp = client.post(
        "/v1/sync/push",
        json={"device_id": caller.device_id, "mutations": list(mutations)},
        headers=caller.headers,
    )
    assert resp.status_code == 200, resp.text
    results: list[dict[str, Any]] = resp.json()["results"]
    return results


def pull(
    client: TestClient, caller: Caller, cursor: str | None = None, limit: int | None = None
) -> dict[str, Any]:
    """One pull page (asserting 200)."""
    params: dict[str, Any] = {}
    if cursor is not None:
        params["cursor"] = cursor
    if limit is not None:
        params["limit"] = limit
    resp = client.get("/v1/sync/pull", params=params, headers=caller.headers)
    assert resp.status_code == 200, resp.text
    body: dict[str, Any] = resp.json()
    return body


def pull_all(
    client: TestClient, caller: Caller, cursor: str | None = None, limit: int | None = None
) -> tuple[list[dict[str, Any]], str]:
    """Every page after ``cursor``: the changes and the final cursor."""
    changes: list[dict[str, Any]] = []
    while True:
        page = pull(client, caller, cursor, limit)
        changes.extend(page["changes"])
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes, cursor


def keys(changes: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """``(collection, record_id)`` of pulled changes."""
    return {(c["collection"], c["record_id"]) for c in changes}


def stored(app: FastAPI, collection: str, record_id: str) -> dict[str, Any] | None:
    """A record's row as a dict (fields parsed), or None."""
    with app.state.sessions() as session:
        row = session.get(Record, (collection, record_id))
        if row is None:
            return None
        return {
            "version": row.version,
            "deleted": row.deleted,
            "fields": loads(row.data),
            "hall_id": row.hall_id,
            "region_code": row.region_code,
            "entity_uscc": row.entity_uscc,
            "seq": row.seq,
        }


def count(app: FastAPI, model: type = Record, **where: Any) -> int:
    """Rows of ``model`` matching ``where`` (column == value)."""
    with app.state.sessions() as session:
        stmt = select(func.count()).select_from(model)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return int(session.scalar(stmt) or 0)


def log_count(app: FastAPI) -> int:
    """Rows in the mutation log."""
    return count(app, MutationLog)


def cursor_seq(cursor: str) -> int:
    """The sequence number inside a cursor (tests only: clients treat it as opaque)."""
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    return int(loads(raw.decode())["s"])


def commitment(code: str, **over: Any) -> dict[str, Any]:
    """The fields of a signed 告知承诺."""
    return {
        "uscc": code,
        "kind": "notify",
        "status": "signed",
        "matter": "食品经营许可",
        "signed_on": "2025-03-18",
        **over,
    }
