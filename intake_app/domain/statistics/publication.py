"""What leaves the program: every published cell of a year, suppressed, as display text.

``Layout`` says which tables are published by month (the headline: the consultation
totals and the kinds) and which by year only (the small breakdowns: channel,
relationship, age group, gender, violence types, the indicators, referrals), and
which row is the headline that suppression touches only as a last resort (the
consultation totals). ``cell_space`` lists the cells an outsider sees under a layout
(the published months and year totals, and 図1) with every additive relation between
them (rows, the columns of exclusive tables, the report's own year repeated in 図1);
``publish`` suppresses them together (``suppression.suppress``) and keeps only the
display strings (``PublishedStats``). The CSV and the PDF report print
``PublishedStats`` and nothing else.

Why the layout: by month, a gender or age table splits every month's few
consultations into small cells, and each small cell forces a second one hidden in its
month's column (e.g. every month's count of women, because the men's count was 1 or
2), until the centre's main monthly figure could be withheld as well. By year the
same breakdowns have larger cells, and the months stay with the totals and the kinds.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass, field

from intake_app.domain.statistics.figures import YearStats
from intake_app.domain.statistics.suppression import DEFAULT_MIN_COUNT, SHOWN, display, suppress


@dataclass(frozen=True)
class Layout:
    """Which tables are published by month (``None``: every table) and which rows are
    the headline, hidden only when nothing else can close a leak."""

    monthly: frozenset[str] | None
    # (table, row, "all" | "year"): every published cell of the row, or its year total
    headline: tuple[tuple[str, str, str], ...] = ()

    def is_monthly(self, table: str) -> bool:
        return self.monthly is None or table in self.monthly


# The published layout: months for the consultation totals and the kinds, every other
# breakdown by year; the headline (hidden last) is the monthly consultation totals and the
# year totals of DV and 女性の心と生き方相談 (図1).
MONTHLY_TABLES: frozenset[str] = frozenset({"total", "kind"})
PUBLIC_LAYOUT = Layout(
    MONTHLY_TABLES,
    (("total", "all", "all"), ("kind", "dv", "year"), ("kind", "kokoro", "year")),
)
# Every table by month and no headline: the layout published before, kept to measure
# the difference (``bench/stats_suppression.py``) and for the suppression tests.
EVERY_MONTH = Layout(None)


@dataclass
class CellSpace:
    """All published cells of one report, keyed by what they count, with their sums."""

    values: dict[Hashable, int] = field(default_factory=dict)
    groups: list[list[Hashable]] = field(default_factory=list)


def _cell(table: str, row: str, col: int | str) -> tuple[str, str, int | str]:
    return (table, row, col)


def _series_key(stats: YearStats, year: int, what: str) -> Hashable:
    """A 図1 cell; the report's own year shares its DV, 女性の心と生き方相談 and total
    cells with the kind and total tables, so they are hidden alike everywhere."""
    if year == stats.fiscal_year and what in ("dv", "kokoro"):
        return _cell("kind", what, "year")
    if year == stats.fiscal_year and what == "total":
        return _cell("total", "all", "year")
    return ("series", year, what)


def cell_space(stats: YearStats, layout: Layout = EVERY_MONTH) -> CellSpace:
    """Every cell published under ``layout`` with the additive relations an outsider
    could use."""
    space = CellSpace()
    for table in stats.tables:
        monthly = layout.is_monthly(table.key)
        for row in table.rows:
            cells: list[Hashable] = (
                [_cell(table.key, row.key, i) for i in range(12)] if monthly else []
            )
            for cell, v in zip(cells, row.months, strict=False):
                space.values[cell] = v
            space.values[_cell(table.key, row.key, "year")] = row.total
            if monthly:
                space.groups.append([*cells, _cell(table.key, row.key, "year")])
        if table.exclusive:
            for col in [*range(12), "year"] if monthly else ["year"]:
                space.groups.append(
                    [
                        *(_cell(table.key, r.key, col) for r in table.rows),
                        _cell("total", "all", col),
                    ]
                )
    for yc in stats.series:
        keys: list[Hashable] = []
        for what, v in (
            ("dv", yc.dv),
            ("kokoro", yc.kokoro),
            ("other", yc.other),
            ("total", yc.total),
        ):
            key = _series_key(stats, yc.fiscal_year, what)
            space.values.setdefault(key, v)
            keys.append(key)
        space.groups.append(keys)
        if yc.fiscal_year == stats.fiscal_year and stats.has_table("kind"):
            # "other" of 図1 is the sum of the kind table's remaining rows
            rest = [
                _cell("kind", r.key, "year")
                for r in stats.table("kind").rows
                if r.key not in ("dv", "kokoro")
            ]
            space.groups.append([*rest, _series_key(stats, yc.fiscal_year, "other")])
    return space


@dataclass(frozen=True)
class PublishedStats:
    """What leaves the program: display strings only, after suppression."""

    stats: YearStats
    min_count: int
    cells: Mapping[Hashable, str]
    marks: Mapping[Hashable, str]
    layout: Layout = EVERY_MONTH

    def is_monthly(self, table: str) -> bool:
        """Whether ``table`` is published by month (else its year total only)."""
        return self.layout.is_monthly(table)

    def cell(self, table: str, row: str, col: int | str) -> str:
        """The published text of a cell (``KeyError`` for a month of a table
        published by year only)."""
        return self.cells[_cell(table, row, col)]

    def share_hidden(self) -> float:
        """The share of published cells that are not shown as a count (``<k``, ``*``,
        ``x``), 0.0 … 1.0."""
        if not self.marks:
            return 0.0
        return sum(m != SHOWN for m in self.marks.values()) / len(self.marks)

    def series_cell(self, year: int, what: str) -> str:
        return self.cells[_series_key(self.stats, year, what)]

    def hidden(self, table: str, row: str, col: int | str) -> bool:
        return self.marks[_cell(table, row, col)] != SHOWN

    def series_hidden(self, year: int, what: str) -> bool:
        return self.marks[_series_key(self.stats, year, what)] != SHOWN


def headline_cells(stats: YearStats, layout: Layout) -> set[Hashable]:
    """The cells of the layout's headline rows that ``cell_space`` publishes."""
    out: set[Hashable] = set()
    for table_key, row_key, which in layout.headline:
        if not stats.has_table(table_key):
            continue
        cols: Collection[int | str] = (
            [*range(12), "year"] if which == "all" and layout.is_monthly(table_key) else ["year"]
        )
        out.update(_cell(table_key, row_key, c) for c in cols)
    return out


def publish(
    stats: YearStats, min_count: int = DEFAULT_MIN_COUNT, layout: Layout = PUBLIC_LAYOUT
) -> PublishedStats:
    """The year's cells under ``layout``, suppressed at ``min_count`` (at least 3, else
    ``ValueError``), the headline hidden only where nothing else closes a leak."""
    space = cell_space(stats, layout)
    marks = suppress(space.values, space.groups, min_count, headline_cells(stats, layout))
    cells = {k: display(v, marks[k], min_count) for k, v in space.values.items()}
    return PublishedStats(stats, min_count, cells, marks, layout)
