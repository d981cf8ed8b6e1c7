"""An inline message panel: errors in red, warnings in amber, notes in blue.

Used instead of pop-up boxes for messages that belong to a form (a wrong code, a refused
passphrase), so the user reads them next to what they typed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

STYLES = {
    "error": "color: #b71c1c; background: #ffebee; border: 1px solid #e57373;",
    "warning": "color: #7a4a00; background: #fff8e1; border: 1px solid #ffb74d;",
    "info": "color: #0d47a1; background: #e3f2fd; border: 1px solid #90caf9;",
    "success": "color: #1b5e20; background: #e8f5e9; border: 1px solid #81c784;",
}


class InlineMessage(QLabel):
    """A selectable, word-wrapped message with a coloured frame; hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "error") -> None:
        """Show ``text`` in the style of ``kind`` (error, warning, info or success)."""
        self.kind = kind
        self.setStyleSheet(f"QLabel {{ {STYLES[kind]} border-radius: 4px; padding: 8px; }}")
        self.setText(text)
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        """Hide the panel."""
        self.kind = ""
        self.clear()
        self.hide()
