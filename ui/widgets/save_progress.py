"""A small busy indicator for a form's action row: shown only when a save takes a while.

Most saves finish in a few milliseconds; flashing a bar for those would be noise. The
indicator appears when work is still running after :data:`SHOW_AFTER_MS` and hides when it
ends, so a slow save (a large store, a sync writing at the same moment) is visibly under way
while the form stays editable.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QWidget

SHOW_AFTER_MS = 300


class SaveProgress(QWidget):
    """An endless progress bar with a short text (正在保存…), for a form's action row."""

    def __init__(self, parent: QWidget | None = None, *, show_after_ms: int = SHOW_AFTER_MS):
        super().__init__(parent)
        self.label = QLabel()
        self.label.setStyleSheet("color: #455a64;")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(72)
        self.bar.setMaximumHeight(12)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        self.running = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(show_after_ms)
        self._timer.timeout.connect(self.show)
        self.hide()

    def start(self, text: str) -> None:
        """Work began: show ``text`` with the bar if it is still running a moment later."""
        self.label.setText(text)
        self.running = True
        if not self.isVisible():
            self._timer.start()

    def stop(self) -> None:
        """Work ended: hide."""
        self.running = False
        self._timer.stop()
        self.hide()
