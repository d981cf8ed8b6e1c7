"""Reports issued offline are registered at the next sync and verified by the real platform."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop_app.config import ProfilePaths
from desktop_app.services.app import AppServices
from desktop_app.services.reports import IssueRequest
from desktop_app.services.unlock import StoreUnlocker
from desktop_app.store.models import Entity
from sync.protocol import ReportVerifyResult
from sync.protocol.report_payload import decode_payload, encode_payload
from sync.report_signing import DeviceReportSigner
from tests.pdf_tools import decode_qr
from tests.sync.conftest import LiveServer
from tests.sync.test_engine import WINDOW_A, Device
from ui.printing import render_page_images

REQUEST = IssueRequest(purpose="招标投标", issuing_unit="长治市潞州区政务服务中心")


@pytest.fixture
def window(live_server: LiveServer, tmp_path: Path) -> Iterator[tuple[Device, AppServices]]:
    device = Device(live_server, tmp_path / "w", WINDOW_A)
    device.sync()
    services = AppServices.build(
        device.store,
        StoreUnlocker(ProfilePaths(tmp_path / "w")),
        "window.luzhou.1",
        signer=DeviceReportSigner(device.store),
    )
    yield device, services
    device.close()


def _first_entity(services: AppServices) -> int:
    with services.store.read() as s:
        return s.scalars(select(Entity.id).order_by(Entity.id).limit(1)).one()


def verify(device: Device, report_no: str, payload: str) -> ReportVerifyResult:
    resp = device.transport.request(
        "POST", "/v1/reports/verify", json={"report_no": report_no, "payload": payload}
    )
    return device.transport.parse(resp, ReportVerifyResult)


def test_offline_report_is_registered_at_the_next_sync_and_verifies(
    qapp: object, window: tuple[Device, AppServices]
) -> None:
    device, services = window
    signed = services.reports.issue(_first_entity(services), REQUEST)
    # What the platform checks is what a phone reads off the printed page.
    page_one = render_page_images(signed.document, 200, [1])[0]
    assert decode_qr(page_one) == [signed.payload]
    assert services.reports.pending_registration() == 1
    # Before registration the platform cannot vouch for it: a valid signature is not enough.
    early = verify(device, signed.report_no, signed.payload)
    assert not early.genuine and early.status == "unknown" and not early.registered

    report = device.sync()
    assert report.reports_registered == 1  # type: ignore[attr-defined]
    assert services.reports.pending_registration() == 0
    assert services.reports.issued()[0].registered
    assert "reports" in [e.phase for e in device.events]

    result = verify(device, signed.report_no, signed.payload)
    assert result.genuine and result.registered
    assert result.uscc == decode_payload(signed.payload)[0].uscc

    # Tampering with any field breaks the signature.
    fields, signature = decode_payload(signed.payload)
    for change in ({"content_digest": "0" * 64}, {"issued_at": "2020-01-01T00:00:00Z"}):
        forged = encode_payload(dataclasses.replace(fields, **change), signature)
        assert not verify(device, signed.report_no, forged).genuine
    assert not verify(device, signed.report_no + "X", signed.payload).genuine

    again = device.sync()
    assert again.reports_registered == 0  # type: ignore[attr-defined]


def test_a_refused_registration_is_kept_on_the_report_and_the_sync_goes_on(
    window: tuple[Device, AppServices],
) -> None:
    device, services = window
    entity = _first_entity(services)
    first = services.reports.issue(entity, REQUEST)
    taken = first.report_no[:-4] + "0002"
    fields, _ = decode_payload(first.payload)
    # Another payload under the number the next report will get, registered first.
    squatter = DeviceReportSigner(device.store).sign_report(
        taken, fields.uscc, fields.issued_datetime(), "f" * 64
    )
    resp = device.transport.request(
        "POST", "/v1/reports", json={"report_no": taken, "payload": squatter}
    )
    assert resp.status_code == 201

    second = services.reports.issue(entity, REQUEST)
    assert second.report_no == taken
    report = device.sync()
    assert report.reports_registered == 1  # type: ignore[attr-defined]
    rows = {r.report_no: r for r in services.reports.issued()}
    assert rows[first.report_no].registered
    assert not rows[taken].registered and "已登记为另一份报告" in rows[taken].register_error
    assert not verify(device, taken, second.payload).genuine
    # A refused report is not sent again at every sync.
    assert device.sync().reports_registered == 0  # type: ignore[attr-defined]
