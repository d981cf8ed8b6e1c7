"""Accounts, device enrolment, tokens, signed refresh, rate limiting, device caps, deactivation
and revocation (SQLite and PostgreSQL)."""

from __future__ import annotations

import base64
import dataclasses
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from platform_server.app import create_app
from platform_server.models import AuditEntry, Device, LoginFailure, Token
from platform_server.security import now, token_digest
from platform_server.settings import ServerSettings
from sync import transport
from sync.protocol.refresh_signature import refresh_signing_message
from tests.platform.conftest import PASSWORD, add_user, auth, login, new_device
from tests.platform.conftest import Device as ClientDevice


def test_healthz(client: TestClient) -> None:
    resp = client.get("/healthz")
    assert resp.status_code == 200
    assert resp.json()["status"] == "ok"


def test_login_enrols_the_device_and_me_answers(app: FastAPI, client: TestClient) -> None:
    add_user(app, "wang", "window", hall="hall-luzhou")
    device = new_device()
    headers = login(client, "wang", device)
    me = client.get("/v1/auth/me", headers=auth(headers))
    assert me.status_code == 200
    assert me.json() == {
        "username": "wang",
        "display_name": "wang",
        "role": "window",
        "hall_id": "hall-luzhou",
        "region_code": "140403",
    }
    with app.state.sessions() as s:
        stored = s.get(Device, device.device_id)
        assert stored is not None and len(stored.public_key) == 32
        # Tokens are stored only as digests.
        raw = headers["Authorization"].split()[1]
        assert s.scalar(select(func.count()).select_from(Token).where(Token.token_hash == raw)) == 0


def test_wrong_password_is_refused_and_counted(app: FastAPI, client: TestClient) -> None:
    add_user(app, "li", "inspector")
    device = new_device()
    resp = client.post(
        "/v1/auth/login",
        json={
            "username": "li",
            "password": "wrong-password",
            "device_id": device.device_id,
            "device_public_key": device.public_b64,
        },
    )
    assert resp.status_code == 401
    assert resp.json()["code"] == "bad_credentials"
    with app.state.sessions() as s:
        counter = s.get(LoginFailure, ("li", "testclient"))
        assert counter is not None and counter.failures == 1 and counter.locked_until is None
        assert s.get(Device, device.device_id) is None


def test_login_rate_limit(app: FastAPI, client: TestClient) -> None:
    add_user(app, "zhao", "window", hall="hall-a")
    device = new_device()
    body = {
        "username": "zhao",
        "password": "bad-password",
        "device_id": device.device_id,
        "device_public_key": device.public_b64,
    }
    for _ in range(5):
        assert client.post("/v1/auth/login", json=body).status_code == 401
    limited = client.post("/v1/auth/login", json=dict(body, password=PASSWORD))
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert "分钟后再试" in limited.json()["message"]
    assert 890 <= int(limited.headers["Retry-After"]) <= 900


def signed(
    refresh: str,
    device: ClientDevice,
    *,
    at: int | None = None,
    key: Ed25519PrivateKey | None = None,
) -> dict[str, str]:
    """The headers a client sends with a refresh: signature by the device key, timestamp."""
    moment = int(time.time()) if at is None else at
    message = refresh_signing_message(refresh, device.device_id, moment)
    signature = (key or device.private_key).sign(message)
    return {
        "X-Device-Signature": base64.b64encode(signature).decode(),
        "X-Device-Timestamp": str(moment),
    }


def _refresh(  # type: ignore[no-untyped-def]
    client: TestClient, refresh: str, device: ClientDevice, headers: dict[str, str] | None = None
):
    return client.post(
        "/v1/auth/refresh",
        json={"refresh_token": refresh, "device_id": device.device_id},
        headers=signed(refresh, device) if headers is None else headers,
    )


def _me(client: TestClient, access: str) -> int:
    return client.get("/v1/auth/me", headers={"Authorization": f"Bearer {access}"}).status_code


def test_refresh_rotates_and_reuse_revokes_the_device(app: FastAPI, client: TestClient) -> None:
    add_user(app, "sun", "inspector")
    device = new_device()
    headers = login(client, "sun", device)
    refresh = headers["_refresh"]
    first = _refresh(client, refresh, device)
    assert first.status_code == 200
    new_access = first.json()["access_token"]
    assert _me(client, new_access) == 200
    # The client got the answer: it spends the new refresh token next.
    second = _refresh(client, first.json()["refresh_token"], device)
    assert second.status_code == 200
    latest_access = second.json()["access_token"]
    replay = _refresh(client, refresh, device)
    assert replay.status_code == 401
    assert replay.json()["code"] == "token_reused"
    # Theft assumed: every token of the device is now dead.
    assert _me(client, latest_access) == 401


def test_lost_refresh_answer_is_forgiven_once_within_the_grace_period(
    app: FastAPI, client: TestClient
) -> None:
    add_user(app, "lin", "window", hall="hall-a")
    device = new_device()
    headers = login(client, "lin", device)
    refresh = headers["_refresh"]
    lost = _refresh(client, refresh, device)  # the platform answered; the client never saw it
    assert lost.status_code == 200
    again = _refresh(client, refresh, device)
    assert again.status_code == 200, again.text
    fresh = again.json()
    assert fresh["access_token"] != lost.json()["access_token"]
    # The unseen pair is retired; the fresh one works and rotates normally.
    assert _me(client, lost.json()["access_token"]) == 401
    assert _me(client, fresh["access_token"]) == 200
    with app.state.sessions() as s:
        successor = s.get(Token, token_digest(lost.json()["refresh_token"]))
        assert successor is not None and successor.revoked
    # Only once: a third presentation of the spent token is theft, and ends every session.
    third = _refresh(client, refresh, device)
    assert third.status_code == 401
    assert third.json()["code"] == "token_reused"
    assert _me(client, fresh["access_token"]) == 401
    assert _refresh(client, fresh["refresh_token"], device).status_code == 401


def test_reuse_after_the_grace_period_revokes_the_device(
    app: FastAPI, client: TestClient, settings: ServerSettings
) -> None:
    add_user(app, "gao", "window", hall="hall-a")
    device = new_device()
    headers = login(client, "gao", device)
    refresh = headers["_refresh"]
    assert _refresh(client, refresh, device).status_code == 200  # answer lost
    forgiven = _refresh(client, refresh, device)  # at once: forgiven
    assert forgiven.status_code == 200, forgiven.text
    pair = forgiven.json()
    assert _refresh(client, pair["refresh_token"], device).status_code == 200  # lost again
    # This time the client comes back only after the grace period.
    with app.state.sessions() as s, s.begin():
        s.execute(
            update(Token)
            .where(Token.token_hash == token_digest(pair["refresh_token"]))
            .values(spent_at=now() - timedelta(seconds=settings.refresh_grace_s + 1))
        )
    late = _refresh(client, pair["refresh_token"], device)
    assert late.status_code == 401
    assert late.json()["code"] == "token_reused"
    with app.state.sessions() as s:
        live = s.scalar(
            select(func.count())
            .select_from(Token)
            .where(Token.device_id == device.device_id, Token.revoked.is_(False))
        )
        assert live == 0


def test_spent_refresh_token_from_another_device_revokes_its_device(
    app: FastAPI, client: TestClient
) -> None:
    add_user(app, "luo", "window", hall="hall-a")
    device = new_device()
    headers = login(client, "luo", device)
    refresh = headers["_refresh"]
    lost = _refresh(client, refresh, device)
    assert lost.status_code == 200
    stolen = _refresh(client, refresh, new_device())
    assert stolen.status_code == 401
    # The device's sessions are ended, and the grace its lost answer would have had is gone.
    assert _me(client, lost.json()["access_token"]) == 401
    assert _refresh(client, refresh, device).status_code == 401


def test_expired_access_token(app: FastAPI, client: TestClient) -> None:
    add_user(app, "zhou", "window", hall="hall-a")
    headers = login(client, "zhou")
    with app.state.sessions() as s, s.begin():
        s.execute(update(Token).values(expires_at=now() - timedelta(seconds=1)))
    resp = client.get("/v1/auth/me", headers=auth(headers))
    assert resp.status_code == 401
    assert resp.json()["code"] == "token_expired"


def test_unknown_and_missing_tokens(client: TestClient) -> None:
    assert client.get("/v1/auth/me").json()["code"] == "unauthenticated"
    resp = client.get("/v1/auth/me", headers={"Authorization": "Bearer forged-token-value"})
    assert resp.status_code == 401


def test_revoked_device_gets_the_wipe_answer(app: FastAPI, client: TestClient) -> None:
    add_user(app, "admin", "admin", region=None)
    add_user(app, "wu", "inspector")
    admin = login(client, "admin")
    device = new_device()
    user = login(client, "wu", device)
    resp = client.post(f"/v1/admin/devices/{device.device_id}/revoke", headers=auth(admin))
    assert resp.status_code == 200
    gone = client.get("/v1/auth/me", headers=auth(user))
    assert gone.status_code == 410
    assert gone.json()["code"] == "device_revoked"
    again = client.post(
        "/v1/auth/login",
        json={
            "username": "wu",
            "password": PASSWORD,
            "device_id": device.device_id,
            "device_public_key": device.public_b64,
        },
    )
    assert again.status_code == 410


def test_only_admins_revoke(app: FastAPI, client: TestClient) -> None:
    add_user(app, "qian", "supervisor")
    headers = login(client, "qian")
    resp = client.post("/v1/admin/devices/whatever/revoke", headers=auth(headers))
    assert resp.status_code == 403
    assert resp.json()["code"] == "forbidden"


def test_device_bound_to_another_account_is_refused(app: FastAPI, client: TestClient) -> None:
    add_user(app, "a1", "window", hall="hall-a")
    add_user(app, "a2", "window", hall="hall-a")
    device = new_device()
    login(client, "a1", device)
    resp = client.post(
        "/v1/auth/login",
        json={
            "username": "a2",
            "password": PASSWORD,
            "device_id": device.device_id,
            "device_public_key": device.public_b64,
        },
    )
    assert resp.status_code == 403
    assert resp.json()["code"] == "device_mismatch"


def test_bad_input_gets_a_reason_and_stores_nothing(app: FastAPI, client: TestClient) -> None:
    malformed = client.post(
        "/v1/auth/login", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert malformed.status_code == 422
    assert malformed.json()["code"] == "validation_error"
    wrong_type = client.post("/v1/auth/login", json={"username": 5, "password": []})
    assert wrong_type.status_code == 422
    huge = client.post(
        "/v1/auth/login",
        content=b"x" * (9 * 1024 * 1024),
        headers={"Content-Type": "application/json"},
    )
    assert huge.status_code == 413
    assert huge.json()["code"] == "body_too_large"
    add_user(app, "ma", "window", hall="hall-a")
    bad_key = client.post(
        "/v1/auth/login",
        json={
            "username": "ma",
            "password": PASSWORD,
            "device_id": "device-0001",
            "device_public_key": "bm90IGEga2V5",
        },
    )
    assert bad_key.status_code == 422
    assert bad_key.json()["code"] == "invalid_field"
    with app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Device)) == 0


def test_nul_character_is_a_clear_4xx_on_every_backend(app: FastAPI, client: TestClient) -> None:
    device = new_device()
    resp = client.post(
        "/v1/auth/login",
        json={
            "username": "a\u0000b",
            "password": "whatever-pass",
            "device_id": device.device_id,
            "device_public_key": device.public_b64,
        },
    )
    assert resp.status_code in (401, 422)
    assert resp.json()["code"] in ("bad_credentials", "validation_error")


def test_rate_limit_is_per_address_so_others_cannot_lock_a_user_out(
    app: FastAPI, client: TestClient
) -> None:
    add_user(app, "he", "window", hall="hall-a")
    # Another machine failed five times and is locked out.
    with app.state.sessions() as s, s.begin():
        s.add(
            LoginFailure(
                username="he",
                source="10.0.0.99",
                failures=5,
                window_start=now(),
                locked_until=now() + timedelta(minutes=15),
            )
        )
    ok = login(client, "he")
    assert ok["Authorization"].startswith("Bearer ")


# --- refresh bound to the device key ----------------------------------------------------------


def test_both_sides_sign_the_same_message() -> None:
    # One definition (sync/protocol/refresh_signature.py) for the client and the platform.
    assert transport.refresh_signing_message is refresh_signing_message
    message = refresh_signing_message("r" * 43, "device-0001", 1_790_000_000)
    assert message.split(b"\n")[0] == b"credit-desk refresh v1" and message.endswith(b"1790000000")
    assert transport.SIGNATURE_HEADER == "X-Device-Signature"
    assert transport.TIMESTAMP_HEADER == "X-Device-Timestamp"


def test_an_unsigned_refresh_is_refused_clearly_and_spends_nothing(
    app: FastAPI, client: TestClient
) -> None:
    add_user(app, "feng", "inspector")
    device = new_device()
    refresh = login(client, "feng", device)["_refresh"]
    old_client = _refresh(client, refresh, device, headers={})
    assert old_client.status_code == 401
    assert old_client.json()["code"] == "unauthenticated"
    assert "升级" in old_client.json()["message"] and "重新登录" in old_client.json()["message"]
    # Nothing was spent or revoked: the same token, signed, still works.
    assert _refresh(client, refresh, device).status_code == 200


def test_a_copied_refresh_token_is_useless_without_the_device_key(
    app: FastAPI, client: TestClient
) -> None:
    add_user(app, "chu", "window", hall="hall-a")
    device = new_device()
    pair = login(client, "chu", device)
    refresh = pair["_refresh"]
    thief_key = Ed25519PrivateKey.generate()
    stolen = _refresh(client, refresh, device, headers=signed(refresh, device, key=thief_key))
    assert stolen.status_code == 401
    assert stolen.json()["code"] == "signature_invalid"
    assert "已注销本设备的登录" in stolen.json()["message"]
    garbage = {"X-Device-Signature": "bm90IGEgc2lnbmF0dXJl", "X-Device-Timestamp": "soon"}
    assert _refresh(client, refresh, device, headers=garbage).json()["code"] == "signature_invalid"
    # Someone holds a copy of the token: every session of the device ends, the owner logs in.
    assert client.get("/v1/auth/me", headers=auth(pair)).status_code == 401
    assert _refresh(client, refresh, device).status_code == 401
    assert login(client, "chu", device)["Authorization"].startswith("Bearer ")


def test_a_refresh_signed_too_far_from_the_platform_clock_is_refused(
    app: FastAPI, client: TestClient, settings: ServerSettings
) -> None:
    add_user(app, "yu", "window", hall="hall-a")
    device = new_device()
    refresh = login(client, "yu", device)["_refresh"]
    skew = settings.refresh_clock_skew_s
    for off in (-skew - 60, skew + 60):
        late = _refresh(
            client, refresh, device, headers=signed(refresh, device, at=int(time.time()) + off)
        )
        assert late.status_code == 401 and late.json()["code"] == "signature_invalid"
        assert "校准" in late.json()["message"]
    # A clock a little off is fine, and the token was not spent by the refusals.
    near = signed(refresh, device, at=int(time.time()) - skew // 2)
    assert _refresh(client, refresh, device, headers=near).status_code == 200


# --- device cap, deactivation, unlocking ------------------------------------------------------


def test_devices_per_account_are_capped_and_an_admin_frees_a_place(
    app: FastAPI, client: TestClient, settings: ServerSettings
) -> None:
    add_user(app, "root", "admin", region=None)
    add_user(app, "tang", "inspector")
    cap = settings.max_devices_per_user
    assert cap == 5
    devices = [new_device() for _ in range(cap)]
    for device in devices:
        login(client, "tang", device)
    extra = new_device()
    body = {
        "username": "tang",
        "password": PASSWORD,
        "device_id": extra.device_id,
        "device_public_key": extra.public_b64,
    }
    refused = client.post("/v1/auth/login", json=body)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert "上限（5 台）" in refused.json()["message"] and "管理员" in refused.json()["message"]
    # Enrolled devices still log in; the refusal was no failed password.
    login(client, "tang", devices[0])
    root = auth(login(client, "root"))
    listed = client.get("/v1/admin/devices", params={"username": "tang"}, headers=root).json()
    assert [d["device_id"] for d in listed] == [d.device_id for d in devices]
    revoked = client.post(f"/v1/admin/devices/{devices[1].device_id}/revoke", headers=root)
    assert revoked.status_code == 200
    live = client.get(
        "/v1/admin/devices", params={"username": "tang", "active": "true"}, headers=root
    ).json()
    assert devices[1].device_id not in {d["device_id"] for d in live} and len(live) == cap - 1
    assert client.post("/v1/auth/login", json=body).status_code == 200


def test_deactivation_ends_sessions_and_devices_and_stops_logins(
    app: FastAPI, client: TestClient
) -> None:
    add_user(app, "root", "admin", region=None)
    add_user(app, "jiang", "window", hall="hall-a")
    phone, laptop = new_device(), new_device()
    first = login(client, "jiang", phone)
    login(client, "jiang", laptop)
    root_device = new_device()
    root = auth(login(client, "root", root_device))
    assert client.post("/v1/admin/users/jiang/deactivate", headers=auth(first)).status_code == 403
    done = client.post("/v1/admin/users/jiang/deactivate", headers=root)
    assert done.status_code == 200, done.text
    assert done.json() == {
        "username": "jiang",
        "active": False,
        "sessions_ended": 2,
        "devices_revoked": 2,
        "sources_unlocked": 0,
    }
    assert client.get("/v1/auth/me", headers=auth(first)).status_code == 410  # wipe
    assert _refresh(client, first["_refresh"], phone).status_code == 410
    body = {
        "username": "jiang",
        "password": PASSWORD,
        "device_id": new_device().device_id,
        "device_public_key": new_device().public_b64,
    }
    inactive = client.post("/v1/auth/login", json=body)
    assert inactive.status_code == 401 and "已停用" in inactive.json()["message"]
    # Not themselves, not an unknown account.
    myself = client.post("/v1/admin/users/root/deactivate", headers=root)
    assert myself.status_code == 403 and "自己" in myself.json()["message"]
    assert client.post("/v1/admin/users/nobody/deactivate", headers=root).status_code == 404
    # Activated again, the account logs in from a newly enrolled device.
    assert client.post("/v1/admin/users/jiang/activate", headers=root).json()["active"] is True
    assert client.post("/v1/auth/login", json=body).status_code == 200
    with app.state.sessions() as s:
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["account.deactivated", "account.activated"]


def test_an_admin_lifts_a_lockout(app: FastAPI, client: TestClient) -> None:
    add_user(app, "root", "admin", region=None)
    add_user(app, "qin", "window", hall="hall-a")
    root = auth(login(client, "root"))
    device = new_device()
    body = {
        "username": "qin",
        "password": "not-the-password",
        "device_id": device.device_id,
        "device_public_key": device.public_b64,
    }
    for _ in range(5):
        assert client.post("/v1/auth/login", json=body).status_code == 401
    assert client.post("/v1/auth/login", json=dict(body, password=PASSWORD)).status_code == 429
    unlocked = client.post("/v1/admin/users/qin/unlock", headers=root)
    assert unlocked.status_code == 200 and unlocked.json()["sources_unlocked"] == 1
    assert client.post("/v1/auth/login", json=dict(body, password=PASSWORD)).status_code == 200


# --- where a login comes from -------------------------------------------------------------


@pytest.fixture
def proxied(settings: ServerSettings) -> Iterator[tuple[FastAPI, ServerSettings]]:
    """The platform behind a reverse proxy at 10.9.0.1 (the only trusted one)."""
    behind = dataclasses.replace(settings, trusted_proxies=("10.9.0.1",))
    application = create_app(behind)
    yield application, behind
    application.state.engine.dispose()


def _attempt(client: TestClient, username: str, password: str, forwarded: str | None) -> int:
    device = new_device()
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    body = {
        "username": username,
        "password": password,
        "device_id": device.device_id,
        "device_public_key": device.public_b64,
    }
    return client.post("/v1/auth/login", json=body, headers=headers).status_code


def test_forwarded_for_from_a_client_is_ignored(app: FastAPI, client: TestClient) -> None:
    add_user(app, "song", "window", hall="hall-a")
    codes = [_attempt(client, "song", "wrong-password", f"203.0.113.{i}") for i in range(7)]
    assert codes == [401] * 5 + [429] * 2
    with app.state.sessions() as s:
        assert [r.source for r in s.scalars(select(LoginFailure))] == ["testclient"]


def test_forwarded_for_from_a_trusted_proxy_names_the_source(
    proxied: tuple[FastAPI, ServerSettings],
) -> None:
    app, _settings = proxied
    add_user(app, "han", "window", hall="hall-a")
    with TestClient(app, client=("10.9.0.1", 40000)) as proxy:
        # A stranger behind the proxy: what they wrote themselves (left) does not count.
        stranger = "198.51.100.20, 203.0.113.9"
        assert [_attempt(proxy, "han", "guess-guess", stranger) for _ in range(6)] == [401] * 5 + [
            429
        ]
        # The owner, elsewhere behind the same proxy, is not locked out.
        assert _attempt(proxy, "han", PASSWORD, "198.51.100.20") == 200
    with TestClient(app, client=("192.0.2.50", 40000)) as direct:
        # Not from the proxy: the header is the client's own text; the peer is the source.
        assert _attempt(direct, "han", "guess-guess", "10.9.0.1") == 401
    with app.state.sessions() as s:
        counters = {r.source: r.failures for r in s.scalars(select(LoginFailure))}
    assert counters == {"203.0.113.9": 5, "198.51.100.20": 0, "192.0.2.50": 1}


def test_guessing_from_many_sources_spares_the_owners_usual_source(
    proxied: tuple[FastAPI, ServerSettings],
) -> None:
    app, settings = proxied
    add_user(app, "wei", "window", hall="hall-a")
    with TestClient(app, client=("10.9.0.1", 40000)) as proxy:
        assert _attempt(proxy, "wei", PASSWORD, "198.51.100.7") == 200  # the owner's office
        with app.state.sessions() as s, s.begin():
            # Ten more addresses each failed five times in the window: 50 failures.
            for i in range(10):
                s.add(
                    LoginFailure(
                        username="wei",
                        source=f"203.0.113.{i}",
                        failures=5,
                        window_start=now(),
                        locked_until=now() + timedelta(seconds=settings.login_window_s),
                    )
                )
        assert _attempt(proxy, "wei", PASSWORD, "203.0.113.200") == 429  # a new place: closed
        assert _attempt(proxy, "wei", PASSWORD, "198.51.100.7") == 200  # the owner: open
