"""How the records store values: dates as ISO text, yes/no as 0/1, lists as JSON, and
the whole intake as compressed JSON (``consultation_details.intake``, 0001_initial.sql)."""

from __future__ import annotations

import datetime as dt
import sqlite3

from intake_app.store.intake_blob import pack_intake, to_json, unpack_intake

__all__ = ["pack_intake", "to_json", "unpack_intake"]


def now() -> str:
    """The current time as stored in ``created_at`` / ``updated_at`` columns."""
    return dt.datetime.now().isoformat(timespec="seconds")


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row an ``INSERT`` just wrote."""
    if cursor.lastrowid is None:  # pragma: no cover - an INSERT always sets it
        raise RuntimeError("no row was inserted")
    return cursor.lastrowid


def flag(value: bool | None) -> int | None:
    """A yes/no/unknown answer as 1/0/NULL."""
    return None if value is None else int(value)


def opt_flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def opt_day(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)
