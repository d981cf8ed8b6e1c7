"""入门指南: three screens shown once on a new profile — what this is, logging in, where help is.

The guide is non-modal: the main window stays usable behind it, so nothing waits on it (tests,
scripts/walkthrough.py). The main window shows it once per profile (``first_run_guide_shown``
in the profile's settings) and again whenever the user picks 帮助 → 入门指南.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)


class FirstRunGuide(QDialog):
    """The first-run guide: 上一步 / 下一步 / 完成, and 跳过 on every screen.

    Closing it in any way (跳过, 完成, Esc, the window's close button) ends it; ``finished``
    says so. It never asks anything and never changes data.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunGuide")
        self.setModal(False)
        self.setWindowTitle(self.tr("入门指南 — 信用监管工作台"))
        screens = [
            (
                self.tr("欢迎使用信用监管工作台"),
                self.tr(
                    "信用监管工作台是长治市政务服务窗口工作人员和执法人员办理信用监管业务的"
                    "桌面工具：主体查询与信用核查、信用承诺（告知承诺、容缺受理）、诚信教育、"
                    "双随机检查、信用报告、信用修复与异议、跟踪督办。"
                ),
                self.tr(
                    "所有数据都加密保存在本机的本地数据库中，没有网络也能照常办理；联网后，"
                    "本机的记录会自动与市级平台同步。"
                ),
            ),
            (
                self.tr("登录市级平台"),
                self.tr(
                    "第一次使用，请在有网络时登录一次：点左侧的“同步”（Ctrl+9），再点"
                    "“登录平台…”，填写平台地址、用户名和密码。登录后会下载主体信息、"
                    "承诺事项目录和检查任务，表单和审计日志中的经办人将记为您的姓名。"
                ),
                self.tr(
                    "执法人员外出检查前，请在“同步”页点“离线准备”，把检查任务、检查表和"
                    "附件全部下载到本机。"
                ),
            ),
            (
                self.tr("随时查看帮助"),
                self.tr(
                    "在任何页面按 F1，即可打开该页面的使用手册（不需要网络）。左下角的“帮助”"
                    "按钮中有使用手册、本入门指南和“关于”。"
                ),
                self.tr(
                    "常用快捷键：Ctrl+1…Ctrl+9 切换页面，Ctrl+F 查找主体，Ctrl+L 立即锁定，"
                    "Ctrl+Q 退出。离开座位时请锁定，或等待自动锁定。"
                ),
            ),
        ]
        self.stack = QStackedWidget()
        for title, first, second in screens:
            self.stack.addWidget(self._screen(title, first, second))
        self.step_label = QLabel()
        self.step_label.setObjectName("guideStep")
        self.skip_button = QPushButton(self.tr("跳过"))
        self.skip_button.setToolTip(self.tr("关闭入门指南；以后可从“帮助”菜单再次打开"))
        self.skip_button.clicked.connect(self.reject)
        self.back_button = QPushButton(self.tr("上一步"))
        self.back_button.clicked.connect(lambda: self.go(self.stack.currentIndex() - 1))
        self.next_button = QPushButton(self.tr("下一步"))
        self.next_button.clicked.connect(lambda: self.go(self.stack.currentIndex() + 1))
        self.done_button = QPushButton(self.tr("完成"))
        self.done_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.step_label)
        buttons.addStretch(1)
        for button in (self.skip_button, self.back_button, self.next_button, self.done_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)
        self.go(0)

    def _screen(self, title: str, first: str, second: str) -> QWidget:
        page = QWidget()
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        heading.setStyleSheet("font-size: 16pt; font-weight: bold; padding-bottom: 8px;")
        layout = QVBoxLayout(page)
        layout.addWidget(heading)
        for text in (first, second):
            label = QLabel(text)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
        layout.addStretch(1)
        return page

    @property
    def step(self) -> int:
        """The screen shown now (0-based)."""
        return self.stack.currentIndex()

    def go(self, index: int) -> None:
        """Show screen ``index`` (clamped to the screens there are)."""
        last = self.stack.count() - 1
        index = max(0, min(index, last))
        self.stack.setCurrentIndex(index)
        self.step_label.setText(
            self.tr("第 {n} 步，共 {total} 步").format(n=index + 1, total=last + 1)
        )
        self.back_button.setEnabled(index > 0)
        self.next_button.setVisible(index < last)
        self.done_button.setVisible(index == last)
        (self.done_button if index == last else self.next_button).setDefault(True)
