"""Pages follow the store: one debounced notification after a burst of commits, none while held."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop_app.config import ProfilePaths, Settings
from desktop_app.services.app import AppServices
from desktop_app.services.demo_data import generate_entities
from desktop_app.services.registry import import_entities
from ui.main_window import MainWindow
from ui.store_events import StoreEvents
from ui.taskman import TaskManager

from .conftest import type_text


def test_a_burst_of_commits_is_one_notification(qtbot, services: AppServices, on_db, app) -> None:
    events = StoreEvents(services.changes)
    seen: list[object] = []
    events.changed.connect(seen.append)
    # 20 transactions on the database worker, as an import of 20 batches would commit.
    on_db(lambda: import_entities(services.store, generate_entities(200, seed=9), batch_size=10))
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=5000)
    qtbot.wait(400)  # longer than the debounce: nothing else follows
    assert len(seen) == 1
    assert "entities" in seen[0]  # type: ignore[operator]
    events.close()


def test_nothing_is_emitted_while_held(qtbot, services: AppServices, on_db, app) -> None:
    events = StoreEvents(services.changes)
    seen: list[object] = []
    events.changed.connect(seen.append)
    events.hold()  # a sync is running
    on_db(lambda: import_entities(services.store, generate_entities(20, seed=10)))
    qtbot.wait(400)
    assert seen == []
    events.release()
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=5000)
    events.close()


def test_an_import_refreshes_the_status_bar_and_the_lookup_list(
    qtbot, seeded_services: AppServices, profile: ProfilePaths, tasks: TaskManager, on_db, app
) -> None:
    window = MainWindow(seeded_services, Settings(), profile, tasks)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.status_refreshed, timeout=5000):
        window.show()
    assert window.cache_label.text() == "本地缓存 500 个主体"
    window.focus_search()
    page = window.lookup
    with qtbot.waitSignal(page.search_finished, timeout=5000) as first:
        type_text(qtbot, page.search_edit, "太行")
        qtbot.keyClick(page.search_edit, Qt.Key.Key_Return)
    before = len(first.args[0].ids)
    more = [row for row in generate_entities(3000, seed=11) if "太行" in row["name"]]
    assert more
    # A registry import on the database worker; nobody calls a refresh by hand.
    on_db(lambda: import_entities(seeded_services.store, more))
    qtbot.waitUntil(
        lambda: window.status is not None and window.status.entities > 500, timeout=10_000
    )
    assert window.cache_label.text() == f"本地缓存 {window.status.entities} 个主体"
    qtbot.waitUntil(lambda: page.model.rowCount() > before, timeout=10_000)


def test_page_reloads_never_feed_themselves(
    qtbot, seeded_services: AppServices, profile: ProfilePaths, tasks: TaskManager, on_db, app
) -> None:
    window = MainWindow(seeded_services, Settings(), profile, tasks)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.status_refreshed, timeout=5000):
        window.show()
    with qtbot.waitSignal(window.store_events.changed, timeout=5000):
        on_db(lambda: import_entities(seeded_services.store, generate_entities(10, seed=12)))
    # Every page reloads now; a reload that wrote to the store would notify again, forever.
    later: list[object] = []
    window.store_events.changed.connect(later.append)
    qtbot.wait(1500)
    assert later == []


def test_a_card_on_screen_is_marked_stale_not_reloaded(
    qtbot, seeded_services: AppServices, profile: ProfilePaths, tasks: TaskManager, on_db, app
) -> None:
    window = MainWindow(seeded_services, Settings(), profile, tasks)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.status_refreshed, timeout=5000):
        window.show()
    page = window.lookup
    code = on_db(
        lambda: seeded_services.lookup.rows(seeded_services.lookup.lookup("太行").ids[:1])
    )[0].uscc
    with qtbot.waitSignal(page.card_shown, timeout=5000):
        page.search_edit.setText(code)
        page.search()
    audited = on_db(seeded_services.status.snapshot).audit_rows
    with qtbot.waitSignal(window.store_events.changed, timeout=5000):
        on_db(lambda: import_entities(seeded_services.store, generate_entities(10, seed=13)))
    qtbot.waitUntil(lambda: "本地缓存已更新" in page.message.text(), timeout=5000)
    assert page.card.card is not None and page.card.card.uscc == code
    # No view the clerk did not ask for was written to the audit log.
    assert on_db(seeded_services.status.snapshot).audit_rows == audited
