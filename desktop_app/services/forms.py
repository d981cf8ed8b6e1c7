"""Client forms (commitments, education sessions, attendance …) as the window creates them.

A form is a row of ``form_records`` (its current fields as this device knows them) plus, for
every local change, an entry in the outbox written in the SAME transaction (sync invariant 1:
nothing is lost, a crash leaves both or neither). ``dirty`` marks local changes the platform
has not confirmed; a pull never overwrites them.

:class:`LocalForms` works inside the caller's session, so a use case can change several forms,
attachments and the audit log in one unit of work.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.records import record_type
from desktop_app.services.errors import ServiceError
from desktop_app.store.attachments import Attachments, AttachmentTooLargeError
from desktop_app.store.models import FormRecord, OutboxEntry
from desktop_app.store.outbox import UNSYNCED, Outbox

__all__ = ["REFERENCES", "LocalForms", "Reference", "load_fields", "new_record_id"]


@dataclass(frozen=True)
class Reference:
    """A form field that points at another form (the platform checks the same link).

    Attributes:
        field: The field holding the other form's record id.
        parent: The collection of the form pointed at.
        label: What the pointing form is, in Chinese (for messages).
        parent_label: What the form pointed at is, in Chinese.
    """

    field: str
    parent: str
    label: str
    parent_label: str


REFERENCES: Mapping[str, Reference] = {
    "attendance": Reference("session_id", "education_sessions", "签到记录", "培训场次"),
}
"""Collection → the link its forms hold: the platform refuses a form whose parent is gone
and a delete of a parent that forms still point at."""


def new_record_id() -> str:
    """A fresh record id (32 hex digits: valid for the protocol's ``RecordId``)."""
    return uuid.uuid4().hex


def load_fields(raw: str | None) -> dict[str, Any]:
    """A stored record's fields (JSON text); ``{}`` for anything that is not a JSON object."""
    try:
        value = json.loads(raw or "{}")
    except (TypeError, json.JSONDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


def _dumps(fields: dict[str, Any]) -> str:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True)


class LocalForms:
    """Create, change, delete and read client forms within one session."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, collection: str, record_id: str) -> dict[str, Any] | None:
        """The fields of a form, or None when it does not exist or was deleted."""
        form = self._s.get(FormRecord, (collection, record_id))
        if form is None or form.deleted:
            return None
        return load_fields(form.data)

    def require(self, collection: str, record_id: str, label: str) -> dict[str, Any]:
        """The fields of a form that must exist.

        Raises:
            ServiceError: It does not exist (the message names ``label``).
        """
        found = self.get(collection, record_id)
        if found is None:
            raise ServiceError.of("form.not_found", label=label)
        return found

    def create(self, collection: str, fields: dict[str, Any], record_id: str | None = None) -> str:
        """Save a new form and queue its ``create``.

        Returns:
            The record id.
        """
        record_id = record_id or new_record_id()
        if self._s.get(FormRecord, (collection, record_id)) is not None:
            raise ServiceError.of("form.exists")
        self._s.add(
            FormRecord(
                collection=collection,
                record_id=record_id,
                version=None,
                data=_dumps(fields),
                deleted=False,
                dirty=True,
            )
        )
        Outbox(self._s).add(collection, record_id, "create", dict(fields))
        return record_id

    def update(self, collection: str, record_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Change some fields and queue an ``update`` of just those fields.

        The update names the version this device last saw, so the platform can tell a change
        made elsewhere meanwhile (a field-level conflict) from a plain edit.

        Returns:
            The form's fields after the change.

        Raises:
            ServiceError: The form does not exist.
        """
        form = self._s.get(FormRecord, (collection, record_id))
        if form is None or form.deleted:
            raise ServiceError.of("form.update_missing")
        data = {**load_fields(form.data), **changes}
        form.data = _dumps(data)
        form.dirty = True
        Outbox(self._s).add(collection, record_id, "update", dict(changes), form.version)
        return data

    def delete(self, collection: str, record_id: str) -> None:
        """Delete a form and queue the tombstone.

        A form the platform never accepted (its create was refused and nothing of it is
        waiting to be sent) is dropped locally without a push: the platform has no such
        record, and a tombstone would only come back as a refusal.

        Raises:
            ServiceError: The form does not exist.
        """
        form = self._s.get(FormRecord, (collection, record_id))
        if form is None or form.deleted:
            raise ServiceError.of("form.delete_missing")
        form.deleted = True
        if form.version is None and not self._waiting(collection, record_id):
            form.dirty = False
            return
        form.dirty = True
        Outbox(self._s).add(collection, record_id, "delete", {}, form.version)

    def _waiting(self, collection: str, record_id: str) -> bool:
        # Any change of the record still to be sent (or sent and not yet answered): its
        # create may yet be accepted, so the delete must follow it to the platform.
        stmt = select(OutboxEntry.seq).where(
            OutboxEntry.collection == collection,
            OutboxEntry.record_id == record_id,
            OutboxEntry.status.in_(UNSYNCED),
        )
        return self._s.scalar(stmt.limit(1)) is not None

    def referrers(self, collection: str, record_id: str) -> tuple[int, str]:
        """How many live forms point at this one, and what they are (e.g. 签到记录)."""
        for child, ref in REFERENCES.items():
            if ref.parent != collection:
                continue
            kind = record_type(child)
            count = sum(
                1 for _, f in self.iter(child) if kind.read(f).value_of(ref.field) == record_id
            )
            if count:
                return count, ref.label
        return 0, ""

    def missing_parent(self, collection: str, fields: dict[str, Any]) -> Reference | None:
        """The link of a form whose parent form is not here (deleted or never known)."""
        ref = REFERENCES.get(collection)
        parent_id = record_type(collection).read(fields).value_of(ref.field) if ref else None
        if ref is None or self.get(ref.parent, str(parent_id)) is not None:
            return None
        return ref

    def iter(
        self, collection: str, where: Callable[[dict[str, Any]], bool] | None = None
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(record_id, fields)`` of the live forms of a collection, optionally filtered."""
        rows = self._s.execute(
            select(FormRecord.record_id, FormRecord.data).where(
                FormRecord.collection == collection, FormRecord.deleted.is_(False)
            )
        )
        for record_id, raw in rows:
            fields = load_fields(raw)
            if where is None or where(fields):
                yield record_id, fields

    def attach(
        self,
        collection: str,
        record_id: str,
        content: bytes,
        filename: str,
        mime_type: str,
    ) -> str:
        """Keep a file (scan, photo) in the encrypted store and cite it on the form.

        The form's ``attachments`` list gets the file's SHA-256; the next push uploads the
        bytes before the mutation that cites them.

        Returns:
            The SHA-256 of the content.

        Raises:
            ServiceError: The form does not exist, or the file is too large.
        """
        fields = self.require(collection, record_id, "记录")
        try:
            attachment = Attachments(self._s).add(
                content, filename, mime_type, collection, record_id
            )
        except AttachmentTooLargeError as exc:
            raise ServiceError(str(exc)) from None
        cited = record_type(collection).read(fields).cited_blobs()
        if attachment.sha256 not in cited:
            self.update(collection, record_id, {"attachments": [*cited, attachment.sha256]})
        return attachment.sha256
