"""Register issued credit reports with the platform (a step of every sync).

A report issued offline is valid at once (its QR code is signed by the device key); the
platform learns of it at the next sync, so a second, different report under the same number is
caught. Registration is idempotent: the platform answers 200 for a payload it already holds, so
a registration whose answer was lost is simply sent again.

A refusal that concerns one report (a different report already under that number, a payload
the platform cannot read, a number not in this device's or hall's number space, a report past
the platform's offline registration window) is kept on the report (``register_error``, shown
in the 已出具报告 list) and the sync goes on. A letter whose application has not reached the
platform yet (``record_missing``) stays pending and is sent again at the next sync. Anything
else (offline, login, server trouble) ends the sync like any other request, and the report is
sent again next time.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

from sqlalchemy import select

from desktop_app.store.database import Store
from desktop_app.store.models import IssuedReport
from sync.errors import Cancelled, ProtocolError, ServerError
from sync.events import EventSink, SyncEvent, SyncReport
from sync.protocol import ReasonCode, ReportRegistration, ReportVerifyResult
from sync.transport import Transport

log = logging.getLogger(__name__)

REPORTS_PATH = "/v1/reports"
PER_REPORT_REFUSALS = frozenset(
    {
        ReasonCode.REPORT_CONFLICT.value,
        ReasonCode.PAYLOAD_INVALID.value,
        ReasonCode.SIGNATURE_INVALID.value,
        ReasonCode.NUMBER_NOT_OWNED.value,
        ReasonCode.REGISTRATION_LATE.value,
    }
)
IN_PLATFORM_WORDS = frozenset(
    {
        ReasonCode.REPORT_CONFLICT.value,
        ReasonCode.NUMBER_NOT_OWNED.value,
        ReasonCode.REGISTRATION_LATE.value,
    }
)
"""Refusals whose Chinese message is what the user reads on the report."""

__all__ = ["REPORTS_PATH", "register_reports"]


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def register_reports(
    store: Store,
    transport: Transport,
    report: SyncReport,
    *,
    cancel: threading.Event,
    emit: EventSink,
) -> None:
    """Send every issued report the platform has not registered yet.

    Raises:
        Cancelled: ``cancel`` was set (registered reports stay registered).
        SyncError: The platform could not be reached or refused the login.
    """
    with store.read() as s:
        pending = [
            (r.report_no, r.payload)
            for r in s.scalars(
                select(IssuedReport)
                .where(IssuedReport.registered_at.is_(None), IssuedReport.register_error.is_(None))
                .order_by(IssuedReport.issued_at)
            )
        ]
    for done, (report_no, payload) in enumerate(pending):
        if cancel.is_set():
            raise Cancelled("cancelled while registering reports")
        emit(SyncEvent("reports", done, len(pending), 0))
        body = ReportRegistration(report_no=report_no, payload=payload)
        error: str | None = None
        try:
            resp = transport.request("POST", REPORTS_PATH, json=body.model_dump(mode="json"))
            transport.parse(resp, ReportVerifyResult)
        except (ProtocolError, ServerError) as exc:
            if exc.code == ReasonCode.RECORD_MISSING:  # the letter's application comes first
                log.info("report %s waits for its record to reach the platform", report_no)
                continue
            if exc.code not in PER_REPORT_REFUSALS:
                raise
            error = exc.user_message if exc.code in IN_PLATFORM_WORDS else str(exc)
            log.warning("platform refused report %s: %s", report_no, exc)
        with store.write() as s:
            row = s.get(IssuedReport, report_no)
            if row is not None:
                if error is None:
                    row.registered_at = _now()
                    row.register_error = None
                    report.reports_registered += 1
                else:
                    row.register_error = error
    if pending:
        emit(SyncEvent("reports", len(pending), len(pending), 0))
