"""The platform's tamper-evident audit log: every step of 信用修复 and 异议, verified.

Each test runs on SQLite and on the real PostgreSQL (conftest.py), through the HTTP API; the
log is then walked by ``credit-platform audit verify`` (the command's function, on the same
database) before and after a row is edited behind the platform's back.
"""

from __future__ import annotations

import argparse

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from platform_server import audit_log
from platform_server.credit_commands import cmd_audit
from platform_server.credit_projection import expire
from platform_server.models import AuditEntry
from platform_server.settings import ServerSettings
from tests.platform.helpers import make_caller, mutation, push
from tests.platform.test_repairs import objection, repair, setup


def _rows(app: FastAPI) -> list[AuditEntry]:
    with app.state.sessions() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def _verify(settings: ServerSettings) -> int:
    return cmd_audit(
        argparse.Namespace(action="verify", subject_type=None, subject_id=None, limit=100),
        settings,
    )


def test_every_step_of_a_repair_and_an_objection_is_logged_and_chained(
    app: FastAPI, client: TestClient, settings: ServerSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    _hall_a, hall_b = setup(app, client)
    unit = make_caller(app, "sup-a", "supervisor", region="140403")
    (r,) = push(client, hall_b, mutation(1, "repair_applications", "r1", **repair()))
    (o,) = push(client, hall_b, mutation(2, "objections", "o1", **objection("d-new")))
    assert r["status"] == o["status"] == "applied"
    granted = {"outcome": "granted", "reasons": "已完成整改并作出信用承诺"}
    kept = {"outcome": "kept", "reasons": "经核查，认定无误"}
    assert client.post("/v1/repairs/r1/decision", json=granted, headers=unit.headers).is_success
    assert client.post("/v1/objections/o1/decision", json=kept, headers=unit.headers).is_success

    rows = _rows(app)
    steps = [(e.action, e.subject_id, e.actor) for e in rows]
    assert steps == [
        ("repair.received", "r1", "wb"),
        ("objection.received", "o1", "wb"),
        ("repair.decided", "r1", "sup-a"),
        ("objection.decided", "o1", "sup-a"),
    ]
    decided = audit_log.entries
    with app.state.sessions() as session:
        (last_repair,) = decided(session, subject_type="repair_applications", subject_id="r1")[:1]
    assert last_repair.details["outcome"] == "granted"
    assert last_repair.details["target"] == "dishonesty_records/d1"
    assert rows[0].details and '"deciding_unit": "140403"' in rows[0].details
    assert _verify(settings) == 0
    assert "共 4 条" in capsys.readouterr().out

    # Someone with database access rewrites a decision: the chain shows where.
    with app.state.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_log SET details = :d WHERE id = :i"),
            {"d": rows[2].details.replace("granted", "refused"), "i": rows[2].id},
        )
    assert _verify(settings) == 1
    err = capsys.readouterr().err
    assert f"第 {rows[2].id} 条记录的内容被改动" in err


def test_cutting_rows_off_the_end_is_found(
    app: FastAPI, client: TestClient, settings: ServerSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    _hall_a, hall_b = setup(app, client)
    push(client, hall_b, mutation(1, "repair_applications", "r1", **repair()))
    push(client, hall_b, mutation(2, "objections", "o1", **objection("d-new")))
    last = _rows(app)[-1]
    with app.state.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id = :i"), {"i": last.id})
    assert _verify(settings) == 1
    assert "日志应有 2 条，实际 1 条" in capsys.readouterr().err


def test_the_automatic_end_of_publication_is_logged_as_the_platform(
    app: FastAPI, client: TestClient
) -> None:
    from datetime import date

    setup(app, client)
    with app.state.sessions() as session, session.begin():
        ended = expire(session, date(2030, 1, 1))
    assert ended > 0
    (row,) = [e for e in _rows(app) if e.action == "credit.publication_ended"]
    assert row.actor == audit_log.SYSTEM_ACTOR and f'"count": {ended}' in row.details
