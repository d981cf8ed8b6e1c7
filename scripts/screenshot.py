"""Screenshot of the main window: 主体查询 with a name search and one entity card open.

Run under a real (virtual) X server so fonts and styles render as on a desk::

    xvfb-run -s "-screen 0 1400x900x24" .venv/bin/python scripts/screenshot.py

It makes a throw-away passphrase-protected profile with 2,000 demo entities, searches for
"太行", opens the card of a listed entity, and saves docs/screenshot-main-window.png.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import keyring
import keyring.backends.fail

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractItemView

from desktop_app.config import ProfilePaths, Settings
from desktop_app.services.app import AppServices
from desktop_app.services.demo_data import generate_entities
from desktop_app.services.registry import import_entities
from desktop_app.services.unlock import StoreUnlocker
from ui.app import create_application
from ui.main_window import MainWindow
from ui.taskman import TaskManager

ROOT = Path(__file__).resolve().parent.parent
QUERY = "太行"
ENTITIES = 2000


def listed_code() -> str:
    """A demo entity named with QUERY that sits on a credit list (a richer card)."""
    for row in generate_entities(ENTITIES):
        if QUERY in row["name"] and row["lists"]:
            return str(row["uscc"])
    raise SystemExit("no listed demo entity matches the query")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot-main-window.png")
    parser.add_argument("--language", default="zh_CN", choices=("zh_CN", "en"))
    args = parser.parse_args()

    # No desktop keyring under xvfb: the passphrase path, as on a locked-down PC.
    keyring.set_keyring(keyring.backends.fail.Keyring())
    settings = Settings(language=args.language)
    app = create_application(sys.argv[:1], settings)
    tasks = TaskManager()
    workdir = tempfile.TemporaryDirectory(prefix="credit-desk-shot-")
    paths = ProfilePaths(Path(workdir.name) / "profile")
    unlocker = StoreUnlocker(paths)
    target = listed_code()
    state: dict[str, object] = {}

    def open_and_seed() -> object:
        store = unlocker.unlock("screenshot-passphrase-1")
        import_entities(store, generate_entities(ENTITIES))
        return store

    def show(store: object) -> None:
        tasks.run_db(
            lambda: AppServices.build(store, unlocker, "screenshot").lookup.lookup(target).ids[0],
            lambda entity_id: state.setdefault("target_id", entity_id),
        )
        services = AppServices.build(store, unlocker, actor="screenshot")  # type: ignore[arg-type]
        state["services"] = services
        window = MainWindow(services, settings, paths, tasks)
        state["window"] = window
        window.resize(1360, 860)
        window.show()
        window.focus_search()
        page = window.lookup
        page.search_edit.setText(QUERY)
        page.search_finished.connect(lambda _result: select_target())
        page.search()

    def select_target() -> None:
        window = state["window"]
        assert isinstance(window, MainWindow)
        page = window.lookup
        ids = page.model.ids()
        target_id = state.get("target_id")
        row = ids.index(target_id) if target_id in ids else 0
        page.card_shown.connect(lambda _id: QTimer.singleShot(400, grab))
        page.table.selectRow(row)
        page.table.scrollTo(page.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)

    def grab() -> None:
        window = state["window"]
        assert isinstance(window, MainWindow)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(args.out)):
            print(f"could not write {args.out}", file=sys.stderr)
            app.exit(1)
            return
        print(f"saved {args.out}")
        window.close()
        app.exit(0)

    def failed(exc: Exception) -> None:
        print(f"failed: {exc}", file=sys.stderr)
        app.exit(1)

    tasks.run_db(open_and_seed, show, failed)
    code = app.exec()
    services = state.get("services")
    if isinstance(services, AppServices):
        tasks.run_db(services.close)
    tasks.shutdown()
    workdir.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
