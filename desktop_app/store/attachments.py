"""Attachments (photos, scanned signed letters) kept inside the encrypted database.

Content is addressed by SHA-256 and stored once in ``attachment_blobs``; the database is
SQLCipher-encrypted, so no attachment ever exists as a plain file on disk.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.store.models import Attachment, AttachmentBlob

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


class AttachmentTooLargeError(ValueError):
    """The file is over :data:`MAX_ATTACHMENT_BYTES`."""


class Attachments:
    """Attachment operations within one session."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def add(
        self, content: bytes, filename: str, mime_type: str, owner_type: str, owner_id: str
    ) -> Attachment:
        """Store ``content`` (once per distinct content) and link it to its owner record.

        Raises:
            AttachmentTooLargeError: ``content`` exceeds the size limit.
        """
        if len(content) > MAX_ATTACHMENT_BYTES:
            raise AttachmentTooLargeError(
                f"附件“{filename}”大小为 {len(content) / 1048576:.1f} MB，"
                f"超过 {MAX_ATTACHMENT_BYTES // 1048576} MB 的上限。请压缩后再添加。"
            )
        digest = hashlib.sha256(content).hexdigest()
        if self._s.get(AttachmentBlob, digest) is None:
            self._s.add(AttachmentBlob(sha256=digest, size=len(content), content=content))
            # No ORM relationship orders the two inserts: the blob must exist first.
            self._s.flush()
        att = Attachment(
            id=str(uuid.uuid4()),
            sha256=digest,
            filename=filename,
            mime_type=mime_type,
            owner_type=owner_type,
            owner_id=owner_id,
            created_at=datetime.now(UTC).replace(tzinfo=None),
        )
        self._s.add(att)
        self._s.flush()
        return att

    def content(self, attachment_id: str) -> bytes:
        """The bytes of one attachment.

        Raises:
            KeyError: No such attachment.
        """
        stmt = (
            select(AttachmentBlob.content)
            .join(Attachment, Attachment.sha256 == AttachmentBlob.sha256)
            .where(Attachment.id == attachment_id)
        )
        data = self._s.scalar(stmt)
        if data is None:
            raise KeyError(attachment_id)
        return data

    def for_owner(self, owner_type: str, owner_id: str) -> list[Attachment]:
        """Attachments of one record, oldest first."""
        stmt = (
            select(Attachment)
            .where(Attachment.owner_type == owner_type, Attachment.owner_id == owner_id)
            .order_by(Attachment.created_at)
        )
        return list(self._s.scalars(stmt))
