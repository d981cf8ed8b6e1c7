"""工作台: the start page, with the state of the local store at a glance."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.status import StoreStatus


class _Tile(QFrame):
    """A number with a caption."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tile")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value_label = QLabel("—")
        self.value_label.setObjectName("tileValue")
        self.value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.value_label.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        font.setBold(True)
        self.value_label.setFont(font)
        self.caption_label = QLabel(caption)
        self.caption_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)


class WorkbenchPage(QWidget):
    """Counts from :meth:`StatusService.snapshot`, and a way into 主体查询.

    Signals:
        lookup_requested: The user wants to look an entity up.
        refresh_requested: The user asked for fresh numbers.
    """

    lookup_requested = Signal()
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title_label = QLabel(self.tr("工作台"))
        self.title_label.setObjectName("pageTitle")
        self.connection_label = QLabel(
            self.tr("离线工作模式：尚未连接市级平台，所有查询均基于本地缓存。")
        )
        self.connection_label.setWordWrap(True)

        self.entities_tile = _Tile(self.tr("本地缓存主体"))
        self.unsynced_tile = _Tile(self.tr("待同步变更"))
        self.last_sync_tile = _Tile(self.tr("最近一次同步"))
        self.audit_tile = _Tile(self.tr("审计日志记录"))
        tiles = QGridLayout()
        tiles.setSpacing(12)
        for column, tile in enumerate(
            (self.entities_tile, self.unsynced_tile, self.last_sync_tile, self.audit_tile)
        ):
            tiles.addWidget(tile, 0, column)

        lookup_button = QPushButton(self.tr("主体查询（Ctrl+F）"))
        lookup_button.clicked.connect(self.lookup_requested)
        refresh_button = QPushButton(self.tr("刷新"))
        refresh_button.clicked.connect(self.refresh_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(lookup_button)
        buttons.addWidget(refresh_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.connection_label)
        layout.addLayout(tiles)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def set_status(self, status: StoreStatus) -> None:
        """Show a fresh snapshot of the store."""
        self.entities_tile.value_label.setText(f"{status.entities:,}")
        self.unsynced_tile.value_label.setText(f"{status.unsynced_changes:,}")
        self.last_sync_tile.value_label.setText(status.last_sync or self.tr("尚未同步"))
        self.audit_tile.value_label.setText(f"{status.audit_rows:,}")
