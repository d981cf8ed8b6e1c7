"""The platform's tamper-evident audit log: who did what, when, to which record, with what outcome.

Rows are chained with the one rule the client's log uses too
(:mod:`desktop_app.domain.audit_chain`); the head (last hash and count) is the ``meta`` row
``audit.head``, read ``FOR UPDATE`` by every append, so concurrent appends on PostgreSQL queue
on it and the chain never forks (SQLite serialises writers anyway). An append joins the
caller's transaction: the audited change and its row commit or roll back together.

``credit-platform audit verify`` walks the chain; ``credit-platform audit list`` shows it.

A chain whose head lives only beside it can be rewritten whole: recompute every hash and the
``meta`` row, and the walk passes. So the head is also **published**: :func:`publish_head`
signs ``{seq, count, hash, at, prev}`` with the platform's own Ed25519 key (a file in the data
directory, :func:`load_key`) and appends it to the append-only ``audit_heads`` table (and to a
witness file beside the key); ``GET /v1/audit/heads`` serves the publications to anyone, who
may keep copies. The serving platform publishes once a day (:func:`start_head_job`),
``credit-platform audit publish-head`` at once. :func:`verify_published` (``credit-platform
verify-audit``) checks that every publication — in the table, in the witness file, in a copy
given on the command line — is signed by the platform key and is a prefix of the current chain,
so a rewritten or truncated log is found and the rows concerned named.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from desktop_app.domain.audit_chain import GENESIS, ChainEntry, ChainVerdict, entry_hash, walk
from platform_server.db import transaction
from platform_server.models import AuditEntry, AuditHead, Meta
from platform_server.security import verify_signature

__all__ = [
    "SYSTEM_ACTOR",
    "ChainBrokenError",
    "PublishedHead",
    "append",
    "entries",
    "key_id_of",
    "latest_head",
    "list_heads",
    "load_key",
    "public_key_bytes",
    "publish_head",
    "publish_now",
    "read_heads_file",
    "start_head_job",
    "verify",
    "verify_published",
]

log = logging.getLogger(__name__)

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


# --- published heads ----------------------------------------------------------------------

HEAD_MESSAGE_PREFIX = b"CDAH1\n"
"""Prefix of a published head's signed message (never valid for anything else the key signs)."""
KEY_FILE = "audit-head-ed25519.pem"
"""The platform's head-signing key in the data directory (PKCS#8 PEM, mode 0600)."""
WITNESS_FILE = "audit-heads.jsonl"
"""Every publication this data directory made, one JSON object a line (a copy outside the DB)."""
HEAD_INTERVAL = timedelta(hours=24)
HEAD_CHECK_S = 3600


class ChainBrokenError(Exception):
    """The log does not verify, so its head is not published; ``problems`` say where."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class PublishedHead:
    """One publication: the log had ``count`` rows ending in ``hash`` at ``at`` (UTC).

    ``prev`` is the :meth:`digest` of the previous publication (``GENESIS`` for the first),
    ``signature`` the platform key's Ed25519 signature of :meth:`message`, base64.
    """

    seq: int
    count: int
    hash: str
    at: str
    prev: str
    key_id: str
    signature: str

    def message(self) -> bytes:
        """The signed bytes: ``CDAH1``, a newline, the canonical JSON of the stated fields."""
        body = {"at": self.at, "count": self.count, "hash": self.hash, "prev": self.prev}
        body["seq"] = self.seq
        return HEAD_MESSAGE_PREFIX + json.dumps(body, sort_keys=True, separators=(",", ":")).encode(
            "utf-8"
        )

    def digest(self) -> str:
        """SHA-256 hex of :meth:`message` (the next publication's ``prev``)."""
        return hashlib.sha256(self.message()).hexdigest()

    def signed_by(self, public_key: bytes) -> bool:
        """Whether ``signature`` is ``public_key``'s signature of :meth:`message`."""
        try:
            raw = base64.b64decode(self.signature, validate=True)
        except (binascii.Error, ValueError):
            return False
        return self.key_id == key_id_of(public_key) and verify_signature(
            public_key, raw, self.message()
        )

    def to_json(self) -> dict[str, Any]:
        """The publication as served and as kept in the witness file."""
        return asdict(self)

    @classmethod
    def from_json(cls, value: Any) -> PublishedHead:
        """Read a publication back (from the witness file or a copy someone kept).

        Raises:
            ValueError: Not a publication.
        """
        if not isinstance(value, dict):
            raise ValueError("a published head is a JSON object")
        try:
            head = cls(
                seq=int(value["seq"]),
                count=int(value["count"]),
                hash=str(value["hash"]),
                at=str(value["at"]),
                prev=str(value["prev"]),
                key_id=str(value["key_id"]),
                signature=str(value["signature"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"not a published head: {exc}") from None
        if head.seq < 1 or head.count < 0:
            raise ValueError("seq must be at least 1 and count not negative")
        return head

    @classmethod
    def of(cls, row: AuditHead) -> PublishedHead:
        """The publication of a table row."""
        return cls(row.seq, row.count, row.hash, row.at, row.prev, row.key_id, row.signature)


def key_id_of(public_key: bytes) -> str:
    """The first 16 hex digits of the SHA-256 of a raw Ed25519 public key."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def public_key_bytes(key: Ed25519PrivateKey) -> bytes:
    """The raw 32 bytes of the key's public half."""
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def load_key(data_dir: Path, *, create: bool = False) -> Ed25519PrivateKey | None:
    """The platform's head-signing key from ``<data_dir>/audit-head-ed25519.pem``.

    Args:
        data_dir: The platform's data directory (``CREDIT_PLATFORM_DATA``).
        create: Make the key (mode 0600) when there is none; processes racing to make it
            end up with the one that was linked into place first.

    Returns:
        The key, or None when there is none and ``create`` is false.

    Raises:
        ValueError: The file is not an Ed25519 private key.
    """
    path = data_dir / KEY_FILE
    try:
        pem = path.read_bytes()
    except FileNotFoundError:
        if not create:
            return None
        data_dir.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        tmp = data_dir / f".{KEY_FILE}.{os.getpid()}.{threading.get_ident()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
            out.flush()
            os.fsync(out.fileno())
        try:
            os.link(tmp, path)  # atomic, and never over a key another process made
        except FileExistsError:
            return load_key(data_dir)
        finally:
            tmp.unlink()
        log.info("made the audit-head signing key %s", path)
        return key
    loaded = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return loaded


def latest_head(session: Session) -> PublishedHead | None:
    """The newest publication, or None before the first."""
    row = session.scalars(select(AuditHead).order_by(AuditHead.seq.desc()).limit(1)).first()
    return PublishedHead.of(row) if row is not None else None


def list_heads(session: Session, *, after_seq: int = 0, limit: int = 100) -> list[PublishedHead]:
    """Publications after ``after_seq``, oldest first, at most ``limit``."""
    stmt = select(AuditHead).where(AuditHead.seq > after_seq).order_by(AuditHead.seq).limit(limit)
    return [PublishedHead.of(row) for row in session.scalars(stmt)]


def publish_head(
    session: Session, key: Ed25519PrivateKey, at: datetime | None = None
) -> PublishedHead:
    """Sign and append the current head, in the caller's transaction.

    Holds the ``audit.head`` row (appends wait) while the whole chain is walked: only a log
    that verifies is vouched for.

    Raises:
        ChainBrokenError: The log does not verify (nothing is published).
    """
    session.scalars(select(Meta).where(Meta.key == HEAD_KEY).with_for_update()).first()
    verdict = verify(session)
    if not verdict.ok:
        raise ChainBrokenError(verdict.problems)
    head = session.get(Meta, HEAD_KEY)
    last_hash, count = GENESIS, 0
    if head is not None:
        state = json.loads(head.value)
        last_hash, count = str(state["hash"]), int(state["count"])
    before = latest_head(session)
    public = public_key_bytes(key)
    moment = (at or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    unsigned = PublishedHead(
        seq=before.seq + 1 if before else 1,
        count=count,
        hash=last_hash,
        at=moment,
        prev=before.digest() if before else GENESIS,
        key_id=key_id_of(public),
        signature="",
    )
    signature = base64.b64encode(key.sign(unsigned.message())).decode("ascii")
    published = PublishedHead(**{**asdict(unsigned), "signature": signature})
    session.add(AuditHead(**published.to_json()))
    session.flush()
    return published


def publish_now(
    sessions: sessionmaker[Session], data_dir: Path, at: datetime | None = None
) -> PublishedHead:
    """Publish the head in a transaction of its own, then add it to the witness file.

    Raises:
        ChainBrokenError: The log does not verify.
        ValueError: The key file is not a key.
    """
    key = load_key(data_dir, create=True)
    assert key is not None
    with transaction(sessions) as session:
        published = publish_head(session, key, at)
    line = json.dumps(published.to_json(), sort_keys=True) + "\n"
    try:
        with (data_dir / WITNESS_FILE).open("a", encoding="utf-8") as witness:
            witness.write(line)
    except OSError:
        log.exception("could not add the published audit head to %s", WITNESS_FILE)
    return published


def read_heads_file(path: Path) -> list[PublishedHead]:
    """Publications kept in a file.

    The witness file (JSON lines), a saved answer of ``GET /v1/audit/heads`` (an object with
    ``heads``), or a JSON list of them.

    Raises:
        OSError: The file cannot be read.
        ValueError: It holds something else.
    """
    text = path.read_text(encoding="utf-8").strip()
    if not text:
        return []
    try:
        value: Any = json.loads(text)
    except json.JSONDecodeError:
        value = [json.loads(line) for line in text.splitlines() if line.strip()]
    if isinstance(value, dict) and "heads" in value:
        value = value["heads"]
    elif isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise ValueError("expected published heads (a list, JSON lines, or {heads: [...]})")
    return [PublishedHead.from_json(item) for item in value]


def _check_publications(
    heads: Sequence[PublishedHead], public_key: bytes | None, witnesses: Sequence[PublishedHead]
) -> tuple[list[str], list[PublishedHead]]:
    """Problems of the publications themselves, and every publication to hold the log to."""
    problems: list[str] = []
    if heads and public_key is None:
        problems.append(
            f"平台签名密钥文件 {KEY_FILE} 缺失，无法核对已发布链头的签名。请从备份恢复该文件。"
        )
    prev, last_count = GENESIS, 0
    for expected, head in enumerate(heads, 1):
        if head.seq != expected:
            problems.append(f"第 {expected} 次发布的链头记录缺失：链头发布记录被删除。")
        if head.prev != prev:
            problems.append(
                f"第 {head.seq} 次发布的链头与上一次发布衔接不上：发布记录被删除或改动。"
            )
        if public_key is not None and not head.signed_by(public_key):
            problems.append(
                f"第 {head.seq} 次发布的链头签名无效（不是平台密钥所签）：发布记录被伪造或改动。"
            )
        if head.count < last_count:
            problems.append(
                f"第 {head.seq} 次发布的链头条数（{head.count}）少于上一次（{last_count}）。"
            )
        prev, last_count = head.digest(), head.count
    by_seq = {h.seq: h for h in heads}
    held = list(heads)
    for copy in witnesses:
        if public_key is None or not copy.signed_by(public_key):
            problems.append(f"另行保存的第 {copy.seq} 次链头签名无效，不能作为依据，请核对其来源。")
            continue
        stored = by_seq.get(copy.seq)
        if stored is None:
            problems.append(
                f"平台已不再保存第 {copy.seq} 次发布的链头（{copy.at}）：发布记录被删除。"
            )
        elif stored != copy:
            problems.append(
                f"平台保存的第 {copy.seq} 次发布的链头与另行保存的不一致：发布记录被改动。"
            )
        if stored != copy:
            held.append(copy)
    return problems, held


def verify_published(
    session: Session,
    public_key: bytes | None,
    witnesses: Iterable[PublishedHead] = (),
) -> tuple[ChainVerdict, list[str], int]:
    """Walk the log once and hold it to every publication.

    Args:
        session: A read transaction.
        public_key: The platform's head-signing public key (None when its file is missing).
        witnesses: Publications kept elsewhere (the witness file, a downloaded copy).

    Returns:
        The chain's own verdict (:func:`verify`), the problems with the publications (each
        names the publication and the rows concerned, in Chinese), and how many publications
        the table holds.
    """
    heads = list_heads(session, limit=2**31)
    problems, held = _check_publications(heads, public_key, list(witnesses))
    wanted = {h.count for h in held}
    seen: dict[int, str] = {0: GENESIS}
    rows = 0

    def recording(chain: Iterator[ChainEntry]) -> Iterator[ChainEntry]:
        nonlocal rows
        for entry in chain:
            rows += 1
            if rows in wanted:
                seen[rows] = entry.hash
            yield entry

    state = session.get(Meta, HEAD_KEY)
    recorded = None
    if state is not None:
        value = json.loads(state.value)
        recorded = (str(value["hash"]), int(value["count"]))
    verdict = walk(recording(_chain(session)), recorded)
    intact = 0  # the longest published prefix the log still has
    for head in sorted(held, key=lambda h: (h.count, h.seq)):
        where = f"第 {head.seq} 次发布的链头（{head.at}，{head.count} 条）"
        if head.count > rows:
            problems.append(
                f"{where}之后日志只剩 {rows} 条："
                f"第 {rows + 1}–{head.count} 条被删除（日志被截断）。"
            )
        elif seen.get(head.count) != head.hash:
            problems.append(
                f"{where}与现有日志不符：第 {intact + 1}–{head.count} 条之间的记录被改写。"
            )
        else:
            intact = max(intact, head.count)
    return verdict, problems, len(heads)


def _due(session: Session, moment: datetime) -> bool:
    last = latest_head(session)
    if last is None:
        return True
    published = datetime.strptime(last.at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return moment - published >= HEAD_INTERVAL


def start_head_job(sessions: sessionmaker[Session], data_dir: Path) -> threading.Thread:
    """Publish the head at start and then once a day (checked hourly), in a daemon thread.

    Failures (a broken chain, an unreadable key) are logged and tried again at the next turn.
    """

    def run() -> None:
        while True:
            try:
                with transaction(sessions) as session:
                    due = _due(session, datetime.now(UTC))
                if due:
                    head = publish_now(sessions, data_dir)
                    log.info("audit head %d published: %d rows", head.seq, head.count)
            except ChainBrokenError as exc:
                log.error("audit log does not verify, head not published: %s", exc)
            except Exception:
                log.exception("the audit-head job failed; retrying at its next turn")
            time.sleep(HEAD_CHECK_S)

    thread = threading.Thread(target=run, name="audit-head", daemon=True)
    thread.start()
    return thread
