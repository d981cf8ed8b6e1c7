"""诚信教育 records: a training session and the check-ins of those who attended.

A session with check-ins cannot be deleted (the platform refuses, the client does not offer
it); a check-in is fixed to its session at creation.
"""

from __future__ import annotations

from typing import Any, ClassVar

from desktop_app.domain.records.base import (
    Blobs,
    IsoDate,
    Owner,
    RecordModel,
    Text,
    Texts,
    field,
)

__all__ = ["Attendance", "EducationSession"]

_WINDOW = frozenset({"window"})


class EducationSession(RecordModel):
    """诚信教育场次."""

    COLLECTION: ClassVar[str] = "education_sessions"
    LABEL: ClassVar[str] = "诚信教育场次"
    OWNER: ClassVar[Owner] = Owner.CLIENT
    SCOPE_BY: ClassVar[Any] = "hall"
    CREATE_ROLES: ClassVar[frozenset[str]] = _WINDOW
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset({"hall_id"})

    title: Text = field("培训主题", "text", required=True)
    held_on: IsoDate = field("培训日期", "date", required=True)
    attachments: Blobs = field("附件", "blobs")
    start_time: Text = field("开始时间", "text")
    end_time: Text = field("结束时间", "text")
    place: Text = field("培训地点", "text")
    facilitator: Text = field("主讲人", "text")
    materials: Texts = field("培训材料", "texts")
    capacity: int | None = field("容纳人数", "any")


class Attendance(RecordModel):
    """诚信教育签到: one person at one session."""

    COLLECTION: ClassVar[str] = "attendance"
    LABEL: ClassVar[str] = "诚信教育签到"
    OWNER: ClassVar[Owner] = Owner.CLIENT
    SCOPE_BY: ClassVar[Any] = "hall"
    CREATE_ROLES: ClassVar[frozenset[str]] = _WINDOW
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset({"hall_id", "session_id"})

    session_id: Text = field("培训场次", "text", required=True)
    attendee_name: Text = field("参训人姓名", "text", required=True)
    uscc: Text = field("所属主体统一社会信用代码", "uscc")
    entity_name: Text = field("主体名称", "text")
    role: Text = field("身份", "text")
    phone: Text = field("联系电话", "text")
    id_number: Text = field("身份证号", "text")
    checked_in_at: Text = field("签到时间", "text")
    uscc_override_reason: Text = field("例外使用理由", "text")
