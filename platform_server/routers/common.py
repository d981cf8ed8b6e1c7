"""What the supervisors' follow-up routers share: error table, id and name fields, task ids."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from sync.protocol import ErrorBody

__all__ = ["ERRORS", "RecordIdItem", "TaskIds", "Username"]

ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    404: {"model": ErrorBody},
    409: {"model": ErrorBody},
    422: {"model": ErrorBody},
}
"""The refusals a supervisor's list or act may answer (documented in the OpenAPI schema)."""

RecordIdItem = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]
"""A record id in a request body (the protocol's record-id rule)."""

Username = Annotated[str, Field(min_length=1, max_length=64)]
"""An account name in a request body."""


class TaskIds(BaseModel):
    """The inspection tasks an assignment made, one per item, in order."""

    task_ids: list[str]
