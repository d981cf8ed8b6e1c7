"""Screenshots of field inspection: the task list, an inspection form with photos, the record.

Run under a real (virtual) X server so fonts and styles render as on a desk::

    PYTHONPATH=. xvfb-run -s "-screen 0 1400x900x24" \
        .venv/bin/python scripts/screenshot_inspection.py

It makes a throw-away passphrase-protected profile with the client's demo data (entities, the
checklists and six local 双随机 tasks), records one inspection through the real service — every
checklist item answered, two findings, four photos, 责令整改 within 10 working days — and saves:

* docs/screenshot-inspection-tasks.png — 检查任务 with the entity's facts and history;
* docs/screenshot-inspection-form.png — the inspection form of that task;
* docs/screenshot-inspection-photos.png — its photos;
* docs/sample-onsite-record.pdf and docs/sample-onsite-record-page1.png — the printed
  现场检查记录 (through the same printing pipeline as every document).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import keyring
import keyring.backends.fail

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QTimer
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QWidget

from desktop_app.config import ProfilePaths, Settings
from desktop_app.domain.inspections import ItemResult, Outcome
from desktop_app.services.app import AppServices
from desktop_app.services.inspections import (
    FindingInput,
    InspectionInput,
    InspectionService,
    ItemAnswer,
)
from desktop_app.services.registry import seed_demo_if_empty
from desktop_app.services.unlock import StoreUnlocker
from sync.report_signing import DeviceReportSigner
from ui.app import create_application
from ui.main_window import MainWindow
from ui.printing import render_pdf
from ui.taskman import TaskManager

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PASSPHRASE = "screenshot-passphrase-1"
PAGE_INSPECTIONS = 4
# A fixed "now" inside the official calendar's years, so the deadline is always computable.
NOW = datetime(2026, 11, 20, 10, 30)
COLOURS = ("#5d8aa8", "#c19a6b", "#8fbc8f", "#b0a0c8")


def photo(index: int) -> bytes:
    """A believable stand-in for a site photo: a JPEG with shapes and a caption."""
    image = QImage(1600, 1200, QImage.Format.Format_RGB32)
    image.fill(QColor(COLOURS[index % len(COLOURS)]))
    painter = QPainter(image)
    painter.fillRect(200 + index * 60, 300, 700, 500, QColor("#f5f5f0"))
    painter.fillRect(1000, 200 + index * 40, 400, 800, QColor("#4a4a4a"))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPG", 85)
    return bytes(data.data())


def record_inspection(services: AppServices) -> tuple[str, str]:
    """One complete inspection on the first demo task; returns (task id, record id)."""
    inspections = services.inspections
    task = inspections.tasks()[0]
    checklist = inspections.checklist(task.checklist_id)
    failed = {checklist.items[1].no, checklist.items[-1].no}
    answers = tuple(
        ItemAnswer(
            item.no,
            ItemResult.FAIL if item.no in failed else ItemResult.PASS,
            "现场查见问题，已拍照取证" if item.no in failed else "",
        )
        for item in checklist.items
    )
    view = inspections.record(
        InspectionInput(
            task_id=task.task_id,
            inspected_on=NOW.date(),
            answers=answers,
            location="经营场所（" + task.address + "）",
            representative_name="吕丽",
            representative_role="法定代表人",
            findings=tuple(
                FindingInput(f"第{no}项不符合要求：现场核查发现相关记录不全", "general", no)
                for no in sorted(failed)
            ),
            outcome=Outcome.RECTIFY,
            deadline_working_days=10,
            conclusion="发现问题2项，责令10个工作日内整改到位，逾期未整改将予以提示约谈。",
        )
    )
    inspections.add_photos(view.record_id, [(f"现场照片-{i + 1}.jpg", photo(i)) for i in range(4)])
    return task.task_id, view.record_id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS)
    args = parser.parse_args()

    keyring.set_keyring(keyring.backends.fail.Keyring())  # the passphrase path
    settings = Settings()
    app = create_application(sys.argv[:1], settings)
    tasks = TaskManager()
    workdir = tempfile.TemporaryDirectory(prefix="credit-desk-shot-")
    paths = ProfilePaths(Path(workdir.name) / "profile")
    unlocker = StoreUnlocker(paths)
    state: dict[str, object] = {}

    def open_store() -> tuple[AppServices, str, str]:
        store = unlocker.unlock(PASSPHRASE)
        services = AppServices.build(
            store, unlocker, "inspector.luzhou.1", signer=DeviceReportSigner(store)
        )
        services.inspections = InspectionService(store, "inspector.luzhou.1", clock=lambda: NOW)
        seed_demo_if_empty(store, 300)
        task_id, record_id = record_inspection(services)
        document = services.inspections.onsite_record(record_id)
        pdf = args.out / "sample-onsite-record.pdf"
        state["document"] = document
        return services, task_id, str(pdf)

    def save(widget: QWidget, name: str) -> None:
        target = args.out / name
        if not widget.grab().save(str(target)):
            raise SystemExit(f"could not write {target}")
        print(f"saved {target}")

    def show(result: tuple[AppServices, str, str]) -> None:
        services, task_id, pdf = result
        state["services"] = services
        render_pdf(state["document"], pdf)  # type: ignore[arg-type]
        png = Path(pdf).with_name("sample-onsite-record-page1")
        command = ["pdftoppm", "-r", "70", "-f", "1", "-l", "1", "-png", "-singlefile"]
        subprocess.run([*command, pdf, str(png)], check=True)
        print(f"saved {pdf} and {png}.png")
        window = MainWindow(services, settings, paths, tasks)
        state["window"] = window
        window.resize(1400, 880)
        window.show()
        window.show_page(PAGE_INSPECTIONS)
        page = window.inspections_page
        page.task_shown.connect(lambda _id: QTimer.singleShot(800, lambda: shots(page)))
        page.tasks_loaded.connect(lambda: page.show_task(task_id))

    def shots(page: QWidget) -> None:
        from ui.pages.inspections import InspectionsPage

        assert isinstance(page, InspectionsPage)
        window = state["window"]
        assert isinstance(window, MainWindow)
        if "tasks" not in state:
            state["tasks"] = True
            page.tabs.setCurrentIndex(0)
            QTimer.singleShot(300, lambda: (save(window, "screenshot-inspection-tasks.png"),
                                            form(page)))  # fmt: skip

    def form(page: QWidget) -> None:
        from ui.pages.inspections import InspectionsPage

        assert isinstance(page, InspectionsPage)
        window = state["window"]
        assert isinstance(window, MainWindow)
        page.tabs.setCurrentIndex(1)
        QTimer.singleShot(400, lambda: photos(page))

    def photos(page: QWidget) -> None:
        from ui.pages.inspections import InspectionsPage

        assert isinstance(page, InspectionsPage)
        window = state["window"]
        assert isinstance(window, MainWindow)
        save(window, "screenshot-inspection-form.png")
        page.tabs.setCurrentIndex(2)
        QTimer.singleShot(1500, finish)

    def finish() -> None:
        window = state["window"]
        assert isinstance(window, MainWindow)
        save(window, "screenshot-inspection-photos.png")
        window.close()
        app.exit(0)

    def failed(exc: Exception) -> None:
        print(f"failed: {exc!r}", file=sys.stderr)
        app.exit(1)

    tasks.run_db(open_store, show, failed)
    code = app.exec()
    services = state.get("services")
    if isinstance(services, AppServices):
        tasks.run_db(services.close)
    tasks.shutdown()
    workdir.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
