"""Drafts: the wizard's unfinished answers, kept encrypted as the counselor types.

A draft is the intake as JSON (``Intake.to_dict()`` plus whatever the wizard keeps
with it), the step it was on and the case it belongs to (None for a new case).
Each counselor sees only their own drafts. ``Records`` audits creating, resuming
and deleting a draft; the updates while typing are not audited one by one.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from intake_app.store.connection import Connection
from intake_app.store.records.stored import inserted_id, now


@dataclass(frozen=True)
class DraftInfo:
    """One line of the drafts list (home screen)."""

    id: int
    case_id: int | None
    case_number: str | None
    step: int
    client_name: str
    updated_at: dt.datetime
    gender: str | None = None  # as typed so far: step 6's title depends on it


@dataclass(frozen=True)
class Draft:
    id: int
    case_id: int | None
    step: int
    data: dict[str, Any]
    updated_at: dt.datetime


def update_draft(
    conn: Connection, draft_id: int, payload: str, step: int, case_id: int | None
) -> bool:
    """Overwrite an existing draft; False when there is no draft ``draft_id``."""
    cur = conn.execute(
        "UPDATE drafts SET data = ?, step = ?, case_id = ?, updated_at = ? WHERE id = ?",
        (payload, step, case_id, now(), draft_id),
    )
    return cur.rowcount == 1


def insert_draft(
    conn: Connection, payload: str, step: int, case_id: int | None, user_id: int | None
) -> int:
    stamp = now()
    cur = conn.execute(
        "INSERT INTO drafts (case_id, step, data, created_by, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (case_id, step, payload, user_id, stamp, stamp),
    )
    return inserted_id(cur)


def list_drafts(conn: Connection, user_id: int | None) -> list[DraftInfo]:
    """``user_id``'s drafts, newest first."""
    rows = conn.execute(
        "SELECT d.id, d.case_id, c.case_number, d.step,"
        " coalesce(json_extract(d.data, '$.client.name'), '') AS client_name, d.updated_at,"
        " json_extract(d.data, '$.client.gender') AS gender"
        " FROM drafts d LEFT JOIN cases c ON c.id = d.case_id"
        " WHERE d.created_by IS ? ORDER BY d.updated_at DESC, d.id DESC",
        (user_id,),
    ).fetchall()
    return [
        DraftInfo(
            id=r["id"],
            case_id=r["case_id"],
            case_number=r["case_number"],
            step=r["step"],
            client_name=r["client_name"] if isinstance(r["client_name"], str) else "",
            updated_at=dt.datetime.fromisoformat(r["updated_at"]),
            gender=r["gender"] if isinstance(r["gender"], str) else None,
        )
        for r in rows
    ]


def load_draft(conn: Connection, draft_id: int) -> Draft | None:
    row = conn.execute(
        "SELECT id, case_id, step, data, updated_at FROM drafts WHERE id = ?", (draft_id,)
    ).fetchone()
    if row is None:
        return None
    return Draft(
        id=row["id"],
        case_id=row["case_id"],
        step=row["step"],
        data=json.loads(row["data"]),
        updated_at=dt.datetime.fromisoformat(row["updated_at"]),
    )


def delete_draft(conn: Connection, draft_id: int) -> None:
    conn.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))
