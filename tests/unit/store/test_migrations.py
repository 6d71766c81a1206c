"""Migrations: applied in order after a backup copy; a newer vault refused untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from intake_app import paths
from intake_app.store import Vault, VaultError, VaultTooNew
from intake_app.store import migrations as migrations_mod
from tests.unit.store.vault_helpers import (
    FAST_ENV,
    SUPERVISOR,
    SUPERVISOR_PASS,
    data_key_hex,
    make_vault,
    raw_connection,
    snapshot,
)

REAL_MIGRATIONS = paths.migrations_dir()


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAST_ENV, "1")


@pytest.fixture()
def migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the migrations folder the test can add files to."""
    folder = tmp_path / "migrations"
    shutil.copytree(REAL_MIGRATIONS, folder)
    monkeypatch.setattr(paths, "migrations_dir", lambda: folder)
    return folder


def _version(db: Path, key: str) -> int:
    conn = raw_connection(db, key)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def _tables(db: Path, key: str) -> set[str]:
    conn = raw_connection(db, key)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def test_migration_files_are_numbered_from_0001() -> None:
    found = migrations_mod.available(REAL_MIGRATIONS)
    assert [m.version for m in found] == list(range(1, len(found) + 1))
    assert found[0].path.name == "0001_initial.sql"


def test_new_vault_is_at_the_latest_version(tmp_path: Path) -> None:
    data_dir = tmp_path / "v"
    make_vault(data_dir, counselor=False)
    key = data_key_hex(data_dir)
    assert _version(data_dir / "vault.db", key) == migrations_mod.latest_version()
    assert {"meta", "settings", "users", "audit_log"} <= _tables(data_dir / "vault.db", key)


RECORD_TABLES = {
    "clients",
    "client_aliases",
    "cases",
    "consultations",
    "consultation_details",
    "children",
    "violence",
    "threats",
    "perpetrators",
    "shelter_decisions",
    "protection_order_advice",
    "risk_assessments",
    "referrals",
    "follow_ups",
    "support_measures",
    "drafts",
}


def _indexes(db: Path, key: str) -> set[str]:
    conn = raw_connection(db, key)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    finally:
        conn.close()


def test_0001_alone_creates_the_whole_products_schema() -> None:
    import sqlite3

    conn = sqlite3.connect(":memory:")
    conn.executescript((REAL_MIGRATIONS / "0001_initial.sql").read_text("utf-8"))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"meta", "settings", "users", "audit_log"} | RECORD_TABLES <= tables


def test_upgrade_applies_in_order_after_a_backup_copy(tmp_path: Path, migrations: Path) -> None:
    data_dir = tmp_path / "v"
    make_vault(data_dir, counselor=False)
    key = data_key_hex(data_dir)
    old = migrations_mod.latest_version(migrations)
    (migrations / f"{old + 1:04d}_add_extra.sql").write_text(
        "CREATE TABLE extra (id INTEGER PRIMARY KEY, note TEXT);", encoding="utf-8"
    )
    (migrations / f"{old + 2:04d}_fill_extra.sql").write_text(
        "INSERT INTO extra (note) VALUES ('from the second migration');", encoding="utf-8"
    )
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        assert session.verify().ok
    db = data_dir / "vault.db"
    assert _version(db, key) == old + 2
    conn = raw_connection(db, key)
    assert conn.execute("SELECT note FROM extra").fetchall() == [("from the second migration",)]
    conn.close()
    backups = sorted((data_dir / "backups").glob("*.db"))
    assert len(backups) == 1
    assert _version(backups[0], key) == old
    assert "extra" not in _tables(backups[0], key)
    assert backups[0].with_suffix(".keys").exists()


def test_failed_migration_rolls_back_and_keeps_the_version(
    tmp_path: Path, migrations: Path
) -> None:
    data_dir = tmp_path / "v"
    make_vault(data_dir, counselor=False)
    key = data_key_hex(data_dir)
    old = migrations_mod.latest_version(migrations)
    bad = migrations / f"{old + 1:04d}_broken.sql"
    bad.write_text(
        "CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1);", encoding="utf-8"
    )
    with pytest.raises(VaultError) as info:
        Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS)
    assert bad.name in info.value.message
    assert _version(data_dir / "vault.db", key) == old
    assert "half_done" not in _tables(data_dir / "vault.db", key)
    bad.unlink()
    Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS).close()


def test_newer_vault_refused_and_not_modified(tmp_path: Path) -> None:
    data_dir = tmp_path / "v"
    make_vault(data_dir, counselor=False)
    key = data_key_hex(data_dir)
    conn = raw_connection(data_dir / "vault.db", key)
    newer = migrations_mod.latest_version() + 1
    conn.execute(f"PRAGMA user_version = {newer}")
    conn.close()
    before = snapshot(data_dir)
    with pytest.raises(VaultTooNew) as info:
        Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS)
    assert "新しい版" in info.value.message
    assert snapshot(data_dir) == before
    assert _version(data_dir / "vault.db", key) == newer
    assert not (data_dir / "backups").exists()


FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "vaults"


def test_schema_1_vault_from_an_earlier_version_is_upgraded(tmp_path: Path) -> None:
    data_dir = tmp_path / "v"
    data_dir.mkdir(mode=0o700)
    for name in ("vault.db", "vault.keys"):
        shutil.copyfile(FIXTURES / "v0001" / name, data_dir / name)
        (data_dir / name).chmod(0o600)
    key = data_key_hex(data_dir)
    assert _version(data_dir / "vault.db", key) == 1
    assert "consultations_year_kind" not in _indexes(data_dir / "vault.db", key)
    assert RECORD_TABLES <= _tables(data_dir / "vault.db", key)
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        report = session.verify()
        assert report.ok, report.problems
        with session.read("setting_view", "fixture") as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = 'fixture'").fetchone()
        assert row[0] == "schema 1"
    indexes = _indexes(data_dir / "vault.db", key)
    assert {"consultations_year_kind", "consultations_indicators"} <= indexes, "0002 applied"
    assert {"consultations_channel_month", "audit_log_action_at"} <= indexes, "0007 applied"
    assert _version(data_dir / "vault.db", key) == migrations_mod.latest_version()
    backups = sorted((data_dir / "backups").glob("vault-v0001-*.db"))
    assert len(backups) == 1 and _version(backups[0], key) == 1
    Vault.open(data_dir, "suzuki", "いつもの道に咲く花を数える").close()
