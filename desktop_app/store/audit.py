"""The append-only, hash-chained audit log (seed 四(十五): information security).

Each row's hash covers its own content and the previous row's hash, and the newest hash and
row count are kept in ``sync_state``, so :func:`verify` finds an edited row, a deleted row in
the middle, and rows cut off the end. SQL triggers refuse UPDATE and DELETE on the table; the
chain catches whoever gets past them with the key.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.store.models import AuditRecord, SyncState

GENESIS = "0" * 64
_HEAD_KEY = "audit.head"


def _digest(
    prev_hash: str,
    at: str,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    details: dict[str, Any],
) -> str:
    payload = json.dumps(
        [prev_hash, at, actor, action, subject_type, subject_id, details],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


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
    digest = _digest(prev_hash, at, actor, action, subject_type, subject_id, details)
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


@dataclass(frozen=True)
class AuditVerdict:
    """Result of :func:`verify`."""

    ok: bool
    rows: int
    problems: tuple[str, ...]


def verify(session: Session) -> AuditVerdict:
    """Walk the whole chain and report every break.

    Returns:
        ``ok`` when every row's hash matches its content and its predecessor, and the chain's
        end matches the recorded head; otherwise the problems, in Chinese, by row id.
    """
    problems: list[str] = []
    prev_hash = GENESIS
    rows = 0
    stmt = select(AuditRecord).order_by(AuditRecord.id).execution_options(yield_per=2000)
    for row in session.scalars(stmt):
        rows += 1
        if row.prev_hash != prev_hash:
            problems.append(f"第 {row.id} 条之前的记录被删除或改动（链接断开）。")
        expected = _digest(
            row.prev_hash,
            row.at,
            row.actor,
            row.action,
            row.subject_type,
            row.subject_id,
            row.details,
        )
        if row.hash != expected:
            problems.append(f"第 {row.id} 条记录的内容被改动。")
        prev_hash = row.hash
    head = session.get(SyncState, _HEAD_KEY)
    if head is not None:
        recorded = json.loads(head.value)
        if recorded["count"] != rows or recorded["hash"] != prev_hash:
            problems.append(
                f"日志应有 {recorded['count']} 条，实际 {rows} 条：末尾记录被删除或改动。"
            )
    elif rows:
        problems.append("日志头记录缺失。")
    return AuditVerdict(ok=not problems, rows=rows, problems=tuple(problems))


def count(session: Session) -> int:
    """Number of audit rows."""
    return int(session.scalar(select(func.count()).select_from(AuditRecord)) or 0)
