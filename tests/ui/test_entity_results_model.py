from __future__ import annotations

import time

import pytest

from PySide6.QtCore import QModelIndex, Qt

from desktop_app.services.app import AppServices
from ui.models.entity_results import (
    ENTITY_ID_ROLE,
    PAGE_SIZE,
    PLACEHOLDER,
    EntityResultsModel,
)
from ui.taskman import TaskManager


@pytest.fixture
def model(seeded_services: AppServices, tasks: TaskManager) -> EntityResultsModel:
    return EntityResultsModel(seeded_services.lookup, tasks)


def _all_ids(on_db, services: AppServices) -> list[int]:
    return on_db(
        lambda: list(services.lookup.lookup("长治").ids) + list(services.lookup.lookup("店").ids)
    )


def _load_all_pages(qtbot, model: EntityResultsModel) -> None:
    for row in range(0, model.rowCount(), PAGE_SIZE):
        model.data(model.index(row, 0))
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=10_000)


def test_empty_model(qtmodeltester, model: EntityResultsModel) -> None:
    assert model.rowCount() == 0
    assert model.columnCount() == 5
    qtmodeltester.check(model)


def test_small_model_loads_its_rows(qtbot, qtmodeltester, model, seeded_services, on_db) -> None:
    ids = on_db(lambda: seeded_services.lookup.lookup("太行").ids[:7])
    assert len(ids) == 7
    model.set_ids(ids)
    assert model.data(model.index(0, 1)) == PLACEHOLDER
    with qtbot.waitSignal(model.dataChanged, timeout=5000):
        pass
    expected = on_db(lambda: seeded_services.lookup.rows(ids))
    assert [model.data(model.index(r, 1)) for r in range(7)] == [row.name for row in expected]
    assert [model.data(model.index(r, 0)) for r in range(7)] == [row.uscc for row in expected]
    assert model.data(model.index(3, 0), ENTITY_ID_ROLE) == ids[3]
    assert "太行" in model.data(model.index(0, 1))
    assert model.headerData(0, Qt.Orientation.Horizontal) == "统一社会信用代码"
    assert model.rowCount(model.index(0, 0)) == 0
    qtmodeltester.check(model)


def test_five_thousand_ids_are_instant_and_pages_load_lazily(
    qtbot, qtmodeltester, model, seeded_services, on_db
) -> None:
    base = _all_ids(on_db, seeded_services)
    ids = (base * (5000 // len(base) + 1))[:5000]
    started = time.perf_counter()
    model.set_ids(ids)
    assert model.rowCount() == 5000
    assert model.data(model.index(4999, 0), ENTITY_ID_ROLE) == ids[4999]
    assert time.perf_counter() - started < 0.05
    # Only the page asked for is fetched.
    with qtbot.waitSignal(model.page_loaded, timeout=5000) as blocker:
        assert model.data(model.index(4321, 1)) == PLACEHOLDER
    assert blocker.args == [43]
    assert model.row_data(4321) is not None
    assert model.row_data(0) is None
    expected = on_db(lambda: seeded_services.lookup.rows([ids[4321]]))[0]
    assert model.data(model.index(4321, 1)) == expected.name
    _load_all_pages(qtbot, model)
    qtmodeltester.check(model)


def test_a_new_search_drops_rows_of_the_old_one(qtbot, model, seeded_services, on_db) -> None:
    first = on_db(lambda: seeded_services.lookup.lookup("太行").ids)
    second = on_db(lambda: seeded_services.lookup.lookup("上党").ids)
    model.set_ids(first)
    model.data(model.index(0, 1))  # request a page of the first search…
    model.set_ids(second)  # …then replace it before it arrives
    with qtbot.waitSignal(model.page_loaded, timeout=5000):
        model.data(model.index(0, 1))
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=5000)
    names = [model.data(model.index(r, 1)) for r in range(min(20, len(second)))]
    assert all("上党" in name for name in names), names


def test_invalid_index_has_no_data(model) -> None:
    assert model.data(QModelIndex()) is None
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
