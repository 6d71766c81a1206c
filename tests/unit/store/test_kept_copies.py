"""Old copies (``replaced-*/`` after a restore, ``backups/vault-vNNNN-*`` before a
migration) keep every keyslot of their time: they are listed, and a supervisor can
overwrite and delete them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from intake_app.store import PermissionDenied, Vault, VaultError
from intake_app.store.copies import kept_copies_notice
from intake_app.store.header import Header
from tests.unit.store.vault_helpers import (
    COUNSELOR,
    COUNSELOR_PASS,
    FAST_ENV,
    SUPERVISOR,
    SUPERVISOR_PASS,
    make_vault,
)


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAST_ENV, "1")


@pytest.fixture()
def restored(tmp_path: Path) -> Path:
    """A vault restored once (so ``replaced-*/`` exists) with a migration copy."""
    data_dir, dest = tmp_path / "v", tmp_path / "backup"
    make_vault(data_dir)
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.backup(dest)
    Vault.restore(data_dir, dest, SUPERVISOR, SUPERVISOR_PASS)
    backups = data_dir / "backups"
    backups.mkdir(mode=0o700)
    for suffix in (".db", ".keys"):
        (backups / f"vault-v0001-20260101-000000{suffix}").write_bytes(b"old copy" * 100)
    return data_dir


def _opens(header_path: Path, user: str, passphrase: str) -> bool:
    header = Header.load(header_path)
    slot = header.user_slot(user)
    if slot is None:
        return False
    slot.open_blob(header.vault_id, passphrase)
    return True


def test_disabled_user_still_opens_the_kept_copy_which_is_reported(restored: Path) -> None:
    with Vault.open(restored, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.users.disable(COUNSELOR)
        copies = session.kept_copies()
    kept = [p for p in copies if p.name.startswith("replaced-")]
    assert len(kept) == 1
    assert {p.name for p in copies if p.parent.name == "backups"} == {
        "vault-v0001-20260101-000000.db",
        "vault-v0001-20260101-000000.keys",
    }
    # The risk the notice is about: the old header still has the counselor's slot.
    assert _opens(kept[0] / "vault.keys", COUNSELOR, COUNSELOR_PASS)
    text = kept_copies_notice(copies)
    assert text.startswith("古いコピーが残っています（無効にした利用者の鍵でも開けます）:")
    assert str(kept[0]) in text and "安全に削除してください" in text


def test_prune_overwrites_then_deletes_and_is_audited(restored: Path, tmp_path: Path) -> None:
    with Vault.open(restored, SUPERVISOR, SUPERVISOR_PASS) as session:
        kept = next(p for p in session.kept_copies() if p.name.startswith("replaced-"))
        # A second name for the kept database shows what happened to its bytes.
        witness = tmp_path / "witness.db"
        os.link(kept / "vault.db", witness)
        removed = session.prune_copies()
        assert len(removed) == 3
        assert session.kept_copies() == []
        actions = [e.action for e in session.audit_entries(limit=5)]
    assert "prune_copies" in actions
    assert not kept.exists() and not list((restored / "backups").iterdir())
    data = witness.read_bytes()
    assert data and data == bytes(len(data))  # overwritten with zeros before the unlink
    with Vault.open(restored, SUPERVISOR, SUPERVISOR_PASS) as session:
        assert session.verify().ok


def test_prune_refuses_a_link_to_the_live_vault(restored: Path) -> None:
    kept = next(p for p in restored.iterdir() if p.name.startswith("replaced-"))
    (kept / "vault.db").unlink()
    os.link(restored / "vault.db", kept / "vault.db")  # a hard link to the live database
    before = (restored / "vault.db").read_bytes()
    with Vault.open(restored, SUPERVISOR, SUPERVISOR_PASS) as session:
        with pytest.raises(VaultError, match="使用中の保管庫"):
            session.prune_copies()
    assert (restored / "vault.db").read_bytes()[:4096] == before[:4096]
    assert (kept / "vault.keys").exists()
    with Vault.open(restored, SUPERVISOR, SUPERVISOR_PASS) as session:
        assert session.verify().ok


def test_prune_refuses_a_symlink_and_counselors(restored: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep")
    (restored / "replaced-20990101-000000").symlink_to(outside)
    with Vault.open(restored, SUPERVISOR, SUPERVISOR_PASS) as session:
        assert all(not p.is_symlink() for p in session.kept_copies())
        session.prune_copies()
    assert (outside / "precious.txt").read_text() == "keep"
    with Vault.open(restored, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.users.reset_passphrase(COUNSELOR, COUNSELOR_PASS)
    with Vault.open(restored, COUNSELOR, COUNSELOR_PASS) as session:
        with pytest.raises(PermissionDenied):
            session.prune_copies()
