"""The hash chain of an append-only audit log, one definition for the client and the platform.

Each entry's hash covers its own content and the previous entry's hash (:data:`GENESIS` for the
first), so whoever edits an entry, removes one from the middle, or cuts entries off the end
(checked against a separately kept head: the last hash and the count) is found by
:func:`walk`. The client's log (``desktop_app.store.audit``) and the platform's
(``platform_server.audit_log``) store rows differently but chain them with this one rule.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["GENESIS", "ChainEntry", "ChainVerdict", "entry_hash", "walk"]

GENESIS = "0" * 64
"""The previous hash of the first entry."""


def entry_hash(
    prev_hash: str,
    at: str,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    details: dict[str, Any],
) -> str:
    """SHA-256 hex over the canonical JSON of the entry and its predecessor's hash."""
    payload = json.dumps(
        [prev_hash, at, actor, action, subject_type, subject_id, details],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainEntry:
    """One stored entry as read back (``id`` is its position label in messages)."""

    id: int
    at: str
    actor: str
    action: str
    subject_type: str
    subject_id: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainVerdict:
    """Result of :func:`walk`: ``ok``, how many entries, and each break found (Chinese)."""

    ok: bool
    rows: int
    problems: tuple[str, ...]


def walk(entries: Iterable[ChainEntry], head: tuple[str, int] | None) -> ChainVerdict:
    """Check every link and content hash, then the end against the recorded head.

    Args:
        entries: The log in order.
        head: The recorded (last hash, count), or None when none was ever recorded.

    Returns:
        The verdict; every problem names the entry by its id.
    """
    problems: list[str] = []
    prev_hash = GENESIS
    rows = 0
    for row in entries:
        rows += 1
        if row.prev_hash != prev_hash:
            problems.append(f"第 {row.id} 条之前的记录被删除或改动（链接断开）。")
        expected = entry_hash(
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
    if head is not None:
        last, count = head
        if count != rows or last != prev_hash:
            problems.append(f"日志应有 {count} 条，实际 {rows} 条：末尾记录被删除或改动。")
    elif rows:
        problems.append("日志头记录缺失。")
    return ChainVerdict(ok=not problems, rows=rows, problems=tuple(problems))
