"""A stand-in session over plain sqlite3 with the vault Session's transaction/read API."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intake_app.store.records import Records
from tests.schema import apply_schema


@dataclass
class FakeUser:
    id: int = 1
    name: str = "tanaka"
    role: str = "counselor"


class FakeSession:
    """Audits like the vault (same transaction), on an unencrypted connection."""

    def __init__(self, path: Path | str = ":memory:") -> None:
        self.conn = sqlite3.connect(str(path), isolation_level=None)
        self.conn.row_factory = sqlite3.Row  # like the vault's connections
        self.conn.execute("PRAGMA foreign_keys = ON")
        if not self.conn.execute("PRAGMA user_version").fetchone()[0]:
            apply_schema(self.conn)
        self.user = FakeUser()
        self.municipality: Any = None
        self.records = Records(self)

    @contextmanager
    def _tx(self, action: str | None, object_id: Any) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            if action is not None:  # like the vault: the entry is written after the body
                oid = None if object_id is None else str(object_id)
                self.conn.execute(
                    "INSERT INTO audit_log (action, object_id) VALUES (?, ?)", (action, oid)
                )
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def transaction(self, action: str, object_id: Any = None) -> Any:
        return self._tx(action, object_id)

    def read(self, action: str, object_id: Any = None) -> Any:
        return self._tx(action, object_id)

    def draft_transaction(self) -> Any:
        return self._tx(None, None)

    def audit_entries(self) -> list[tuple[str, str | None]]:
        rows = self.conn.execute("SELECT action, object_id FROM audit_log ORDER BY id")
        return [(r["action"], r["object_id"]) for r in rows]

    def close(self) -> None:
        self.conn.close()
