"""Issue #19: anyone checks a printed report at ``/V/<number>/<check code>`` (both databases).

The check code, the address format, the three words, what a public page may show, the strict
headers, the per-source rate limit (counted in the database, forwarding headers trusted only
from configured proxies), and that a number cannot be enumerated: an unknown number and a wrong
check code give the same answer by the same path.
"""

from __future__ import annotations

import dataclasses
import hmac
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import segno
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

import platform_server.public_verify as public_verify
from platform_server.app import create_app
from platform_server.records import Scope
from platform_server.settings import ServerSettings
from sync.protocol.report_payload import (
    check_code,
    decode_payload,
    normalize_check_code,
    parse_verify_url,
    verify_url,
)
from tests.platform.conftest import Device, add_user, auth, login, new_device
from tests.platform.helpers import seed
from tests.platform.test_reports import USCC, fields_for, register, signed

ENTITY_NAME = "长治市示例商贸有限公司"
HALL_NAME = "hall-a政务服务大厅"
WORDS = ("真实有效", "无法核验", "已作废")


# --- the check code and the address (pure) ---------------------------------------------------


def test_check_code_is_ten_crockford_characters_grouped_for_typing() -> None:
    signature = bytes(range(64))
    code = check_code(signature)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", code)
    assert check_code(signature) == code  # a function of the signature alone
    assert check_code(bytes(63) + b"\x01") != check_code(bytes(64))
    with pytest.raises(ValueError, match="64 bytes"):
        check_code(b"short")


def test_typed_codes_are_read_leniently_but_exactly() -> None:
    code = check_code(os.urandom(64))
    compact = code.replace("-", "")
    for typed in (code, code.lower(), compact, f" {compact[:3]} {compact[3:]} ", f"{code}\n"):
        assert normalize_check_code(typed) == code
    # Crockford: I and L read as 1, O as 0 (copying from paper).
    assert normalize_check_code("IL0O0-11111") == "11000-11111"
    for bad in ("", "ABCDE", "ABCDE-FGHJKM", "ABCDE-FGHJU", "ABCDE_FGHJK", "甲" * 10, "A" * 50):
        assert normalize_check_code(bad) is None


@given(st.binary(min_size=64, max_size=64), st.integers(min_value=1, max_value=9999))
def test_every_address_parses_back_and_fits_a_small_qr_code(signature: bytes, seq: int) -> None:
    number = f"XYBG-20261204-0A1B2C3D-{seq:04d}"
    url = verify_url("https://credit.changzhi.gov.cn", number, signature)
    assert url == f"HTTPS://CREDIT.CHANGZHI.GOV.CN/V/{number}/{check_code(signature)}"
    assert len(url) <= 80
    assert parse_verify_url(url) == (number, check_code(signature))
    assert parse_verify_url(url.replace("HTTPS://CREDIT", "https://credit").replace("/V/", "/v/"))
    # Upper case throughout: the QR code uses the dense alphanumeric mode.
    assert segno.make(url, error="m").mode == "alphanumeric"


def test_the_address_follows_the_configured_platform() -> None:
    signature = os.urandom(64)
    code = check_code(signature)
    assert verify_url("https://h.example/credit/", "XS-5F0C2A9E", signature) == (
        f"HTTPS://H.EXAMPLE/credit/V/XS-5F0C2A9E/{code}"
    )
    # A loopback development platform may be plain http; any other must be https.
    assert verify_url("http://127.0.0.1:8765", "XS-5F0C2A9E", signature).startswith(
        "HTTP://127.0.0.1:8765/V/"
    )
    for bad in ("http://credit.changzhi.gov.cn", "ftp://h.example", "credit.example", ""):
        with pytest.raises(ValueError, match="http"):
            verify_url(bad, "XS-5F0C2A9E", signature)
    assert verify_url("https://h.example", "XS-A B", signature).endswith(f"/XS-A%20B/{code}")
    for text in ("CDR1.x.y", "https://h.example/V/XS-5F0C2A9E", "https://h.example/X/a/b", "x"):
        assert parse_verify_url(text) is None


# --- the public pages -------------------------------------------------------------------------


@dataclasses.dataclass
class Issued:
    device: Device
    number: str
    code: str
    payload: str


@pytest.fixture
def issued(app: FastAPI, client: TestClient) -> Issued:
    """A registered report of a window of hall-a, its entity known."""
    add_user(app, "win", "window", hall="hall-a")
    device = new_device()
    headers = auth(login(client, "win", device))
    scope = Scope(region_code="140403", entity_uscc=USCC)
    seed(app, "entities", [(USCC, {"uscc": USCC, "name": ENTITY_NAME}, scope)])
    seed(app, "credit_grades", [(f"grade-{USCC}", {"uscc": USCC, "grade": "D"}, scope)])
    fields = fields_for(device)
    payload = signed(device, fields)
    assert register(client, headers, fields, payload).status_code == 201
    _, signature = decode_payload(payload)
    return Issued(device, fields.report_no, check_code(signature), payload)


def _word(body: str) -> str:
    found = [w for w in WORDS if f'id="verdict">{w}<' in body]
    assert len(found) == 1, body
    return found[0]


def _assert_public_headers(resp) -> None:  # type: ignore[no-untyped-def]
    csp = resp.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe" not in csp
    assert "form-action 'self'" in csp and "frame-ancestors 'none'" in csp
    assert resp.headers["x-robots-tag"].startswith("noindex")
    assert resp.headers["cache-control"] == "no-store"
    assert resp.headers["content-type"].startswith("text/html")
    assert "<script" not in resp.text.lower() and "http" not in resp.text.lower()


def test_a_registered_report_reads_genuine_with_only_what_a_public_page_may_show(
    client: TestClient, issued: Issued
) -> None:
    number, code = issued.number, issued.code
    resp = client.get(f"/V/{number}/{code}")
    assert resp.status_code == 200
    _assert_public_headers(resp)
    body = resp.text
    assert _word(body) == "真实有效"
    fields, _ = decode_payload(issued.payload)
    day_in_china = (fields.issued_datetime() + timedelta(hours=8)).strftime("%Y年%m月%d日")
    for shown in (number, ENTITY_NAME, HALL_NAME, day_in_china):
        assert shown in body
    # Nothing else: no code, no grade, no device, no signature, no records.
    for hidden in (USCC, "信用等级", ">D<", issued.device.device_id, "CDR1", "grade"):
        assert hidden not in body
    assert "核验结果只有三种" in body  # the mapping, explained in one sentence
    # Typed the lenient way: lower case, without the hyphen, I for 1 …
    typed = client.get(f"/v/{number.lower()}/{code.replace('-', '').lower()}")
    assert _word(typed.text) == "真实有效"


def test_the_manual_form_and_its_answer(client: TestClient, issued: Issued) -> None:
    number, code = issued.number, issued.code
    form = client.get("/V")
    assert form.status_code == 200
    _assert_public_headers(form)
    assert 'action="/V/check"' in form.text and "核验码" in form.text
    answer = client.get("/V/check", params={"no": f" {number} ", "code": code.lower()})
    assert _word(answer.text) == "真实有效" and ENTITY_NAME in answer.text
    wrong = client.get("/V/check", params={"no": number, "code": "00000-00000"})
    assert _word(wrong.text) == "无法核验" and ENTITY_NAME not in wrong.text


def test_an_unknown_number_and_a_wrong_code_are_indistinguishable(
    client: TestClient, issued: Issued, monkeypatch: pytest.MonkeyPatch
) -> None:
    number, code = issued.number, issued.code
    other = number[:-4] + "0002"  # same form, never registered
    flipped = ("1" if code[0] != "1" else "2") + code[1:]
    calls: list[str] = []
    real_compare = hmac.compare_digest
    real_decode = decode_payload

    def compare(a: bytes, b: bytes) -> bool:
        calls.append("compare")
        return bool(real_compare(a, b))

    def decode(text: str):  # type: ignore[no-untyped-def]
        calls.append("decode")
        return real_decode(text)

    monkeypatch.setattr(hmac, "compare_digest", compare)
    monkeypatch.setattr("platform_server.public_verify.decode_payload", decode)
    answers = {}
    for label, path in {
        "wrong code": f"/V/{number}/{flipped}",
        "unknown number": f"/V/{other}/{code}",
        "malformed code": f"/V/{number}/nonsense",
    }.items():
        calls.clear()
        resp = client.get(path)
        assert resp.status_code == 200
        assert calls == ["decode", "compare"], label  # the same path, constant-time compare
        answers[label] = resp.text.replace(other, number)
    assert len(set(answers.values())) == 1  # the same answer, word for word
    assert _word(answers["wrong code"]) == "无法核验"
    assert ENTITY_NAME not in answers["wrong code"]


def test_a_withdrawn_report_reads_void_and_only_an_admin_withdraws(
    app: FastAPI, client: TestClient, issued: Issued
) -> None:
    device, number, code = issued.device, issued.number, issued.code
    window = auth(login(client, "win", new_device()))
    refused = client.post(
        "/v1/reports/withdraw", json={"report_no": number, "reason": "测试"}, headers=window
    )
    assert refused.status_code == 403
    add_user(app, "boss", "admin")
    admin = auth(login(client, "boss"))
    done = client.post(
        "/v1/reports/withdraw",
        json={"device_id": device.device_id, "reason": "设备丢失"},
        headers=admin,
    )
    assert done.status_code == 200 and done.json() == {"withdrawn": 1}
    again = client.post(
        "/v1/reports/withdraw", json={"report_no": number, "reason": "x"}, headers=admin
    )
    assert again.json() == {"withdrawn": 0}
    both = client.post(
        "/v1/reports/withdraw",
        json={"report_no": number, "device_id": device.device_id, "reason": "x"},
        headers=admin,
    )
    assert both.status_code == 422
    page = client.get(f"/V/{number}/{code}").text
    assert _word(page) == "已作废" and ENTITY_NAME in page and HALL_NAME in page
    assert "设备丢失" not in page  # the reason is for staff
    # Staff asking with the old payload get the same word.
    staff = client.post(
        "/v1/reports/check", json={"report_no": number, "check_code": code}, headers=admin
    )
    assert staff.json()["verdict"] == "void" and staff.json()["status"] == "not_valid_after"


def test_staff_check_by_code_or_by_the_old_payload(
    app: FastAPI, client: TestClient, issued: Issued
) -> None:
    device, number, code = issued.device, issued.number, issued.code
    add_user(app, "checker", "inspector")
    headers = auth(login(client, "checker"))
    by_code = client.post(
        "/v1/reports/check", json={"report_no": number, "check_code": code}, headers=headers
    ).json()
    assert by_code["verdict"] == "genuine" and by_code["entity_name"] == ENTITY_NAME
    assert by_code["issuer"] == HALL_NAME and by_code["issued_on"].endswith("日")
    payload = issued.payload
    fields, _ = decode_payload(payload)
    by_payload = client.post(
        "/v1/reports/check", json={"report_no": number, "payload": payload}, headers=headers
    ).json()
    assert by_payload["verdict"] == "genuine"
    other = signed(device, dataclasses.replace(fields, content_digest="f" * 64))
    forged = client.post(
        "/v1/reports/check", json={"report_no": number, "payload": other}, headers=headers
    ).json()
    assert forged["verdict"] == "unverifiable" and forged["entity_name"] == ""
    anonymous = client.post("/v1/reports/check", json={"report_no": number, "check_code": code})
    assert anonymous.status_code == 401


def test_a_not_yet_registered_report_of_a_revoked_device_reads_void_for_staff(
    app: FastAPI, client: TestClient
) -> None:
    from platform_server.db import transaction
    from platform_server.models import Device as DeviceRow

    add_user(app, "win", "window", hall="hall-a")
    add_user(app, "checker", "inspector")
    device = new_device()
    login(client, "win", device)
    with transaction(app.state.write_sessions) as s:
        row = s.get(DeviceRow, device.device_id)
        assert row is not None
        row.revoked_at = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=30)
    fields = fields_for(device)  # issued an hour ago, never registered
    headers = auth(login(client, "checker"))
    answer = client.post(
        "/v1/reports/check",
        json={"report_no": fields.report_no, "payload": signed(device, fields)},
        headers=headers,
    ).json()
    assert answer["verdict"] == "void" and answer["status"] == "not_valid_after"


# --- the rate limit ---------------------------------------------------------------------------


def test_lookups_are_limited_per_source_and_forged_forwarding_headers_do_not_help(
    client: TestClient, issued: Issued, monkeypatch: pytest.MonkeyPatch
) -> None:
    number, code = issued.number, issued.code
    monkeypatch.setenv(public_verify.LIMIT_ENV, "3")
    for n in range(3):
        headers = {"X-Forwarded-For": f"10.0.0.{n}"}  # rotated by the client: ignored
        assert client.get(f"/V/{number}/{code}", headers=headers).status_code == 200
    refused = client.get(f"/V/{number}/{code}", headers={"X-Forwarded-For": "10.9.9.9"})
    assert refused.status_code == 429
    _assert_public_headers(refused)
    assert int(refused.headers["retry-after"]) > 0 and "查询过于频繁" in refused.text
    assert ENTITY_NAME not in refused.text
    assert client.get("/V/check", params={"no": number, "code": code}).status_code == 429
    assert client.get("/V").status_code == 200  # the empty form costs nothing


@pytest.fixture
def proxied(settings: ServerSettings) -> Iterator[TestClient]:
    """The platform behind a trusted reverse proxy at 127.0.0.1."""
    application = create_app(dataclasses.replace(settings, trusted_proxies=("127.0.0.1/32",)))
    with TestClient(application, client=("127.0.0.1", 50000)) as c:
        yield c
    application.state.engine.dispose()


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(
    proxied: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(public_verify.LIMIT_ENV, "2")
    path = "/V/XYBG-20261204-0A1B2C3D-0001/ABCDE-FGHJK"
    first = {"X-Forwarded-For": "203.0.113.7"}
    second = {"X-Forwarded-For": "203.0.113.8"}
    assert [proxied.get(path, headers=first).status_code for _ in range(3)] == [200, 200, 429]
    assert proxied.get(path, headers=second).status_code == 200
    # What the client prepends is not believed: the proxy's own hop is the source.
    spoofed = {"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}
    assert proxied.get(path, headers=spoofed).status_code == 429
