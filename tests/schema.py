"""The product's schema on a plain SQLite connection, for the stand-in sessions of tests."""

from __future__ import annotations

import sqlite3

from intake_app.store import migrations


def apply_schema(conn: sqlite3.Connection) -> None:
    """Every migration in order, then the stand-ins' narrow audit table (no MAC chain)."""
    scripts = [m.path.read_text("utf-8") for m in migrations.available()]
    version = len(scripts)
    conn.executescript(
        "BEGIN;"
        + ";\n".join(scripts)
        + ";\nDROP TABLE audit_log;"
        + " CREATE TABLE audit_log (id INTEGER PRIMARY KEY, action TEXT NOT NULL, object_id TEXT);"
        + f" PRAGMA user_version = {version}; COMMIT;"
    )
