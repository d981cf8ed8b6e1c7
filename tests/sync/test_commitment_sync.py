"""信用承诺 taken offline through the service reach the REAL platform, with its derived fields.

A 容缺受理 commitment is created with no network, synced, and the platform holds it with the
``deadline`` it derives itself (and its hall); the change to 已履约 syncs the same way; a false
commitment's 失信记录 (``dishonesty_records``) reaches the platform with its commitment.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop_app.domain.commitments import BreachSeverity, CommitmentKind, CommitmentStatus
from desktop_app.services.commitments import CommitmentInput, CommitmentService, MissingMaterial
from desktop_app.services.errors import ServiceError
from desktop_app.store.entities import EntityRepository
from desktop_app.store.models import Entity, OutboxEntry, SyncErrorRecord
from tests.sync.conftest import LiveServer
from tests.sync.helpers import create_form
from tests.sync.test_engine import WINDOW_A, Device

SIGNED_AT = datetime(2025, 9, 26, 10, 0)  # Friday before the 2025 National Day holiday


def server_record(db: Path, collection: str, record_id: str) -> tuple[dict[str, Any], str | None]:
    """``(fields, hall_id)`` of one platform record (read-only)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT data, hall_id FROM records WHERE collection = ? AND record_id = ?",
            (collection, record_id),
        ).fetchone()
    finally:
        conn.close()
    assert row is not None, f"{collection}/{record_id} is not on the platform"
    return json.loads(row[0]), row[1]


@pytest.fixture
def window(live_server: LiveServer, tmp_path: Path) -> Iterator[Device]:
    device = Device(live_server, tmp_path / "window", WINDOW_A)
    device.sync()  # registry, catalog and calendar, as every morning
    yield device
    device.close()


def _statuses(device: Device) -> set[str]:
    with device.store.read() as s:
        return {e.status for e in s.scalars(select(OutboxEntry))}


def _entities(device: Device, n: int) -> list[str]:
    with device.store.read() as s:
        assert EntityRepository(s).count() == 300
        return list(s.scalars(select(Entity.uscc).order_by(Entity.uscc).limit(n)))


def test_a_commitment_taken_offline_syncs_with_the_platform_deadline(
    window: Device, live_server: LiveServer
) -> None:
    service = CommitmentService(window.store, WINDOW_A, clock=lambda: SIGNED_AT)
    first, second = _entities(window, 2)
    view = service.create(
        CommitmentInput(
            uscc=first,
            matter_id="cc-food-01",
            kind=CommitmentKind.TOLERANCE,
            applicant_name="王五",
            missing_materials=(
                MissingMaterial("食品安全管理制度文本", "原件"),
                MissingMaterial("经营场所平面布局图", "复印件"),
            ),
            deadline_working_days=5,
        )
    )
    assert not view.synced and view.deadline == date(2025, 10, 10)  # computed locally
    report = window.sync()
    assert report.applied == 1 and report.rejected == 0  # type: ignore[attr-defined]
    fields, hall = server_record(live_server.db_path, "commitments", view.record_id)
    assert hall == "hall-140403"
    assert fields["deadline"] == "2025-10-10"  # derived by the platform's own calendar
    assert fields["status"] == "signed" and fields["signed_on"] == "2025-09-26"
    assert fields["missing_materials"] == ["食品安全管理制度文本", "经营场所平面布局图"]
    assert fields["materials"][1]["form"] == "复印件" and fields["publish"] is True
    assert [h["to"] for h in fields["history"]] == ["signed"]
    synced = service.get(view.record_id)
    assert synced.synced and synced.deadline == date(2025, 10, 10)

    # The materials arrive: 已履约, and the platform follows.
    done = service.mark_received(view.record_id)
    assert done.status is CommitmentStatus.FULFILLED and not done.synced
    assert window.sync().applied == 1  # type: ignore[attr-defined]
    fields, _hall = server_record(live_server.db_path, "commitments", view.record_id)
    assert fields["status"] == "fulfilled"
    assert [h["to"] for h in fields["history"]] == ["signed", "fulfilled"]
    assert all(m["received"] for m in fields["materials"])
    assert service.get(view.record_id).synced

    # A false commitment found by 核查: the 失信记录 travels with the status change.
    other = service.create(
        CommitmentInput(
            uscc=second, matter_id="cc-tax-01", kind=CommitmentKind.NOTIFY, applicant_name="赵六"
        )
    )
    false = service.verify(
        other.record_id, truthful=False, note="所附完税证明系伪造", severity=BreachSeverity.SERIOUS
    )
    assert false.breach is not None
    report = window.sync()
    assert report.applied == 3 and report.rejected == 0  # type: ignore[attr-defined]
    assert _statuses(window) == {"applied"}
    fields, _hall = server_record(live_server.db_path, "commitments", other.record_id)
    assert fields["status"] == "verified_false" and fields["breach"]["severity"] == "serious"
    record, hall = server_record(
        live_server.db_path, "dishonesty_records", false.breach["dishonesty_id"]
    )
    assert hall == "hall-140403"
    assert record["source_id"] == other.record_id and record["uscc"] == second
    assert (record["kind"], record["severity"], record["repaired"]) == (
        "false_commitment",
        "serious",
        False,
    )
    # After the sync the entity is still barred from 容缺受理 until repaired.
    with pytest.raises(ServiceError, match="尚未完成信用修复"):
        service.create(
            CommitmentInput(
                uscc=second,
                matter_id="cc-food-01",
                kind=CommitmentKind.TOLERANCE,
                applicant_name="赵六",
                missing_materials=(MissingMaterial("经营场所平面布局图", "复印件"),),
                deadline_working_days=3,
            )
        )


def test_a_dishonesty_record_needs_a_commitment_of_the_hall_with_the_same_uscc(
    window: Device,
) -> None:
    service = CommitmentService(window.store, WINDOW_A, clock=lambda: SIGNED_AT)
    first, second = _entities(window, 2)
    view = service.create(
        CommitmentInput(
            uscc=first, matter_id="cc-tax-01", kind=CommitmentKind.NOTIFY, applicant_name="赵六"
        )
    )
    window.sync()
    record = {
        "source_collection": "commitments",
        "kind": "breach",
        "severity": "minor",
        "evidence": "逾期未补齐",
        "decided_on": "2025-10-13",
    }
    create_form(window.store, "dishonesty_records", "d-nosource", {
        **record, "uscc": first, "source_id": "no-such-commitment"
    })  # fmt: skip
    create_form(window.store, "dishonesty_records", "d-mismatch", {
        **record, "uscc": second, "source_id": view.record_id
    })  # fmt: skip
    report = window.sync()
    assert report.rejected == 2  # type: ignore[attr-defined]
    with window.store.read() as s:
        messages = {e.record_id: e.message for e in s.scalars(select(SyncErrorRecord))}
    assert "找不到本服务大厅的这份信用承诺" in messages["d-nosource"]
    assert "与所依据的信用承诺不一致" in messages["d-mismatch"]
