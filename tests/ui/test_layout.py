"""Layout at the sizes of the desks we serve: a 1366×768 laptop, and 1920×1080 at 150 %.

At 150 % scaling a 1920×1080 screen is 1280×720 logical pixels, which is what Qt lays out
in; so both sizes are tested as logical sizes. On every page: the window takes the size (its
minimum fits), no control is cut off by its parents (outside scroll areas, which the user can
scroll), no button is narrower than its text, and a table's main column keeps room to read.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QScrollArea,
    QWidget,
)

from desktop_app.config import ProfilePaths, Settings
from desktop_app.domain.commitments import CommitmentKind
from desktop_app.services.app import AppServices
from desktop_app.services.commitments import CommitmentInput
from desktop_app.services.demo_data import generate_entities
from ui.main_window import MainWindow
from ui.taskman import TaskManager
from ui.widgets.commitment_dialogs import NewCommitmentDialog

from .test_commitments_page import pull_catalog

LAPTOP = QSize(1366, 768)
FULL_HD_150 = QSize(1280, 720)
SIZES = [pytest.param(LAPTOP, id="1366x768"), pytest.param(FULL_HD_150, id="1920x1080@150%")]


def _inside(widget: QWidget, kind: type) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, kind):
            return True
        parent = parent.parentWidget()
    return False


def layout_problems(root: QWidget) -> list[str]:
    """Controls of ``root`` that a user would see cut off."""
    problems = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or _inside(widget, QAbstractItemView):
            continue
        if not isinstance(widget, QAbstractButton | QLineEdit | QComboBox | QAbstractSpinBox):
            continue
        name = getattr(widget, "text", lambda: "")() or widget.objectName() or type(widget).__name__
        if not _inside(widget, QScrollArea):
            shown = widget.visibleRegion().boundingRect().size()
            if shown != widget.rect().size():
                problems.append(f"{name!r} is cut off ({shown.width()}×{shown.height()} shown)")
        if isinstance(widget, QAbstractButton) and widget.width() < widget.sizeHint().width():
            problems.append(f"button {name!r} is narrower than its text")
    return problems


@pytest.fixture
def busy_services(seeded_services: AppServices, on_db) -> AppServices:
    """Demo entities plus commitments with long names, as a window's day leaves them."""

    pull_catalog(seeded_services, on_db)

    def take() -> None:
        for entity in generate_entities(6, seed=7):
            seeded_services.commitments.create(
                CommitmentInput(
                    uscc=entity["uscc"],
                    matter_id="cc-tax-01",
                    kind=CommitmentKind.NOTIFY,
                    applicant_name="赵喆",
                )
            )

    on_db(take)
    return seeded_services


@pytest.fixture
def window(
    busy_services: AppServices, profile: ProfilePaths, tasks: TaskManager, qtbot, app
) -> Iterator[MainWindow]:
    win = MainWindow(busy_services, Settings(), profile, tasks)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


@pytest.mark.parametrize("size", SIZES)
def test_no_page_cuts_off_a_control(qtbot, window: MainWindow, size: QSize) -> None:
    window.setWindowState(Qt.WindowState.WindowNoState)
    assert window.minimumSizeHint().width() <= size.width()
    assert window.minimumSizeHint().height() <= size.height()
    window.resize(size)
    qtbot.waitUntil(lambda: window.size() == size)
    problems = {}
    for row in range(window.nav.count()):
        window.show_page(row)
        qtbot.wait(50)
        found = layout_problems(window.stack.currentWidget())
        if found:
            problems[window.nav.item(row).text()] = found
    assert problems == {}


@pytest.mark.parametrize("size", SIZES)
def test_the_entity_name_column_keeps_its_room(qtbot, window: MainWindow, size: QSize) -> None:
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(size)
    page = window.commitments_page
    window.show_page(2)
    qtbot.waitUntil(lambda: page.model.rowCount() == 6, timeout=10_000)
    qtbot.wait(50)  # the columns are fitted on the next turn of the event loop
    char = page.table.fontMetrics().averageCharWidth()
    name_width = page.table.horizontalHeader().sectionSize(0)
    assert name_width >= 12 * char
    index = page.model.index(0, 0)
    assert page.model.data(index, Qt.ItemDataRole.ToolTipRole) == page.model.data(index)
    # The 统一社会信用代码 is never elided.
    code = str(page.model.data(page.model.index(0, 1)))
    assert len(code) == 18
    assert page.table.horizontalHeader().sectionSize(
        1
    ) > page.table.fontMetrics().horizontalAdvance(code)


@pytest.mark.parametrize("size", SIZES)
def test_the_commitment_form_fits_with_its_action_row(
    qtbot, window: MainWindow, size: QSize
) -> None:
    dialog = window.commitments_page.open_new()
    assert isinstance(dialog, NewCommitmentDialog)
    qtbot.waitSignal(dialog.catalog_loaded, timeout=10_000)
    dialog.select_matter("cc-food-01")
    # A window manager keeps a dialog inside the screen: its minimum must fit there.
    assert dialog.minimumSizeHint().height() <= size.height() - 40
    assert dialog.minimumSizeHint().width() <= size.width()
    dialog.resize(min(dialog.sizeHint().width(), size.width()), size.height() - 40)
    qtbot.wait(50)
    assert layout_problems(dialog) == []
    dialog.reject()


def test_the_window_fits_a_small_screen_by_maximising(window: MainWindow) -> None:
    # The offscreen platform's screen (800×800) is smaller than the preferred 1280×800.
    available = window.screen().availableGeometry()
    assert available.width() < 1280
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.fit_to_screen()
    assert window.windowState() & Qt.WindowState.WindowMaximized
