"""Is there a newer client? ``GET /v1/client/latest``, checked against the pinned release keys.

The platform serves the manifest the release manager signed offline
(:mod:`sync.protocol.release_manifest`); this client believes it only when its signature
verifies with a release public key **pinned in the build** (``resources/release-keys/*.pub``,
several so keys can be rotated) — never a key the platform names or serves. A manifest that
is malformed, signed by another key, changed after signing, or not newer than the running
client is ignored; the first three are logged as a warning (no personal data: the reason, the
key id and the version). Nothing is downloaded or installed: the UI only shows the notice
(:mod:`ui.update_notice`).

Tests trust their own key with :func:`trusting`; there is no setting, file or answer of the
platform that adds a trusted key.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from desktop_app import __version__
from desktop_app.config import resources_dir
from sync.protocol.release_manifest import (
    ManifestError,
    ReleaseManifest,
    decode,
    is_newer,
    load_public_key,
    verify,
)
from sync.transport import Transport

__all__ = [
    "PATH",
    "CheckOutcome",
    "UpdateCheck",
    "check_for_update",
    "evaluate",
    "fetch_latest",
    "pinned_keys",
    "trusted_keys",
    "trusting",
]

log = logging.getLogger(__name__)

PATH = "/v1/client/latest"
KEYS_FOLDER = "release-keys"

_test_keys: tuple[bytes, ...] | None = None
"""Set only by :func:`trusting` (tests); None: the pinned keys."""


class CheckOutcome(Enum):
    """What one check found."""

    NEWER = "newer"
    """A genuine manifest of a later version: offer it."""
    CURRENT = "current"
    """A genuine manifest, not newer than this client."""
    NONE = "none"
    """The platform has published no release."""
    IGNORED = "ignored"
    """A manifest that is malformed or not signed by a pinned key (logged)."""


@dataclass(frozen=True, slots=True)
class UpdateCheck:
    """The result of a check: the outcome, and the manifest to offer when it is NEWER."""

    outcome: CheckOutcome
    manifest: ReleaseManifest | None = None


def pinned_keys(folder: Path | None = None) -> tuple[bytes, ...]:
    """The release public keys of this build (``resources/release-keys/*.pub``).

    A file that is not an Ed25519 public key is skipped with an error in the log.
    """
    folder = folder if folder is not None else resources_dir() / KEYS_FOLDER
    keys: list[bytes] = []
    for path in sorted(folder.glob("*.pub")):
        try:
            keys.append(load_public_key(path.read_bytes()))
        except (OSError, ManifestError) as exc:
            log.error("release key file %s is unusable, skipped: %s", path.name, exc)
    return tuple(keys)


def trusted_keys() -> tuple[bytes, ...]:
    """The keys a manifest must be signed with: the pinned ones (or a test's, see below)."""
    return _test_keys if _test_keys is not None else pinned_keys()


@contextmanager
def trusting(keys: Iterable[bytes]) -> Iterator[None]:
    """Tests only: trust exactly ``keys`` (raw 32-byte public keys) instead of the pinned ones."""
    global _test_keys
    before, _test_keys = _test_keys, tuple(keys)
    try:
        yield
    finally:
        _test_keys = before


def evaluate(
    data: bytes | str | Mapping[str, Any], current: str, keys: Iterable[bytes]
) -> UpdateCheck:
    """Judge a manifest: NEWER (with it), CURRENT, or IGNORED (logged as a warning)."""
    try:
        manifest = decode(data)
        verify(manifest, keys)
    except ManifestError as exc:
        log.warning("client release manifest ignored: %s", exc)
        return UpdateCheck(CheckOutcome.IGNORED)
    if not is_newer(manifest.version, current):
        return UpdateCheck(CheckOutcome.CURRENT)
    return UpdateCheck(CheckOutcome.NEWER, manifest)


def fetch_latest(transport: Transport) -> bytes | None:
    """The platform's published manifest (raw), or None when it has none (204).

    Raises:
        sync.errors.SyncError: Offline, or the platform failed.
    """
    resp = transport.request("GET", PATH, auth=False)
    return None if resp.status_code == 204 else resp.content


def check_for_update(
    transport: Transport, current: str = __version__, keys: Iterable[bytes] | None = None
) -> UpdateCheck:
    """Ask the platform for the newest release and judge it against the trusted keys.

    Args:
        transport: A transport to the platform (the request needs no login).
        current: This client's version.
        keys: Trusted release keys; default :func:`trusted_keys`.

    Raises:
        sync.errors.SyncError: Offline, or the platform failed (nothing was judged).
    """
    data = fetch_latest(transport)
    if data is None:
        return UpdateCheck(CheckOutcome.NONE)
    trusted = tuple(keys) if keys is not None else trusted_keys()
    if not trusted:
        log.warning("client release manifest ignored: this build pins no release key")
        return UpdateCheck(CheckOutcome.IGNORED)
    return evaluate(data, current, trusted)
