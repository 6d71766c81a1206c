"""Printing small texts (the recovery key) without writing a file."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QWidget


def print_text(parent: QWidget, title: str, text: str) -> bool:
    """Print ``text`` under ``title`` on the chosen printer. QtPrintSupport loads lazily."""
    from PySide6.QtGui import QTextDocument
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.NativeFormat)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    document = QTextDocument()
    document.setHtml(
        f"<h2>{html.escape(title)}</h2>"
        f"<p style='font-size:20pt; font-family:monospace'>{html.escape(text)}</p>"
    )
    document.print_(printer)
    return True
