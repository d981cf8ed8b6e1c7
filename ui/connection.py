"""The one set of words for the connection to the municipal platform.

Every place that shows whether the client can sync (the status bar, the 同步 page, the
工作台) takes its wording from here, so one state never reads as 在线 in one place and
已连接 or 离线 in another. :class:`~ui.sync_adapter.SyncController` decides the state;
this module only names it and says what the user can do about it.
"""

from __future__ import annotations

import ipaddress
from enum import Enum
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication


class ConnectionState(Enum):
    """Where the client stands with the municipal platform."""

    NOT_CONFIGURED = "not_configured"
    """No platform address is set (nobody has logged in on this profile yet)."""
    CHECKING = "checking"
    """An address is set; the first reachability probe has not answered yet."""
    ONLINE = "online"
    """The platform answers and this device holds a login: changes sync by themselves."""
    ONLINE_LOGGED_OUT = "online_logged_out"
    """The platform answers but this device has no (valid) login."""
    UNREACHABLE = "unreachable"
    """The platform does not answer (network down, wrong host or port, server down)."""
    ADDRESS_INVALID = "address_invalid"
    """The address (or the key pin beside it) is malformed: no connection is ever tried."""

    @property
    def is_problem(self) -> bool:
        """Whether nothing can sync in this state until someone acts (or the network returns)."""
        return self not in (ConnectionState.ONLINE, ConnectionState.CHECKING)


def state_text(state: ConnectionState) -> str:
    """The short words for ``state`` (status bar, 同步 page, 工作台)."""
    texts = {
        ConnectionState.NOT_CONFIGURED: QCoreApplication.translate(
            "ConnectionState", "离线 · 未设置市级平台地址"
        ),
        ConnectionState.CHECKING: QCoreApplication.translate(
            "ConnectionState", "正在检测市级平台连接…"
        ),
        ConnectionState.ONLINE: QCoreApplication.translate(
            "ConnectionState", "在线 · 已连接市级平台"
        ),
        ConnectionState.ONLINE_LOGGED_OUT: QCoreApplication.translate(
            "ConnectionState", "在线 · 未登录市级平台"
        ),
        ConnectionState.UNREACHABLE: QCoreApplication.translate(
            "ConnectionState", "离线 · 市级平台不可达"
        ),
        ConnectionState.ADDRESS_INVALID: QCoreApplication.translate(
            "ConnectionState", "离线 · 平台地址无效"
        ),
    }
    return texts[state]


def state_hint(state: ConnectionState, problem: str = "", *, pin: bool = False) -> str:
    """What the user can do in ``state``, in one sentence.

    Args:
        state: The connection state.
        problem: For :attr:`ConnectionState.ADDRESS_INVALID`, what is wrong with the address.
        pin: The address is fine but the key pin beside it (set by the city's IT in the
            settings file) is malformed: only an administrator can fix that.
    """
    if state is ConnectionState.ADDRESS_INVALID and pin:
        return QCoreApplication.translate(
            "ConnectionState", "平台公钥指纹设置有误，无法同步。请联系管理员修正本机的设置文件。"
        )
    if state is ConnectionState.ADDRESS_INVALID:
        detail = problem or QCoreApplication.translate("ConnectionState", "地址格式不正确")
        return QCoreApplication.translate(
            "ConnectionState", "{problem}，无法同步。请在 同步 页重新登录并改正平台地址。"
        ).format(problem=detail)
    # Each hint follows the state's words (status bar, 工作台), so it does not repeat them.
    hints = {
        ConnectionState.NOT_CONFIGURED: QCoreApplication.translate(
            "ConnectionState", "本机数据不会同步。请在 同步 页登录市级平台并填写平台地址。"
        ),
        ConnectionState.CHECKING: QCoreApplication.translate(
            "ConnectionState", "正在连接市级平台，请稍候。"
        ),
        ConnectionState.ONLINE: QCoreApplication.translate(
            "ConnectionState", "本机的更改会自动同步到市级平台。"
        ),
        ConnectionState.ONLINE_LOGGED_OUT: QCoreApplication.translate(
            "ConnectionState", "本机的更改暂不同步。请在 同步 页登录市级平台。"
        ),
        ConnectionState.UNREACHABLE: QCoreApplication.translate(
            "ConnectionState",
            "本机的更改已保存，网络恢复后自动同步。"
            "如一直不可达，请检查网络，或在 同步 页核对平台地址。",
        ),
    }
    return hints[state]


def platform_address_problem(url: str) -> str | None:
    """Why ``url`` cannot be a platform address, or None when it can.

    Only the form is checked (``https://host[:port][/path]``; plain ``http://`` only to this
    machine — ``localhost``, ``127.x.x.x``, ``[::1]`` — for development); whether anything
    answers there is the reachability probe's business.
    """
    text = url.strip()
    if not text:
        return QCoreApplication.translate("ConnectionState", "未填写地址")
    if any(ch.isspace() for ch in text):
        return QCoreApplication.translate("ConnectionState", "地址中不能有空格")
    try:
        parts = urlsplit(text)
        _port = parts.port  # ValueError: a port that is not a number, or out of range
    except ValueError:
        return QCoreApplication.translate("ConnectionState", "端口号不正确")
    if parts.scheme not in ("http", "https"):
        return QCoreApplication.translate("ConnectionState", "地址应以 https:// 或 http:// 开头")
    if not parts.hostname:
        return QCoreApplication.translate("ConnectionState", "缺少服务器名称")
    if parts.query or parts.fragment:
        return QCoreApplication.translate("ConnectionState", "地址中不能有 ? 或 #")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        # Tokens, passwords and the entity registry would cross the network in clear text.
        return QCoreApplication.translate(
            "ConnectionState",
            "未加密的 http:// 地址只能用于本机调试，市级平台地址必须以 https:// 开头",
        )
    return None


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` (a URL's host name) is this machine: ``localhost`` or a loopback IP."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
