"""Writing records: every change gets a new change-sequence number (pull pages by it).

Used by the push handler for client forms and by draws, imports and the demo seed for
platform-owned reference data, so there is one way a record changes.

``records.field_versions`` holds, per field, the version that last changed it and, under the
reserved key ``"@by"`` (never a field name: field names are lower-case identifiers), the
device that wrote it (see :class:`FieldStamps`). The push handler uses both to tell a change
made by someone else since a mutation's ``base_version`` (a conflict) from the device's own
earlier queued edits (no conflict).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import event, insert, select, tuple_
from sqlalchemy.orm import Session, SessionTransaction

from platform_server.db import allocate_seq
from platform_server.models import Record
from platform_server.security import now


def dumps(value: Any) -> str:
    """Canonical JSON text (sorted keys, UTF-8, no spaces) as stored in ``records.data``."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def loads(text: str) -> Any:
    """Parse stored JSON text."""
    return orjson.loads(text)


WRITERS_KEY = "@by"


@dataclass
class FieldStamps:
    """Who last changed each field of a record, and in which version.

    Attributes:
        versions: Field → the version that last changed it.
        writers: Field → the device that wrote that version (absent: the platform itself, an
            import, or a record written before writers were kept).
    """

    versions: dict[str, int]
    writers: dict[str, str]

    @classmethod
    def parse(cls, text: str) -> FieldStamps:
        """Read ``records.field_versions``."""
        raw = loads(text or "{}")
        writers = raw.pop(WRITERS_KEY, None)
        return cls(
            {k: int(v) for k, v in raw.items()},
            dict(writers) if isinstance(writers, dict) else {},
        )

    def dumps(self) -> str:
        """The ``records.field_versions`` text."""
        out: dict[str, Any] = dict(self.versions)
        if self.writers:
            out[WRITERS_KEY] = self.writers
        return dumps(out)

    def stamp(self, name: str, version: int, device_id: str | None) -> None:
        """Record that ``device_id`` (None: the platform) changed ``name`` in ``version``."""
        self.versions[name] = version
        if device_id:
            self.writers[name] = device_id
        else:
            self.writers.pop(name, None)

    def changed_by_others(self, name: str, base: int, device_id: str | None) -> bool:
        """Whether someone other than ``device_id`` changed ``name`` after version ``base``.

        The device's own later writes do not count: its queued edits were all made on top of
        them, so building on them hides nothing from its user.
        """
        if self.versions.get(name, 0) <= base:
            return False
        return device_id is None or self.writers.get(name) != device_id


WRITES_KEY = "credit_desk.record_writes"


def writes(session: Session) -> int:
    """How many record writes this session has made (a push checks a step wrote nothing)."""
    return int(session.info.get(WRITES_KEY, 0))


def _wrote(session: Session) -> None:
    session.info[WRITES_KEY] = writes(session) + 1


LOCKED_KEY = "credit_desk.locked_records"
ABSENT_KEY = "credit_desk.absent_records"


def know_locked(
    session: Session, present: Iterable[tuple[str, str]], absent: Iterable[tuple[str, str]]
) -> None:
    """Note what a top-level ``FOR UPDATE`` prefetch found, so :func:`locked_record` skips queries.

    ``present``: keys whose rows this transaction now holds locked. ``absent``: keys that had
    no row (until this transaction inserts one). Only a read in the outermost transaction
    may be noted: a lock taken inside a savepoint ends with it. The notes end with the
    transaction.
    """
    session.info.setdefault(LOCKED_KEY, set()).update(present)
    session.info.setdefault(ABSENT_KEY, set()).update(absent)


def locked_record(session: Session, collection: str, record_id: str) -> Record | None:
    """The record under this key as it is now, its row locked until the transaction ends.

    Every write of a record reads it through here, so a change is always built on the latest
    committed version and no two transactions write the same version: on PostgreSQL the row
    is read ``FOR UPDATE`` (a concurrent writer of the same record waits for this
    transaction's end, then reads what it committed). A push does not hold the change
    counter's lock while it works (see :mod:`platform_server.db`), so this lock is what
    orders two writers of one record. Keys noted by :func:`know_locked` cost no lock query.
    SQLite serialises writers: a plain read does.
    """
    key = (collection, record_id)
    if key in session.info.get(ABSENT_KEY, ()):
        return None
    if key in session.info.get(LOCKED_KEY, ()):
        return session.get(Record, key)
    if session.get_bind().dialect.name == "postgresql":
        return session.get(Record, key, with_for_update=True, populate_existing=True)
    return session.get(Record, key)


@event.listens_for(Session, "after_transaction_end")
def _forget_notes(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(LOCKED_KEY, None)
        session.info.pop(ABSENT_KEY, None)


@dataclass(frozen=True)
class Scope:
    """Who may see a record (see ``scopes.py``)."""

    hall_id: str | None = None
    region_code: str | None = None
    entity_uscc: str | None = None


def put_record(
    session: Session,
    collection: str,
    record_id: str,
    fields: dict[str, Any],
    scope: Scope,
    *,
    user_id: int | None = None,
    device_id: str | None = None,
    replace: bool = False,
    known_absent: bool = False,
    flush: bool = True,
) -> Record:
    """Create a record, or merge ``fields`` into it, as one new version with a new ``seq``.

    Args:
        session: The caller's transaction.
        collection: Collection name.
        record_id: Record id.
        fields: Fields to set (merged into the current ones unless ``replace``).
        scope: Visibility columns.
        user_id: Account that made the change (client forms).
        device_id: Device that made the change (client forms): kept per changed field.
        replace: Replace all fields instead of merging (reference-data imports).
        known_absent: The caller has just established that no record has this key (saves a
            query per pushed create).
        flush: Write the row now. A push's creates leave it to the next flush, so a batch's
            new rows go to the database together (the ORM's next query or the commit
            flushes them).

    Returns:
        The record row after the change.
    """
    record = None if known_absent else locked_record(session, collection, record_id)
    seq = allocate_seq(session)
    _wrote(session)
    if record is None:
        absent = session.info.get(ABSENT_KEY)
        if absent is not None and (collection, record_id) in absent:
            absent.discard((collection, record_id))  # ours now (gone again if rolled back)
            session.info.setdefault(LOCKED_KEY, set()).add((collection, record_id))
        version = 1
        record = Record(
            collection=collection,
            record_id=record_id,
            version=version,
            seq=seq,
            deleted=False,
            data=dumps(fields),
            field_versions=FieldStamps(
                dict.fromkeys(fields, version),
                dict.fromkeys(fields, device_id) if device_id else {},
            ).dumps(),
            hall_id=scope.hall_id,
            region_code=scope.region_code,
            entity_uscc=scope.entity_uscc,
            created_by_user=user_id,
            created_by_device=device_id,
            updated_at=now(),
        )
        session.add(record)
        if flush:
            session.flush()
        return record
    current: dict[str, Any] = {} if replace else loads(record.data)
    stamps = FieldStamps.parse(record.field_versions)
    record.version += 1
    old = loads(record.data)
    for key, value in fields.items():
        if old.get(key) != value or key not in old:
            stamps.stamp(key, record.version, device_id)
        current[key] = value
    record.data = dumps(current)
    record.field_versions = stamps.dumps()
    record.seq = seq
    record.deleted = False
    record.hall_id = scope.hall_id if scope.hall_id is not None else record.hall_id
    record.region_code = scope.region_code if scope.region_code is not None else record.region_code
    record.entity_uscc = scope.entity_uscc if scope.entity_uscc is not None else record.entity_uscc
    record.updated_at = now()
    session.flush()
    return record


def delete_record(session: Session, record: Record) -> Record:
    """Turn ``record`` into a tombstone (new version, new ``seq``, fields cleared)."""
    locked = locked_record(session, record.collection, record.record_id)  # the latest version
    record = locked if locked is not None else record
    _wrote(session)
    record.version += 1
    record.seq = allocate_seq(session)
    record.deleted = True
    record.data = "{}"
    record.updated_at = now()
    session.flush()
    return record


def bulk_insert_new(
    session: Session, collection: str, rows: Sequence[tuple[str, dict[str, Any], Scope]]
) -> int:
    """Insert many new records at once (imports, demo seed); ids must not exist yet.

    Returns:
        Rows inserted.
    """
    if not rows:
        return 0
    first = allocate_seq(session, len(rows))
    _wrote(session)
    stamp = now()
    session.execute(
        insert(Record),
        [
            {
                "collection": collection,
                "record_id": record_id,
                "version": 1,
                "seq": first + i,
                "deleted": False,
                "data": dumps(fields),
                "field_versions": dumps(dict.fromkeys(fields, 1)),
                "hall_id": scope.hall_id,
                "region_code": scope.region_code,
                "entity_uscc": scope.entity_uscc,
                "created_by_user": None,
                "created_by_device": None,
                "updated_at": stamp,
            }
            for i, (record_id, fields, scope) in enumerate(rows)
        ],
    )
    return len(rows)


def touch(session: Session, keys: Iterable[tuple[str, str]]) -> int:
    """Give existing records new ``seq`` numbers without changing them.

    When a scope widens (an inspector is given a task), records that were already in the
    change log before the cursor the inspector holds must be delivered again; re-sequencing
    them is how. Receivers apply them idempotently (same version).

    Returns:
        Records touched.
    """
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return 0
    found = list(
        session.scalars(
            select(Record).where(tuple_(Record.collection, Record.record_id).in_(wanted))
        )
    )
    if not found:
        return 0
    first = allocate_seq(session, len(found))
    _wrote(session)
    for i, record in enumerate(sorted(found, key=lambda r: (r.collection, r.record_id))):
        record.seq = first + i
    session.flush()
    return len(found)
