"""One print path for every paper: the preview's 印刷… and ``print-sample --printer``.

- Full size: pages are placed at their true size on the sheet (full-page mode, the
  PDF's own margins), never scaled into the printer's printable area. Where a printer
  cannot reach an edge that holds ink, ``clipped_edges`` says so; nothing is shrunk.
- Crisp: where the print system takes PDF (CUPS), the document's own bytes go to it
  on ``lp``'s standard input (``documents.print_system.submit_to_cups``), with the
  dialog's copies, pages, duplex and paper. Elsewhere (Windows, a PDF-file printer)
  pages are rendered at the printer's resolution (at most ``RASTER_MAX_DPI``) in
  horizontal bands of at most ``BAND_BYTES``, drawn losslessly.
- Neutral: every job is named ``NEUTRAL_JOB_NAME``, never the paper's title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QPoint, QRect, QSize

from intake_app.documents.print_system import (
    LONG_EDGE,
    NEUTRAL_JOB_NAME,
    ONE_SIDED,
    SHORT_EDGE,
    PrintOptions,
    PrintSystemError,
    cups_available,
    format_ranges,
    page_ranges,
    submit_to_cups,
)

if TYPE_CHECKING:
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter

RASTER_MAX_DPI = 600
BAND_BYTES = 8 * 1024 * 1024  # one rendered band at most (RGB32)
PPK_CUPS_OPTIONS = 0xFE00  # QPrintEngine property: the CUPS options the dialog chose
INK_THRESHOLD = 250  # 0-255 grey; lighter counts as paper
CLIP_TOLERANCE_PT = 0.5

ROUTE_CUPS = "cups"
ROUTE_RASTER = "raster"


def tr(text: str) -> str:
    return QCoreApplication.translate("PrintJob", text)


@dataclass(frozen=True)
class PrintResult:
    route: str  # ROUTE_CUPS or ROUTE_RASTER
    printer: str
    copies: int
    pages: tuple[int, ...]  # 1-based pages printed (once per copy)
    job_id: str = ""

    @property
    def pages_text(self) -> str:
        return format_ranges(page_ranges(self.pages))


def prepare_printer(printer: QPrinter) -> QPrinter:
    """Full-page A4 portrait, the neutral job name: what every paper is printed with."""
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize

    printer.setDocName(NEUTRAL_JOB_NAME)
    printer.setCreator("")
    printer.setFullPage(True)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point)
    return printer


def new_printer(name: str = "") -> QPrinter:
    """A high-resolution printer prepared for our papers (``name``: a queue, or the default)."""
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if name:
        printer.setPrinterName(name)
    return prepare_printer(printer)


def cups_options(printer: QPrinter) -> list[tuple[str, str]]:
    """The CUPS options the Qt print dialog stored on ``printer`` (key, value pairs)."""
    from PySide6.QtPrintSupport import QPrintEngine

    engine = printer.printEngine()
    if engine is None:
        return []
    raw = engine.property(QPrintEngine.PrintEnginePropertyKey(PPK_CUPS_OPTIONS))
    if not isinstance(raw, list | tuple):
        return []
    items = [str(x) for x in raw]
    return list(zip(items[0::2], items[1::2], strict=False))


def _parse_ranges(text: str, count: int) -> list[int]:
    pages: set[int] = set()
    for part in text.split(","):
        m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d*)\s*)?", part)
        if not m:
            continue
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else (count if m.group(0).find("-") >= 0 else first)
        pages.update(range(max(1, first), min(count, last) + 1))
    return sorted(pages)


def selected_pages(printer: QPrinter, count: int) -> list[int]:
    """The 1-based pages the dialog chose (range, then odd/even page set); all by default."""
    options = dict(cups_options(printer))
    if options.get("page-ranges"):
        pages = _parse_ranges(options["page-ranges"], count)
    else:
        ranges = printer.pageRanges()
        pages = [p for p in range(1, count + 1) if ranges.isEmpty() or ranges.contains(p)]
    page_set = options.get("page-set", "all")
    if page_set == "odd":
        pages = [p for p in pages if p % 2 == 1]
    elif page_set == "even":
        pages = [p for p in pages if p % 2 == 0]
    return pages


def _sides(printer: QPrinter) -> str | None:
    from PySide6.QtPrintSupport import QPrinter as _P

    return {
        _P.DuplexMode.DuplexNone: ONE_SIDED,
        _P.DuplexMode.DuplexLongSide: LONG_EDGE,
        _P.DuplexMode.DuplexShortSide: SHORT_EDGE,
    }.get(printer.duplex())


def print_options(printer: QPrinter, pages: list[int]) -> PrintOptions:
    """The dialog's choices on ``printer`` as options for the print system."""
    from PySide6.QtPrintSupport import QPrinter as _P

    extra = tuple(
        (k, v) for k, v in cups_options(printer) if v and k not in ("page-ranges", "page-set")
    )
    return PrintOptions(
        printer=printer.printerName(),
        copies=max(1, printer.copyCount()),
        page_ranges=page_ranges(pages),
        sides=_sides(printer),
        media=printer.pageLayout().pageSize().key() or "A4",
        collate=printer.collateCopies(),
        monochrome=printer.colorMode() == _P.ColorMode.GrayScale,
        reverse=printer.pageOrder() == _P.PageOrder.LastPageFirst,
        extra=extra,
    )


def takes_pdf(printer: QPrinter) -> bool:
    """True when the document's own PDF can go to this printer's print system (CUPS)."""
    from PySide6.QtPrintSupport import QPrinter as _P

    return (
        printer.outputFormat() == _P.OutputFormat.NativeFormat
        and bool(printer.printerName())
        and cups_available()
    )


# --- where the printer cannot reach -------------------------------------------------------


def ink_rect(document: QPdfDocument, index: int) -> tuple[float, float, float, float] | None:
    """(left, top, right, bottom) of the page's ink in points; None for an empty page."""
    from PySide6.QtGui import QImage

    size = document.pagePointSize(index).toSize()  # 72 dpi: one pixel per point
    image = on_paper(document.render(index, size)).convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    data = bytes(image.constBits())
    ink = re.compile(rb"[\x00-\x%02x]" % (INK_THRESHOLD - 1))
    top = bottom = -1
    left, right = width, -1
    for y in range(height):
        row = data[y * stride : y * stride + width]
        first = ink.search(row)
        if first is None:
            continue
        if top < 0:
            top = y
        bottom = y
        left = min(left, first.start())
        last = ink.search(row[::-1])
        right = max(right, width - 1 - (last.start() if last else 0))
    if top < 0:
        return None
    return float(left), float(top), float(right + 1), float(bottom + 1)


def clipped_edges(document: QPdfDocument, pages: list[int], printer: QPrinter) -> str:
    """A Japanese sentence when ink on ``pages`` lies where ``printer`` cannot print; else ""."""
    from PySide6.QtGui import QPageLayout

    layout = printer.pageLayout()
    margins = layout.minimumMargins()
    unit = QPageLayout.Unit
    per_unit = {
        unit.Point: 1.0,
        unit.Millimeter: 72 / 25.4,
        unit.Inch: 72.0,
        unit.Pica: 12.0,
        unit.Didot: 72 / 67.54,
        unit.Cicero: 12 * 72 / 67.54,
    }.get(layout.units())
    if per_unit is None:
        return ""
    limits = {
        "top": margins.top() * per_unit,
        "bottom": margins.bottom() * per_unit,
        "left": margins.left() * per_unit,
        "right": margins.right() * per_unit,
    }
    worst: dict[str, float] = {}
    for page in pages:
        box = ink_rect(document, page - 1)
        if box is None:
            continue
        paper = document.pagePointSize(page - 1)
        left, top, right, bottom = box
        reach = {
            "left": limits["left"] - left,
            "top": limits["top"] - top,
            "right": right - (paper.width() - limits["right"]),
            "bottom": bottom - (paper.height() - limits["bottom"]),
        }
        for edge, over in reach.items():
            if over > CLIP_TOLERANCE_PT:
                worst[edge] = max(worst.get(edge, 0.0), over)
    if not worst:
        return ""
    names = {"top": tr("上"), "bottom": tr("下"), "left": tr("左"), "right": tr("右")}
    parts = [
        tr("{}端から {:.1f} mm").format(names[e], limits[e] * 25.4 / 72)
        for e in ("top", "bottom", "left", "right")
        if e in worst
    ]
    cut = max(worst.values()) * 25.4 / 72
    return tr(
        "プリンター「{}」は用紙の{}の範囲に印刷できません。書類は縮小せず実物大で印刷するため、"
        "その範囲にある文字や線（最大 {:.1f} mm）が欠けます。"
    ).format(printer.printerName() or tr("PDF"), "、".join(parts), cut)


# --- printing --------------------------------------------------------------------------


def print_document(
    document: QPdfDocument, pdf: bytes, printer: QPrinter, pages: list[int] | None = None
) -> PrintResult:
    """Print ``pages`` (1-based; default: the dialog's choice) of ``document`` on ``printer``.

    Raises ``PrintSystemError`` (Japanese ``message``) when the job cannot be started.
    """
    count = int(document.pageCount())
    chosen = selected_pages(printer, count) if pages is None else pages
    if not chosen:
        raise PrintSystemError(tr("印刷するページがありません。"))
    printer.setDocName(NEUTRAL_JOB_NAME)
    if takes_pdf(printer):
        options = print_options(printer, chosen)
        if options.page_ranges == ((1, count),):
            options = _without_ranges(options)
        job = submit_to_cups(pdf, options)
        return PrintResult(ROUTE_CUPS, options.printer, options.copies, tuple(chosen), job)
    copies = render_to_printer(document, printer, chosen)
    return PrintResult(ROUTE_RASTER, printer.printerName(), copies, tuple(chosen))


def _without_ranges(options: PrintOptions) -> PrintOptions:
    from dataclasses import replace

    return replace(options, page_ranges=())


def raster_dpi(printer: QPrinter) -> int:
    return max(150, min(int(printer.resolution()), RASTER_MAX_DPI))


def render_to_printer(document: QPdfDocument, printer: QPrinter, pages: list[int]) -> int:
    """Draw ``pages`` at true size, banded and lossless; return the copies asked for."""
    from PySide6.QtGui import QPainter
    from PySide6.QtPdf import QPdfDocumentRenderOptions

    copies = max(1, printer.copyCount())
    own_copies = 1 if printer.supportsMultipleCopies() else copies
    prepare_printer_for_raster(printer)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintSystemError(tr("プリンターを開始できませんでした。"))
    try:
        painter.setRenderHint(QPainter.RenderHint.LosslessImageRendering, True)
        dpi = raster_dpi(printer)
        device_per_px = printer.resolution() / dpi
        first = True
        for _copy in range(own_copies):
            for page in pages:
                if not first and not printer.newPage():
                    raise PrintSystemError(tr("印刷の途中でプリンターが止まりました。"))
                first = False
                points = document.pagePointSize(page - 1)
                full = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
                band_rows = max(16, BAND_BYTES // max(1, full.width() * 4))
                # full-page mode: (0, 0) is the sheet's corner
                for y in range(0, full.height(), band_rows):
                    rows = min(band_rows, full.height() - y)
                    options = QPdfDocumentRenderOptions()
                    options.setScaledSize(full)
                    options.setScaledClipRect(QRect(0, y, full.width(), rows))
                    band = document.render(page - 1, QSize(full.width(), rows), options)
                    if band.isNull():
                        raise PrintSystemError(tr("ページを描けませんでした。"))
                    band = _opaque(band)
                    target = QRect(
                        QPoint(0, round(y * device_per_px)),
                        QSize(round(full.width() * device_per_px), round(rows * device_per_px)),
                    )
                    painter.drawImage(target, band)
                    del band
    finally:
        painter.end()
    return copies


def prepare_printer_for_raster(printer: QPrinter) -> None:
    printer.setFullPage(True)
    printer.setDocName(NEUTRAL_JOB_NAME)


def on_paper(image: Any) -> Any:
    """QtPdf renders onto a transparent background: put the page on white paper."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter

    paper = QImage(image.size(), QImage.Format.Format_RGB32)
    paper.fill(Qt.GlobalColor.white)
    painter = QPainter(paper)
    painter.drawImage(0, 0, image)
    painter.end()
    return paper


def _opaque(image: Any) -> Any:
    """The band on white paper, as 8-bit grey when it has no colour (smaller, lossless)."""
    from PySide6.QtGui import QImage

    rgb = on_paper(image)
    if rgb.allGray():
        return rgb.convertToFormat(QImage.Format.Format_Grayscale8)
    return rgb.convertToFormat(QImage.Format.Format_RGB888)


class LoadedPdf:
    """A PDF held in memory for QtPdf (``document``), loaded and ready; nothing on disk."""

    def __init__(self, data: bytes, timeout_s: float = 30.0) -> None:
        import time

        from PySide6.QtCore import QBuffer, QByteArray, QIODevice
        from PySide6.QtPdf import QPdfDocument

        self.data = data
        self._bytes = QByteArray(data)
        self._buffer = QBuffer()
        self._buffer.setData(self._bytes)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument()
        self.document.load(self._buffer)
        deadline = time.monotonic() + timeout_s
        ready = QPdfDocument.Status.Ready
        while self.document.status() != ready and time.monotonic() < deadline:
            if self.document.status() == QPdfDocument.Status.Error:
                break
            QCoreApplication.processEvents()
        if self.document.status() != ready:
            raise PrintSystemError(tr("書類を読み込めませんでした。"))

    def page_count(self) -> int:
        return int(self.document.pageCount())

    def close(self) -> None:
        self.document.close()
        self._buffer.close()
        self._bytes.clear()
