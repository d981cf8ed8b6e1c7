"""HTTP transport to the municipal platform: one ``requests.Session``, retries, auth, errors.

Every request goes through :meth:`Transport.request`, which

* always verifies TLS (an optional CA bundle replaces the system store, never disables it);
* uses connect/read timeouts of 5 s / 30 s;
* retries *safe* requests — GET/HEAD and ``POST /v1/sync/push``, which the platform makes
  idempotent through ``(device_id, mutation_seq)`` — on connection errors, timeouts, answers
  cut short in their body and 502/503/504, with exponential backoff and full jitter (sleep
  ``uniform(0, min(cap, base·2^n))``), so many clients coming back online do not hit the
  platform in lock step;
* refreshes the access token once on ``401 token_expired`` and repeats the request; a refresh
  whose answer was lost is tried once more, which the platform's refresh grace period accepts;
  every refresh is signed with the device key (:attr:`Transport.signer`, set by
  :mod:`sync.credentials`), so a copied refresh token is useless elsewhere;
* maps every failure to :mod:`sync.errors` (:func:`translate_errors`), and parses answers
  with the :mod:`sync.protocol` models: an answer that breaks the schema is a
  :class:`ProtocolError` and nothing of it reaches the store. Pull pages, the one large
  answer, are decoded with orjson and checked by hand (:func:`parse_pull_page`) against the
  same schema instead of building a pydantic model per change.

Optional public-key pinning (``pin_sha256``, see :mod:`sync.tls`): every HTTPS connection must
then present a certificate whose SubjectPublicKeyInfo hashes (SHA-256) to the pin, checked
right after the normal, still verified, TLS handshake and before the request is sent; the CA
bundle and hostname checks still apply. A mismatch is a :class:`TlsPinMismatch` (never retried,
not "offline"), and with a pin set, plain ``http://`` is refused with one (``code=
"tls_required"``): a pin means the platform must speak TLS.
"""

from __future__ import annotations

import base64
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import orjson
import requests
from pydantic import BaseModel, ValidationError

from sync.errors import (
    AuthError,
    Cancelled,
    DeviceRevoked,
    Offline,
    ProtocolError,
    Refused,
    ServerError,
    SyncError,
)
from sync.protocol import (
    API_PREFIX,
    ErrorBody,
    LoginRequest,
    PullResponse,
    PushRequest,
    PushResponse,
    ReasonCode,
    RefreshRequest,
    TokenPair,
)
from sync.protocol.refresh_signature import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    refresh_signing_message,
)
from sync.tls import PinningAdapter, RefusePlainHttpAdapter

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 30.0
RETRY_STATUSES = frozenset({502, 503, 504})
SAFE_METHODS = frozenset({"GET", "HEAD"})
IDEMPOTENT_POSTS = frozenset({f"{API_PREFIX}/sync/push", f"{API_PREFIX}/reports"})
# Tries of one refresh: the platform forgives one replay of a spent refresh token whose answer
# was lost (its refresh grace period), and only one.
REFRESH_ATTEMPTS = 2
TRUNCATED = "truncated"
_TLS_MESSAGE = (
    "无法验证平台的安全证书，已停止连接以保护数据。请检查系统时间和网络设置，或联系管理员。"
)

__all__ = [
    "PullPage",
    "PulledChange",
    "Transport",
    "parse_pull_page",
    "refresh_signing_message",
    "translate_errors",
]


class PulledChange(NamedTuple):
    """One change of a pull page (the fields of :class:`sync.protocol.Change`)."""

    collection: str
    record_id: str
    version: int
    deleted: bool
    fields: dict[str, Any] | None


class PullPage(NamedTuple):
    """A pull page (the fields of :class:`sync.protocol.PullResponse`)."""

    changes: list[PulledChange]
    cursor: str
    has_more: bool
    reset: bool


def _schema_error(detail: str) -> ProtocolError:
    return ProtocolError(f"{PullResponse.__name__} does not match the schema: {detail}")


def parse_pull_page(content: bytes) -> PullPage:
    """Decode and check a ``PullResponse`` body with plain type checks (unknown keys ignored).

    Raises:
        ProtocolError: Not JSON, or not what :class:`sync.protocol.PullResponse` says.
    """
    try:
        body = orjson.loads(content)
    except orjson.JSONDecodeError as exc:
        raise _schema_error(f"invalid JSON: {exc}") from exc
    if type(body) is not dict:
        raise _schema_error("not an object")
    changes = body.get("changes")
    cursor = body.get("cursor")
    has_more = body.get("has_more")
    reset = body.get("reset", False)
    if type(changes) is not list:
        raise _schema_error("changes: expected a list")
    if type(cursor) is not str:
        raise _schema_error("cursor: expected a string")
    if type(has_more) is not bool:
        raise _schema_error("has_more: expected a boolean")
    if type(reset) is not bool:
        raise _schema_error("reset: expected a boolean")
    out: list[PulledChange] = []
    append = out.append
    for i, c in enumerate(changes):
        if type(c) is not dict:
            raise _schema_error(f"changes.{i}: expected an object")
        collection = c.get("collection")
        record_id = c.get("record_id")
        version = c.get("version")
        deleted = c.get("deleted", False)
        fields = c.get("fields")
        if (
            type(collection) is not str
            or type(record_id) is not str
            or type(version) is not int
            or type(deleted) is not bool
            or (fields is not None and type(fields) is not dict)
        ):
            raise _schema_error(f"changes.{i}: bad or missing collection/record_id/version")
        append(PulledChange(collection, record_id, version, deleted, fields))
    return PullPage(out, cursor, has_more, reset)


@contextmanager
def translate_errors() -> Iterator[None]:
    """Turn ``requests`` exceptions raised inside the block into :mod:`sync.errors` ones.

    Raises:
        Offline: Connection refused/reset, DNS failure, timeout, TLS failure (``code="tls"``),
            or an answer cut short in its body (``code="truncated"``).
        ProtocolError: A body that could not be decoded.

    A :class:`sync.errors.TlsPinMismatch` raised by the pinning adapter is already an engine
    error and passes through unchanged.
    """
    try:
        yield
    except requests.exceptions.SSLError as exc:
        raise Offline(str(exc), user_message=_TLS_MESSAGE, code="tls") from exc
    except requests.exceptions.ChunkedEncodingError as exc:
        # The connection died mid-body (urllib3's IncompleteRead/ProtocolError: fewer bytes
        # than Content-Length, or a chunked stream that stopped). That is the network failing,
        # like a reset, not a platform speaking another protocol: retried, then "offline".
        raise Offline(f"answer cut short: {exc}", code=TRUNCATED) from exc
    except requests.exceptions.ContentDecodingError as exc:
        # Checked before ConnectionError: a body that arrived whole but does not decode.
        raise ProtocolError(f"undecodable body: {exc}") from exc
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
        raise Offline(str(exc)) from exc
    except requests.exceptions.RequestException as exc:
        raise ProtocolError(str(exc)) from exc


class _Bearer(requests.auth.AuthBase):
    # An AuthBase (not a plain header) so requests never swaps in ~/.netrc credentials.
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self.token}"
        return r


class Transport:
    """The client's one connection to the platform.

    Args:
        base_url: ``https://platform.example`` (``http://127.0.0.1:…`` in tests).
        ca_bundle: A PEM file of CA certificates to trust instead of the system store.
        max_attempts: Tries of a safe request before its error is raised.
        backoff_base: First backoff ceiling in seconds (doubles each retry).
        backoff_cap: Largest backoff ceiling in seconds.
        timeout: ``(connect, read)`` seconds.
        rng: Source of jitter (tests pass a seeded one).
        pin_sha256: SHA-256 of the platform certificate's SubjectPublicKeyInfo, as 64 hex
            digits or base64 (:func:`sync.tls.parse_pin`; an admin computes it with
            :func:`sync.tls.spki_sha256`). None: no pinning, only certificate verification.

    Raises:
        ValueError: A malformed ``pin_sha256``.
    """

    def __init__(
        self,
        base_url: str,
        *,
        ca_bundle: Path | None = None,
        max_attempts: int = 5,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        timeout: tuple[float, float] = (CONNECT_TIMEOUT_S, READ_TIMEOUT_S),
        rng: random.Random | None = None,
        pin_sha256: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.max_attempts = max(1, max_attempts)
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.timeout = timeout
        self.cancel: threading.Event | None = None
        self.device_id: str | None = None
        self.on_tokens: Callable[[TokenPair], None] | None = None
        # Signs refresh requests with the device's enrolled Ed25519 key (sync.credentials).
        self.signer: Callable[[bytes], bytes] | None = None
        self._access: str | None = None
        # Running totals for progress events (bodies as sent and as decoded).
        self.bytes_out = 0
        self.bytes_in = 0
        self._refresh: str | None = None
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not a secret
        self.session = requests.Session()
        # Verification stays on whatever the environment says (REQUESTS_CA_BUNDLE etc.).
        self.session.verify = str(ca_bundle) if ca_bundle is not None else True
        self.pinned = pin_sha256 is not None
        if pin_sha256 is not None:
            # Both prefixes are replaced, so no request of this session escapes the pin.
            self.session.mount("https://", PinningAdapter(pin_sha256))
            self.session.mount("http://", RefusePlainHttpAdapter())
        self.session.headers.update(
            {
                "Accept": "application/json",
                "Accept-Encoding": "gzip",
                "User-Agent": "credit-desk-sync/1",
            }
        )

    # --- lifecycle and credentials ------------------------------------------------------------

    def close(self) -> None:
        """Close pooled connections."""
        self.session.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def set_tokens(self, device_id: str, access_token: str, refresh_token: str) -> None:
        """Use these tokens for authenticated requests (from the keyring or a login)."""
        self.device_id = device_id
        self._access = access_token
        self._refresh = refresh_token

    @property
    def has_tokens(self) -> bool:
        """Whether an access token is set."""
        return self._access is not None

    def _accept(self, pair: TokenPair) -> None:
        self._access, self._refresh = pair.access_token, pair.refresh_token
        if self.on_tokens is not None:
            self.on_tokens(pair)

    # --- the protocol's calls -----------------------------------------------------------------

    def login(self, body: LoginRequest) -> TokenPair:
        """Log in with a password from this device (enrols the device on first login).

        Raises:
            AuthError: Wrong username or password, or the device belongs to someone else.
            DeviceRevoked: The device was revoked.
        """
        resp = self.request("POST", "/auth/login", json=body.model_dump(mode="json"), auth=False)
        pair = self.parse(resp, TokenPair)
        self.device_id = body.device_id
        self._accept(pair)
        return pair

    def refresh(self) -> TokenPair:
        """Trade the refresh token for a new pair.

        Tried at most twice (:data:`REFRESH_ATTEMPTS`), and only when no answer came (network
        fault, cut body, 502/503/504): a refresh token is spent on first use, and the platform
        accepts a spent one again only once, from this device, within its grace period. A
        third try could make it revoke every session of the device. Signed by :attr:`signer`
        (``X-Device-Signature`` over :func:`refresh_signing_message`, ``X-Device-Timestamp``).

        Raises:
            AuthError: No refresh token, or the platform refused it.
        """
        if self._refresh is None or self.device_id is None:
            raise AuthError("no refresh token")
        body = RefreshRequest(refresh_token=self._refresh, device_id=self.device_id)
        headers: dict[str, str] = {}
        if self.signer is not None:
            moment = int(time.time())
            message = refresh_signing_message(self._refresh, self.device_id, moment)
            headers[SIGNATURE_HEADER] = base64.b64encode(self.signer(message)).decode()
            headers[TIMESTAMP_HEADER] = str(moment)
        else:
            log.warning("refresh without a device key: the platform will refuse it")
        resp = self.request(
            "POST",
            "/auth/refresh",
            json=body.model_dump(mode="json"),
            headers=headers,
            auth=False,
            retry=True,
            attempts=REFRESH_ATTEMPTS,
        )
        pair = self.parse(resp, TokenPair)
        self._accept(pair)
        return pair

    def push(self, body: PushRequest) -> PushResponse:
        """Send a batch of mutations; one result per mutation, in order."""
        resp = self.request("POST", "/sync/push", json=body.model_dump(mode="json"))
        return self.parse(resp, PushResponse)

    def pull(self, cursor: str | None, limit: int, snapshot: str | None = None) -> PullPage:
        """One page of changes after ``cursor``.

        ``snapshot``: the cursor of the snapshot this store was made from (the platform leaves
        out what it holds; :mod:`sync.snapshot`).

        Raises:
            ProtocolError: The page is not JSON or breaks the ``PullResponse`` schema.
        """
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        if snapshot:
            params["snapshot"] = snapshot
        return self.parse_pull(self.request("GET", "/sync/pull", params=params))

    # --- the machinery ------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        if path.startswith("/v1/") or path.startswith("/healthz"):
            return self.base_url + path
        return self.base_url + API_PREFIX + path

    def _retryable(self, method: str, url: str) -> bool:
        path = url[len(self.base_url) :]
        return method in SAFE_METHODS or (method == "POST" and path in IDEMPOTENT_POSTS)

    def _pause(self, attempt: int, retry_after: str | None = None) -> None:
        ceiling = min(self.backoff_cap, self.backoff_base * (2**attempt))
        delay = self._rng.uniform(0, ceiling)
        if retry_after is not None and retry_after.isdigit():
            # The platform knows better when it will be back, but never wait past the cap.
            delay = min(self.backoff_cap, max(delay, float(retry_after)))
        if self.cancel is not None:
            if self.cancel.wait(delay):
                raise Cancelled("cancelled during backoff")
        else:
            time.sleep(delay)

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
        retry: bool | None = None,
        attempts: int | None = None,
        stream: bool = False,
    ) -> requests.Response:
        """Send one request; retry, refresh and map errors as the module docstring says.

        Args:
            method: HTTP method.
            path: ``/sync/pull`` (``/v1`` is added) or a full ``/v1/…`` path.
            json: A JSON body.
            params: Query parameters.
            data: A raw body (blob chunks).
            headers: Extra headers.
            auth: Send the bearer token (and refresh it when it expired).
            retry: Override whether the request is safe to retry.
            attempts: Fewer tries than ``max_attempts`` for this request, when it may be retried.
            stream: Leave a 2xx body unread, for the caller to read in pieces and close
                (``bytes_in`` does not count it).

        Returns:
            A response with a 2xx status and its body fully read (unless ``stream``).

        Raises:
            SyncError: One of the :mod:`sync.errors` subclasses.
        """
        url = self._url(path)
        may_retry = self._retryable(method, url) if retry is None else retry
        tries = self.max_attempts if attempts is None else max(1, min(attempts, self.max_attempts))
        refreshed = False
        attempt = 0
        while True:
            if auth and self._access is None:
                raise AuthError("not logged in")
            try:
                with translate_errors():
                    resp = self.session.request(
                        method,
                        url,
                        json=json,
                        params=params,
                        data=data,
                        headers=dict(headers or {}),
                        auth=_Bearer(self._access) if auth and self._access else None,
                        timeout=self.timeout,
                        allow_redirects=False,
                        stream=stream,
                    )
            except Offline as exc:
                if exc.code == "tls" or not may_retry or attempt + 1 >= tries:
                    raise
                log.info("%s %s failed (%s), retrying", method, path, exc)
                self._pause(attempt)
                attempt += 1
                continue
            busy = resp.status_code in RETRY_STATUSES
            if busy and may_retry and attempt + 1 < tries:
                log.info("%s %s answered %d, retrying", method, path, resp.status_code)
                self._pause(attempt, resp.headers.get("Retry-After"))
                attempt += 1
                continue
            if resp.status_code == 401 and auth and not refreshed:
                body = _error_body(resp)
                if body is not None and body.code is ReasonCode.TOKEN_EXPIRED:
                    self.refresh()
                    refreshed = True
                    continue
            self.bytes_out += len(resp.request.body or b"")
            if stream and resp.status_code < 300:
                return resp
            self.bytes_in += len(resp.content)
            if resp.status_code >= 300:
                raise error_for(resp)
            return resp

    @staticmethod
    def parse_pull(resp: requests.Response) -> PullPage:
        """Check the content type and parse a pull page (:func:`parse_pull_page`).

        Raises:
            ProtocolError: Not JSON, malformed, or not what the schema says.
        """
        _check_json(resp)
        return parse_pull_page(resp.content)

    @staticmethod
    def parse(resp: requests.Response, model: type[M]) -> M:
        """Validate a JSON answer against ``model``.

        Raises:
            ProtocolError: Not JSON, malformed, or not what the schema says.
        """
        _check_json(resp)
        try:
            return model.model_validate_json(resp.content)
        except ValidationError as exc:
            raise ProtocolError(f"{model.__name__} does not match the schema: {exc}") from exc


def _check_json(resp: requests.Response) -> None:
    ctype = resp.headers.get("Content-Type", "")
    if ctype.split(";")[0].strip().lower() != "application/json":
        raise ProtocolError(f"expected application/json, got {ctype!r}")


def _error_body(resp: requests.Response) -> ErrorBody | None:
    try:
        return ErrorBody.model_validate_json(resp.content)
    except ValidationError:
        return None


_MALFORMED = frozenset({ReasonCode.VALIDATION_ERROR.value, ReasonCode.BAD_REQUEST.value})
"""Reason codes of a request that broke the protocol (the platform's words would not help)."""


def error_for(resp: requests.Response) -> SyncError:
    """The engine exception for a non-2xx answer (with the platform's Chinese message)."""
    error = _error_for(resp)
    error.status = resp.status_code
    return error


def _error_for(resp: requests.Response) -> SyncError:
    body = _error_body(resp)
    code = body.code.value if body is not None else None
    message = body.message if body is not None else None
    detail = f"HTTP {resp.status_code} {code or ''}: {message or resp.text[:200]}"
    status = resp.status_code
    if status == 410 or code == ReasonCode.DEVICE_REVOKED:
        # Wipe only on the platform's own word: a JSON ErrorBody device_revoked (410) answering
        # a request that carried credentials (a bearer token, or a login or refresh), over
        # verified TLS (the session never turns verification off) or loopback. Any other 410
        # (a proxy, a captive portal, plain http to another host) is a server error.
        import ipaddress
        from urllib.parse import urlsplit

        sent = resp.request
        target = urlsplit(sent.url or "")
        host = (target.hostname or "").lower()
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
        trusted = (
            status == 410
            and code == ReasonCode.DEVICE_REVOKED
            and ctype == "application/json"
            and (target.scheme == "https" or (target.scheme == "http" and loopback))
            and (
                str(sent.headers.get("Authorization", "")).startswith("Bearer ")
                or (
                    sent.method == "POST" and target.path.endswith(("/auth/login", "/auth/refresh"))
                )
            )
        )
        if trusted:
            return DeviceRevoked(detail, user_message=message, code=code)
        log.warning(
            "not a revocation the platform vouches for, treated as a server error: %s", detail
        )
        return ServerError(detail, code=code)
    if status == 401 or code == ReasonCode.DEVICE_MISMATCH:
        return AuthError(detail, user_message=message, code=code)
    if status in (400, 422):
        if message and code not in _MALFORMED:
            # A refusal the platform explains (a date, an account, a state): its words.
            return Refused(detail, user_message=message, code=code)
        # Our request broke the contract: the client and platform disagree about the protocol.
        return ProtocolError(detail, code=code)
    if status >= 500 or body is None:
        return ServerError(detail, code=code)
    return ServerError(detail, user_message=message, code=code)
