"""Accounts, device enrolment, tokens, rate limiting and revocation (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from platform_server.models import Device, LoginFailure, Token
from platform_server.security import now, token_digest
from platform_server.settings import ServerSettings
from tests.platform.conftest import PASSWORD, add_user, auth, login, new_device


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
        assert s.scalar(select(func.count()).select_from(LoginFailure)) == 1
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
    assert "Retry-After" in limited.headers


def _refresh(client: TestClient, refresh: str, device_id: str):  # type: ignore[no-untyped-def]
    return client.post("/v1/auth/refresh", json={"refresh_token": refresh, "device_id": device_id})


def _me(client: TestClient, access: str) -> int:
    return client.get("/v1/auth/me", headers={"Authorization": f"Bearer {access}"}).status_code


def test_refresh_rotates_and_reuse_revokes_the_device(app: FastAPI, client: TestClient) -> None:
    add_user(app, "sun", "inspector")
    headers = login(client, "sun")
    device_id, refresh = headers["_device"], headers["_refresh"]
    first = _refresh(client, refresh, device_id)
    assert first.status_code == 200
    new_access = first.json()["access_token"]
    assert _me(client, new_access) == 200
    # The client got the answer: it spends the new refresh token next.
    second = _refresh(client, first.json()["refresh_token"], device_id)
    assert second.status_code == 200
    latest_access = second.json()["access_token"]
    replay = _refresh(client, refresh, device_id)
    assert replay.status_code == 401
    assert replay.json()["code"] == "token_reused"
    # Theft assumed: every token of the device is now dead.
    assert _me(client, latest_access) == 401


def test_lost_refresh_answer_is_forgiven_once_within_the_grace_period(
    app: FastAPI, client: TestClient
) -> None:
    add_user(app, "lin", "window", hall="hall-a")
    headers = login(client, "lin")
    device_id, refresh = headers["_device"], headers["_refresh"]
    lost = _refresh(client, refresh, device_id)  # the platform answered; the client never saw it
    assert lost.status_code == 200
    again = _refresh(client, refresh, device_id)
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
    third = _refresh(client, refresh, device_id)
    assert third.status_code == 401
    assert third.json()["code"] == "token_reused"
    assert _me(client, fresh["access_token"]) == 401
    assert _refresh(client, fresh["refresh_token"], device_id).status_code == 401


def test_reuse_after_the_grace_period_revokes_the_device(
    app: FastAPI, client: TestClient, settings: ServerSettings
) -> None:
    add_user(app, "gao", "window", hall="hall-a")
    headers = login(client, "gao")
    device_id, refresh = headers["_device"], headers["_refresh"]
    assert _refresh(client, refresh, device_id).status_code == 200  # answer lost
    forgiven = _refresh(client, refresh, device_id)  # at once: forgiven
    assert forgiven.status_code == 200, forgiven.text
    pair = forgiven.json()
    assert _refresh(client, pair["refresh_token"], device_id).status_code == 200  # lost again
    # This time the client comes back only after the grace period.
    with app.state.sessions() as s, s.begin():
        s.execute(
            update(Token)
            .where(Token.token_hash == token_digest(pair["refresh_token"]))
            .values(spent_at=now() - timedelta(seconds=settings.refresh_grace_s + 1))
        )
    late = _refresh(client, pair["refresh_token"], device_id)
    assert late.status_code == 401
    assert late.json()["code"] == "token_reused"
    with app.state.sessions() as s:
        live = s.scalar(
            select(func.count())
            .select_from(Token)
            .where(Token.device_id == device_id, Token.revoked.is_(False))
        )
        assert live == 0


def test_spent_refresh_token_from_another_device_revokes_its_device(
    app: FastAPI, client: TestClient
) -> None:
    add_user(app, "luo", "window", hall="hall-a")
    headers = login(client, "luo")
    device_id, refresh = headers["_device"], headers["_refresh"]
    lost = _refresh(client, refresh, device_id)
    assert lost.status_code == 200
    stolen = _refresh(client, refresh, new_device().device_id)
    assert stolen.status_code == 401
    # The device's sessions are ended, and the grace its lost answer would have had is gone.
    assert _me(client, lost.json()["access_token"]) == 401
    assert _refresh(client, refresh, device_id).status_code == 401


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
    # Five failures recorded from another machine.
    with app.state.sessions() as s, s.begin():
        for _ in range(5):
            s.add(LoginFailure(username="he", address="10.0.0.99", at=now()))
    ok = login(client, "he")
    assert ok["Authorization"].startswith("Bearer ")
