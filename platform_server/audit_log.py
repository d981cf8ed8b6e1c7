"""The platform's tamper-evident audit log: who did what, when, to which record, with what outcome.

Rows are chained with the one rule the client's log uses too
(:mod:`desktop_app.domain.audit_chain`); the head (last hash and count) is the ``meta`` row
``audit.head``, read ``FOR UPDATE`` by every append, so concurrent appends on PostgreSQL queue
on it and the chain never forks (SQLite serialises writers anyway). An append joins the
caller's transaction: the audited change and its row commit or roll back together.

``credit-platform audit verify`` walks the chain; ``credit-platform audit list`` shows it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.audit_chain import GENESIS, ChainEntry, ChainVerdict, entry_hash, walk
from platform_server.models import AuditEntry, Meta

__all__ = ["SYSTEM_ACTOR", "append", "entries", "verify"]

HEAD_KEY = "audit.head"
SYSTEM_ACTOR = "platform"
"""The actor of what the platform does by itself (the expiry job)."""


def _details(raw: str) -> dict[str, Any]:
    value = json.loads(raw)
    return value if isinstance(value, dict) else {}


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_type: str = "",
    subject_id: str = "",
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Append one row in the caller's transaction.

    Args:
        session: The write transaction of the audited change.
        actor: The authenticated account (or :data:`SYSTEM_ACTOR`).
        action: A dotted verb, e.g. ``repair.decided``.
        subject_type: The collection or kind of thing acted on.
        subject_id: Its id.
        details: JSON-serialisable particulars (the outcome, reasons, counts).
        at: When (the platform's clock; default now, UTC).

    Returns:
        The new row (flushed).
    """
    details = details or {}
    head = session.scalars(select(Meta).where(Meta.key == HEAD_KEY).with_for_update()).first()
    prev_hash, count = GENESIS, 0
    if head is not None:
        state = json.loads(head.value)
        prev_hash, count = str(state["hash"]), int(state["count"])
    moment = (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="microseconds")
    digest = entry_hash(prev_hash, moment, actor, action, subject_type, subject_id, details)
    row = AuditEntry(
        at=moment,
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        details=json.dumps(details, ensure_ascii=False, sort_keys=True),
        prev_hash=prev_hash,
        hash=digest,
    )
    session.add(row)
    value = json.dumps({"hash": digest, "count": count + 1})
    if head is None:
        session.add(Meta(key=HEAD_KEY, value=value))
    else:
        head.value = value
    session.flush()
    return row


def _chain(session: Session) -> Iterator[ChainEntry]:
    stmt = select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=2000)
    for row in session.scalars(stmt):
        yield ChainEntry(
            row.id,
            row.at,
            row.actor,
            row.action,
            row.subject_type,
            row.subject_id,
            _details(row.details),
            row.prev_hash,
            row.hash,
        )


def verify(session: Session) -> ChainVerdict:
    """Walk the whole log: ``ok``, the row count, and every break found (Chinese, by row id)."""
    head = session.get(Meta, HEAD_KEY)
    recorded = None
    if head is not None:
        state = json.loads(head.value)
        recorded = (str(state["hash"]), int(state["count"]))
    return walk(_chain(session), recorded)


def entries(
    session: Session,
    *,
    subject_type: str | None = None,
    subject_id: str | None = None,
    limit: int = 100,
) -> Sequence[ChainEntry]:
    """The newest ``limit`` rows, newest first, optionally of one subject."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if subject_type:
        stmt = stmt.where(AuditEntry.subject_type == subject_type)
    if subject_id:
        stmt = stmt.where(AuditEntry.subject_id == subject_id)
    return [
        ChainEntry(
            row.id,
            row.at,
            row.actor,
            row.action,
            row.subject_type,
            row.subject_id,
            _details(row.details),
            row.prev_hash,
            row.hash,
        )
        for row in session.scalars(stmt)
    ]
