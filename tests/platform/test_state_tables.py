"""Every lifecycle table, walked on both sides: the client and the platform agree.

For each record type with a state table (:attr:`RecordModel.STATES`), every creation state
and every change between two states is tried twice: by the client's code path (the
commitment aggregate's status change, and the shared definition's ``check``), and by a real
push to the platform (SQLite and PostgreSQL). A legal change is accepted by both; an illegal
one is refused by both, with the same reason code.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from desktop_app.domain import commitments as cm
from desktop_app.domain.aggregates.commitment import CommitmentCase
from desktop_app.domain.records import RECORDS, Commitment, DishonestyRecord, RecordInvalid
from desktop_app.domain.records.states import StateMachine
from tests.platform.helpers import commitment, make_caller, mutation, push, uscc

CODE = uscc(7)
NOW = datetime(2025, 3, 20, 10, 0)


def _fields(status: Any) -> dict[str, Any]:
    signed = status not in cm.UNSIGNED_STATUSES
    return commitment(CODE, status=str(status), signed_on="2025-03-18" if signed else None)


def _client_verdict(old: Any, new: Any) -> str:
    """``ok`` or the reason code the client's code path gives."""
    after = Commitment.read(_fields(new))
    try:
        if old is None:
            Commitment.check(after.to_fields())
        else:
            case = CommitmentCase("c", Commitment.read(_fields(old)))
            changes = case.change_status(new, NOW, "测试")
            Commitment.check({**_fields(old), **changes, **_fields(new)}, _fields(old))
    except (RecordInvalid, cm.CommitmentError) as err:
        return err.code
    return "ok"


def _platform_verdicts(
    client: TestClient, app: FastAPI, table: StateMachine[Any]
) -> dict[tuple[Any, Any], str]:
    w = make_caller(app, "w", "window", hall="hall-a")
    batch: list[dict[str, Any]] = []
    finals: dict[int, tuple[Any, Any]] = {}
    seq = 0
    for n, (old, new, _legal) in enumerate(table.walk()):
        record_id = f"c-{n}"
        path = [] if old is None else table.path_to(old)
        steps = [*path, new]
        for version, state in enumerate(steps):
            seq += 1
            op = "create" if version == 0 else "update"
            base = None if version == 0 else version
            batch.append(mutation(seq, "commitments", record_id, op, base, **_fields(state)))
        finals[seq] = (old, new)
    results = push(client, w, *batch)
    verdicts: dict[tuple[Any, Any], str] = {}
    for result, sent in zip(results, batch, strict=True):
        key = finals.get(sent["mutation_seq"])
        if key is None:
            assert result["status"] == "applied", result  # the legal path to ``old``
            continue
        verdicts[key] = "ok" if result["status"] == "applied" else result["reason"]
    return verdicts


def test_commitment_table_is_walked_alike_by_client_and_platform(
    app: FastAPI, client: TestClient
) -> None:
    table = Commitment.STATES
    assert table is not None and table.transitions is cm.TRANSITIONS
    platform = _platform_verdicts(client, app, table)
    walked = list(table.walk())
    assert len(walked) == len(platform) == 8 + 8 * 7
    for old, new, legal in walked:
        client_says = _client_verdict(old, new)
        expected = "ok" if legal else "illegal_transition"
        assert client_says == expected, (old, new, client_says)
        assert platform[(old, new)] == expected, (old, new, platform[(old, new)])


def test_dishonesty_repair_is_one_way_on_both_sides(app: FastAPI, client: TestClient) -> None:
    table = DishonestyRecord.STATES
    assert table is not None
    w = make_caller(app, "w", "window", hall="hall-a")
    source = push(client, w, mutation(1, "commitments", "src", **commitment(CODE)))[0]
    assert source["status"] == "applied"

    def record(repaired: bool) -> dict[str, Any]:
        return {
            "uscc": CODE,
            "source_collection": "commitments",
            "source_id": "src",
            "kind": "breach",
            "severity": "general",
            "evidence": "逾期未补齐材料",
            "decided_on": date(2025, 3, 20).isoformat(),
            "repaired": repaired,
        }

    batch = [
        mutation(2, "dishonesty_records", "d-new-false", **record(False)),
        mutation(3, "dishonesty_records", "d-new-true", **record(True)),
        mutation(4, "dishonesty_records", "d-1", **record(False)),
        mutation(5, "dishonesty_records", "d-1", "update", 1, repaired=True),
        mutation(6, "dishonesty_records", "d-1", "update", 2, repaired=False),
    ]
    results = push(client, w, *batch)
    platform = ["ok" if r["status"] == "applied" else r["reason"] for r in results]
    pairs = [(None, False), (None, True), (None, False), (False, True), (True, False)]
    client_side = []
    for old, new in pairs:
        try:
            DishonestyRecord.check(record(new), None if old is None else record(old))
            client_side.append("ok")
        except RecordInvalid as err:
            client_side.append(err.code)
    expected = ["ok" if table.allows(old, new) else "illegal_transition" for old, new in pairs]
    assert platform == client_side == expected
    assert expected == ["ok", "illegal_transition", "ok", "ok", "illegal_transition"]


def test_every_table_is_walked_here() -> None:
    with_tables = {r for r in RECORDS.values() if r.STATES is not None}
    assert with_tables == {Commitment, DishonestyRecord}, "walk the new table in this module"
