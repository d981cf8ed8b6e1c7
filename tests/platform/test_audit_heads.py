"""The audit log's head, published and signed: a rewritten or truncated log is found.

Before: the chain's head lived only in the ``meta`` row beside it, so whoever could write the
database could rewrite the log *consistently* (recompute every hash and the head) and
``credit-platform audit verify`` still passed. Now the platform publishes signed heads
(``audit publish-head``, the daily job, ``GET /v1/audit/heads``) and ``credit-platform
verify-audit`` holds the log to every one of them.

Each test runs on SQLite and on the real PostgreSQL (conftest.py): audit rows come from real
repair and objection intake through the HTTP API; the commands are the CLI's functions on the
same database and data directory.
"""

from __future__ import annotations

import argparse
import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from desktop_app.domain.audit_chain import GENESIS, entry_hash
from platform_server import audit_log
from platform_server.credit_commands import cmd_audit, cmd_verify_audit
from platform_server.models import AuditEntry
from platform_server.settings import ServerSettings
from tests.platform.helpers import make_caller, mutation, push
from tests.platform.test_repairs import objection, repair, setup


def _publish(settings: ServerSettings) -> int:
    args = argparse.Namespace(action="publish-head", subject_type=None, subject_id=None, limit=1)
    return cmd_audit(args, settings)


def _verify_audit(settings: ServerSettings, heads: Path | None = None) -> int:
    return cmd_verify_audit(argparse.Namespace(heads=str(heads) if heads else None), settings)


def _chain_verify(settings: ServerSettings) -> int:
    args = argparse.Namespace(action="verify", subject_type=None, subject_id=None, limit=1)
    return cmd_audit(args, settings)


def _activity(app: FastAPI, client: TestClient) -> None:
    """Four audited steps: a repair and an objection taken at a window, and both decided."""
    _hall_a, hall_b = setup(app, client)
    unit = make_caller(app, "sup-a", "supervisor", region="140403")
    (r,) = push(client, hall_b, mutation(1, "repair_applications", "r1", **repair()))
    (o,) = push(client, hall_b, mutation(2, "objections", "o1", **objection("d-new")))
    assert r["status"] == o["status"] == "applied"
    granted = {"outcome": "granted", "reasons": "已完成整改并作出信用承诺"}
    kept = {"outcome": "kept", "reasons": "经核查，认定无误"}
    assert client.post("/v1/repairs/r1/decision", json=granted, headers=unit.headers).is_success
    assert client.post("/v1/objections/o1/decision", json=kept, headers=unit.headers).is_success


def _activity_more(app: FastAPI, client: TestClient) -> None:
    """One more audited step: an objection to the commitment, at another hall."""
    hall_c = make_caller(app, "wc", "window", hall="hall-c", region="140404")
    (o,) = push(client, hall_c, mutation(1, "objections", "o2", **objection("c1", "commitments")))
    assert o["status"] == "applied", o


def _rows(engine: Engine) -> list[AuditEntry]:
    with Session(engine) as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def rewrite_chain(engine: Engine, *, edit_id: int | None = None, keep: int | None = None) -> None:
    """What an attacker with database access does: change or cut rows, then recompute every
    hash and the recorded head, so that the chain is consistent again."""
    rows = _rows(engine)
    with engine.begin() as conn:
        if keep is not None:
            for row in rows[keep:]:
                conn.execute(text("DELETE FROM audit_log WHERE id = :i"), {"i": row.id})
            rows = rows[:keep]
        prev = GENESIS
        for row in rows:
            details = json.loads(row.details)
            if row.id == edit_id:
                details["statement"] = "（被改写）"
            digest = entry_hash(
                prev, row.at, row.actor, row.action, row.subject_type, row.subject_id, details
            )
            conn.execute(
                text("UPDATE audit_log SET details = :d, prev_hash = :p, hash = :h WHERE id = :i"),
                {
                    "d": json.dumps(details, ensure_ascii=False, sort_keys=True),
                    "p": prev,
                    "h": digest,
                    "i": row.id,
                },
            )
            prev = digest
        conn.execute(
            text("UPDATE meta SET value = :v WHERE key = 'audit.head'"),
            {"v": json.dumps({"hash": prev, "count": len(rows)})},
        )


def test_a_published_head_is_signed_and_served_to_anyone(
    app: FastAPI, client: TestClient, settings: ServerSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = client.get("/v1/audit/heads/latest")
    assert missing.status_code == 404 and "publish-head" in missing.json()["message"]
    _activity(app, client)
    assert _publish(settings) == 0
    assert "已发布第 1 次审计日志链头：共 4 条" in capsys.readouterr().out
    latest = client.get("/v1/audit/heads/latest")  # no account
    assert latest.status_code == 200, latest.text
    head = latest.json()
    rows = _rows(app.state.engine)
    assert (head["seq"], head["count"], head["hash"]) == (1, 4, rows[-1].hash)
    # Anyone can check the signature with the published key and the exact signed text.
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(head["public_key"]))
    public.verify(base64.b64decode(head["signature"]), head["signed_text"].encode())
    assert head["signed_text"].startswith("CDAH1\n") and '"count":4' in head["signed_text"]
    key_file = settings.data_dir / audit_log.KEY_FILE
    assert key_file.stat().st_mode & 0o077 == 0  # the private key is the platform's alone

    _activity_more(app, client)
    assert _publish(settings) == 0
    listed = client.get("/v1/audit/heads", params={"after_seq": 0}).json()
    assert [h["seq"] for h in listed["heads"]] == [1, 2]
    assert listed["heads"][1]["count"] == 5 and listed["public_key"] == head["public_key"]
    assert client.get("/v1/audit/heads", params={"after_seq": 1}).json()["heads"][0]["seq"] == 2
    assert _verify_audit(settings) == 0
    out = capsys.readouterr().out
    assert "已发布的 2 次链头" in out and "前缀" in out


def test_a_consistently_rewritten_log_passes_the_chain_walk_but_not_verify_audit(
    app: FastAPI, client: TestClient, settings: ServerSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    _activity(app, client)
    assert _publish(settings) == 0
    rows = _rows(app.state.engine)
    rewrite_chain(app.state.engine, edit_id=rows[1].id)
    # The hash chain alone is fooled: every link and the head agree again.
    assert _chain_verify(settings) == 0
    capsys.readouterr()
    assert _verify_audit(settings) == 1
    err = capsys.readouterr().err
    assert "第 1 次发布的链头" in err and "第 1–4 条之间的记录被改写" in err
    assert "请保全数据库和数据目录" in err


def test_a_truncated_log_is_found_and_the_rows_named(
    app: FastAPI, client: TestClient, settings: ServerSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    _activity(app, client)
    assert _publish(settings) == 0
    rewrite_chain(app.state.engine, keep=2)
    assert _chain_verify(settings) == 0  # fooled: two rows, head says two
    capsys.readouterr()
    assert _verify_audit(settings) == 1
    assert "之后日志只剩 2 条：第 3–4 条被删除（日志被截断）" in capsys.readouterr().err


def test_published_heads_are_append_only_and_kept_outside_the_database(
    app: FastAPI, client: TestClient, settings: ServerSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    _activity(app, client)
    assert _publish(settings) == 0
    saved = settings.data_dir / "kept-by-the-auditor.json"
    saved.write_text(client.get("/v1/audit/heads").text, encoding="utf-8")
    engine = app.state.engine
    for statement in ("UPDATE audit_heads SET count = 1", "DELETE FROM audit_heads"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    # An attacker who can also drop the protection removes the publication and rewrites.
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_heads DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER audit_heads_no_delete"))
        conn.execute(text("DELETE FROM audit_heads"))
        if engine.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_heads ENABLE TRIGGER USER"))
    rewrite_chain(engine, keep=3)
    capsys.readouterr()
    # The data directory's witness file still holds the publication.
    assert _verify_audit(settings) == 1
    err = capsys.readouterr().err
    assert "平台已不再保存第 1 次发布的链头" in err and "第 4–4 条被删除" in err
    # And so does a copy an auditor downloaded, without the witness file.
    (settings.data_dir / audit_log.WITNESS_FILE).unlink()
    assert _verify_audit(settings, saved) == 1
    assert "平台已不再保存第 1 次发布的链头" in capsys.readouterr().err
    bad = settings.data_dir / "garbage.json"
    bad.write_text("{not json", encoding="utf-8")
    assert _verify_audit(settings, bad) == 2
    assert "无法读取链头文件" in capsys.readouterr().err


def test_a_head_signed_by_another_key_is_refused(
    app: FastAPI, client: TestClient, settings: ServerSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    _activity(app, client)
    assert _publish(settings) == 0
    # Someone forges a second publication with a key of their own.
    forger = Ed25519PrivateKey.generate()
    with app.state.sessions() as s, s.begin():
        forged = audit_log.publish_head(s, forger)
    assert forged.seq == 2
    assert _verify_audit(settings) == 1
    assert "第 2 次发布的链头签名无效" in capsys.readouterr().err


def test_a_broken_log_is_not_vouched_for(
    app: FastAPI, client: TestClient, settings: ServerSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    _activity(app, client)
    rows = _rows(app.state.engine)
    with app.state.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_log SET actor = 'someone' WHERE id = :i"), {"i": rows[0].id}
        )
    assert _publish(settings) == 1
    assert "链头未发布" in capsys.readouterr().err
    assert client.get("/v1/audit/heads/latest").status_code == 404


def test_verify_audit_without_publications_says_how_to_publish(
    settings: ServerSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _verify_audit(settings) == 0
    assert "audit publish-head" in capsys.readouterr().out
