"""What one fiscal year's statistics are: tables of monthly counts and the 図1 series.

A fiscal year runs April to March and is named by its starting year. Every figure is
a count by month (April first) with a year total.
"""

from __future__ import annotations

from dataclasses import dataclass

FISCAL_MONTHS: tuple[int, ...] = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
UNKNOWN = "unknown"  # the row key of 不明・回答なし in an exclusive table


def month_index(month: int) -> int:
    """0 for April … 11 for March."""
    return (month - 4) % 12


def month_label(fiscal_year: int, index: int) -> str:
    """``2024年4月`` … ``2025年3月`` for the months of fiscal year 2024."""
    month = FISCAL_MONTHS[index]
    year = fiscal_year if month >= 4 else fiscal_year + 1
    return f"{year}年{month}月"


@dataclass(frozen=True)
class Row:
    """One category: counts for the twelve months, April first."""

    key: str
    label: str
    months: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.months)


@dataclass(frozen=True)
class Table:
    """One breakdown. ``exclusive``: every consultation is in exactly one row (with 不明),
    so the rows add up to the monthly totals; otherwise a consultation may count in
    several rows (violence types, referral destinations) or in none (indicators)."""

    key: str
    title: str
    rows: tuple[Row, ...]
    exclusive: bool
    note: str = ""

    def row(self, key: str) -> Row:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)


@dataclass(frozen=True)
class YearCount:
    """One fiscal year of 図1: DV consultations, 女性の心と生き方相談, and the rest."""

    fiscal_year: int
    dv: int
    kokoro: int
    other: int

    @property
    def total(self) -> int:
        return self.dv + self.kokoro + self.other


@dataclass(frozen=True)
class YearStats:
    """Every figure of one fiscal year, plus the year-on-year series of 図1."""

    fiscal_year: int
    tables: tuple[Table, ...]
    series: tuple[YearCount, ...] = ()

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    def has_table(self, key: str) -> bool:
        return any(t.key == key for t in self.tables)

    @property
    def total(self) -> Row:
        return self.table("total").rows[0]

    def month_labels(self) -> list[str]:
        return [month_label(self.fiscal_year, i) for i in range(12)]
