"""Small-cell suppression: no published cell reveals a count of 1 or 2, directly or by
working it out from the other published cells (the attacker in ``statistics_support``)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake_app.domain.model import LABELS
from intake_app.domain.statistics import suppression
from intake_app.domain.statistics.publication import EVERY_MONTH, PUBLIC_LAYOUT, Layout, publish
from intake_app.domain.statistics.suppression import WITHHELD, Audit, suppress
from tests.unit.domain.statistics_support import (
    ACCOMPANIED,
    CHANNELS,
    KIND_TITLE,
    THREE_ONES,
    TOTAL,
    VIOLENCE,
    attack,
    build,
    consultation,
    grid_of,
    old_publish,
    recovered_small,
    truth_of,
)


@pytest.mark.parametrize("records", [THREE_ONES, ACCOMPANIED], ids=["three-ones", "accompanied"])
def test_the_review_counterexamples_leaked_before_and_not_now(records: list[Any]) -> None:
    stats = build(records)
    truth = truth_of(stats)
    before = recovered_small(old_publish(stats), truth)
    assert before, "the negative control: the former rule let these be worked out"
    for layout in (PUBLIC_LAYOUT, EVERY_MONTH):
        assert recovered_small(publish(stats, layout=layout), truth) == {}


def test_three_ones_specifically() -> None:
    stats = build(THREE_ONES)
    truth = truth_of(stats)
    before = recovered_small(old_publish(stats), truth)
    assert {("暴力の種類別（複数回答）", "sexual", m) for m in (0, 1, 2)} <= set(before)
    grid = grid_of(publish(stats, layout=EVERY_MONTH))
    assert grid[("暴力の種類別（複数回答）", "sexual", "year")] != "3"
    # by year only, the three ones are one published 3 and nothing else to narrow
    public = grid_of(publish(stats))
    assert public[("暴力の種類別（複数回答）", "sexual", "year")] == "3"
    assert ("暴力の種類別（複数回答）", "sexual", 0) not in public


def test_accompanied_specifically() -> None:
    stats = build(ACCOMPANIED)
    truth = truth_of(stats)
    before = recovered_small(old_publish(stats), truth)
    assert before.get(("相談方法別", "その他", "year")) == 1


@pytest.mark.parametrize("layout", [PUBLIC_LAYOUT, EVERY_MONTH], ids=["public", "every-month"])
@settings(max_examples=120, deadline=None)
@given(st.lists(consultation, max_size=60), st.integers(3, 6))
def test_no_small_count_is_published_or_recoverable(
    layout: Layout, records: list[Any], min_count: int
) -> None:
    stats = build(records)
    published = publish(stats, min_count, layout)
    grid = grid_of(published)
    truth = truth_of(stats)
    for key, text in grid.items():
        assert text in ("0", "*", "x", f"<{min_count}") or int(text) >= min_count, (key, text)
        if text.isdigit():
            assert int(text) == truth[key], key  # shown cells are the true counts
        if text == f"<{min_count}":
            assert 0 < truth[key] < min_count
        if text == "*":
            assert not 0 < truth[key] < min_count
    for key, (a, b) in attack(grid, stats.fiscal_year, min_count).items():
        assert a <= truth[key] <= b, key
        if 0 < truth[key] < min_count:
            assert a < b, f"{key} worked out as {truth[key]}"


def test_the_attacker_recovers_cells_from_sparse_years_under_the_former_rule() -> None:
    records = [(m % 12, "dv", CHANNELS[m % 5], {VIOLENCE[m % 3]}) for m in range(37)]
    stats = build(records)
    truth = truth_of(stats)
    assert len(recovered_small(old_publish(stats), truth)) >= 3
    for layout in (PUBLIC_LAYOUT, EVERY_MONTH):
        assert recovered_small(publish(stats, layout=layout), truth) == {}


def test_a_single_one_in_a_row_hides_a_second_cell() -> None:
    records = [(0, "dv", "visit", {"physical"})] + [(1, "dv", "visit", set())] * 5
    grid = grid_of(publish(build(records), layout=EVERY_MONTH))
    kind = LABELS["kind"]["dv"]
    # physical violence: April 1, year total 1: both "<3"
    assert grid[("暴力の種類別（複数回答）", "physical", 0)] == "<3"
    assert grid[("暴力の種類別（複数回答）", "physical", "year")] == "<3"
    # dv: April 1, May 5: April hidden, so May (or the total) must be hidden as well
    assert grid[(KIND_TITLE, kind, 0)] == "<3"
    assert "*" in (grid[(KIND_TITLE, kind, 1)], grid[(KIND_TITLE, kind, "year")])


def test_threshold_is_configurable_but_never_below_three() -> None:
    records = [(0, "dv", "visit", set())] * 4 + [(1, "dv", "visit", set())] * 9
    stats = build(records)
    kind = LABELS["kind"]["dv"]
    assert grid_of(publish(stats, 3))[(KIND_TITLE, kind, 0)] == "4"
    assert grid_of(publish(stats, 5))[(KIND_TITLE, kind, 0)] == "<5"
    with pytest.raises(ValueError):
        publish(stats, 2)  # "<2" could only mean 1
    with pytest.raises(ValueError):
        suppress({"a": 1}, [], 2)


@pytest.mark.parametrize("records", [THREE_ONES, ACCOMPANIED], ids=["three-ones", "accompanied"])
def test_a_busy_year_keeps_its_totals_published(records: list[Any]) -> None:
    """Protection by hiding more cells, not by hiding the year: the consultation
    totals of a busy year stay readable."""
    stats = build(records)
    grid = grid_of(publish(stats))
    assert grid[(*TOTAL, "year")] == str(stats.total.total)
    assert sum(grid[(*TOTAL, m)].isdigit() for m in range(12)) >= 10
    assert "x" not in grid.values()


def test_a_sum_of_one_cell_is_hidden_alone() -> None:
    assert suppress({"a": 1}, [["a"]]) == {"a": "primary"}


def test_when_no_remedy_is_found_nothing_is_published(monkeypatch: pytest.MonkeyPatch) -> None:
    """The last resort: a small count an audit pins and no sum to hide more in."""

    def pinned(values: Any, groups: Any, marks: Any, min_count: int = 3) -> Audit:
        return Audit({k: (v, v) for k, v in values.items()}, {})

    monkeypatch.setattr(suppression, "audit", pinned)
    marks = suppress({"a": 1, "b": 5, "c": 6}, [["a", "b", "c"]])
    assert set(marks.values()) == {WITHHELD}


def test_when_hiding_never_ends_nothing_is_published(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loop is bounded: hiding that goes on without closing every leak gives up."""

    def pinned(values: Any, groups: Any, marks: Any, min_count: int = 3) -> Audit:
        return Audit({k: (v, v) for k, v in values.items()}, {k: 0 for k in values})

    monkeypatch.setattr(suppression, "audit", pinned)
    monkeypatch.setattr(suppression, "_remedy", lambda *args: True)
    marks = suppress({"a": 1, "b": 5, "c": 6}, [["a", "b", "c"]])
    assert set(marks.values()) == {WITHHELD}
