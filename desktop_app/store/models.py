"""ORM tables of the local store (SQLAlchemy 2.x declarative mapping).

The Alembic migrations in ``migrations/versions`` are the source of truth for the schema;
``tests/store/test_migrations.py`` checks that these classes and the migrated schema agree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every local table."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Entity(Base):
    """A market entity (市场主体) of the platform-owned registry, cached for offline lookup."""

    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(Text)
    legal_representative: Mapped[str] = mapped_column(Text, default="")
    # The 法定代表人's ID number, masked (first 6 and last 4); the 主要负责人 likewise (0007).
    legal_representative_id: Mapped[str] = mapped_column(Text, default="", server_default="")
    principal: Mapped[str] = mapped_column(Text, default="", server_default="")
    principal_id: Mapped[str] = mapped_column(Text, default="", server_default="")
    address: Mapped[str] = mapped_column(Text, default="")
    region_code: Mapped[str] = mapped_column(String(6), default="")
    industry: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(32), default="")
    # Internal risk grade for supervisors (A/B/C/D); never printed for the public.
    credit_grade: Mapped[str | None] = mapped_column(String(8), nullable=True)
    lists: Mapped[list[Any]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_entities_name", "name"),
        Index("ix_entities_legal_representative", "legal_representative"),
        Index("ix_entities_principal", "principal"),
    )


class EntityBigram(Base):
    """One pair of adjacent characters of an entity's name: the two-character search index.

    Written by triggers on ``entities`` (migration 0008), never by the ORM; the primary key
    (gram, entity id) answers a two-character query in id order.
    """

    __tablename__ = "entity_bigrams"

    gram: Mapped[str] = mapped_column(Text, primary_key=True)
    entity_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)

    __table_args__ = ({"sqlite_with_rowid": False},)


class OutboxEntry(Base):
    """A local change waiting to be pushed, written in the same transaction as the change.

    ``seq`` is the device's ``mutation_seq``: it only grows, so the platform can answer a
    resend with the stored result (sync invariant 2).
    """

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    collection: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(16))
    base_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    __table_args__ = (Index("ix_outbox_status_seq", "status", "seq"),)


class SyncState(Base):
    """A named sync cursor or marker (pull cursor per scope, device id, last success)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class AuditRecord(Base):
    """One append-only audit log row, chained to the previous row by hash."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(64), default="")
    subject_id: Mapped[str] = mapped_column(String(128), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AttachmentBlob(Base):
    """Content of an attachment, addressed by SHA-256, stored inside the encrypted database."""

    __tablename__ = "attachment_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Attachment(Base):
    """A file attached to a record (photo, scanned signed letter); content in the blob table."""

    __tablename__ = "attachments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("attachment_blobs.sha256"))
    filename: Mapped[str] = mapped_column(Text)
    mime_type: Mapped[str] = mapped_column(String(128))
    owner_type: Mapped[str] = mapped_column(String(64), default="")
    owner_id: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_attachments_owner", "owner_type", "owner_id"),)


class UsccOverride(Base):
    """A USCC accepted although its check digit fails, with the reason staff recorded.

    Some legal codes from early pilots fail the position-18 check (DOMAIN.md); staff may
    proceed, but the decision is kept, audited and pushed to the platform.
    """

    __tablename__ = "uscc_overrides"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18))
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ReferenceRecord(Base):
    """A cached record of a platform-owned collection other than ``entities`` (read-only here).

    Lists, credit grades, the commitment-item catalog, checklists, calendar overrides and
    inspection tasks arrive by pull; tombstones are kept (``deleted``) so a later page of the
    same pull cannot resurrect a record.
    """

    __tablename__ = "reference_records"

    collection: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[str] = mapped_column(Text, default="{}")
    # The record's ``uscc`` field, so an entity's licences, penalties and lists are found
    # by index (filled by the pull).
    entity_uscc: Mapped[str | None] = mapped_column(String(18), nullable=True)

    __table_args__ = (Index("ix_reference_records_entity", "entity_uscc", "collection"),)


class FormRecord(Base):
    """A client-created form (commitment, education session, finding, …) as this device knows it.

    ``version`` is the platform's version, None until the platform first accepted the form;
    ``dirty`` marks local changes not yet confirmed by a push, which a pull never overwrites.
    """

    __tablename__ = "form_records"

    collection: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    data: Mapped[str] = mapped_column(Text, default="{}")
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    dirty: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_form_records_dirty", "dirty"),)


class SyncConflict(Base):
    """A field both this device and the platform changed: the server value is current.

    The local value is kept here until the user resolves it in the Conflicts view (sync
    invariant 5: conflicts are visible, never silent).
    """

    __tablename__ = "conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    collection: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(128))
    local_value: Mapped[str] = mapped_column(Text)
    server_value: Mapped[str] = mapped_column(Text)
    base_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    server_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    resolution: Mapped[str | None] = mapped_column(String(32), nullable=True)

    __table_args__ = (Index("ix_conflicts_record", "collection", "record_id"),)


class SyncErrorRecord(Base):
    """Why the platform rejected one pushed mutation (kept per item; later ones still go)."""

    __tablename__ = "sync_errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    outbox_seq: Mapped[int] = mapped_column(Integer)
    collection: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_sync_errors_seq", "outbox_seq"),)


class SyncRun(Base):
    """One sync run as the 同步 page lists it: when, how it ended, and what it moved."""

    __tablename__ = "sync_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime] = mapped_column(DateTime)
    # ``ok``, ``failed`` or ``cancelled``.
    outcome: Mapped[str] = mapped_column(String(16))
    pushed: Mapped[int] = mapped_column(Integer, default=0)
    pulled: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_sync_runs_finished", "finished_at"),)


class IssuedReport(Base):
    """A report this device issued: the exact document, for the 已出具报告 list and reprints.

    ``document`` is the canonical JSON of the document model including its QR payload, so a
    reprint draws exactly the same report. ``registered_at`` is set once the platform has
    registered the report; ``register_error`` keeps the platform's refusal, if any.
    """

    __tablename__ = "issued_reports"

    report_no: Mapped[str] = mapped_column(String(64), primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(32))
    uscc: Mapped[str] = mapped_column(String(18))
    entity_name: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(Text)
    document: Mapped[str] = mapped_column(Text)
    content_digest: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    device_id: Mapped[str] = mapped_column(String(64))
    registered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    register_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    reprints: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (
        Index("ix_issued_reports_issued_at", "issued_at"),
        Index("ix_issued_reports_uscc", "uscc"),
    )


class FormDraft(Base):
    """What was typed into a form and not saved yet, kept so that a crash loses nothing.

    ``key`` names the form slot (one per form, e.g. ``commitment.new``); ``data`` is the
    JSON of its fields; ``label`` says in words what the draft is, for the restore prompt.
    """

    __tablename__ = "drafts"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    data: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
