"""The client's update check (sync/updates.py) against a REAL ``credit-platform serve`` process.

Manifests are published with ``credit-platform release publish``; the check needs no login.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync import updates
from sync.protocol import release_manifest as rm
from sync.transport import Transport
from tests.sync.conftest import LiveServer

KEY = Ed25519PrivateKey.generate()
OTHER = Ed25519PrivateKey.generate()
FILE = rm.ReleaseFile("credit-desk-0.9.0.exe", 42, "00" * 32, "https://dl.example.cn/x.exe")


def manifest(version: str, key: Ed25519PrivateKey = KEY) -> bytes:
    return rm.encode(rm.sign(key, version=version, date="2026-12-04", notes="说明", files=[FILE]))


@pytest.fixture
def transport(live_server: LiveServer) -> Iterator[Transport]:
    with Transport(live_server.url) as t:  # never logged in: the endpoint is public
        yield t


def publish(server: LiveServer, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "manifest.json"
    path.write_bytes(data)
    done = server.cli("release", "publish", str(path))
    assert done.returncode == 0, done.stderr


def test_the_check_accepts_a_genuine_manifest_and_ignores_forgeries(
    live_server: LiveServer,
    transport: Transport,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    trusted = [rm.public_key_bytes(KEY)]
    none = updates.check_for_update(transport, "0.1.0", trusted)
    assert none.outcome is updates.CheckOutcome.NONE and none.manifest is None

    publish(live_server, tmp_path, manifest("0.9.0"))
    found = updates.check_for_update(transport, "0.1.0", trusted)
    assert found.outcome is updates.CheckOutcome.NEWER
    assert found.manifest is not None and found.manifest.version == "0.9.0"
    assert updates.check_for_update(transport, "0.9.0", trusted).outcome is (
        updates.CheckOutcome.CURRENT
    )

    changed = json.loads(manifest("0.9.1"))
    changed["notes"] = "改过的说明"
    for forged in (manifest("0.9.1", OTHER), json.dumps(changed).encode()):
        publish(live_server, tmp_path, forged)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="sync.updates"):
            result = updates.check_for_update(transport, "0.1.0", trusted)
        assert result.outcome is updates.CheckOutcome.IGNORED and result.manifest is None
        assert any("ignored" in r.getMessage() for r in caplog.records)

    # A build that pins no key believes nothing.
    publish(live_server, tmp_path, manifest("0.9.2"))
    with updates.trusting([]):
        assert updates.check_for_update(transport, "0.1.0").outcome is (
            updates.CheckOutcome.IGNORED
        )
    with updates.trusting(trusted):
        assert updates.check_for_update(transport, "0.1.0").outcome is updates.CheckOutcome.NEWER


def test_pinned_keys_read_pub_files_and_skip_bad_ones(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from cryptography.hazmat.primitives import serialization

    pem = KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    (tmp_path / "a-2026.pub").write_bytes(pem)
    (tmp_path / "b-broken.pub").write_text("not a key")
    (tmp_path / "README.md").write_text("not a key file either")
    with caplog.at_level(logging.ERROR, logger="sync.updates"):
        assert updates.pinned_keys(tmp_path) == (rm.public_key_bytes(KEY),)
    assert "b-broken.pub" in caplog.text
