"""Printing for real on the local CUPS test queues (tests/printing/setup_cups.sh):
the preview's 印刷… through the real Qt print dialog, read back from cups-pdf's files
and CUPS' job history. Skipped, with the reason, where those queues are not set up."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QRadioButton, QSpinBox

from intake_app.documents.print_system import NEUTRAL_JOB_NAME
from intake_app.documents.samples import render_all
from intake_app.gui.print_preview import PrintPreviewDialog, show_preview
from intake_app.store import Vault, kdf
from intake_app.store.outputs import paper_recorder
from tests.gui.helpers import WhenDialogOpens
from tests.printing import measure
from tests.unit.documents.helpers import MUNICIPALITY, TODAY, outside, record_opens, two_pages

_SAMPLES = render_all(MUNICIPALITY, TODAY)
SLIP = _SAMPLES["referral_slip-child_dept.pdf"]
TWO_PAGES = two_pages()


def need(queue: str) -> None:
    reason = measure.cups_skip_reason(queue)
    if reason:
        pytest.skip(reason)


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv(kdf.TEST_FAST_KDF_ENV, "1")
    Vault.create(tmp_path / "data", "sato", "correct horse battery", kdf=kdf.TEST_FAST)
    s = Vault.open(tmp_path / "data", "sato", "correct horse battery")
    yield s
    s.close()


def audit(session: Any, action: str) -> list[tuple[str, str]]:
    with session.read("test.inspect") as conn:
        return [
            (r[0], r[1])
            for r in conn.execute(
                "SELECT object_id, detail FROM audit_log WHERE action = ? ORDER BY seq", (action,)
            )
        ]


def preview(qtbot: Any, data: bytes, title: str, on_output: Any) -> PrintPreviewDialog:
    dialog = show_preview(None, data, title, on_output)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.page_count() > 0, timeout=5000)
    return dialog


def choose(queue: str, *, copies: int = 1, pages: str = "", duplex: str = "") -> Any:
    """What a counselor does in Qt's print dialog: printer, copies, pages, duplex, 印刷."""

    def act(dialog: QPrintDialog) -> None:
        printers = dialog.findChild(QComboBox, "printers")
        printers.setCurrentIndex(printers.findText(queue))
        dialog.findChild(QSpinBox, "copies").setValue(copies)
        if pages:
            dialog.findChild(QRadioButton, "pagesRadioButton").setChecked(True)
            dialog.findChild(QLineEdit, "pagesLineEdit").setText(pages)
        if duplex:
            dialog.findChild(QRadioButton, duplex).setChecked(True)
        dialog.accept()

    return act


def not_the_vault(opened: list[str]) -> list[str]:
    """Leave out the vault's own header write after the print's audit entry commits
    (``vault.keys`` through a temporary file, then the data folder for its fsync)."""
    return [
        p
        for p in opened
        if not Path(p).name.startswith(".vault.keys.")
        and not (Path(p).is_dir() and (Path(p) / "vault.keys").exists())
    ]


def print_and_wait(qtbot: Any, dialog: PrintPreviewDialog, queue: str) -> tuple[str, Path]:
    before = {r.split()[0] for r in measure.completed_job_names()}
    with record_opens() as opened:
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert not_the_vault(outside(opened)) == [], "the program wrote or read no file to print"
    qtbot.waitUntil(lambda: _new_job(queue, before) is not None, timeout=30000)
    job = _new_job(queue, before)
    assert job is not None
    return job, measure.wait_for_output(job)


def _new_job(queue: str, before: set[str]) -> str | None:
    new = [
        r.split()[0]
        for r in measure.completed_job_names()
        if r.startswith(queue + "-") and r.split()[0] not in before
    ]
    return max(new, key=measure.job_number) if new else None


def test_print_to_the_pdf_printer_is_full_size_neutral_and_audited(
    qtbot: Any, session: Any
) -> None:
    need(measure.PDF_QUEUE)
    dialog = preview(qtbot, SLIP, "連絡票", paper_recorder(session, "referral_slip", None, "x"))
    WhenDialogOpens(QPrintDialog, choose(measure.PDF_QUEUE, copies=2))
    job, printed = print_and_wait(qtbot, dialog, measure.PDF_QUEUE)
    attrs = measure.job_attributes(job)
    assert attrs["job-name"] == NEUTRAL_JOB_NAME  # what CUPS keeps in its history
    assert attrs["copies"] == "2"
    scale, dx, dy = measure.placement(measure.words(SLIP), measure.words(printed))
    assert scale == pytest.approx(1.0, abs=0.003), "10.5 pt stays 10.5 pt"
    assert abs(dx) < 0.5 and abs(dy) < 0.5, "the paper's own margins, not the printer's"
    assert audit(session, "print") == [
        ("case:None:referral_slip", f"printer={measure.PDF_QUEUE}; copies=2; pages=1/1")
    ]
    assert audit(session, "export_pdf") == []
    printed.unlink()


def test_office_printer_margins_are_said_not_shrunk_and_duplex_and_pages_reach_cups(
    qtbot: Any, session: Any
) -> None:
    need(measure.OFFICE_QUEUE)
    dialog = preview(
        qtbot, TWO_PAGES, "手続きのご案内", paper_recorder(session, "safety_plan", None)
    )
    told: list[str] = []

    def answer_yes(box: QMessageBox) -> None:
        told.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    def then_warned(dialog_: QPrintDialog) -> None:
        WhenDialogOpens(QMessageBox, answer_yes)
        choose(measure.OFFICE_QUEUE, pages="2", duplex="duplexLong")(dialog_)

    WhenDialogOpens(QPrintDialog, then_warned)
    job, printed = print_and_wait(qtbot, dialog, measure.OFFICE_QUEUE)
    assert told and "実物大" in told[0] and measure.OFFICE_QUEUE in told[0]
    assert "12.7 mm" in told[0]  # the queue's top and bottom hardware margins
    attrs = measure.job_attributes(job)
    assert attrs["job-name"] == NEUTRAL_JOB_NAME
    assert attrs["sides"] == "two-sided-long-edge"
    assert attrs.get("page-ranges", "").startswith("2")
    original_page_2 = measure.words(TWO_PAGES, page=2)
    scale, dx, dy = measure.placement(original_page_2, measure.words(printed, page=1))
    assert scale == pytest.approx(1.0, abs=0.003)
    assert abs(dx) < 0.5 and abs(dy) < 0.5
    ((object_id, detail),) = audit(session, "print")
    assert object_id == "case:None:safety_plan"
    assert detail == f"printer={measure.OFFICE_QUEUE}; copies=1; pages=2/2"
    printed.unlink()


def test_declining_the_margin_warning_prints_nothing(qtbot: Any, session: Any) -> None:
    need(measure.OFFICE_QUEUE)
    dialog = preview(qtbot, SLIP, "連絡票", paper_recorder(session, "referral_slip", None))
    before = {r.split()[0] for r in measure.completed_job_names()}

    def then_decline(dialog_: QPrintDialog) -> None:
        WhenDialogOpens(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.No).click())
        choose(measure.OFFICE_QUEUE)(dialog_)

    WhenDialogOpens(QPrintDialog, then_decline)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert _new_job(measure.OFFICE_QUEUE, before) is None
    assert audit(session, "print") == []
