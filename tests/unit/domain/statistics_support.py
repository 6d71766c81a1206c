"""An outsider's attack on published statistics, written independently of the product's
own audit, and the tables it is tried on.

The attacker reads only the published cells, knows that "<k" is 1 … k−1, "*" is 0 or
≥ k and "x" is any count, and narrows every hidden cell by interval arithmetic over
every sum it knows (rows, columns of exclusive tables, 図1, and numbers repeated
across tables) until nothing changes.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from intake_app.domain.model import LABELS, UNKNOWN_LABEL
from intake_app.domain.statistics.figures import Row, Table, YearCount, YearStats
from intake_app.domain.statistics.publication import PublishedStats, cell_space
from intake_app.domain.statistics.suppression import SHOWN, display

KINDS = ("dv", "kokoro", "other_difficulty")
CHANNELS = ("visit", "phone", "accompanied", "other", None)
VIOLENCE = ("physical", "psychological", "sexual")

# What an outsider knows of the report's layout (public: it is printed on it).
TOTAL = ("相談件数（のべ）", "総数")
KIND_TITLE = "相談種別（DV相談・その他の困難相談）"
EXCLUSIVE_TITLES = frozenset({KIND_TITLE, "相談方法別", "加害者との関係別", "年齢層別", "性別"})
SERIES_TITLE = "年度別相談件数（図1）"
SERIES_KEYS = ("dv", "kokoro", "other", "total")
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


Key = tuple[str, str, object]


def grid_of(published: PublishedStats) -> dict[Key, str]:
    """The published cells as an outsider reads them off the paper: (title, label,
    column) → text, the column being the month index, "year", or a fiscal year for 図1."""
    stats = published.stats
    grid: dict[Key, str] = {}
    for t in stats.tables:
        for r in t.rows:
            if published.is_monthly(t.key):
                for i in range(12):
                    grid[(t.title, r.label, i)] = published.cell(t.key, r.key, i)
            grid[(t.title, r.label, "year")] = published.cell(t.key, r.key, "year")
    for yc in stats.series:
        for what, label in zip(SERIES_KEYS, SERIES_LABELS, strict=True):
            grid[(SERIES_TITLE, label, yc.fiscal_year)] = published.series_cell(
                yc.fiscal_year, what
            )
    return grid


def parse(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _western_year(text: str) -> int:
    """The 西暦 fiscal year of a label such as 令和6年度（2024年度）."""
    found = re.search(r"(\d{4})年度", text)
    assert found, text
    return int(found.group(1))


def read_csv(data: bytes) -> tuple[dict[Key, str], int, int]:
    """The cells as an outsider reads them from the CSV alone: (title, label, column) →
    text, the fiscal year, and the threshold k named in the notes."""
    rows = parse(data)
    fy = _western_year(rows[0][0])
    k = 3
    grid: dict[Key, str] = {}
    series_years: list[str] = []
    for r in rows[1:]:
        if not r:
            continue
        if r[0] == "注":
            if r[1].startswith("<"):
                k = int(r[1][1:].split(":")[0])
            continue
        if r[0] == "表":
            if "年度" in r[2]:
                series_years = [str(_western_year(y)) for y in r[2:]]
            continue
        if r[0] == SERIES_TITLE:
            for y, text in zip(series_years, r[2:], strict=True):
                grid[(SERIES_TITLE, r[1], int(y))] = text
            continue
        for i, text in enumerate(r[2:14]):
            if text:  # a table published by year only leaves its months empty
                grid[(r[0], r[1], i)] = text
        grid[(r[0], r[1], "year")] = r[14]
    return grid, fy, k


def sums_of(grid: Mapping[Key, str], fy: int) -> list[tuple[list[Key], Key]]:
    """Every (parts, total) an outsider can write down from the layout."""
    out: list[tuple[list[Key], Key]] = []
    rows: dict[str, list[str]] = {}
    for title, label, _ in grid:
        if title != SERIES_TITLE and label not in rows.setdefault(title, []):
            rows[title].append(label)
    for title, labels in rows.items():
        monthly = (title, labels[0], 0) in grid
        for label in labels:
            if monthly:
                out.append(([(title, label, i) for i in range(12)], (title, label, "year")))
        if title in EXCLUSIVE_TITLES:
            for col in [*range(12), "year"] if monthly else ["year"]:
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


def attack(grid: Mapping[Key, str], fy: int, k: int) -> dict[Key, tuple[float, float]]:
    """Interval narrowing to a fixed point over every sum, "*" as {0} ∪ [k, ∞)."""
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


def recovered_small(published: PublishedStats, truth: Mapping[Key, int]) -> dict[Key, int]:
    """Hidden cells holding 1 … k−1 whose exact value the attacker worked out."""
    grid = grid_of(published)
    k = published.min_count
    out = {}
    for key, (a, b) in attack(grid, published.stats.fiscal_year, k).items():
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


def old_publish(stats: YearStats, min_count: int = 3) -> PublishedStats:
    """``publish`` under the former rule (and the former layout, every table by month)."""
    space = cell_space(stats)
    marks = old_suppress(space.values, space.groups, min_count)
    cells = {key: display(v, marks[key], min_count) for key, v in space.values.items()}
    return PublishedStats(stats, min_count, cells, marks)


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
