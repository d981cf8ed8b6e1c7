"""Ctrl+F on a page with its own search box.

The main window's Ctrl+F goes to 主体查询. A page with its own search (信用承诺, 检查任务)
takes the key first, while focus is inside it: Qt sends a ``ShortcutOverride`` event to the
focused widget's ancestors before it fires a window shortcut, and accepting it keeps the key
for the page. (A second QShortcut on the same key would make Qt call both ambiguous.)
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QKeyCombination, Qt
from PySide6.QtGui import QKeyEvent

FIND = QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_F)


def take_find_key(event: QEvent, focus_search: Callable[[], None]) -> bool:
    """Call ``focus_search`` and accept ``event`` if it is the Ctrl+F shortcut override.

    Returns:
        Whether the event was taken (the page's ``event()`` then returns True).
    """
    if (
        event.type() == QEvent.Type.ShortcutOverride
        and isinstance(event, QKeyEvent)
        and event.keyCombination() == FIND
    ):
        focus_search()
        event.accept()
        return True
    return False
