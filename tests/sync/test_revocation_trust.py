"""Only the platform itself can order a wipe: which 410 answers are a revocation.

A revocation is a JSON ErrorBody ``device_revoked`` (410) answering a request that carried
credentials, over verified TLS or loopback. A captive portal's or a proxy's 410, an answer to
an anonymous request, or one that came over plain http from another host is a server error.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
import requests

from sync.errors import DeviceRevoked, ServerError
from sync.transport import Transport, error_for
from tests.sync.test_transport import Reply, Script, _handler

REVOKED = {"code": "device_revoked", "message": "此设备已被平台注销。"}
PORTAL = b"<html><body>Please log in to the guest Wi-Fi</body></html>"


def _answer(
    url: str,
    *,
    status: int = 410,
    body: bytes = json.dumps(REVOKED).encode(),
    content_type: str = "application/json",
    method: str = "GET",
    bearer: bool = True,
) -> requests.Response:
    headers = {"Authorization": "Bearer access-token"} if bearer else {}
    resp = requests.Response()
    resp.status_code = status
    resp._content = body
    resp.headers["Content-Type"] = content_type
    resp.request = requests.Request(method, url, headers=headers).prepare()
    resp.url = url
    return resp


@pytest.mark.parametrize(
    ("url", "method", "bearer"),
    [
        ("https://platform.changzhi.gov.cn/v1/sync/pull", "GET", True),
        ("https://platform.changzhi.gov.cn/v1/auth/login", "POST", False),
        ("https://platform.changzhi.gov.cn/v1/auth/refresh", "POST", False),
        ("http://127.0.0.1:8765/v1/sync/push", "POST", True),
        ("http://localhost:8765/v1/sync/pull", "GET", True),
        ("http://[::1]:8765/v1/sync/pull", "GET", True),
    ],
)
def test_the_platforms_answer_to_a_credentialed_request_is_a_revocation(
    url: str, method: str, bearer: bool
) -> None:
    error = error_for(_answer(url, method=method, bearer=bearer))
    assert isinstance(error, DeviceRevoked)
    assert error.user_message == "此设备已被平台注销。"


@pytest.mark.parametrize(
    ("url", "kw"),
    [
        # A captive portal or proxy page: 410 without the platform's ErrorBody.
        ("https://platform.example/v1/sync/pull", {"body": PORTAL, "content_type": "text/html"}),
        ("https://platform.example/v1/sync/pull", {"body": b"", "content_type": "text/plain"}),
        # The right words in the wrong wrapping.
        ("https://platform.example/v1/sync/pull", {"content_type": "text/html"}),
        # Another code, or device_revoked with another status.
        (
            "https://platform.example/v1/sync/pull",
            {"body": json.dumps({"code": "not_found", "message": "x"}).encode()},
        ),
        ("https://platform.example/v1/sync/pull", {"status": 403}),
        ("https://platform.example/v1/sync/pull", {"status": 200}),
        # Nobody proved who asked: an anonymous request.
        ("https://platform.example/healthz", {"bearer": False}),
        ("https://platform.example/v1/reports/verify", {"bearer": False, "method": "POST"}),
        # Plain http from another host: anyone on the way could have written it.
        ("http://platform.example/v1/sync/pull", {}),
        ("http://10.1.2.3:8765/v1/sync/pull", {}),
        ("http://localhost.example.com/v1/sync/pull", {}),
    ],
)
def test_anything_else_is_a_server_error_that_wipes_nothing(
    url: str, kw: dict[str, object]
) -> None:
    error = error_for(_answer(url, **kw))  # type: ignore[arg-type]
    assert isinstance(error, ServerError) and not isinstance(error, DeviceRevoked)
    assert "注销" not in error.user_message and "清除" not in error.user_message


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


def _transport(url: str) -> Transport:
    t = Transport(url, backoff_base=0.001, backoff_cap=0.01, max_attempts=1)
    t.set_tokens("device-0001", "old-access", "old-refresh-token-0123456789")
    return t


def test_a_portal_page_with_410_over_the_wire_is_a_server_error(
    fake: tuple[Script, str],
) -> None:
    script, url = fake
    script.replies["/v1/sync/pull"] = [Reply(410, PORTAL, "text/html")]
    with _transport(url) as t, pytest.raises(ServerError) as info:
        t.pull(None, 10)
    assert not isinstance(info.value, DeviceRevoked)


def test_the_real_answer_over_loopback_is_still_a_revocation(fake: tuple[Script, str]) -> None:
    script, url = fake
    script.replies["/v1/sync/pull"] = [Reply.json(REVOKED, 410)]
    with _transport(url) as t, pytest.raises(DeviceRevoked):
        t.pull(None, 10)


def test_a_proxy_answering_for_a_plain_http_platform_cannot_order_a_wipe(
    fake: tuple[Script, str],
) -> None:
    # The client talks to http://platform.changzhi.gov.cn through an HTTP proxy (here the
    # loopback server, which never resolves the name): whatever comes back crossed a network
    # in clear text, so even the platform's exact words are not believed.
    script, proxy = fake
    target = "http://platform.changzhi.gov.cn"
    script.replies[f"{target}/v1/sync/pull"] = [Reply.json(REVOKED, 410)]
    with _transport(target) as t:
        t.session.proxies = {"http": proxy}
        with pytest.raises(ServerError) as info:
            t.pull(None, 10)
    assert not isinstance(info.value, DeviceRevoked)
    assert script.seen and script.seen[0][1] == f"{target}/v1/sync/pull"
