"""A case's life after its first intake: closing (終結), reopening (再開) and follow-ups.

Each change keeps its history: a close or reopen is a ``case_events`` row with its
reason, a follow-up stays listed with its completion date. ``Records`` wraps each
function in an audited write transaction.
"""

from __future__ import annotations

import datetime as dt

from intake_app.store.connection import Connection
from intake_app.store.errors import CaseStateError, RecordNotFound
from intake_app.store.records.stored import inserted_id, now


def change_status(
    conn: Connection, case_id: int, kind: str, reason: str, on: dt.date, user_id: int | None
) -> None:
    """``kind`` "close" (an open case) or "reopen" (a closed one), with a required reason."""
    if not reason.strip():
        raise CaseStateError("理由を入力してください")
    wanted = "open" if kind == "close" else "closed"
    row = conn.execute("SELECT status FROM cases WHERE id = ?", (case_id,)).fetchone()
    if row is None:
        raise RecordNotFound("ケース")
    if row["status"] != wanted:
        raise CaseStateError(
            "このケースはすでに終結しています"
            if kind == "close"
            else "このケースは終結していません"
        )
    day = on.isoformat()
    if kind == "close":
        conn.execute(
            "UPDATE cases SET status = 'closed', closed_on = ?, close_reason = ?,"
            " updated_at = ? WHERE id = ?",
            (day, reason, now(), case_id),
        )
    else:
        conn.execute(
            "UPDATE cases SET status = 'open', closed_on = NULL, close_reason = NULL,"
            " reopened_on = ?, reopen_reason = ?, updated_at = ? WHERE id = ?",
            (day, reason, now(), case_id),
        )
    conn.execute(
        "INSERT INTO case_events (case_id, kind, reason, at, user_id) VALUES (?, ?, ?, ?, ?)",
        (case_id, kind, reason, now(), user_id),
    )


def add_follow_up(
    conn: Connection, case_id: int, due_on: dt.date, note: str, user_id: int | None
) -> int:
    if conn.execute("SELECT 1 FROM cases WHERE id = ?", (case_id,)).fetchone() is None:
        raise RecordNotFound("ケース")
    cur = conn.execute(
        "INSERT INTO follow_ups (case_id, due_on, note, created_by) VALUES (?, ?, ?, ?)",
        (case_id, due_on.isoformat(), note, user_id),
    )
    return inserted_id(cur)


def complete_follow_up(
    conn: Connection, follow_up_id: int, done_on: dt.date, user_id: int | None
) -> None:
    cur = conn.execute(
        "UPDATE follow_ups SET done_on = ?, done_by = ? WHERE id = ?",
        (done_on.isoformat(), user_id, follow_up_id),
    )
    if cur.rowcount != 1:
        raise RecordNotFound("フォローアップ")
