"""What leaves the program: every published cell of a year, suppressed, as display text.

``cell_space`` lists the cells an outsider sees (each table's months and year total,
and 図1) with every additive relation between them (rows, the columns of exclusive
tables, the report's own year repeated in 図1); ``publish`` suppresses them together
(``suppression.suppress``) and keeps only the display strings (``PublishedStats``).
The CSV and the PDF report print ``PublishedStats`` and nothing else.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field

from intake_app.domain.statistics.figures import YearStats
from intake_app.domain.statistics.suppression import DEFAULT_MIN_COUNT, SHOWN, display, suppress


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


def cell_space(stats: YearStats) -> CellSpace:
    """Every published cell with the additive relations an outsider could use."""
    space = CellSpace()
    for table in stats.tables:
        for row in table.rows:
            cells: list[Hashable] = [_cell(table.key, row.key, i) for i in range(12)]
            for cell, v in zip(cells, row.months, strict=True):
                space.values[cell] = v
            space.values[_cell(table.key, row.key, "year")] = row.total
            space.groups.append([*cells, _cell(table.key, row.key, "year")])
        if table.exclusive:
            for col in [*range(12), "year"]:
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

    def cell(self, table: str, row: str, col: int | str) -> str:
        return self.cells[_cell(table, row, col)]

    def series_cell(self, year: int, what: str) -> str:
        return self.cells[_series_key(self.stats, year, what)]

    def hidden(self, table: str, row: str, col: int | str) -> bool:
        return self.marks[_cell(table, row, col)] != SHOWN

    def series_hidden(self, year: int, what: str) -> bool:
        return self.marks[_series_key(self.stats, year, what)] != SHOWN


def publish(stats: YearStats, min_count: int = DEFAULT_MIN_COUNT) -> PublishedStats:
    """The year's cells suppressed at ``min_count`` (at least 3, else ``ValueError``)."""
    space = cell_space(stats)
    marks = suppress(space.values, space.groups, min_count)
    cells = {k: display(v, marks[k], min_count) for k, v in space.values.items()}
    return PublishedStats(stats, min_count, cells, marks)
