"""The benchmarks' bulk builder (bench/bulk.py) writes what the real path writes.

The benchmark figures at a million consultations rest on data built by the bulk
path; these tests show it is the data ``intake-app demo-data`` (``fill`` through
``Records``) writes for the same seed, row for row, in the plain file, in the bare
SQLCipher copy and in the vault, and that the vault it makes is a valid training
vault whose audit chain (with the synthetic audit entries) verifies.
"""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from intake_app.commands.demo import fill
from tests.unit.store.records_support import create_vault, open_vault

ROOT = Path(__file__).resolve().parents[3]
COUNT = 1200  # past the 500-item gap, so follow-ups of earlier cases are written too
VOLATILE = {"created_at", "updated_at"}  # the time of writing, not the data


def _bench(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bulk() -> ModuleType:
    return _bench("bulk")


def _rows(conn: Any, bulk: ModuleType) -> dict[str, list[tuple[Any, ...]]]:
    out = {}
    for table, _ in bulk.RECORD_TABLES:
        columns = [
            r[1]
            for r in conn.execute(f"PRAGMA table_info({table})").fetchall()
            if r[1] not in VOLATILE
        ]
        listed = ", ".join(columns)
        out[table] = [
            tuple(r) for r in conn.execute(f"SELECT {listed} FROM {table} ORDER BY {listed}")
        ]
    return out


class _PlainSession:
    """The records' session API over plain sqlite3, as bench/stats.py has it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.municipality = "warabi"

        class _User:
            id = 1

        self.user = _User()

    def transaction(self, action: str, object_id: object = None) -> Any:
        import contextlib

        @contextlib.contextmanager
        def tx() -> Any:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

        return tx()

    read = transaction

    def draft_transaction(self) -> Any:
        return self.transaction("draft")


@pytest.fixture(scope="module")
def real_rows(bulk: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The rows ``fill`` writes through ``Records.save_intakes`` (the real path)."""
    conn = bulk.open_plain(tmp_path_factory.mktemp("real") / "real.db")
    bulk.apply_migrations(conn)
    fill(_PlainSession(conn), COUNT, seed=5)
    rows = _rows(conn, bulk)
    conn.close()
    return rows


@pytest.mark.parametrize("parallel", [False, True])
def test_bulk_plain_file_holds_the_rows_of_the_real_path(
    bulk: ModuleType, real_rows: dict[str, Any], tmp_path: Path, parallel: bool
) -> None:
    path = tmp_path / "plain.db"
    bulk.build_plain(path, COUNT, seed=5, parallel=parallel)
    conn = bulk.open_plain(path)
    rows = _rows(conn, bulk)
    conn.close()
    assert len(rows["consultations"]) == COUNT
    follow_ups = len(rows["consultations"]) - len(rows["cases"])
    assert follow_ups > 0, "follow-ups of earlier cases are part of the comparison"
    for table, expected in real_rows.items():
        assert rows[table] == expected, table


def test_bulk_vault_and_bare_sqlcipher_hold_the_same_rows_and_verify(
    bulk: ModuleType,
    real_rows: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from intake_app.store.connection import open_connection

    plain = tmp_path / "plain.db"
    bulk.build_plain(plain, COUNT, seed=5)
    key = bytes(range(32))
    bulk.export_sqlcipher(plain, tmp_path / "bare.db", key)
    bare = open_connection(tmp_path / "bare.db", bytearray(key))  # the vault's pragmas hold
    assert _rows(bare, bulk) == real_rows
    bare.close()
    outsider = sqlite3.connect(tmp_path / "bare.db")
    with pytest.raises(sqlite3.DatabaseError):  # encrypted: unreadable without the key
        outsider.execute("SELECT count(*) FROM cases").fetchone()
    outsider.close()

    data_dir = tmp_path / "vault"
    create_vault(data_dir, monkeypatch)
    session = open_vault(data_dir)
    try:
        bulk.copy_into_vault(session, plain)
        bulk.fill_audit(session, 3000, days=30, chunk=1000)
        with session.read("test.inspect") as conn:
            assert _rows(conn, bulk) == real_rows
        assert session.is_training()
        report = session.verify()
        assert report.ok, report.problems
        assert report.audit_entries > 3000
        session.audit("after_fill")  # the session's chain continues after the filler
    finally:
        session.close()
    reopened = open_vault(data_dir)  # the unlock checks the tail and the header's head
    assert reopened.verify().ok
    reopened.close()


def test_bulk_refuses_a_folder_built_for_another_count(bulk: ModuleType, tmp_path: Path) -> None:
    (tmp_path / bulk.MANIFEST).write_text('{"count": 10, "seed": 1, "built": {}}')
    with pytest.raises(SystemExit, match="count=10"):
        bulk.ensure_dataset(tmp_path, 20)
