"""Issue #17 through a REAL ``credit-platform serve`` process and real clients.

* A report is genuine only once the platform registered it; before that it is "unknown".
* A number belongs to its issuer: a device registering another device's number is refused, in
  the platform's words, and the client's sync goes on.
* A revoked device's key signs nothing genuine any more, whatever date it writes.
* The serving platform publishes the signed audit head by itself; ``credit-platform
  verify-audit`` finds a log rewritten behind its back that ``audit verify`` cannot.
"""

from __future__ import annotations

import base64
import dataclasses
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import create_engine, select

from desktop_app.config import ProfilePaths
from desktop_app.services.app import AppServices
from desktop_app.services.reports import IssueRequest, SignedReport
from desktop_app.services.unlock import StoreUnlocker
from desktop_app.store.models import Entity, IssuedReport
from sync.protocol import ReportStatus, ReportVerifyResult
from sync.protocol.report_payload import decode_payload
from sync.report_signing import DeviceReportSigner
from tests.platform.test_audit_heads import rewrite_chain
from tests.sync.conftest import LiveServer
from tests.sync.test_city_wide_record import _admin_token
from tests.sync.test_engine import WINDOW_A, WINDOW_B, Device

REQUEST = IssueRequest(purpose="招标投标", issuing_unit="长治市潞州区政务服务中心")


@dataclasses.dataclass
class Window:
    device: Device
    services: AppServices


def _window(server: LiveServer, folder: Path, username: str) -> Window:
    device = Device(server, folder, username)
    device.sync()
    services = AppServices.build(
        device.store,
        StoreUnlocker(ProfilePaths(folder)),
        username,
        signer=DeviceReportSigner(device.store),
    )
    return Window(device, services)


@pytest.fixture
def window_a(live_server: LiveServer, tmp_path: Path) -> Iterator[Window]:
    window = _window(live_server, tmp_path / "a", WINDOW_A)
    yield window
    window.device.close()


@pytest.fixture
def window_b(live_server: LiveServer, tmp_path: Path) -> Iterator[Window]:
    window = _window(live_server, tmp_path / "b", WINDOW_B)
    yield window
    window.device.close()


def _issue(window: Window) -> SignedReport:
    with window.services.store.read() as s:
        entity = s.scalars(select(Entity.id).order_by(Entity.id).limit(1)).one()
    return window.services.reports.issue(entity, REQUEST)


def verify(device: Device, report_no: str, payload: str) -> ReportVerifyResult:
    resp = device.transport.request(
        "POST", "/v1/reports/verify", json={"report_no": report_no, "payload": payload}
    )
    return device.transport.parse(resp, ReportVerifyResult)


def test_a_report_is_genuine_only_once_the_platform_registered_it(
    window_a: Window, window_b: Window
) -> None:
    report = _issue(window_a)
    # Signed by an enrolled device, but not registered: the platform cannot vouch for it yet.
    early = verify(window_b.device, report.report_no, report.payload)
    assert early.status is ReportStatus.UNKNOWN and not early.genuine
    assert "尚未在平台登记" in early.reason and early.registered_at is None

    assert window_a.device.sync().reports_registered == 1  # type: ignore[attr-defined]
    result = verify(window_b.device, report.report_no, report.payload)
    assert result.status is ReportStatus.GENUINE and result.genuine and result.registered
    assert result.registered_at is not None and "真实报告" in result.reason
    registered = datetime.strptime(result.registered_at, "%Y-%m-%dT%H:%M:%SZ")
    assert abs(registered.replace(tzinfo=UTC) - datetime.now(UTC)) < timedelta(minutes=5)


def test_another_devices_number_is_refused_and_the_sync_goes_on(
    window_a: Window, window_b: Window
) -> None:
    first = _issue(window_a)
    window_a.device.sync()
    # Window B signs (with its own key) a report under window A's next number: squatting.
    taken = first.report_no[:-4] + "0002"
    own = _issue(window_b)  # a real report of B's, copied for the squatted row
    fields, _ = decode_payload(own.payload)
    squat = DeviceReportSigner(window_b.device.store).sign_report(
        taken, fields.uscc, fields.issued_datetime(), fields.content_digest
    )
    with window_b.device.store.write() as s:
        row = s.get(IssuedReport, own.report_no)
        assert row is not None
        s.add(
            IssuedReport(
                **{
                    c.name: getattr(row, c.name)
                    for c in IssuedReport.__table__.columns
                    if c.name not in ("report_no", "payload", "registered_at", "register_error")
                },
                report_no=taken,
                payload=squat,
            )
        )
    done = window_b.device.sync()
    assert done.reports_registered == 1  # type: ignore[attr-defined]  # its own report only
    rows = {r.report_no: r for r in window_b.services.reports.issued()}
    assert rows[own.report_no].registered and not rows[taken].registered
    assert "另一台设备的编号段" in (rows[taken].register_error or "")
    # So window A's own next report takes its number and is genuine.
    second = _issue(window_a)
    assert second.report_no == taken
    window_a.device.sync()
    assert verify(window_b.device, taken, second.payload).status is ReportStatus.GENUINE


def test_a_revoked_devices_key_signs_nothing_genuine(
    live_server: LiveServer, window_a: Window, tmp_path: Path
) -> None:
    lost = _window(live_server, tmp_path / "lost", WINDOW_B)
    try:
        before = _issue(lost)
        lost.device.sync()
        done = live_server.cli("revoke-device", lost.device.device_id)
        assert done.returncode == 0, done.stderr
        # Whoever holds the laptop's key signs a report dated an hour before the revocation.
        fields, _ = decode_payload(before.payload)
        number = before.report_no[:-4] + "0099"
        backdated = datetime.now(UTC) - timedelta(hours=1)
        stolen = DeviceReportSigner(lost.device.store).sign_report(
            number, fields.uscc, backdated, "e" * 64
        )
    finally:
        lost.device.close()
    answer = verify(window_a.device, number, stolen)
    assert answer.status is ReportStatus.NOT_VALID_AFTER and not answer.genuine
    assert answer.not_valid_after is not None and "被注销" in answer.reason
    kept = verify(window_a.device, before.report_no, before.payload)
    assert kept.status is ReportStatus.GENUINE and "注销之前已在平台登记" in kept.reason


def _latest_head(server: LiveServer) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while True:
        answer = requests.get(f"{server.url}/v1/audit/heads/latest", timeout=10)
        if answer.status_code == 200:
            return dict(answer.json())
        assert answer.status_code == 404, answer.text
        assert time.monotonic() < deadline, "the serving platform published no audit head"
        time.sleep(0.2)  # polling the daemon thread's first publication, not synchronisation


def test_the_platform_publishes_its_audit_head_and_verify_audit_finds_a_rewrite(
    live_server: LiveServer,
) -> None:
    # The serve process's daily job published the head at start, signed, for anyone.
    head = _latest_head(live_server)
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(head["public_key"]))
    public.verify(base64.b64decode(head["signature"]), head["signed_text"].encode())
    # Policy changes are audited: two more rows, then a publication by the command.
    token = _admin_token(live_server)
    for grades in (["D"], ["C", "D"]):
        answer = requests.put(
            f"{live_server.url}/v1/policies/tolerance",
            json={"content": {"barred_grades": grades}, "note": "测试：审计链头"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
    published = live_server.cli("audit", "publish-head")
    assert published.returncode == 0, published.stderr
    assert "已发布第" in published.stdout
    heads = requests.get(f"{live_server.url}/v1/audit/heads", timeout=10).json()["heads"]
    assert len(heads) >= 2 and heads[-1]["count"] >= head["count"] + 2
    ok = live_server.cli("verify-audit")
    assert ok.returncode == 0, ok.stderr
    assert "均由平台密钥签署" in ok.stdout

    # Someone with the database file rewrites the first policy change and recomputes the chain.
    engine = create_engine(live_server.database_url)
    try:
        rewrite_chain(engine, edit_id=_first_row_id(engine))
    finally:
        engine.dispose()
    fooled = live_server.cli("audit", "verify")
    assert fooled.returncode == 0, fooled.stderr  # the chain alone agrees with itself
    caught = live_server.cli("verify-audit")
    assert caught.returncode == 1, caught.stdout
    assert "条之间的记录被改写" in caught.stderr and "请保全数据库" in caught.stderr


def _first_row_id(engine: Any) -> int:
    from tests.platform.test_audit_heads import _rows

    return _rows(engine)[0].id
