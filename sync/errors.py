"""The sync engine's own exceptions: every transport and HTTP failure becomes one of these.

Callers (the sync worker, the UI) catch :class:`SyncError` and show ``user_message``, which is
Chinese and says what to do next; ``str(err)`` keeps the technical detail for the log.
"""

from __future__ import annotations

__all__ = [
    "AuthError",
    "Cancelled",
    "DeviceRevoked",
    "Offline",
    "ProtocolError",
    "ServerError",
    "SyncError",
    "TlsPinMismatch",
]


class SyncError(Exception):
    """Base class of sync failures.

    Attributes:
        user_message: What the user reads (Chinese, says what to do next).
        code: The platform's reason code when it sent one, else None.
        status: The HTTP status of the answer it came from, else None.
    """

    default_message = "同步失败，请稍后重试。"
    status: int | None = None

    def __init__(
        self, detail: str = "", *, user_message: str | None = None, code: str | None = None
    ) -> None:
        super().__init__(detail or self.default_message)
        self.user_message = user_message or self.default_message
        self.code = code


class Offline(SyncError):  # noqa: N818 - the engine's agreed names
    """The platform could not be reached (no network, refused, timed out, TLS failed)."""

    default_message = "无法连接到平台，当前处于离线状态。本机数据已保存，联网后会自动同步。"


class ServerError(SyncError):
    """The platform answered with an error it could not get past (5xx, unexpected 4xx)."""

    default_message = "平台暂时无法处理同步请求，本机数据已保存，稍后会自动重试。"


class AuthError(SyncError):
    """The login is missing, expired beyond refresh, or refused: the user must log in again."""

    default_message = "登录已失效，请重新登录后再同步。本机数据已保存。"


class DeviceRevoked(SyncError):  # noqa: N818 - the engine's agreed names
    """The platform revoked this device: the client must wipe its local store."""

    default_message = (
        "此设备已被平台注销。为保护数据安全，客户端将清除本机数据；如有疑问请联系管理员。"
    )


class ProtocolError(SyncError):
    """An answer that breaks the protocol (bad JSON, wrong schema or type, truncated body)."""

    default_message = (
        "平台返回的数据不完整或格式不符，本次同步未修改本机数据。请稍后重试；"
        "如反复出现，请升级客户端或联系管理员。"
    )


class Refused(ProtocolError):  # noqa: N818 - the engine's agreed names
    """The platform understood the request and refused it for a reason the user can act on.

    A 400/422 whose reason code is not a malformed request (``validation_error``,
    ``bad_request``): the platform's own Chinese message (``以下账户不存在…``,
    ``公示日期不能晚于今天``) is what the user reads. A subclass of :class:`ProtocolError`, so
    what handled a 422 before still does.
    """

    default_message = "平台未接受本次操作，请按提示修改后重试。"


class Cancelled(SyncError):  # noqa: N818 - the engine's agreed names
    """The user stopped the sync; what was committed stays, the next sync resumes."""

    default_message = "同步已取消，下次同步会从中断处继续。"


class TlsPinMismatch(SyncError):  # noqa: N818 - the engine's agreed names
    """The platform's certificate key is not the one pinned on this machine (or no TLS at all).

    Never retried and never treated as "offline": someone may be intercepting the connection.
    ``code`` is ``"tls_pin_mismatch"`` (wrong key) or ``"tls_required"`` (a pin is set but the
    platform address is plain ``http://``).
    """

    default_message = "平台证书与本机登记的指纹不符，可能存在中间人攻击，已停止同步。请联系管理员。"
