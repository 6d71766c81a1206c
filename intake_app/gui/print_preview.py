"""Print preview of a document held in memory: QtPdf view, print, and an explicit PDF export.

The PDF bytes never touch the disk here unless the counselor chooses
「PDFとして保存」 and confirms the warning. QtPdf and QtPrintSupport are imported
when a preview opens, not at program start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QCoreApplication, QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

# Events passed to ``on_output``: the caller turns them into audit entries.
PRINTED = "print"
SAVED_PDF = "save_pdf"

RENDER_DPI = 300  # enough for text on paper; printer-resolution images would need ~0.5 GB

OutputCallback = Callable[[str], None]


def _locking() -> bool:
    try:
        from intake_app.gui.lock import is_locking
    except ImportError:
        return False
    return bool(is_locking())


def tr(text: str) -> str:
    return QCoreApplication.translate("PrintPreview", text)


class PrintPreviewDialog(QDialog):
    """Shows the pages of ``pdf_bytes``; 印刷… and PDFとして保存… each call ``on_output``."""

    def __init__(
        self,
        pdf_bytes: bytes,
        title: str,
        on_output: OutputCallback | None = None,
        *,
        suggested_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from PySide6.QtCore import QBuffer, QIODevice
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.setWindowTitle(title)
        self.resize(760, 900)
        self._title = title
        self._on_output = on_output
        self._suggested_name = suggested_name or "document.pdf"
        self._data = QByteArray(pdf_bytes)
        self._buffer = QBuffer(self)
        self._buffer.setData(self._data)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)

        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self.document)

        self.status = QLabel(self)
        self.print_button = QPushButton(tr("印刷…"), self)
        self.save_button = QPushButton(tr("PDFとして保存…"), self)
        self.save_button.setToolTip(tr("暗号化されないファイルを作成します。通常は使いません。"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_with_dialog)
        self.save_button.clicked.connect(self.save_as_pdf)
        self.print_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._update_status()

    def page_count(self) -> int:
        return int(self.document.pageCount())

    def _update_status(self) -> None:
        self.status.setText(tr("{}ページ").format(self.page_count()))

    def _emit(self, event: str) -> None:
        if self._on_output is not None:
            self._on_output(event)

    # --- printing ---------------------------------------------------------------

    def make_printer(self) -> QPrinter:
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._title)
        printer.setFullPage(False)
        return printer

    def print_with_dialog(self) -> bool:
        """Ask printer, copies and page range (QPrintDialog), then print."""
        from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog

        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(tr("印刷"))
        dialog.setMinMax(1, max(1, self.page_count()))
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, False)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if _locking() or not accepted:
            return False
        return self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        """Render the chosen pages (all when no range) onto ``printer``; copies honoured."""
        from PySide6.QtGui import QPainter

        count = self.page_count()
        if count == 0:
            return False
        ranges = printer.pageRanges()  # e.g. "1, 3-4" from the dialog; empty = all pages
        pages = [p - 1 for p in range(1, count + 1) if ranges.isEmpty() or ranges.contains(p)]
        if not pages:
            return False
        copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, tr("印刷"), tr("プリンターを開始できませんでした。"))
            return False
        try:
            first_page = True
            for _copy in range(copies):
                for index in pages:
                    if not first_page:
                        printer.newPage()
                    first_page = False
                    self._paint_page(painter, printer, index)
        finally:
            painter.end()
        self._emit(PRINTED)
        return True

    def _paint_page(self, painter: Any, printer: QPrinter, index: int) -> None:
        from PySide6.QtCore import QRect
        from PySide6.QtPrintSupport import QPrinter as _QPrinter

        points = self.document.pagePointSize(index)
        pixels = QSize(
            round(points.width() * RENDER_DPI / 72), round(points.height() * RENDER_DPI / 72)
        )
        image = self.document.render(index, pixels)
        target = printer.pageRect(_QPrinter.Unit.DevicePixel).toRect()
        target.moveTo(0, 0)
        scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
        painter.drawImage(QRect(target.topLeft(), scaled), image)

    # --- export -----------------------------------------------------------------

    def confirm_export(self) -> bool:
        answer = QMessageBox.warning(
            self,
            tr("PDFとして保存"),
            tr(
                "PDFファイルは暗号化されません。ファイルを開ける人は誰でも内容を読めます。\n"
                "共有フォルダやUSBメモリには保存せず、用が済んだら削除してください。\n\n"
                "保存しますか？"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return bool(answer == QMessageBox.StandardButton.Yes)

    def ask_path(self) -> str:
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("PDFとして保存"), self._suggested_name, tr("PDF (*.pdf)")
        )
        return str(path)

    def save_as_pdf(self) -> bool:
        """Warn, ask where, write owner-only and atomically, then report the export."""
        from intake_app.documents.errors import DocumentError
        from intake_app.documents.export import write_private

        if not self.confirm_export() or _locking():
            return False
        path = self.ask_path()
        if not path or _locking():
            return False
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            write_private(path, bytes(self._data.data()))
        except DocumentError as exc:
            QMessageBox.critical(self, tr("PDFとして保存"), exc.message)
            return False
        self._emit(SAVED_PDF)
        return True

    def done(self, result: int) -> None:
        """Closing (by the counselor or by a lock) drops the document from memory."""
        self.view.setDocument(None)  # type: ignore[arg-type]
        self.document.close()
        self._buffer.close()
        self._data.clear()
        super().done(result)


def show_preview(
    parent: QWidget | None,
    pdf_bytes: bytes,
    title: str,
    on_output: OutputCallback | None = None,
    *,
    suggested_name: str = "",
) -> PrintPreviewDialog:
    """Open a non-modal preview of ``pdf_bytes`` (deleted on close) and return it.

    ``on_output(event)`` is called after each successful print (``"print"``) and
    each PDF export (``"save_pdf"``), so the caller writes the audit entry, e.g.
    ``lambda e: session.records.record_print(kind, case_id, destination_id)``.
    """
    dialog = PrintPreviewDialog(
        pdf_bytes, title, on_output, suggested_name=suggested_name, parent=parent
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    return dialog
