"""Repository of form drafts (``drafts`` table): what was typed and not saved yet."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desktop_app.store.models import FormDraft


class DraftRepository:
    """Draft rows within one session."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def put(self, key: str, label: str, data: str, at: datetime) -> None:
        """Insert or replace the draft of form slot ``key``."""
        row = self._s.get(FormDraft, key)
        if row is None:
            self._s.add(FormDraft(key=key, label=label, data=data, updated_at=at))
            return
        row.label, row.data, row.updated_at = label, data, at

    def get(self, key: str) -> FormDraft | None:
        """The draft of ``key``, or None."""
        return self._s.get(FormDraft, key)

    def remove(self, key: str) -> bool:
        """Delete the draft of ``key``; whether there was one."""
        result = self._s.execute(delete(FormDraft).where(FormDraft.key == key))
        return bool(getattr(result, "rowcount", 0))

    def all(self) -> list[FormDraft]:
        """Every draft, the newest first."""
        stmt = select(FormDraft).order_by(FormDraft.updated_at.desc(), FormDraft.key)
        return list(self._s.scalars(stmt))
