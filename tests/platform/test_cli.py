"""``credit-platform`` end to end: seed-demo, serve and log in over HTTP (the installed script);
accounts on the command line — password policy, reset, deactivation, unlocking, devices — and
seed-demo's refusal of a database in real use (in-process, SQLite and PostgreSQL)."""

from __future__ import annotations

import base64
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, func, select

from platform_server import migrate
from platform_server.cli import CLI_ACTOR, main
from platform_server.db import make_engine
from platform_server.demo import DEMO_MARKER, DEMO_PASSWORD, demo_usernames
from platform_server.models import AuditEntry, Meta, Record, User
from platform_server.security import password_problem
from platform_server.settings import ServerSettings
from tests.platform.conftest import Device as ClientDevice
from tests.platform.conftest import auth, login, new_device
from tests.platform.helpers import seed_entity, uscc

SCRIPT = Path(sys.executable).with_name("credit-platform")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=240, check=False
    )


@pytest.mark.slow
def test_seed_demo_then_serve_and_log_in(tmp_path: Path) -> None:
    assert SCRIPT.exists(), f"console script not installed at {SCRIPT}"
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{tmp_path / 'platform.db'}",
        CREDIT_PLATFORM_DATA=str(tmp_path),
        PYTHONUNBUFFERED="1",
    )
    seeded = run(env, "seed-demo", "--entities", "1000")
    assert seeded.returncode == 0, seeded.stderr
    assert "市场主体新增 1000 户" in seeded.stdout and DEMO_PASSWORD in seeded.stdout

    drawn = run(env, "draw", "--title", "测试批次", "--share", "0.25", "--region", "140423",
                "--supervisor", "supervisor")  # fmt: skip
    assert drawn.returncode == 0, drawn.stderr
    assert "随机种子" in drawn.stdout and "风险分类 D" in drawn.stdout
    assert re.search(r"抽中 [1-9]\d* 户", drawn.stdout)
    refused = run(env, "draw", "--title", "t", "--supervisor", "window.luzhou.1")
    assert refused.returncode == 2 and "科室负责人" in refused.stderr

    # The city's credit policy from the command line: checked, versioned, audit-logged.
    listed = run(env, "policy", "list")
    assert listed.returncode == 0 and '"barred_grades"' in listed.stdout
    stricter = tmp_path / "tolerance.json"
    stricter.write_text('{"barred_grades": ["C", "D", "E"]}', "utf-8")
    changed = run(
        env, "policy", "set", "tolerance", str(stricter), "--by", "admin", "--note", "试行"
    )
    assert changed.returncode == 0 and "第 1 版" in changed.stdout, changed.stderr
    history = run(env, "policy", "history", "tolerance")
    assert '"note": "试行"' in history.stdout and '"changed_by": "admin"' in history.stdout
    stricter.write_text('{"barred_grades": "C"}', "utf-8")
    malformed = run(env, "policy", "set", "tolerance", str(stricter), "--by", "admin")
    assert malformed.returncode == 2 and "barred_grades" in malformed.stderr
    not_admin = run(env, "policy", "set", "tolerance", str(stricter), "--by", "supervisor")
    assert not_admin.returncode == 2 and "不是管理员" in not_admin.stderr
    expired = run(env, "credit-expire", "--today", "2040-01-01")
    assert expired.returncode == 0 and "停止公示" in expired.stdout

    bad = tmp_path / "bad.csv"
    bad.write_text("uscc,name\n91350100M000100Y43,长治市示例有限公司\n123,坏行\n", "utf-8")
    imported = run(env, "import", "--collection", "entities", str(bad))
    assert imported.returncode == 3 and "拒绝 第3行" in imported.stdout

    port = free_port()
    server = subprocess.Popen(
        [str(SCRIPT), "serve", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        key = Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        with httpx2.Client(base_url=base, timeout=10) as http:
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
                try:
                    if http.get("/healthz", timeout=2).json()["status"] == "ok":
                        break
                except httpx2.HTTPError:
                    pass
                assert time.monotonic() < deadline, "server did not become healthy"
                time.sleep(0.2)
            login = http.post(
                "/v1/auth/login",
                json={
                    "username": "supervisor",
                    "password": DEMO_PASSWORD,
                    "device_id": "cli-test-device",
                    "device_public_key": base64.b64encode(key).decode(),
                },
            )
            assert login.status_code == 200, login.text
            token = login.json()["access_token"]
            draws = http.get("/v1/draws", headers={"Authorization": f"Bearer {token}"})
            assert draws.status_code == 200
            assert len(draws.json()["items"]) == 2  # the demo draw and the one made above
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stdout:
            server.stdout.close()


# --- accounts on the command line (in-process, SQLite and PostgreSQL) -------------------------


ENGINES: list[Engine] = []


@pytest.fixture
def cli_settings(
    settings: ServerSettings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ServerSettings]:
    """The test database as ``credit-platform``'s environment; the demo marker removed after.

    The engines the commands open are collected so that :func:`cli` closes them (a process
    would simply exit).
    """
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CREDIT_PLATFORM_DATA", str(settings.data_dir))
    monkeypatch.delenv("CREDIT_PLATFORM_PASSWORD", raising=False)

    def tracked(url: str) -> Engine:
        engine = make_engine(url)
        ENGINES.append(engine)
        return engine

    monkeypatch.setattr(migrate, "make_engine", tracked)
    yield settings
    engine = make_engine(settings.database_url)
    with engine.begin() as conn:  # tables are emptied between tests, the meta rows are not
        conn.execute(delete(Meta).where(Meta.key == DEMO_MARKER))
    engine.dispose()


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``credit-platform ARGS`` in this process: exit code, stdout, stderr."""
    try:
        code = main(list(args))
    finally:
        while ENGINES:
            ENGINES.pop().dispose()
    out = capsys.readouterr()
    return code, out.out, out.err


STRONG = "Zhangzi-county-2026"


def _window_user(capsys: pytest.CaptureFixture[str], name: str, password: str = STRONG) -> None:
    code, _, err = cli(
        capsys, "create-user", name, "--role", "window", "--hall", "hall-140428",
        "--region", "140428", "--password", password,
    )  # fmt: skip
    assert code == 0, err


def _body(username: str, password: str, device: ClientDevice) -> dict[str, str]:
    return {
        "username": username,
        "password": password,
        "device_id": device.device_id,
        "device_public_key": device.public_b64,
    }


def test_weak_passwords_are_refused_with_the_reason(
    cli_settings: ServerSettings, app: FastAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    for password, reason in (
        ("Ab1-xyz", "太弱"),  # 7 characters
        ("abcdefghi", "太弱"),  # 9 characters of one kind
        ("Password123", "常见"),
        ("Admin@123", "常见"),
        ("zhangsan-2026", "用户名"),
        ("1212121212", "单一"),
    ):
        code, _, err = cli(
            capsys, "create-user", "zhangsan", "--role", "inspector", "--region", "140428",
            "--password", password,
        )  # fmt: skip
        assert code == 2 and reason in err and "错误" in err, (password, err)
    with app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(User)) == 0
    code, out, _ = cli(
        capsys, "create-user", "zhangsan", "--role", "inspector", "--region", "140428",
        "--password", "长治市信用-2026",
    )  # fmt: skip
    assert code == 0 and "created" in out
    assert password_problem("demo-2026", "window.luzhou.1") is not None  # never for a real one
    assert password_problem("Changzhi2026", "zhangsan") is None


def test_a_password_reset_ends_every_session(
    cli_settings: ServerSettings,
    app: FastAPI,
    client: TestClient,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _window_user(capsys, "liu")
    laptop = new_device()
    before = login(client, "liu", laptop, STRONG)
    code, out, err = cli(
        capsys, "create-user", "liu", "--role", "window", "--hall", "hall-140428",
        "--region", "140428", "--password", "Another-pass-2026",
    )  # fmt: skip
    assert code == 0, err
    assert "全部登录会话（1 个）" in out and "注销设备 1 台" in out
    # The laptop is revoked (it wipes); the old password no longer works.
    assert client.get("/v1/auth/me", headers=auth(before)).status_code == 410
    old = client.post("/v1/auth/login", json=_body("liu", STRONG, new_device()))
    assert old.status_code == 401
    phone = new_device()
    after = login(client, "liu", phone, "Another-pass-2026")
    # --keep-devices (a forgotten password): sessions end, the device stays and logs in again.
    code, out, err = cli(
        capsys, "create-user", "liu", "--role", "window", "--hall", "hall-140428",
        "--region", "140428", "--password", "Third-pass-2026", "--keep-devices",
    )  # fmt: skip
    assert code == 0 and "注销设备 0 台" in out, err
    gone = client.get("/v1/auth/me", headers=auth(after))
    assert gone.status_code == 401 and gone.json()["code"] == "unauthenticated"
    assert login(client, "liu", phone, "Third-pass-2026")["Authorization"].startswith("Bearer ")
    with app.state.sessions() as s:
        resets = s.scalars(select(AuditEntry).where(AuditEntry.action == "account.password_reset"))
        assert [(e.subject_id, e.actor) for e in resets] == [("liu", CLI_ACTOR)] * 2


def test_deactivate_activate_unlock_and_list_devices(
    cli_settings: ServerSettings,
    app: FastAPI,
    client: TestClient,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _window_user(capsys, "xu")
    first, second = new_device(), new_device()
    one = login(client, "xu", first, STRONG)
    login(client, "xu", second, STRONG)
    code, out, _ = cli(capsys, "devices", "--user", "xu")
    assert code == 0 and first.device_id in out and second.device_id in out
    code, out, _ = cli(capsys, "revoke-device", second.device_id)
    assert code == 0
    code, out, _ = cli(capsys, "devices", "--user", "xu")
    assert second.device_id not in out
    code, out, _ = cli(capsys, "devices", "--user", "xu", "--all")
    assert second.device_id in out

    code, out, err = cli(capsys, "deactivate-user", "xu")
    assert code == 0 and "已停用" in out and "注销设备 1 台" in out, err
    assert client.get("/v1/auth/me", headers=auth(one)).status_code == 410
    refused = client.post("/v1/auth/login", json=_body("xu", STRONG, new_device()))
    assert refused.status_code == 401 and "已停用" in refused.json()["message"]
    code, out, _ = cli(capsys, "activate-user", "xu")
    assert code == 0 and "已启用" in out
    assert login(client, "xu", new_device(), STRONG)

    for _ in range(5):
        client.post("/v1/auth/login", json=_body("xu", "wrong-password", new_device()))
    locked = client.post("/v1/auth/login", json=_body("xu", STRONG, new_device()))
    assert locked.status_code == 429
    code, out, _ = cli(capsys, "unlock-user", "xu")
    assert code == 0 and "已解除" in out
    assert client.post("/v1/auth/login", json=_body("xu", STRONG, new_device())).status_code == 200
    code, _, err = cli(capsys, "unlock-user", "nobody")
    assert code == 2 and "没有账户" in err


def test_seed_demo_refuses_a_database_in_real_use(
    cli_settings: ServerSettings, app: FastAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    # An empty database takes the demo, and takes it again (a top-up).
    code, out, err = cli(capsys, "seed-demo", "--entities", "5")
    assert code == 0 and DEMO_PASSWORD in out, err
    code, _, err = cli(capsys, "seed-demo", "--entities", "6")
    assert code == 0, err
    with app.state.sessions() as s:
        names = set(s.scalars(select(User.username)))
    assert names == demo_usernames()
    # A real account appears: no more demo data here.
    _window_user(capsys, "zhao.real")
    code, _, err = cli(capsys, "seed-demo", "--entities", "7")
    assert code == 2 and "非演示账户（zhao.real）" in err and "空数据库" in err


def test_seed_demo_refuses_changed_demo_passwords_and_imported_data(
    cli_settings: ServerSettings, app: FastAPI, capsys: pytest.CaptureFixture[str]
) -> None:
    # Data imported into a new platform before any account exists.
    seed_entity(app, uscc(1))
    code, _, err = cli(capsys, "seed-demo", "--entities", "5")
    assert code == 2 and "不是由 seed-demo 生成" in err
    with app.state.sessions() as s:
        assert s.scalar(select(func.count()).select_from(User)) == 0
    # A demo whose admin password was changed is in real use.
    engine = make_engine(cli_settings.database_url)
    with engine.begin() as conn:
        conn.execute(delete(Record))
    engine.dispose()
    assert cli(capsys, "seed-demo", "--entities", "5")[0] == 0
    code, _, err = cli(
        capsys, "create-user", "admin", "--role", "admin", "--password", "Root-of-trust-2026"
    )
    assert code == 0, err
    code, _, err = cli(capsys, "seed-demo", "--entities", "5")
    assert code == 2 and "改过密码" in err
