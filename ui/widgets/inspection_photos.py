"""The 照片 tab of the 检查任务 page: thumbnails of a result's photos, import, remove, view.

Photo bytes come from the encrypted store on the database worker and are decoded on the
render worker (``TaskManager.run_cpu``); the GUI thread only wraps finished images in pixmaps.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, QStandardPaths, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.app import AppServices
from desktop_app.services.inspections import InspectionView, PhotoImport, PhotoView
from ui.taskman import TaskManager
from ui.widgets.inspection_widgets import (
    IMAGE_SUFFIXES,
    PREVIEW_SIDE,
    THUMBNAIL_SIDE,
    PhotoPreviewDialog,
    capture_text,
    decode_image,
)

PHOTO_FILTER = QT_TRANSLATE_NOOP(
    "PhotoPanel", "照片 (*.jpg *.jpeg *.png *.heic *.heif *.webp *.bmp *.tif *.tiff);;所有文件 (*)"
)
SHA_ROLE = Qt.ItemDataRole.UserRole + 1


class PhotoPanel(QWidget):
    """Thumbnails of one saved result's photos, with import, folder import and removal.

    The page owns the result: it calls :meth:`show_view` and listens for the outcomes.

    Signals:
        imported(object, object): A :class:`PhotoImport` and the result's fresh view (None,
            None when a chosen folder held no image).
        removed(object): The result's fresh view after a photo was removed.
        failed(object): The exception of a failed store call.
        busy(bool): A write started (True) or ended.
        needs_saved(): An import was asked for before the result was saved (or after sync).
        thumbnail_ready(str): The thumbnail of the photo with this SHA-256 is shown.
        photo_opened(object): A photo's larger view (:class:`PhotoPreviewDialog`) is open.
    """

    imported = Signal(object, object)
    removed = Signal(object)
    failed = Signal(object)
    busy = Signal(bool)
    needs_saved = Signal()
    thumbnail_ready = Signal(str)
    photo_opened = Signal(object)

    def __init__(
        self, services: AppServices, tasks: TaskManager, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self._thumbnails: dict[str, QPixmap] = {}
        self.view: InspectionView | None = None
        self.editable = False
        self.dialog: PhotoPreviewDialog | None = None

        self.list = QListWidget()
        self.list.setObjectName("photoList")
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        self.list.setGridSize(QSize(THUMBNAIL_SIDE + 24, THUMBNAIL_SIDE + 44))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setUniformItemSizes(True)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #607d8b;")
        self.import_button = QPushButton(self.tr("导入照片…"))
        self.folder_button = QPushButton(self.tr("从文件夹导入…"))
        self.remove_button = QPushButton(self.tr("移除所选照片"))
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addWidget(self.folder_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        layout.addWidget(self.list, 1)
        placeholder = QPixmap(THUMBNAIL_SIDE, THUMBNAIL_SIDE)
        placeholder.fill(QColor("#eceff1"))
        self._placeholder = QIcon(placeholder)

        self.import_button.clicked.connect(self.choose_photos)
        self.folder_button.clicked.connect(self.choose_folder)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemDoubleClicked.connect(self.open_photo)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.show_view(None, False)

    # -- showing -----------------------------------------------------------------------

    def show_view(self, view: InspectionView | None, editable: bool) -> None:
        """Show the photos of ``view`` (None: a result not saved yet)."""
        self.view = view
        self.editable = editable
        self.list.clear()
        if view is None:
            self.hint.setText(self.tr("保存检查记录后即可添加照片。"))
        elif view.photos:
            self.hint.setText(
                self.tr("共 {count} 张照片，已加密保存在本机。双击查看大图。").format(
                    count=len(view.photos)
                )
            )
        else:
            self.hint.setText(self.tr("还没有照片。可导入相机或手机拍摄的照片，或整个文件夹。"))
        for photo in view.photos if view else ():
            item = QListWidgetItem(self._placeholder, capture_text(photo.captured_at))
            item.setData(SHA_ROLE, photo.sha256)
            item.setToolTip(f"{photo.filename}\n{max(1, photo.size // 1024)} KB")
            cached = self._thumbnails.get(photo.sha256)
            if cached is not None:
                item.setIcon(QIcon(cached))
            self.list.addItem(item)
            if cached is None:
                self._load_thumbnail(photo)
        self._update_buttons()

    def set_editable(self, editable: bool) -> None:
        """Allow adding and removing photos (a saved result not yet synced, nothing running)."""
        self.editable = editable
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.import_button.setEnabled(self.editable)
        self.folder_button.setEnabled(self.editable)
        self.remove_button.setEnabled(self.editable and bool(self.list.selectedItems()))

    def _load_thumbnail(self, photo: PhotoView) -> None:
        service, sha = self._services.inspections, photo.sha256

        def decode(content: bytes) -> None:
            self._tasks.run_cpu(
                lambda: decode_image(content, THUMBNAIL_SIDE),
                lambda image: self._show_thumbnail(sha, image),
                self.failed.emit,
                context=self,
            )

        self._tasks.run_db(
            lambda: service.photo_content(sha), decode, self.failed.emit, context=self
        )

    def _show_thumbnail(self, sha: str, image: QImage) -> None:
        if image.isNull():
            return
        pixmap = QPixmap.fromImage(image)
        self._thumbnails[sha] = pixmap
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(SHA_ROLE) == sha:
                item.setIcon(QIcon(pixmap))
        self.thumbnail_ready.emit(sha)

    def selected_photo(self) -> str | None:
        """The SHA-256 of the selected photo."""
        items = self.list.selectedItems()
        return str(items[0].data(SHA_ROLE)) if items else None

    def open_photo(self, item: QListWidgetItem) -> PhotoPreviewDialog:
        """Show a photo larger (decoded on the render worker)."""
        sha = str(item.data(SHA_ROLE))
        if self.dialog is not None and shiboken6.isValid(self.dialog):
            self.dialog.close()
        dialog = PhotoPreviewDialog(item.text(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        service = self._services.inspections

        def decode(content: bytes) -> None:
            self._tasks.run_cpu(
                lambda: decode_image(content, PREVIEW_SIDE),
                dialog.show_image,
                self.failed.emit,
                context=dialog,
            )

        self._tasks.run_db(
            lambda: service.photo_content(sha), decode, self.failed.emit, context=dialog
        )
        self.photo_opened.emit(dialog)
        return dialog

    # -- changing ----------------------------------------------------------------------

    def _target(self) -> InspectionView | None:
        if self.view is None or not self.editable:
            self.needs_saved.emit()
            return None
        return self.view

    def choose_photos(self) -> None:
        """Ask for photo files (several at once) and add them to the result."""
        if self._target() is None:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
        paths, _filter = QFileDialog.getOpenFileNames(
            self, self.tr("导入照片"), folder, self.tr(str(PHOTO_FILTER))
        )
        if paths:
            self.import_photos([Path(p) for p in paths])

    def choose_folder(self) -> None:
        """Ask for a folder and add every image in it to the result."""
        if self._target() is None:
            return
        start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
        folder = QFileDialog.getExistingDirectory(self, self.tr("从文件夹导入照片"), start)
        if folder:
            self.import_folder(Path(folder))

    def import_folder(self, folder: Path) -> None:
        """Add every image file of ``folder`` (not its subfolders) to the result."""

        def images() -> list[Path]:
            return sorted(
                p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
            )

        self._import(images)

    def import_photos(self, paths: list[Path]) -> None:
        """Add the photo files ``paths`` to the result; ``imported`` after."""
        self._import(lambda: list(paths))

    def _import(self, listing: Callable[[], list[Path]]) -> None:
        view = self._target()
        if view is None:
            return
        service, record_id = self._services.inspections, view.record_id
        self.busy.emit(True)

        def work() -> tuple[PhotoImport, InspectionView] | None:
            paths = listing()
            if not paths:
                return None
            return service.import_photo_files(record_id, paths), service.get(record_id)

        def done(result: tuple[PhotoImport, InspectionView] | None) -> None:
            self.busy.emit(False)
            if result is None:
                self.imported.emit(None, None)
            else:
                self.imported.emit(*result)

        self._tasks.run_db(work, done, self._fail, context=self)

    def remove_selected(self) -> None:
        """Remove the selected photo from the result; ``removed`` after."""
        sha, view = self.selected_photo(), self.view
        if sha is None or view is None or not self.editable:
            return
        service, record_id = self._services.inspections, view.record_id
        self.busy.emit(True)

        def done(changed: InspectionView) -> None:
            self.busy.emit(False)
            self.removed.emit(changed)

        self._tasks.run_db(
            lambda: service.remove_photo(record_id, sha), done, self._fail, context=self
        )

    def _fail(self, exc: Exception) -> None:
        self.busy.emit(False)
        self.failed.emit(exc)
