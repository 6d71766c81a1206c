"""The Japanese labels of the statistics as published: the CSV, the PDF report and the
supervisor's statistics tab print the same words."""

from __future__ import annotations

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


def report_title(fiscal_year: int) -> str:
    """``2024年度（2024年4月〜2025年3月）相談統計``."""
    return f"{fiscal_year}年度（{fiscal_year}年4月〜{fiscal_year + 1}年3月）相談統計"
