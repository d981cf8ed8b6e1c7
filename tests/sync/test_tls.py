"""TLS verification and public-key pinning against a local HTTPS server with a private CA."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import json
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from sync.errors import Offline, TlsPinMismatch
from sync.tls import parse_pin, spki_sha256
from sync.transport import Transport

PROXY_VARS = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")


@dataclass
class Pki:
    ca_pem: Path
    cert_pem: Path
    key_pem: Path
    server_key: ec.EllipticCurvePrivateKey
    ca_key: ec.EllipticCurvePrivateKey


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


_CA_USAGE = x509.KeyUsage(
    digital_signature=True, key_cert_sign=True, crl_sign=True,
    content_commitment=False, key_encipherment=False, data_encipherment=False,
    key_agreement=False, encipher_only=False, decipher_only=False,
)  # fmt: skip


_CA_USAGE = x509.KeyUsage(
    digital_signature=True, key_cert_sign=True, crl_sign=True,
    content_commitment=False, key_encipherment=False, data_encipherment=False,
    key_agreement=False, encipher_only=False, decipher_only=False,
)  # fmt: skip


def _make_pki(tmp: Path) -> Pki:
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Credit Desk Test CA"))
        .issuer_name(_name("Credit Desk Test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_CA_USAGE, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pki = Pki(tmp / "ca.pem", tmp / "server.pem", tmp / "server.key", key, ca_key)
    pki.ca_pem.write_bytes(ca.public_bytes(Encoding.PEM))
    pki.cert_pem.write_bytes(cert.public_bytes(Encoding.PEM))
    pki.key_pem.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    return pki


@dataclass
class Server:
    url: str
    pki: Pki
    seen: list[str] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[str]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.seen.append(self.path)
        body = json.dumps({"status": "ok"}).encode() if self.path == "/healthz" else b"{}"
        self.send_response(200 if self.path == "/healthz" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def https(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    for var in (*PROXY_VARS, "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(var, raising=False)
    pki = _make_pki(tmp_path)
    seen: list[str] = []
    handler = type("Handler", (_Handler,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(pki.cert_pem, pki.key_pem)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield Server(f"https://127.0.0.1:{server.server_address[1]}", pki, seen)
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _spki_digest(key: ec.EllipticCurvePrivateKey) -> bytes:
    der = key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).digest()


def _transport(url: str, **kw: object) -> Transport:
    return Transport(url, max_attempts=2, backoff_base=0.001, backoff_cap=0.01, **kw)  # type: ignore[arg-type]


def _health(t: Transport) -> object:
    return t.request("GET", "/healthz", auth=False).json()


def test_unknown_ca_is_an_engine_tls_error(https: Server) -> None:
    with _transport(https.url) as t, pytest.raises(Offline) as info:
        _health(t)
    assert info.value.code == "tls" and "证书" in info.value.user_message
    assert https.seen == []


def test_private_ca_bundle_verifies(https: Server) -> None:
    with _transport(https.url, ca_bundle=https.pki.ca_pem) as t:
        assert _health(t) == {"status": "ok"}


@pytest.mark.parametrize("form", ["hex", "HEX:colons", "base64", "sha256/base64"])
def test_right_pin_connects(https: Server, form: str) -> None:
    digest = _spki_digest(https.pki.server_key)
    pin = {
        "hex": digest.hex(),
        "HEX:colons": ":".join(f"{b:02X}" for b in digest),
        "base64": base64.b64encode(digest).decode(),
        "sha256/base64": "sha256/" + base64.b64encode(digest).decode(),
    }[form]
    with _transport(https.url, ca_bundle=https.pki.ca_pem, pin_sha256=pin) as t:
        assert _health(t) == {"status": "ok"}
        assert _health(t) == {"status": "ok"}  # a pooled, already checked connection
    assert https.seen == ["/healthz", "/healthz"]


def test_wrong_pin_stops_before_the_request_is_sent(https: Server) -> None:
    wrong = _spki_digest(https.pki.ca_key).hex()  # a real key, just not the server's
    with (
        _transport(https.url, ca_bundle=https.pki.ca_pem, pin_sha256=wrong) as t,
        pytest.raises(TlsPinMismatch) as info,
    ):
        _health(t)
    assert info.value.code == "tls_pin_mismatch"
    assert info.value.user_message == (
        "平台证书与本机登记的指纹不符，可能存在中间人攻击，已停止同步。请联系管理员。"
    )
    assert https.seen == []


def test_pin_does_not_replace_verification(https: Server) -> None:
    right = _spki_digest(https.pki.server_key).hex()
    with _transport(https.url, pin_sha256=right) as t, pytest.raises(Offline) as info:
        _health(t)  # the right key, but no trusted CA: still refused
    assert info.value.code == "tls"


def test_pin_refuses_plain_http() -> None:
    pin = "00" * 32
    with _transport("http://127.0.0.1:9", pin_sha256=pin) as t, pytest.raises(TlsPinMismatch) as e:
        _health(t)
    assert e.value.code == "tls_required" and "https://" in e.value.user_message


def test_spki_sha256_reads_pem_and_der(https: Server) -> None:
    pem = https.pki.cert_pem.read_bytes()
    der = x509.load_pem_x509_certificate(pem).public_bytes(Encoding.DER)
    expected = _spki_digest(https.pki.server_key).hex()
    assert spki_sha256(pem) == spki_sha256(pem.decode()) == spki_sha256(der) == expected
    assert parse_pin(expected) == bytes.fromhex(expected)


@pytest.mark.parametrize(
    "bad", ["", "abc", "zz" * 32, "00" * 31, base64.b64encode(b"x" * 31).decode()]
)
def test_malformed_pin_is_rejected(bad: str) -> None:
    with pytest.raises(ValueError, match="SubjectPublicKeyInfo"):
        Transport("https://127.0.0.1:1", pin_sha256=bad)
