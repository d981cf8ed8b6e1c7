"""The append-only, hash-chained audit log (seed 四(十五): information security).

Each row's hash covers its own content and the previous row's hash, and the newest hash and
row count are kept in ``sync_state``, so :func:`verify` finds an edited row, a deleted row in
the middle, and rows cut off the end. SQL triggers refuse UPDATE and DELETE on the table; the
chain catches whoever gets past them with the key.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.audit_chain import GENESIS, ChainEntry, ChainVerdict, entry_hash, walk
from desktop_app.store.models import AuditRecord, SyncState

_HEAD_KEY = "audit.head"


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_type: str = "",
    subject_id: str = "",
    details: dict[str, Any] | None = None,
) -> AuditRecord:
    """Append one row in the caller's transaction.

    Args:
        session: The unit of work the audited change belongs to.
        actor: Who did it (user name).
        action: What, as a dotted verb (``entity.viewed``).
        subject_type: Kind of thing acted on.
        subject_id: Its identifier.
        details: JSON-serialisable particulars.

    Returns:
        The new row.
    """
    details = details or {}
    head = session.get(SyncState, _HEAD_KEY)
    prev_hash = json.loads(head.value)["hash"] if head else GENESIS
    count = json.loads(head.value)["count"] if head else 0
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    digest = entry_hash(prev_hash, at, actor, action, subject_type, subject_id, details)
    row = AuditRecord(
        at=at,
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details,
        prev_hash=prev_hash,
        hash=digest,
    )
    session.add(row)
    value = json.dumps({"hash": digest, "count": count + 1})
    now = datetime.now(UTC).replace(tzinfo=None)
    if head:
        head.value = value
        head.updated_at = now
    else:
        session.add(SyncState(key=_HEAD_KEY, value=value, updated_at=now))
    session.flush()
    return row


AuditVerdict = ChainVerdict
"""Result of :func:`verify` (the shared chain's verdict)."""


def verify(session: Session) -> AuditVerdict:
    """Walk the whole chain and report every break.

    Returns:
        ``ok`` when every row's hash matches its content and its predecessor, and the chain's
        end matches the recorded head; otherwise the problems, in Chinese, by row id.
    """
    stmt = select(AuditRecord).order_by(AuditRecord.id).execution_options(yield_per=2000)
    entries = (
        ChainEntry(
            row.id,
            row.at,
            row.actor,
            row.action,
            row.subject_type,
            row.subject_id,
            row.details,
            row.prev_hash,
            row.hash,
        )
        for row in session.scalars(stmt)
    )
    head = session.get(SyncState, _HEAD_KEY)
    recorded = json.loads(head.value) if head is not None else None
    return walk(entries, (recorded["hash"], recorded["count"]) if recorded else None)


def count(session: Session) -> int:
    """Number of audit rows."""
    return int(session.scalar(select(func.count()).select_from(AuditRecord)) or 0)
