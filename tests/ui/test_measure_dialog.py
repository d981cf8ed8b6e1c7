"""联合奖惩反馈 from the entity card: the measures of the entity's lists, recorded offline."""

from __future__ import annotations

from sqlalchemy import select

from PySide6.QtCore import Qt

from desktop_app.services.app import AppServices
from desktop_app.services.registry import seed_demo_if_empty
from desktop_app.store.models import Entity
from ui.pages.lookup import LookupPage
from ui.taskman import TaskManager


def _listed(services: AppServices) -> str:
    with services.store.read() as s:
        codes = list(s.scalars(select(Entity.uscc).order_by(Entity.uscc)))
    return next(c for c in codes if len(services.measures.choices(c)) >= 2)


def test_the_card_opens_the_measures_of_its_lists_and_saves_them_all_or_none(
    qtbot, app, services: AppServices, tasks: TaskManager, on_db
) -> None:
    on_db(lambda: seed_demo_if_empty(services.store, 300))
    code = on_db(lambda: _listed(services))
    page = LookupPage(services, tasks)
    qtbot.addWidget(page)
    page.show()
    page.search_edit.setText(code)
    page.search()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    page.table.selectRow(0)  # (a single result may be shown at once: wait for the card itself)
    qtbot.waitUntil(
        lambda: page.card.card is not None and page.card.card.uscc == code, timeout=10_000
    )
    qtbot.waitUntil(page.card.measures_button.isVisible, timeout=10_000)
    qtbot.mouseClick(page.card.measures_button, Qt.MouseButton.LeftButton)
    dialog = page.measure_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() >= 2, timeout=10_000)
    dialog.save()
    assert "至少为一项" in dialog.message.text()
    dialog.set_row(0, "applied")
    dialog.set_row(1, "not_applicable")  # no reason: refused, and nothing saved
    dialog.save()
    qtbot.waitUntil(lambda: "理由" in dialog.message.text(), timeout=10_000)
    assert on_db(lambda: [c.recorded_today for c in services.measures.choices(code)][:2]) == [
        "",
        "",
    ]
    dialog.set_row(1, "not_applicable", "本事项不涉及财政资金")
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        dialog.save()
    assert saved.args == [2]
    qtbot.waitUntil(lambda: dialog.table.item(0, 4).text() == "已实施", timeout=10_000)
    assert dialog.table.item(1, 4).text() == "不适用"
