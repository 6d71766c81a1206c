"""文書番号: one counter per fiscal year, kept in the vault, each number audited.

``next_document_number(session, kind)`` takes the next number of the fiscal year of
``today`` in its own transaction, formats it with the centre's format (e.g.
蕨市協第12号) and writes the audit entry ``document_number`` (object ``FY2026:12``,
detail ``kind=<paper kind>``) with it. A paper's number is on the page before the
preview opens, while the ``print`` entry is written after the printer took the job, so
the two cannot share a transaction; a number taken for a paper that is then not
printed stays in the register (an issued number with no ``print`` entry: a 欠番 the
audit log shows). ``allocate`` does the same inside a transaction the caller holds,
for a paper rendered at print time.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import sqlcipher3

from intake_app.domain.document_number import format_document_number
from intake_app.domain.japanese import fiscal_year
from intake_app.store.audit import now_iso
from intake_app.store.connection import Connection, map_error
from intake_app.store.settings import SettingsError

if TYPE_CHECKING:
    from intake_app.store.session import Session

ACTION = "document_number"
_KIND_RE = re.compile(r"^[a-z][a-z0-9_]{0,47}$")


def _check(session: Session, kind: str) -> str:
    if not _KIND_RE.match(kind):
        raise ValueError(f"unknown paper kind: {kind!r}")
    fmt = session.municipality.centre.document_number_format
    if not fmt:
        raise SettingsError(
            "文書番号の形式が設定されていません。"
            "管理者メニュー →「設定」→「センター」で設定してください。"
        )
    return fmt


def _next(conn: Connection, year: int) -> int:
    row = conn.execute(
        "SELECT coalesce(max(number), 0) + 1 FROM document_numbers WHERE fiscal_year = ?",
        (year,),
    ).fetchone()
    return int(row[0])


def _insert(
    conn: Connection, session: Session, year: int, number: int, kind: str, text: str
) -> None:
    conn.execute(
        "INSERT INTO document_numbers (fiscal_year, number, kind, text, issued_at, user_id)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (year, number, kind, text, now_iso(), session.user.id or None),
    )


def next_document_number(session: Session, kind: str, *, today: dt.date | None = None) -> str:
    """The next 文書番号 of the fiscal year for a paper of ``kind`` (a ``documents.KINDS``
    id), e.g. 蕨市協第12号; ``SettingsError`` when the centre has no format yet."""
    fmt = _check(session, kind)
    year = fiscal_year(today or dt.date.today())
    with session._mutex:
        try:
            number = _next(session._require(), year)
        except sqlcipher3.Error as exc:
            raise map_error(exc) from exc
        text = format_document_number(fmt, number, year)
        with session.transaction(ACTION, f"FY{year}:{number}", detail=f"kind={kind}") as conn:
            _insert(conn, session, year, number, kind, text)
    return text


def allocate(session: Session, conn: Connection, kind: str, *, today: dt.date | None = None) -> str:
    """``next_document_number`` inside the caller's open ``session.transaction``: the
    number and its audit entry commit (or roll back) with the caller's change."""
    fmt = _check(session, kind)
    year = fiscal_year(today or dt.date.today())
    number = _next(conn, year)
    text = format_document_number(fmt, number, year)
    _insert(conn, session, year, number, kind, text)
    session._chain_append_extra(conn, ACTION, f"FY{year}:{number}", f"kind={kind}")
    return text


def issued(session: Session, year: int) -> list[tuple[int, str, str]]:
    """The numbers issued in fiscal year ``year``: (number, text, kind) (supervisor, audited)."""
    session.require_supervisor()
    with session.read("document_numbers_view", f"FY{year}") as conn:
        rows = conn.execute(
            "SELECT number, text, kind FROM document_numbers WHERE fiscal_year = ? ORDER BY number",
            (year,),
        ).fetchall()
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]
