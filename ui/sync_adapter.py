"""The one thin Qt adapter of the sync engine: runs it off the GUI thread, re-emits its events.

The engine (:mod:`sync.engine`) is plain Python and emits :class:`~sync.events.SyncEvent`
values on the thread it runs on. :class:`SyncController` runs it on the task manager's
sync worker (its own thread and store connection, so saves on the database worker interleave
with its short transactions; network I/O inside a sync is the engine's own), turns every
event into a queued Qt signal, and decides *when* to sync: on demand, every few minutes, and
as soon as a reachability probe sees the platform again.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from desktop_app.config import ProfilePaths, Settings
from desktop_app.services.app import AppServices
from sync.credentials import TokenVault, login, restore_session
from sync.decisions import fetch_statistics, send_decision
from sync.engine import INTERACTIVE_PULL_LIMIT, SyncEngine
from sync.errors import AuthError, Cancelled, DeviceRevoked, Offline, SyncError
from sync.events import SyncEvent, SyncReport
from sync.offline_pack import OfflinePack, prepare_offline
from sync.transport import Transport
from ui.connection import ConnectionState, platform_address_problem, state_hint
from ui.taskman import TaskManager

T = TypeVar("T")

PlatformCall = Callable[..., None]
"""What a page gets to ask the platform: :meth:`SyncController.call_platform` (request,
on_done, on_error, what needs the platform, ``context=`` the asking widget)."""

log = logging.getLogger(__name__)

PLATFORM_URL_KEY = "platform_url"
# Optional SHA-256 of the platform's public key (hex or base64), set by the city's IT in the
# profile's settings.json; when present every connection must present that key (TLS only).
PLATFORM_PIN_KEY = "platform_pin_sha256"
PROBE_INTERVAL_MS = 30_000
DEFAULT_SYNC_MINUTES = 10
SYNC_MINUTES_KEY = "sync_interval_minutes"
SOON_MS = 5_000  # after a local change, while online: sync this much later
PROBE_TIMEOUT = (2.0, 5.0)
UNEXPECTED_MESSAGE = "同步时发生意外错误，本机数据已保存。详细信息已写入日志，请联系管理员。"


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class SyncController(QObject):
    """Sync of one profile with the platform, driven from the GUI thread.

    Args:
        services: The open profile's services (store, sync status, wipe).
        tasks: The one background runner.
        settings: Preferences; the platform URL lives in ``extra["platform_url"]``.
        paths: The profile (settings file, keyring id).
        demo: Demo mode (the login dialog shows the demo account).
        parent: Qt parent.

    Signals:
        started(): A sync began.
        progress(str, int, int, object): phase, done, total (-1 when unknown), bytes (an int).
        finished(object): A sync ended well, with its :class:`SyncReport`.
        failed(str): A sync (or login) failed; the Chinese message says what to do next.
        online_changed(bool): The platform became reachable (True) or unreachable.
        logged_in_changed(bool): Tokens are (not) available.
        state_changed(object): The :class:`~ui.connection.ConnectionState` changed (every
            indicator shows :attr:`state` with :func:`ui.connection.state_text`).
        login_failed(str): A login attempt failed, with the Chinese reason.
        revoked(str): The platform revoked this device; the store has been wiped.
        prepared(object): A 离线准备 run ended well, with its :class:`OfflinePack`
            (``finished`` is emitted first with the sync report).
    """

    started = Signal()
    # Bytes as a Python object: a province's first pull moves more than a C int's 2 GiB.
    progress = Signal(str, int, int, object)
    finished = Signal(object)
    failed = Signal(str)
    online_changed = Signal(bool)
    logged_in_changed = Signal(bool)
    login_failed = Signal(str)
    revoked = Signal(str)
    prepared = Signal(object)
    state_changed = Signal(object)
    _event = Signal(object)

    def __init__(
        self,
        services: AppServices,
        tasks: TaskManager,
        settings: Settings,
        paths: ProfilePaths,
        *,
        demo: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self._settings = settings
        self._paths = paths
        self.demo = demo
        # Tokens go where the store key is: the keyring, or (passphrase) the store itself.
        self._vault = TokenVault.for_profile(paths, services.store)
        self._transport: Transport | None = None
        self._probe_transport: Transport | None = None
        self._cancel: threading.Event | None = None
        self._probing = False
        self._closed = False
        self.online: bool | None = None
        self.logged_in = False
        self.running = False
        # Why the configured address cannot be used ("" when it can); see ``state``.
        self.address_problem = ""
        self._pin_problem = False
        self._last_state: ConnectionState | None = None
        self._event.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        self._probe_timer = QTimer(self)
        self._probe_timer.setInterval(PROBE_INTERVAL_MS)
        self._probe_timer.timeout.connect(self.probe)
        self._sync_timer = QTimer(self)
        minutes = settings.get(SYNC_MINUTES_KEY, DEFAULT_SYNC_MINUTES)
        if not isinstance(minutes, int) or minutes <= 0:
            minutes = DEFAULT_SYNC_MINUTES
        self._sync_timer.setInterval(minutes * 60_000)
        self._sync_timer.timeout.connect(self._periodic_sync)
        self._soon_timer = QTimer(self)
        self._soon_timer.setSingleShot(True)
        self._soon_timer.setInterval(SOON_MS)
        self._soon_timer.timeout.connect(self._periodic_sync)
        self._make_transports(self.url)
        self.online_changed.connect(lambda _v: self._emit_state())
        self.logged_in_changed.connect(lambda _v: self._emit_state())

    # -- configuration -------------------------------------------------------------------

    @property
    def url(self) -> str:
        """The platform's base URL, or ``""`` when none is configured."""
        value = self._settings.get(PLATFORM_URL_KEY)
        return value if isinstance(value, str) else ""

    @property
    def configured(self) -> bool:
        """Whether a platform URL is set."""
        return bool(self.url)

    @property
    def state(self) -> ConnectionState:
        """The one connection state every indicator shows."""
        if not self.configured:
            return ConnectionState.NOT_CONFIGURED
        if self.address_problem:
            return ConnectionState.ADDRESS_INVALID
        if self.online is None:
            return ConnectionState.CHECKING
        if not self.online:
            return ConnectionState.UNREACHABLE
        return ConnectionState.ONLINE if self.logged_in else ConnectionState.ONLINE_LOGGED_OUT

    @property
    def state_hint(self) -> str:
        """What the user can do in the current :attr:`state`."""
        return state_hint(self.state, self.address_problem, pin=self._pin_problem)

    def _emit_state(self) -> None:
        state = self.state
        if state is not self._last_state:
            self._last_state = state
            self.state_changed.emit(state)

    def _make_transports(self, url: str) -> None:
        for old in (self._transport, self._probe_transport):
            if old is not None:
                old.close()
        self._transport = self._probe_transport = None
        self.address_problem, self._pin_problem = "", False
        if url:
            self._connect(url)
        self._emit_state()

    def _connect(self, url: str) -> None:
        problem = platform_address_problem(url)
        if problem is not None:
            # Never a silent no-sync: the status bar says the address is broken.
            log.error("platform address %r in settings is malformed: %s", url, problem)
            self.address_problem = problem
            return
        pin = self._settings.get(PLATFORM_PIN_KEY)
        pin = pin if isinstance(pin, str) and pin.strip() else None
        try:
            self._transport = Transport(url, pin_sha256=pin)
            self._probe_transport = Transport(
                url, max_attempts=1, timeout=PROBE_TIMEOUT, pin_sha256=pin
            )
        except ValueError as exc:
            # A malformed pin must not silently turn pinning off: stay offline instead.
            log.error("platform pin in settings is malformed (%s); not connecting", exc)
            self._transport = self._probe_transport = None
            self.address_problem, self._pin_problem = str(exc), True

    def _set_url(self, url: str) -> None:
        url = url.strip().rstrip("/")
        if url == self.url and self._transport is not None:
            return
        try:
            # Written at once: an address the user typed survives a crash or a power cut.
            self._settings.set(PLATFORM_URL_KEY, url)
        except OSError as exc:
            log.warning("could not save the platform URL: %s", exc)
        self.online = None  # a new address: nothing is known about it yet
        self._make_transports(url)
        self._set_logged_in(False)
        self.probe()

    # -- life cycle ----------------------------------------------------------------------

    def start(self) -> None:
        """Restore a stored login (on the database worker), then start probing."""
        transport = self._transport
        if transport is not None:
            store = self._services.store
            self._tasks.run_db(
                lambda: restore_session(store, transport, self._vault),
                self._on_restored,
                lambda exc: log.warning("restoring the login failed: %s", exc),
                context=self,
            )
        self._probe_timer.start()
        self._sync_timer.start()
        self.probe()

    def _on_restored(self, found: bool) -> None:
        self._set_logged_in(found)
        if found and self.online:
            self.sync_now()

    def shutdown(self) -> None:
        """Stop the timers, cancel a running sync and close connections (window closing)."""
        self._closed = True
        self._probe_timer.stop()
        self._sync_timer.stop()
        self._soon_timer.stop()
        self.cancel()

    def _set_logged_in(self, value: bool) -> None:
        if value != self.logged_in:
            self.logged_in = value
            self.logged_in_changed.emit(value)

    def _set_online(self, value: bool, *, resync: bool = True) -> None:
        was = self.online
        if value != was:
            self.online = value
            self.online_changed.emit(value)
        if resync and value and not was and self.logged_in:
            self.sync_now()  # back online: send what piled up offline

    # -- reachability --------------------------------------------------------------------

    def probe(self) -> None:
        """Ask ``GET /healthz`` on a network worker whether the platform is reachable."""
        transport = self._probe_transport
        if transport is None or self._probing or self._closed:
            return
        self._probing = True

        def check() -> bool:
            try:
                transport.request("GET", "/healthz", auth=False, retry=False)
            except SyncError:
                return False
            return True

        self._tasks.run_net(check, self._on_probe, self._on_probe_error, context=self)

    def _on_probe(self, reachable: bool) -> None:
        self._probing = False
        if not self._closed:
            self._set_online(reachable)

    def _on_probe_error(self, exc: Exception) -> None:
        self._probing = False
        log.warning("reachability probe failed: %s", exc)
        self._set_online(False)

    # -- login ---------------------------------------------------------------------------

    def login(self, url: str, username: str, password: str) -> None:
        """Log in on the database worker; ``logged_in_changed(True)`` or ``login_failed``."""
        if not url.strip():
            self.login_failed.emit(self.tr("请填写市级平台地址。"))
            return
        problem = platform_address_problem(url.strip().rstrip("/"))
        if problem is not None:
            # The stored address stays as it was: a typo is not saved over a working one.
            self.login_failed.emit(
                self.tr("平台地址无效（{problem}），请检查后重新填写。").format(problem=problem)
            )
            return
        self._set_url(url)
        transport = self._transport
        if transport is None:
            self.login_failed.emit(self.state_hint)
            return
        store = self._services.store
        name = socket.gethostname()

        def work() -> object:
            return login(store, transport, self._vault, username, password, device_name=name)

        self._tasks.run_db(work, self._on_login, self._on_login_error, context=self)

    def _on_login(self, user: object) -> None:
        name = getattr(user, "display_name", "")
        if isinstance(name, str) and name:
            # The 经办人 from now on (sync.credentials.login kept it in the store, too).
            self._services.user.logged_in(name)
        self._set_logged_in(True)
        self.probe()
        self.sync_now()

    def _on_login_error(self, exc: Exception) -> None:
        if isinstance(exc, DeviceRevoked):
            self._wipe(exc.user_message)
            return
        if isinstance(exc, SyncError):
            self.login_failed.emit(exc.user_message)
            return
        log.error("login failed", exc_info=exc)
        self.login_failed.emit(UNEXPECTED_MESSAGE)

    def decide(
        self,
        kind: str,
        record_id: str,
        body: dict[str, Any],
        on_done: Callable[[dict[str, Any]], None],
        on_error: Callable[[str], None],
    ) -> None:
        """Send a supervisor's decision on a repair application or objection, then sync.

        ``on_error`` gets the user's message (offline, refused by the platform …); nothing is
        queued: a decision is the platform's act.
        """
        transport = self._transport
        if transport is None or not self.logged_in:
            on_error(self.tr("作出决定需要连接市级平台并登录，请在“同步”页登录后重试。"))
            return

        def work() -> dict[str, Any]:
            return send_decision(transport, kind, record_id, body)

        def done(fields: dict[str, Any]) -> None:
            on_done(fields)
            self.sync_now()  # bring the decision and its effect into this store

        def failed(exc: Exception) -> None:
            if isinstance(exc, SyncError):
                on_error(exc.user_message)
                return
            log.error("decision failed", exc_info=exc)
            on_error(UNEXPECTED_MESSAGE)

        self._tasks.run_net(work, done, failed, context=self)

    def call_platform(
        self,
        work: Callable[[Transport], T],
        on_done: Callable[[T], None],
        on_error: Callable[[str], None],
        what: str,
        context: QObject | None = None,
    ) -> None:
        """Run one platform-only request off the UI thread (supervisors' lists and acts).

        Args:
            work: The request, given the logged-in transport (runs on the network worker).
            on_done: Its answer, on the UI thread.
            on_error: The user's message (offline, not logged in, refused …), on the UI thread.
            what: What needs the platform, for the message when there is no login
                (e.g. ``办理统计``).
            context: The asking widget: its callbacks are skipped once it is deleted (a
                window closed while the answer was on its way).
        """
        transport = self._transport
        if transport is None or not self.logged_in:
            on_error(
                self.tr("{what}需要连接市级平台并登录，请在“同步”页登录后重试。").format(what=what)
            )
            return

        def failed(exc: Exception) -> None:
            if isinstance(exc, SyncError):
                on_error(exc.user_message)
                return
            log.error("platform request failed (%s)", what, exc_info=exc)
            on_error(UNEXPECTED_MESSAGE)

        self._tasks.run_net(lambda: work(transport), on_done, failed, context=context or self)

    def repair_statistics(
        self, on_done: Callable[[list[dict[str, Any]]], None], on_error: Callable[[str], None]
    ) -> None:
        """Fetch the follow-up figures of repairs and objections (supervisors), off the UI."""
        self.call_platform(fetch_statistics, on_done, on_error, self.tr("办理统计"))

    def logout(self) -> None:
        """Forget the stored tokens, in the keyring and the store (the next sync needs a login)."""
        if self._transport is not None:
            self._transport.on_tokens = None  # a running sync must not store a pair again
        self._tasks.run_db(
            self._vault.clear,
            None,
            lambda exc: log.warning("clearing the login tokens failed: %s", exc),
            context=self,
        )
        self._make_transports(self.url)
        self._set_logged_in(False)

    # -- sync ----------------------------------------------------------------------------

    def _periodic_sync(self) -> None:
        if self.logged_in and self.online is not False:
            self.sync_now()

    def sync_soon(self) -> None:
        """Sync a few seconds from now, when online and logged in (local changes are waiting).

        Saves come in bursts (a form, then its letter, then a scan): one sync a moment after
        the burst sends them all, instead of leaving them for the periodic sync.
        """
        ready = self.logged_in and self.online and not self.running and not self._closed
        if ready and not self._soon_timer.isActive():
            self._soon_timer.start()

    def sync_now(self) -> bool:
        """Start a sync unless one runs already (or no login is available).

        Returns:
            Whether a sync was started.
        """
        return self._start(offline=False)

    def prepare_offline(self) -> bool:
        """Start 离线准备: a full sync, then the missing attachments (see ``prepared``).

        Returns:
            Whether it was started.
        """
        return self._start(offline=True)

    def _start(self, *, offline: bool) -> bool:
        transport = self._transport
        if self.running or self._closed or transport is None:
            return False
        if not self.logged_in:
            self.failed.emit(self.tr("尚未登录市级平台，请先登录后再同步。"))
            return False
        self.running = True
        cancel = threading.Event()
        self._cancel = cancel
        store = self._services.store
        engine = SyncEngine(store, transport, pull_limit=INTERACTIVE_PULL_LIMIT)
        status = self._services.sync_status
        emit = self._event.emit

        def run() -> tuple[SyncReport, OfflinePack | None]:
            if offline:
                pack = prepare_offline(engine, store, transport, cancel, emit)
                return pack.report, pack
            return engine.sync(cancel, emit), None

        def work() -> tuple[SyncReport, OfflinePack | None]:
            begun = _utcnow()
            try:
                report, pack = run()
            except DeviceRevoked:
                raise  # the store is about to be wiped: nothing to log into it
            except SyncError as exc:
                if isinstance(exc, Cancelled):
                    status.record_run(begun, "cancelled", message=exc.user_message)
                else:
                    status.record_run(begun, "failed", message=exc.user_message)
                raise
            status.record_run(
                begun,
                "ok",
                pushed=report.pushed,
                pulled=report.pulled,
                conflicts=report.conflicts,
                rejected=report.rejected,
            )
            return report, pack

        self.started.emit()
        # Its own worker and connection: a user's save runs between the sync's short
        # transactions instead of waiting behind the whole sync on the database worker.
        self._tasks.run_sync(work, self._on_synced, self._on_sync_error, context=self)
        return True

    def cancel(self) -> None:
        """Ask a running sync to stop at its next batch or page."""
        if self._cancel is not None:
            self._cancel.set()

    def _on_event(self, event: Any) -> None:
        if isinstance(event, SyncEvent):
            total = event.total if event.total is not None else -1
            self.progress.emit(event.phase, event.done, total, event.bytes)

    def _on_synced(self, result: tuple[SyncReport, OfflinePack | None]) -> None:
        self.running = False
        self._cancel = None
        self._set_online(True, resync=False)
        report, pack = result
        self.finished.emit(report)
        if pack is not None:
            self.prepared.emit(pack)

    def _on_sync_error(self, exc: Exception) -> None:
        self.running = False
        self._cancel = None
        if isinstance(exc, DeviceRevoked):
            self._wipe(exc.user_message)
            return
        if isinstance(exc, Offline):
            self._set_online(False)
        elif isinstance(exc, AuthError):
            self._set_logged_in(False)
        if isinstance(exc, SyncError):
            self.failed.emit(exc.user_message)
            return
        log.error("sync failed", exc_info=exc)
        self.failed.emit(UNEXPECTED_MESSAGE)

    # -- revoked device ------------------------------------------------------------------

    def _wipe(self, message: str) -> None:
        log.warning("device revoked by the platform: wiping the local profile")
        self.shutdown()
        self._set_logged_in(False)
        # Nothing may write the settings file back once the profile is erased.
        self._settings.detach()
        vault, services = self._vault, self._services

        def wipe() -> None:
            try:
                vault.clear()  # the keyring copy would outlive the wiped store
            finally:
                services.wipe()

        self._tasks.run_db(
            wipe,
            lambda _r: self.revoked.emit(message),
            lambda exc: self.revoked.emit(message + f"（清除失败：{type(exc).__name__}）"),
        )

    # -- screen lock ---------------------------------------------------------------------

    def pause(self) -> None:
        """Stop syncing while the client is locked (timers stopped, a running sync cancelled).

        ``running`` turns False when the cancelled sync has ended (``finished``/``failed``).
        """
        self.shutdown()

    def resume(self) -> None:
        """Sync again after :meth:`pause` (the client was unlocked)."""
        self._closed = False
        self._probe_timer.start()
        self._sync_timer.start()
        self.probe()
        if self.logged_in and self.online:
            self.sync_now()
