"""报告打印: issue a credit report for an entity, preview, print and export it, and reprint.

Issuing runs on the database worker (one transaction: number, document, signature, audit);
rendering a PDF runs on the render worker, so neither blocks the window. The print preview
is Qt's own dialog, painting through the same routine as the PDF export.

A 预览样稿 (draft) can be looked at before issuing: it has no number, no QR code and a
watermark saying it is not a report, and it leaves nothing in the store.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.config import ProfilePaths, Settings
from desktop_app.reports.document import Document
from desktop_app.services.app import AppServices
from desktop_app.services.entities import LookupResult
from desktop_app.services.reports import IssuedReportRow, IssueRequest, SignedReport
from ui.error_text import show_service_error
from ui.printing import PrintError, RenderResult, missing_characters, render_pdf
from ui.printing.export import PdfExporter
from ui.printing.preview import ISSUING_UNIT_KEY, DocumentPreviewDialog, PreviewHost
from ui.taskman import TaskManager
from ui.widgets.message_box import InlineMessage

OTHER = "其他"
_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\s]+')


def default_pdf_name(report_no: str, entity_name: str) -> str:
    """A file name for an exported report: number and entity, safe on every file system."""
    name = _UNSAFE_FILE_CHARS.sub("_", f"信用报告_{entity_name}_{report_no}")
    return name[:150] + ".pdf"


class ReportsPage(PreviewHost):
    """The 报告打印 page.

    Signals:
        issued(str): A report with this number was issued (and is in the list).
        pdf_saved(str): A PDF was written to this path.
        preview_opened(object): A print preview dialog is open (for tests and screenshots).
        history_loaded(): The 已出具报告 list shows fresh rows.
        check_requested(): 核验报告 was clicked (the main window opens the dialog).
    """

    check_requested = Signal()
    issued = Signal(str)
    pdf_saved = Signal(str)
    preview_opened = Signal(object)
    history_loaded = Signal()

    def __init__(
        self,
        services: AppServices,
        tasks: TaskManager,
        settings: Settings,
        paths: ProfilePaths,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self._settings = settings
        self._paths = paths
        self._busy = False
        self.last_report: SignedReport | None = None
        self.preview_dialog: DocumentPreviewDialog | None = None
        self._history: list[IssuedReportRow] = []

        title = QLabel(self.tr("报告打印"))
        title.setObjectName("pageTitle")

        # -- which entity ------------------------------------------------------------
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("输入统一社会信用代码或名称查找主体"))
        self.search_edit.setClearButtonEnabled(True)
        self.find_button = QPushButton(self.tr("查找"))
        self.entity_combo = QComboBox()
        self.entity_combo.setMinimumContentsLength(30)
        self.entity_combo.setPlaceholderText(self.tr("尚未选择主体"))
        find_row = QHBoxLayout()
        find_row.addWidget(self.search_edit, 1)
        find_row.addWidget(self.find_button)

        # -- options -----------------------------------------------------------------
        self.purpose_combo = QComboBox()
        for purpose in services.reports.purposes():
            self.purpose_combo.addItem(purpose)
        self.detail_edit = QLineEdit()
        self.detail_edit.setPlaceholderText(self.tr("选择“其他”时填写具体用途，例如 银行贷款审查"))
        self.unit_edit = QLineEdit(str(settings.extra.get(ISSUING_UNIT_KEY, "")))
        self.unit_edit.setPlaceholderText(self.tr("例如 长治市潞州区政务服务中心"))
        self.watermark_combo = QComboBox()
        self.watermark_combo.setEditable(True)
        self.stale_spin = QSpinBox()
        self.stale_spin.setRange(1, 365)
        self.stale_spin.setValue(settings.stale_after_days)
        self.stale_spin.setSuffix(self.tr(" 天"))
        self.stale_spin.setToolTip(self.tr("本地数据超过这么多天未同步时，报告封面上显示提醒"))

        form = QFormLayout()
        form.addRow(self.tr("主体："), self.entity_combo)
        form.addRow(self.tr("报告用途："), self.purpose_combo)
        form.addRow(self.tr("具体用途："), self.detail_edit)
        form.addRow(self.tr("出具单位："), self.unit_edit)
        form.addRow(self.tr("水印："), self.watermark_combo)
        form.addRow(self.tr("数据时效提醒："), self.stale_spin)

        self.draft_button = QPushButton(self.tr("预览样稿"))
        self.draft_button.setToolTip(self.tr("不编号、不签名、不留存，仅供核对内容"))
        self.issue_button = QPushButton(self.tr("出具报告（Ctrl+Enter）"))
        self.issue_button.setDefault(True)
        self.print_button = QPushButton(self.tr("打印预览 / 打印（Ctrl+P）"))
        self.export_button = QPushButton(self.tr("导出 PDF（Ctrl+S）"))
        for button in (self.print_button, self.export_button):
            button.setEnabled(False)
        actions = QHBoxLayout()
        actions.addWidget(self.draft_button)
        actions.addWidget(self.issue_button)
        actions.addStretch(1)
        actions.addWidget(self.print_button)
        actions.addWidget(self.export_button)

        self.message = InlineMessage()
        self.message.setObjectName("reportMessage")

        issue_box = QGroupBox(self.tr("出具信用报告"))
        issue_layout = QVBoxLayout(issue_box)
        issue_layout.addLayout(find_row)
        issue_layout.addLayout(form)
        issue_layout.addLayout(actions)
        issue_layout.addWidget(self.message)

        # -- issued reports ----------------------------------------------------------
        self.history_search = QLineEdit()
        self.history_search.setPlaceholderText(self.tr("按报告编号、统一社会信用代码或名称筛选"))
        self.history_search.setClearButtonEnabled(True)
        self.reprint_button = QPushButton(self.tr("补打"))
        self.reprint_button.setToolTip(self.tr("按原样重新打印所选报告（编号与二维码不变）"))
        self.history_export_button = QPushButton(self.tr("导出 PDF"))
        for button in (self.reprint_button, self.history_export_button):
            button.setEnabled(False)
        history_row = QHBoxLayout()
        history_row.addWidget(self.history_search, 1)
        history_row.addWidget(self.reprint_button)
        history_row.addWidget(self.history_export_button)
        self.check_button = QPushButton(self.tr("核验报告（Ctrl+Shift+V）"))
        self.check_button.setObjectName("reportCheckButton")
        self.check_button.setToolTip(self.tr("扫描或粘贴报告上的二维码，核验报告真伪"))
        self.check_button.clicked.connect(self.check_requested)
        history_row.addWidget(self.check_button)
        self.history_table = QTableWidget(0, 8)
        self.history_table.setHorizontalHeaderLabels(
            [
                self.tr("报告编号"),
                self.tr("主体名称"),
                self.tr("统一社会信用代码"),
                self.tr("用途"),
                self.tr("出具时间"),
                self.tr("经办人"),
                self.tr("平台登记"),
                self.tr("补打次数"),
            ]
        )
        self.history_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_table.verticalHeader().hide()
        header = self.history_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        history_box = QGroupBox(self.tr("已出具报告"))
        history_layout = QVBoxLayout(history_box)
        history_layout.addLayout(history_row)
        history_layout.addWidget(self.history_table, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(issue_box)
        layout.addWidget(history_box, 1)

        self.find_button.clicked.connect(self.find_entities)
        self.search_edit.returnPressed.connect(self.find_entities)
        self.purpose_combo.currentTextChanged.connect(self._on_purpose)
        self.draft_button.clicked.connect(self.preview_draft)
        self.issue_button.clicked.connect(self.issue_report)
        self.print_button.clicked.connect(self._print_last)
        self.export_button.clicked.connect(self._export_last)
        self.history_search.textChanged.connect(lambda _t: self.refresh_history())
        self.history_table.itemSelectionChanged.connect(self._on_history_selection)
        self.history_table.doubleClicked.connect(lambda _i: self.reprint_selected())
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.history_export_button.clicked.connect(self._export_selected)
        for keys, slot in (
            (QKeySequence("Ctrl+Return"), self.issue_report),
            (QKeySequence("Ctrl+Enter"), self.issue_report),
            (QKeySequence.StandardKey.Print, self._print_last),
            (QKeySequence.StandardKey.Save, self._export_last),
        ):
            QShortcut(keys, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._on_purpose(self.purpose_combo.currentText())
        self.refresh_history()

    # -- choosing the entity ---------------------------------------------------------

    def select_entity(self, entity_id: int, name: str, uscc: str) -> None:
        """Make ``entity_id`` the subject of the next report (from 主体查询's card)."""
        self.entity_combo.clear()
        self.entity_combo.addItem(f"{name}（{uscc}）", entity_id)
        self.entity_combo.setCurrentIndex(0)
        self.message.clear_message()

    def selected_entity(self) -> int | None:
        """The entity id the next report is for."""
        value = self.entity_combo.currentData()
        return int(value) if value is not None else None

    def find_entities(self) -> None:
        """Look the search text up in the local cache and offer the matches."""
        query = self.search_edit.text().strip()
        if not query:
            self.message.show_message(self.tr("请输入统一社会信用代码或名称。"), "warning")
            return
        lookup = self._services.lookup

        def work() -> list[tuple[int, str]]:
            found: LookupResult = lookup.lookup(query, limit=50)
            rows = lookup.rows(found.ids[:50])
            return [(r.id, f"{r.name}（{r.uscc}）") for r in rows]

        self._tasks.run_db(work, self._show_matches, self._show_error, context=self)

    def _show_matches(self, matches: list[tuple[int, str]]) -> None:
        self.entity_combo.clear()
        for entity_id, text in matches:
            self.entity_combo.addItem(text, entity_id)
        if not matches:
            self.message.show_message(
                self.tr("本地缓存中没有找到该主体。请核对后重试，或同步后再查。"), "warning"
            )
            return
        self.message.clear_message()
        self.entity_combo.setCurrentIndex(0)
        if len(matches) > 1:
            self.entity_combo.showPopup()

    # -- options ---------------------------------------------------------------------

    def _on_purpose(self, purpose: str) -> None:
        self.detail_edit.setEnabled(purpose == OTHER)
        current = self.watermark_combo.currentText()
        suggestions = [self.tr("（无水印）")]
        if purpose != OTHER:
            suggestions.append(f"仅供{purpose}使用")  # printed on a Chinese report: not translated
        self.watermark_combo.clear()
        self.watermark_combo.addItems(suggestions)
        keep = current and current not in suggestions and not current.startswith("仅供")
        if keep:
            self.watermark_combo.setEditText(current)

    def request(self) -> IssueRequest:
        """The options as chosen on the form."""
        watermark = self.watermark_combo.currentText().strip()
        if watermark == self.tr("（无水印）"):
            watermark = ""
        return IssueRequest(
            purpose=self.purpose_combo.currentText(),
            issuing_unit=self.unit_edit.text().strip(),
            purpose_detail=self.detail_edit.text().strip(),
            watermark=watermark,
            stale_after_days=self.stale_spin.value(),
        )

    def _remember_options(self, request: IssueRequest) -> None:
        # A preference only: the report itself is already stored.
        with contextlib.suppress(OSError):
            self._settings.set(ISSUING_UNIT_KEY, request.issuing_unit)
        with contextlib.suppress(OSError):
            self._settings.set_stale_after_days(request.stale_after_days)

    # -- issuing ---------------------------------------------------------------------

    def _entity_or_warn(self) -> int | None:
        entity_id = self.selected_entity()
        if entity_id is None:
            self.message.show_message(
                self.tr("请先选择主体：在上方查找，或在“主体查询”的主体卡片上点“出具信用报告”。"),
                "warning",
            )
        return entity_id

    def preview_draft(self) -> None:
        """Show a 预览样稿 of the report (nothing is issued or stored)."""
        entity_id = self._entity_or_warn()
        if entity_id is None or self._busy:
            return
        reports, request = self._services.reports, self.request()
        self._set_busy(True)
        self._tasks.run_db(
            lambda: reports.draft(entity_id, request),
            self._on_draft,
            self._show_error,
            context=self,
        )

    def _on_draft(self, document: Document) -> None:
        self._set_busy(False)
        self.message.show_message(
            self.tr("这是预览样稿，不是正式报告：没有编号和二维码。核对无误后请点“出具报告”。"),
            "info",
        )
        self.open_preview(document)

    def issue_report(self) -> None:
        """Issue the report: number it, sign it, store it, then open the print preview."""
        entity_id = self._entity_or_warn()
        if entity_id is None or self._busy:
            return
        reports, request = self._services.reports, self.request()
        self._set_busy(True)
        self._tasks.run_db(
            lambda: reports.issue(entity_id, request),
            lambda signed: self._on_issued(signed, request),
            self._show_error,
            context=self,
        )

    def _on_issued(self, signed: SignedReport, request: IssueRequest) -> None:
        self._set_busy(False)
        self.last_report = signed
        self._remember_options(request)
        self.print_button.setEnabled(True)
        self.export_button.setEnabled(True)
        text = self.tr("已出具信用报告，编号 {number}。可打印或导出 PDF；联网同步时将向平台登记。")
        text = text.format(number=signed.report_no)
        kind = "success"
        if signed.stale_warning:
            text += "\n" + signed.stale_warning
            kind = "warning"
        missing = missing_characters(signed.document)
        if missing:
            note = self.tr("注意：以下字符无法用内置字体打印，将显示为空白方框：{chars}")
            text += "\n" + note.format(chars=" ".join(missing))
            kind = "warning"
        self.message.show_message(text, kind)
        self.issued.emit(signed.report_no)
        self.refresh_history()
        self.open_preview(signed.document)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for button in (self.draft_button, self.issue_button):
            button.setEnabled(not busy)

    def _show_error(self, exc: Exception) -> None:
        self._set_busy(False)
        show_service_error(self.message, exc)

    # -- preview, print, export ------------------------------------------------------

    def _print_last(self) -> None:
        if self.last_report is not None:
            self.open_preview(self.last_report.document)

    def _export_last(self) -> None:
        if self.last_report is None:
            return
        document = self.last_report.document
        entity = self.entity_combo.currentText().split("（")[0]
        self._ask_and_export(document, default_pdf_name(document.number, entity))

    def _ask_and_export(self, document: Document, name: str) -> None:
        exporter = PdfExporter.for_widget(self, self._tasks, self._settings)
        exporter.ask(document, name, on_chosen=lambda path: self.export_pdf(document, path))

    def export_pdf(self, document: Document, path: Path) -> None:
        """Render ``document`` to ``path`` on the render worker; ``pdf_saved`` when done."""
        self.message.show_message(self.tr("正在生成 PDF…"), "info")

        def done(result: RenderResult) -> None:
            self.message.show_message(
                self.tr("已导出 PDF（共 {pages} 页）：{path}").format(
                    pages=result.pages, path=str(path)
                ),
                "success",
            )
            self.pdf_saved.emit(str(path))

        def failed(exc: Exception) -> None:
            if isinstance(exc, PrintError):
                self.message.show_message(str(exc), "error")
                return
            if not isinstance(exc, OSError):
                raise exc
            self.message.show_message(
                self.tr("无法写入 PDF 文件：{error}。请换一个文件夹或文件名后重试。").format(
                    error=exc.strerror or str(exc)
                ),
                "error",
            )

        self._tasks.run_cpu(lambda: render_pdf(document, path), done, failed, context=self)

    # -- issued reports --------------------------------------------------------------

    def refresh_history(self) -> None:
        """Reload the 已出具报告 list (filtered by the search text)."""
        reports, query = self._services.reports, self.history_search.text()
        self._tasks.run_db(
            lambda: reports.issued(query), self._show_history, self._show_error, context=self
        )

    def _registration_text(self, row: IssuedReportRow) -> str:
        if row.registered:
            return self.tr("已登记")
        if row.register_error:
            return self.tr("登记被拒：{reason}").format(reason=row.register_error)
        return self.tr("待同步登记")

    def _show_history(self, rows: list[IssuedReportRow]) -> None:
        self._history = rows
        table = self.history_table
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = (
                row.report_no,
                row.entity_name,
                row.uscc,
                row.purpose,
                row.issued_at.strftime("%Y-%m-%d %H:%M"),
                row.actor,
                self._registration_text(row),
                str(row.reprints),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(r, c, item)
        self._on_history_selection()
        self.history_loaded.emit()

    def selected_history(self) -> IssuedReportRow | None:
        """The row selected in the 已出具报告 list."""
        rows = self.history_table.selectionModel().selectedRows()
        if not rows:
            return None
        index = rows[0].row()
        return self._history[index] if 0 <= index < len(self._history) else None

    def _on_history_selection(self) -> None:
        chosen = self.selected_history() is not None
        self.reprint_button.setEnabled(chosen)
        self.history_export_button.setEnabled(chosen)

    def reprint_selected(self) -> None:
        """Open the print preview of the selected report exactly as issued (audited)."""
        row = self.selected_history()
        if row is None:
            return
        self._load_issued(row.report_no, self.open_preview)

    def _export_selected(self) -> None:
        row = self.selected_history()
        if row is None:
            return
        name = default_pdf_name(row.report_no, row.entity_name)
        self._load_issued(row.report_no, lambda doc: self._ask_and_export(doc, name))

    def _load_issued(self, report_no: str, then: Callable[[Document], object]) -> None:
        reports = self._services.reports

        def loaded(document: Document) -> None:
            self.refresh_history()
            then(document)

        self._tasks.run_db(
            lambda: reports.reprint(report_no), loaded, self._show_error, context=self
        )
