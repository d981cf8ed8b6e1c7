"""Error answers: every 4xx/5xx is an ``ErrorBody`` with a reason code and a Chinese message."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from sync.protocol import ErrorBody, ReasonCode

log = logging.getLogger(__name__)


class ApiError(Exception):
    """Raise from any handler to answer with ``status`` and an :class:`ErrorBody`."""

    def __init__(
        self,
        status: int,
        code: ReasonCode,
        message: str,
        detail: Any = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.detail = detail
        self.headers = headers


def error_response(
    status: int,
    code: ReasonCode,
    message: str,
    detail: Any = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A JSON error answer."""
    body = ErrorBody(code=code, message=message, detail=detail)
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


_HTTP_CODES = {
    400: (ReasonCode.BAD_REQUEST, "请求格式不正确。"),
    401: (ReasonCode.UNAUTHENTICATED, "请先登录。"),
    403: (ReasonCode.FORBIDDEN, "无权执行此操作。"),
    404: (ReasonCode.NOT_FOUND, "请求的资源不存在。"),
    405: (ReasonCode.BAD_REQUEST, "不支持该请求方法。"),
    413: (ReasonCode.BODY_TOO_LARGE, "请求内容过大。"),
}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (400, "Bad request"),
        (401, "Not authenticated: missing, unknown, expired or reused token"),
        (403, "Forbidden for this role or scope"),
        (404, "Not found"),
        (409, "Conflict with the stored state"),
        (410, "Device revoked: wipe the local store"),
        (413, "Body too large"),
        (422, "Invalid input"),
        (429, "Too many failed logins"),
    )
}
"""Every route documents its error answers as ErrorBody (this replaces FastAPI's default
422 schema, which our handler never sends)."""


def install_error_handlers(app: FastAPI) -> None:
    """Map every error path to an :class:`ErrorBody`; a traceback never reaches a client."""

    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        return error_response(
            422,
            ReasonCode.VALIDATION_ERROR,
            "请求内容不符合接口要求，请检查字段名称、类型和取值。",
            problems,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = _HTTP_CODES.get(exc.status_code, (ReasonCode.BAD_REQUEST, "请求无法处理。"))
        # Keep Starlette's headers (405 carries Allow).
        return error_response(exc.status_code, code, message, headers=dict(exc.headers or {}))

    @app.exception_handler(DataError)
    async def _data(_request: Request, exc: DataError) -> JSONResponse:
        # The database refused a value the schema let through (PostgreSQL rejects NUL
        # characters in text, for one): the client's input, not a server fault.
        log.info("database refused a value: %s", exc.orig)
        return error_response(
            422,
            ReasonCode.VALIDATION_ERROR,
            "请求中含有平台无法保存的字符或数值（例如 NUL 控制字符），请删除后重试。",
        )

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> JSONResponse:
        if is_lost_race(exc):
            return busy_response(request)
        log.exception("database error on %s %s", request.method, request.url.path)
        return error_response(
            500, ReasonCode.INTERNAL_ERROR, "平台内部错误，请稍后重试或联系管理员。"
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(
            500, ReasonCode.INTERNAL_ERROR, "平台内部错误，请稍后重试或联系管理员。"
        )


# PostgreSQL's answers to two transactions that waited on each other: deadlock_detected,
# serialization_failure, lock_not_available. One of them was rolled back whole.
LOST_RACE_SQLSTATES = frozenset({"40P01", "40001", "55P03"})


def is_lost_race(exc: OperationalError) -> bool:
    """Whether the database rolled this transaction back because another one won a race."""
    return getattr(exc.orig, "sqlstate", None) in LOST_RACE_SQLSTATES


def busy_response(request: Request) -> JSONResponse:
    """503 with ``Retry-After``: nothing was changed, the same request may simply be sent again.

    A push reruns such a batch itself (``sync_service.push_retrying``); a draw, a decision or a
    publication that collided with pushes on the same records ends here instead of a 500.
    """
    log.warning(
        "%s %s lost a race with another transaction: rolled back", request.method, request.url.path
    )
    return error_response(
        503,
        ReasonCode.INTERNAL_ERROR,
        "平台正忙：另一项操作同时修改了相同的记录，本次请求未作任何修改。请稍后重试。",
        headers={"Retry-After": "1"},
    )
