"""Each bundled font is registered once per process, on first use, and embedded as a subset."""

from __future__ import annotations

import pytest
from reportlab.pdfbase import pdfmetrics

from intake_app.documents import _fonts


def test_registration_happens_once(monkeypatch: pytest.MonkeyPatch) -> None:
    name = _fonts.ensure_font()
    font = pdfmetrics.getFont(name)
    built: list[object] = []
    monkeypatch.setattr(_fonts, "TTFont", lambda *a, **k: built.append(a))
    assert _fonts.ensure_font() == name
    assert built == []
    assert pdfmetrics.getFont(name) is font


def test_a_fresh_registration_reads_the_bundled_font(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[tuple[object, ...]] = []
    monkeypatch.setattr(_fonts, "_registered", set())
    monkeypatch.setattr(
        _fonts,
        "TTFont",
        lambda *a, **k: built.append(a) or pdfmetrics.getFont("IPAexGothic"),
    )
    monkeypatch.setattr(_fonts.pdfmetrics, "registerFont", lambda font: None)
    _fonts.ensure_font()
    _fonts.ensure_font()
    assert len(built) == 1
    assert str(built[0][1]).endswith("ipaexg.ttf")


def test_the_japanese_papers_load_no_other_font() -> None:
    """The script fonts are read on first use only (a slip never pays for them)."""
    import subprocess
    import sys

    code = (
        "import datetime as dt\n"
        "from intake_app.documents import referral_slip\n"
        "from intake_app.documents.samples import sample_referral, synthetic_case\n"
        "from intake_app.domain.municipality import load_municipality\n"
        "from intake_app.documents import _fonts\n"
        "m = load_municipality('warabi'); d = m.destinations[0]; t = dt.date(2026, 11, 25)\n"
        "referral_slip(synthetic_case(t)[-1], m, sample_referral(d.id, list(d.fields), t),"
        " today=t)\n"
        "print(sorted(_fonts._registered))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "['IPAexGothic']"
