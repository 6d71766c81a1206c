"""The Japanese labels of the statistics as published: the CSV, the PDF report and the
supervisor's statistics tab print the same words."""

from __future__ import annotations

import datetime as dt

from intake_app.domain.document_number import nendo
from intake_app.domain.japanese import era_of
from intake_app.domain.model import LABELS

# The months of a fiscal year (April to March), as tables and charts label them.
FISCAL_MONTH_LABELS: tuple[str, ...] = tuple(f"{m}月" for m in (*range(4, 13), 1, 2, 3))

SERIES_TITLE = "年度別相談件数（図1）"
# 図1's rows: the series keys of ``PublishedStats.series_cell`` and their labels.
SERIES_LABELS: tuple[tuple[str, str], ...] = (
    ("dv", LABELS["kind"]["dv"]),
    ("kokoro", LABELS["kind"]["kokoro"]),
    ("other", "その他の相談"),
    ("total", "合計"),
)


def fiscal_year_label(fiscal_year: int) -> str:
    """The fiscal year as offices write it, 和暦 with 西暦: ``令和7年度（2025年度）``
    (西暦 alone before 昭和)."""
    try:
        return f"{nendo(fiscal_year)}年度（{fiscal_year}年度）"
    except ValueError:
        return f"{fiscal_year}年度"


def short_year_label(fiscal_year: int) -> str:
    """A chart's category: ``令和7年度`` (西暦 alone before 昭和)."""
    try:
        return f"{nendo(fiscal_year)}年度"
    except ValueError:
        return f"{fiscal_year}年度"


def _month_wareki(year: int, month: int) -> str:
    try:
        era, number = era_of(dt.date(year, month, 1))
    except ValueError:
        return f"{year}年{month}月"
    return f"{era}{'元' if number == 1 else number}年{month}月"


def fiscal_period(fiscal_year: int) -> str:
    """``令和7年4月〜令和8年3月``: the months a fiscal year covers, in 和暦."""
    return f"{_month_wareki(fiscal_year, 4)}〜{_month_wareki(fiscal_year + 1, 3)}"


def report_title(fiscal_year: int) -> str:
    """``令和6年度（2024年度）相談統計（令和6年4月〜令和7年3月）``."""
    return f"{fiscal_year_label(fiscal_year)}相談統計（{fiscal_period(fiscal_year)}）"
