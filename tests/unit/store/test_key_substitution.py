"""Data-key substitution: whoever can write the data folder or a backup can seal a
data key of their own to the public keys in ``vault.keys``, build a database with
it and MAC the header with it. The user's real passphrase must not open that vault
(unlock) nor install it (restore): the sealed key is not signed by the vault
signing key pinned inside the user's passphrase-wrapped slot."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from intake_app.store import Vault, VaultCorrupted, VaultError, keyslots
from intake_app.store import header as header_mod
from intake_app.store.header import Header
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

ATTACKER_PASS = "the attacker knows this one"


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAST_ENV, "1")


def _forge(victim: Path, out: Path, workdir: Path) -> None:
    """Write into ``out`` the victim's header with every slot re-sealed to the attacker's
    data key, the attacker's own database (made to look like the victim's) and a
    header MAC (and signature) made with the attacker's keys."""
    own = workdir / "attacker"
    Vault.create(own, SUPERVISOR, ATTACKER_PASS)
    with Vault.open(own, SUPERVISOR, ATTACKER_PASS) as session:
        session.users.add(COUNSELOR, "counselor", ATTACKER_PASS)
        with session.transaction("setting_change", "owner") as conn:
            conn.execute("INSERT INTO settings (key, value) VALUES ('owner', 'attacker')")
    key_hex = data_key_hex(own, SUPERVISOR, ATTACKER_PASS)
    header = Header.load(victim / "vault.keys")
    conn = raw_connection(own / "vault.db", key_hex)
    try:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'vault_id'", (header.vault_id,))
        conn.execute("DELETE FROM meta WHERE key = 'slot_digests'")
        conn.execute("DELETE FROM audit_log")
        signing = conn.execute("SELECT value FROM meta WHERE key = 'signing_key'").fetchone()
        commits = conn.execute("SELECT value FROM meta WHERE key = 'commits'").fetchone()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    signer = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(signing[0]))
    key = bytearray(bytes.fromhex(key_hex))
    for slot in header.slots:
        slot.seal(header.vault_id, key, signer)
    header.audit_head = {"seq": 0, "mac": ""}
    header.commits = header_mod.Commits.from_json(json.loads(commits[0]))  # a careful forger
    header.throttle = header_mod.Throttle()
    header.sign(key, signer)
    out.mkdir(exist_ok=True)
    for suffix in ("-wal", "-shm"):
        (out / ("vault.db" + suffix)).unlink(missing_ok=True)
    shutil.copyfile(own / "vault.db", out / "vault.db")
    header_mod.save(header, out / "vault.keys")


def _bypass_signatures(monkeypatch: pytest.MonkeyPatch) -> None:
    """The program without the signing checks (the negative control)."""
    monkeypatch.setattr(header_mod, "verify_signature", lambda *a: True)
    real_signer: Any = keyslots.signer
    monkeypatch.setattr(keyslots, "signer", lambda conn, public=None: real_signer(conn))


def _owner(data_dir: Path) -> str | None:
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        with session.read("setting_view", "owner") as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = 'owner'").fetchone()
    return None if row is None else str(row[0])


def test_substituted_data_key_refused_at_unlock(tmp_path: Path) -> None:
    victim = tmp_path / "v"
    make_vault(victim)
    _forge(victim, victim, tmp_path)
    before = snapshot(victim)
    for user, passphrase in ((SUPERVISOR, SUPERVISOR_PASS), (COUNSELOR, COUNSELOR_PASS)):
        with pytest.raises(VaultCorrupted) as info:
            Vault.open(victim, user, passphrase)
        assert "署名" in info.value.message and "差し替え" in info.value.message
    assert snapshot(victim) == before


def test_negative_control_without_signatures_the_attack_opens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = tmp_path / "v"
    make_vault(victim)
    _forge(victim, victim, tmp_path)
    _bypass_signatures(monkeypatch)
    assert _owner(victim) == "attacker"  # the real passphrase opened the attacker's vault


def test_doctored_backup_refused_at_restore_and_nothing_replaced(tmp_path: Path) -> None:
    victim, backup = tmp_path / "v", tmp_path / "backup"
    make_vault(victim)
    with Vault.open(victim, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.backup(backup)
    _forge(victim, backup, tmp_path)
    before = snapshot(victim)
    with pytest.raises(VaultCorrupted) as info:
        Vault.restore(victim, backup, SUPERVISOR, SUPERVISOR_PASS)
    assert "バックアップの鍵ファイル（vault.keys）" in info.value.message
    assert "署名" in info.value.message
    assert snapshot(victim) == before
    assert not [p for p in victim.iterdir() if p.name.startswith(("replaced-", ".restore-"))]
    with Vault.open(victim, SUPERVISOR, SUPERVISOR_PASS) as session:
        with pytest.raises(VaultError) as err:
            session.restore(backup)
        assert "バックアップの鍵ファイル（vault.keys）" in err.value.message
    assert _owner(victim) is None


def test_doctored_backup_refused_in_an_empty_folder(tmp_path: Path) -> None:
    victim, backup, empty = tmp_path / "v", tmp_path / "backup", tmp_path / "new"
    make_vault(victim)
    with Vault.open(victim, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.backup(backup)
    _forge(victim, backup, tmp_path)
    notices: list[str] = []
    with pytest.raises(VaultCorrupted):
        Vault.restore(empty, backup, SUPERVISOR, SUPERVISOR_PASS, notice=notices.append)
    assert any("バックアップにある利用者の登録を信頼" in n for n in notices)
    assert not (empty / "vault.db").exists() and not (empty / "vault.keys").exists()


def test_negative_control_doctored_backup_installed_without_signatures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim, backup = tmp_path / "v", tmp_path / "backup"
    make_vault(victim)
    with Vault.open(victim, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.backup(backup)
    _forge(victim, backup, tmp_path)
    _bypass_signatures(monkeypatch)
    Vault.restore(victim, backup, SUPERVISOR, SUPERVISOR_PASS)
    assert _owner(victim) == "attacker"


def test_backup_from_another_vault_refused_against_the_pinned_key(tmp_path: Path) -> None:
    victim, other, backup = tmp_path / "v", tmp_path / "other", tmp_path / "backup"
    make_vault(victim)
    make_vault(other)
    with Vault.open(other, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.backup(backup)
    before = snapshot(victim)
    with pytest.raises(VaultCorrupted) as info:
        Vault.restore(victim, backup, SUPERVISOR, SUPERVISOR_PASS)
    assert "署名" in info.value.message
    assert snapshot(victim) == before


def test_signing_key_survives_rekey_and_passphrase_changes(tmp_path: Path) -> None:
    victim, backup = tmp_path / "v", tmp_path / "backup"
    make_vault(victim)
    with Vault.open(victim, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.backup(backup)
        session.rekey()
        session.users.reset_passphrase(COUNSELOR, COUNSELOR_PASS + "!")
    # A backup from before the rekey is still signed by the same vault key.
    Vault.restore(victim, backup, SUPERVISOR, SUPERVISOR_PASS)
    with Vault.open(victim, SUPERVISOR, SUPERVISOR_PASS) as session:
        assert session.verify().ok


def test_substituted_key_refused_for_the_recovery_key_too(tmp_path: Path) -> None:
    victim = tmp_path / "v"
    recovery = make_vault(victim)
    _forge(victim, victim, tmp_path)
    before = snapshot(victim)
    with pytest.raises(VaultCorrupted, match="署名"):
        Vault.recover(victim, recovery, SUPERVISOR, "a brand new passphrase here")
    assert snapshot(victim) == before


def test_header_body_signed_even_against_someone_who_knows_the_data_key(
    tmp_path: Path,
) -> None:
    """A MAC alone is forgeable by anyone who once held the data key (e.g. a user since
    disabled); the header body also needs the signing key, which never leaves the
    database."""
    victim = tmp_path / "v"
    make_vault(victim)
    key = bytearray(bytes.fromhex(data_key_hex(victim)))
    header = Header.load(victim / "vault.keys")
    header.municipality = "elsewhere"
    header.mac = header.compute_mac(key)  # a valid MAC, no signature for the new body
    header_mod.save(header, victim / "vault.keys")
    before = snapshot(victim)
    with pytest.raises(VaultCorrupted, match="署名"):
        Vault.open(victim, SUPERVISOR, SUPERVISOR_PASS)
    assert snapshot(victim) == before
