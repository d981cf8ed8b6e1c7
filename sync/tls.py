"""Public-key pinning for the platform connection (SHA-256 of the SubjectPublicKeyInfo).

A pin is the SHA-256 digest of the DER ``SubjectPublicKeyInfo`` of the platform's server
certificate, written as 64 hex digits (colons, spaces and case ignored) or as 44-character
base64 (standard or URL-safe alphabet; an HPKP-style ``sha256/`` prefix is allowed). The
admin gets it with :func:`spki_sha256` from the certificate file, or with::

    openssl x509 -in server.pem -pubkey -noout | openssl pkey -pubin -outform DER |
        openssl dgst -sha256

Pinning the key (not the certificate) survives renewals that keep the key.

:class:`PinningAdapter` is a ``requests`` adapter whose HTTPS connections check the pin right
after the normal TLS handshake: certificate verification stays on (the CA bundle still
applies), the pin is an extra check on top. A mismatch raises :class:`TlsPinMismatch` before
any byte of the request is sent. :class:`RefusePlainHttpAdapter` refuses ``http://`` when a
pin is set, because a pin is a promise that the platform speaks TLS.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from typing import Any, cast

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter
from urllib3 import PoolManager
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPSConnectionPool

from sync.errors import TlsPinMismatch

__all__ = [
    "TLS_REQUIRED_MESSAGE",
    "PinningAdapter",
    "RefusePlainHttpAdapter",
    "parse_pin",
    "spki_sha256",
    "spki_sha256_of_der",
]

TLS_REQUIRED_MESSAGE = (
    "本机已登记平台证书指纹，但平台地址不是加密的 https:// 连接，已停止同步。请联系管理员。"
)
_HEX = re.compile(r"[0-9a-f]{64}")


def spki_sha256_of_der(cert_der: bytes) -> bytes:
    """The raw SHA-256 digest of a DER certificate's SubjectPublicKeyInfo."""
    cert = x509.load_der_x509_certificate(cert_der)
    spki = cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(spki).digest()


def spki_sha256(cert_pem_or_der: str | bytes) -> str:
    """The pin of a certificate (PEM text or bytes, or DER bytes), as 64 lowercase hex digits.

    Raises:
        ValueError: Not a certificate.
    """
    data = cert_pem_or_der.encode("ascii") if isinstance(cert_pem_or_der, str) else cert_pem_or_der
    if b"-----BEGIN" in data:
        data = x509.load_pem_x509_certificate(data).public_bytes(Encoding.DER)
    return spki_sha256_of_der(data).hex()


def parse_pin(pin: str) -> bytes:
    """Decode a pin written as hex or base64 (see the module docstring) to its 32 bytes.

    Raises:
        ValueError: Neither 64 hex digits nor base64 of 32 bytes.
    """
    text = pin.strip()
    if text.lower().startswith("sha256/"):
        text = text[len("sha256/") :]
    flat = re.sub(r"[\s:]", "", text).lower()
    if _HEX.fullmatch(flat):
        return bytes.fromhex(flat)
    try:
        raw = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != hashlib.sha256().digest_size:
        raise ValueError(
            "a public-key pin is the SHA-256 of the SubjectPublicKeyInfo: "
            "64 hex digits or 44 characters of base64"
        )
    return raw


class _PinCheck(HTTPSConnection):
    """Mixed in before an HTTPS connection class: checks the pin after each handshake."""

    expected_spki_sha256: bytes = b""

    def connect(self) -> None:
        super().connect()  # TCP (or tunnel), TLS handshake, normal certificate verification
        try:
            self._check_pin()
        except BaseException:
            self.close()
            raise

    def _check_pin(self) -> None:
        getpeercert = getattr(self.sock, "getpeercert", None)
        der = getpeercert(binary_form=True) if getpeercert is not None else None
        if not der:
            raise TlsPinMismatch(
                f"{self.host}: no TLS peer certificate to check the pin against",
                code="tls_pin_mismatch",
            )
        actual = spki_sha256_of_der(der)
        if not hmac.compare_digest(actual, self.expected_spki_sha256):
            raise TlsPinMismatch(
                f"{self.host}:{self.port}: public-key pin mismatch "
                f"(server SPKI SHA-256 {actual.hex()}, pinned {self.expected_spki_sha256.hex()})",
                code="tls_pin_mismatch",
            )


def _pinned_pool_class(
    pool_cls: type[HTTPSConnectionPool], digest: bytes
) -> type[HTTPSConnectionPool]:
    # Derive from whatever the manager would use (plain, proxied, SOCKS), so pinning never
    # silently bypasses a proxy and a proxy never silently bypasses the pin.
    base_conn = pool_cls.ConnectionCls
    conn_cls = type(
        f"Pinned{base_conn.__name__}",
        (_PinCheck, base_conn),
        {"expected_spki_sha256": digest},
    )
    return cast(
        "type[HTTPSConnectionPool]",
        type(f"Pinned{pool_cls.__name__}", (pool_cls,), {"ConnectionCls": conn_cls}),
    )


def _pin_manager(manager: PoolManager, digest: bytes) -> None:
    classes = dict(manager.pool_classes_by_scheme)  # never mutate urllib3's module-level dict
    https = cast("type[HTTPSConnectionPool]", classes["https"])
    if not issubclass(https.ConnectionCls, _PinCheck):
        classes["https"] = _pinned_pool_class(https, digest)
    manager.pool_classes_by_scheme = classes


class PinningAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` whose HTTPS connections must present the pinned public key.

    Args:
        pin: The pin, hex or base64 (:func:`parse_pin`).

    Raises:
        ValueError: A malformed pin.
    """

    def __init__(self, pin: str, **kwargs: Any) -> None:
        self.expected_spki_sha256 = parse_pin(pin)  # before super(): it builds the pools
        super().__init__(**kwargs)

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        """Build the pool manager as requests does, then pin its HTTPS pools."""
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        _pin_manager(self.poolmanager, self.expected_spki_sha256)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        """The proxy manager requests would use, with its HTTPS pools pinned too."""
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        _pin_manager(manager, self.expected_spki_sha256)
        return manager


class RefusePlainHttpAdapter(HTTPAdapter):
    """Mounted on ``http://`` when a pin is set: every plain-HTTP request is refused."""

    def send(self, request: PreparedRequest, *args: Any, **kwargs: Any) -> Response:
        """Refuse the request (nothing is sent).

        Raises:
            TlsPinMismatch: Always, with ``code="tls_required"``.
        """
        raise TlsPinMismatch(
            f"refusing plain HTTP to {request.url}: a public-key pin is set, TLS is required",
            user_message=TLS_REQUIRED_MESSAGE,
            code="tls_required",
        )
