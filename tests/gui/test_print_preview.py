"""Print preview: pages shown from memory, printing with copies and range, audited export."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtWidgets import QDialog

from intake_app.documents.samples import render_all
from intake_app.gui import print_preview
from intake_app.gui.print_preview import PrintPreviewDialog
from tests.unit.documents.helpers import MUNICIPALITY, TODAY, two_pages

_SAMPLES = render_all(MUNICIPALITY, TODAY)
TWO_PAGES = two_pages()
ONE_PAGE = _SAMPLES["referral_slip-child_dept.pdf"]


def open_dialog(qtbot, data: bytes, events: list[Any]) -> PrintPreviewDialog:  # type: ignore[no-untyped-def]
    dialog = PrintPreviewDialog(data, "連絡票", events.append, suggested_name="slip.pdf")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.page_count() > 0, timeout=5000)
    return dialog


def pdf_printer(path: Path):  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_preview_shows_every_page(qtbot) -> None:  # type: ignore[no-untyped-def]
    pages = len(pypdf.PdfReader(__import__("io").BytesIO(TWO_PAGES)).pages)
    assert pages >= 2
    dialog = open_dialog(qtbot, TWO_PAGES, [])
    assert dialog.page_count() == pages
    assert dialog.view.document() is dialog.document
    assert f"{pages}ページ" in dialog.status.text()
    image = dialog.document.render(0, dialog.document.pagePointSize(0).toSize())
    assert not image.isNull() and image.width() > 0


def test_print_renders_all_pages_and_is_audited(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    events: list[Any] = []
    dialog = open_dialog(qtbot, TWO_PAGES, events)
    out = tmp_path / "printed.pdf"
    assert dialog.print_to(pdf_printer(out))
    assert len(pypdf.PdfReader(out).pages) == dialog.page_count()
    assert [e.action for e in events] == ["print"]


def test_print_honours_page_range_and_copies(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    events: list[Any] = []
    dialog = open_dialog(qtbot, TWO_PAGES, events)
    out = tmp_path / "range.pdf"
    printer = pdf_printer(out)
    printer.setFromTo(2, 2)
    printer.setCopyCount(3)
    assert dialog.print_to(printer)
    expected = 1 if printer.supportsMultipleCopies() else 3
    assert len(pypdf.PdfReader(out).pages) == expected
    assert [e.action for e in events] == ["print"]


def test_print_dialog_accepted_prints(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrintDialog

    events: list[Any] = []
    dialog = open_dialog(qtbot, ONE_PAGE, events)
    out = tmp_path / "dialog.pdf"
    monkeypatch.setattr(dialog, "make_printer", lambda: pdf_printer(out))

    def choose_file(self: QPrintDialog) -> QDialog.DialogCode:
        # the dialog selects the system's default printer when it opens: choose the file
        self.printer().setOutputFileName(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", choose_file)
    assert dialog.print_with_dialog()
    assert out.exists() and [e.action for e in events] == ["print"]


def test_print_dialog_cancelled_prints_nothing(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrintDialog

    events: list[Any] = []
    dialog = open_dialog(qtbot, ONE_PAGE, events)
    out = tmp_path / "dialog.pdf"
    monkeypatch.setattr(dialog, "make_printer", lambda: pdf_printer(out))
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    assert not dialog.print_with_dialog()
    assert not out.exists() and events == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_save_as_pdf_is_owner_only_atomic_and_audited(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    events: list[Any] = []
    dialog = open_dialog(qtbot, ONE_PAGE, events)
    monkeypatch.setattr(dialog, "confirm_export", lambda: True)
    monkeypatch.setattr(dialog, "ask_path", lambda: str(tmp_path / "slip"))
    old = os.umask(0o022)
    try:
        assert dialog.save_as_pdf()
    finally:
        os.umask(old)
    saved = tmp_path / "slip.pdf"
    assert saved.read_bytes() == ONE_PAGE
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["slip.pdf"]
    assert [e.action for e in events] == ["export_pdf"]
    assert events[0].pages == "1" and events[0].page_count == 1 and events[0].printer == ""


def test_declining_the_warning_writes_nothing(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    events: list[Any] = []
    dialog = open_dialog(qtbot, ONE_PAGE, events)
    asked: list[bool] = []
    monkeypatch.setattr(dialog, "confirm_export", lambda: False)
    monkeypatch.setattr(dialog, "ask_path", lambda: asked.append(True) or str(tmp_path / "x.pdf"))
    assert not dialog.save_as_pdf()
    assert asked == [] and list(tmp_path.iterdir()) == [] and events == []


def test_the_warning_defaults_to_no(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    seen: dict[str, object] = {}

    def fake_warning(parent, title, text, buttons, default):  # type: ignore[no-untyped-def]
        seen.update(text=text, default=default)
        return QMessageBox.StandardButton.No

    dialog = open_dialog(qtbot, ONE_PAGE, [])
    monkeypatch.setattr(QMessageBox, "warning", fake_warning)
    assert dialog.confirm_export() is False
    assert seen["default"] == QMessageBox.StandardButton.No
    assert "暗号化されません" in str(seen["text"])


def test_show_preview_opens_a_window_that_is_deleted_on_close(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    dialog = print_preview.show_preview(None, ONE_PAGE, "連絡票")
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    assert dialog.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    qtbot.waitUntil(lambda: dialog.page_count() == 1, timeout=5000)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)  # qtbot owns it
    dialog.close()
    assert dialog.page_count() == 0  # the document is dropped from memory on close


def test_program_start_does_not_load_qtpdf() -> None:
    code = (
        "import sys, intake_app.cli, intake_app.gui.print_preview;"
        "bad=[m for m in sys.modules if m.startswith(('PySide6.QtPdf','PySide6.QtPrintSupport'))];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_previewing_touches_no_file(qtbot) -> None:  # type: ignore[no-untyped-def]
    from tests.unit.documents.helpers import outside, record_opens

    with record_opens() as opened:
        dialog = open_dialog(qtbot, TWO_PAGES, [])
        dialog.view.viewport().repaint()
        dialog.close()
    assert outside(opened) == []


def test_a_lock_during_the_print_dialog_prints_nothing(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrintDialog

    from intake_app.gui import lock

    events: list[Any] = []
    dialog = open_dialog(qtbot, ONE_PAGE, events)
    out = tmp_path / "locked.pdf"
    monkeypatch.setattr(dialog, "make_printer", lambda: pdf_printer(out))
    # the lock closes the print dialog while it is open: exec returns with the lock running
    monkeypatch.setattr(
        QPrintDialog,
        "exec",
        lambda self: (self.printer().setOutputFileName(str(out)), QDialog.DialogCode.Accepted)[1],
    )
    monkeypatch.setattr(lock, "is_locking", lambda: True)
    assert not dialog.print_with_dialog()
    assert not out.exists() and events == []


def test_print_honours_a_split_page_range(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QPageRanges

    from intake_app import documents
    from intake_app.documents.samples import synthetic_case

    visit = synthetic_case(TODAY)[-1]
    visit.consultation.content = "長い相談内容。" * 120
    long_report = documents.court_report([visit] * 4, MUNICIPALITY, today=TODAY)
    dialog = open_dialog(qtbot, long_report, [])
    pages = dialog.page_count()
    assert pages >= 3
    out = tmp_path / "split.pdf"
    printer = pdf_printer(out)
    ranges = QPageRanges()
    ranges.addPage(1)
    ranges.addPage(pages)
    printer.setPageRanges(ranges)
    assert dialog.print_to(printer)
    assert len(pypdf.PdfReader(out).pages) == 2
