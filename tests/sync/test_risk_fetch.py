"""The client's 风险预警 fetch against a REAL platform process: a supervisor reads the list, a
window is refused with the platform's message (none of it reaches the window)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sync.errors import SyncError
from sync.protocol import RiskWarningList
from sync.risk import fetch_risk_warnings
from tests.sync.conftest import LiveServer
from tests.sync.test_engine import Device


def test_a_supervisor_fetches_the_flags_and_a_window_is_refused(
    live_server: LiveServer, tmp_path: Path
) -> None:
    boss = Device(live_server, tmp_path / "boss", "supervisor")
    window = Device(live_server, tmp_path / "window", "window.luzhou.1")
    try:
        answer = fetch_risk_warnings(boss.transport)
        assert isinstance(answer, RiskWarningList)
        assert date.fromisoformat(answer.as_of) and answer.total == len(answer.items)
        for item in answer.items:
            assert item.rules and all(r.explanation for r in item.rules)
        narrowed = fetch_risk_warnings(boss.transport, "140403", limit=5)
        assert len(narrowed.items) <= 5
        assert all((i.region_code or "").startswith("1404") for i in narrowed.items)
        with pytest.raises(SyncError) as refused:
            fetch_risk_warnings(window.transport)
        assert refused.value.code == "forbidden"
        assert "仅供科室负责人和管理员" in refused.value.user_message
    finally:
        boss.close()
        window.close()
