"""The signed release manifest: which client version is the newest, and its files.

One definition for the release manager's ``credit-platform release sign``, the platform that
serves what was published (``GET /v1/client/latest``) and the client that checks it
(:mod:`sync.updates`). A manifest is a JSON object::

    {"format": "credit-desk-release/1", "product": "credit-desk", "version": "0.2.0",
     "date": "2026-12-04", "notes": "…",
     "files": [{"name": "credit-desk_0.2.0_amd64.deb", "size": 1234,
                "sha256": "<64 hex>", "url": "https://…/credit-desk_0.2.0_amd64.deb"}],
     "key_id": "<16 hex>", "signature": "<base64 of 64 bytes>"}

The release key (Ed25519, kept offline by the release manager; never the platform's own
key) signs :meth:`ReleaseManifest.message`: the bytes ``CDRM1``, a newline, then the canonical
JSON of every field but ``signature`` (sorted keys, no spaces, UTF-8, no ASCII escaping). The
prefix keeps a release signature from meaning anything else. ``key_id`` names the signing key
(first 16 hex digits of the SHA-256 of its raw 32 public bytes) so keys can be rotated; the
client tries only the pinned key with that id.

Decoding is strict (:func:`decode`): duplicate keys, unknown or missing keys, wrong types,
floats, a version that is not ``MAJOR.MINOR.PATCH``, a date that is not a real day, a file
name with a path in it, a URL that is not http(s) or a signature that is not canonical base64
of 64 bytes are all :class:`ManifestError`. Standard library and ``cryptography`` only.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

__all__ = [
    "FORMAT",
    "MAX_MANIFEST_BYTES",
    "MESSAGE_PREFIX",
    "PRODUCT",
    "ManifestError",
    "ReleaseFile",
    "ReleaseManifest",
    "decode",
    "encode",
    "is_newer",
    "key_id_of",
    "load_public_key",
    "parse_version",
    "public_key_bytes",
    "sign",
    "verify",
]

FORMAT = "credit-desk-release/1"
PRODUCT = "credit-desk"
MESSAGE_PREFIX = b"CDRM1\n"
"""Prefix of the signed message (never valid for anything else a key signs)."""
MAX_MANIFEST_BYTES = 256 * 1024
MAX_NOTES_CHARS = 20_000
MAX_FILES = 20
SIGNATURE_BYTES = 64

_KEYS = frozenset({"format", "product", "version", "date", "notes", "files", "key_id", "signature"})
_FILE_KEYS = frozenset({"name", "size", "sha256", "url"})
_VERSION = re.compile(r"^(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})\.(0|[1-9][0-9]{0,5})$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_KEY_ID = re.compile(r"^[0-9a-f]{16}$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+~-]{0,199}$")


class ManifestError(ValueError):
    """A manifest that is malformed, or not signed by a trusted key (the reason in English)."""


@dataclass(frozen=True, slots=True)
class ReleaseFile:
    """One downloadable file of a release: its name, size in bytes, SHA-256 and address."""

    name: str
    size: int
    sha256: str
    url: str

    def to_json(self) -> dict[str, Any]:
        """The file as it appears in the manifest."""
        return {"name": self.name, "size": self.size, "sha256": self.sha256, "url": self.url}


@dataclass(frozen=True, slots=True)
class ReleaseManifest:
    """A decoded manifest (see the module docstring); ``signature`` is base64."""

    version: str
    date: str
    notes: str
    files: tuple[ReleaseFile, ...]
    key_id: str
    signature: str = ""

    def unsigned_json(self) -> dict[str, Any]:
        """Every field but the signature, as signed."""
        return {
            "format": FORMAT,
            "product": PRODUCT,
            "version": self.version,
            "date": self.date,
            "notes": self.notes,
            "files": [f.to_json() for f in self.files],
            "key_id": self.key_id,
        }

    def to_json(self) -> dict[str, Any]:
        """The whole manifest, signature included."""
        return {**self.unsigned_json(), "signature": self.signature}

    def message(self) -> bytes:
        """The signed bytes: ``CDRM1``, a newline, the canonical JSON of the unsigned fields."""
        return MESSAGE_PREFIX + _canonical(self.unsigned_json())


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def encode(manifest: ReleaseManifest) -> bytes:
    """The manifest as canonical JSON (UTF-8): what is published and served."""
    return _canonical(manifest.to_json())


def key_id_of(public_key: bytes) -> str:
    """The first 16 hex digits of the SHA-256 of a raw Ed25519 public key."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def public_key_bytes(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    """The raw 32 bytes of an Ed25519 key's public half."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def load_public_key(data: bytes) -> bytes:
    """The raw 32 bytes of an Ed25519 public key file (PEM ``PUBLIC KEY``, or base64 raw).

    Raises:
        ManifestError: Not an Ed25519 public key.
    """
    text = data.strip()
    if text.startswith(b"-----BEGIN"):
        try:
            loaded = serialization.load_pem_public_key(text)
        except ValueError as exc:
            raise ManifestError(f"not a PEM public key: {exc}") from None
        if not isinstance(loaded, Ed25519PublicKey):
            raise ManifestError("not an Ed25519 public key")
        return public_key_bytes(loaded)
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ManifestError("not a public key (neither PEM nor base64)") from None
    if len(raw) != 32:
        raise ManifestError("an Ed25519 public key has 32 bytes")
    return raw


def parse_version(text: str) -> tuple[int, int, int]:
    """``MAJOR.MINOR.PATCH`` as a tuple of ints.

    Raises:
        ManifestError: Not three dot-separated decimal numbers without leading zeros.
    """
    match = _VERSION.match(text) if isinstance(text, str) else None
    if match is None:
        raise ManifestError(f"version {text!r} is not MAJOR.MINOR.PATCH")
    return int(match[1]), int(match[2]), int(match[3])


def is_newer(version: str, current: str) -> bool:
    """Whether ``version`` is later than ``current`` (both ``MAJOR.MINOR.PATCH``).

    Raises:
        ManifestError: Either is not a version.
    """
    return parse_version(version) > parse_version(current)


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ManifestError("a file's url must be an http(s) address with a host")
    if any(ch.isspace() or ord(ch) < 0x20 for ch in url) or len(url) > 2000:
        raise ManifestError("a file's url has spaces or control characters, or is too long")


def _file(value: Any) -> ReleaseFile:
    if not isinstance(value, dict) or set(value) != _FILE_KEYS:
        raise ManifestError(f"a file must have exactly the keys {sorted(_FILE_KEYS)}")
    name, size, sha256, url = value["name"], value["size"], value["sha256"], value["url"]
    if not isinstance(name, str) or not _NAME.match(name) or ".." in name:
        raise ManifestError(f"file name {name!r} is not a plain file name")
    if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size < 2**53:
        raise ManifestError(f"file {name}: size must be a whole number of bytes")
    if not isinstance(sha256, str) or not _SHA256.match(sha256):
        raise ManifestError(f"file {name}: sha256 must be 64 lower-case hex digits")
    if not isinstance(url, str):
        raise ManifestError(f"file {name}: url must be text")
    _check_url(url)
    return ReleaseFile(name, size, sha256, url)


def _check_fields(
    version: Any, day: Any, notes: Any, files: Sequence[ReleaseFile], key_id: Any
) -> None:
    if not isinstance(version, str):
        raise ManifestError("version must be text")
    parse_version(version)
    if not isinstance(day, str) or not _DATE.match(day):
        raise ManifestError("date must be YYYY-MM-DD")
    try:
        _dt.date.fromisoformat(day)
    except ValueError:
        raise ManifestError(f"date {day!r} is not a day") from None
    if not isinstance(notes, str) or len(notes) > MAX_NOTES_CHARS:
        raise ManifestError(f"notes must be text of at most {MAX_NOTES_CHARS} characters")
    if not files or len(files) > MAX_FILES:
        raise ManifestError(f"a release has 1 to {MAX_FILES} files")
    if len({f.name for f in files}) != len(files):
        raise ManifestError("file names must be unique")
    if not isinstance(key_id, str) or not _KEY_ID.match(key_id):
        raise ManifestError("key_id must be 16 lower-case hex digits")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ManifestError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def _no_float(text: str) -> Any:
    raise ManifestError(f"numbers must be whole: {text}")


def _no_constant(text: str) -> Any:
    raise ManifestError(f"{text} is not JSON")


def decode(data: bytes | str | Mapping[str, Any]) -> ReleaseManifest:
    """Read a manifest strictly (the signature is decoded, not verified: see :func:`verify`).

    Args:
        data: The JSON text (bytes or str), or an already parsed object.

    Raises:
        ManifestError: Anything but exactly the format of the module docstring.
    """
    if isinstance(data, Mapping):
        value: Any = dict(data)
    else:
        if len(data) > MAX_MANIFEST_BYTES:
            raise ManifestError("manifest too large")
        try:
            text = data.decode("utf-8") if isinstance(data, bytes) else data
            value = json.loads(
                text,
                object_pairs_hook=_no_duplicates,
                parse_float=_no_float,
                parse_constant=_no_constant,
            )
        except UnicodeDecodeError:
            raise ManifestError("manifest is not UTF-8") from None
        except json.JSONDecodeError as exc:
            raise ManifestError(f"manifest is not JSON: {exc.msg}") from None
    if not isinstance(value, dict):
        raise ManifestError("manifest must be a JSON object")
    if set(value) != _KEYS:
        missing, extra = sorted(_KEYS - set(value)), sorted(set(value) - _KEYS)
        raise ManifestError(f"manifest keys wrong (missing {missing}, unknown {extra})")
    if value["format"] != FORMAT or value["product"] != PRODUCT:
        raise ManifestError(f"not a {FORMAT} manifest of {PRODUCT}")
    raw_files = value["files"]
    if not isinstance(raw_files, list):
        raise ManifestError("files must be a list")
    files = tuple(_file(f) for f in raw_files)
    _check_fields(value["version"], value["date"], value["notes"], files, value["key_id"])
    signature = value["signature"]
    if not isinstance(signature, str):
        raise ManifestError("signature must be base64 text")
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        raise ManifestError("signature is not base64") from None
    if len(raw) != SIGNATURE_BYTES or base64.b64encode(raw).decode("ascii") != signature:
        raise ManifestError("signature is not the canonical base64 of 64 bytes")
    return ReleaseManifest(
        value["version"], value["date"], value["notes"], files, value["key_id"], signature
    )


def sign(
    key: Ed25519PrivateKey, *, version: str, date: str, notes: str, files: Iterable[ReleaseFile]
) -> ReleaseManifest:
    """A manifest signed with the release key ``key``.

    Raises:
        ManifestError: A field is not what the format allows.
    """
    unsigned = ReleaseManifest(version, date, notes, tuple(files), key_id_of(public_key_bytes(key)))
    for f in unsigned.files:
        _file(f.to_json())
    _check_fields(version, date, notes, unsigned.files, unsigned.key_id)
    signature = base64.b64encode(key.sign(unsigned.message())).decode("ascii")
    return decode(encode(ReleaseManifest(**{**_fields(unsigned), "signature": signature})))


def _fields(manifest: ReleaseManifest) -> dict[str, Any]:
    return {
        "version": manifest.version,
        "date": manifest.date,
        "notes": manifest.notes,
        "files": manifest.files,
        "key_id": manifest.key_id,
    }


def verify(manifest: ReleaseManifest, trusted_keys: Iterable[bytes]) -> bytes:
    """Check the signature with the trusted key named by ``key_id``.

    Args:
        manifest: A decoded manifest.
        trusted_keys: Raw 32-byte Ed25519 public keys.

    Returns:
        The public key that signed it.

    Raises:
        ManifestError: No trusted key has that id, or the signature does not verify.
    """
    for public in trusted_keys:
        if key_id_of(public) != manifest.key_id:
            continue
        try:
            Ed25519PublicKey.from_public_bytes(public).verify(
                base64.b64decode(manifest.signature), manifest.message()
            )
        except (InvalidSignature, ValueError):
            raise ManifestError(
                f"signature does not verify with release key {manifest.key_id}"
            ) from None
        return public
    raise ManifestError(f"release key {manifest.key_id} is not trusted")
