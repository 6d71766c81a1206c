"""The rendering route (where the print system takes no PDF, e.g. Windows): full size,
lossless, banded, the neutral job name; and the margin check against a printer."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtPrintSupport import QPrinter

from intake_app.documents.print_system import NEUTRAL_JOB_NAME
from intake_app.documents.samples import render_all
from intake_app.gui import print_job
from intake_app.gui.print_preview import PrintPreviewDialog
from tests.printing import measure
from tests.unit.documents.helpers import MUNICIPALITY, TODAY, two_pages

_SAMPLES = render_all(MUNICIPALITY, TODAY)
SLIP = _SAMPLES["referral_slip-child_dept.pdf"]
TWO_PAGES = two_pages()


def file_printer(path: Path) -> QPrinter:
    printer = print_job.new_printer()
    printer.setOutputFileName(str(path))  # a PDF file: the rendering route
    return printer


def open_dialog(qtbot: Any, data: bytes, events: list[Any]) -> PrintPreviewDialog:
    dialog = PrintPreviewDialog(data, "児童に関する通告の記録", events.append)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.page_count() > 0, timeout=5000)
    return dialog


def test_pages_are_placed_at_full_size_in_lossless_bands(qtbot: Any, tmp_path: Path) -> None:
    events: list[Any] = []
    dialog = open_dialog(qtbot, SLIP, events)
    out = tmp_path / "raster.pdf"
    printer = file_printer(out)
    assert dialog.print_to(printer)
    reader = pypdf.PdfReader(out)
    (page,) = reader.pages
    assert float(page.mediabox.width) == pytest.approx(595.28, abs=0.5)
    assert reader.metadata.title == NEUTRAL_JOB_NAME  # never the paper's title
    images = page.images
    assert len(images) > 1, "rendered in bands, not as one page-sized picture"
    for image in images:
        xobject = image.indirect_reference.get_object()
        filters = xobject.get("/Filter")
        assert "/DCTDecode" not in str(filters), "no JPEG: text stays crisp"
        band_bytes = int(xobject["/Width"]) * int(xobject["/Height"]) * 4
        assert band_bytes <= print_job.BAND_BYTES
    widest = max(int(i.indirect_reference.get_object()["/Width"]) for i in images)
    assert widest == round(595.2756 * print_job.raster_dpi(printer) / 72)
    assert [e.action for e in events] == ["print"]
    assert events[0].printer == "PDFファイル" and str(tmp_path) not in events[0].printer


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_the_printed_ink_lies_where_the_original_has_it(qtbot: Any, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, SLIP, [])
    out = tmp_path / "raster.pdf"
    assert dialog.print_to(file_printer(out))
    original = measure.ink_box(SLIP, dpi=150)
    printed = measure.ink_box(out, dpi=150)
    # left, top and right edge of the ink within a pixel (the old route: 8.5 pt in, 96.6 %)
    for a, b in zip(original[:3], printed[:3], strict=True):
        assert abs(a - b) <= 1
    assert measure.edge_ratio(out, dpi=300) < 0.6  # crisp (the 300-dpi JPEG route: ~0.85)


def test_page_range_and_copies_on_the_rendering_route(qtbot: Any, tmp_path: Path) -> None:
    events: list[Any] = []
    dialog = open_dialog(qtbot, TWO_PAGES, events)
    out = tmp_path / "two.pdf"
    printer = file_printer(out)
    printer.setFromTo(2, 2)
    printer.setCopyCount(2)
    assert dialog.print_to(printer)
    expected = 1 if printer.supportsMultipleCopies() else 2
    assert len(pypdf.PdfReader(out).pages) == expected
    assert events[0].pages == "2" and events[0].copies == 2 and events[0].page_count == 2


def test_ink_box_and_margin_check(qtbot: Any) -> None:
    loaded = print_job.LoadedPdf(SLIP)
    try:
        left, top, right, bottom = print_job.ink_rect(loaded.document, 0) or (0, 0, 0, 0)
        assert 45 < left < 60 and 20 < top < 40 and right < 560 and bottom < 830
        assert print_job.clipped_edges(loaded.document, [1], file_printer(Path("x.pdf"))) == ""
    finally:
        loaded.close()


def test_office_queue_margins_are_named(qtbot: Any) -> None:
    reason = measure.cups_skip_reason(measure.OFFICE_QUEUE)
    if reason:
        pytest.skip(reason)
    loaded = print_job.LoadedPdf(SLIP)
    try:
        message = print_job.clipped_edges(
            loaded.document, [1], print_job.new_printer(measure.OFFICE_QUEUE)
        )
        assert "上端から 12.7 mm" in message and "実物大" in message
        assert (
            print_job.clipped_edges(loaded.document, [1], print_job.new_printer(measure.PDF_QUEUE))
            == ""
        )
    finally:
        loaded.close()


def test_cups_options_from_the_dialog_pick_the_pages(qtbot: Any) -> None:
    from PySide6.QtPrintSupport import QPrintEngine

    printer = print_job.new_printer()
    engine = printer.printEngine()
    key = QPrintEngine.PrintEnginePropertyKey(print_job.PPK_CUPS_OPTIONS)
    engine.setProperty(key, ["page-ranges", "1-3,5", "page-set", "odd", "number-up", "1"])
    if not engine.property(key):
        pytest.skip("this print engine keeps no CUPS options")
    assert print_job.selected_pages(printer, 6) == [1, 3, 5]
    options = print_job.print_options(printer, [1, 3, 5])
    assert ("number-up", "1") in options.extra
    assert all(k not in ("page-ranges", "page-set") for k, _ in options.extra)
    assert options.page_ranges == ((1, 1), (3, 3), (5, 5))
