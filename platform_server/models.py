"""Tables of the platform. Alembic migrations in ``migrations/versions`` create them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the platform's tables."""


class Counter(Base):
    """Named counters; ``change_seq`` orders every record change (see ``db.allocate_seq``)."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class Meta(Base):
    """Instance facts: ``epoch`` (changes when cursors must reset), ``min_seq``."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Hall(Base):
    """A service hall (政务服务大厅) in a region."""

    __tablename__ = "halls"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    region_code: Mapped[str] = mapped_column(String(6))


class User(Base):
    """A platform account. ``hall_id`` for window staff; ``region_code`` for everyone but admins."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(Text)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    hall_id: Mapped[str | None] = mapped_column(ForeignKey("halls.id"), nullable=True)
    region_code: Mapped[str | None] = mapped_column(String(6), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Device(Base):
    """An enrolled client device with its Ed25519 public key."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    name: Mapped[str] = mapped_column(Text, default="")
    enrolled_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Token(Base):
    """An issued bearer token, kept only as its SHA-256.

    ``parent_hash`` is the digest of the refresh token whose spending issued this token (None
    for a login): it finds the pair a refresh issued, to retire it when the client never saw
    it and presents the spent token again within the grace period (see ``routers.auth``).
    """

    __tablename__ = "tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # access | refresh
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    spent_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    parent_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (
        Index("ix_tokens_device", "device_id"),
        Index("ix_tokens_parent", "parent_hash"),
    )


class LoginFailure(Base):
    """Login attempts of one account from one source (the rate limit; migration 0006).

    One row per ``(username, source)``; ``source`` is the client address, taken from
    ``X-Forwarded-For`` only when the peer is a configured proxy. ``failures`` counts the
    attempts of the current window that were not successful, including those still being
    checked: an attempt takes its place by an atomic conditional ``UPDATE`` before the password
    is verified (:func:`platform_server.security.begin_login_attempt`), so parallel requests
    cannot all pass the limit. ``locked_until`` is set when the limit is reached;
    ``last_success_at`` marks a source the account's owner logged in from (it stays open when
    the account as a whole is under attack from elsewhere).
    """

    __tablename__ = "login_failures"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    last_success_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    __table_args__ = (Index("ix_login_failures_window", "window_start"),)


class Record(Base):
    """The current state of one synced record of any collection.

    ``seq`` is the change sequence number of its latest change (pull pages by it); ``data``
    is the record's fields as canonical JSON text, served without re-parsing;
    ``field_versions`` maps each field to the version that last changed it, which is how a
    push decides field by field whether an edit conflicts. The scope columns say who may
    see the record.
    """

    __tablename__ = "records"

    collection: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[str] = mapped_column(Text)
    field_versions: Mapped[str] = mapped_column(Text, default="{}")
    hall_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    region_code: Mapped[str | None] = mapped_column(String(6), nullable=True)
    entity_uscc: Mapped[str | None] = mapped_column(String(18), nullable=True)
    created_by_user: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_by_device: Mapped[str | None] = mapped_column(String(64), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    __table_args__ = (
        Index("ix_records_entity", "entity_uscc"),
        Index("ix_records_collection_seq", "collection", "seq"),
    )


class TaskAssignment(Base):
    """Which inspector holds which inspection task (drives inspector scopes)."""

    __tablename__ = "task_assignments"

    task_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    entity_uscc: Mapped[str] = mapped_column(String(18))

    __table_args__ = (Index("ix_task_assignments_user", "user_id", "entity_uscc"),)


class MutationLog(Base):
    """The stored result of every pushed mutation, for idempotent resends."""

    __tablename__ = "mutation_log"

    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    mutation_seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    result: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime)


class Blob(Base):
    """A content-addressed upload; bytes live in the blob directory."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    content_type: Mapped[str] = mapped_column(String(128))
    created_by_device: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Draw(Base):
    """A 双随机 draw with its seed and inputs, so anyone can reproduce it."""

    __tablename__ = "draws"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    seed: Mapped[str] = mapped_column(String(128))
    inputs: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Publication(Base):
    """An item of the publication feed (一公开 / 双公示) with its 7-working-day deadline."""

    __tablename__ = "publications"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    collection: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)
    uscc: Mapped[str | None] = mapped_column(String(18), nullable=True)
    region_code: Mapped[str | None] = mapped_column(String(6), nullable=True)
    decided_on: Mapped[str] = mapped_column(String(10))
    deadline: Mapped[str | None] = mapped_column(String(10), nullable=True)
    deadline_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # The publication desk (migration 0005): who made the decision, what it is about, and
    # where and on which day it went online (published_at is when that was recorded).
    unit: Mapped[str | None] = mapped_column(Text, nullable=True)
    entity_name: Mapped[str | None] = mapped_column(Text, nullable=True)
    matter: Mapped[str | None] = mapped_column(Text, nullable=True)
    published_on: Mapped[str | None] = mapped_column(String(10), nullable=True)
    published_where: Mapped[str | None] = mapped_column(Text, nullable=True)
    published_by: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (UniqueConstraint("collection", "record_id", name="uq_publication_record"),)


class IssuedReport(Base):
    """A credit report a device registered (for verification lookups)."""

    __tablename__ = "issued_reports"

    report_no: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"))
    payload: Mapped[str] = mapped_column(Text)
    registered_at: Mapped[datetime] = mapped_column(DateTime)
    # Withdrawn by an administrator (migration 0009): the report verifies as not valid after.
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class PolicyRevision(Base):
    """Every revision of a credit policy, as set (the audit log of policy changes).

    The policy in force is the ``policies`` record of the same name (what clients pull); this
    table keeps who changed it, when, why, and what it was before.
    """

    __tablename__ = "policy_revisions"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    content: Mapped[str] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(128))
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")


class AuditEntry(Base):
    """The platform's append-only, hash-chained audit log (:mod:`platform_server.audit_log`).

    Who did what to which record and with what outcome: intake of repair applications and
    objections, every decision, the automatic end of publication, policy changes. The chain
    (``desktop_app.domain.audit_chain``) and its head (``meta`` key ``audit.head``) make any
    edit, removal or truncation visible to ``credit-platform audit verify``.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[str] = mapped_column(String(128))
    details: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_audit_log_subject", "subject_type", "subject_id"),)


class AuditHead(Base):
    """A published, signed head of the audit log (``credit-platform audit publish-head``).

    Append-only (migration 0007 refuses UPDATE and DELETE): publication ``seq`` says that the
    log then had ``count`` rows ending in ``hash``; ``prev`` is the digest of the previous
    publication's signed message, ``signature`` the platform key's Ed25519 signature of this
    one (:mod:`platform_server.audit_log`). ``credit-platform verify-audit`` checks that every
    publication is a prefix of the current chain, so a rewritten or truncated log is found.
    """

    __tablename__ = "audit_heads"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(40))
    prev: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16))
    signature: Mapped[str] = mapped_column(String(128))


class BlobHolder(Base):
    """A device's own upload of a blob: its progress, and whether it proved it holds the bytes.

    Blob answers are per device (migration 0008): a device learns only how much of *its*
    upload the platform holds, never whether another device stored the same content, and its
    chunks go to its own part file, so no other device can reset them. ``complete`` means the
    device sent every byte and they hashed to the digest: only then may it cite or read the
    blob (or when it sees a form that cites it).
    """

    __tablename__ = "blob_holders"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
