"""Reading the audit log a page at a time: the supervisor's filters run in SQL.

The log grows with every read and write (tens of millions of entries after a decade
at a busy centre), so nothing here loads it whole. Every filter the audit tab offers
has an index in time order (``0007_scale_indexes.sql``): the date range
(``audit_log_at``), the user (``audit_log_user_name_at``), the action
(``audit_log_action_at``) and the object (``audit_log_object_at``). A page is the
newest ``limit`` entries of an index range older than a cursor (keyset paging: the
``(at, seq)`` of the last entry shown), so every page costs about the same, however
far back it is. The lists of users and actions for the filters jump from one value
to the next in those indexes (k lookups for k values, never a scan).

Every read is audited (``audit_log_view``; the export ``audit_export`` is written by
the caller with the file), and supervisors only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from intake_app.store.audit import AuditEntry
from intake_app.store.connection import Connection

PAGE_SIZE = 100
VIEW_ACTION = "audit_log_view"
_COLUMNS = "seq, at, user_id, user_name, action, object_id, detail, mac"


class AuditSession(Protocol):
    """The part of ``store.session.Session`` the audit log reads use."""

    def require_supervisor(self) -> None: ...

    def read(self, action: str, object_id: object = None) -> AbstractContextManager[Connection]: ...


@dataclass(frozen=True)
class AuditFilter:
    """What the supervisor asks for: local days ``start``..``end`` (both included) and,
    when not empty, one user name, one action and one object. ``object_id`` matches the
    object and its parts: ``case:12`` finds ``case:12`` and ``case:12:slip``, never
    ``case:120``."""

    start: dt.date
    end: dt.date
    user_name: str = ""
    action: str = ""
    object_id: str = ""

    def bounds(self) -> tuple[str, str]:
        """The local days as the UTC text the entries are stored with (``now_iso``)."""
        return _utc_text(self.start), _utc_text(self.end + dt.timedelta(days=1))


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the time and number of its oldest entry."""

    at: str
    seq: int

    @staticmethod
    def after(entry: AuditEntry) -> Cursor:
        return Cursor(entry.at, entry.seq)


@dataclass(frozen=True)
class AuditPage:
    """Entries newest first; ``older`` is the cursor of the next page, or None at the end."""

    entries: list[AuditEntry]
    older: Cursor | None


def _utc_text(day: dt.date) -> str:
    local_midnight = dt.datetime.combine(day, dt.time()).astimezone()
    return local_midnight.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _where(flt: AuditFilter, cursor: Cursor | None) -> tuple[str, list[Any]]:
    low, high = flt.bounds()
    terms = ["at >= ?", "at < ?"]
    params: list[Any] = [low, high]
    if flt.user_name:
        terms.append("user_name = ?")
        params.append(flt.user_name)
    if flt.action:
        terms.append("action = ?")
        params.append(flt.action)
    if cursor is not None:
        # "at <= ?" bounds the index range (a row value alone would only filter it)
        terms.append("at <= ? AND (at < ? OR seq < ?)")
        params += [cursor.at, cursor.at, cursor.seq]
    return " AND ".join(terms), params


def _select(flt: AuditFilter, cursor: Cursor | None, limit: int | None) -> tuple[str, list[Any]]:
    """The query of one page (or of everything, ``limit`` None), newest first.

    With an object the two ranges of ``audit_log_object_at`` (the object itself, and
    its parts ``object:…``) are read separately and merged, each forced onto that
    index: the planner, knowing nothing of the values, would otherwise read the parts'
    range through the date index (every entry of the period)."""
    where, params = _where(flt, cursor)
    tail = " ORDER BY at DESC, seq DESC" + (" LIMIT ?" if limit is not None else "")
    if not flt.object_id:
        sql = f"SELECT {_COLUMNS} FROM audit_log WHERE {where}{tail}"  # noqa: S608
        return sql, params + ([limit] if limit is not None else [])
    table = "audit_log INDEXED BY audit_log_object_at"
    own = f"SELECT {_COLUMNS} FROM {table} WHERE object_id = ? AND {where}"  # noqa: S608
    parts = (
        f"SELECT {_COLUMNS} FROM {table} "  # noqa: S608 - fixed names
        f"WHERE object_id > ? AND object_id < ? AND {where}"
    )
    sql = f"SELECT * FROM ({own} UNION ALL {parts}){tail}"  # noqa: S608
    return sql, [
        flt.object_id,
        *params,
        flt.object_id + ":",
        flt.object_id + ";",  # ';' follows ':' : the range of "object:…"
        *params,
        *([limit] if limit is not None else []),
    ]


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        seq=row["seq"],
        at=row["at"],
        user_id=row["user_id"],
        user_name=row["user_name"],
        action=row["action"],
        object_id=row["object_id"],
        detail=row["detail"],
        mac=bytes(row["mac"]),
    )


def read_page(
    conn: Connection, flt: AuditFilter, cursor: Cursor | None = None, limit: int = PAGE_SIZE
) -> AuditPage:
    """One page of ``flt`` older than ``cursor`` (the newest page when None)."""
    sql, params = _select(flt, cursor, limit + 1)
    rows = conn.execute(sql, params).fetchall()
    entries = [_entry(r) for r in rows[:limit]]
    older = Cursor.after(entries[-1]) if len(rows) > limit and entries else None
    return AuditPage(entries, older)


def iter_entries(conn: Connection, flt: AuditFilter) -> Iterator[AuditEntry]:
    """Every entry of ``flt``, newest first, streamed (the CSV export)."""
    sql, params = _select(flt, None, None)
    for row in conn.execute(sql, params):
        yield _entry(row)


# The next value after ``x`` in an index whose first column is the value: one lookup.
_DISTINCT_SQL = (
    "WITH RECURSIVE v(x) AS ("
    " SELECT min({col}) FROM audit_log"
    " UNION ALL"
    " SELECT (SELECT min({col}) FROM audit_log WHERE {col} > v.x) FROM v WHERE v.x IS NOT NULL)"
    " SELECT x FROM v WHERE x IS NOT NULL"
)


def distinct_values(conn: Connection, column: str) -> list[str]:
    """The user names or actions in the log, sorted (k index lookups for k values)."""
    if column not in ("user_name", "action"):
        raise ValueError(column)
    return [str(r[0]) for r in conn.execute(_DISTINCT_SQL.format(col=column)).fetchall()]


# --- audited entry points for the supervisor's screens ----------------------------------


def page(
    session: AuditSession,
    flt: AuditFilter,
    cursor: Cursor | None = None,
    limit: int = PAGE_SIZE,
) -> AuditPage:
    """One page of the filtered log (supervisors only; audited ``audit_log_view``)."""
    session.require_supervisor()
    with session.read(VIEW_ACTION, f"page:{cursor.seq}" if cursor else "page:1") as conn:
        return read_page(conn, flt, cursor, limit)


def filter_choices(session: AuditSession) -> tuple[list[str], list[str]]:
    """The user names and the actions found in the log, for the filters."""
    session.require_supervisor()
    with session.read(VIEW_ACTION, "choices") as conn:
        return distinct_values(conn, "user_name"), distinct_values(conn, "action")


def all_entries(session: AuditSession, flt: AuditFilter) -> list[AuditEntry]:
    """Every entry of ``flt`` for the export (supervisors only; audited)."""
    session.require_supervisor()
    with session.read(VIEW_ACTION, "export") as conn:
        return list(iter_entries(conn, flt))
