"""The published report keeps its headline on a demo year: the monthly consultation
totals, which the former layout (every table by month) withheld, are printed."""

from __future__ import annotations

import functools
import shutil
import subprocess
from typing import Any

import pytest

from intake_app.documents.stats_csv import csv_rows
from intake_app.documents.stats_report import render_stats_report
from intake_app.domain.statistics.publication import EVERY_MONTH, publish
from intake_app.domain.statistics.suppression import SHOWN
from intake_app.store.synthetic import generate
from tests.unit.store.records_support import vault

__all__ = ["vault"]

FIRST_YEAR = 2021  # five demo fiscal years, 2021 … 2025, whatever today is
DEMO_YEAR = 2023
PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture
def demo_year(vault: Any) -> Any:
    from intake_app.commands.demo import fill

    fill(vault, 500, seed=1, generator=functools.partial(generate, first_fiscal_year=FIRST_YEAR))
    return vault.stats.year(DEMO_YEAR)


def _shown_months(published: Any, table: str, row: str) -> int:
    return sum(published.marks[(table, row, i)] == SHOWN for i in range(12))


def test_the_monthly_totals_are_published_where_the_former_layout_withheld_them(
    demo_year: Any,
) -> None:
    before = publish(demo_year, layout=EVERY_MONTH)
    after = publish(demo_year)
    # the former layout: the men's small monthly counts took women's months and totals
    assert _shown_months(before, "total", "all") < 12
    assert _shown_months(before, "gender", "female") < 12
    assert _shown_months(after, "total", "all") == 12
    assert after.share_hidden() < before.share_hidden()
    assert not after.is_monthly("gender") and after.is_monthly("kind")
    totals = next(r for r in csv_rows(after) if r[:2] == ["相談件数（のべ）", "総数"])
    assert all(c.isdigit() for c in totals[2:])
    gender = next(r for r in csv_rows(after) if r[0] == "性別")
    assert gender[2:14] == [""] * 12  # by year only


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext is not installed")
def test_the_report_prints_every_monthly_total_of_the_demo_year(demo_year: Any) -> None:
    pdf = render_stats_report(publish(demo_year))
    done = subprocess.run(
        [PDFTOTEXT or "pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    text = done.stdout.decode("utf-8")
    line = next(ln for ln in text.splitlines() if ln.split()[:1] == ["総数"])
    cells = line.split()[1:]
    assert len(cells) == 13 and all(c.isdigit() for c in cells), line
    assert int(cells[-1]) == sum(int(c) for c in cells[:12]) == demo_year.total.total
    assert "内訳（年度計）" in text and "性別" in text
