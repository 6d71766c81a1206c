"""Small-cell suppression: no published cell reveals a count of 1 or 2, directly or
by subtracting the other cells of a row or column from a published total."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from intake_app.store.stats import Row, Table, YearCount, YearStats, publish, to_csv

KINDS = ("dv", "kokoro", "other_difficulty")
CHANNELS = ("visit", "phone", None)
VIOLENCE = ("physical", "psychological", "sexual")

consultation = st.tuples(
    st.integers(0, 11),  # fiscal month index
    st.sampled_from(KINDS),
    st.sampled_from(CHANNELS),
    st.sets(st.sampled_from(VIOLENCE)),
)


def build(records: list[tuple[int, str, str | None, set[str]]], fy: int = 2024) -> YearStats:
    """Tables counted here, in plain Python, from the generated consultations."""

    def months(pred) -> tuple[int, ...]:
        return tuple(sum(1 for r in records if r[0] == m and pred(r)) for m in range(12))

    tables = (
        Table("total", "総数", (Row("all", "総数", months(lambda r: True)),), False),
        Table(
            "kind",
            "種別",
            (
                *(Row(k, k, months(lambda r, k=k: r[1] == k)) for k in KINDS),
                Row("unknown", "不明", (0,) * 12),
            ),
            True,
        ),
        Table(
            "channel",
            "方法",
            tuple(Row(str(c), str(c), months(lambda r, c=c: r[2] == c)) for c in CHANNELS),
            True,
        ),
        Table(
            "violence",
            "暴力",
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
    series = (YearCount(fy - 1, 1, 40, 2), this_year)
    return YearStats(fy, tables, series)


def parse(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def published_grid(stats: YearStats, data: bytes) -> dict[tuple[str, str, object], str | None]:
    """Cells as an outsider reads them from the CSV: a number, or None when hidden."""
    rows = parse(data)
    grid: dict[tuple[str, str, object], str | None] = {}
    body = [r for r in rows[2:] if r and r[0] in {t.title for t in stats.tables}]
    by_title = {t.title: t for t in stats.tables}
    for r in body:
        table = by_title[r[0]]
        row = next(x for x in table.rows if x.label == r[1])
        for i, text in enumerate(r[2:14]):
            grid[(table.key, row.key, i)] = text
        grid[(table.key, row.key, "year")] = r[14]
    series = [r for r in rows if r and r[0] == "年度別相談件数（図1）"]
    for r, what in zip(series, ("dv", "kokoro", "other", "total"), strict=True):
        for yc, text in zip(stats.series, r[2:], strict=True):
            grid[("series", str(yc.fiscal_year), what)] = text
    return grid


def attacker(stats: YearStats, grid: dict) -> dict:
    """Recover hidden cells by solving every sum that has one unknown left."""
    known = {k: int(v) for k, v in grid.items() if v.isdigit()}
    sums: list[tuple[list, object]] = []  # (parts, total)
    for t in stats.tables:
        for r in t.rows:
            sums.append(([(t.key, r.key, i) for i in range(12)], (t.key, r.key, "year")))
        if t.exclusive:
            for col in [*range(12), "year"]:
                sums.append(([(t.key, r.key, col) for r in t.rows], ("total", "all", col)))
    for yc in stats.series:
        y = str(yc.fiscal_year)
        sums.append(([("series", y, w) for w in ("dv", "kokoro", "other")], ("series", y, "total")))
    fy = str(stats.fiscal_year)
    # the report's own year appears in the kind table too
    same = [
        (("series", fy, "dv"), ("kind", "dv", "year")),
        (("series", fy, "kokoro"), ("kind", "kokoro", "year")),
        (("series", fy, "total"), ("total", "all", "year")),
    ]
    sums.append(
        (
            [("kind", "other_difficulty", "year"), ("kind", "unknown", "year")],
            ("series", fy, "other"),
        )
    )
    progress = True
    while progress:
        progress = False
        for a, b in same:
            for x, y in ((a, b), (b, a)):
                if x in known and y not in known:
                    known[y] = known[x]
                    progress = True
        for parts, total in sums:
            cells = [*parts, total]
            unknown = [c for c in cells if c not in known]
            if len(unknown) != 1:
                continue
            (u,) = unknown
            if u == total:
                known[u] = sum(known[p] for p in parts)
            else:
                known[u] = known[total] - sum(known[p] for p in parts if p != u)
            progress = True
    return known


def true_values(stats: YearStats) -> dict:
    out = {}
    for t in stats.tables:
        for r in t.rows:
            for i, v in enumerate(r.months):
                out[(t.key, r.key, i)] = v
            out[(t.key, r.key, "year")] = r.total
    for yc in stats.series:
        y = str(yc.fiscal_year)
        out.update(
            {
                ("series", y, "dv"): yc.dv,
                ("series", y, "kokoro"): yc.kokoro,
                ("series", y, "other"): yc.other,
                ("series", y, "total"): yc.total,
            }
        )
    return out


@settings(max_examples=150, deadline=None)
@given(st.lists(consultation, max_size=40), st.integers(2, 6))
def test_no_small_count_is_published_or_recoverable(records, min_count):
    stats = build(records)
    data = to_csv(publish(stats, min_count))
    grid = published_grid(stats, data)
    truth = true_values(stats)
    for key, text in grid.items():
        assert text == "0" or text == "*" or text == f"<{min_count}" or int(text) >= min_count, (
            key,
            text,
        )
        if text.isdigit():
            assert int(text) == truth[key], key  # shown cells are the true counts
        if text == f"<{min_count}":
            assert 0 < truth[key] < min_count
    recovered = attacker(stats, grid)
    for key, value in recovered.items():
        assert value == truth[key]
        assert not 0 < value < min_count, f"{key} recovered as {value}"


def test_a_single_one_in_a_row_hides_a_second_cell():
    records = [(0, "dv", "visit", {"physical"})] + [(1, "dv", "visit", set())] * 5
    stats = build(records)
    grid = published_grid(stats, to_csv(publish(stats)))
    # physical violence: April 1, year total 1 → both primary
    assert grid[("violence", "physical", 0)] == "<3"
    assert grid[("violence", "physical", "year")] == "<3"
    # dv: April 1, May 5, total 6: April hidden, so May must be hidden as well
    assert grid[("kind", "dv", 0)] == "<3"
    assert grid[("kind", "dv", 1)] == "*"
    assert grid[("kind", "dv", "year")] == "6"


def test_threshold_is_configurable():
    records = [(0, "dv", "visit", set())] * 4 + [(1, "dv", "visit", set())] * 9
    stats = build(records)
    grid3 = published_grid(stats, to_csv(publish(stats, 3)))
    grid5 = published_grid(stats, to_csv(publish(stats, 5)))
    assert grid3[("kind", "dv", 0)] == "4"
    assert grid5[("kind", "dv", 0)] == "<5"


def test_csv_holds_aggregates_only_and_opens_in_spreadsheets():
    stats = build([(0, "dv", "visit", {"physical"})] * 7)
    data = to_csv(publish(stats))
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8 Japanese
    rows = parse(data)
    assert rows[1][0] == "表" and rows[1][-1] == "年度計"
    assert rows[1][2] == "2024年4月" and rows[1][13] == "2025年3月"
