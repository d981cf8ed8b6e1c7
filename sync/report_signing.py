"""Sign credit reports with this device's Ed25519 key (the key enrolled at login).

The services layer issues reports but may not import the sync layer; the composition root
hands it a :class:`DeviceReportSigner`, which implements
``desktop_app.services.reports.ReportSigner``.
"""

from __future__ import annotations

import threading
from datetime import datetime

from desktop_app.store.database import Store
from sync.credentials import DeviceIdentity
from sync.protocol.report_payload import (
    ReportQrFields,
    encode_payload,
    format_issued_at,
    signing_message,
)

__all__ = ["DeviceReportSigner"]


class DeviceReportSigner:
    """Signs the QR fields of a report with the device key kept in the encrypted store.

    Args:
        store: The open store holding the device identity (made on first use).
    """

    def __init__(self, store: Store) -> None:
        self._store = store
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
