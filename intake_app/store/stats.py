"""Statistics the city reports, counted from the narrow consultation columns.

A fiscal year runs April to March and is named by its starting year. Every figure
is a count by month (April first) with a year total. The queries read only the
narrow tables of ``0001_initial.sql`` (consultations, violence, referrals) through
their indexes, never the intake JSON, so a year over 100,000 consultations stays
fast under SQLCipher.

Exports leave this module as aggregates only, with small-cell suppression
(``suppress``): counts from 1 to ``min_count - 1`` are shown as ``<min_count``, and
a second cell is hidden (``*``) wherever a single hidden cell could otherwise be
worked out from a total, so no person can be recognised from a published table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from intake_app.domain.model import LABELS, UNKNOWN_LABEL

FISCAL_MONTHS: tuple[int, ...] = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
DEFAULT_MIN_COUNT = 3
SECONDARY_MARK = "*"
UNKNOWN = "unknown"

# The months of a fiscal year (April to March), as tables and charts label them.
FISCAL_MONTH_LABELS: tuple[str, ...] = tuple(f"{m}月" for m in (*range(4, 13), 1, 2, 3))


class _Cursor(Protocol):
    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    """The DB-API subset the queries use (sqlite3 and sqlcipher3 alike)."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any: ...


def month_index(month: int) -> int:
    """0 for April … 11 for March."""
    return (month - 4) % 12


def month_label(fiscal_year: int, index: int) -> str:
    month = FISCAL_MONTHS[index]
    year = fiscal_year if month >= 4 else fiscal_year + 1
    return f"{year}年{month}月"


def fiscal_year_of(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


# --- the figures --------------------------------------------------------------------


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

    @property
    def total(self) -> Row:
        return self.table("total").rows[0]

    def month_labels(self) -> list[str]:
        return [month_label(self.fiscal_year, i) for i in range(12)]


# --- queries ------------------------------------------------------------------------

# Exclusive breakdowns: table key, title, consultation column, label list.
_EXCLUSIVE: tuple[tuple[str, str, str, str], ...] = (
    ("kind", "相談種別（DV相談・その他の困難相談）", "kind", "kind"),
    ("channel", "相談方法別", "channel", "channel"),
    ("relationship", "加害者との関係別", "relationship", "relationship"),
    ("age_group", "年齢層別", "age_group", "age_group"),
    ("gender", "性別", "gender", "gender"),
)

# Indicators: row key, label, SQL condition on consultations.
_SHELTER = (
    ("recommended", "一時保護を勧めた", "shelter_recommendation IN ('immediate', 'recommend')"),
    ("requested", "一時保護を要請した", "shelter_requested = 1"),
)
_PROTECTION_ORDER = (("eligible", "保護命令の対象となりうると助言した", "po_eligible = 1"),)
_SUPPORT_MEASURE = (("applied", "支援措置の申出に関わった", "support_measure = 1"),)
_CHILD = (
    ("required", "児童通告が必要と判断した（面前DV等）", "child_notification = 1"),
    ("notified", "児童通告を行った", "child_notified = 1"),
)


def _zero() -> list[int]:
    return [0] * 12


def _grouped(conn: Connection, sql: str, params: Sequence[Any]) -> dict[Any, list[int]]:
    """Rows of (key, month, count) into key → twelve monthly counts."""
    out: dict[Any, list[int]] = {}
    for key, month, count in conn.execute(sql, params).fetchall():
        out.setdefault(key, _zero())[month_index(int(month))] += int(count)
    return out


def _rows_for(
    counts: Mapping[Any, list[int]], labels: Mapping[str, str], *, unknown: bool
) -> tuple[Row, ...]:
    rows = [Row(k, v, tuple(counts.get(k, _zero()))) for k, v in labels.items()]
    extra = [k for k in counts if k is not None and k not in labels]
    rows += [Row(str(k), str(k), tuple(counts[k])) for k in sorted(extra, key=str)]
    if unknown:
        rows.append(Row(UNKNOWN, UNKNOWN_LABEL, tuple(counts.get(None, _zero()))))
    return tuple(rows)


def year_stats(
    conn: Connection,
    fiscal_year: int,
    *,
    destinations: Mapping[str, str] | None = None,
    series_years: int = 5,
) -> YearStats:
    """Count one fiscal year from the narrow columns; ``destinations`` maps referral
    destination ids to their names (the municipality file), in display order."""
    fy = (fiscal_year,)
    tables: list[Table] = []
    by_month = _grouped(
        conn,
        "SELECT 1, month, count(*) FROM consultations WHERE fiscal_year = ? GROUP BY month",
        fy,
    )
    tables.append(
        Table(
            "total",
            "相談件数（のべ）",
            (Row("all", "総数", tuple(by_month.get(1, _zero()))),),
            False,
        )
    )

    for key, title, column, label_key in _EXCLUSIVE:
        counts = _grouped(
            conn,
            f"SELECT {column}, month, count(*) FROM consultations "  # noqa: S608 - fixed names
            f"WHERE fiscal_year = ? GROUP BY {column}, month",
            fy,
        )
        tables.append(Table(key, title, _rows_for(counts, LABELS[label_key], unknown=True), True))

    violence = _grouped(
        conn,
        "SELECT type, month, count(*) FROM violence WHERE fiscal_year = ? GROUP BY type, month",
        fy,
    )
    tables.append(
        Table(
            "violence",
            "暴力の種類別（複数回答）",
            _rows_for(violence, LABELS["violence"], unknown=False),
            False,
            note="1件の相談に複数の種類があるため、合計は相談件数と一致しません。",
        )
    )

    groups = (
        ("shelter", "一時保護", _SHELTER),
        ("protection_order", "保護命令", _PROTECTION_ORDER),
        ("support_measure", "住民基本台帳事務における支援措置", _SUPPORT_MEASURE),
        ("child_notification", "児童通告（児童虐待防止法第6条）", _CHILD),
    )
    indicators = [ind for _, _, group in groups for ind in group]
    # one pass over the year's rows for every indicator
    columns = ", ".join(f"sum(CASE WHEN {cond} THEN 1 ELSE 0 END)" for _, _, cond in indicators)
    monthly = {k: _zero() for k, _, _ in indicators}
    for record in conn.execute(
        f"SELECT month, {columns} FROM consultations "  # noqa: S608 - fixed conditions
        "WHERE fiscal_year = ? GROUP BY month",
        fy,
    ).fetchall():
        for i, (k, _, _) in enumerate(indicators):
            monthly[k][month_index(int(record[0]))] += int(record[i + 1] or 0)
    for key, title, group in groups:
        rows = tuple(Row(k, label, tuple(monthly[k])) for k, label, _ in group)
        if key == "protection_order":
            applying = _grouped(
                conn,
                "SELECT 1, c.month, count(*) FROM consultations c "
                "JOIN protection_order_advice p ON p.consultation_id = c.id "
                "WHERE c.fiscal_year = ? AND p.client_intention = 'apply' GROUP BY c.month",
                fy,
            )
            rows += (Row("apply", "本人に申立ての意向あり", tuple(applying.get(1, _zero()))),)
        tables.append(Table(key, title, rows, False))

    referrals = _grouped(
        conn,
        "SELECT destination_id, CAST(substr(referred_on, 6, 2) AS INTEGER), count(*) "
        "FROM referrals WHERE fiscal_year = ? GROUP BY 1, 2",
        fy,
    )
    tables.append(
        Table(
            "referral",
            "つなぎ先別（複数回答）",
            _rows_for(referrals, dict(destinations or {}), unknown=False),
            False,
            note="1件の相談から複数の機関につなぐことがあります。",
        )
    )
    series = year_series(conn, fiscal_year - series_years + 1, fiscal_year)
    return YearStats(fiscal_year, tuple(tables), series)


def year_series(conn: Connection, first: int, last: int) -> tuple[YearCount, ...]:
    """図1: DV consultations and 女性の心と生き方相談 (and the rest) per fiscal year."""
    found: dict[int, dict[str, int]] = {}
    for year, kind, count in conn.execute(
        "SELECT fiscal_year, kind, count(*) FROM consultations "
        "WHERE fiscal_year BETWEEN ? AND ? GROUP BY fiscal_year, kind",
        (first, last),
    ).fetchall():
        found.setdefault(int(year), {})[str(kind)] = int(count)
    out = []
    for year in range(first, last + 1):
        kinds = found.get(year, {})
        dv = kinds.get("dv", 0)
        kokoro = kinds.get("kokoro", 0)
        out.append(YearCount(year, dv, kokoro, sum(kinds.values()) - dv - kokoro))
    return tuple(out)


def fiscal_years(conn: Connection) -> list[int]:
    """The fiscal years that have consultations, newest first."""
    rows = conn.execute(
        "SELECT DISTINCT fiscal_year FROM consultations ORDER BY fiscal_year DESC"
    ).fetchall()
    return [int(r[0]) for r in rows]


# --- small-cell suppression ---------------------------------------------------------

SHOWN, PRIMARY, SECONDARY, WITHHELD = "shown", "primary", "secondary", "withheld"
WITHHELD_MARK = "x"

Bounds = tuple[float, float]


def _start_bounds(value: int, mark: str, min_count: int) -> Bounds:
    """What an outsider knows of one published cell."""
    if mark == SHOWN:
        return (value, value)
    if mark == PRIMARY:
        return (1, min_count - 1)
    return (0, math.inf)  # "*" (0 or ≥ min_count, see _snap) and "x" (anything)


def _snap(lo: float, hi: float, min_count: int) -> Bounds:
    """A "*" cell is 0 or at least ``min_count``: cut the interval to that set."""
    if 0 < lo < min_count:
        lo = min_count
    if hi < min_count:
        hi = 0
    return (lo, hi)


@dataclass
class Audit:
    """What an outsider can narrow every cell down to from the published table."""

    bounds: dict[Hashable, Bounds]
    reason: dict[Hashable, int]  # cell → the sum that last narrowed it

    def exact(self, key: Hashable) -> bool:
        lo, hi = self.bounds[key]
        return lo == hi


def audit(
    values: Mapping[Hashable, int],
    groups: Sequence[Sequence[Hashable]],
    marks: Mapping[Hashable, str],
    min_count: int = DEFAULT_MIN_COUNT,
) -> Audit:
    """Interval narrowing over every sum, as an outsider would do it.

    Each group is a sum: its last cell is the total of the others. A shown cell is
    exact, ``<k`` is [1, k−1], ``*`` is {0} ∪ [k, ∞), ``x`` is [0, ∞). Every sum
    narrows each of its hidden cells to [S_lo − Σ_{j≠i} hi_j, S_hi − Σ_{j≠i} lo_j]
    (and the total to the sum of the parts' bounds) until nothing changes."""
    bounds = {k: _start_bounds(v, marks[k], min_count) for k, v in values.items()}
    reason: dict[Hashable, int] = {}
    live = [i for i, g in enumerate(groups) if any(marks[c] != SHOWN for c in g)]
    member: dict[Hashable, list[int]] = {}
    for i in live:
        for c in groups[i]:
            if marks[c] != SHOWN:
                member.setdefault(c, []).append(i)
    queue = deque(live)
    queued = set(live)
    while queue:
        gi = queue.popleft()
        queued.discard(gi)
        group = groups[gi]
        last = len(group) - 1
        # the sum Σ parts − total = 0, as signed terms
        terms: list[Bounds] = []
        for n, c in enumerate(group):
            lo, hi = bounds[c]
            terms.append((lo, hi) if n < last else (-hi, -lo))
        lo_fin = sum(t[0] for t in terms if t[0] != -math.inf)
        lo_inf = sum(1 for t in terms if t[0] == -math.inf)
        hi_fin = sum(t[1] for t in terms if t[1] != math.inf)
        hi_inf = sum(1 for t in terms if t[1] == math.inf)
        for n, c in enumerate(group):
            mark = marks[c]
            if mark == SHOWN:
                continue
            t_lo, t_hi = terms[n]
            if t_lo == -math.inf:
                rest_lo = -math.inf if lo_inf > 1 else lo_fin
            else:
                rest_lo = -math.inf if lo_inf else lo_fin - t_lo
            if t_hi == math.inf:
                rest_hi = math.inf if hi_inf > 1 else hi_fin
            else:
                rest_hi = math.inf if hi_inf else hi_fin - t_hi
            # this term = −(the rest)
            new_lo, new_hi = -rest_hi, -rest_lo
            if n == last:
                new_lo, new_hi = -new_hi, -new_lo
            old = bounds[c]
            lo, hi = max(old[0], new_lo), min(old[1], new_hi)
            if mark == SECONDARY:
                lo, hi = _snap(lo, hi, min_count)
            if (lo, hi) != old and lo <= hi:
                bounds[c] = (lo, hi)
                reason[c] = gi
                for other in member.get(c, ()):
                    if other not in queued:
                        queued.add(other)
                        queue.append(other)
    return Audit(bounds, reason)


def exposed(
    values: Mapping[Hashable, int],
    marks: Mapping[Hashable, str],
    found: Audit,
    min_count: int = DEFAULT_MIN_COUNT,
) -> list[Hashable]:
    """Hidden cells holding 1 … min_count − 1 whose exact value can be worked out."""
    return [
        k for k, v in values.items() if marks[k] != SHOWN and 0 < v < min_count and found.exact(k)
    ]


def _hide_singles(
    values: Mapping[Hashable, int], groups: Sequence[Sequence[Hashable]], marks: dict[Hashable, str]
) -> None:
    """No sum may have exactly one hidden cell: hide its smallest other cell too."""
    changed = True
    while changed:
        changed = False
        for group in groups:
            hidden = [k for k in group if marks[k] != SHOWN]
            if len(hidden) != 1:
                continue
            candidates = [k for k in group if marks[k] == SHOWN]
            if not candidates:
                continue
            # smallest non-zero first; zeros only when nothing else remains
            choice = min(candidates, key=lambda k: (values[k] == 0, values[k]))
            marks[choice] = SECONDARY
            changed = True


def _remedy(
    cell: Hashable,
    values: Mapping[Hashable, int],
    groups: Sequence[Sequence[Hashable]],
    marks: dict[Hashable, str],
    found: Audit,
    margins: set[Hashable],
    member: Mapping[Hashable, Sequence[int]],
) -> bool:
    """Hide one more cell in a sum that pins ``cell`` (following the chain of sums
    that pinned the other hidden cells of it); True when something was hidden.

    The sum's total is hidden if shown, else its smallest shown non-zero cell; the
    ``margins`` (totals of several sums, such as the monthly consultation totals) are
    hidden only when nothing else in the chain can be."""
    seen: set[int] = set()
    first: int | None = found.reason.get(cell)
    fallback: Hashable | None = None
    # the sum that pinned the cell first, then its other sums, then those of the
    # hidden cells that helped pin it
    queue: deque[tuple[Hashable, int]] = deque()
    if first is not None:
        queue.append((cell, first))
    queue.extend((cell, gi) for gi in member.get(cell, ()))
    while queue:
        x, gi = queue.popleft()
        if gi in seen:
            continue
        seen.add(gi)
        group = groups[gi]
        total = group[-1]
        visible = [p for p in group[:-1] if marks[p] == SHOWN and values[p] != 0]
        choices = ([total] if marks[total] == SHOWN else []) + sorted(
            visible, key=lambda k: values[k]
        )
        for choice in choices:
            if choice not in margins:
                marks[choice] = SECONDARY
                return True
            if fallback is None:
                fallback = choice
        for p in group:
            if p != x and marks[p] != SHOWN and found.exact(p):
                if p in found.reason:
                    queue.append((p, found.reason[p]))
                queue.extend((p, other) for other in member.get(p, ()))
    if fallback is not None:
        marks[fallback] = SECONDARY
        return True
    if first is None:
        return False
    # Every cell of the pinning sum is hidden, yet the "<k" marks alone fix it (e.g. a
    # row 1 + 1 = 2, all "<3"): withhold the whole sum as "x", zeros included, so "x"
    # says nothing about the size of a cell.
    changed = False
    for p in groups[first]:
        if (marks[p] == SHOWN and values[p] != 0) or marks[p] == WITHHELD:
            continue
        marks[p] = WITHHELD
        changed = True
    return changed


def suppress(
    values: Mapping[Hashable, int],
    groups: Iterable[Sequence[Hashable]],
    min_count: int = DEFAULT_MIN_COUNT,
) -> dict[Hashable, str]:
    """Mark each cell SHOWN, PRIMARY (1 ≤ n < min_count), SECONDARY or WITHHELD.

    ``groups`` are additive relations, the last cell of each being the sum of the
    others (cells of a row and its total; the rows of an exclusive table and the
    overall total). First no sum may keep a single hidden cell (the smallest other
    cell is hidden too, a non-zero one first). Then the ``audit`` narrows every hidden
    cell as an outsider would, knowing that "<k" is 1 … k−1 and "*" is 0 or ≥ k;
    while a count below ``min_count`` can still be worked out exactly, one more cell
    of a sum that pins it is hidden (its total if shown, else its smallest shown
    non-zero cell); a sum made only of hidden cells is withheld as "x". Hiding only
    grows, so this ends. Cells shared by several tables carry one key, so they are
    hidden alike.
    """
    if min_count < 3:
        raise ValueError("min_count must be at least 3")
    marks = {k: PRIMARY if 0 < v < min_count else SHOWN for k, v in values.items()}
    group_list = [list(g) for g in groups]
    as_total: dict[Hashable, int] = {}
    for g in group_list:
        as_total[g[-1]] = as_total.get(g[-1], 0) + 1
    margins = {k for k, n in as_total.items() if n > 1}
    member: dict[Hashable, list[int]] = {}
    for i, g in enumerate(group_list):
        for k in g:
            member.setdefault(k, []).append(i)
    _hide_singles(values, group_list, marks)
    # a cell changes mark at most twice (shown → * → x, <k → x), so this bound is loose
    for _ in range(2 * len(marks) + 1):
        found = audit(values, group_list, marks, min_count)
        leaks = exposed(values, marks, found, min_count)
        if not leaks:
            return marks
        changed = False
        done: set[int] = set()
        for cell in leaks:
            # one remedy per pinning sum a round: the next audit shows what is left
            reason = found.reason.get(cell)
            if reason is not None and reason in done:
                continue
            if reason is not None:
                done.add(reason)
            changed |= _remedy(cell, values, group_list, marks, found, margins, member)
        _hide_singles(values, group_list, marks)
        if not changed:
            break
    # Not reached on any table seen; should it ever be, nothing is published.
    return dict.fromkeys(marks, WITHHELD)


def display(value: int, mark: str, min_count: int) -> str:
    if mark == PRIMARY:
        return f"<{min_count}"
    if mark == SECONDARY:
        return SECONDARY_MARK
    if mark == WITHHELD:
        return WITHHELD_MARK
    return str(value)


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
        if yc.fiscal_year == stats.fiscal_year and _has(stats, "kind"):
            # "other" of 図1 is the sum of the kind table's remaining rows
            rest = [
                _cell("kind", r.key, "year")
                for r in stats.table("kind").rows
                if r.key not in ("dv", "kokoro")
            ]
            space.groups.append([*rest, _series_key(stats, yc.fiscal_year, "other")])
    return space


def _has(stats: YearStats, key: str) -> bool:
    return any(t.key == key for t in stats.tables)


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
    space = cell_space(stats)
    marks = suppress(space.values, space.groups, min_count)
    cells = {k: display(v, marks[k], min_count) for k, v in space.values.items()}
    return PublishedStats(stats, min_count, cells, marks)


# --- CSV ----------------------------------------------------------------------------


def csv_rows(published: PublishedStats) -> list[list[str]]:
    """The CSV as rows of strings: aggregates only, suppressed."""
    stats = published.stats
    fy = stats.fiscal_year
    rows: list[list[str]] = [
        [f"{fy}年度（{fy}年4月〜{fy + 1}年3月）相談統計"],
        ["表", "区分", *stats.month_labels(), "年度計"],
    ]
    for table in stats.tables:
        for row in table.rows:
            rows.append(
                [
                    table.title,
                    row.label,
                    *(published.cell(table.key, row.key, i) for i in range(12)),
                    published.cell(table.key, row.key, "year"),
                ]
            )
    if stats.series:
        rows.append([])
        rows.append(["表", "区分", *(f"{yc.fiscal_year}年度" for yc in stats.series)])
        for what, label in (
            ("dv", LABELS["kind"]["dv"]),
            ("kokoro", LABELS["kind"]["kokoro"]),
            ("other", "その他の相談"),
            ("total", "合計"),
        ):
            rows.append(
                [
                    "年度別相談件数（図1）",
                    label,
                    *(published.series_cell(yc.fiscal_year, what) for yc in stats.series),
                ]
            )
    rows.append([])
    rows.append(
        [
            "注",
            f"<{published.min_count}: 1〜{published.min_count - 1}件（個人の特定を防ぐため秘匿）",
        ]
    )
    rows.append(
        [
            "注",
            f"{SECONDARY_MARK}: 他の欄からの逆算を防ぐため秘匿"
            f"（0件または{published.min_count}件以上）",
        ]
    )
    rows.append(
        ["注", f"{WITHHELD_MARK}: 合計との関係から逆算できるため秘匿（0件を含め件数は問わない）"]
    )
    return rows


def to_csv(published: PublishedStats) -> bytes:
    """UTF-8 with a BOM, so spreadsheet programs open the Japanese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(csv_rows(published))
    return buffer.getvalue().encode("utf-8-sig")


# --- the session-facing wrapper ----------------------------------------------------


def municipality_of(session: Any) -> Any | None:
    """The session's settings (``session.municipality``, kept in the vault; a stand-in
    may hold an id of a bundled file), or None when they cannot be read."""
    from intake_app.domain.municipality import resolve_municipality

    try:
        return resolve_municipality(getattr(session, "municipality", None))
    except Exception:  # a missing or broken file: defaults apply
        return None


class Stats:
    """``session.stats``: supervisor-only, audited statistics reads."""

    def __init__(self, session: Any) -> None:
        self._session = session

    def destinations(self) -> dict[str, str]:
        """Referral destination ids → names, in the settings' order (disabled ones too:
        old referrals name them)."""
        municipality = municipality_of(self._session)
        return {str(d.id): str(d.name) for d in getattr(municipality, "destinations", ()) or ()}

    def centre_name(self) -> str:
        municipality = municipality_of(self._session)
        centre = getattr(municipality, "centre", None)
        return str(getattr(centre, "name", "") or "")

    def year(self, fiscal_year: int) -> YearStats:
        """Every figure of ``fiscal_year`` (audited ``stats_view``)."""
        self._session.require_supervisor()
        destinations = self.destinations()
        with self._session.read("stats_view", f"FY{fiscal_year}") as conn:
            return year_stats(conn, fiscal_year, destinations=destinations)

    def fiscal_years(self) -> list[int]:
        self._session.require_supervisor()
        with self._session.read("stats_years") as conn:
            return fiscal_years(conn)

    def record_export(self, fiscal_year: int, fmt: str, min_count: int) -> None:
        """The audit entry of an export: the year and format, never a figure."""
        self._session.require_supervisor()
        self._session.audit("stats_export", f"FY{fiscal_year}:{fmt}", detail=f"min={min_count}")
