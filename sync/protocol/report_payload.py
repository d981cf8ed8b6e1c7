"""The verification QR code printed on a credit report (shared by the client and the platform).

Format (compact: it goes into a QR code on every page)::

    CDR1.<base64url(canonical JSON of the fields)>.<base64url(Ed25519 signature)>

base64url without ``=`` padding. The canonical JSON has sorted short keys, no spaces, UTF-8::

    {"d": device_id, "h": content_digest, "n": report_no, "t": issued_at, "u": uscc}

The device signs :func:`signing_message` — the bytes ``CDR1``, a newline, then that canonical
JSON — with the Ed25519 key it enrolled at login; the platform checks the signature with the
enrolled public key. The prefix keeps a report signature from ever being valid for any other
message a device key signs. Decoding is strict: any payload that is not exactly the encoding of
its fields (padding, other key order, extra keys, non-canonical base64) is rejected, so one set
of fields and one signature have exactly one payload text.

Numbers belong to their issuer (:func:`number_space`): a credit report's number carries its
device's segment, ``XYBG-<YYYYMMDD>-<first 8 characters of the device id, upper case>-<NNNN>``;
a letter's number names the record it is about, ``<XS|XJ|YS|YJ|XC>-<first 8 characters of the
record id, upper case>``. The platform registers a number only for its owner.

What the QR code holds since issue #19 is the public verification address
(:func:`verify_url`): ``https://<platform>/V/<number>/<check code>``, the check code being 50 bits
of SHA-256 over the signature (:func:`check_code`). The signed payload stays with the report:
the issuing client keeps it, registers it with the platform, and staff can still check a
``CDR1.`` text scanned from an older report.

Pure standard library: no third-party imports, so the client and the platform can share it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import urllib.parse
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = [
    "CHECK_CODE_CHARS",
    "LETTER_COLLECTIONS",
    "PREFIX",
    "REPORT_NUMBER_PREFIX",
    "SIGNATURE_BYTES",
    "VERIFY_PATH",
    "NumberSpace",
    "ReportQrFields",
    "check_code",
    "content_digest",
    "decode_payload",
    "device_segment",
    "encode_payload",
    "format_issued_at",
    "normalize_check_code",
    "number_space",
    "parse_verify_url",
    "signing_message",
    "verify_url",
]

PREFIX = "CDR1"
SIGNATURE_BYTES = 64  # Ed25519
MAX_PAYLOAD_CHARS = 2048

_KEYS = {
    "d": "device_id",
    "h": "content_digest",
    "n": "report_no",
    "t": "issued_at",
    "u": "uscc",
}
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_DEVICE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_ISSUED = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_B64URL = re.compile(r"^[A-Za-z0-9_-]*$")


@dataclass(frozen=True, slots=True)
class ReportQrFields:
    """What the QR code of a report states; validated on construction.

    Attributes:
        report_no: The report's unique number (4–64 printable characters, no spaces).
        uscc: The entity's 统一社会信用代码 (18 characters of the USCC alphabet; the check
            digit is not re-checked here, since a report may be issued for an overridden code).
        issued_at: Issue time in UTC, ``YYYY-MM-DDTHH:MM:SSZ`` (see :func:`format_issued_at`).
        content_digest: SHA-256 of the report content, 64 lower-case hex digits.
        device_id: The issuing device's id, as enrolled on the platform.

    Raises:
        ValueError: A field is malformed.
    """

    report_no: str
    uscc: str
    issued_at: str
    content_digest: str
    device_id: str

    def __post_init__(self) -> None:
        for name in _KEYS.values():
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} must be a string")
        no = self.report_no
        if not 4 <= len(no) <= 64 or any(ch.isspace() or not ch.isprintable() for ch in no):
            raise ValueError("report_no must be 4-64 printable characters without spaces")
        if not _USCC.fullmatch(self.uscc):
            raise ValueError("uscc is not 18 characters of the USCC alphabet")
        if not _ISSUED.fullmatch(self.issued_at):
            raise ValueError("issued_at must be YYYY-MM-DDTHH:MM:SSZ (UTC)")
        try:
            datetime.strptime(self.issued_at, "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            raise ValueError("issued_at is not a real date and time") from None
        if not _DIGEST.fullmatch(self.content_digest):
            raise ValueError("content_digest must be 64 lower-case hex digits")
        if not _DEVICE.fullmatch(self.device_id):
            raise ValueError("device_id must be 8-64 characters of [A-Za-z0-9_-]")

    def issued_datetime(self) -> datetime:
        """``issued_at`` as an aware UTC datetime."""
        return datetime.strptime(self.issued_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def format_issued_at(moment: datetime) -> str:
    """The ``issued_at`` text of a moment (naive datetimes are taken as UTC).

    Args:
        moment: When the report was issued.
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def content_digest(content: bytes) -> str:
    """The ``content_digest`` of a report's content (SHA-256, lower-case hex).

    Args:
        content: The report's content bytes as the issuing client defines them (e.g. the
            canonical JSON of its document model).
    """
    return hashlib.sha256(content).hexdigest()


def _canonical_json(fields: ReportQrFields) -> bytes:
    body = {short: getattr(fields, name) for short, name in _KEYS.items()}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signing_message(fields: ReportQrFields) -> bytes:
    """The exact bytes the issuing device signs: ``CDR1``, a newline, the canonical JSON.

    Args:
        fields: The report's QR fields.
    """
    return PREFIX.encode() + b"\n" + _canonical_json(fields)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    if not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not base64url text")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("not base64url text") from None
    if _b64(data) != text:  # unused trailing bits: another text for the same bytes
        raise ValueError("non-canonical base64url")
    return data


def encode_payload(fields: ReportQrFields, signature: bytes) -> str:
    """The QR text of a signed report.

    Args:
        fields: The report's QR fields.
        signature: The device's Ed25519 signature of :func:`signing_message` (64 bytes).

    Raises:
        ValueError: The signature is not 64 bytes.
    """
    if len(signature) != SIGNATURE_BYTES:
        raise ValueError(f"an Ed25519 signature is {SIGNATURE_BYTES} bytes")
    return f"{PREFIX}.{_b64(_canonical_json(fields))}.{_b64(signature)}"


def decode_payload(text: str) -> tuple[ReportQrFields, bytes]:
    """Parse a QR text into its fields and signature (the signature is NOT verified here).

    Surrounding whitespace (scanners often add a newline) is ignored; anything else that is
    not exactly what :func:`encode_payload` produces is rejected.

    Args:
        text: The scanned or typed QR text.

    Returns:
        The fields and the 64-byte signature.

    Raises:
        ValueError: The text is not a well-formed payload of this format.
    """
    if not isinstance(text, str) or len(text) > MAX_PAYLOAD_CHARS:
        raise ValueError("payload must be a string of at most 2048 characters")
    parts = text.strip().split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise ValueError("not a Credit Desk report payload (expected CDR1.<fields>.<signature>)")
    raw, signature = _unb64(parts[1]), _unb64(parts[2])
    if len(signature) != SIGNATURE_BYTES:
        raise ValueError("signature has the wrong length")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("fields are not UTF-8 JSON") from None
    if not isinstance(body, dict) or set(body) != set(_KEYS):
        raise ValueError("fields must be exactly the keys d, h, n, t, u")
    fields = ReportQrFields(**{name: body[short] for short, name in _KEYS.items()})
    if _canonical_json(fields) != raw:
        raise ValueError("fields are not in canonical form")
    return fields, signature


# --- number spaces ------------------------------------------------------------------------

REPORT_NUMBER_PREFIX = "XYBG"
"""信用报告 numbers: ``XYBG-<YYYYMMDD>-<device segment>-<NNNN>`` (the issuing device's space)."""

LETTER_COLLECTIONS: dict[str, tuple[str, ...]] = {
    "XS": ("repair_applications",),  # 信用修复申请受理回执
    "XJ": ("repair_applications",),  # 信用修复决定书 / 不予修复决定书
    # 信用修复承诺书: numbered after its commitment form, or after the application without one.
    "XC": ("commitments", "repair_applications"),
    "YS": ("objections",),  # 异议申请受理回执
    "YJ": ("objections",),  # 异议处理结果告知书
}
"""Letter prefixes and the collections whose record a letter of that prefix is numbered after."""

_REPORT_NUMBER = re.compile(rf"^{REPORT_NUMBER_PREFIX}-(\d{{8}})-([A-Z0-9_-]{{8}})-(\d{{4,8}})$")
_LETTER_NUMBER = re.compile(r"^(XS|XJ|XC|YS|YJ)-([A-Z0-9_.:-]{1,8})$")


@dataclass(frozen=True, slots=True)
class NumberSpace:
    """Whose number a report number is.

    Attributes:
        kind: ``report`` (a credit report) or ``letter`` (a repair/objection letter).
        prefix: ``XYBG``, or the letter's prefix (a key of :data:`LETTER_COLLECTIONS`).
        owner: The device segment (:func:`device_segment`) of a report; the record code (the
            first 8 characters of the record id, upper case) of a letter.
        day: ``YYYYMMDD`` printed in a report's number; empty for a letter.
    """

    kind: str
    prefix: str
    owner: str
    day: str = ""


def device_segment(device_id: str) -> str:
    """The part of a report number that names its device: the id's first 8 characters, upper."""
    return device_id[:8].upper()


def number_space(report_no: str) -> NumberSpace | None:
    """The number space a report number belongs to, or None when it is of no known form.

    Args:
        report_no: A printed number (``XYBG-20261204-0A1B2C3D-0001``, ``XS-5F0C2A9E`` …).
    """
    match = _REPORT_NUMBER.fullmatch(report_no)
    if match is not None:
        return NumberSpace("report", REPORT_NUMBER_PREFIX, match.group(2), match.group(1))
    match = _LETTER_NUMBER.fullmatch(report_no)
    if match is not None:
        return NumberSpace("letter", match.group(1), match.group(2))
    return None


# --- the public verification address ------------------------------------------------------

VERIFY_PATH = "/V"
"""Path prefix of a report's public verification page: ``<platform>/V/<number>/<check code>``.

Upper case, like the rest of the address :func:`verify_url` writes, so that the whole URL fits
the QR code's alphanumeric mode (denser than bytes). The platform answers ``/v/…`` as well.
"""
CHECK_CODE_CHARS = 10
"""Characters of a check code: 50 bits of SHA-256 over the signature, Crockford base32."""
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CROCKFORD_READ = str.maketrans({"I": "1", "L": "1", "O": "0"})
_CHECK_CODE = re.compile(rf"^[{_CROCKFORD}]{{{CHECK_CODE_CHARS}}}$")


def check_code(signature: bytes) -> str:
    """The check code printed in a report's address: ``ABCDE-FGHJK``.

    The first 50 bits of SHA-256 over the 64 signature bytes in Crockford base32 (digits and
    upper-case letters without I, L, O, U), grouped by five for typing. Only someone who saw
    the printed QR code (or the payload) knows it, so a number alone reveals nothing.

    Args:
        signature: The report's Ed25519 signature (64 bytes).

    Raises:
        ValueError: The signature is not 64 bytes.
    """
    if len(signature) != SIGNATURE_BYTES:
        raise ValueError(f"an Ed25519 signature is {SIGNATURE_BYTES} bytes")
    bits = int.from_bytes(hashlib.sha256(signature).digest()[:8], "big") >> (64 - 5 * 10)
    chars = [_CROCKFORD[(bits >> (5 * (CHECK_CODE_CHARS - 1 - i))) & 31] for i in range(10)]
    return "".join(chars[:5]) + "-" + "".join(chars[5:])


def normalize_check_code(text: str) -> str | None:
    """A typed check code in the form :func:`check_code` writes, or None when it cannot be one.

    Case, spaces and hyphens do not matter; ``I``/``L`` read as ``1`` and ``O`` as ``0`` (the
    usual Crockford mistakes when copying from paper).
    """
    if not isinstance(text, str) or len(text) > 40:
        return None
    compact = "".join(ch for ch in text.upper() if ch not in " -\t\r\n").translate(_CROCKFORD_READ)
    if not _CHECK_CODE.fullmatch(compact):
        return None
    return compact[:5] + "-" + compact[5:]


def verify_url(platform_url: str, report_no: str, signature: bytes) -> str:
    """The public verification address a report's QR code holds.

    ``HTTPS://CREDIT.EXAMPLE/V/XYBG-20261204-0A1B2C3D-0001/ABCDE-FGHJK`` (about 75 characters
    for a 22-character host): scheme and host are written in upper case (they are
    case-insensitive), the number is percent-encoded where it must be.

    Args:
        platform_url: The client's configured platform address (``https://…``; ``http://`` is
            accepted for a loopback development platform only).
        report_no: The report's number.
        signature: The report's signature (the check code is derived from it).

    Raises:
        ValueError: The platform address is not https (nor http on loopback).
    """
    parts = urllib.parse.urlsplit(platform_url.strip())
    host = (parts.hostname or "").lower()
    loopback = host in ("localhost", "127.0.0.1", "::1") or host.startswith("127.")
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValueError("the platform address is not an http(s) URL")
    if parts.scheme == "http" and not loopback:
        raise ValueError("a report's verification address must be https")
    prefix = f"{parts.scheme}://{parts.netloc}".upper() + parts.path.rstrip("/")
    number = urllib.parse.quote(report_no, safe="-_.:")
    return f"{prefix}{VERIFY_PATH}/{number}/{check_code(signature)}"


def parse_verify_url(text: str) -> tuple[str, str] | None:
    """The report number and check code of a scanned verification address, or None.

    Accepts what :func:`verify_url` writes, in any case for scheme, host and the ``/V/``
    segment, with surrounding whitespace (a scanner's Enter).

    Returns:
        ``(report_no, check code)``, the code normalised (:func:`normalize_check_code`).
    """
    if not isinstance(text, str) or len(text) > MAX_PAYLOAD_CHARS:
        return None
    parts = urllib.parse.urlsplit(text.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    segments = parts.path.split("/")
    if len(segments) < 4 or segments[-3].upper() != VERIFY_PATH.strip("/"):
        return None
    number = urllib.parse.unquote(segments[-2])
    code = normalize_check_code(segments[-1])
    if code is None or not 4 <= len(number) <= 64:
        return None
    if any(ch.isspace() or not ch.isprintable() for ch in number):
        return None
    return number, code
