"""``credit-platform release keygen|sign|publish`` and ``GET /v1/client/latest`` (SQLite and
PostgreSQL): exit codes, Chinese errors, the manifest served byte for byte, the audit row."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.exc import DBAPIError

from platform_server.cli import main
from platform_server.db import make_engine
from platform_server.models import AuditEntry, Meta
from platform_server.releases import LATEST_KEY, PASSPHRASE_ENV
from platform_server.settings import ServerSettings
from sync.protocol import release_manifest as rm


@pytest.fixture
def env(settings: ServerSettings, monkeypatch: pytest.MonkeyPatch) -> ServerSettings:
    """The CLI on the test's database; no manifest published yet."""
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CREDIT_PLATFORM_DATA", str(settings.data_dir))
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    engine = make_engine(settings.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(delete(Meta).where(Meta.key == LATEST_KEY))
    except DBAPIError:  # a fresh SQLite file has no tables until migrated
        pass
    engine.dispose()
    return settings


def keygen(tmp_path: Path, name: str = "release.pem") -> Path:
    out = tmp_path / name
    assert main(["release", "keygen", "--out", str(out)]) == 0
    return out


def package(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    dist.mkdir(exist_ok=True)
    deb = dist / "credit-desk_0.2.0_amd64.deb"
    deb.write_bytes(b"\x7fELF not really a package" * 100)
    return deb


def sign(tmp_path: Path, key: Path, *extra: str) -> list[str]:
    notes = tmp_path / "notes.md"
    notes.write_text("新增：更新提示。\n修复：若干问题。\n", "utf-8")
    return [
        "release", "sign", "--key", str(key), "--version", "0.2.0", "--notes-file", str(notes),
        "--base-url", "https://dl.example.cn/credit-desk/0.2.0/", "--date", "2026-12-04", *extra,
    ]  # fmt: skip


def test_keygen_sign_publish_serve(
    env: ServerSettings, client: TestClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert client.get("/v1/client/latest").status_code == 204  # nothing published yet
    key = keygen(tmp_path)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    public = rm.load_public_key(key.with_name("release.pem.pub").read_bytes())
    deb = package(tmp_path)
    out = tmp_path / "manifest.json"
    assert main([*sign(tmp_path, key, "--file", str(deb), "--out", str(out))]) == 0
    manifest = rm.decode(out.read_bytes())
    rm.verify(manifest, [public])
    assert manifest.version == "0.2.0" and manifest.date == "2026-12-04"
    assert manifest.notes == "新增：更新提示。\n修复：若干问题。"
    (entry,) = manifest.files
    assert entry.size == deb.stat().st_size
    assert entry.url == "https://dl.example.cn/credit-desk/0.2.0/credit-desk_0.2.0_amd64.deb"

    capsys.readouterr()
    pub = str(key.with_name("release.pem.pub"))
    assert main(["release", "publish", str(out), "--public-key", pub, "--by", "发布员"]) == 0
    assert "signature checked" in capsys.readouterr().out
    answer = client.get("/v1/client/latest")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.content == rm.encode(manifest)
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        row = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "release.published")
        ).one()
    assert row.actor == "发布员" and row.subject_id == "0.2.0"
    assert json.loads(row.details)["key_id"] == manifest.key_id


def test_publish_refuses_what_it_can_tell_is_wrong(
    env: ServerSettings, client: TestClient, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key, other = keygen(tmp_path), keygen(tmp_path, "other.pem")
    out = tmp_path / "manifest.json"
    assert main([*sign(tmp_path, key, "--file", str(package(tmp_path)), "--out", str(out))]) == 0
    capsys.readouterr()
    other_pub = str(other.with_name("other.pem.pub"))
    assert main(["release", "publish", str(out), "--public-key", other_pub]) == 2
    assert "签名无法用给定的发布公钥验证" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text(out.read_text("utf-8").replace('"version":"0.2.0"', '"version":"0.2"'))
    assert main(["release", "publish", str(broken)]) == 2
    assert "不是有效的发布清单" in capsys.readouterr().err
    assert main(["release", "publish", str(tmp_path / "missing.json")]) == 2
    assert "无法读取发布清单" in capsys.readouterr().err
    assert main(["release", "publish", str(out), "--public-key", str(tmp_path / "no.pub")]) == 2
    assert "无法读取发布公钥" in capsys.readouterr().err
    assert client.get("/v1/client/latest").status_code == 204  # none of these was published
    # Without --public-key the platform checks the format only: the clients check the key.
    assert main(["release", "publish", str(out)]) == 0
    assert "NOT checked" in capsys.readouterr().out
    assert client.get("/v1/client/latest").status_code == 200


def test_sign_explains_bad_keys_and_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    deb = str(package(tmp_path))
    key = keygen(tmp_path)
    capsys.readouterr()
    assert main(["release", "keygen", "--out", str(key)]) == 2
    assert "不会覆盖现有密钥" in capsys.readouterr().err

    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a key")
    assert main(sign(tmp_path, garbage, "--file", deb)) == 2
    assert "不是发布密钥" in capsys.readouterr().err
    assert main(sign(tmp_path, tmp_path / "absent.pem", "--file", deb)) == 2
    assert "无法读取发布密钥文件" in capsys.readouterr().err
    public_only = key.with_name("release.pem.pub")
    assert main(sign(tmp_path, public_only, "--file", deb)) == 2
    assert "不是发布密钥" in capsys.readouterr().err
    assert main(sign(tmp_path, key, "--file", str(tmp_path / "dist" / "absent.deb"))) == 2
    assert "找不到要发布的文件" in capsys.readouterr().err
    bad_version = sign(tmp_path, key, "--file", deb)
    bad_version[bad_version.index("0.2.0")] = "0.2"
    assert main(bad_version) == 2
    assert "版本号" in capsys.readouterr().err
    assert main([*sign(tmp_path, key, "--file", deb), "--date", "2026-13-01"]) == 2
    assert "发布日期" in capsys.readouterr().err

    # An encrypted release key: the passphrase from the environment (or asked for).
    monkeypatch.setenv(PASSPHRASE_ENV, "正确的口令 2026")
    locked = keygen(tmp_path, "locked.pem")
    assert b"ENCRYPTED" in locked.read_bytes()
    assert main(sign(tmp_path, locked, "--file", deb)) == 0
    printed = capsys.readouterr().out
    public = rm.load_public_key(locked.with_name("locked.pem.pub").read_bytes())
    rm.verify(rm.decode(printed.strip().splitlines()[-1]), [public])
    monkeypatch.setenv(PASSPHRASE_ENV, "错误的口令")
    assert main(sign(tmp_path, locked, "--file", deb)) == 2
    assert "口令不正确" in capsys.readouterr().err
