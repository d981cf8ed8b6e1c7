"""The user manual's screenshots (docs/manual/images/), made by the walkthrough, in one command.

Run it under a virtual X server at the laptop size the manual shows::

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/manual_screenshots.py

It runs :mod:`scripts.walkthrough` — the newcomer's day through the real client against a
freshly seeded demo platform — with a few more steps where the manual needs a picture the
walkthrough does not take: the clerk's other pages (工作台, 报告打印, 诚信教育, 修复与异议,
跟踪督办, 设置), the help window (F1), the first-run guide's screens and 关于; the inspector's
photos tab and follow-up list; and a third profile logged in as the demo supervisor (跟踪督办,
公示台账). The walkthrough's pictures are taken into a temporary folder, and the ones the
manual links are copied to docs/manual/images/ under their step names (``03-login.png`` →
``login.png``), recompressed; the help window, the guide and 关于 also to
docs/screenshot-help.png, docs/screenshot-first-run-guide.png and docs/screenshot-about.png.
``tests/ui/test_help.py`` checks that every image the manual links exists.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import keyring
import keyring.backends.fail
from walkthrough import DEMO_PASSWORD, PASSPHRASE, DemoPlatform, Step, Walkthrough, build_steps

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from desktop_app.config import Settings
from ui.app import create_application
from ui.main_window import (
    PAGE_EDUCATION,
    PAGE_FOLLOWUP,
    PAGE_LOOKUP,
    PAGE_PUBLICATIONS,
    PAGE_REPAIRS,
    PAGE_SETTINGS,
    PAGE_WORKBENCH,
)

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "manual" / "images"
SUPERVISOR_USER = "supervisor"
SETTLE_S = 1.5
"""Pages that load from the store or the platform when shown: time for the load to land."""
PNG_MAX_COMPRESSION = 0  # Qt's PNG "quality" 0 is zlib level 9 (lossless either way)
DOCS_SHOTS = {  # also shown beside the other docs/screenshot-*.png
    "help-window": "screenshot-help.png",
    "first-run-guide": "screenshot-first-run-guide.png",
    "about": "screenshot-about.png",
}
NOT_FOR_THE_MANUAL = {"export-dialog", "pdf-exported", "failed"}


def _visible(widget: QWidget | None) -> bool:
    return widget is not None and widget.isVisible()


def settled(check: Callable[[], bool] = lambda: True) -> Callable[[], bool]:
    """Done once ``check`` holds and :data:`SETTLE_S` have passed since the first poll."""
    start: list[float] = []

    def done() -> bool:
        if not start:
            start.append(time.monotonic())
        return time.monotonic() - start[0] >= SETTLE_S and check()

    return done


def clerk_steps(w: Walkthrough) -> list[Step]:
    """The window clerk's other pages, the help window, the guide and 关于."""
    s = w.state

    def show(page: int) -> Callable[[], None]:
        return lambda: w.window.show_page(page)

    def report_for_card() -> None:
        w.window.start_report(w.window.lookup.card.card)

    def open_help() -> None:
        w.window.show_page(PAGE_LOOKUP)
        w.window.show_help()

    def close_help() -> None:
        assert w.window.help_window is not None
        w.window.help_window.close()

    def guide_at(step: int) -> Callable[[], None]:
        def go() -> None:
            guide = w.window.guide or w.window.show_first_run_guide()
            guide.go(step)

        return go

    def close_guide() -> None:
        assert w.window.guide is not None
        w.window.guide.done_button.click()

    def open_about() -> None:
        s["licences"] = None
        dialog = w.window.show_about()
        dialog.licences_loaded.connect(lambda n: s.__setitem__("licences", n))

    def close_about() -> None:
        assert w.window.about_dialog is not None
        w.window.about_dialog.reject()

    return [
        Step("工作台", show(PAGE_WORKBENCH), settled(), "workbench"),
        Step("报告打印", report_for_card, settled(), "reports"),
        Step("诚信教育", show(PAGE_EDUCATION), settled(), "education"),
        Step("修复与异议", show(PAGE_REPAIRS), settled(), "repairs"),
        Step("跟踪督办 at the window", show(PAGE_FOLLOWUP), settled(), "followup-window"),
        Step("设置", show(PAGE_SETTINGS), settled(), "settings"),
        Step("F1 on 主体查询", open_help,
             settled(lambda: _visible(w.window.help_window)), "help-window"),
        Step("close the manual", close_help, lambda: not _visible(w.window.help_window)),
        Step("入门指南 again", guide_at(1), settled(lambda: _visible(w.window.guide)),
             "first-run-guide-login"),
        Step("入门指南, last screen", guide_at(2), settled(), "first-run-guide-help"),
        Step("close the guide", close_guide, lambda: w.window.guide is None),
        Step("关于", open_about, lambda: s.get("licences") is not None, "about"),
        Step("close 关于", close_about, lambda: w.window.about_dialog is None),
    ]  # fmt: skip


def inspector_steps(w: Walkthrough) -> list[Step]:
    """The inspector's photos tab and follow-up list."""

    def photos_tab() -> None:
        w.window.inspections_page.tabs.setCurrentIndex(2)  # 照片

    return [
        Step("照片", photos_tab, settled(), "inspection-photos"),
        Step("跟踪督办 for the inspector", lambda: w.window.show_page(PAGE_FOLLOWUP), settled(),
             "followup-inspector"),
    ]  # fmt: skip


def supervisor_steps(w: Walkthrough) -> list[Step]:
    """A third profile, the demo supervisor: 跟踪督办 and 公示台账 from the platform."""
    folder = w.work / "supervisor-pc"
    s = w.state

    def passphrase() -> None:
        dialog = w.flow.dialog if w.flow else None
        assert dialog is not None
        dialog.passphrase_edit.setText(PASSPHRASE)
        if dialog.confirm_edit.isVisible():
            dialog.confirm_edit.setText(PASSPHRASE)
        dialog.ok_button.click()

    def skip_guide() -> None:
        assert w.window.guide is not None
        w.window.guide.skip_button.click()

    def log_in() -> None:
        page = w.window.sync_page
        assert page is not None
        assert w.flow is not None
        assert w.flow.sync is not None
        page.open_login()
        dialog = page.login_dialog
        assert dialog is not None
        dialog.username_edit.setText(SUPERVISOR_USER)
        dialog.password_edit.setText(DEMO_PASSWORD)
        s["boss_synced"] = False
        w.flow.sync.finished.connect(lambda _report: s.__setitem__("boss_synced", True))
        dialog.buttons.accepted.emit()

    def synced() -> bool:
        sync = w.flow.sync if w.flow else None
        return bool(sync is not None and sync.logged_in and not sync.running and s["boss_synced"])

    def publications_idle() -> bool:
        page = w.window.publications_page
        return not page.busy_label.isVisible() and not w.window.nav.isRowHidden(PAGE_PUBLICATIONS)

    return [
        Step("the supervisor's PC", lambda: w.start_client(folder),
             lambda: _visible(w.flow.dialog if w.flow else None)),
        Step("supervisor opens the store", passphrase,
             lambda: w.window_shown() and _visible(w.window.guide)),
        Step("supervisor skips the guide", skip_guide, lambda: w.window.guide is None),
        Step("supervisor logs in and syncs", log_in, synced),
        Step("跟踪督办 for the supervisor", lambda: w.window.show_page(PAGE_FOLLOWUP),
             settled(), "followup-supervisor"),
        Step("公示台账", lambda: w.window.show_page(PAGE_PUBLICATIONS), settled(publications_idle),
             "publications"),
    ]  # fmt: skip


def all_steps(w: Walkthrough) -> list[Step]:
    """The walkthrough's steps with the manual's own ones put in where they belong."""
    steps = build_steps(w)
    names = [step.name for step in steps]
    clerk_at = names.index("close the preview") + 1
    steps[clerk_at:clerk_at] = clerk_steps(w)
    return steps + inspector_steps(w) + supervisor_steps(w)


def copy_images(shots: list[Path], target: Path) -> list[Path]:
    """Copy the named shots to ``target`` as ``<step name>.png`` (compressed as far as PNG goes)."""
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for shot in shots:
        name = shot.stem.split("-", 1)[1] if shot.stem[:2].isdigit() else shot.stem
        if name in NOT_FOR_THE_MANUAL or not shot.exists():
            continue
        out = target / f"{name}.png"
        image = QImage(str(shot))
        if image.isNull() or not image.save(str(out), "PNG", PNG_MAX_COMPRESSION):
            raise SystemExit(f"could not copy {shot} to {out}")
        copied.append(out)
    return copied


def main() -> int:
    """Run the walkthrough with the manual's steps; copy the pictures into the manual."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=IMAGES, help="default: docs/manual/images")
    parser.add_argument("--platform-url", help="use this seeded platform instead of a new one")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        print("no display: run under xvfb-run (see the module docstring)", file=sys.stderr)
        return 2
    keyring.set_keyring(keyring.backends.fail.Keyring())
    work = Path(tempfile.mkdtemp(prefix="credit-desk-manual-"))
    shots = work / "shots"
    shots.mkdir()
    platform = None
    try:
        url = args.platform_url
        if not url:
            platform = DemoPlatform(work / "platform")
            platform.folder.mkdir()
            url = platform.start()
        app = create_application(sys.argv[:1], Settings())
        app.setQuitOnLastWindowClosed(False)
        walk = Walkthrough(app, shots, url.rstrip("/"), work)
        code = walk.run(all_steps(walk))
        if code != 0:
            return code
        copied = copy_images(walk.shots, args.out)
        print(f"{len(copied)} images in {args.out}")
        for image in copied:
            if image.stem in DOCS_SHOTS:
                shutil.copyfile(image, ROOT / "docs" / DOCS_SHOTS[image.stem])
        return 0
    finally:
        if platform is not None:
            platform.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
