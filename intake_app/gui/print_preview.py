"""Print preview of a document held in memory: QtPdf view, print, and an explicit PDF export.

The PDF bytes never touch the disk here unless the counselor chooses
「PDFとして保存」 and confirms the warning. QtPdf and QtPrintSupport are imported
when a preview opens, not at program start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from intake_app.store.outputs import EXPORT_PDF, PRINT, Output

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

# Actions of the ``Output`` passed to ``on_output``: the caller writes the audit entry
# (``intake_app.store.outputs.record_output``).
PRINTED = PRINT
EXPORTED_PDF = EXPORT_PDF

OutputCallback = Callable[[Output], None]


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
        allow_export: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from PySide6.QtCore import QBuffer, QIODevice
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.setWindowTitle(title)
        from intake_app.gui.screen_fit import fit_to_screen

        fit_to_screen(self, 760, 900)  # a whole A4 page's width; the height that fits
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
        self.view.setAccessibleName(tr("書類のプレビュー"))

        self.status = QLabel(self)
        self.print_button = QPushButton(tr("印刷…"), self)
        self.save_button = QPushButton(tr("PDFとして保存…"), self)
        self.save_button.setToolTip(tr("暗号化されないファイルを作成します。通常は使いません。"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setVisible(allow_export)
        self.save_button.setEnabled(allow_export)
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

    def _emit(self, output: Output) -> None:
        if self._on_output is not None:
            self._on_output(output)

    # --- printing ---------------------------------------------------------------

    def make_printer(self) -> QPrinter:
        """Full-page A4, neutral job name (``gui.print_job.new_printer``)."""
        from intake_app.gui.print_job import new_printer

        return new_printer()

    def print_with_dialog(self) -> bool:
        """Ask printer, copies, page range and duplex (QPrintDialog), then print."""
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

    def confirm_clipping(self, message: str) -> bool:
        """Where the printer cannot reach an edge: say so; the counselor decides."""
        answer = QMessageBox.question(
            self,
            tr("印刷"),
            message + "\n\n" + tr("このまま印刷しますか。"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return bool(answer == QMessageBox.StandardButton.Yes) and not _locking()

    def print_to(self, printer: QPrinter) -> bool:
        """Print the chosen pages (all when no range) at true size; copies honoured."""
        from intake_app.documents.print_system import PrintSystemError
        from intake_app.gui.print_job import clipped_edges, print_document, selected_pages

        count = self.page_count()
        if count == 0:
            return False
        pages = selected_pages(printer, count)
        if not pages:
            return False
        clipped = clipped_edges(self.document, pages, printer)
        if clipped and not self.confirm_clipping(clipped):
            return False
        try:
            result = print_document(self.document, bytes(self._data.data()), printer, pages)
        except PrintSystemError as exc:
            QMessageBox.warning(self, tr("印刷"), exc.message)
            return False
        self.status.setText(tr("{}ページ・印刷しました（{}部）").format(count, result.copies))
        self._emit(
            Output(
                PRINT,
                pages=result.pages_text,
                page_count=count,
                printer=result.printer or _file_printer(printer),
                copies=result.copies,
            )
        )
        return True

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
        from intake_app.gui.file_dialogs import choose_save_file

        path = choose_save_file(
            self, tr("PDFとして保存"), self._suggested_name, tr("PDFファイル (*.pdf)")
        )
        return str(path) if path is not None else ""

    def save_as_pdf(self) -> bool:
        """Warn, ask where, write owner-only and atomically, then report the export."""
        from intake_app.documents.errors import DocumentError
        from intake_app.documents.export import write_private

        if not self.save_button.isEnabled() or not self.confirm_export() or _locking():
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
        count = self.page_count()
        self._emit(Output(EXPORT_PDF, pages=f"1-{count}" if count > 1 else "1", page_count=count))
        return True

    def done(self, result: int) -> None:
        """Closing (by the counselor or by a lock) drops the document from memory."""
        # The view keeps its (now empty) document: detaching it with setDocument(None)
        # makes QPdfView print a Qt warning (QPdfLinkModel connects to a null document).
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
    allow_export: bool = True,
) -> PrintPreviewDialog:
    """Open a non-modal preview of ``pdf_bytes`` (deleted on close) and return it.

    ``on_output(output)`` is called after each successful print (``output.action ==
    "print"``, with the printer, copies and pages) and each PDF export
    (``"export_pdf"``), so the caller writes the audit entry, e.g.
    ``store.outputs.paper_recorder(session, kind, case_id, destination_id)``.
    """
    dialog = PrintPreviewDialog(
        pdf_bytes,
        title,
        on_output,
        suggested_name=suggested_name,
        allow_export=allow_export,
        parent=parent,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    return dialog


def _file_printer(printer: QPrinter) -> str:
    """The audit's printer name for a printer that writes a PDF file (never its path)."""
    return printer.printerName() or tr("PDFファイル")
