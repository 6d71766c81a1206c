"""Statistics the city reports, counted from the narrow consultation columns.

The queries read only the narrow tables of ``0001_initial.sql`` (consultations,
violence, referrals) through their indexes, never the intake JSON, so a year over
100,000 consultations stays fast under SQLCipher. What they return is the domain's
``YearStats`` (``domain/statistics/figures.py``); suppression before anything leaves
the program is ``domain.statistics.publication.publish``, and the CSV and PDF are
written by ``documents.stats_csv`` and ``documents.stats_report``.

``Stats(session)`` is ``session.stats``: supervisor-only, audited reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from intake_app.domain.model import LABELS, UNKNOWN_LABEL
from intake_app.domain.municipality import Municipality, resolve_municipality
from intake_app.domain.statistics.figures import (
    UNKNOWN,
    Row,
    Table,
    YearCount,
    YearStats,
    month_index,
)
from intake_app.store.connection import Connection

SqlValue = str | int | float | None


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
# A man is never placed in 一時保護 (rules.md §9.9): his stays are 緊急一時避難, counted
# in a table of their own and never as 一時保護.
_RECOMMENDED = "shelter_recommendation IN ('immediate', 'recommend')"
_SHELTER = (
    ("recommended", "一時保護を勧めた", f"gender IS NOT 'male' AND {_RECOMMENDED}"),
    ("requested", "一時保護を要請した", "gender IS NOT 'male' AND shelter_requested = 1"),
)
_EMERGENCY_STAY = (
    ("men_recommended", "緊急一時避難を勧めた", f"gender = 'male' AND {_RECOMMENDED}"),
    ("men_requested", "緊急一時避難につないだ", "gender = 'male' AND shelter_requested = 1"),
)
_PROTECTION_ORDER = (("eligible", "保護命令の対象となりうると助言した", "po_eligible = 1"),)
_SUPPORT_MEASURE = (("applied", "支援措置の申出に関わった", "support_measure = 1"),)
_CHILD = (
    ("required", "児童通告が必要と判断した（面前DV等）", "child_notification = 1"),
    ("notified", "児童通告を行った", "child_notified = 1"),
)


def _zero() -> list[int]:
    return [0] * 12


def _grouped(conn: Connection, sql: str, params: Sequence[SqlValue]) -> dict[SqlValue, list[int]]:
    """Rows of (key, month, count) into key → twelve monthly counts."""
    out: dict[SqlValue, list[int]] = {}
    for key, month, count in conn.execute(sql, params).fetchall():
        out.setdefault(key, _zero())[month_index(int(month))] += int(count)
    return out


def _rows_for(
    counts: Mapping[SqlValue, list[int]], labels: Mapping[str, str], *, unknown: bool
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
        ("emergency_stay", "緊急一時避難（男性の相談者）", _EMERGENCY_STAY),
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
            applying = _grouped(  # consultations.po_intention (0007), its own index
                conn,
                "SELECT 1, month, count(*) FROM consultations "
                "WHERE fiscal_year = ? AND po_intention = 'apply' GROUP BY month",
                fy,
            )
            rows += (Row("apply", "本人に申立ての意向あり", tuple(applying.get(1, _zero()))),)
        tables.append(Table(key, title, rows, False))

    # grouped in the order of referrals_stats_month, whose third column is this very
    # expression (0007): streamed, no sort
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
    for year, kind, count in conn.execute(  # kept by triggers on consultations (0007)
        "SELECT fiscal_year, kind, count FROM consultation_year_counts "
        "WHERE fiscal_year BETWEEN ? AND ?",
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


# Each step jumps to the next smaller year with one index lookup (max() below the
# previous year), so listing k years costs k lookups, never a scan of the index.
_FISCAL_YEARS_SQL = (
    "WITH RECURSIVE y(year) AS ("
    " SELECT max(fiscal_year) FROM consultations"
    " UNION ALL"
    " SELECT (SELECT max(fiscal_year) FROM consultations WHERE fiscal_year < y.year)"
    " FROM y WHERE y.year IS NOT NULL)"
    " SELECT year FROM y WHERE year IS NOT NULL"
)


def fiscal_years(conn: Connection) -> list[int]:
    """The fiscal years that have consultations, newest first (O(k log n) for k years)."""
    return [int(r[0]) for r in conn.execute(_FISCAL_YEARS_SQL).fetchall()]


# --- the session-facing wrapper ----------------------------------------------------


class StatsSession(Protocol):
    """The part of ``store.session.Session`` the statistics use."""

    @property
    def municipality(self) -> str | Municipality | None: ...

    def require_supervisor(self) -> None: ...

    def read(self, action: str, object_id: object = None) -> AbstractContextManager[Connection]: ...

    def audit(self, action: str, object_id: object = None, detail: str | None = None) -> None: ...


class HasMunicipality(Protocol):
    @property
    def municipality(self) -> str | Municipality | None: ...


def municipality_of(session: HasMunicipality) -> Municipality | None:
    """The session's settings (``session.municipality``, kept in the vault; a stand-in
    may hold an id of a bundled file), or None when they cannot be read."""
    try:
        return resolve_municipality(session.municipality)
    except Exception:  # a missing or broken file: defaults apply
        return None


class Stats:
    """``session.stats``: supervisor-only, audited statistics reads."""

    def __init__(self, session: StatsSession) -> None:
        self._session = session

    def destinations(self) -> dict[str, str]:
        """Referral destination ids → names, in the settings' order (disabled ones too:
        old referrals name them)."""
        municipality = municipality_of(self._session)
        if municipality is None:
            return {}
        return {d.id: d.name for d in municipality.destinations}

    def centre_name(self) -> str:
        municipality = municipality_of(self._session)
        return municipality.centre.name if municipality is not None else ""

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
