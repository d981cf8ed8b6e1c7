"""One commitment state machine on both sides: the client service and the REAL platform agree.

The table :data:`desktop_app.domain.commitments.TRANSITIONS` is walked pair by pair: every
legal transition is taken through :class:`CommitmentService` and then accepted by the
platform; every illegal one is refused by the service and — pushed anyway, as an older or
broken client would — by the platform, both with the same reason code. (A status "changing"
to itself is no transition on either side: an update that keeps the status edits other
fields.) 草稿 → 已撤回 was accepted by the client and always refused by the platform.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.domain import commitments as cm
from desktop_app.domain.commitments import BreachSeverity, CommitmentKind, CommitmentStatus
from desktop_app.services.commitments import CommitmentInput, CommitmentService, MissingMaterial
from desktop_app.services.errors import ServiceError
from desktop_app.store.entities import EntityRepository
from desktop_app.store.models import Entity, OutboxEntry
from tests.sync.conftest import LiveServer
from tests.sync.helpers import edit_form
from tests.sync.test_engine import WINDOW_A, Device

S = CommitmentStatus
NOW = datetime(2025, 10, 20, 10, 0)  # the 1-working-day deadlines below have passed
SIGNED_ON = date(2025, 9, 26)
PATHS: dict[CommitmentStatus, tuple[CommitmentStatus, ...]] = {
    S.DRAFT: (),
    S.SIGNED: (S.SIGNED,),
    S.OVERDUE: (S.SIGNED, S.OVERDUE),
    S.FULFILLED: (S.SIGNED, S.FULFILLED),
    S.VERIFIED_TRUE: (S.SIGNED, S.VERIFIED_TRUE),
    S.VERIFIED_FALSE: (S.SIGNED, S.VERIFIED_FALSE),
    S.BREACHED: (S.SIGNED, S.OVERDUE, S.BREACHED),
    S.WITHDRAWN: (S.WITHDRAWN,),  # withdrawn as a draft, never signed
}
"""How the service brings a new draft to each status (every status is a starting point)."""
LEGAL = [(old, new) for old, nexts in cm.TRANSITIONS.items() for new in sorted(nexts)]
ILLEGAL = [
    (old, new)
    for old, new in itertools.product(S, S)
    if old is not new and new not in cm.TRANSITIONS[old]
]


@pytest.fixture
def window(live_server: LiveServer, tmp_path: Path) -> Iterator[Device]:
    device = Device(live_server, tmp_path / "machine", WINDOW_A)
    device.sync()
    yield device
    device.close()


def _take(service: CommitmentService, record_id: str, to: CommitmentStatus) -> None:
    """One status change through the service's own use case for it."""
    if to is S.SIGNED:
        service.sign(record_id, SIGNED_ON)
    elif to in cm.BREACH_STATUSES:
        service.record_breach(record_id, to, BreachSeverity.MINOR, "核查发现材料不实")
    else:
        service.transition(record_id, to, "按流程办理")


def _server_status(db: Path, record_id: str) -> str:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        (data,) = conn.execute(
            "SELECT data FROM records WHERE collection = 'commitments' AND record_id = ?",
            (record_id,),
        ).fetchone()
    finally:
        conn.close()
    return str(json.loads(data)["status"])


def test_client_and_platform_walk_the_same_transition_table(
    window: Device, live_server: LiveServer
) -> None:
    assert len(LEGAL) == 11 and len(ILLEGAL) == 45
    with window.store.read() as s:
        assert EntityRepository(s).count() == 300
        pool = iter(s.scalars(select(Entity.uscc).order_by(Entity.uscc)).all())
    service = CommitmentService(window.store, WINDOW_A, clock=lambda: NOW)

    def draft() -> str:
        # One open letter per entity and matter; entities barred from 容缺受理 are skipped.
        for code in pool:
            try:
                return service.create(
                    CommitmentInput(
                        uscc=code,
                        matter_id="cc-food-01",
                        kind=CommitmentKind.TOLERANCE,
                        applicant_name="王五",
                        missing_materials=(MissingMaterial("经营场所平面布局图", "复印件"),),
                        deadline_working_days=1,
                        sign_now=False,
                    )
                ).record_id
            except ServiceError as exc:
                if "不能适用容缺受理" not in str(exc):
                    raise
        raise AssertionError("no entity may use 容缺受理")

    # Every record first (a recorded breach bars the entity from new 容缺受理 letters).
    probes = {status: draft() for status in S}
    takers = {pair: draft() for pair in LEGAL}
    for status, rid in [*probes.items(), *((old, rid) for (old, _n), rid in takers.items())]:
        for step in PATHS[status]:
            _take(service, rid, step)
    report = window.sync()
    assert report.rejected == 0, _errors(window)  # type: ignore[attr-defined]
    for status, rid in probes.items():
        assert _server_status(live_server.db_path, rid) == status.value

    # Legal: the service takes it, the platform accepts it.
    for (_old, new), rid in takers.items():
        _take(service, rid, new)
    report = window.sync()
    assert report.rejected == 0, _errors(window)  # type: ignore[attr-defined]
    for (old, new), rid in takers.items():
        assert _server_status(live_server.db_path, rid) == new.value, (old, new)

    # Illegal: the service refuses; pushed anyway, the platform refuses with the same code.
    client_codes = {}
    for old, new in ILLEGAL:
        with pytest.raises(ServiceError) as refused:
            _take(service, probes[old], new)
        client_codes[(old, new)] = refused.value.code
    sent = {
        edit_form(window.store, "commitments", probes[old], {"status": new.value}): (old, new)
        for old, new in ILLEGAL
    }
    window.sync()
    with window.store.read() as s:
        entries = {e.seq: e for e in s.scalars(select(OutboxEntry)) if e.seq in sent}
        platform_codes = {
            sent[seq]: (e.status, (e.result or {}).get("reason")) for seq, e in entries.items()
        }
    assert platform_codes == {pair: ("rejected", code) for pair, code in client_codes.items()}
    assert set(client_codes.values()) == {"illegal_transition"}
    for status, rid in probes.items():
        assert _server_status(live_server.db_path, rid) == status.value


def _errors(device: Device) -> list[tuple[str | None, str | None]]:
    with device.store.read() as s:
        return [(e.op, e.last_error) for e in s.scalars(select(OutboxEntry)) if e.last_error]
