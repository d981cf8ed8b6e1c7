"""Next year's calendar at the year's end, against a REAL platform process and real clients.

The platform's "today" is injected (``CREDIT_PLATFORM_TODAY``) and so is the clients' (their
services' clocks): the year is 2040, which the bundled ``chinese_calendar`` will not know for a
long time, so nothing here depends on the real date or on the library's release.

Before the 2041 holiday table is imported, the platform warns its administrator (``serve``,
``import``, ``calendar-status``) and supervisors (``GET /v1/admin/calendar``, and the status
computed from their pulled copy), and a 容缺受理 whose deadline reaches into 2041 cannot be
computed; after the State Council notice is imported and clients sync, it is.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select

from desktop_app.domain.commitments import CommitmentKind, tolerance_deadline
from desktop_app.domain.working_days import CalendarUnknown
from desktop_app.services.calendar import CalendarService
from desktop_app.services.commitments import (
    CommitmentInput,
    CommitmentService,
    MissingMaterial,
    local_calendar,
)
from desktop_app.services.errors import ServiceError
from desktop_app.store.models import Entity
from platform_server.demo import DEMO_PASSWORD
from tests.sync.conftest import LiveServer, running_platform
from tests.sync.test_commitment_sync import server_record
from tests.sync.test_engine import WINDOW_A, Device

TODAY = date(2040, 12, 24)  # a Monday, 8 days before 2041
SIGNED_AT = datetime(2040, 12, 24, 10, 0)

# 8 working days after Monday 24 December: 25–28 and 31 December are five; 1 and 2 January
# are days off in this (invented) notice, 3 and 4 January make seven, and Saturday 5 January
# is a make-up working day: the eighth. The weekday rule alone would say 3 January.
NOTICE_2041 = """\
# 国务院办公厅关于2041年部分节假日安排的通知（测试用）
2041-01-01~2041-01-02,休
2041-01-05,班
2041-02-01 至 2041-02-07,休   # 春节
2041-02-10,班
2041-13-01,休
2041,完整
"""
DEADLINE = date(2041, 1, 5)


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A seeded platform whose calendar warnings take 24 December 2040 as today."""
    before = os.environ.get("CREDIT_PLATFORM_TODAY")
    os.environ["CREDIT_PLATFORM_TODAY"] = TODAY.isoformat()
    try:
        with running_platform(tmp_path_factory.mktemp("platform")) as server:
            yield server
    finally:
        if before is None:
            del os.environ["CREDIT_PLATFORM_TODAY"]
        else:
            os.environ["CREDIT_PLATFORM_TODAY"] = before


def _token(server: LiveServer, username: str) -> str:
    key = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    login = requests.post(
        f"{server.url}/v1/auth/login",
        json={
            "username": username,
            "password": DEMO_PASSWORD,
            "device_id": "calendar-test-" + username.replace(".", "-"),
            "device_public_key": base64.b64encode(key).decode(),
        },
        timeout=10,
    )
    assert login.status_code == 200, login.text
    return str(login.json()["access_token"])


def _calendar_endpoint(server: LiveServer, token: str) -> requests.Response:
    return requests.get(
        f"{server.url}/v1/admin/calendar", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )


def _tolerance(uscc: str) -> CommitmentInput:
    return CommitmentInput(
        uscc=uscc,
        matter_id="cc-food-01",
        kind=CommitmentKind.TOLERANCE,
        applicant_name="王五",
        missing_materials=(MissingMaterial("食品安全管理制度文本", "原件"),),
        deadline_working_days=8,
    )


def test_year_end_warning_until_the_notice_is_imported_then_deadlines_compute(
    platform: LiveServer, tmp_path: Path
) -> None:
    # Start-up: the platform knows no 2040 either, and says so in its log.
    log = (platform.db_path.parent / "serve.log").read_text("utf-8", "replace")
    assert "警告：2040年法定节假日安排尚未导入（现已是2040年）" in log
    status = platform.cli("calendar-status")
    assert status.returncode == 1 and "2040年法定节假日安排尚未导入" in status.stdout

    # This year's table: the warning moves on to next year, 8 days away.
    this_year = tmp_path / "2040.txt"
    this_year.write_text("2040,完整\n", "utf-8")
    imported = platform.cli("import", "--collection", "calendar_overrides", str(this_year))
    assert imported.returncode == 0, imported.stderr
    assert "新增 1 条" in imported.stdout
    assert "警告：2041年法定节假日安排尚未导入（距2041年还有8天）" in imported.stderr
    status = platform.cli("calendar-status")
    assert status.returncode == 1 and "2041,完整" in status.stdout
    earlier = platform.cli("calendar-status", "--today", "2040-11-15")
    assert earlier.returncode == 0 and "工作日历正常" in earlier.stdout

    # Supervisors see it from the platform and from their own pulled copy; clerks do not.
    supervisor = _token(platform, "supervisor")
    answer = _calendar_endpoint(platform, supervisor)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["warning"] is True and body["missing_year"] == 2041 and body["days_left"] == 8
    assert body["today"] == TODAY.isoformat() and "导入" in body["message"]
    assert _calendar_endpoint(platform, _token(platform, WINDOW_A)).status_code == 403

    boss = Device(platform, tmp_path / "supervisor", "supervisor")
    window = Device(platform, tmp_path / "window", WINDOW_A)
    try:
        boss.sync()
        window.sync()
        notice = CalendarService(boss.store, today=lambda: TODAY).supervisor_notice()
        assert notice is not None and notice.missing_year == 2041 and notice.days_left == 8
        assert CalendarService(window.store, today=lambda: TODAY).supervisor_notice() is None
        assert CalendarService(window.store, today=lambda: TODAY).status().warning

        # A 容缺受理 signed today cannot get a deadline in 2041: said clearly, nothing stored.
        with window.store.read() as s:
            uscc = s.scalars(select(Entity.uscc).order_by(Entity.uscc)).first()
            with pytest.raises(CalendarUnknown, match="2041年的法定节假日安排尚未获得"):
                tolerance_deadline(TODAY, 8, local_calendar(s))
        assert uscc is not None
        service = CommitmentService(window.store, WINDOW_A, clock=lambda: SIGNED_AT)
        with pytest.raises(ServiceError, match="2041年的法定节假日安排") as refused:
            service.create(_tolerance(uscc))
        assert "同步" in str(refused.value)

        # The State Council's notice is imported (a bad line is reported, the rest stored).
        notice_file = tmp_path / "2041-节假日.txt"
        notice_file.write_text(NOTICE_2041, "utf-8")
        imported = platform.cli("import", "--collection", "calendar_overrides", str(notice_file))
        assert imported.returncode == 3, imported.stderr
        assert "拒绝 第6行" in imported.stdout and "2041-13-01" in imported.stdout
        assert "新增 12 条" in imported.stdout  # 2 + 1 + 7 + 1 days and the year line
        assert "警告" not in imported.stderr
        status = platform.cli("calendar-status")
        assert status.returncode == 0 and "工作日历正常" in status.stdout
        assert _calendar_endpoint(platform, supervisor).json()["warning"] is False

        # After their next sync, clients compute the deadline with the notice's days.
        window.sync()
        boss.sync()
        assert CalendarService(boss.store, today=lambda: TODAY).supervisor_notice() is None
        view = service.create(_tolerance(uscc))
        assert view.deadline == DEADLINE
        report = window.sync()
        assert report.rejected == 0  # type: ignore[attr-defined]
        fields, _hall = server_record(platform.db_path, "commitments", view.record_id)
        assert fields["deadline"] == DEADLINE.isoformat()  # the platform agrees
    finally:
        window.close()
        boss.close()
