"""The font is registered once per process and embedded as a subset."""

from __future__ import annotations

import pytest
from reportlab.pdfbase import pdfmetrics

from intake_app.documents import _fonts


def test_registration_happens_once(monkeypatch: pytest.MonkeyPatch) -> None:
    name = _fonts.ensure_font()
    font = pdfmetrics.getFont(name)
    built: list[object] = []
    monkeypatch.setattr(_fonts, "TTFont", lambda *a: built.append(a))
    assert _fonts.ensure_font() == name
    assert built == []
    assert pdfmetrics.getFont(name) is font


def test_a_fresh_registration_reads_the_bundled_font(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[tuple[object, ...]] = []
    monkeypatch.setattr(_fonts, "_registered", False)
    monkeypatch.setattr(
        _fonts, "TTFont", lambda *a: built.append(a) or pdfmetrics.getFont("IPAexGothic")
    )
    monkeypatch.setattr(_fonts.pdfmetrics, "registerFont", lambda font: None)
    _fonts.ensure_font()
    _fonts.ensure_font()
    assert len(built) == 1
    assert str(built[0][1]).endswith("ipaexg.ttf")
