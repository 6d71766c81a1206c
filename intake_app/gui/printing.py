"""The recovery-key sheet: a one-page PDF built in memory and shown in the print preview."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QWidget

SHEET_LINES = (
    "相談記録システム 回復キー",
    "",
    "パスフレーズを忘れたときに、管理者がこのキーで記録を開きます。",
    "金庫など、鍵のかかる場所に保管してください。コピーを作らないでください。",
)


def recovery_key_pdf(key: str, *, created: dt.date | None = None) -> bytes:
    """A4 sheet with the recovery key, as PDF bytes (nothing written to disk)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
    from PySide6.QtGui import QFont, QGuiApplication, QPageLayout, QPageSize, QPainter, QPdfWriter

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(20, 20, 20, 20),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(300)
    writer.setTitle("回復キー")
    painter = QPainter(writer)
    try:
        family = QGuiApplication.font().family()
        width = writer.width()
        y = 0.0
        for i, line in enumerate(SHEET_LINES):
            font = QFont(family, 18 if i == 0 else 11)
            font.setBold(i == 0)
            painter.setFont(font)
            rect = QRectF(0, y, width, 200)
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft, line)
            y += 150 if i == 0 else 110
        y += 80
        painter.setFont(QFont("monospace", 20))
        painter.drawRect(QRectF(0, y, width, 300))
        painter.drawText(QRectF(0, y, width, 300), Qt.AlignmentFlag.AlignCenter, key)
        y += 420
        painter.setFont(QFont(family, 11))
        day = (created or dt.date.today()).isoformat()
        painter.drawText(QRectF(0, y, width, 120), Qt.AlignmentFlag.AlignLeft, f"作成日: {day}")
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


def show_recovery_key_sheet(parent: QWidget, key: str, on_output: Any = None) -> Any:
    """Open the print preview (QtPdf loads only now) on the recovery-key sheet.

    Printing only: the key is never offered as a PDF file. ``on_output`` audits each
    print (``store.outputs.record_output(..., RECOVERY_KEY_OBJECT)``), never the key.
    """
    from intake_app.gui.print_preview import show_preview

    return show_preview(parent, recovery_key_pdf(key), "回復キー", on_output, allow_export=False)
