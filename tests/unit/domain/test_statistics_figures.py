"""The figures of a fiscal year and what their published form answers."""

from __future__ import annotations

import pytest

from intake_app.domain.statistics.figures import Row, Table, YearCount, YearStats, month_index
from intake_app.domain.statistics.publication import publish


def test_a_fiscal_year_runs_april_to_march() -> None:
    assert [month_index(m) for m in (4, 12, 1, 3)] == [0, 8, 9, 11]
    stats = YearStats(2025, ())
    labels = stats.month_labels()
    assert (labels[0], labels[8], labels[9], labels[11]) == (
        "2025年4月",
        "2025年12月",
        "2026年1月",
        "2026年3月",
    )


def test_tables_rows_and_totals() -> None:
    dv = Row("dv", "DV相談", (1,) * 12)
    kind = Table("kind", "相談種別", (dv,), True)
    stats = YearStats(2025, (kind,), (YearCount(2025, 12, 3, 1),))
    assert kind.row("dv").total == 12
    assert stats.table("kind") is kind and stats.has_table("kind")
    assert not stats.has_table("gender")
    assert stats.series[0].total == 16
    with pytest.raises(KeyError):
        kind.row("kokoro")
    with pytest.raises(KeyError):
        stats.table("gender")


def test_the_published_form_tells_which_cells_are_hidden() -> None:
    lone = Row("dv", "DV相談", (1,) + (0,) * 11)
    total = Table("total", "相談件数（のべ）", (Row("all", "総数", lone.months),), False)
    stats = YearStats(2025, (total,), (YearCount(2024, 40, 5, 7), YearCount(2025, 1, 0, 0)))
    published = publish(stats)
    assert published.hidden("total", "all", 0) and published.cell("total", "all", 0) == "<3"
    assert not published.hidden("total", "all", 5) and published.cell("total", "all", 5) == "0"
    assert not published.series_hidden(2024, "dv") and published.series_cell(2024, "dv") == "40"
    assert published.series_hidden(2025, "total")


def test_the_share_of_withheld_cells_is_measured_on_what_is_published() -> None:
    lone = Row("dv", "DV相談", (1,) + (0,) * 11)
    total = Table("total", "相談件数（のべ）", (Row("all", "総数", lone.months),), False)
    published = publish(YearStats(2025, (total,), ()))
    hidden = published.share_hidden()
    assert 0.0 < hidden < 1.0  # the lone 1 (and what would give it away), not every cell
    assert publish(YearStats(2025, (), ())).share_hidden() == 0.0  # nothing published
