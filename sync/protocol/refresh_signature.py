"""The refresh signature: what a device signs with its enrolled key to renew its tokens.

One definition for the client (``sync.transport``) and the platform
(``platform_server.security``): four lines joined by a line feed — the context, the SHA-256
(hex) of the refresh token, the device id and the Unix time in seconds — signed with Ed25519
and sent as ``X-Device-Signature`` (base64) with ``X-Device-Timestamp``.
"""

from __future__ import annotations

import hashlib

__all__ = [
    "REFRESH_SIGNATURE_CONTEXT",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "refresh_signing_message",
]

SIGNATURE_HEADER = "X-Device-Signature"
TIMESTAMP_HEADER = "X-Device-Timestamp"
REFRESH_SIGNATURE_CONTEXT = b"credit-desk refresh v1"
"""The first line of a signed refresh (keeps the signature from meaning anything else)."""


def refresh_signing_message(refresh_token: str, device_id: str, timestamp: int) -> bytes:
    """What the device key signs to spend ``refresh_token`` at ``timestamp`` (Unix seconds)."""
    digest = hashlib.sha256(refresh_token.encode()).hexdigest()
    return b"\n".join(
        (REFRESH_SIGNATURE_CONTEXT, digest.encode(), device_id.encode(), str(timestamp).encode())
    )
