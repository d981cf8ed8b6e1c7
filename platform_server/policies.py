"""Credit policy as platform data: set (checked, versioned, audit-logged), read, history.

The policies themselves — list measures, the 容缺受理 threshold, the grade scale with its
sampling rates — and their one parser are :mod:`desktop_app.domain.policy`. Here the platform
keeps them: the policy in force is the ``policies`` record named after it (platform-owned,
reference data every device pulls, so a change reaches every window at its next sync without a
client release), and every revision is appended to ``policy_revisions`` with who, when and
why. A change of the ``tolerance`` policy re-derives the standing entries of the public credit
record in the same transaction (:func:`platform_server.credit_projection.refresh_standing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.policy import (
    DEFAULT_CONTENT,
    POLICY_NAMES,
    TOLERANCE,
    check_policy,
    policy_from_records,
)
from platform_server import audit_log
from platform_server.credit_projection import POLICIES, refresh_standing
from platform_server.models import PolicyRevision, Record
from platform_server.records import Scope, dumps, loads, put_record
from platform_server.security import now

__all__ = ["PolicyChange", "policy_state", "revisions", "set_policy"]


@dataclass(frozen=True)
class PolicyChange:
    """The outcome of :func:`set_policy`."""

    name: str
    revision: int
    standing_changed: int


def policy_state(session: Session) -> list[dict[str, Any]]:
    """Every policy as in force: stored ones as stored, the others as their defaults."""
    stored = {
        r.record_id: loads(r.data)
        for r in session.scalars(
            select(Record).where(Record.collection == POLICIES, Record.deleted.is_(False))
        )
    }
    out = []
    for name in POLICY_NAMES:
        record = stored.get(name)
        if record is None:
            record = {"name": name, "revision": 0, "content": dict(DEFAULT_CONTENT[name])}
        out.append(record)
    return out


def set_policy(
    session: Session, name: str, content: Any, changed_by: str, note: str = ""
) -> PolicyChange:
    """Check and store a new revision of policy ``name``.

    Args:
        session: The caller's write transaction.
        name: One of :data:`desktop_app.domain.policy.POLICY_NAMES`.
        content: The policy's JSON object.
        changed_by: The administrator's account name (from the login, never the request).
        note: Why it changed (kept with the revision).

    Raises:
        desktop_app.domain.policy.PolicyInvalid: Unknown policy or malformed content.
    """
    checked = check_policy(name, content)
    last = session.scalar(
        select(func.max(PolicyRevision.revision)).where(PolicyRevision.name == name)
    )
    revision = int(last or 0) + 1
    at = now()
    session.add(
        PolicyRevision(
            name=name,
            revision=revision,
            content=dumps(checked),
            changed_by=changed_by,
            changed_at=at,
            note=note.strip(),
        )
    )
    fields = {
        "name": name,
        "revision": revision,
        "content": checked,
        "changed_by": changed_by,
        "changed_at": at.replace(tzinfo=UTC).isoformat(),
        "note": note.strip(),
    }
    put_record(session, POLICIES, name, fields, Scope(), replace=True)
    audit_log.append(
        session,
        actor=changed_by,
        action="policy.set",
        subject_type=POLICIES,
        subject_id=name,
        details={"revision": revision, "note": note.strip()},
    )
    changed = 0
    if name == TOLERANCE:
        policy = policy_from_records(policy_state(session))
        changed = refresh_standing(session, policy=policy)
    return PolicyChange(name, revision, changed)


def revisions(session: Session, name: str) -> list[dict[str, Any]]:
    """The revisions of policy ``name``, newest first (the audit log)."""
    rows = session.scalars(
        select(PolicyRevision)
        .where(PolicyRevision.name == name)
        .order_by(PolicyRevision.revision.desc())
    )
    return [
        {
            "name": r.name,
            "revision": r.revision,
            "content": loads(r.content),
            "changed_by": r.changed_by,
            "changed_at": r.changed_at.replace(tzinfo=UTC).isoformat(),
            "note": r.note,
        }
        for r in rows
    ]
