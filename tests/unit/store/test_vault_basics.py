"""Create, unlock, transactions, reads and locking of a vault."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake_app.store import (
    PermissionDenied,
    Vault,
    VaultExists,
    VaultNotFound,
    WrongPassphrase,
)
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


def test_create_open_write_read_close(tmp_path: Path) -> None:
    recovery = make_vault(tmp_path)
    assert len(recovery.replace("-", "")) == 32
    session = Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS)
    assert session.user.name == SUPERVISOR and session.user.role == "supervisor"
    assert session.municipality == "warabi"
    assert session.data_dir == tmp_path
    with session.transaction("setting_change", "k") as conn:
        conn.execute("INSERT INTO settings (key, value) VALUES ('k', 'v')")
    with session.read("setting_view", "k") as conn:
        assert conn.execute("SELECT value FROM settings WHERE key='k'").fetchone()[0] == "v"
    actions = [e.action for e in session.audit_entries()]
    assert actions[:3] == ["setting_view", "setting_change", "unlock"]
    session.close()
    session.close()  # idempotent
    with pytest.raises(Exception, match="ロック"):
        with session.transaction("x"):
            pass


def test_failed_transaction_rolls_back_with_its_audit_entry(tmp_path: Path) -> None:
    make_vault(tmp_path, counselor=False)
    with Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS) as session:
        with pytest.raises(RuntimeError):
            with session.transaction("setting_change", "k") as conn:
                conn.execute("INSERT INTO settings (key, value) VALUES ('k', 'v')")
                raise RuntimeError("boom")
        with session.read("setting_view") as conn:
            assert conn.execute("SELECT count(*) FROM settings").fetchone()[0] == 0
        entries = session.audit_entries()
        assert "setting_change" not in [e.action for e in entries]
        assert session.verify().ok


def test_create_refuses_existing_and_open_refuses_missing(tmp_path: Path) -> None:
    with pytest.raises(VaultNotFound):
        Vault.open(tmp_path / "none", SUPERVISOR, SUPERVISOR_PASS)
    make_vault(tmp_path, counselor=False)
    with pytest.raises(VaultExists):
        Vault.create(tmp_path, "other", "another passphrase long")


def test_counselor_cannot_manage_users(tmp_path: Path) -> None:
    make_vault(tmp_path)
    with Vault.open(tmp_path, COUNSELOR, COUNSELOR_PASS) as session:
        assert session.user.role == "counselor"
        with pytest.raises(PermissionDenied):
            session.users.add("tanaka", "counselor", "a perfectly fine phrase")
        with pytest.raises(PermissionDenied):
            session.users.list()
        with pytest.raises(PermissionDenied):
            session.backup(tmp_path / "b")
        with pytest.raises(PermissionDenied):
            session.users.regenerate_recovery_key()
        with pytest.raises(PermissionDenied):
            session.users.reset_passphrase(SUPERVISOR, "taking over the account")
    with pytest.raises(PermissionDenied):
        Vault.open(tmp_path, COUNSELOR, COUNSELOR_PASS, require_supervisor=True)


def test_user_management(tmp_path: Path) -> None:
    make_vault(tmp_path)
    with Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS) as session:
        listed = {u.name: u for u in session.users.list()}
        assert listed[SUPERVISOR].last_login_at is not None
        assert listed[COUNSELOR].last_login_at is None
        session.users.reset_passphrase(COUNSELOR, "a new phrase for suzuki")
    with pytest.raises(WrongPassphrase):
        Vault.open(tmp_path, COUNSELOR, COUNSELOR_PASS)
    Vault.open(tmp_path, COUNSELOR, "a new phrase for suzuki").close()
    with Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.users.disable(COUNSELOR)
        assert {u.name: u for u in session.users.list()}[COUNSELOR].disabled
    with pytest.raises(WrongPassphrase):
        Vault.open(tmp_path, COUNSELOR, "a new phrase for suzuki")


def test_recovery_key_sets_a_lost_passphrase(tmp_path: Path) -> None:
    recovery = make_vault(tmp_path, counselor=False)
    with pytest.raises(WrongPassphrase):
        Vault.recover(tmp_path, "AAAA-" * 7 + "AAAA", SUPERVISOR, "forgotten and replaced")
    Vault.recover(
        tmp_path, recovery.lower().replace("-", " "), SUPERVISOR, "forgotten and replaced"
    )
    with pytest.raises(WrongPassphrase):
        Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS)
    with Vault.open(tmp_path, SUPERVISOR, "forgotten and replaced") as session:
        new_key = session.users.regenerate_recovery_key()
        assert session.verify().ok
    with pytest.raises(WrongPassphrase):
        Vault.recover(tmp_path, recovery, SUPERVISOR, "forgotten once again")
    Vault.recover(tmp_path, new_key, SUPERVISOR, "forgotten once again")


def test_confirm_passphrase_for_the_supervisor_area(tmp_path: Path) -> None:
    make_vault(tmp_path, counselor=False)
    with Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS) as session:
        with pytest.raises(WrongPassphrase):
            session.confirm_passphrase("someone else's passphrase")
        assert Vault.throttle_wait(tmp_path, SUPERVISOR) == 0
        session.confirm_passphrase(SUPERVISOR_PASS)
        actions = [e.action for e in session.audit_entries()]
    assert actions[:2] == ["reauth", "reauth_failed"]


def test_failed_create_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake_app.store import VaultIOError
    from intake_app.store import header as header_mod

    def disk_gone(*args: object, **kwargs: object) -> None:
        raise VaultIOError("書き込めません")

    monkeypatch.setattr(header_mod, "save", disk_gone)
    with pytest.raises(VaultIOError):
        Vault.create(tmp_path, SUPERVISOR, SUPERVISOR_PASS)
    assert not Vault.exists(tmp_path)
    assert not list(tmp_path.glob("vault.db*"))
    monkeypatch.undo()
    monkeypatch.setenv(FAST_ENV, "1")
    Vault.create(tmp_path, SUPERVISOR, SUPERVISOR_PASS)
    Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS).close()


@pytest.mark.parametrize("existing", [False, True], ids=["new-folder", "empty-folder"])
def test_failed_create_leaves_no_folder_and_no_lock_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool
) -> None:
    from intake_app.store import VaultIOError
    from intake_app.store import header as header_mod

    def disk_gone(*args: object, **kwargs: object) -> None:
        raise VaultIOError("書き込めません")

    target = tmp_path / "new" / "data"
    if existing:
        target.mkdir(parents=True)
    monkeypatch.setattr(header_mod, "save", disk_gone)
    with pytest.raises(VaultIOError):
        Vault.create(target, SUPERVISOR, SUPERVISOR_PASS)
    if existing:
        assert target.is_dir() and list(target.iterdir()) == []
    else:
        assert not (tmp_path / "new").exists()


def test_user_names_cannot_collide_with_the_recovery_slot(tmp_path: Path) -> None:
    from intake_app.store import AccountError

    with pytest.raises(AccountError):
        Vault.create(tmp_path, "#recovery", SUPERVISOR_PASS)


def test_close_zeroes_the_data_key_and_releases_the_folder(tmp_path: Path) -> None:
    make_vault(tmp_path, counselor=False)
    session = Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS)
    key = session._key
    assert isinstance(key, bytearray) and len(key) == 32 and any(key)
    session.close()
    assert key == bytearray(32)
    assert not session.is_open
    Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS).close()


def test_nested_transactions_are_refused(tmp_path: Path) -> None:
    from intake_app.store import VaultError

    make_vault(tmp_path, counselor=False)
    with Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS) as session:
        with session.transaction("outer") as conn:
            conn.execute("INSERT INTO settings (key, value) VALUES ('outer', '1')")
            with pytest.raises(VaultError):
                with session.transaction("inner"):
                    pass
        with session.read("setting_view") as conn:
            assert conn.execute("SELECT count(*) FROM settings").fetchone()[0] == 1
