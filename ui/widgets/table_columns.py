"""Column widths that keep a table's main column readable at laptop sizes.

Qt's ``ResizeToContents`` gives every column what its longest cell wants and leaves the
``Stretch`` column whatever is left — on a 1366×768 laptop that was nothing, and the entity
name, the one column a clerk reads first, shrank to "…". :func:`fit_columns` caps the other
columns instead (their text elides, and every model here gives the whole text as a tooltip),
keeps the main column at least ``min_chars`` wide, and gives it all the room that is left.
Where even that does not fit, the table scrolls sideways rather than hide a column.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

__all__ = ["USCC_CHARS", "ColumnFitter", "fit_columns"]

DEFAULT_CAP_CHARS = 16
DEFAULT_MIN_CHARS = 12
# A 统一社会信用代码 is read character by character: its column is never elided (18 characters,
# wider than average ones, plus the cell's margins).
USCC_CHARS = 26


class ColumnFitter(QObject):
    """Keeps one table's column widths fitted as its size and rows change.

    Args:
        view: The table.
        stretch: The main column: at least ``min_chars`` wide, and all the spare room.
        min_chars: The main column's minimum width, in average character widths.
        cap_chars: The widest any other column gets from its contents (a user may still drag
            it wider), in average character widths; per column in ``caps``.
        caps: Caps for some columns, overriding ``cap_chars``.
    """

    def __init__(
        self,
        view: QTableView,
        stretch: int,
        *,
        min_chars: int = DEFAULT_MIN_CHARS,
        cap_chars: int = DEFAULT_CAP_CHARS,
        caps: dict[int, int] | None = None,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._stretch = stretch
        self._min_chars = min_chars
        self._cap_chars = cap_chars
        self._caps = dict(caps or {})
        self._model: object = None
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)  # once per event-loop turn, however many rows arrived
        self._timer.timeout.connect(self.fit)
        view.viewport().installEventFilter(self)
        self._watch_model()
        self.schedule()

    def _watch_model(self) -> None:
        model = self._view.model()
        if model is None or model is self._model:
            return
        self._model = model
        for signal in (
            model.modelReset,
            model.rowsInserted,
            model.rowsRemoved,
            model.layoutChanged,
            model.dataChanged,
        ):
            signal.connect(self.schedule)

    def schedule(self) -> None:
        """Fit the columns on the next turn of the event loop."""
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Refit when the table's viewport changes size."""
        if event.type() == QEvent.Type.Resize:
            self.schedule()
        return False

    def fit(self) -> None:
        """Give each column its width now."""
        self._watch_model()
        view = self._view
        model = view.model()
        if model is None:
            return
        header = view.horizontalHeader()
        char = max(1, view.fontMetrics().averageCharWidth())
        columns = [c for c in range(model.columnCount()) if not header.isSectionHidden(c)]
        widths: dict[int, int] = {}
        for column in columns:
            if column == self._stretch:
                continue
            wanted = max(header.sectionSizeHint(column), view.sizeHintForColumn(column))
            cap = max(
                header.sectionSizeHint(column), self._caps.get(column, self._cap_chars) * char
            )
            widths[column] = min(wanted, cap)
        room = view.viewport().width() - sum(widths.values())
        if self._stretch in columns:
            widths[self._stretch] = max(self._min_chars * char, room)
        for column, width in widths.items():
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)


def fit_columns(
    view: QTableView,
    stretch: int,
    *,
    min_chars: int = DEFAULT_MIN_CHARS,
    cap_chars: int = DEFAULT_CAP_CHARS,
    caps: dict[int, int] | None = None,
) -> ColumnFitter:
    """Fit ``view``'s columns now and whenever its size or rows change (see the module).

    Returns:
        The fitter (owned by the view).
    """
    return ColumnFitter(view, stretch, min_chars=min_chars, cap_chars=cap_chars, caps=caps)
