"""A fault-injecting HTTP/TCP proxy for the sync reliability tests.

The proxy listens on ``127.0.0.1`` and forwards to one loopback upstream. It handles one
HTTP request per client connection (it forces ``Connection: close`` both ways), which lets
it decide, per request and from a seeded RNG, to:

* ``drop_before`` — close the client connection without forwarding the request;
* ``drop_after`` — forward the request (the server applies it) and close without answering;
* ``delay`` — wait a little before forwarding;
* ``cut`` — forward, then send the answer's head and only part of its body, and close;
* ``status_before`` — answer a raw ``503``/``500`` without forwarding;
* ``status_after`` — forward (the server applies it), then answer ``500``/``503`` instead;
* ``stall`` — hold the connection without answering until the client gives up.

``faults = False`` turns every fault off (the final "settle" sync). :meth:`FaultProxy.force`
injects one fault into the next requests of a path, whatever the rates (a ``cut`` then always
falls inside the body, halfway).
"""

from __future__ import annotations

import random
import socket
import threading
from collections import Counter
from dataclasses import dataclass, field
from types import TracebackType

FAULTS = ("drop_before", "drop_after", "delay", "cut", "status_before", "status_after", "stall")
_IO_TIMEOUT_S = 60.0


@dataclass
class FaultRates:
    """Probability of each fault per request (they are tried in this order)."""

    drop_before: float = 0.0
    drop_after: float = 0.0
    delay: float = 0.0
    cut: float = 0.0
    status_before: float = 0.0
    status_after: float = 0.0
    stall: float = 0.0
    max_delay_s: float = 0.2
    stall_s: float = 3.0

    @classmethod
    def chaos(cls, p: float = 0.05) -> FaultRates:
        """Every fault with probability ``p`` (a stall only half as often: it is slow)."""
        return cls(p, p, p, p, p, p, p / 2)


@dataclass
class _Forced:
    fault: str
    path: str
    left: int


@dataclass
class FaultProxy:
    """The proxy; use as a context manager (``with FaultProxy(...) as proxy``).

    Attributes:
        upstream: ``(host, port)`` of the real server (loopback).
        rates: Fault probabilities.
        seed: Seed of the RNG that picks faults.
        faults: False forwards everything untouched.
        injected: How many times each fault was injected.
        requests: Requests seen (forwarded or not).
    """

    upstream: tuple[str, int]
    rates: FaultRates = field(default_factory=FaultRates)
    seed: int = 0
    faults: bool = True
    injected: Counter[str] = field(default_factory=Counter)
    requests: int = 0

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()
        self._forced: list[_Forced] = []
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>`` of the proxy."""
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def __enter__(self) -> FaultProxy:
        self._acceptor.start()
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def force(self, fault: str, times: int, path: str = "/") -> None:
        """Inject ``fault`` into the next ``times`` requests whose path starts with ``path``.

        Forced faults apply even with ``faults = False`` and before the random ones.
        """
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}")
        with self._lock:
            self._forced.append(_Forced(fault, path, times))

    def clear_forced(self) -> None:
        """Drop the forced faults not injected yet."""
        with self._lock:
            self._forced.clear()

    def close(self) -> None:
        """Stop accepting and wait (bounded) for connection threads."""
        self._stop.set()
        self._acceptor.join(timeout=5)
        self._listener.close()
        for t in list(self._threads):
            t.join(timeout=5)

    # --- internals ----------------------------------------------------------------------------

    def _pick(self, path: str) -> tuple[str | None, float]:
        with self._lock:
            self.requests += 1
            for forced in self._forced:
                if forced.left > 0 and path.startswith(forced.path):
                    forced.left -= 1
                    self.injected[forced.fault] += 1
                    return forced.fault, 0.5
            if not self.faults:
                return None, 0.0
            for name in FAULTS:
                if self._rng.random() < getattr(self.rates, name):
                    self.injected[name] += 1
                    return name, self._rng.random()
            return None, 0.0

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            t = threading.Thread(target=self._handle, args=(client,), daemon=True)
            self._threads = [x for x in self._threads if x.is_alive()]
            self._threads.append(t)
            t.start()

    def _handle(self, client: socket.socket) -> None:
        try:
            with client:
                client.settimeout(_IO_TIMEOUT_S)
                request = _read_request(client)
                if request is None:
                    return
                fault, r = self._pick(_request_path(request))
                if fault == "drop_before":
                    return
                if fault == "status_before":
                    client.sendall(_raw_status(503 if r < 0.5 else 500))
                    return
                if fault == "stall":
                    # Hold the connection open, unanswered, until the client gives up
                    # (it closes its end) or stall_s passes.
                    client.settimeout(self.rates.stall_s)
                    try:
                        while client.recv(65536):
                            pass
                    except OSError:
                        pass
                    return
                if fault == "delay" and self._stop.wait(r * self.rates.max_delay_s):
                    return
                response = _forward(self.upstream, request)
                if fault == "drop_after":
                    return
                if fault == "status_after":
                    client.sendall(_raw_status(500 if r < 0.5 else 503))
                    return
                if fault == "cut":
                    head, _, body = response.partition(b"\r\n\r\n")
                    if body:
                        client.sendall(head + b"\r\n\r\n" + body[: int(len(body) * r)])
                        return
                    client.sendall(response[: max(1, int(len(response) * r))])
                    return
                client.sendall(response)
        except OSError:
            return  # the client went away (e.g. it timed out): nothing to do


def _read_request(sock: socket.socket) -> bytes | None:
    """Read one HTTP request (head + ``Content-Length`` body); force ``Connection: close``."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > 1 << 20:
            return None
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = 0
    kept = [lines[0]]
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        lname = name.strip().lower()
        if lname == b"content-length":
            length = int(value.strip())
        if lname in (b"connection", b"keep-alive"):
            continue
        kept.append(line)
    kept.append(b"Connection: close")
    while len(body) < length:
        chunk = sock.recv(min(65536, length - len(body)))
        if not chunk:
            return None
        body += chunk
    return b"\r\n".join(kept) + b"\r\n\r\n" + body


def _request_path(request: bytes) -> str:
    """The path of a request (``GET /v1/sync/pull?limit=5 HTTP/1.1`` → ``/v1/sync/pull``)."""
    parts = request.split(b"\r\n", 1)[0].split(b" ")
    return parts[1].split(b"?", 1)[0].decode("latin-1") if len(parts) > 1 else ""


def _forward(upstream: tuple[str, int], request: bytes) -> bytes:
    """Send ``request`` to the server and read its whole answer (it closes the connection)."""
    with socket.create_connection(upstream, timeout=_IO_TIMEOUT_S) as up:
        up.sendall(request)
        parts: list[bytes] = []
        while chunk := up.recv(65536):
            parts.append(chunk)
    response = b"".join(parts)
    head, sep, body = response.partition(b"\r\n\r\n")
    if b"\r\nconnection:" not in head.lower():
        head += b"\r\nConnection: close"
    return head + sep + body


def _raw_status(status: int) -> bytes:
    reason = {500: b"Internal Server Error", 503: b"Service Unavailable"}[status]
    body = reason
    return (
        b"HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
        b"Connection: close\r\n\r\n%s" % (status, reason, len(body), body)
    )
