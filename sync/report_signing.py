"""Sign credit reports with this device's Ed25519 key (the key enrolled at login).

The services layer issues reports but may not import the sync layer; the composition root
hands it a :class:`DeviceReportSigner`, which implements
``desktop_app.services.reports.ReportSigner``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from desktop_app.store.database import Store
from sync.credentials import DeviceIdentity
from sync.protocol.report_payload import (
    ReportQrFields,
    decode_payload,
    encode_payload,
    format_issued_at,
    signing_message,
    verify_url,
)

log = logging.getLogger(__name__)

__all__ = ["DeviceReportSigner"]


class DeviceReportSigner:
    """Signs the QR fields of a report with the device key kept in the encrypted store.

    Args:
        store: The open store holding the device identity (made on first use).
        platform_url: The configured platform address, asked at each issue; a report's QR code
            then holds its public verification address on that platform
            (:meth:`verify_address`), else the signed payload itself.
    """

    def __init__(self, store: Store, platform_url: Callable[[], str | None] | None = None) -> None:
        self._store = store
        self._platform_url = platform_url
        self._identity: DeviceIdentity | None = None
        self._lock = threading.Lock()

    def _load(self) -> DeviceIdentity:
        with self._lock:
            if self._identity is None:
                self._identity = DeviceIdentity.load_or_create(self._store)
            return self._identity

    def device_id(self) -> str:
        """This device's id (loads, or on first use makes and saves, the identity)."""
        return self._load().device_id

    def sign_report(self, report_no: str, uscc: str, issued_at: datetime, digest: str) -> str:
        """The QR payload ``CDR1.<fields>.<signature>`` for a report.

        Args:
            report_no: The report number.
            uscc: The entity's code.
            issued_at: Issue time (aware, or naive UTC).
            digest: SHA-256 hex of the report content.

        Raises:
            ValueError: A field is malformed (see :class:`ReportQrFields`).
        """
        identity = self._load()
        fields = ReportQrFields(
            report_no=report_no,
            uscc=uscc,
            issued_at=format_issued_at(issued_at),
            content_digest=digest,
            device_id=identity.device_id,
        )
        signature = identity.private_key.sign(signing_message(fields))
        return encode_payload(fields, signature)

    def verify_address(self, payload: str) -> str | None:
        """The public verification address of a signed report, or None without a platform.

        ``HTTPS://<platform>/V/<number>/<check code>`` (see
        :func:`sync.protocol.report_payload.verify_url`). None when no platform address is
        configured or it is not usable for printing (plain http off loopback): the QR code then
        holds the signed payload, as before issue #19.

        Args:
            payload: The report's signed payload (:meth:`sign_report`).
        """
        base = (self._platform_url() if self._platform_url is not None else None) or ""
        if not base.strip():
            return None
        fields, signature = decode_payload(payload)
        try:
            return verify_url(base, fields.report_no, signature)
        except ValueError as exc:
            log.warning("report QR keeps the signed payload: %s", exc)
            return None
