"""Typed records out of the store: forms and pulled reference data as their definitions.

The store keeps every synced record as JSON text (``form_records`` for client forms,
``reference_records`` for platform data). :class:`FormRepository` reads them back as the
typed records of :mod:`desktop_app.domain.records`, leniently (a value that does not fit its
field is dropped rather than hiding the record), so services work with attributes, not field
dictionaries. Writing goes through :class:`desktop_app.services.forms.LocalForms`, which
queues the outbox entry in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.records import RecordModel
from desktop_app.store.models import FormRecord, ReferenceRecord

__all__ = ["FormRepository", "Stored", "load_json"]

R = TypeVar("R", bound=RecordModel)


def load_json(raw: str | None) -> dict[str, Any]:
    """A stored record's fields (JSON text); ``{}`` for anything that is not a JSON object."""
    try:
        value = json.loads(raw or "{}")
    except (TypeError, json.JSONDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class Stored(Generic[R]):
    """A typed record with what the store knows about it.

    Attributes:
        record_id: The record's id.
        record: The record, typed.
        dirty: It has local changes the platform has not confirmed.
        version: The platform's version (None: never accepted by the platform).
    """

    record_id: str
    record: R
    dirty: bool = False
    version: int | None = None

    @property
    def confirmed(self) -> bool:
        """Whether the platform has accepted the record at least once."""
        return self.version is not None

    @property
    def synced(self) -> bool:
        """Whether the platform holds exactly this state."""
        return not self.dirty and self.version is not None


class FormRepository:
    """Read typed records within the caller's session.

    Args:
        session: An open store session.
    """

    def __init__(self, session: Session) -> None:
        self._s = session

    # -- client forms -------------------------------------------------------------------

    def get(self, kind: type[R], record_id: str) -> Stored[R] | None:
        """A form of collection ``kind``, or None when missing or deleted."""
        row = self._s.get(FormRecord, (kind.COLLECTION, record_id))
        if row is None or row.deleted:
            return None
        return Stored(record_id, kind.read(load_json(row.data)), bool(row.dirty), row.version)

    def find(self, kind: type[R], **where: str) -> list[Stored[R]]:
        """Live forms of ``kind`` whose fields equal ``where`` (e.g. ``result_id=…``)."""
        stmt = select(
            FormRecord.record_id, FormRecord.data, FormRecord.dirty, FormRecord.version
        ).where(FormRecord.collection == kind.COLLECTION, FormRecord.deleted.is_(False))
        for name, value in where.items():
            stmt = stmt.where(func.json_extract(FormRecord.data, f"$.{name}") == value)
        return [
            Stored(rid, kind.read(load_json(data)), bool(dirty), version)
            for rid, data, dirty, version in self._s.execute(stmt)
        ]

    # -- platform data ------------------------------------------------------------------

    def reference(self, kind: type[R], record_id: str) -> R | None:
        """A pulled platform record, or None when missing or deleted."""
        row = self._s.get(ReferenceRecord, (kind.COLLECTION, record_id))
        if row is None or row.deleted:
            return None
        return kind.read(load_json(row.data))

    def references(self, kind: type[R], *, uscc: str | None = None) -> Iterator[Stored[R]]:
        """Live platform records of ``kind`` (of one entity when ``uscc`` is given)."""
        stmt = select(
            ReferenceRecord.record_id, ReferenceRecord.data, ReferenceRecord.version
        ).where(ReferenceRecord.collection == kind.COLLECTION, ReferenceRecord.deleted.is_(False))
        if uscc is not None:
            stmt = stmt.where(ReferenceRecord.entity_uscc == uscc)
        for record_id, data, version in self._s.execute(stmt):
            yield Stored(record_id, kind.read(load_json(data)), False, version)
