"""The release manifest (sync/protocol/release_manifest.py): sign, verify, decode strictly."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.protocol import release_manifest as rm

KEY = Ed25519PrivateKey.generate()
OTHER = Ed25519PrivateKey.generate()
PUBLIC = rm.public_key_bytes(KEY)
FILE = rm.ReleaseFile(
    "credit-desk_0.2.0_amd64.deb",
    1234,
    "ab" * 32,
    "https://dl.example.cn/credit-desk_0.2.0_amd64.deb",
)


def signed(**overrides: Any) -> rm.ReleaseManifest:
    fields: dict[str, Any] = {
        "version": "0.2.0",
        "date": "2026-12-04",
        "notes": "修复了若干问题。\n新增：更新提示。",
        "files": [FILE],
    }
    fields.update(overrides)
    return rm.sign(KEY, **fields)


def as_json(manifest: rm.ReleaseManifest) -> dict[str, Any]:
    return json.loads(rm.encode(manifest))


def test_round_trip_verifies_with_the_signing_key_only() -> None:
    manifest = signed()
    again = rm.decode(rm.encode(manifest))
    assert again == manifest
    assert rm.verify(again, [rm.public_key_bytes(OTHER), PUBLIC]) == PUBLIC
    with pytest.raises(rm.ManifestError, match="not trusted"):
        rm.verify(again, [rm.public_key_bytes(OTHER)])
    with pytest.raises(rm.ManifestError, match="not trusted"):
        rm.verify(again, [])


def test_canonical_encoding_is_sorted_compact_utf8() -> None:
    text = rm.encode(signed()).decode("utf-8")
    assert " " not in text.replace("修复了若干问题。", "")
    assert "修复" in text  # not \u escaped
    assert list(json.loads(text)) == sorted(json.loads(text))
    assert signed().message().startswith(b"CDRM1\n")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("version", "0.3.0"),
        ("date", "2026-12-05"),
        ("notes", "别的说明"),
        ("files", [{**FILE.to_json(), "sha256": "cd" * 32}]),
        ("files", [{**FILE.to_json(), "url": "https://evil.example/x.deb"}]),
        ("files", [{**FILE.to_json(), "size": 1235}]),
    ],
)
def test_a_field_changed_after_signing_is_rejected(field: str, value: Any) -> None:
    body = as_json(signed())
    body[field] = value
    manifest = rm.decode(json.dumps(body))  # still well-formed …
    with pytest.raises(rm.ManifestError, match="does not verify"):
        rm.verify(manifest, [PUBLIC])  # … but no longer what the key signed


def test_signed_by_another_key_claiming_the_trusted_id_is_rejected() -> None:
    forged = rm.sign(OTHER, version="0.2.0", date="2026-12-04", notes="", files=[FILE])
    body = as_json(forged)
    body["key_id"] = rm.key_id_of(PUBLIC)
    with pytest.raises(rm.ManifestError, match="does not verify"):
        rm.verify(rm.decode(json.dumps(body)), [PUBLIC])


def _mutations() -> list[tuple[str, Any]]:
    good = as_json(signed())
    text = json.dumps(good)
    cases: list[tuple[str, Any]] = [
        ("not json", b"{"),
        ("array", b"[]"),
        ("not utf-8", text.encode("utf-16")),
        ("duplicate key", text[:-1] + ', "version": "9.9.9"}'),
        ("unknown key", {**good, "extra": 1}),
        ("missing key", {k: v for k, v in good.items() if k != "date"}),
        ("wrong format", {**good, "format": "credit-desk-release/2"}),
        ("wrong product", {**good, "product": "other"}),
        ("version v", {**good, "version": "v0.2.0"}),
        ("version leading zero", {**good, "version": "0.02.0"}),
        ("version two parts", {**good, "version": "0.2"}),
        ("version number", {**good, "version": 2}),
        ("impossible date", {**good, "date": "2026-02-30"}),
        ("date format", {**good, "date": "2026/12/04"}),
        ("notes not text", {**good, "notes": None}),
        ("no files", {**good, "files": []}),
        ("files not list", {**good, "files": {}}),
        ("float size", text.replace('"size": 1234', '"size": 1234.0')),
        ("bool size", {**good, "files": [{**FILE.to_json(), "size": True}]}),
        ("negative size", {**good, "files": [{**FILE.to_json(), "size": -1}]}),
        ("path in name", {**good, "files": [{**FILE.to_json(), "name": "../x.deb"}]}),
        ("slash in name", {**good, "files": [{**FILE.to_json(), "name": "a/x.deb"}]}),
        ("upper-case digest", {**good, "files": [{**FILE.to_json(), "sha256": "AB" * 32}]}),
        ("file scheme", {**good, "files": [{**FILE.to_json(), "url": "file:///etc/passwd"}]}),
        ("javascript", {**good, "files": [{**FILE.to_json(), "url": "javascript:alert(1)"}]}),
        ("extra file key", {**good, "files": [{**FILE.to_json(), "mirror": "x"}]}),
        ("duplicate names", {**good, "files": [FILE.to_json(), FILE.to_json()]}),
        ("key id", {**good, "key_id": "XYZ"}),
        ("signature padding", {**good, "signature": good["signature"] + "=="}),
        ("signature short", {**good, "signature": base64.b64encode(b"x" * 63).decode()}),
        ("signature not base64", {**good, "signature": "!" * 88}),
        ("NaN", text.replace('"size": 1234', '"size": NaN')),
    ]
    return cases


@pytest.mark.parametrize(("case", "data"), _mutations(), ids=[c for c, _ in _mutations()])
def test_strict_decoding_refuses(case: str, data: Any) -> None:
    if isinstance(data, dict):
        data = json.dumps(data)
    with pytest.raises(rm.ManifestError):
        rm.decode(data)


def test_sign_refuses_bad_fields() -> None:
    with pytest.raises(rm.ManifestError):
        signed(version="0.2")
    with pytest.raises(rm.ManifestError):
        signed(files=[])


def test_versions_compare_as_numbers() -> None:
    assert rm.is_newer("0.10.0", "0.9.9")
    assert not rm.is_newer("0.1.0", "0.1.0")
    assert not rm.is_newer("0.0.9", "0.1.0")


def test_public_key_files_pem_or_base64() -> None:
    pem = KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert rm.load_public_key(pem) == PUBLIC
    assert rm.load_public_key(base64.b64encode(PUBLIC) + b"\n") == PUBLIC
    private_pem = KEY.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    for bad in (b"", b"abc", base64.b64encode(b"x" * 31), private_pem):
        with pytest.raises(rm.ManifestError):
            rm.load_public_key(bad)
