"""A newcomer's first day, driven through the real client: screenshots after every step.

Run it under a virtual X server, at the size of the desk you want to see::

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/walkthrough.py docs/walkthrough
    QT_SCALE_FACTOR=1.5 xvfb-run -a -s "-screen 0 1920x1080x24" \
        .venv/bin/python scripts/walkthrough.py /tmp/walkthrough-150

What it does, as a new user would, with no OS keyring (keyring's ``fail`` backend):

1. seeds a demo platform in a temporary folder and serves it on a free loopback port (or
   uses ``--platform-url``);
2. starts the client on an EMPTY data folder through the same start-up flow as
   ``scripts/run`` (``ui.launcher.StartupFlow``, demo mode): chooses a store passphrase, and
   skips the first-run guide a new profile shows once;
3. logs in to the platform as the demo window clerk and syncs;
4. checks an entity on 主体查询 (credit check with its reasons);
5. takes a 告知承诺 commitment for it and exports the letter to PDF (page 1 as PNG too);
6. quits, starts the client again on the same folder: only the passphrase is asked, the
   login is kept, and a sync runs;
7. on a second, empty profile (an inspector's laptop) logs in as the demo inspector, runs
   离线准备, opens a 双随机 task and records an inspection entry.

Every step waits for the application's own signal or visible state, never a fixed sleep, and
fails with the step's name if it does not come within its time. Screenshots are of the whole
screen, so dialogs are in them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.backends.fail

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from desktop_app.config import ProfilePaths, Settings
from desktop_app.main import compose
from ui.app import create_application
from ui.launcher import StartupFlow
from ui.main_window import PAGE_INSPECTIONS, PAGE_SYNC, MainWindow
from ui.taskman import TaskManager

ROOT = Path(__file__).resolve().parent.parent
PLATFORM = Path(sys.executable).with_name("credit-platform")
PASSPHRASE = "新人上岗 tiger-2026"
WINDOW_USER = "window.luzhou.1"
INSPECTOR_USER = "inspector.luzhou.1"
DEMO_PASSWORD = "demo-2026"
STEP_TIMEOUT_S = 60.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=1) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


class DemoPlatform:
    """A seeded ``credit-platform`` on loopback, in a folder of its own."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = dict(
            os.environ,
            CREDIT_PLATFORM_DATA=str(folder),
            DATABASE_URL=f"sqlite:///{folder / 'platform.db'}",
        )
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> str:
        """Seed and serve; returns the base URL once ``/healthz`` answers."""
        subprocess.run(
            [str(PLATFORM), "seed-demo", "--entities", "1000"],
            env=self.env,
            check=True,
            capture_output=True,
        )
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        log = (self.folder / "serve.log").open("wb")
        self.proc = subprocess.Popen(
            [str(PLATFORM), "serve", "--port", str(port), "--log-level", "warning"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while not _healthy(self.url):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the demo platform did not start; see " + str(log.name))
            time.sleep(0.2)
        return self.url

    def stop(self) -> None:
        """Stop the server process."""
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@dataclass
class Step:
    """One user action, the state that shows it is done, and the screenshot to take."""

    name: str
    act: Callable[[], None]
    done: Callable[[], bool]
    shot: str | None = None
    timeout_s: float = STEP_TIMEOUT_S


class Walkthrough(QObject):
    """Runs the steps one after another on the event loop and takes the screenshots."""

    def __init__(self, app: QApplication, out: Path, platform_url: str, work: Path) -> None:
        super().__init__()
        self.app = app
        self.out = out
        self.url = platform_url
        self.work = work
        self.tasks = TaskManager()
        self.flow: StartupFlow | None = None
        self.steps: list[Step] = []
        self.index = -1
        self.deadline = 0.0
        self.failed: str | None = None
        self.shots: list[Path] = []
        self.state: dict[str, object] = {}
        self.timer = QTimer(self)
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._tick)

    # -- plumbing ------------------------------------------------------------------------

    def run(self, steps: list[Step]) -> int:
        """Run ``steps``; returns the process exit code."""
        self.steps = steps
        QTimer.singleShot(0, self._next)
        self.timer.start()
        code = self.app.exec()
        self.timer.stop()
        self._close_flow()
        self.tasks.shutdown()
        if self.failed:
            print(f"walkthrough failed: {self.failed}", file=sys.stderr)
            return 1
        print(f"{len(self.shots)} screenshots in {self.out}")
        return code

    def _next(self) -> None:
        self.index += 1
        if self.index >= len(self.steps):
            self.app.exit(0)
            return
        step = self.steps[self.index]
        print(f"[{self.index + 1}/{len(self.steps)}] {step.name}", flush=True)
        self.deadline = time.monotonic() + step.timeout_s
        try:
            step.act()
        except Exception as exc:  # a broken step ends the walkthrough with its name
            self._fail(f"{step.name}: {type(exc).__name__}: {exc}")

    def _tick(self) -> None:
        if self.index < 0 or self.index >= len(self.steps) or self.failed:
            return
        step = self.steps[self.index]
        try:
            ready = step.done()
        except Exception as exc:
            self._fail(f"{step.name}: {type(exc).__name__}: {exc}")
            return
        if ready:
            self.timer.stop()
            # Let the last repaint land before the picture is taken.
            QTimer.singleShot(400, lambda: self._finish(step))
        elif time.monotonic() > self.deadline:
            self._fail(f"{step.name}: not done within {step.timeout_s:.0f} s")

    def _finish(self, step: Step) -> None:
        if step.shot:
            self.screenshot(step.shot)
        self.timer.start()
        self._next()

    def fail_later(self, message: str) -> None:
        """End the walkthrough with ``message`` from a signal handler."""
        QTimer.singleShot(0, lambda: self._fail(message) if not self.failed else None)

    def _fail(self, message: str) -> None:
        self.failed = message
        self.screenshot("failed")
        self.app.exit(1)

    def screenshot(self, name: str) -> None:
        """Save the whole screen as ``NN-name.png``."""
        screen = QGuiApplication.primaryScreen()
        picture = screen.grabWindow(0)
        target = self.out / f"{len(self.shots) + 1:02d}-{name}.png"
        if not picture.save(str(target)):
            raise SystemExit(f"could not write {target}")
        self.shots.append(target)

    # -- the client ----------------------------------------------------------------------

    def start_client(self, profile: Path) -> None:
        """Start the client on ``profile`` as ``scripts/run`` does (demo mode)."""
        self._close_flow()
        paths = ProfilePaths(profile)
        settings = Settings.load(paths.settings_file)
        flow = StartupFlow(
            paths, settings, self.tasks, compose=compose, demo=True, platform_url=self.url
        )
        self.flow = flow
        flow.exit_requested.connect(lambda code: self._fail(f"client asked to exit ({code})"))
        flow.start()

    def _close_flow(self) -> None:
        flow = self.flow
        if flow is None:
            return
        if flow.window is not None:
            flow.window.close()
            flow.window.deleteLater()
        flow.close()
        flow.busy.deleteLater()
        self.flow = None

    @property
    def window(self) -> MainWindow:
        """The client's main window (once shown)."""
        assert self.flow is not None
        assert self.flow.window is not None
        return self.flow.window

    def window_shown(self) -> bool:
        """Whether the main window is up."""
        return self.flow is not None and self.flow.window is not None and self.window.isVisible()


def _visible(widget: QWidget | None) -> bool:
    return widget is not None and widget.isVisible()


def build_steps(w: Walkthrough) -> list[Step]:
    """The day, step by step."""
    clerk = w.work / "window-clerk"
    inspector = w.work / "inspector-laptop"
    s = w.state

    def unlock_dialog() -> QWidget | None:
        return w.flow.dialog if w.flow is not None else None

    def type_new_passphrase() -> None:
        dialog = w.flow.dialog if w.flow else None
        assert dialog is not None
        dialog.passphrase_edit.setText(PASSPHRASE)
        if dialog.confirm_edit.isVisible():
            dialog.confirm_edit.setText(PASSPHRASE)

    def submit_passphrase() -> None:
        dialog = w.flow.dialog if w.flow else None
        assert dialog is not None
        dialog.ok_button.click()

    def guide_shown() -> bool:
        return w.window_shown() and _visible(w.window.guide)

    def skip_guide() -> None:
        guide = w.window.guide
        assert guide is not None, "a new profile shows the first-run guide"
        guide.skip_button.click()

    def open_login() -> None:
        w.window.show_page(PAGE_SYNC)  # 同步
        assert w.window.sync_page is not None
        w.window.sync_page.open_login()

    def fill_login(user: str) -> Callable[[], None]:
        def fill() -> None:
            page = w.window.sync_page
            assert page is not None
            assert page.login_dialog is not None
            page.login_dialog.username_edit.setText(user)
            page.login_dialog.password_edit.setText(DEMO_PASSWORD)

        return fill

    def submit_login() -> None:
        page = w.window.sync_page
        assert page is not None
        assert page.login_dialog is not None
        watch_syncs()
        page.login_dialog.buttons.accepted.emit()

    def watch_syncs() -> None:
        sync = w.flow.sync if w.flow else None
        assert sync is not None
        s["synced"] = 0
        sync.finished.connect(lambda _report: s.__setitem__("synced", int(s["synced"]) + 1))
        sync.failed.connect(lambda message: w.fail_later(f"sync failed: {message}"))

    def synced_since() -> bool:
        sync = w.flow.sync if w.flow else None
        return sync is not None and sync.logged_in and not sync.running and s["synced"] != 0

    def sync_again() -> None:
        watch_syncs()
        sync = w.flow.sync if w.flow else None
        assert sync is not None
        assert w.window.sync_page is not None
        w.window.show_page(PAGE_SYNC)  # 同步
        if not sync.running:
            w.window.sync_page.sync_now()

    def look_up() -> None:
        w.window.focus_search()
        lookup = w.window.lookup
        s["card"] = None
        lookup.card_shown.connect(lambda entity_id: s.__setitem__("card", entity_id))
        lookup.search_finished.connect(lambda _result: lookup.table.selectRow(0))
        lookup.search_edit.setText("太行")
        lookup.search()

    def open_commitment() -> None:
        card = w.window.lookup.card
        assert card.card is not None, "no entity card to take a commitment for"
        s["form"] = None
        s["catalog"] = False

        def opened(dialog: QWidget) -> None:
            s["form"] = dialog
            dialog.catalog_loaded.connect(lambda: s.__setitem__("catalog", True))  # type: ignore[attr-defined]

        w.window.commitments_page.form_opened.connect(opened)
        card.commitment_button.click()  # 新建承诺… on the entity card

    def fill_commitment() -> None:
        from ui.widgets.commitment_dialogs import NewCommitmentDialog

        dialog = s["form"]
        assert isinstance(dialog, NewCommitmentDialog)
        dialog.select_matter("cc-tax-01")
        dialog.applicant_edit.setText("赵喆")
        dialog.phone_edit.setText("13912345678")

    def save_commitment() -> None:
        from ui.widgets.commitment_dialogs import NewCommitmentDialog

        dialog = s["form"]
        assert isinstance(dialog, NewCommitmentDialog)
        page = w.window.commitments_page
        s["created"] = None
        page.created.connect(lambda record_id: s.__setitem__("created", record_id))
        dialog.submit(sign_now=True)

    def select_commitment() -> None:
        page = w.window.commitments_page
        record = s["created"]
        assert isinstance(record, str)
        page.select_record(record)

    def commitment_shown() -> bool:
        current = w.window.commitments_page.current
        return current is not None and current.record_id == s["created"]

    def open_letter() -> None:
        page = w.window.commitments_page
        s["preview"] = None
        page.preview_opened.connect(lambda dialog: s.__setitem__("preview", dialog))
        page.print_letter()

    def preview_ready() -> bool:
        preview = s.get("preview")
        return isinstance(preview, QWidget) and shiboken6.isValid(preview) and preview.isVisible()

    def ask_export() -> None:
        preview = s["preview"]
        action = getattr(preview, "export_action", None)
        assert action is not None, "the print preview has no 导出 PDF"
        action.trigger()

    def export_dialog() -> QFileDialog | None:
        found = [d for d in QApplication.topLevelWidgets() if isinstance(d, QFileDialog)]
        visible = [d for d in found if d.isVisible()]
        return visible[0] if visible else None

    def save_pdf() -> None:
        dialog = export_dialog()
        assert dialog is not None
        proposed = dialog.selectedFiles()
        name = Path(proposed[0]).name if proposed else "commitment-letter.pdf"
        target = w.out / name
        target.unlink(missing_ok=True)
        s["pdf"] = target
        dialog.setDirectory(str(w.out))
        dialog.selectFile(str(target))
        dialog.accept()

    def pdf_written() -> bool:
        target = s.get("pdf")
        return isinstance(target, Path) and target.exists() and target.stat().st_size > 0

    def close_preview() -> None:
        preview = s["preview"]
        assert isinstance(preview, QWidget)
        preview.close()

    def render_pdf_page() -> None:
        target = s["pdf"]
        assert isinstance(target, Path)
        png_base = w.out / f"{len(w.shots) + 1:02d}-commitment-letter-page1"
        subprocess.run(
            ["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile", str(target),
             str(png_base)],
            check=True,
        )  # fmt: skip
        w.shots.append(png_base.with_suffix(".png"))

    def restart_clerk() -> None:
        w.start_client(clerk)

    def prepare_offline() -> None:
        page = w.window.sync_page
        assert page is not None
        s["prepared"] = False
        assert w.flow is not None
        assert w.flow.sync is not None
        w.flow.sync.prepared.connect(lambda _pack: s.__setitem__("prepared", True))
        page.prepare_offline()

    def open_tasks() -> None:
        w.window.show_page(PAGE_INSPECTIONS)  # 检查任务

    def tasks_listed() -> bool:
        return w.window.inspections_page.model.rowCount() > 0

    def open_first_task() -> None:
        page = w.window.inspections_page
        task = page.model.task_at(0)
        assert task is not None
        s["task"] = None
        page.task_shown.connect(lambda task_id: s.__setitem__("task", task_id))
        page.table.selectRow(0)

    def fill_inspection() -> None:
        w.window.inspections_page.tabs.setCurrentIndex(1)  # 检查记录
        form = w.window.inspections_page.form
        form.location_edit.setText("潞州区英雄中路 88 号（经营场所）")
        form.rep_name_edit.setText("李堃")
        form.rep_role_edit.setText("店长")
        form.all_pass_button.click()
        form.conclusion_edit.setPlainText("现场检查未发现问题，经营场所与登记信息一致。")

    def save_inspection() -> None:
        page = w.window.inspections_page
        s["saved"] = None
        page.saved.connect(lambda record_id: s.__setitem__("saved", record_id))
        page.save()

    return [
        Step("start on an empty data folder", lambda: w.start_client(clerk),
             lambda: _visible(unlock_dialog())),
        Step("choose a store passphrase (no OS keyring)", type_new_passphrase,
             lambda: True, "unlock-first-run"),
        Step("open the store", submit_passphrase, guide_shown, "first-run-guide"),
        Step("skip the first-run guide", skip_guide, lambda: w.window.guide is None,
             "main-window"),
        Step("open the login", open_login,
             lambda: w.window.sync_page is not None and _visible(w.window.sync_page.login_dialog)),
        Step("log in as the demo clerk", fill_login(WINDOW_USER), lambda: True, "login"),
        Step("first sync", submit_login, synced_since, "first-sync"),
        Step("credit check", look_up, lambda: s.get("card") is not None, "credit-check"),
        Step("new commitment", open_commitment, lambda: bool(s.get("catalog"))),
        Step("fill the commitment", fill_commitment, lambda: True, "commitment-form"),
        Step("save and sign the commitment", save_commitment,
             lambda: s.get("created") is not None, "commitment-saved"),
        Step("select it", select_commitment, commitment_shown),
        Step("print preview of the letter", open_letter, preview_ready, "letter-preview"),
        Step("导出 PDF", ask_export, lambda: export_dialog() is not None, "export-dialog"),
        Step("save the PDF", save_pdf, pdf_written, "pdf-exported"),
        Step("look at the PDF", render_pdf_page, lambda: True),
        Step("close the preview", close_preview, lambda: not preview_ready()),
        Step("quit and start again", restart_clerk, lambda: _visible(unlock_dialog())),
        Step("only the passphrase", type_new_passphrase, lambda: True, "restart-unlock"),
        Step("reopened, still logged in", submit_passphrase,
             lambda: w.window_shown() and bool(w.flow and w.flow.sync and w.flow.sync.logged_in)
             and w.window.guide is None),  # the guide is shown once per profile
        Step("sync with only the passphrase", sync_again, synced_since, "restart-synced"),
        Step("the inspector's laptop", lambda: w.start_client(inspector),
             lambda: _visible(unlock_dialog())),
        Step("inspector passphrase", type_new_passphrase, lambda: True),
        Step("inspector opens the store", submit_passphrase, guide_shown),
        Step("inspector skips the guide", skip_guide, lambda: w.window.guide is None),
        Step("inspector login", open_login,
             lambda: w.window.sync_page is not None and _visible(w.window.sync_page.login_dialog)),
        Step("log in as the demo inspector", fill_login(INSPECTOR_USER), lambda: True),
        Step("inspector first sync", submit_login, synced_since),
        Step("离线准备", prepare_offline, lambda: bool(s.get("prepared")), "offline-ready"),
        Step("检查任务", open_tasks, tasks_listed, "inspection-tasks"),
        Step("open a task", open_first_task, lambda: s.get("task") is not None),
        Step("record the inspection", fill_inspection, lambda: True, "inspection-entry"),
        Step("save the inspection", save_inspection, lambda: s.get("saved") is not None,
             "inspection-saved"),
    ]  # fmt: skip


def main() -> int:
    """Run the walkthrough; exit 0 when every step was done."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the screenshots (made if missing)")
    parser.add_argument("--platform-url", help="use this seeded platform instead of a new one")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        print("no display: run under xvfb-run (see the module docstring)", file=sys.stderr)
        return 2
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("[0-9][0-9]-*.png"):
        old.unlink()

    # A newcomer's office PC: no secure keyring at all.
    keyring.set_keyring(keyring.backends.fail.Keyring())
    work = Path(tempfile.mkdtemp(prefix="credit-desk-walkthrough-"))
    platform = None
    try:
        url = args.platform_url
        if not url:
            platform = DemoPlatform(work / "platform")
            platform.folder.mkdir()
            url = platform.start()
        app = create_application(sys.argv[:1], Settings())
        app.setQuitOnLastWindowClosed(False)
        walk = Walkthrough(app, out, url.rstrip("/"), work)
        return walk.run(build_steps(walk))
    finally:
        if platform is not None:
            platform.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
