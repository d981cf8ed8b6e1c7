"""Transport error mapping against a tiny local HTTP server that misbehaves on purpose."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from desktop_app.store.database import Store
from desktop_app.store.entities import EntityRepository
from sync.engine import SyncEngine
from sync.errors import AuthError, DeviceRevoked, Offline, ProtocolError, ServerError
from sync.pull import stored_cursor
from sync.transport import Transport

TOKENS = {
    "access_token": "new-access",
    "refresh_token": "new-refresh-token-0123456789",
    "expires_in": 900,
    "user": {
        "username": "w",
        "display_name": "w",
        "role": "window",
        "hall_id": "hall-1",
        "region_code": "140403",
    },
    "server_epoch": "e",
}
EMPTY_PAGE = {"changes": [], "cursor": "c1", "has_more": False, "reset": False}


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    length: int | None = None  # a Content-Length that lies: a truncated body

    @classmethod
    def json(cls, value: object, status: int = 200) -> Reply:
        return cls(status, json.dumps(value, ensure_ascii=False).encode())


@dataclass
class Script:
    """Replies per path, in order (the last one repeats), and the requests seen."""

    replies: dict[str, list[Reply]] = field(default_factory=dict)
    seen: list[tuple[str, str, str | None]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next(self, path: str) -> Reply:
        with self.lock:
            queue = self.replies.get(path) or [Reply(404, b"{}")]
            return queue.pop(0) if len(queue) > 1 else queue[0]


def _handler(script: Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            path = self.path.split("?")[0]
            script.seen.append((self.command, path, self.headers.get("Authorization")))
            reply = script.next(path)
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(reply.length or len(reply.body)))
            if reply.length is not None:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(reply.body)
            if reply.length is not None:
                self.close_connection = True

        do_GET = _answer
        do_POST = _answer

    return Handler


@pytest.fixture
def fake() -> Iterator[tuple[Script, str]]:
    script = Script()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(script))
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield script, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def transport(url: str, **kw: object) -> Transport:
    t = Transport(url, backoff_base=0.001, backoff_cap=0.01, **kw)  # type: ignore[arg-type]
    t.set_tokens("device-0001", "old-access", "old-refresh-token-0123456789")
    return t


def test_malformed_json_is_a_protocol_error(fake: tuple[Script, str]) -> None:
    script, url = fake
    script.replies["/v1/sync/pull"] = [Reply(200, b'{"changes": [')]
    with transport(url) as t, pytest.raises(ProtocolError) as info:
        t.pull(None, 10)
    assert "本次同步未修改本机数据" in info.value.user_message


def test_wrong_content_type_is_a_protocol_error(fake: tuple[Script, str]) -> None:
    script, url = fake
    script.replies["/v1/sync/pull"] = [Reply(200, json.dumps(EMPTY_PAGE).encode(), "text/html")]
    with transport(url) as t, pytest.raises(ProtocolError, match="text/html"):
        t.pull(None, 10)


def test_a_body_cut_short_is_retried_like_a_network_fault(fake: tuple[Script, str]) -> None:
    script, url = fake
    body = json.dumps(EMPTY_PAGE).encode()
    cut = Reply(200, body[:10], length=len(body))  # Content-Length promises more than comes
    script.replies["/v1/sync/pull"] = [cut, cut, Reply.json(EMPTY_PAGE)]
    with transport(url) as t:
        assert t.pull(None, 10).cursor == "c1"
    assert [s[1] for s in script.seen] == ["/v1/sync/pull"] * 3


def test_a_body_always_cut_short_ends_offline_not_upgrade_the_client(
    fake: tuple[Script, str],
) -> None:
    script, url = fake
    body = json.dumps({"results": []}).encode()
    script.replies["/v1/sync/push"] = [Reply(200, body[:5], length=len(body))]
    from sync.protocol import PushRequest

    with transport(url, max_attempts=3) as t, pytest.raises(Offline) as info:
        t.push(PushRequest(device_id="device-0001", mutations=[]))
    assert len(script.seen) == 3  # push is idempotent: retried like any network fault
    assert info.value.user_message == Offline.default_message
    assert "升级" not in info.value.user_message


def test_schema_breaking_body_is_a_protocol_error(fake: tuple[Script, str]) -> None:
    script, url = fake
    script.replies["/v1/sync/pull"] = [Reply.json({**EMPTY_PAGE, "has_more": "perhaps"})]
    with transport(url) as t, pytest.raises(ProtocolError, match="PullResponse"):
        t.pull(None, 10)


def test_503_then_success_is_retried_with_backoff(fake: tuple[Script, str]) -> None:
    script, url = fake
    script.replies["/v1/sync/pull"] = [Reply(503, b"{}"), Reply(502, b""), Reply.json(EMPTY_PAGE)]
    with transport(url) as t:
        page = t.pull(None, 10)
    assert page.cursor == "c1"
    assert [s[1] for s in script.seen] == ["/v1/sync/pull"] * 3


def test_push_is_retried_because_it_is_idempotent(fake: tuple[Script, str]) -> None:
    script, url = fake
    script.replies["/v1/sync/push"] = [Reply(504, b""), Reply.json({"results": []})]
    from sync.protocol import PushRequest

    with transport(url) as t:
        assert t.push(PushRequest(device_id="device-0001", mutations=[])).results == []
    assert len(script.seen) == 2


def test_500_is_a_server_error_and_not_retried(fake: tuple[Script, str]) -> None:
    script, url = fake
    script.replies["/v1/sync/pull"] = [Reply(500, b"Internal Server Error", "text/plain")]
    with transport(url) as t, pytest.raises(ServerError) as info:
        t.pull(None, 10)
    assert len(script.seen) == 1 and "稍后" in info.value.user_message


def test_a_non_idempotent_post_is_not_retried(fake: tuple[Script, str]) -> None:
    script, url = fake
    script.replies["/v1/auth/login"] = [Reply(503, b"{}")]
    from sync.protocol import LoginRequest

    body = LoginRequest(
        username="w", password="pw-123456", device_id="device-0001", device_public_key="AAAA"
    )
    with transport(url) as t, pytest.raises(ServerError):
        t.login(body)
    assert len(script.seen) == 1


def test_a_refresh_without_answer_is_tried_once_more_and_no_more(
    fake: tuple[Script, str],
) -> None:
    script, url = fake
    tokens = json.dumps(TOKENS).encode()
    lost = Reply(200, tokens[:20], length=len(tokens))  # the answer dies on the way
    script.replies["/v1/auth/refresh"] = [lost, Reply.json(TOKENS)]
    with transport(url) as t:
        assert t.refresh().access_token == "new-access"
    assert len(script.seen) == 2
    # Only once more: the platform's grace forgives one replay of a spent refresh token.
    script.seen.clear()
    script.replies["/v1/auth/refresh"] = [Reply(503, b"{}")]
    with transport(url) as t, pytest.raises(ServerError):
        t.refresh()
    assert len(script.seen) == 2


def test_persistent_503_gives_up_after_max_attempts(fake: tuple[Script, str]) -> None:
    script, url = fake
    script.replies["/v1/sync/pull"] = [Reply(503, b"{}")]
    with transport(url, max_attempts=3) as t, pytest.raises(ServerError):
        t.pull(None, 10)
    assert len(script.seen) == 3


def test_refused_connection_is_offline() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the request: nobody listens
    with transport(f"http://127.0.0.1:{port}", max_attempts=2) as t, pytest.raises(Offline) as info:
        t.pull(None, 10)
    assert "离线" in info.value.user_message


def test_device_revoked_carries_the_platform_message(fake: tuple[Script, str]) -> None:
    script, url = fake
    body = {"code": "device_revoked", "message": "此设备已被平台注销。"}
    script.replies["/v1/sync/pull"] = [Reply.json(body, 410)]
    with transport(url) as t, pytest.raises(DeviceRevoked) as info:
        t.pull(None, 10)
    assert info.value.user_message == "此设备已被平台注销。"


def test_expired_token_is_refreshed_once_and_the_request_repeated(
    fake: tuple[Script, str],
) -> None:
    script, url = fake
    expired = {"code": "token_expired", "message": "访问令牌已过期"}
    script.replies["/v1/sync/pull"] = [Reply.json(expired, 401), Reply.json(EMPTY_PAGE)]
    script.replies["/v1/auth/refresh"] = [Reply.json(TOKENS)]
    saved: list[str] = []
    with transport(url) as t:
        t.on_tokens = lambda pair: saved.append(pair.access_token)
        assert t.pull(None, 10).cursor == "c1"
    assert saved == ["new-access"]
    assert [(m, p, a) for m, p, a in script.seen] == [
        ("GET", "/v1/sync/pull", "Bearer old-access"),
        ("POST", "/v1/auth/refresh", None),
        ("GET", "/v1/sync/pull", "Bearer new-access"),
    ]


def test_other_401_is_an_auth_error_without_refresh(fake: tuple[Script, str]) -> None:
    script, url = fake
    script.replies["/v1/sync/pull"] = [
        Reply.json({"code": "unauthenticated", "message": "访问令牌无效，请重新登录。"}, 401)
    ]
    with transport(url) as t, pytest.raises(AuthError) as info:
        t.pull(None, 10)
    assert info.value.user_message == "访问令牌无效，请重新登录。" and len(script.seen) == 1


def test_schema_breaking_pull_changes_nothing_locally(
    fake: tuple[Script, str], store: Store, tmp_path: Path
) -> None:
    script, url = fake
    good = {"collection": "entities", "record_id": "91140403000007310X", "version": 1,
            "fields": {"uscc": "91140403000007310X", "name": "长治市示例有限公司"}}  # fmt: skip
    broken = {"collection": "entities", "record_id": "x", "version": "one"}
    script.replies["/v1/sync/pull"] = [
        Reply.json({"changes": [good, broken], "cursor": "c9", "has_more": False})
    ]
    with transport(url) as t, pytest.raises(ProtocolError):
        SyncEngine(store, t).sync()
    with store.read() as s:
        assert EntityRepository(s).count() == 0
    assert stored_cursor(store) is None
