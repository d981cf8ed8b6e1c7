"""What the platform checks of a pushed form beyond its shared definition.

Storable JSON, field names, dates as the platform reads them, attachments present in its
blob store.

The fields themselves (types, required, ranges, choices, USCC) are checked by the shared
record definitions in :mod:`desktop_app.domain.records`; :mod:`platform_server.collections`
applies them. Everything here raises :class:`Rejection` with a reason code and a Chinese
message that says what to fix. Nothing here writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.records import MAX_ATTACHMENTS
from desktop_app.domain.working_days import WorkingDayCalendar
from platform_server.models import Blob
from platform_server.publication import platform_calendar
from platform_server.scopes import Viewer
from sync.protocol import ReasonCode

FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
SHA256 = re.compile(r"[0-9a-f]{64}")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INT64 = 2**63
_MAX_DEPTH = 32


class Rejection(Exception):  # noqa: N818 - a result, not a failure of the server
    """A mutation the platform refuses; stored and answered as ``rejected``.

    Attributes:
        reason: The stable reason code.
        message: Chinese, says what to do.
    """

    def __init__(self, reason: ReasonCode, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


class _MemoCalendar(WorkingDayCalendar):
    """A calendar that remembers its answers (one push asks the same dates many times).

    ``chinese_calendar`` answers a date in about 25 µs; a 核查 deadline walks ten to twenty
    dates, and a batch of commitments signed the same week walks the same ones.
    """

    def __init__(self, base: WorkingDayCalendar) -> None:
        self.__dict__.update(base.__dict__)
        self._answers: dict[date, bool] = {}

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day (see :class:`WorkingDayCalendar`)."""
        known = self._answers.get(day)
        if known is None or type(day) is not date:
            known = super().is_working_day(day)  # CalendarUnknown is raised, never kept
            if type(day) is date:
                self._answers[day] = known
        return known


@dataclass
class FormContext:
    """What validators may consult: the transaction, the caller, the working-day calendar."""

    session: Session
    viewer: Viewer
    _calendar: WorkingDayCalendar | None = field(default=None, repr=False)
    entity_names: dict[str, str | None] = field(default_factory=dict, repr=False)
    """The registry's name of entities the push names, read for the whole batch up front
    (None: no such live entity, or no name); a code not in it is looked up when needed."""

    def calendar(self) -> WorkingDayCalendar:
        """The platform calendar (built once per push)."""
        if self._calendar is None:
            # The feed's calendar (one rule), remembering its answers for this push.
            self._calendar = _MemoCalendar(platform_calendar(self.session))
        return self._calendar


def check_json(value: Any, where: str, depth: int = 0) -> None:
    """Refuse values the platform cannot store faithfully.

    Integers beyond 64 bits, non-finite numbers and very deep nesting would fail or change
    silently when stored as canonical JSON.

    Args:
        value: A field value as parsed from the request.
        where: The field's name, for the message.
        depth: Nesting depth so far.

    Raises:
        Rejection: ``invalid_field``.
    """
    if depth > _MAX_DEPTH:
        raise Rejection(ReasonCode.INVALID_FIELD, f"字段“{where}”嵌套层数过多，请简化后再提交。")
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return
    if isinstance(value, int):
        if not -_INT64 <= value < _INT64:
            raise Rejection(ReasonCode.INVALID_FIELD, f"字段“{where}”的数值超出范围。")
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Rejection(ReasonCode.INVALID_FIELD, f"字段“{where}”不是有效的数值。")
    elif isinstance(value, list):
        for item in value:
            check_json(item, where, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            check_json(item, where, depth + 1)


def check_field_names(fields: dict[str, Any]) -> None:
    """Field names are lower-case ASCII identifiers, and every value is storable.

    Args:
        fields: The fields of a mutation.

    Raises:
        Rejection: ``invalid_field``.
    """
    for name, value in fields.items():
        if not FIELD_NAME.fullmatch(name):
            raise Rejection(
                ReasonCode.INVALID_FIELD,
                f"字段名“{name[:70]}”无效：字段名只能由小写字母、数字和下划线组成，并以字母开头。",
            )
        check_json(value, name)


def parse_date(value: Any, label: str) -> date:
    """``YYYY-MM-DD`` text as a date.

    Args:
        value: The field value.
        label: The field's Chinese name, for the message.

    Raises:
        Rejection: ``invalid_field``.
    """
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise Rejection(
        ReasonCode.INVALID_FIELD, f"“{label}”应为日期，格式为 YYYY-MM-DD，例如 2025-03-18。"
    )


def check_blobs(session: Session, value: Any, label: str) -> list[str]:
    """A list of SHA-256 hex digests, each of a completely uploaded blob.

    Args:
        session: The push transaction.
        value: The field value.
        label: The field's Chinese name, for the message.

    Raises:
        Rejection: ``invalid_field`` for a malformed list, ``blob_missing`` for a digest whose
            upload is not complete.
    """
    if (
        not isinstance(value, list)
        or len(value) > MAX_ATTACHMENTS
        or not all(isinstance(v, str) and SHA256.fullmatch(v) for v in value)
    ):
        raise Rejection(
            ReasonCode.INVALID_FIELD,
            f"“{label}”应为附件 SHA-256 摘要（64位小写十六进制）的列表，最多{MAX_ATTACHMENTS}个。",
        )
    wanted = set(value)
    if wanted:
        stmt = select(Blob.sha256).where(Blob.sha256.in_(wanted), Blob.complete.is_(True))
        missing = wanted - set(session.scalars(stmt))
        if missing:
            raise Rejection(
                ReasonCode.BLOB_MISSING,
                f"有{len(missing)}个附件尚未完整上传到平台（如 {sorted(missing)[0][:12]}…）。"
                "请先完成附件上传，再提交引用它们的表单。",
            )
    return list(value)
