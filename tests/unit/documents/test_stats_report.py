"""The PDF report: Japanese text with the embedded font, charts, suppressed figures."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from intake_app.documents.stats_report import render_stats_report
from intake_app.domain.statistics.publication import publish
from tests.unit.domain.statistics_support import build


def test_report_has_tables_charts_and_embedded_font():
    records = [(m, "dv", "visit", {"physical"}) for m in range(12) for _ in range(4)]
    records += [(3, "kokoro", "phone", set())]  # a single 女性の心と生き方相談 in July
    stats = build(records)
    pdf = render_stats_report(publish(stats), centre="蕨市配偶者暴力相談支援センター")
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "令和6年度（2024年度）" in text and "相談統計" in text
    assert "図1" in text and "暴力の種類別" in text
    fonts = {
        str(f["/BaseFont"])
        for page in reader.pages
        for f in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("IPAexGothic" in f for f in fonts)
    assert "<3" in text  # the lone kokoro consultation is suppressed
    # the 図1 chart and the tables are drawn from published figures only
    assert "48" in text  # DV year total


def test_report_never_prints_a_hidden_count():
    records = [(0, "dv", "visit", set())] * 2 + [(1, "dv", "visit", set())] * 31
    stats = build(records)
    pdf = render_stats_report(publish(stats))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    # April holds 2 DV consultations; May's 31 must be hidden too (33 - <3 would give it away)
    assert "31" not in text.split()


def _kind_legend(published) -> list[str]:
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.charts.linecharts import HorizontalLineChart

    from intake_app.documents.stats_report import charts, ensure_font

    drawing = next(
        d
        for d in charts(published, ensure_font())
        if any(isinstance(c, HorizontalLineChart) for c in d.contents)
    )
    legend = next(c for c in drawing.contents if isinstance(c, Legend))
    return [name for _, name in legend.colorNamePairs]


def test_chart_legend_follows_published_totals_only():
    """A hidden year total may be 0: the legend must not tell a hidden 0 from a hidden
    count, so a row is left out only when its published total is "0"."""
    from dataclasses import replace

    from intake_app.domain.model import LABELS, UNKNOWN_LABEL
    from intake_app.domain.statistics.suppression import SECONDARY, SECONDARY_MARK

    records = [(m, "dv", "visit", {"physical"}) for m in range(12) for _ in range(4)]
    published = publish(build(records))
    legend = _kind_legend(published)
    assert LABELS["kind"]["dv"] in legend
    assert UNKNOWN_LABEL not in legend  # published as "0"
    # the same table with the 不明 year total (truly 0) hidden as "*"
    key = ("kind", "unknown", "year")
    hidden = replace(
        published,
        cells={**published.cells, key: SECONDARY_MARK},
        marks={**published.marks, key: SECONDARY},
    )
    assert UNKNOWN_LABEL in _kind_legend(hidden)


PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext is not installed")


def pdftotext(pdf: bytes) -> str:
    done = subprocess.run(
        [PDFTOTEXT or "pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


@needs_pdftotext
def test_the_fiscal_year_and_dates_are_in_wareki_with_the_western_year() -> None:
    records = [(m, "dv", "visit", {"physical"}) for m in range(12) for _ in range(4)]
    pdf = render_stats_report(
        publish(build(records, fy=2025)),
        centre="蕨市配偶者暴力相談支援センター",
        created_on=dt.date(2026, 5, 1),
    )
    text = pdftotext(pdf)
    assert "令和7年度（2025年度）相談統計（令和7年4月〜令和8年3月）" in text
    assert "作成日 令和8（2026）年5月1日" in text
    assert "2026-05-01" not in text
    # 図1: the years in 和暦 (the table with the 西暦 beside them)
    assert "令和6年度（2024年度）" in text and "令和6年度" in text
    assert PdfReader(io.BytesIO(pdf)).metadata.title.startswith("令和7年度（2025年度）")


@needs_pdftotext
def test_a_suppressed_bar_is_printed_as_hidden_with_its_label() -> None:
    # 暴力の種類別: 性的 once in the year (<3), so a second type is hidden too
    records = [
        (m, "dv", "visit", {"physical", "psychological"}) for m in range(12) for _ in range(4)
    ]
    records.append((0, "dv", "visit", {"sexual"}))
    published = publish(build(records))
    assert published.cell("violence", "sexual", "year") == "<3"
    text = pdftotext(render_stats_report(published))
    charts_page = text.split("\f")[0]
    violence = charts_page[charts_page.index("暴力の種類別（年度計") :]
    assert "sexual" in violence  # the category keeps its label
    assert "非公開" in violence  # and its bar says it is withheld, not zero
    assert "斜線の「非公開」の棒" in text  # the note says what the hatching means
