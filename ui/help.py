"""帮助: the user manual in a window of its own, offline.

The manual is Markdown (``docs/manual``; ``resources/manual`` in the frozen build, see
:func:`desktop_app.config.manual_dir`); :class:`QTextBrowser` renders it directly, follows the
links between its pages and loads the images beside them. Which page belongs to which screen of
the main window is the main window's (``MANUAL_PAGES`` in :mod:`ui.main_window`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QImage, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from desktop_app.config import manual_dir

INDEX_PAGE = "index.md"
MAX_IMAGE_WIDTH = 760
"""Screenshots are 1366 px wide: shown scaled down to this width (logical pixels)."""


class ManualBrowser(QTextBrowser):
    """A text browser that shows the manual's screenshots scaled to the page's width."""

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        """Load a resource; images wider than :data:`MAX_IMAGE_WIDTH` come back scaled."""
        resource = super().loadResource(kind, url)
        if kind != QTextDocument.ResourceType.ImageResource.value or resource is None:
            return resource
        image = resource if isinstance(resource, QImage) else QImage.fromData(resource)
        if image.isNull() or image.width() <= MAX_IMAGE_WIDTH:
            return image if not image.isNull() else resource
        return image.scaledToWidth(MAX_IMAGE_WIDTH, Qt.TransformationMode.SmoothTransformation)


class HelpWindow(QWidget):
    """The manual, opened by F1 on the page the user is looking at.

    Signals:
        page_shown(str): The manual file shown now (its file name, e.g. ``lookup.md``).
    """

    page_shown = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("helpWindow")
        self.setWindowTitle(self.tr("使用手册 — 信用监管工作台"))
        self.browser = ManualBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setOpenLinks(True)
        self.browser.sourceChanged.connect(self._on_source_changed)
        self.back_button = QPushButton(self.tr("后退"))
        self.back_button.setToolTip(self.tr("后退（Alt+←）"))
        self.back_button.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.forward_button = QPushButton(self.tr("前进"))
        self.forward_button.setToolTip(self.tr("前进（Alt+→）"))
        self.forward_button.clicked.connect(self.browser.forward)
        self.browser.forwardAvailable.connect(self.forward_button.setEnabled)
        self.index_button = QPushButton(self.tr("目录"))
        self.index_button.setToolTip(self.tr("使用手册的目录"))
        self.index_button.clicked.connect(lambda: self.open_page(INDEX_PAGE))
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.clicked.connect(self.close)
        self.back_button.setEnabled(False)
        self.forward_button.setEnabled(False)
        bar = QHBoxLayout()
        for button in (self.back_button, self.forward_button, self.index_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.browser, 1)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        QShortcut(QKeySequence("Escape"), self, self.close)
        self.resize(QSize(MAX_IMAGE_WIDTH + 120, 700))

    @property
    def current_file(self) -> Path | None:
        """The manual file shown now (None before the first page)."""
        url = self.browser.source()
        return Path(url.toLocalFile()) if url.isLocalFile() else None

    def open_page(self, file_name: str) -> None:
        """Show the manual page ``file_name`` (e.g. ``lookup.md``) and bring the window up."""
        path = manual_dir() / file_name
        if path.is_file():
            self.browser.setSource(
                QUrl.fromLocalFile(str(path)), QTextDocument.ResourceType.MarkdownResource
            )
        else:
            self.browser.setPlainText(
                self.tr("找不到使用手册文件 {path}。安装可能不完整，请联系管理员。").format(
                    path=str(path)
                )
            )
        if self.isMinimized():
            self.showNormal()
        if self.isVisible():
            self.raise_()  # already open behind the main window: bring it forward
        else:
            self._place_beside_parent()
            self.show()
        self.activateWindow()

    def _place_beside_parent(self) -> None:
        # At the right of the main window, so the screen it explains stays in sight.
        parent = self.parentWidget()
        if parent is None or self.isVisible() or self.property("placed"):
            return
        frame = parent.frameGeometry()
        self.move(max(frame.left(), frame.right() - self.width()), frame.top())
        self.setProperty("placed", True)

    def _on_source_changed(self, url: QUrl) -> None:
        block = self.browser.document().firstBlock()
        title = block.text().strip() if block.blockFormat().headingLevel() else ""
        name = Path(url.toLocalFile()).name if url.isLocalFile() else url.toString()
        base = self.tr("使用手册 — 信用监管工作台")
        self.setWindowTitle(f"{title} — {base}" if title else base)
        self.page_shown.emit(name)
