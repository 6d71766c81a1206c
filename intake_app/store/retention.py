"""Retention: closed cases kept for the configured years, then destroyed.

A case is eligible when it is closed and its ``closed_on`` lies more than
``retention_years`` (the centre's settings in the vault, default 5) before today. The supervisor
sees the list and confirms; each case is then deleted with everything that hangs
off it (consultations, intake JSON, children, assessments, referrals, follow-ups,
drafts, support measures) and its client when no other case refers to them.
``secure_delete`` (set on every connection) overwrites the freed pages, and a
VACUUM plus a truncating WAL checkpoint afterwards leaves no old page behind.
The audit entry of each destruction keeps only the case number and the date.

Also here: the backup reminder of the home screen (``backup_overdue``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from intake_app.domain.errors import UserError
from intake_app.store.connection import Connection, Row
from intake_app.store.session import Session
from intake_app.store.stats import HasMunicipality, municipality_of

DEFAULT_RETENTION_YEARS = 5
DEFAULT_BACKUP_REMINDER_DAYS = 7
DESTROY_ACTION = "case_destroyed"


class RetentionError(UserError):
    """A destruction request that must not run; ``message`` is Japanese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


@dataclass(frozen=True)
class Candidate:
    case_id: int
    case_number: str
    closed_on: dt.date


def retention_years(session: HasMunicipality) -> int:
    municipality = municipality_of(session)
    years = municipality.retention_years if municipality is not None else 0
    return years if years > 0 else DEFAULT_RETENTION_YEARS


def backup_reminder_days(session: HasMunicipality) -> int:
    municipality = municipality_of(session)
    days = municipality.backup_reminder_days if municipality is not None else 0
    return days if days > 0 else DEFAULT_BACKUP_REMINDER_DAYS


def cutoff(today: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February → 28 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


_ELIGIBLE_SQL = (
    "SELECT id, case_number, closed_on FROM cases "
    "WHERE status = 'closed' AND closed_on IS NOT NULL AND closed_on < ? "
    "ORDER BY closed_on, id"
)


def _candidates(conn: Connection, limit_day: dt.date) -> list[Candidate]:
    rows = conn.execute(_ELIGIBLE_SQL, (limit_day.isoformat(),)).fetchall()
    return [_candidate(r) for r in rows]


def _candidate(row: Row) -> Candidate:
    return Candidate(row["id"], row["case_number"], dt.date.fromisoformat(row["closed_on"]))


PAGE_SIZE = 100

# One page in the order of cases_status_closed (status, closed_on, then id through the
# rowid): keyset paging after the last case shown, an index range read, never a sort.
_PAGE_SQL = (
    "SELECT id, case_number, closed_on FROM cases "
    "WHERE status = 'closed' AND closed_on IS NOT NULL AND closed_on < ? "
    "AND closed_on >= ? AND (closed_on > ? OR id > ?) "
    "ORDER BY closed_on, id LIMIT ?"
)
_COUNT_SQL = (
    "SELECT count(*) FROM cases WHERE status = 'closed' AND closed_on IS NOT NULL AND closed_on < ?"
)


@dataclass(frozen=True)
class CandidatePage:
    """Eligible cases, oldest closing first; ``total`` counts every eligible case and
    ``more`` tells whether cases follow the last one of this page."""

    candidates: list[Candidate]
    total: int
    more: bool


def eligible_page(
    session: Session,
    today: dt.date,
    after: Candidate | None = None,
    *,
    limit: int = PAGE_SIZE,
    years: int | None = None,
) -> CandidatePage:
    """The eligible cases that follow ``after`` (the first page when None), at most
    ``limit``; supervisor only, audited like ``eligible``."""
    session.require_supervisor()
    years = retention_years(session) if years is None else years
    limit_day = cutoff(today, years).isoformat()
    first = ("", 0) if after is None else (after.closed_on.isoformat(), after.case_id)
    with session.read("retention_list", f"before:{limit_day}") as conn:
        rows = conn.execute(_PAGE_SQL, (limit_day, first[0], first[0], first[1], limit + 1))
        found = [_candidate(r) for r in rows.fetchall()]
        total = int(conn.execute(_COUNT_SQL, (limit_day,)).fetchone()[0])
    return CandidatePage(found[:limit], total, len(found) > limit)


def eligible(session: Session, today: dt.date, years: int | None = None) -> list[Candidate]:
    """Closed cases whose retention period has passed (supervisor only, audited)."""
    session.require_supervisor()
    years = retention_years(session) if years is None else years
    with session.read("retention_list", f"before:{cutoff(today, years).isoformat()}") as conn:
        return _candidates(conn, cutoff(today, years))


def destroy(
    session: Session, case_ids: Iterable[int], today: dt.date, years: int | None = None
) -> int:
    """Delete the confirmed cases; refuses any id that is not eligible today.

    Each case goes in its own transaction with its audit entry (action
    ``case_destroyed``, object id the case number, detail the date), so an
    interruption leaves every case either whole or gone. Returns the number deleted.
    """
    session.require_supervisor()
    years = retention_years(session) if years is None else years
    wanted = sorted(set(case_ids))
    limit_day = cutoff(today, years)
    if not _secure_delete_on(session):
        raise RetentionError("安全な削除の設定（secure_delete）が無効なため、削除を中止しました。")
    numbers: dict[int, str] = {}
    for case_id in wanted:  # all checked first: a refusal deletes nothing
        row = _case_row(session, case_id)
        if row is None:
            raise RetentionError("指定されたケースは存在しません。")
        number, status, closed_on = row
        if status != "closed" or closed_on is None or closed_on >= limit_day.isoformat():
            raise RetentionError(f"ケース {number} は保存期間が過ぎていないため削除できません。")
        numbers[case_id] = number
    deleted = 0
    for case_id, number in numbers.items():
        with session.transaction(DESTROY_ACTION, number, detail=today.isoformat()) as conn:
            # re-checked inside the write transaction: nothing reopened it meanwhile
            again = conn.execute(
                "SELECT client_id FROM cases WHERE id = ? AND status = 'closed' "
                "AND closed_on IS NOT NULL AND closed_on < ?",
                (case_id, limit_day.isoformat()),
            ).fetchone()
            if again is None:
                raise RetentionError(f"ケース {number} は削除の条件を満たさなくなりました。")
            client_id = again["client_id"]
            conn.execute("DELETE FROM cases WHERE id = ?", (case_id,))
            left = conn.execute(
                "SELECT 1 FROM cases WHERE client_id = ? LIMIT 1", (client_id,)
            ).fetchone()
            if left is None:
                conn.execute("DELETE FROM clients WHERE id = ?", (client_id,))
        deleted += 1
    if deleted:
        compact(session)
    return deleted


def _case_row(session: Session, case_id: int) -> tuple[str, str, str | None] | None:
    with session.unaudited() as conn:
        row = conn.execute(
            "SELECT case_number, status, closed_on FROM cases WHERE id = ?", (case_id,)
        ).fetchone()
    return None if row is None else (row["case_number"], row["status"], row["closed_on"])


def _secure_delete_on(session: Session) -> bool:
    with session.unaudited() as conn:
        row = conn.execute("PRAGMA secure_delete").fetchone()
    return row is not None and int(row[0]) == 1


def compact(session: Session) -> None:
    """VACUUM and a truncating checkpoint: no freed page survives in the file or the WAL."""
    with session.unaudited() as conn:
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


# --- the backup reminder ------------------------------------------------------------


def last_backup_on(session: Session) -> dt.date | None:
    """The local date of the newest ``backup`` audit entry, or None if there is none."""
    with session.unaudited() as conn:
        row = conn.execute(
            "SELECT at FROM audit_log WHERE action = 'backup' ORDER BY at DESC, seq DESC LIMIT 1"
        ).fetchone()
    if row is None:
        return None
    at = dt.datetime.fromisoformat(row["at"])
    if at.tzinfo is not None:
        at = at.astimezone()
    return at.date()


def backup_overdue(session: Session, today: dt.date, days: int | None = None) -> bool:
    """True when the last backup is more than ``days`` (default from the municipality
    file, else 7) before ``today``, or when no backup was ever made."""
    days = backup_reminder_days(session) if days is None else days
    last = last_backup_on(session)
    return last is None or (today - last).days > days
