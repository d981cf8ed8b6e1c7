"""Screenshot of 公示台账 (the publication desk) with a supervisor logged in to a real platform.

Run under a real (virtual) X server::

    xvfb-run -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshot_publications.py

It seeds and starts a throw-away platform (``credit-platform seed-demo --entities 300``),
imports a fortnight of licences and penalties of several units with the platform's own
``import`` command (some older ones already online, some online late), lets a window sign a
commitment, records one item as published through the API, then logs a throw-away profile in
as the demo supervisor and saves docs/screenshot-publication-desk.png.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import keyring
from sqlalchemy import select

from PySide6.QtCore import QTimer

from desktop_app.config import ProfilePaths, Settings
from desktop_app.domain.commitments import CommitmentKind
from desktop_app.domain.uscc import generate_uscc
from desktop_app.services.app import AppServices
from desktop_app.services.commitments import CommitmentInput, CommitmentService
from desktop_app.services.unlock import StoreUnlocker
from desktop_app.store.models import Entity
from scripts.screenshot_sync import start_platform
from sync.credentials import TokenVault, login
from sync.engine import SyncEngine
from sync.publications import FeedQuery, fetch_publications, mark_published
from sync.transport import Transport
from tests.memory_keyring import MemoryKeyring
from ui.app import create_application
from ui.main_window import PAGE_PUBLICATIONS, MainWindow
from ui.sync_adapter import PLATFORM_URL_KEY, SyncController
from ui.taskman import TaskManager

ROOT = Path(__file__).resolve().parent.parent
PLATFORM = Path(sys.executable).with_name("credit-platform")
TODAY = date.today()

SHENPI = "长治市行政审批服务管理局"
LUZHOU_SHENPI = "潞州区行政审批服务管理局"
SHIJIAN = "长治市市场监督管理局"
XIANGYUAN = "襄垣县市场监督管理局"
HUANJING = "长治市生态环境局"

# (region, days before today, name, matter/violation, unit, days to online or None)
LICENCES = [
    ("140403", 18, "长治市潞州区鑫源餐饮管理有限公司", "食品经营许可", SHENPI, 4),
    ("140403", 17, "长治市佳禾药房连锁有限公司", "药品经营许可", SHENPI, 12),
    ("140404", 14, "长治市上党区恒通物流有限公司", "道路运输经营许可", SHENPI, None),
    ("140403", 9, "长治市潞州区百味轩餐饮店", "食品经营许可", LUZHOU_SHENPI, None),
    ("140403", 3, "长治市天成建筑工程有限公司", "建筑业企业资质许可", SHENPI, None),
    ("140406", 1, "长治市潞城区晟达加油站", "成品油零售经营许可", SHENPI, None),
    ("140403", 0, "长治市潞州区康宁大药房", "药品经营许可", LUZHOU_SHENPI, None),
]
PENALTIES = [
    ("140423", 16, "襄垣县惠民超市有限公司", "销售超过保质期的食品", XIANGYUAN, 5),
    ("140403", 15, "长治市潞州区金鼎商贸有限公司", "未按规定明码标价", SHIJIAN, None),
    ("140404", 10, "长治市上党区宏远化工有限公司", "超标排放大气污染物", HUANJING, None),
    ("140423", 4, "襄垣县顺发副食批发部", "经营无标签的预包装食品", XIANGYUAN, None),
    ("140403", 2, "长治市潞州区鸿福酒楼", "未按规定公示食品经营许可证", SHIJIAN, None),
]


def _rows(
    table: list[tuple[str, int, str, str, str, int | None]], penalty: bool
) -> list[dict[str, str]]:
    rows = []
    for n, (region, ago, name, what, unit, online) in enumerate(table, start=1):
        decided = TODAY - timedelta(days=ago)
        row = {
            "uscc": generate_uscc("9", "1", region, f"{'5' if penalty else '4'}{n:07d}"),
            "entity_name": name,
            "decided_on": decided.isoformat(),
            "decided_by": unit,
        }
        if penalty:
            row |= {
                "decision_no": f"长市监罚〔{decided.year}〕{40 + n}号",
                "violation": what,
                "penalty": "警告，罚款人民币五千元",
            }
        else:
            row |= {
                "licence_no": f"晋长审〔{decided.year}〕{120 + n}号",
                "matter": what,
                "licence_name": f"{what.removesuffix('许可')}许可证",
            }
        if online is not None:
            row["published_on"] = (decided + timedelta(days=online)).isoformat()
            row["published_where"] = "信用长治网站“双公示”栏目"
        rows.append(row)
    return rows


def import_decisions(env: dict[str, str], folder: Path) -> None:
    """Licences and penalties through ``credit-platform import`` (the feed follows)."""
    for collection, table, penalty in (
        ("licences", LICENCES, False),
        ("penalties", PENALTIES, True),
    ):
        rows = _rows(table, penalty)
        path = folder / f"{collection}.csv"
        fields = sorted({k for r in rows for k in r})
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
        subprocess.run(
            [str(PLATFORM), "import", "--collection", collection, str(path)], env=env, check=True
        )


def window_signs_and_supervisor_records(url: str, folder: Path) -> None:
    """A window's commitment reaches the feed; the supervisor records one item online."""
    store = StoreUnlocker(ProfilePaths(folder / "hall")).unlock()
    transport = Transport(url)
    try:
        login(store, transport, TokenVault("shot-hall"), "window.luzhou.1", "demo-2026")
        engine = SyncEngine(store, transport)
        engine.sync()
        services = CommitmentService(store, "window.luzhou.1")
        with store.read() as s:
            code = s.scalars(select(Entity.uscc).order_by(Entity.uscc).limit(1)).one()
        services.create(
            CommitmentInput(
                uscc=code, matter_id="cc-tax-01", kind=CommitmentKind.NOTIFY, applicant_name="李娜"
            )
        )
        engine.sync()
    finally:
        transport.close()
        store.close()
    store = StoreUnlocker(ProfilePaths(folder / "boss")).unlock()
    transport = Transport(url)
    try:
        login(store, transport, TokenVault("shot-boss"), "supervisor2", "demo-2026")
        items = fetch_publications(transport, FeedQuery(status="due"))
        for item in items:
            if item.kind == "行政许可" and item.decided_on == (TODAY - timedelta(3)).isoformat():
                mark_published(transport, item.id, TODAY, "信用长治网站“双公示”栏目")
    finally:
        transport.close()
        store.close()


def main() -> int:
    keyring.set_keyring(MemoryKeyring())
    workdir = tempfile.TemporaryDirectory(prefix="credit-desk-publication-shot-")
    work = Path(workdir.name)
    proc, url = start_platform(work / "platform")
    env = dict(os.environ, CREDIT_PLATFORM_DATA=str(work / "platform"))
    env.pop("DATABASE_URL", None)
    import_decisions(env, work)
    window_signs_and_supervisor_records(url, work)

    settings = Settings(extra={PLATFORM_URL_KEY: url})
    app = create_application(sys.argv[:1], settings)
    tasks = TaskManager()
    paths = ProfilePaths(work / "profile")
    unlocker = StoreUnlocker(paths)
    state: dict[str, object] = {}

    def fail(exc: object) -> None:
        print(f"failed: {exc}", file=sys.stderr)
        app.exit(1)

    def show(store: object) -> None:
        services = AppServices.build(store, unlocker, actor="screenshot")  # type: ignore[arg-type]
        state["services"] = services
        controller = SyncController(services, tasks, settings, paths, demo=True)
        window = MainWindow(services, settings, paths, tasks, sync=controller)
        state["window"] = window
        window.resize(1360, 860)
        window.show()
        controller.failed.connect(fail)
        controller.logged_in_changed.connect(lambda _in: QTimer.singleShot(500, open_desk))
        controller.login(url, "supervisor", "demo-2026")

    def open_desk() -> None:
        window = state["window"]
        assert isinstance(window, MainWindow)
        window.show_page(PAGE_PUBLICATIONS)
        QTimer.singleShot(2500, shot)

    def shot() -> None:
        window = state["window"]
        assert isinstance(window, MainWindow)
        page = window.publications_page
        if page._loading:
            QTimer.singleShot(500, shot)
            return
        rows = page.model.rows()
        due = [n for n, item in enumerate(rows) if not item.overdue]
        page.select_rows(due[:1] or [0])  # the red overdue rows above stay readable
        page.table.setFocus()
        QTimer.singleShot(400, save)

    def save() -> None:
        window = state["window"]
        assert isinstance(window, MainWindow)
        out = ROOT / "docs" / "screenshot-publication-desk.png"
        if not window.grab().save(str(out)):
            raise SystemExit(f"could not write {out}")
        print(f"saved {out}")
        window.close()
        app.exit(0)

    tasks.run_db(unlocker.unlock, show, fail)
    code = app.exec()
    services = state.get("services")
    if isinstance(services, AppServices):
        tasks.run_db(services.close)
    tasks.shutdown()
    proc.terminate()
    proc.wait(timeout=20)
    workdir.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
