"""Small widgets of the 检查任务 page: the result delegate, the correction dialog, photos.

Photos are decoded off the GUI thread: :func:`decode_image` is what the page hands to the
render worker (``TaskManager.run_cpu``); only the finished :class:`QImage` comes back, and the
GUI thread merely wraps it in a pixmap.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    QAbstractItemModel,
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.inspections import MIN_AMEND_REASON, ItemResult
from ui.models.inspection_models import result_text
from ui.widgets.message_box import InlineMessage

Index = QModelIndex | QPersistentModelIndex

THUMBNAIL_SIDE = 160
PREVIEW_SIDE = 1600
IMAGE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".heif", ".avif", ".bmp", ".tif", ".tiff"}
)


def decode_image(content: bytes, max_side: int) -> QImage:
    """Decode ``content`` and scale it to fit a ``max_side`` square (for the render worker).

    The reader applies the photo's EXIF orientation and decodes at reduced size where the
    format allows, so a 12-megapixel JPEG does not cost a full decode for a thumbnail.

    Returns:
        The image, or a null image when ``content`` is not a readable picture.
    """
    data = QByteArray(content)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and max(size.width(), size.height()) > max_side:
        reader.setScaledSize(size.scaled(max_side, max_side, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    buffer.close()
    if image.isNull():
        return image
    if max(image.width(), image.height()) > max_side:
        image = image.scaled(
            max_side,
            max_side,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return image


def capture_text(captured_at: datetime | None) -> str:
    """A photo's capture time as a caption (local time, to the minute)."""
    if captured_at is None:
        return QCoreApplication.translate("InspectionWidgets", "拍摄时间未知")
    moment = captured_at.astimezone() if captured_at.tzinfo is not None else captured_at
    return moment.strftime("%Y-%m-%d %H:%M")


class ResultDelegate(QStyledItemDelegate):
    """Edits a checklist result with a combo box: 合格 / 不合格 / 不涉及 (or blank)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        """A combo of the results; choosing one commits it at once."""
        combo = QComboBox(parent)
        combo.addItem(result_text(None), "")
        for result in ItemResult:
            combo.addItem(result_text(result), result.value)
        combo.activated.connect(lambda _i: self._commit(combo))
        return combo

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        """Select the cell's current result."""
        if isinstance(editor, QComboBox):
            found = editor.findData(index.data(Qt.ItemDataRole.EditRole) or "")
            editor.setCurrentIndex(max(0, found))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        """Write the chosen result's value to the model."""
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class AmendDialog(QDialog):
    """Asks why a synced inspection result is being corrected (更正已同步记录).

    Signals:
        submitted(str): The reason, not blank.
    """

    submitted = Signal(str)

    def __init__(self, subject: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("更正已同步的检查记录"))
        intro = QLabel(
            self.tr(
                "{subject}\n\n该记录已同步到平台。更正将以表单中的内容替换原记录，"
                "原内容和更正原因会一并留存。"
            ).format(subject=subject)
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setPlaceholderText(self.tr("更正原因，例如 检查日期录入错误"))
        self.reason_edit.setMinimumHeight(90)
        self.message = InlineMessage()
        self.ok_button = QPushButton(self.tr("更正"))
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("取消"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel(self.tr("更正原因：")))
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(460, 280)
        self.ok_button.clicked.connect(self._submit)
        self.cancel_button.clicked.connect(self.reject)
        self.reason_edit.setFocus()

    def _submit(self) -> None:
        reason = self.reason_edit.toPlainText().strip()
        if len(reason) < MIN_AMEND_REASON:
            self.message.show_message(
                self.tr("请写明更正原因（至少 {count} 个字）。").format(count=MIN_AMEND_REASON),
                "warning",
            )
            return
        self.submitted.emit(reason)
        self.accept()


class PhotoPreviewDialog(QDialog):
    """A larger view of one photo; the picture arrives later from the render worker."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("照片：{caption}").format(caption=caption))
        self.image_label = QLabel(self.tr("正在加载照片…"))
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.image_label)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(row)
        self.resize(QSize(960, 760))

    def show_image(self, image: QImage) -> None:
        """Show the decoded picture (or say it cannot be shown)."""
        if image.isNull():
            self.image_label.setText(self.tr("无法显示该照片。"))
            return
        self.image_label.setPixmap(QPixmap.fromImage(image))
