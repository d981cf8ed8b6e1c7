"""Credit report QR payloads: the shared format, registration and verification (both DBs)."""

from __future__ import annotations

import base64
import dataclasses
import json
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update

from platform_server.models import Device as DeviceRow
from platform_server.models import IssuedReport
from sync.protocol.report_payload import (
    ReportQrFields,
    content_digest,
    decode_payload,
    encode_payload,
    format_issued_at,
    signing_message,
)
from tests.platform.conftest import Device, add_user, auth, login, new_device

USCC = "91350100M000100Y43"


def fields_for(device: Device, report_no: str = "CR202611270001", **changes: str) -> ReportQrFields:
    base = ReportQrFields(
        report_no=report_no,
        uscc=USCC,
        issued_at="2026-11-27T08:30:00Z",
        content_digest=content_digest("长治市示例有限公司 公共信用信息报告".encode()),
        device_id=device.device_id,
    )
    return dataclasses.replace(base, **changes)


def signed(device: Device, fields: ReportQrFields) -> str:
    return encode_payload(fields, device.private_key.sign(signing_message(fields)))


# --- the shared format ---------------------------------------------------------------------


def test_payload_round_trip_and_strictness() -> None:
    device = new_device()
    fields = fields_for(device)
    text = signed(device, fields)
    assert text.startswith("CDR1.") and len(text) < 400  # fits a small QR code
    assert decode_payload(text) == (fields, decode_payload(text)[1])
    assert decode_payload(f"  {text}\n")[0] == fields  # scanners add whitespace
    prefix, body, sig = text.split(".")
    bad = [
        "",
        "CDR1",
        "CDR2." + body + "." + sig,
        text + "=",
        f"{prefix}.{body}=.{sig}",
        f"{prefix}.{body}.{sig}.x",
        f"{prefix}.{body}.{sig[:-4]}",
        f"{prefix}.{body[:-2]}.{sig}",
        f"{prefix}.{body}.{sig[:-1]}B",  # other unused bits: not the canonical text
    ]
    raw = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    spaced = json.dumps(raw).encode()  # same fields, not the canonical JSON
    bad.append(f"{prefix}.{base64.urlsafe_b64encode(spaced).decode().rstrip('=')}.{sig}")
    extra = json.dumps({**raw, "x": 1}, separators=(",", ":"), sort_keys=True).encode()
    bad.append(f"{prefix}.{base64.urlsafe_b64encode(extra).decode().rstrip('=')}.{sig}")
    for case in bad:
        with pytest.raises(ValueError, match=r"\w"):  # every refusal says why
            decode_payload(case)


def test_fields_are_validated() -> None:
    device = new_device()
    for change in (
        {"uscc": "91350100M000100Y4"},
        {"uscc": "91350100M000100YO3"},
        {"issued_at": "2026-11-27 08:30:00"},
        {"issued_at": "2026-02-30T08:30:00Z"},
        {"content_digest": "A" * 64},
        {"device_id": "short"},
        {"report_no": "有 空格"},
        {"report_no": "abc"},
    ):
        (name,) = change
        with pytest.raises(ValueError, match=name):
            fields_for(device, **change)
    with pytest.raises(ValueError, match="64 bytes"):
        encode_payload(fields_for(device), b"short")
    when = datetime(2026, 11, 27, 16, 30, tzinfo=UTC) + timedelta(hours=8)
    assert format_issued_at(when.astimezone()) == "2026-11-28T00:30:00Z"


# --- registration and verification ---------------------------------------------------------


@pytest.fixture
def issuer(app: FastAPI, client: TestClient) -> tuple[Device, dict[str, str]]:
    add_user(app, "win", "window", hall="hall-a")
    device = new_device()
    return device, auth(login(client, "win", device))


def verify(client: TestClient, headers: dict[str, str], report_no: str, payload: str) -> dict:  # type: ignore[type-arg]
    resp = client.post(
        "/v1/reports/verify", json={"report_no": report_no, "payload": payload}, headers=headers
    )
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


def test_register_then_verify(
    app: FastAPI, client: TestClient, issuer: tuple[Device, dict[str, str]]
) -> None:
    device, headers = issuer
    fields = fields_for(device)
    payload = signed(device, fields)
    add_user(app, "checker", "inspector")
    checker = auth(login(client, "checker"))
    before = verify(client, checker, fields.report_no, payload)
    assert before["genuine"] is True and before["registered"] is False
    assert "尚未上报" in before["reason"]

    body = {"report_no": fields.report_no, "payload": payload}
    first = client.post("/v1/reports", json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert client.post("/v1/reports", json=body, headers=headers).status_code == 200
    result = verify(client, checker, fields.report_no, payload)
    assert result["genuine"] is True and result["registered"] is True
    assert (result["uscc"], result["issued_at"], result["device_id"]) == (
        USCC,
        fields.issued_at,
        device.device_id,
    )
    # The same number with different content: 409, and the registered one stays.
    other = signed(device, fields_for(device, issued_at="2026-11-27T09:00:00Z"))
    clash = client.post(
        "/v1/reports", json={"report_no": fields.report_no, "payload": other}, headers=headers
    )
    assert clash.status_code == 409 and clash.json()["code"] == "report_conflict"
    mismatch = verify(client, checker, fields.report_no, other)
    assert mismatch["genuine"] is False and "不一致" in mismatch["reason"]
    with app.state.sessions() as s:
        assert s.get(IssuedReport, fields.report_no).payload == payload


def test_registration_refusals_store_nothing(
    app: FastAPI, client: TestClient, issuer: tuple[Device, dict[str, str]]
) -> None:
    device, headers = issuer
    stranger = new_device()
    fields = fields_for(device)
    good = signed(device, fields)
    cases = [
        ("CR202611270001", "garbage", 422, "payload_invalid"),
        ("CR-OTHER-NUMBER", good, 422, "payload_invalid"),
        ("CR202611270001", signed(stranger, fields), 422, "signature_invalid"),
        ("CR202611270001", signed(stranger, fields_for(stranger)), 403, "device_mismatch"),
    ]
    for report_no, payload, status, code in cases:
        resp = client.post(
            "/v1/reports", json={"report_no": report_no, "payload": payload}, headers=headers
        )
        assert (resp.status_code, resp.json()["code"]) == (status, code), resp.text
        assert resp.json()["message"]
    with app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(IssuedReport)) == 0


@pytest.mark.parametrize(
    "change",
    [
        {"report_no": "CR202611270002"},
        {"uscc": "91140403MA0GRP0T8W"},
        {"issued_at": "2026-11-26T08:30:00Z"},
        {"content_digest": "0" * 64},
    ],
)
def test_each_tampered_field_is_not_genuine(
    client: TestClient, issuer: tuple[Device, dict[str, str]], change: dict[str, str]
) -> None:
    device, headers = issuer
    original = fields_for(device)
    signature = device.private_key.sign(signing_message(original))
    forged = dataclasses.replace(original, **change)
    result = verify(client, headers, forged.report_no, encode_payload(forged, signature))
    assert result["genuine"] is False and "签名校验未通过" in result["reason"]


def test_tampered_signature_device_and_number(
    client: TestClient, issuer: tuple[Device, dict[str, str]]
) -> None:
    device, headers = issuer
    fields = fields_for(device)
    signature = bytearray(device.private_key.sign(signing_message(fields)))
    signature[10] ^= 1
    flipped = verify(client, headers, fields.report_no, encode_payload(fields, bytes(signature)))
    assert flipped["genuine"] is False
    # A signature by another device's key under this device's id.
    impostor = new_device()
    forged = encode_payload(fields, impostor.private_key.sign(signing_message(fields)))
    assert verify(client, headers, fields.report_no, forged)["genuine"] is False
    # A device the platform never enrolled.
    unknown = verify(client, headers, "CR202611270001", signed(impostor, fields_for(impostor)))
    assert unknown["genuine"] is False and "未在平台登记" in unknown["reason"]
    # The number printed on the report differs from the QR code's.
    wrong = verify(client, headers, "CR202611279999", signed(device, fields))
    assert wrong["genuine"] is False and "编号" in wrong["reason"]
    garbage = verify(client, headers, "CR202611270001", "https://example.com/not-ours")
    assert garbage["genuine"] is False and "无法识别" in garbage["reason"]


def test_revoked_device_reports(
    app: FastAPI, client: TestClient, issuer: tuple[Device, dict[str, str]]
) -> None:
    device, _headers = issuer
    before = signed(device, fields_for(device, issued_at="2026-11-01T00:00:00Z"))
    after = signed(device, fields_for(device, "CR202611270099", issued_at="2026-11-20T00:00:00Z"))
    with app.state.sessions() as s, s.begin():
        revoked_at = datetime(2026, 11, 10, 12, 0)
        s.execute(
            update(DeviceRow).where(DeviceRow.id == device.device_id).values(revoked_at=revoked_at)
        )
    add_user(app, "checker", "supervisor")
    checker = auth(login(client, "checker"))
    ok = verify(client, checker, "CR202611270001", before)
    assert ok["genuine"] is True and "注销" in ok["reason"]
    late = verify(client, checker, "CR202611270099", after)
    assert late["genuine"] is False and "注销" in late["reason"]


def test_verify_needs_an_account_and_bad_bodies_are_4xx(
    client: TestClient, issuer: tuple[Device, dict[str, str]]
) -> None:
    _device, headers = issuer
    body = {"report_no": "CR202611270001", "payload": "x"}
    assert client.post("/v1/reports/verify", json=body).status_code == 401
    for bad in (
        {"report_no": "CR", "payload": "x"},
        {"report_no": "CR202611270001", "payload": "x" * 3000},
        {"report_no": "CR202611270001"},
        [],
    ):
        resp = client.post("/v1/reports/verify", json=bad, headers=headers)
        assert resp.status_code == 422 and resp.json()["code"] == "validation_error"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=st.text(max_size=300), report_no=st.text(min_size=4, max_size=64))
def test_any_payload_never_5xx(
    client: TestClient, issuer: tuple[Device, dict[str, str]], payload: str, report_no: str
) -> None:
    _device, headers = issuer
    for prefix in ("", "CDR1."):
        body = {"report_no": report_no, "payload": prefix + payload}
        for path in ("/v1/reports/verify", "/v1/reports"):
            resp = client.post(path, json=body, headers=headers)
            assert resp.status_code < 500, resp.text
