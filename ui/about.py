"""关于: version, platform address, data folder, and the licences of what the client ships.

The third-party list is generated (:mod:`desktop_app.licences`): from the installed packages'
metadata in development, from the file ``build.spec`` generated at build time when frozen. It
is read on the render worker, so opening the dialog never waits on the disk.
"""

from __future__ import annotations

import logging
import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl, Signal, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__
from desktop_app.config import ProfilePaths, Settings
from desktop_app.licences import PackageLicence, qt_notice, shipped_licences
from ui.sync_adapter import PLATFORM_URL_KEY
from ui.taskman import TaskManager

log = logging.getLogger(__name__)


class AboutDialog(QDialog):
    """关于信用监管工作台: who we are, where the data is, whose software we ship.

    Opened with ``open()`` (window-modal); ``licences_loaded`` when the third-party list is
    filled.

    Signals:
        licences_loaded(int): The number of third-party packages listed.
    """

    licences_loaded = Signal(int)

    def __init__(
        self,
        settings: Settings,
        paths: ProfilePaths,
        tasks: TaskManager,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("关于信用监管工作台"))
        self._paths = paths
        self.packages: list[PackageLicence] = []

        title = QLabel(self.tr("信用监管工作台") + f"（Credit Desk）{__version__}")
        title.setObjectName("pageTitle")
        title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.version_label = QLabel(__version__)
        url = settings.get(PLATFORM_URL_KEY)
        self.platform_label = QLabel(url if isinstance(url, str) and url else self.tr("尚未设置"))
        self.data_dir_label = QLabel(str(paths.data_dir))
        for label in (self.version_label, self.platform_label, self.data_dir_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.data_dir_label.setWordWrap(True)
        open_folder = QPushButton(self.tr("打开文件夹"))
        open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._paths.data_dir)))
        )
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.data_dir_label, 1)
        folder_row.addWidget(open_folder)
        runtime = QLabel(
            f"Python {platform.python_version()} · Qt {qVersion()} · PySide6 {pyside_version}"
            f" · {platform.system()} {platform.release()}"
        )
        runtime.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        facts = QFormLayout()
        facts.addRow(self.tr("版本："), self.version_label)
        facts.addRow(self.tr("市级平台地址："), self.platform_label)
        facts.addRow(self.tr("数据文件夹："), folder_row)
        facts.addRow(self.tr("运行环境："), runtime)

        self.qt_notice_label = QLabel()
        self.qt_notice_label.setObjectName("qtNotice")
        self.qt_notice_label.setWordWrap(True)
        self.qt_notice_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.package_list = QListWidget()
        self.package_list.setObjectName("licencePackages")
        self.package_list.currentRowChanged.connect(self._show_package)
        self.licence_text = QPlainTextEdit()
        self.licence_text.setObjectName("licenceText")
        self.licence_text.setReadOnly(True)
        self.licence_text.setPlainText(self.tr("正在读取第三方软件许可…"))
        self.licence_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        lists = QHBoxLayout()
        lists.addWidget(self.package_list, 1)
        lists.addWidget(self.licence_text, 2)
        licences = QGroupBox(self.tr("第三方软件许可"))
        box = QVBoxLayout(licences)
        box.addWidget(self.qt_notice_label)
        box.addLayout(lists, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(
            QLabel(
                self.tr(
                    "长治市信用监管业务的桌面客户端：窗口信用核查、信用承诺、诚信教育、"
                    "双随机检查、信用修复与异议、跟踪督办，离线可用。"
                )
            )
        )
        layout.addLayout(facts)
        layout.addWidget(licences, 1)
        layout.addWidget(buttons)
        self.resize(860, 640)
        tasks.run_cpu(shipped_licences, self._on_licences, self._on_error, context=self)

    def _on_licences(self, packages: tuple[PackageLicence, ...]) -> None:
        self.packages = list(packages)
        notice = qt_notice(self.packages)
        self.qt_notice_label.setText(
            self.tr(
                "本软件使用 Qt 和 PySide6（Qt for Python），依据 GNU 宽通用公共许可证第 3 版"
                "（LGPL-3.0）使用；Qt 库以独立的动态库随本软件提供，可以替换。"
                "PySide6 的许可说明："
            )
            + "\n"
            + " ".join(notice.split())
        )
        self.package_list.clear()
        for package in self.packages:
            item = QListWidgetItem(
                f"{package.name} {package.version} — {self._licence_words(package)}"
            )
            item.setToolTip(package.homepage)
            self.package_list.addItem(item)
        if self.packages:
            self.package_list.setCurrentRow(0)
        self.licences_loaded.emit(len(self.packages))

    def _on_error(self, exc: Exception) -> None:
        log.error("reading the third-party licences failed", exc_info=exc)
        self.licence_text.setPlainText(
            self.tr("无法读取第三方软件许可清单（{error}）。详细信息已写入日志。").format(
                error=type(exc).__name__
            )
        )
        self.licences_loaded.emit(0)

    def licence_of(self, name: str) -> str:
        """The text shown for the package ``name`` (selects it, as a click would)."""
        for row, package in enumerate(self.packages):
            if package.name.lower().replace("_", "-") == name.lower().replace("_", "-"):
                self.package_list.setCurrentRow(row)
                return self.licence_text.toPlainText()
        raise KeyError(name)

    def _licence_words(self, package: PackageLicence) -> str:
        if package.licence == "UNKNOWN":
            return self.tr("元数据未注明，见许可证文本")
        return package.licence

    def _show_package(self, row: int) -> None:
        if not 0 <= row < len(self.packages):
            return
        package = self.packages[row]
        head = [
            f"{package.name} {package.version}",
            self.tr("许可证：{licence}").format(licence=self._licence_words(package)),
        ]
        head += list(package.classifiers)
        if package.homepage:
            head.append(package.homepage)
        parts = ["\n".join(head)]
        if package.texts:
            parts += [f"── {text.name} ──\n{text.text}" for text in package.texts]
        else:
            parts.append(self.tr("（该软件包未附带许可证文件，许可证见上方说明。）"))
        self.licence_text.setPlainText("\n\n".join(parts))
