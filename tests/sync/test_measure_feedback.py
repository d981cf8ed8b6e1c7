"""联合奖惩反馈 end to end on a REAL platform process, through a fault proxy.

A window clerk records, offline, what was done about the measures of an entity's lists (one
applied, one not applicable with the reason); the first push's answer is lost on the way back
(the platform applied it), the device retries: the platform holds each form exactly once, and
the supervisor's figures per measure count them once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from desktop_app.domain.records import MeasureOutcome
from desktop_app.services.errors import ServiceError
from desktop_app.services.measures import MeasureChoice, MeasureService
from desktop_app.store.models import Entity
from tests.sync.conftest import LiveServer
from tests.sync.faultproxy import FaultProxy, FaultRates
from tests.sync.helpers import server_count
from tests.sync.test_city_wide_record import _admin_token
from tests.sync.test_engine import Device
from tests.sync.test_inspection_offline import _upstream

HALL = "window.luzhou.1"


@pytest.fixture
def proxy(live_server: LiveServer) -> Iterator[FaultProxy]:
    with FaultProxy(_upstream(live_server), FaultRates(), seed=2026, faults=False) as p:
        yield p


def _listed(service: MeasureService, device: Device) -> tuple[str, list[MeasureChoice]]:
    with device.store.read() as s:
        codes = list(s.scalars(select(Entity.uscc).order_by(Entity.uscc)))
    for code in codes:
        choices = service.choices(code)
        if len(choices) >= 2:
            return code, choices
    raise AssertionError("no demo entity on a list with two measures")


def test_measure_feedback_reaches_the_platform_exactly_once_and_is_counted(
    live_server: LiveServer, proxy: FaultProxy, tmp_path: Path
) -> None:
    from types import SimpleNamespace

    window = Device(SimpleNamespace(url=proxy.url), tmp_path / "w", HALL)  # type: ignore[arg-type]
    try:
        window.sync()
        service = MeasureService(window.store, HALL)
        code, choices = _listed(service, window)
        first, second = choices[0], choices[1]
        with pytest.raises(ServiceError, match="理由"):
            service.record(code, first, MeasureOutcome.NOT_APPLICABLE, "  ")
        ids = service.record_many(
            code,
            [
                (first, MeasureOutcome.APPLIED, ""),
                (second, MeasureOutcome.NOT_APPLICABLE, "本事项不涉及财政资金"),
            ],
            matter="食品经营许可",
        )
        assert [c.recorded_today for c in service.choices(code)][:2] == [
            "applied",
            "not_applicable",
        ]
        # The platform applies the push, but its answer never comes back; the device sends
        # the same mutations again and the platform answers them from its log.
        proxy.force("drop_after", 1, "/v1/sync/push")
        report = window.sync()
        assert proxy.injected["drop_after"] == 1
        assert report.applied == 2 and report.rejected == 0  # type: ignore[attr-defined]
        window.sync()
        sql = "SELECT count(*) FROM records WHERE collection = 'measure_feedback' AND record_id = ?"
        assert [server_count(live_server.db_path, sql, rid) for rid in ids] == [1, 1]
    finally:
        window.close()

    token = _admin_token(live_server, "supervisor")
    figures = requests.get(
        f"{live_server.url}/v1/measures/statistics",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()
    rows = {(f["list_code"], f["measure"]): f for f in figures}
    applied = rows[(first.list_code, first.measure)]
    skipped = rows[(second.list_code, second.measure)]
    assert applied["applied"] >= 1 and skipped["not_applicable"] >= 1
    assert "潞州区政务服务中心" in applied["halls"]
    window_token = _admin_token(live_server, HALL)
    refused = requests.get(
        f"{live_server.url}/v1/measures/statistics",
        headers={"Authorization": f"Bearer {window_token}"},
        timeout=10,
    )
    assert refused.status_code == 403
