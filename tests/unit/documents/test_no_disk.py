"""Building documents opens no file outside the program and its resources (T6)."""

from __future__ import annotations

from pathlib import Path

from intake_app import documents
from intake_app.documents.samples import render_all, synthetic_case
from tests.unit.documents.helpers import MUNICIPALITY, OFFICIAL, TODAY, outside, record_opens


def test_building_every_document_touches_no_file() -> None:
    with record_opens() as opened:
        samples = render_all(MUNICIPALITY, TODAY)
        documents.court_report(
            synthetic_case(TODAY), MUNICIPALITY, today=TODAY, request=None, **OFFICIAL
        )
    assert len(samples) >= 8
    assert outside(opened) == []


def test_the_hook_does_see_a_file_being_opened(tmp_path: Path) -> None:
    """Negative control: a real open() outside is caught."""
    with record_opens() as opened:
        (tmp_path / "x.pdf").write_bytes(b"%PDF")
    assert outside(opened) == [str(tmp_path / "x.pdf")]
