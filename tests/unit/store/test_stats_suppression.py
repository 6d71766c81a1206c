"""Small-cell suppression: no published cell reveals a count of 1 or 2, directly or by
working it out from the other published cells.

The attacker here reads only the CSV, knows that "<k" is 1 … k−1, "*" is 0 or ≥ k and
"x" is any count, and narrows every hidden cell by interval arithmetic over every sum
it knows (rows, columns of exclusive tables, 図1, and numbers repeated across tables)
until nothing changes. It is written independently of the product's own audit.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake_app.domain.model import LABELS, UNKNOWN_LABEL
from intake_app.store.stats import (
    SHOWN,
    PublishedStats,
    Row,
    Table,
    YearCount,
    YearStats,
    cell_space,
    display,
    publish,
    suppress,
    to_csv,
)

KINDS = ("dv", "kokoro", "other_difficulty")
CHANNELS = ("visit", "phone", "accompanied", "other", None)
VIOLENCE = ("physical", "psychological", "sexual")

# What an outsider knows of the report's layout (public: it is printed on it).
TOTAL = ("相談件数（のべ）", "総数")
KIND_TITLE = "相談種別（DV相談・その他の困難相談）"
EXCLUSIVE_TITLES = frozenset({KIND_TITLE, "相談方法別", "加害者との関係別", "年齢層別", "性別"})
SERIES_TITLE = "年度別相談件数（図1）"
SERIES_LABELS = (LABELS["kind"]["dv"], LABELS["kind"]["kokoro"], "その他の相談", "合計")

consultation = st.tuples(
    st.integers(0, 11),  # fiscal month index
    st.sampled_from(KINDS),
    st.sampled_from(CHANNELS),
    st.sets(st.sampled_from(VIOLENCE)),
)


def build(records: list[Any], fy: int = 2024, earlier: YearCount | None = None) -> YearStats:
    """Tables counted here, in plain Python, from the generated consultations."""

    def months(pred: Any) -> tuple[int, ...]:
        return tuple(sum(1 for r in records if r[0] == m and pred(r)) for m in range(12))

    tables = (
        Table("total", TOTAL[0], (Row("all", TOTAL[1], months(lambda r: True)),), False),
        Table(
            "kind",
            KIND_TITLE,
            (
                *(Row(k, LABELS["kind"][k], months(lambda r, k=k: r[1] == k)) for k in KINDS),
                Row("unknown", UNKNOWN_LABEL, (0,) * 12),
            ),
            True,
        ),
        Table(
            "channel",
            "相談方法別",
            tuple(
                Row(
                    str(c),
                    LABELS["channel"][c] if c else UNKNOWN_LABEL,
                    months(lambda r, c=c: r[2] == c),
                )
                for c in CHANNELS
            ),
            True,
        ),
        Table(
            "violence",
            "暴力の種類別（複数回答）",
            tuple(Row(v, v, months(lambda r, v=v: v in r[3])) for v in VIOLENCE),
            False,
        ),
    )
    this_year = YearCount(
        fy,
        sum(1 for r in records if r[1] == "dv"),
        sum(1 for r in records if r[1] == "kokoro"),
        sum(1 for r in records if r[1] == "other_difficulty"),
    )
    series = (earlier or YearCount(fy - 1, 1, 40, 2), this_year)
    return YearStats(fy, tables, series)


def parse(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


Key = tuple[str, str, object]


def read_csv(data: bytes) -> tuple[dict[Key, str], int]:
    """The published cells as an outsider reads them: (title, label, column) → text,
    the column being the month index, "year", or a fiscal year for 図1."""
    rows = parse(data)
    fy = int(rows[0][0].split("年度")[0])
    grid: dict[Key, str] = {}
    series_years: list[str] = []
    for r in rows[1:]:
        if not r or r[0] == "注":
            continue
        if r[0] == "表":
            if r[2].endswith("年度"):
                series_years = [y.removesuffix("年度") for y in r[2:]]
            continue
        if r[0] == SERIES_TITLE:
            for y, text in zip(series_years, r[2:], strict=True):
                grid[(SERIES_TITLE, r[1], int(y))] = text
            continue
        for i, text in enumerate(r[2:14]):
            grid[(r[0], r[1], i)] = text
        grid[(r[0], r[1], "year")] = r[14]
    return grid, fy


def sums_of(grid: Mapping[Key, str], fy: int) -> list[tuple[list[Key], Key]]:
    """Every (parts, total) an outsider can write down from the layout."""
    out: list[tuple[list[Key], Key]] = []
    rows: dict[str, list[str]] = {}
    for title, label, _ in grid:
        if title != SERIES_TITLE and label not in rows.setdefault(title, []):
            rows[title].append(label)
    for title, labels in rows.items():
        for label in labels:
            out.append(([(title, label, i) for i in range(12)], (title, label, "year")))
        if title in EXCLUSIVE_TITLES:
            for col in [*range(12), "year"]:
                out.append(([(title, lb, col) for lb in labels], (*TOTAL, col)))
    years = sorted({c for t, _, c in grid if t == SERIES_TITLE})
    for y in years:
        parts = [(SERIES_TITLE, lb, y) for lb in SERIES_LABELS[:3]]
        out.append((parts, (SERIES_TITLE, SERIES_LABELS[3], y)))
    if fy in years:
        # the report's own year is printed twice: in 図1 and in the kind / total tables
        dv, kokoro, other, total = SERIES_LABELS
        out.append(([(KIND_TITLE, dv, "year")], (SERIES_TITLE, dv, fy)))
        out.append(([(KIND_TITLE, kokoro, "year")], (SERIES_TITLE, kokoro, fy)))
        out.append(([(*TOTAL, "year")], (SERIES_TITLE, total, fy)))
        rest = [
            (KIND_TITLE, lb, "year") for lb in rows.get(KIND_TITLE, []) if lb not in (dv, kokoro)
        ]
        out.append((rest, (SERIES_TITLE, other, fy)))
    return out


def attack(data: bytes) -> dict[Key, tuple[float, float]]:
    """Interval narrowing to a fixed point over every sum, "*" as {0} ∪ [k, ∞)."""
    grid, fy = read_csv(data)
    small = [t for t in grid.values() if t.startswith("<")]
    k = int(small[0][1:]) if small else 3
    for r in parse(data):
        if r and r[0] == "注" and r[1].startswith("<"):
            k = int(r[1][1:].split(":")[0])
    lo: dict[Key, float] = {}
    hi: dict[Key, float] = {}
    for key, text in grid.items():
        if text.isdigit():
            lo[key] = hi[key] = int(text)
        elif text == f"<{k}":
            lo[key], hi[key] = 1, k - 1
        else:
            lo[key], hi[key] = 0, math.inf

    def narrow(key: Key, a: float, b: float) -> bool:
        new_lo, new_hi = max(lo[key], a), min(hi[key], b)
        if grid[key] == "*":
            if 0 < new_lo < k:
                new_lo = k
            if new_hi < k:
                new_hi = 0
        assert new_lo <= new_hi, f"inconsistent table at {key}"
        if (new_lo, new_hi) == (lo[key], hi[key]):
            return False
        lo[key], hi[key] = new_lo, new_hi
        return True

    sums = sums_of(grid, fy)
    progress = True
    while progress:
        progress = False
        for parts, total in sums:
            progress |= narrow(total, sum(lo[p] for p in parts), sum(hi[p] for p in parts))
            for p in parts:
                others = [q for q in parts if q != p]
                low = lo[total] - sum(hi[q] for q in others) if others else lo[total]
                high = hi[total] - sum(lo[q] for q in others) if others else hi[total]
                progress |= narrow(p, low, high)
    return {key: (lo[key], hi[key]) for key in grid}


def truth_of(stats: YearStats) -> dict[Key, int]:
    out: dict[Key, int] = {}
    for t in stats.tables:
        for r in t.rows:
            for i, v in enumerate(r.months):
                out[(t.title, r.label, i)] = v
            out[(t.title, r.label, "year")] = r.total
    for yc in stats.series:
        for label, v in zip(SERIES_LABELS, (yc.dv, yc.kokoro, yc.other, yc.total), strict=True):
            out[(SERIES_TITLE, label, yc.fiscal_year)] = v
    return out


def recovered_small(data: bytes, truth: Mapping[Key, int], k: int = 3) -> dict[Key, int]:
    """Hidden cells holding 1 … k−1 whose exact value the attacker worked out."""
    grid, _ = read_csv(data)
    out = {}
    for key, (a, b) in attack(data).items():
        assert a <= truth[key] <= b, key  # the attacker's reasoning is sound
        if not grid[key].isdigit() and a == b and 0 < truth[key] < k:
            out[key] = truth[key]
    return out


def old_suppress(
    values: Mapping[Hashable, int], groups: Sequence[Sequence[Hashable]], min_count: int
) -> dict[Hashable, str]:
    """The former rule, kept as the negative control: only sums with one hidden cell."""
    marks = {k: "primary" if 0 < v < min_count else SHOWN for k, v in values.items()}
    changed = True
    while changed:
        changed = False
        for group in groups:
            hidden = [c for c in group if marks[c] != SHOWN]
            shown = [c for c in group if marks[c] == SHOWN]
            if len(hidden) == 1 and shown:
                marks[min(shown, key=lambda c: (values[c] == 0, values[c]))] = "secondary"
                changed = True
    return marks


def old_csv(stats: YearStats, min_count: int = 3) -> bytes:
    space = cell_space(stats)
    marks = old_suppress(space.values, space.groups, min_count)
    cells = {key: display(v, marks[key], min_count) for key, v in space.values.items()}
    return to_csv(PublishedStats(stats, min_count, cells, marks))


def busy(month: int, n: int = 6) -> list[Any]:
    return [(month, "dv", "visit", {"physical", "psychological"})] * n + [
        (month, "kokoro", "phone", set())
    ] * n


BUSY_YEAR = [r for m in range(12) for r in busy(m)]

# three "<3" months of sexual violence under a shown year total of 3 → each was 1
THREE_ONES = BUSY_YEAR + [(m, "dv", "visit", {"sexual"}) for m in (0, 1, 2)]
# 同行 in five months (1 each) and その他 once: 同行 + その他 = 6 with five "<3" months
ACCOMPANIED = (
    BUSY_YEAR + [(m, "dv", "accompanied", set()) for m in range(5)] + [(7, "dv", "other", set())]
)


@pytest.mark.parametrize("records", [THREE_ONES, ACCOMPANIED], ids=["three-ones", "accompanied"])
def test_the_review_counterexamples_leaked_before_and_not_now(records):
    stats = build(records)
    truth = truth_of(stats)
    before = recovered_small(old_csv(stats), truth)
    assert before, "the negative control: the former rule let these be worked out"
    after = recovered_small(to_csv(publish(stats)), truth)
    assert after == {}


def test_three_ones_specifically():
    stats = build(THREE_ONES)
    truth = truth_of(stats)
    before = recovered_small(old_csv(stats), truth)
    assert {("暴力の種類別（複数回答）", "sexual", m) for m in (0, 1, 2)} <= set(before)
    grid, _ = read_csv(to_csv(publish(stats)))
    assert grid[("暴力の種類別（複数回答）", "sexual", "year")] != "3"


def test_accompanied_specifically():
    stats = build(ACCOMPANIED)
    truth = truth_of(stats)
    before = recovered_small(old_csv(stats), truth)
    assert before.get(("相談方法別", "その他", "year")) == 1


@settings(max_examples=120, deadline=None)
@given(st.lists(consultation, max_size=60), st.integers(3, 6))
def test_no_small_count_is_published_or_recoverable(records, min_count):
    stats = build(records)
    data = to_csv(publish(stats, min_count))
    grid, _ = read_csv(data)
    truth = truth_of(stats)
    for key, text in grid.items():
        assert text in ("0", "*", "x", f"<{min_count}") or int(text) >= min_count, (key, text)
        if text.isdigit():
            assert int(text) == truth[key], key  # shown cells are the true counts
        if text == f"<{min_count}":
            assert 0 < truth[key] < min_count
        if text == "*":
            assert not 0 < truth[key] < min_count
    for key, (a, b) in attack(data).items():
        assert a <= truth[key] <= b, key
        if 0 < truth[key] < min_count:
            assert a < b, f"{key} worked out as {truth[key]}"


def test_the_attacker_recovers_cells_from_sparse_years_under_the_former_rule():
    records = [(m % 12, "dv", CHANNELS[m % 5], {VIOLENCE[m % 3]}) for m in range(37)]
    stats = build(records)
    truth = truth_of(stats)
    assert len(recovered_small(old_csv(stats), truth)) >= 3
    assert recovered_small(to_csv(publish(stats)), truth) == {}


def test_a_single_one_in_a_row_hides_a_second_cell():
    records = [(0, "dv", "visit", {"physical"})] + [(1, "dv", "visit", set())] * 5
    stats = build(records)
    grid, _ = read_csv(to_csv(publish(stats)))
    kind = LABELS["kind"]["dv"]
    # physical violence: April 1, year total 1: both "<3"
    assert grid[("暴力の種類別（複数回答）", "physical", 0)] == "<3"
    assert grid[("暴力の種類別（複数回答）", "physical", "year")] == "<3"
    # dv: April 1, May 5: April hidden, so May (or the total) must be hidden as well
    assert grid[(KIND_TITLE, kind, 0)] == "<3"
    assert "*" in (grid[(KIND_TITLE, kind, 1)], grid[(KIND_TITLE, kind, "year")])


def test_threshold_is_configurable_but_never_below_three():
    records = [(0, "dv", "visit", set())] * 4 + [(1, "dv", "visit", set())] * 9
    stats = build(records)
    kind = LABELS["kind"]["dv"]
    grid3, _ = read_csv(to_csv(publish(stats, 3)))
    grid5, _ = read_csv(to_csv(publish(stats, 5)))
    assert grid3[(KIND_TITLE, kind, 0)] == "4"
    assert grid5[(KIND_TITLE, kind, 0)] == "<5"
    with pytest.raises(ValueError):
        publish(stats, 2)  # "<2" could only mean 1
    with pytest.raises(ValueError):
        suppress({"a": 1}, [], 2)


def test_csv_holds_aggregates_only_and_opens_in_spreadsheets():
    stats = build([(0, "dv", "visit", {"physical"})] * 7)
    data = to_csv(publish(stats))
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8 Japanese
    rows = parse(data)
    assert rows[1][0] == "表" and rows[1][-1] == "年度計"
    assert rows[1][2] == "2024年4月" and rows[1][13] == "2025年3月"


@pytest.mark.parametrize("records", [THREE_ONES, ACCOMPANIED], ids=["three-ones", "accompanied"])
def test_a_busy_year_keeps_its_totals_published(records):
    """Protection by hiding more cells, not by hiding the year: the consultation
    totals of a busy year stay readable."""
    stats = build(records)
    grid, _ = read_csv(to_csv(publish(stats)))
    assert grid[(*TOTAL, "year")] == str(stats.total.total)
    assert sum(grid[(*TOTAL, m)].isdigit() for m in range(12)) >= 10
    assert "x" not in grid.values()
