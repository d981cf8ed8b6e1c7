"""The installed ``credit-platform`` script end to end: seed-demo, serve, log in over HTTP."""

from __future__ import annotations

import base64
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from platform_server.demo import DEMO_PASSWORD

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
