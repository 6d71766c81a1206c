"""The SQLCipher connection: settings asserted, no temp files (security.md test 2),
no network (test 7), corrupted database refused with files untouched (test 6)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake_app.store import Vault, VaultCorrupted, VaultError
from intake_app.store.connection import REQUIRED_SETTINGS, assert_settings, read_settings
from tests.unit.store.vault_helpers import (
    COUNSELOR,
    COUNSELOR_PASS,
    FAST_ENV,
    SUPERVISOR,
    SUPERVISOR_PASS,
    make_vault,
    snapshot,
)

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAST_ENV, "1")


def test_every_security_setting_is_in_force_after_open(tmp_path: Path) -> None:
    make_vault(tmp_path, counselor=False)
    with Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS) as session:
        assert session._conn is not None
        settings = read_settings(session._conn)
    assert settings == {
        "cipher_memory_security": "1",
        "cipher_log_level": "NONE",
        "temp_store": "2",
        "journal_mode": "wal",
        "synchronous": "2",
        "foreign_keys": "1",
        "secure_delete": "1",
    }
    assert set(settings) == set(REQUIRED_SETTINGS)


@pytest.mark.parametrize(
    "pragma",
    ["secure_delete = OFF", "temp_store = FILE", "synchronous = NORMAL", "foreign_keys = OFF"],
)
def test_a_setting_that_did_not_take_is_refused(tmp_path: Path, pragma: str) -> None:
    make_vault(tmp_path, counselor=False)
    with Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS) as session:
        conn = session._conn
        assert conn is not None
        assert_settings(conn)
        conn.execute(f"PRAGMA {pragma}")
        with pytest.raises(VaultError, match="安全設定"):
            assert_settings(conn)


def test_file_is_not_a_plain_sqlite_database(tmp_path: Path) -> None:
    make_vault(tmp_path, counselor=False)
    head = (tmp_path / "vault.db").read_bytes()[:16]
    assert head != b"SQLite format 3\x00"


# -- no temp files during a large sort (test 2) -------------------------------------

SORT_SCRIPT = textwrap.dedent(
    """
    import json, os, sys, threading, time
    from pathlib import Path
    watched = Path(sys.argv[1]); data_dir = Path(sys.argv[2]); mode = sys.argv[3]
    seen = set()
    stop = threading.Event()

    def watch():
        # Temp files are unlinked right after they are opened, so look at this
        # process's open files as well as the folder.
        while not stop.is_set():
            for name in os.listdir("/proc/self/fd"):
                try:
                    target = os.readlink(f"/proc/self/fd/{name}")
                except OSError:
                    continue
                if target.startswith(str(watched)) or "etilqs_" in target:
                    seen.add(target)
            for name in os.listdir(watched):
                seen.add(name)
            time.sleep(0.0005)

    threading.Thread(target=watch, daemon=True).start()
    if mode == "vault":
        from intake_app.store import Vault
        session = Vault.open(data_dir, "sato", "blue kettle under the stairs")
        conn = session._conn
    else:  # negative control: the same work with a file temp store
        import sqlcipher3
        conn = sqlcipher3.connect(str(data_dir / "plain.db"), isolation_level=None)
        conn.execute("PRAGMA temp_store = FILE")
    conn.execute("PRAGMA cache_size = 20")
    conn.execute("CREATE TEMP TABLE big (k TEXT, v TEXT)")
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000)"
        " INSERT INTO big SELECT hex(randomblob(16)), hex(randomblob(64)) FROM n"
    )
    rows = conn.execute("SELECT k, v FROM big ORDER BY v, k").fetchall()
    conn.execute("CREATE INDEX temp.big_v ON big (v)")
    count = conn.execute("SELECT count(DISTINCT v) FROM big").fetchone()[0]
    time.sleep(0.05)
    stop.set()
    print(json.dumps({"rows": len(rows), "distinct": count, "seen": sorted(seen)}))
    if mode == "vault":
        session.close()
    """
)


def _sort_run(tmp_path: Path, mode: str) -> dict[str, object]:
    watched = tmp_path / "tmp"
    watched.mkdir()
    env = dict(os.environ, SQLITE_TMPDIR=str(watched), TMPDIR=str(watched), TMP=str(watched))
    env[FAST_ENV] = "1"
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run(
        [sys.executable, "-c", SORT_SCRIPT, str(watched), str(tmp_path), mode],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc to see open files")
def test_no_temp_file_during_a_large_sort(tmp_path: Path) -> None:
    make_vault(tmp_path, counselor=False)
    result = _sort_run(tmp_path, "vault")
    assert result["rows"] == 60000
    assert result["seen"] == []


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc to see open files")
def test_temp_file_watcher_catches_a_file_temp_store(tmp_path: Path) -> None:
    """Negative control: with temp_store=FILE the same sort does spill, and is seen."""
    result = _sort_run(tmp_path, "plain")
    seen = result["seen"]
    assert isinstance(seen, list) and seen
    assert any("etilqs_" in str(name) for name in seen)


# -- no network (test 7) ----------------------------------------------------------

_socket_events: list[str] = []
_watching = False


def _hook(event: str, args: tuple[object, ...]) -> None:
    if _watching and event.startswith("socket."):
        _socket_events.append(event)


sys.addaudithook(_hook)


@pytest.fixture()
def socket_watch() -> Iterator[list[str]]:
    global _watching
    _socket_events.clear()
    _watching = True
    try:
        yield _socket_events
    finally:
        _watching = False


def test_no_socket_event_during_a_whole_store_session(
    tmp_path: Path, socket_watch: list[str]
) -> None:
    data_dir = tmp_path / "vault"
    Vault.create(data_dir, SUPERVISOR, SUPERVISOR_PASS)
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.users.add(COUNSELOR, "counselor", COUNSELOR_PASS)
        with session.transaction("setting_change", "k") as conn:
            conn.execute("INSERT INTO settings (key, value) VALUES ('k', 'v')")
        with session.read("setting_view", "k") as conn:
            conn.execute("SELECT value FROM settings").fetchall()
        assert session.verify().ok
        session.backup(tmp_path / "backup")
        session.rekey()
    Vault.open(data_dir, COUNSELOR, COUNSELOR_PASS).close()
    assert socket_watch == []


def test_socket_watch_sees_a_socket(socket_watch: list[str]) -> None:
    """Negative control: the hook does record socket activity."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM):
        pass
    assert socket_watch


# -- corrupted database (test 6) ------------------------------------------------------


def _corrupt(path: Path, offset: int) -> None:
    raw = bytearray(path.read_bytes())
    raw[offset] ^= 0x5A
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize("offset", [0, 100, 4000])
def test_corrupted_first_page_refused_files_untouched(tmp_path: Path, offset: int) -> None:
    make_vault(tmp_path, counselor=False)
    _corrupt(tmp_path / "vault.db", offset)
    before = snapshot(tmp_path)
    with pytest.raises(VaultCorrupted) as info:
        Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS)
    assert "壊れて" in info.value.message
    assert snapshot(tmp_path) == before


def test_corrupted_later_page_found_by_the_check_files_untouched(tmp_path: Path) -> None:
    make_vault(tmp_path, counselor=False)
    db = tmp_path / "vault.db"
    size = db.stat().st_size
    page = 4096
    assert size >= 4 * page
    _corrupt(db, size - page // 2)  # inside the last page
    before = snapshot(tmp_path)
    with pytest.raises(VaultCorrupted) as info:
        Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS, check_integrity=True)
    assert info.value.message
    assert snapshot(tmp_path) == before


def test_wal_and_shm_files_are_owner_only_too(tmp_path: Path) -> None:
    make_vault(tmp_path, counselor=False)
    with Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS) as session:
        with session.transaction("setting_change", "k") as conn:
            conn.execute("INSERT INTO settings (key, value) VALUES ('k', 'v')")
        for name in ("vault.db", "vault.db-wal", "vault.db-shm"):
            assert (tmp_path / name).stat().st_mode & 0o077 == 0, name


def test_full_disk_raises_disk_full_and_loses_nothing(tmp_path: Path) -> None:
    from intake_app.store import DiskFull

    make_vault(tmp_path, counselor=False)
    with Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS) as session:
        with session.transaction("setting_change", "kept") as conn:
            conn.execute("INSERT INTO settings (key, value) VALUES ('kept', 'saved earlier')")
        conn = session._conn
        assert conn is not None
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(DiskFull) as info:
            with session.transaction("setting_change", "big") as c:
                c.execute("INSERT INTO settings (key, value) VALUES ('big', ?)", ("x" * 200_000,))
        assert "ディスク" in info.value.message
        conn.execute("PRAGMA max_page_count = 1073741823")
        with session.read("setting_view") as c:
            rows = dict(c.execute("SELECT key, value FROM settings").fetchall())
        assert rows == {"kept": "saved earlier"}
        assert session.verify().ok  # no gap in the audit chain


def test_verify_reports_a_slot_that_does_not_match_the_users(tmp_path: Path) -> None:
    make_vault(tmp_path)
    with Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS) as session:
        conn = session._conn
        assert conn is not None
        conn.execute("UPDATE users SET role = 'supervisor' WHERE name = ?", (COUNSELOR,))
        report = session.verify()
    assert not report.ok
    assert any(COUNSELOR in p and "一致しません" in p for p in report.problems)
