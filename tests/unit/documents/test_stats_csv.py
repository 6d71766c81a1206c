"""The statistics CSV prints exactly the published (suppressed) cells, with the notes
that say what the marks mean, in a form spreadsheet programs open."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from intake_app.documents.stats_csv import to_csv
from intake_app.domain.statistics.publication import EVERY_MONTH, PUBLIC_LAYOUT, publish
from tests.unit.domain.statistics_support import (
    THREE_ONES,
    attack,
    build,
    consultation,
    grid_of,
    parse,
    read_csv,
    recovered_small,
    truth_of,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(consultation, max_size=60), st.integers(3, 6), st.booleans())
def test_the_csv_holds_the_published_cells_and_nothing_else(
    records: list[Any], min_count: int, every_month: bool
) -> None:
    stats = build(records)
    published = publish(stats, min_count, EVERY_MONTH if every_month else PUBLIC_LAYOUT)
    grid, fy, k = read_csv(to_csv(published))
    assert (grid, fy, k) == (grid_of(published), stats.fiscal_year, min_count)


def test_nothing_small_can_be_worked_out_from_the_csv() -> None:
    stats = build(THREE_ONES)
    truth = truth_of(stats)
    for layout in (PUBLIC_LAYOUT, EVERY_MONTH):
        grid, fy, k = read_csv(to_csv(publish(stats, layout=layout)))
        for key, (a, b) in attack(grid, fy, k).items():
            assert a <= truth[key] <= b
        assert recovered_small(publish(stats, layout=layout), truth) == {}


def test_csv_holds_aggregates_only_and_opens_in_spreadsheets() -> None:
    stats = build([(0, "dv", "visit", {"physical"})] * 7)
    data = to_csv(publish(stats))
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8 Japanese
    rows = parse(data)
    assert rows[0] == ["令和6年度（2024年度）相談統計（令和6年4月〜令和7年3月）"]
    assert rows[1][0] == "表" and rows[1][-1] == "年度計"
    assert rows[1][2] == "2024年4月" and rows[1][13] == "2025年3月"
    notes = [r[1] for r in rows if r and r[0] == "注"]
    assert notes[0].startswith("<3: 1〜2件")
    assert notes[1].startswith("*: ") and notes[2].startswith("x: ")
