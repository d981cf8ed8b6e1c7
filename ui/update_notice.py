"""新版本: the status-bar notice of a newer client release, and its dialog.

:class:`UpdateNotice` is a flat button in the status bar, hidden until a check
(:func:`sync.updates.check_for_update`, on the network worker through
:meth:`~ui.sync_adapter.SyncController.call_platform`) finds a manifest signed by a pinned
release key for a later version. Then it reads ``新版本 0.2.0``; a click opens
:class:`UpdateDialog` — the notes, the date, each file with its size and SHA-256, and the
download links, which open in the browser. The client never downloads or installs anything.

When: after login, and then at most once a day (an hourly timer asks whether a day has passed),
only while online and logged in; never on the GUI thread. The last check's time
(``update_last_check``) and the last genuine, newer manifest (``update_manifest``) are kept in
the profile's settings, so the notice survives a restart; the kept manifest is verified again
on load (the settings file is not trusted), and dropped once this client is that new.
"""

from __future__ import annotations

import html
import logging
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__
from desktop_app.config import Settings
from sync.protocol.release_manifest import ReleaseManifest, encode
from sync.updates import CheckOutcome, UpdateCheck, check_for_update, evaluate, trusted_keys
from ui.sync_adapter import SyncController
from ui.taskman import TaskManager

log = logging.getLogger(__name__)

LAST_CHECK_KEY = "update_last_check"
"""Settings: when the platform last answered a check (UTC, ISO 8601)."""
MANIFEST_KEY = "update_manifest"
"""Settings: the last genuine manifest newer than this client (JSON text), or absent."""
CHECK_EVERY = timedelta(days=1)
TIMER_MS = 60 * 60_000


def _utcnow() -> datetime:
    return datetime.now(UTC)


def format_size(size: int) -> str:
    """``12.3 MB (12,912,345 B)``: the size for people, and exactly."""
    if size < 1024:
        return f"{size} B"
    value, unit = size / 1024, "KB"
    for bigger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.1f} {unit} ({size:,} B)"


class UpdateDialog(QDialog):
    """The release: version, date, notes, files (size, SHA-256) and their download links."""

    def __init__(self, manifest: ReleaseManifest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("updateDialog")
        self.manifest = manifest
        self.setWindowTitle(self.tr("新版本 {version}").format(version=manifest.version))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow(self.tr("新版本："), QLabel(manifest.version))
        form.addRow(self.tr("当前版本："), QLabel(__version__))
        self.date_label = QLabel(manifest.date)
        form.addRow(self.tr("发布日期："), self.date_label)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("更新说明：")))
        self.notes = QPlainTextEdit(manifest.notes)  # plain text: never rendered as HTML
        self.notes.setReadOnly(True)
        layout.addWidget(self.notes, 1)
        layout.addWidget(QLabel(self.tr("安装文件：")))
        self.files = QTableWidget(len(manifest.files), 3)
        self.files.setHorizontalHeaderLabels([self.tr("文件"), self.tr("大小"), "SHA-256"])
        self.files.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.files.verticalHeader().hide()
        for row, item in enumerate(manifest.files):
            for column, text in enumerate((item.name, format_size(item.size), item.sha256)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                self.files.setItem(row, column, cell)
        self.files.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.files)
        links = "<br>".join(
            f'<a href="{html.escape(f.url, quote=True)}">{html.escape(f.url)}</a>'
            for f in manifest.files
        )
        self.links = QLabel(self.tr("下载地址：") + "<br>" + links)
        self.links.setObjectName("updateLinks")
        self.links.setTextFormat(Qt.TextFormat.RichText)
        self.links.setOpenExternalLinks(False)
        self.links.linkActivated.connect(self.open_link)
        self.links.setWordWrap(True)
        layout.addWidget(self.links)
        hint = QLabel(
            self.tr(
                "本程序不会自动下载或安装更新。请在浏览器中下载安装文件，核对大小和 SHA-256 "
                "与上表一致后，按单位规定安装，或联系管理员。"
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QDialogButtonBox()
        self.download_button = buttons.addButton(
            self.tr("打开下载地址"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.download_button.clicked.connect(self.open_download)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 520)

    def open_download(self) -> None:
        """Open the selected file's address (the first file's when none is selected)."""
        rows = self.files.selectionModel().selectedRows()
        row = rows[0].row() if rows else 0
        self.open_link(self.manifest.files[row].url)

    def open_link(self, url: str) -> None:
        """Open ``url`` in the browser (only an address the signed manifest names)."""
        if url not in {f.url for f in self.manifest.files}:
            return
        if not QDesktopServices.openUrl(QUrl(url)):
            log.warning("could not open the download address in a browser")


class UpdateNotice(QPushButton):
    """``新版本 <version>`` in the status bar, shown only while a newer release is known.

    Signals:
        checked(object): A check ended with the platform's answer (:class:`UpdateCheck`).
        available(object): The manifest now offered changed (a ReleaseManifest, or None).
    """

    checked = Signal(object)
    available = Signal(object)

    def __init__(
        self,
        settings: Settings,
        tasks: TaskManager,
        sync: SyncController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("updateNotice")
        self.setFlat(True)
        self.setStyleSheet("QPushButton#updateNotice { color: #1f5fa8; font-weight: bold; }")
        self.setToolTip(self.tr("有新版本的信用监管工作台，点击查看更新说明和下载地址"))
        self.hide()
        self._settings = settings
        self._tasks = tasks
        self._sync = sync
        self._checking = False
        self.manifest: ReleaseManifest | None = None
        self.dialog: UpdateDialog | None = None
        self.clicked.connect(self.show_dialog)
        self._timer = QTimer(self)
        self._timer.setInterval(TIMER_MS)
        self._timer.timeout.connect(self.check_if_due)
        self._timer.start()
        sync.logged_in_changed.connect(lambda _in: self.check_if_due())
        sync.online_changed.connect(lambda _on: self.check_if_due())
        self._load_kept()

    # -- what is kept ----------------------------------------------------------------------

    def _load_kept(self) -> None:
        kept = self._settings.get(MANIFEST_KEY)
        if not isinstance(kept, str):
            return
        result = evaluate(kept, __version__, trusted_keys())
        if result.manifest is None:  # updated since, or the file was changed: forget it
            self._keep(None)
        self._offer(result.manifest)

    def _keep(self, manifest: ReleaseManifest | None) -> None:
        value = encode(manifest).decode("utf-8") if manifest is not None else None
        try:
            self._settings.set(MANIFEST_KEY, value)
        except OSError as exc:
            log.warning("could not keep the release manifest: %s", exc)

    def _offer(self, manifest: ReleaseManifest | None) -> None:
        changed = manifest != self.manifest
        self.manifest = manifest
        if manifest is None:
            self.hide()
        else:
            self.setText(self.tr("新版本 {version}").format(version=manifest.version))
            self.show()
        if changed:
            self.available.emit(manifest)

    # -- checking --------------------------------------------------------------------------

    def due(self) -> bool:
        """Whether a day has passed since the platform last answered (or it never did)."""
        value = self._settings.get(LAST_CHECK_KEY)
        try:
            last = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            last = None
        if last is None or last.tzinfo is None:
            return True
        now = _utcnow()
        return last > now or now - last >= CHECK_EVERY  # a clock set back: check again

    def check_if_due(self) -> None:
        """Check in the background when online, logged in, and :meth:`due`."""
        sync = self._sync
        if sync.logged_in and sync.online is True and self.due():
            self.check_now()

    def check_now(self) -> None:
        """Ask the platform now (off the GUI thread), whatever the last check's time."""
        if self._checking:
            return
        self._checking = True
        self._sync.call_platform(
            lambda transport: check_for_update(transport, __version__, trusted_keys()),
            self._on_checked,
            self._on_failed,
            self.tr("检查新版本"),
            context=self,
        )

    def _on_checked(self, result: UpdateCheck) -> None:
        self._checking = False
        try:
            self._settings.set(LAST_CHECK_KEY, _utcnow().isoformat(timespec="seconds"))
        except OSError as exc:
            log.warning("could not remember the update check: %s", exc)
        if result.outcome is CheckOutcome.NEWER:
            self._keep(result.manifest)
            self._offer(result.manifest)
        elif result.outcome in (CheckOutcome.CURRENT, CheckOutcome.NONE):
            self._keep(None)  # withdrawn, or this client is that new
            self._offer(None)
        # IGNORED (logged in sync.updates): what was known before stays as it was.
        self.checked.emit(result)

    def _on_failed(self, message: str) -> None:
        self._checking = False
        log.info("update check failed, retried later: %s", message)

    # -- the dialog ------------------------------------------------------------------------

    def show_dialog(self) -> UpdateDialog | None:
        """Open the release's dialog (non-modal)."""
        if self.manifest is None:
            return None
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = UpdateDialog(self.manifest, self.window())
        self.dialog.open()
        return self.dialog
