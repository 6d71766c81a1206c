"""The statistics CSV: the published (suppressed) cells of one fiscal year, aggregates only.

UTF-8 with a BOM so that spreadsheet programs open the Japanese text correctly; the
notes at the end say what ``<k``, ``*`` and ``x`` mean. A table published by year only
(``PublishedStats.is_monthly``) has its month cells empty. Built in memory;
``documents.export.write_private`` writes it when the supervisor asks.
"""

from __future__ import annotations

import csv
import io

from intake_app.documents.stats_labels import (
    SERIES_LABELS,
    SERIES_TITLE,
    fiscal_year_label,
    report_title,
)
from intake_app.domain.statistics.publication import PublishedStats
from intake_app.domain.statistics.suppression import SECONDARY_MARK, WITHHELD_MARK


def csv_rows(published: PublishedStats) -> list[list[str]]:
    """The CSV as rows of strings: aggregates only, suppressed."""
    stats = published.stats
    rows: list[list[str]] = [
        [report_title(stats.fiscal_year)],
        ["表", "区分", *stats.month_labels(), "年度計"],
    ]
    for table in stats.tables:
        monthly = published.is_monthly(table.key)
        for row in table.rows:
            rows.append(
                [
                    table.title,
                    row.label,
                    *(published.cell(table.key, row.key, i) if monthly else "" for i in range(12)),
                    published.cell(table.key, row.key, "year"),
                ]
            )
    if stats.series:
        rows.append([])
        rows.append(["表", "区分", *(fiscal_year_label(yc.fiscal_year) for yc in stats.series)])
        for what, label in SERIES_LABELS:
            rows.append(
                [
                    SERIES_TITLE,
                    label,
                    *(published.series_cell(yc.fiscal_year, what) for yc in stats.series),
                ]
            )
    k = published.min_count
    rows.append([])
    rows.append(["注", f"<{k}: 1〜{k - 1}件（個人の特定を防ぐため秘匿）"])
    rows.append(["注", f"{SECONDARY_MARK}: 他の欄からの逆算を防ぐため秘匿（0件または{k}件以上）"])
    rows.append(
        ["注", f"{WITHHELD_MARK}: 合計との関係から逆算できるため秘匿（0件を含め件数は問わない）"]
    )
    if any(not published.is_monthly(t.key) for t in stats.tables):
        rows.append(
            ["注", "月の欄が空の表は年度計のみを公表しています（小さな内訳は年度でまとめます）"]
        )
    return rows


def to_csv(published: PublishedStats) -> bytes:
    """UTF-8 with a BOM, so spreadsheet programs open the Japanese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(csv_rows(published))
    return buffer.getvalue().encode("utf-8-sig")
