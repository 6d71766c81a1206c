"""Printing: size on the sheet, bytes sent per page and edge sharpness, per route.

Prints one sample paper through the preview's print path (``PrintPreviewDialog.
print_to``, the same call 印刷… makes after the dialog) on the local CUPS test queues
(``tests/printing/setup_cups.sh``: a margin-less PDF printer and an office-laser
queue with 6.35/12.7 mm hardware margins) and onto a PDF-file printer (the rendering
route used where the print system takes no PDF, e.g. Windows), then reads the
printed PDFs back with poppler:

- ``scale``: printed / original width of the same words (1.000 = full size; where
  the page went as a picture, of the ink's extent), ``text_pt`` the 10.5 pt body
  text as printed, and the offsets in points;
- ``bytes_per_page``: what the program handed to the print system per page
  (CUPS keeps it in its spool: ``/var/spool/cups/d<job>-001``) or wrote (PDF file);
- ``edge_ratio``: grey pixels per black pixel at 600 dpi (``tests.printing.measure.
  edge_ratio``); the original PDF's own figure is ``original.edge_ratio``.

The last line is JSON. Run as a user who can read CUPS' spool (root) for the bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.printing import measure


def newest_job(queue: str, after: set[str]) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        rows = measure.completed_job_names()
        new = [
            r.split()[0] for r in rows if r.startswith(queue + "-") and r.split()[0] not in after
        ]
        if new:
            return max(new, key=measure.job_number)
        time.sleep(0.2)
    raise TimeoutError(queue)


def spool_bytes(job_id: str) -> int | None:
    path = Path(f"/var/spool/cups/d{measure.job_number(job_id):05d}-001")
    try:
        return path.stat().st_size
    except OSError:
        return None


def figures(original: bytes, printed: Path | bytes, pages: int, sent: int | None) -> dict[str, Any]:
    out: dict[str, Any] = {"bytes_per_page": None if sent is None else round(sent / pages)}
    text = measure.words(printed)
    if text:
        scale, dx, dy = measure.placement(measure.words(original), text)
    else:  # pages sent as pictures: compare where the ink is
        o = measure.ink_box(original, dpi=144)
        p = measure.ink_box(printed, dpi=144)
        scale = (p[2] - p[0]) / (o[2] - o[0])
        dx, dy = (p[0] - o[0]) / 2, (p[1] - o[1]) / 2
    o = measure.ink_box(original, dpi=144)
    p = measure.ink_box(printed, dpi=144)
    out.update(
        scale=round(scale, 4),
        text_pt=round(10.5 * scale, 2),
        ink_box_scale=round((p[2] - p[0]) / (o[2] - o[0]), 4),
        ink_left_top_pt=[round(p[0] / 2, 1), round(p[1] / 2, 1)],
        dx_pt=round(dx, 2),
        dy_pt=round(dy, 2),
        text_layer=bool(text),
        edge_ratio=round(measure.edge_ratio(printed), 3),
    )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", default="referral_slip-child_dept.pdf")
    parser.add_argument("--out", type=Path, default=Path("/tmp/intake-bench-printing"))
    args = parser.parse_args()
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from intake_app.documents.samples import render_all
    from intake_app.gui.print_preview import PrintPreviewDialog
    from tests.unit.documents.helpers import MUNICIPALITY, TODAY

    original = render_all(MUNICIPALITY, TODAY)[args.sample]
    args.out.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {
        "sample": args.sample,
        "original": {
            "bytes_per_page": len(original),
            "ink_left_top_pt": [round(v / 2, 1) for v in measure.ink_box(original, dpi=144)[:2]],
            "edge_ratio": round(measure.edge_ratio(original), 3),
        },
    }

    def dialog() -> Any:
        d = PrintPreviewDialog(original, "連絡票")
        d.confirm_clipping = lambda _message: True  # type: ignore[method-assign]
        d.show()
        while d.page_count() == 0:
            app.processEvents()
        return d

    for queue in (measure.PDF_QUEUE, measure.OFFICE_QUEUE):
        reason = measure.cups_skip_reason(queue)
        if reason:
            result[queue] = {"skipped": reason}
            continue
        before = {r.split()[0] for r in measure.completed_job_names()}
        d = dialog()
        printer = d.make_printer()
        printer.setPrinterName(queue)
        started = time.perf_counter()
        d.print_to(printer)
        job = newest_job(queue, before)
        printed = measure.wait_for_output(job)
        figs = figures(original, printed, d.page_count(), spool_bytes(job))
        figs["job_name"] = measure.job_attributes(job).get("job-name", "")
        figs["seconds"] = round(time.perf_counter() - started, 2)
        result[queue] = figs
        d.close()
    d = dialog()
    printer = d.make_printer()
    target = args.out / "raster.pdf"
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    started = time.perf_counter()
    d.print_to(printer)
    seconds = round(time.perf_counter() - started, 2)
    result["pdf_file_printer"] = figures(
        original, target, d.page_count(), target.stat().st_size
    ) | {"seconds": seconds}
    d.close()
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
