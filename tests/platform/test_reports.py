"""Credit report QR payloads: the shared format, registration and verification (both DBs).

What a verification may vouch for is the platform's own registration: a report is genuine only
when the platform registered exactly its payload, in time, from the device whose number space
the number is in. Every case below goes through the HTTP API on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, select, update
from sqlalchemy.orm import Session

from desktop_app.reports.repair_letters import document_number
from desktop_app.services.reports import _next_number
from desktop_app.store.models import Base as StoreBase
from platform_server.db import transaction
from platform_server.models import Device as DeviceRow
from platform_server.models import IssuedReport
from platform_server.records import Scope
from sync.protocol.report_payload import (
    ReportQrFields,
    content_digest,
    decode_payload,
    device_segment,
    encode_payload,
    format_issued_at,
    number_space,
    signing_message,
)
from tests.platform.conftest import Device, add_user, auth, login, new_device
from tests.platform.helpers import make_caller, seed, uscc

USCC = "91350100M000100Y43"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def number_for(device: Device, seq: int = 1, day: datetime | None = None) -> str:
    """The number the client gives a device's report (``XYBG-<day>-<segment>-<NNNN>``)."""
    return f"XYBG-{(day or _now()):%Y%m%d}-{device_segment(device.device_id)}-{seq:04d}"


def fields_for(
    device: Device,
    report_no: str | None = None,
    issued: datetime | None = None,
    **changes: str,
) -> ReportQrFields:
    moment = issued or _now() - timedelta(hours=1)
    base = ReportQrFields(
        report_no=report_no or number_for(device, day=moment),
        uscc=USCC,
        issued_at=format_issued_at(moment),
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
            dataclasses.replace(fields_for(device), **change)
    with pytest.raises(ValueError, match="64 bytes"):
        encode_payload(fields_for(device), b"short")
    when = datetime(2026, 11, 27, 16, 30, tzinfo=UTC) + timedelta(hours=8)
    assert format_issued_at(when.astimezone()) == "2026-11-28T00:30:00Z"


def test_the_clients_numbers_are_in_the_number_spaces_the_platform_knows() -> None:
    """The client makes numbers (services/reports.py, reports/repair_letters.py); the platform
    reads whose they are with the shared rule: one rule, checked from both ends."""
    engine = create_engine("sqlite://")
    StoreBase.metadata.create_all(engine)
    with Session(engine) as s:
        for device_id in ("0a1b2c3d4e5f60718293a4b5c6d7e8f9", "win-luzhou-01-a7c3"):
            number = _next_number(s, device_id, "20261204")
            space = number_space(number)
            assert space is not None and space.kind == "report", number
            assert (space.owner, space.day) == (device_segment(device_id), "20261204")
    engine.dispose()
    record_id = "5f0c2a9e-1b2c-4d5e-8f90-123456789abc"
    for prefix in ("XS", "XJ", "XC", "YS", "YJ"):
        space = number_space(document_number(prefix, record_id))
        assert space is not None and (space.kind, space.prefix, space.owner) == (
            "letter",
            prefix,
            "5F0C2A9E",
        )
    for other in ("CR202611270001", "XYBG-2026-ABCDEFGH-0001", "ZZ-5F0C2A9E", "XS-"):
        assert number_space(other) is None


# --- registration and verification ---------------------------------------------------------


@pytest.fixture
def issuer(app: FastAPI, client: TestClient) -> tuple[Device, dict[str, str]]:
    add_user(app, "win", "window", hall="hall-a")
    device = new_device()
    return device, auth(login(client, "win", device))


def signing_caller(
    app: FastAPI, username: str, role: str, hall: str | None = None
) -> tuple[Device, dict[str, str]]:
    """An account whose device holds a real key (without paying for an Argon2 login)."""
    caller = make_caller(app, username, role, hall=hall)
    key = Ed25519PrivateKey.generate()
    device = Device(caller.device_id, key)
    with transaction(app.state.write_sessions) as s:
        row = s.get(DeviceRow, caller.device_id)
        assert row is not None
        row.public_key = base64.b64decode(device.public_b64)
    return device, caller.headers


def verify(client: TestClient, headers: dict[str, str], report_no: str, payload: str) -> dict:  # type: ignore[type-arg]
    resp = client.post(
        "/v1/reports/verify", json={"report_no": report_no, "payload": payload}, headers=headers
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["genuine"] is (body["status"] == "genuine")  # the old field agrees
    return body  # type: ignore[no-any-return]


def register(client: TestClient, headers: dict[str, str], fields: ReportQrFields, payload: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/v1/reports", json={"report_no": fields.report_no, "payload": payload}, headers=headers
    )


def test_register_then_verify(
    app: FastAPI, client: TestClient, issuer: tuple[Device, dict[str, str]]
) -> None:
    device, headers = issuer
    fields = fields_for(device)
    payload = signed(device, fields)
    add_user(app, "checker", "inspector")
    checker = auth(login(client, "checker"))
    # A valid signature alone is not a genuine report: the platform has not registered it.
    before = verify(client, checker, fields.report_no, payload)
    assert before["status"] == "unknown" and before["registered"] is False
    assert "尚未在平台登记" in before["reason"] and "7 天" in before["reason"]

    first = register(client, headers, fields, payload)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "genuine"
    assert register(client, headers, fields, payload).status_code == 200
    result = verify(client, checker, fields.report_no, payload)
    assert result["status"] == "genuine" and result["registered"] is True
    assert "真实报告" in result["reason"] and "北京时间" in result["reason"]
    assert (result["uscc"], result["issued_at"], result["device_id"]) == (
        USCC,
        fields.issued_at,
        device.device_id,
    )
    # The platform's own registration time, not anything the client sent.
    registered = datetime.strptime(result["registered_at"], "%Y-%m-%dT%H:%M:%SZ")
    assert abs(registered.replace(tzinfo=UTC) - _now()) < timedelta(minutes=1)
    # The same number with different content: 409, and the registered one stays.
    # (Another digest, not another time: a time 30 minutes on could fall on the next day's number.)
    other = signed(device, dataclasses.replace(fields, content_digest=content_digest(b"other")))
    clash = register(client, headers, fields, other)
    assert clash.status_code == 409 and clash.json()["code"] == "report_conflict", clash.text
    mismatch = verify(client, checker, fields.report_no, other)
    assert mismatch["status"] == "forged" and "不一致" in mismatch["reason"]
    with app.state.sessions() as s:
        assert s.get(IssuedReport, fields.report_no).payload == payload


def test_registration_refusals_store_nothing(
    app: FastAPI, client: TestClient, issuer: tuple[Device, dict[str, str]]
) -> None:
    device, headers = issuer
    stranger = new_device()
    fields = fields_for(device)
    good = signed(device, fields)
    no = fields.report_no
    cases = [
        (no, "garbage", 422, "payload_invalid"),
        ("XYBG-OTHER-NUMBER", good, 422, "payload_invalid"),
        (no, signed(stranger, fields), 422, "signature_invalid"),
        (no, signed(stranger, fields_for(stranger, report_no=no)), 403, "device_mismatch"),
    ]
    for report_no, payload, status, code in cases:
        resp = client.post(
            "/v1/reports", json={"report_no": report_no, "payload": payload}, headers=headers
        )
        assert (resp.status_code, resp.json()["code"]) == (status, code), resp.text
        assert resp.json()["message"]
    with app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(IssuedReport)) == 0


def test_numbers_belong_to_their_device(
    app: FastAPI, client: TestClient, issuer: tuple[Device, dict[str, str]]
) -> None:
    """Before: any device registered any number, e.g. the next number of another device, so
    that device's genuine report was then refused (409) and verified as forged."""
    owner, owner_headers = issuer
    squatter, squatter_headers = signing_caller(app, "win2", "window", hall="hall-a")
    # The squatter signs (with its own key, as itself) a report under the owner's next number.
    taken = number_for(owner, seq=2)
    grab = fields_for(squatter, report_no=taken)
    refused = register(client, squatter_headers, grab, signed(squatter, grab))
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "number_not_owned"
    assert "另一台设备的编号段" in refused.json()["message"]
    # So the owner's own report under that number registers and verifies.
    mine = fields_for(owner, report_no=taken)
    assert register(client, owner_headers, mine, signed(owner, mine)).status_code == 201
    assert verify(client, owner_headers, taken, signed(owner, mine))["status"] == "genuine"

    # A device enrolled later whose id starts like the owner's cannot use the same segment.
    twin = Device(owner.device_id[:8] + "-twin-of-it", Ed25519PrivateKey.generate())
    add_user(app, "twin", "window", hall="hall-a")
    twin_headers = auth(login(client, "twin", twin))
    same = fields_for(twin)
    assert device_segment(twin.device_id) == device_segment(owner.device_id)
    clash = register(client, twin_headers, same, signed(twin, same))
    assert (clash.status_code, clash.json()["code"]) == (403, "number_not_owned")
    assert "先在平台登记的另一台设备" in clash.json()["message"]

    # Other forms of number, and a number dated far from its issue time, are refused.
    for bad in (
        fields_for(owner, report_no="CR202611270001"),
        fields_for(owner, report_no=number_for(owner, 3, day=_now() - timedelta(days=5))),
    ):
        resp = register(client, owner_headers, bad, signed(owner, bad))
        assert (resp.status_code, resp.json()["code"]) == (422, "payload_invalid"), resp.text
    with app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(IssuedReport)) == 1


def _application(app: FastAPI, record_id: str, hall: str, code: str = USCC) -> None:
    seed(
        app,
        "repair_applications",
        [(record_id, {"uscc": code}, Scope(hall_id=hall, region_code="140403", entity_uscc=code))],
    )


def test_letters_belong_to_the_hall_of_their_application(
    app: FastAPI, client: TestClient, issuer: tuple[Device, dict[str, str]]
) -> None:
    """Before: a device of any hall (or of no hall) registered any XS-/YJ-… letter number."""
    window_a, headers_a = issuer  # hall-a
    window_b, headers_b = signing_caller(app, "winb", "window", hall="hall-b")
    inspector, headers_i = signing_caller(app, "insp", "inspector")
    record_id = "5f0c2a9e-1b2c-4d5e-8f90-123456789abc"
    _application(app, record_id, "hall-a")
    number = document_number("XS", record_id)

    for device, headers in ((window_b, headers_b), (inspector, headers_i)):
        letter = fields_for(device, report_no=number)
        resp = register(client, headers, letter, signed(device, letter))
        assert (resp.status_code, resp.json()["code"]) == (403, "number_not_owned"), resp.text
        assert "不是本服务大厅受理的" in resp.json()["message"]
    # The same application, another entity's code on the letter: refused too.
    wrong_entity = fields_for(window_a, report_no=number, uscc=uscc(9))
    resp = register(client, headers_a, wrong_entity, signed(window_a, wrong_entity))
    assert resp.json()["code"] == "number_not_owned"
    # A letter of an application the platform has not received yet: 409, sent again later.
    early = fields_for(window_a, report_no=document_number("YS", "0badc0de-0000"))
    resp = register(client, headers_a, early, signed(window_a, early))
    assert (resp.status_code, resp.json()["code"]) == (409, "record_missing")
    assert "下次同步" in resp.json()["message"]

    letter = fields_for(window_a, report_no=number)
    ok = register(client, headers_a, letter, signed(window_a, letter))
    assert ok.status_code == 201 and ok.json()["status"] == "genuine", ok.text
    # The 信用修复承诺书 numbered after the application (no commitment form of its own).
    pledge = fields_for(window_a, report_no=document_number("XC", record_id))
    assert register(client, headers_a, pledge, signed(window_a, pledge)).status_code == 201


def test_backdated_future_and_late_reports_are_not_genuine(
    app: FastAPI,
    client: TestClient,
    issuer: tuple[Device, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Before: the signer's issued_at was believed — a report dated 2099, or one backdated a
    month and registered today, verified as genuine."""
    device, headers = issuer
    # Issued offline three days ago, registered now: within the 7-day window, genuine.
    offline = fields_for(device, issued=_now() - timedelta(days=3))
    assert register(client, headers, offline, signed(device, offline)).status_code == 201
    assert verify(client, headers, offline.report_no, signed(device, offline))["genuine"]

    backdated = fields_for(device, issued=_now() - timedelta(days=30))
    payload = signed(device, backdated)
    late = register(client, headers, backdated, payload)
    assert (late.status_code, late.json()["code"]) == (409, "registration_late"), late.text
    assert "离线登记期限" in late.json()["message"]
    answer = verify(client, headers, backdated.report_no, payload)
    assert answer["status"] == "unknown" and "仍未在平台登记" in answer["reason"]

    future = fields_for(device, issued=datetime(2099, 1, 1, tzinfo=UTC))
    payload = signed(device, future)
    resp = register(client, headers, future, payload)
    assert (resp.status_code, resp.json()["code"]) == (422, "payload_invalid")
    assert "校正本机日期和时间" in resp.json()["message"]
    answer = verify(client, headers, future.report_no, payload)
    assert answer["status"] == "unknown" and "晚于平台当前时间" in answer["reason"]

    # The window is a platform setting.
    monkeypatch.setenv("CREDIT_PLATFORM_REPORT_OFFLINE_DAYS", "2")
    moment = _now() - timedelta(days=3)
    three_days = fields_for(device, number_for(device, 7, day=moment), moment)
    resp = register(client, headers, three_days, signed(device, three_days))
    assert resp.json()["code"] == "registration_late" and "2 天" in resp.json()["message"]


def test_rows_registered_late_or_before_their_issue_time_are_not_genuine(
    app: FastAPI, client: TestClient, issuer: tuple[Device, dict[str, str]]
) -> None:
    """A registration the platform holds is judged by its own time against the window."""
    device, headers = issuer
    late = fields_for(device, number_for(device, 1), _now() - timedelta(days=20))
    early = fields_for(device, number_for(device, 2), _now() - timedelta(hours=2))
    with transaction(app.state.write_sessions) as s:
        for fields, registered in (
            (late, _now() - timedelta(days=1)),  # 19 days after its issue time
            (early, _now() - timedelta(days=1)),  # a day before its issue time
        ):
            s.add(
                IssuedReport(
                    report_no=fields.report_no,
                    device_id=device.device_id,
                    payload=signed(device, fields),
                    registered_at=registered.replace(tzinfo=None),
                )
            )
    answer = verify(client, headers, late.report_no, signed(device, late))
    assert answer["status"] == "unknown" and "超过了 7 天的离线登记期限" in answer["reason"]
    answer = verify(client, headers, early.report_no, signed(device, early))
    assert answer["status"] == "unknown" and "晚于平台登记它的时间" in answer["reason"]


def test_a_stolen_key_of_a_revoked_device_signs_nothing_genuine(
    app: FastAPI, client: TestClient, issuer: tuple[Device, dict[str, str]]
) -> None:
    """Before: whoever held a revoked device's key dated a report before the revocation and
    it verified as genuine."""
    device, headers = issuer
    kept = fields_for(device, number_for(device, 1), _now() - timedelta(hours=3))
    assert register(client, headers, kept, signed(device, kept)).status_code == 201
    admin = make_caller(app, "root", "admin")
    resp = client.post(f"/v1/admin/devices/{device.device_id}/revoke", headers=admin.headers)
    assert resp.status_code == 200, resp.text
    with app.state.sessions() as s:
        revoked_at = s.get(DeviceRow, device.device_id).revoked_at
    # The thief backdates a report to before the revocation; it cannot be registered.
    stolen = fields_for(device, number_for(device, 2), _now() - timedelta(hours=2))
    assert register(client, headers, stolen, signed(device, stolen)).status_code == 410
    _checker, checker_headers = signing_caller(app, "checker", "supervisor")
    answer = verify(client, checker_headers, stolen.report_no, signed(device, stolen))
    assert answer["status"] == "not_valid_after" and not answer["genuine"]
    assert answer["not_valid_after"] == revoked_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "被注销" in answer["reason"] and "重新出具" in answer["reason"]
    # What it registered while enrolled stays genuine, with a note.
    ok = verify(client, checker_headers, kept.report_no, signed(device, kept))
    assert ok["status"] == "genuine" and "注销之前已在平台登记" in ok["reason"]


@pytest.mark.parametrize("role", ["window", "inspector", "supervisor", "admin"])
def test_an_unregistered_report_of_any_role_is_unknown(
    app: FastAPI, client: TestClient, role: str
) -> None:
    """Before: a report no one ever registered verified as genuine, whoever's device signed."""
    hall = "hall-a" if role == "window" else None
    device, headers = signing_caller(app, f"u-{role}", role, hall=hall)
    fields = fields_for(device)
    answer = verify(client, headers, fields.report_no, signed(device, fields))
    assert answer["status"] == "unknown" and answer["genuine"] is False


@pytest.mark.parametrize(
    "change",
    [
        {"report_no": "XYBG-20261127-ABCDEFGH-0002"},
        {"uscc": "91140403MA0GRP0T8W"},
        {"issued_at": "2026-11-26T08:30:00Z"},
        {"content_digest": "0" * 64},
    ],
)
def test_each_tampered_field_is_forged(
    client: TestClient, issuer: tuple[Device, dict[str, str]], change: dict[str, str]
) -> None:
    device, headers = issuer
    original = fields_for(device)
    signature = device.private_key.sign(signing_message(original))
    forged = dataclasses.replace(original, **change)
    result = verify(client, headers, forged.report_no, encode_payload(forged, signature))
    assert result["status"] == "forged" and "签名校验未通过" in result["reason"]


def test_tampered_signature_device_and_number(
    client: TestClient, issuer: tuple[Device, dict[str, str]]
) -> None:
    device, headers = issuer
    fields = fields_for(device)
    signature = bytearray(device.private_key.sign(signing_message(fields)))
    signature[10] ^= 1
    flipped = verify(client, headers, fields.report_no, encode_payload(fields, bytes(signature)))
    assert flipped["status"] == "forged"
    # A signature by another device's key under this device's id.
    impostor = new_device()
    forged = encode_payload(fields, impostor.private_key.sign(signing_message(fields)))
    assert verify(client, headers, fields.report_no, forged)["status"] == "forged"
    # A device the platform never enrolled.
    alien = fields_for(impostor)
    unknown = verify(client, headers, alien.report_no, signed(impostor, alien))
    assert unknown["status"] == "unknown" and "未在平台登记" in unknown["reason"]
    # The number printed on the report differs from the QR code's.
    wrong = verify(client, headers, fields.report_no + "9", signed(device, fields))
    assert wrong["status"] == "forged" and "编号" in wrong["reason"]
    garbage = verify(client, headers, fields.report_no, "https://example.com/not-ours")
    assert garbage["status"] == "unreadable" and "无法识别" in garbage["reason"]


def test_verify_needs_an_account_and_bad_bodies_are_4xx(
    client: TestClient, issuer: tuple[Device, dict[str, str]]
) -> None:
    _device, headers = issuer
    body = {"report_no": "CR202611270001", "payload": "x"}
    assert client.post("/v1/reports/verify", json=body).status_code == 401
    bad: object
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


def test_revocation_column_is_what_the_answer_names(
    app: FastAPI, client: TestClient, issuer: tuple[Device, dict[str, str]]
) -> None:
    """A revocation set behind the API (``credit-platform revoke-device``) is honoured too."""
    device, _headers = issuer
    stolen = fields_for(device, issued=_now() - timedelta(days=40))
    with app.state.sessions() as s, s.begin():
        revoked_at = (_now() - timedelta(days=10)).replace(tzinfo=None)
        s.execute(
            update(DeviceRow).where(DeviceRow.id == device.device_id).values(revoked_at=revoked_at)
        )
    _checker, headers = signing_caller(app, "checker", "supervisor")
    answer = verify(client, headers, stolen.report_no, signed(device, stolen))
    assert answer["status"] == "not_valid_after"
    assert answer["not_valid_after"] == revoked_at.strftime("%Y-%m-%dT%H:%M:%SZ")
