"""poppler reads the Japanese text back (what a printer driver or viewer sees)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from intake_app.documents.samples import render_all
from tests.unit.documents.helpers import MUNICIPALITY, TODAY

PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdftotext_reads_japanese_back() -> None:
    samples = render_all(MUNICIPALITY, TODAY)
    for name, data in samples.items():
        out = subprocess.run(
            [PDFTOTEXT or "pdftotext", "-enc", "UTF-8", "-", "-"],
            input=data,
            capture_output=True,
            check=True,
            timeout=30,
        )
        text = "".join(out.stdout.decode("utf-8").split())
        if name not in ("protection_order_advice_discreet.pdf", "contacts.pdf"):  # undated
            assert "令和8（2026）年11月25日" in text, name
        else:
            assert "048-000-0000" in text, name
    slip = "".join(
        subprocess.run(
            [PDFTOTEXT or "pdftotext", "-enc", "UTF-8", "-", "-"],
            input=samples["referral_slip-child_dept.pdf"],
            capture_output=True,
            check=True,
            timeout=30,
        )
        .stdout.decode("utf-8")
        .split()
    )
    assert "連絡票" in slip and "子ども未来課御中" in slip and "見本花子" in slip
