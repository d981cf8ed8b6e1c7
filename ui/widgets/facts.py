"""A read-only form of labelled facts (主体信息, 承诺详情 …): captions right, values selectable."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel


def fact_form(rows: Sequence[tuple[str, str]]) -> tuple[QFormLayout, dict[str, QLabel]]:
    """A form with one plain-text, word-wrapped, selectable value label per row.

    Args:
        rows: ``(key, caption)`` of each fact, in display order.

    Returns:
        The layout, and the value labels by key (fill them with ``setText``).
    """
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
    labels: dict[str, QLabel] = {}
    for key, caption in rows:
        label = QLabel()
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        labels[key] = label
        form.addRow(caption, label)
    return form, labels
