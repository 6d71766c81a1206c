"""Backup (verified encrypted copy), restore (verified first, old vault kept) and rekey."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intake_app.store import Vault, VaultCorrupted, VaultError, WrongPassphrase
from intake_app.store import copies as copies_mod
from intake_app.store import session as session_mod
from tests.unit.store.vault_helpers import (
    COUNSELOR,
    COUNSELOR_PASS,
    FAST_ENV,
    SUPERVISOR,
    SUPERVISOR_PASS,
    data_key_hex,
    make_vault,
    raw_connection,
    snapshot,
)


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAST_ENV, "1")


def _put(data_dir: Path, key: str, value: str) -> None:
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        with session.transaction("setting_change", key) as conn:
            conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))


def _get(data_dir: Path, key: str) -> str | None:
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        with session.read("setting_view", key) as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def test_backup_then_restore_round_trip(tmp_path: Path) -> None:
    data_dir, dest = tmp_path / "v", tmp_path / "backup"
    make_vault(data_dir)
    _put(data_dir, "state", "at backup time")
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        assert session.backup(dest) == dest
    assert sorted(p.name for p in dest.iterdir()) == ["vault.db", "vault.keys"]
    assert (dest / "vault.db").read_bytes()[:16] != b"SQLite format 3\x00"
    _put(data_dir, "state", "after the backup")

    kept = Vault.restore(data_dir, dest, SUPERVISOR, SUPERVISOR_PASS)
    assert kept is not None and (kept / "vault.db").exists() and (kept / "vault.keys").exists()
    assert _get(data_dir, "state") == "at backup time"
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        assert session.verify().ok
        actions = [e.action for e in session.audit_entries()]
    assert "restore" in actions
    Vault.open(data_dir, COUNSELOR, COUNSELOR_PASS).close()


def test_backup_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    make_vault(tmp_path / "v", counselor=False)
    dest = tmp_path / "busy"
    dest.mkdir()
    (dest / "other.txt").write_text("x")
    with Vault.open(tmp_path / "v", SUPERVISOR, SUPERVISOR_PASS) as session:
        with pytest.raises(VaultError, match="空のフォルダ"):
            session.backup(dest)
    assert [p.name for p in dest.iterdir()] == ["other.txt"]


def test_corrupted_backup_refused_before_anything_is_replaced(tmp_path: Path) -> None:
    data_dir, dest = tmp_path / "v", tmp_path / "backup"
    make_vault(data_dir, counselor=False)
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.backup(dest)
    raw = bytearray((dest / "vault.db").read_bytes())
    raw[len(raw) - 100] ^= 0xFF
    (dest / "vault.db").write_bytes(bytes(raw))
    before = snapshot(data_dir)
    with pytest.raises(VaultCorrupted, match="バックアップ"):
        Vault.restore(data_dir, dest, SUPERVISOR, SUPERVISOR_PASS)
    assert snapshot(data_dir) == before
    assert not any(p.name.startswith(("replaced-", ".restore-")) for p in data_dir.iterdir())


def test_restore_with_a_wrong_passphrase_changes_nothing(tmp_path: Path) -> None:
    data_dir, dest = tmp_path / "v", tmp_path / "backup"
    make_vault(data_dir, counselor=False)
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.backup(dest)
    before = snapshot(data_dir)
    with pytest.raises(WrongPassphrase):
        Vault.restore(data_dir, dest, SUPERVISOR, "not the passphrase at all")
    after = snapshot(data_dir)
    assert after["vault.db"] == before["vault.db"]
    assert not any(p.name.startswith("replaced-") for p in data_dir.iterdir())


def test_restore_into_an_empty_folder_with_the_backups_passphrase(tmp_path: Path) -> None:
    data_dir, dest = tmp_path / "v", tmp_path / "backup"
    make_vault(data_dir, counselor=False)
    _put(data_dir, "state", "kept")
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.backup(dest)
    target = tmp_path / "new-pc"
    assert Vault.restore(target, dest, SUPERVISOR, SUPERVISOR_PASS) is None
    assert _get(target, "state") == "kept"


def test_rekey_changes_the_data_key_and_keeps_every_slot(tmp_path: Path) -> None:
    data_dir = tmp_path / "v"
    recovery = make_vault(data_dir)
    _put(data_dir, "state", "before rekey")
    old_key = data_key_hex(data_dir)
    old_header = (data_dir / "vault.keys").read_bytes()
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        assert session.rekey() == 3
        assert session.verify().ok
    new_key = data_key_hex(data_dir)
    assert new_key != old_key
    with pytest.raises(Exception, match="not a database"):
        raw_connection(data_dir / "vault.db", old_key).execute("SELECT * FROM sqlite_master")
    assert _get(data_dir, "state") == "before rekey"
    Vault.open(data_dir, COUNSELOR, COUNSELOR_PASS).close()
    Vault.recover(data_dir, recovery, COUNSELOR, "counselor after recovery")
    Vault.open(data_dir, COUNSELOR, "counselor after recovery").close()
    # The old header no longer opens the database.
    (data_dir / "vault.keys").write_bytes(old_header)
    with pytest.raises(VaultCorrupted):
        Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS)


def test_rekey_interrupted_before_the_database_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "v"
    make_vault(data_dir)
    old_key = data_key_hex(data_dir)

    def crash(key: bytearray, pragma: str = "key") -> str:
        raise KeyboardInterrupt  # the power goes off before PRAGMA rekey runs

    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        monkeypatch.setattr(session_mod, "key_pragma", crash)
        with pytest.raises(KeyboardInterrupt):
            session.rekey()
        monkeypatch.undo()
        monkeypatch.setenv(FAST_ENV, "1")
        session._abandon()
    assert (data_dir / "vault.keys.new").exists()
    with Vault.open(data_dir, COUNSELOR, COUNSELOR_PASS) as session:
        assert session.verify().ok
    assert not (data_dir / "vault.keys.new").exists()
    assert data_key_hex(data_dir) == old_key


def test_rekey_interrupted_after_the_database_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "v"
    make_vault(data_dir)
    old_key = data_key_hex(data_dir)
    old_header = json.loads((data_dir / "vault.keys").read_text())

    real_replace = session_mod.os.replace

    def crash(src: Path, dst: Path) -> None:
        if Path(src).name == "vault.keys.new":
            raise KeyboardInterrupt  # the power goes off before the header switch
        real_replace(src, dst)

    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        monkeypatch.setattr(session_mod.os, "replace", crash)
        with pytest.raises(KeyboardInterrupt):
            session.rekey()
        monkeypatch.undo()
        monkeypatch.setenv(FAST_ENV, "1")
        session._abandon()
    assert (
        json.loads((data_dir / "vault.keys").read_text())["generation"]
        == (old_header["generation"])
    )
    assert (data_dir / "vault.keys.new").exists()
    # The counselor's unlock finds the database under the new key and completes the switch.
    with Vault.open(data_dir, COUNSELOR, COUNSELOR_PASS) as session:
        assert session.verify().ok
    assert not (data_dir / "vault.keys.new").exists()
    assert data_key_hex(data_dir) != old_key
    Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS).close()


def test_session_restore_closes_the_session_and_releases_the_folder(tmp_path: Path) -> None:
    data_dir, dest = tmp_path / "v", tmp_path / "backup"
    make_vault(data_dir, counselor=False)
    _put(data_dir, "state", "at backup time")
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.backup(dest)
    _put(data_dir, "state", "later")
    session = Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS)
    kept = session.restore(dest)
    assert not session.is_open
    assert (kept / "vault.db").exists()
    assert _get(data_dir, "state") == "at backup time"


def test_backup_entry_written_only_after_a_good_copy(tmp_path: Path) -> None:
    data_dir = tmp_path / "v"
    make_vault(data_dir, counselor=False)
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.backup(tmp_path / "b1")
        blocked = tmp_path / "blocked"
        blocked.write_text("a file where the folder should be")
        with pytest.raises(VaultError):
            session.backup(blocked)
        actions = [e.action for e in session.audit_entries()]
    assert actions.count("backup") == 1


def test_restore_over_a_damaged_vault(tmp_path: Path) -> None:
    data_dir, dest = tmp_path / "v", tmp_path / "backup"
    make_vault(data_dir, counselor=False)
    _put(data_dir, "state", "good")
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.backup(dest)
    raw = bytearray((data_dir / "vault.db").read_bytes())
    raw[10] ^= 0xFF
    (data_dir / "vault.db").write_bytes(bytes(raw))
    with pytest.raises(VaultCorrupted):
        Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS)
    keys = json.loads((data_dir / "vault.keys").read_text())
    keys["municipality"] = "tampered"  # the header is damaged as well
    (data_dir / "vault.keys").write_text(json.dumps(keys))
    kept = Vault.restore(data_dir, dest, SUPERVISOR, SUPERVISOR_PASS)
    assert kept is not None and (kept / "vault.db").read_bytes() == bytes(raw)
    assert _get(data_dir, "state") == "good"


def test_two_restores_in_the_same_second_keep_both_old_vaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir, dest = tmp_path / "v", tmp_path / "backup"
    make_vault(data_dir, counselor=False)
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.backup(dest)
    monkeypatch.setattr(copies_mod.time, "strftime", lambda fmt, *a: "20260101-120000")
    first = Vault.restore(data_dir, dest, SUPERVISOR, SUPERVISOR_PASS)
    second = Vault.restore(data_dir, dest, SUPERVISOR, SUPERVISOR_PASS)
    assert first is not None and second is not None and first != second
    assert (first / "vault.db").exists() and (second / "vault.db").exists()
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        assert session.verify().ok


@pytest.mark.parametrize("how", ["edited", "garbled"])
def test_tampered_backup_header_named_as_the_backups(tmp_path: Path, how: str) -> None:
    data_dir, dest = tmp_path / "v", tmp_path / "backup"
    make_vault(data_dir, counselor=False)
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.backup(dest)
    keys = dest / "vault.keys"
    if how == "edited":
        data = json.loads(keys.read_text(encoding="utf-8"))
        data["municipality"] = "elsewhere"
        keys.write_text(json.dumps(data), encoding="utf-8")
    else:
        keys.write_bytes(b"\xff" + keys.read_bytes()[1:])
    before = snapshot(data_dir)
    with pytest.raises(VaultError) as info:
        Vault.restore(data_dir, dest, SUPERVISOR, SUPERVISOR_PASS)
    assert "バックアップの鍵ファイル（vault.keys）" in info.value.message
    assert snapshot(data_dir) == before
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        with pytest.raises(VaultError) as info:
            session.restore(dest)
        assert "バックアップの鍵ファイル（vault.keys）" in info.value.message
    assert not [p for p in data_dir.iterdir() if p.name.startswith("replaced-")]
