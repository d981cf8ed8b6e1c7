"""Test helpers: local forms written with their outbox entry in one transaction.

A real form-creation service comes with a later issue; until then these do what it will do.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from desktop_app.store.database import Store
from desktop_app.store.models import FormRecord, OutboxEntry
from desktop_app.store.outbox import Outbox


def create_form(store: Store, collection: str, record_id: str, fields: dict[str, Any]) -> int:
    """Create a local form and queue its ``create``; returns the outbox seq."""
    with store.write() as s:
        s.add(
            FormRecord(
                collection=collection,
                record_id=record_id,
                version=None,
                data=json.dumps(fields, ensure_ascii=False),
                deleted=False,
                dirty=True,
            )
        )
        return Outbox(s).add(collection, record_id, "create", fields).seq


def edit_form(store: Store, collection: str, record_id: str, changes: dict[str, Any]) -> int:
    """Change fields of a local form and queue the ``update`` on its known version."""
    with store.write() as s:
        form = s.get(FormRecord, (collection, record_id))
        assert form is not None
        form.data = json.dumps({**json.loads(form.data), **changes}, ensure_ascii=False)
        form.dirty = True
        return Outbox(s).add(collection, record_id, "update", changes, form.version).seq


def outbox_status(store: Store, seq: int) -> str:
    """The status of one outbox entry."""
    with store.read() as s:
        entry = s.get(OutboxEntry, seq)
        assert entry is not None
        return entry.status


def server_count(db_path: Path, sql: str, *params: Any) -> int:
    """A ``SELECT count(*)`` on the platform's own SQLite database (read-only)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return int(conn.execute(sql, params).fetchone()[0])
    finally:
        conn.close()
