"""security.md test 12: every refusal leaves every file byte-identical, WAL and SHM
included (verify, unlock, restore).

The vault of each test was left by a writer killed with SIGKILL, so ``vault.db-wal``
holds committed transactions not yet in ``vault.db`` and ``vault.db-shm`` is the
dead writer's. Before the fix, a refused unlock or a ``verify`` with problems closed
a read-write connection, which folded the WAL into ``vault.db`` and deleted ``-wal``
and ``-shm``. Now the checks run on a connection that cannot write; the only write
a refusal may make is the failure counter of a wrong passphrase in ``vault.keys``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from intake_app.store import (
    AccountError,
    PermissionDenied,
    SavesMissing,
    Throttled,
    Vault,
    VaultCorrupted,
    VaultError,
    VaultTooNew,
    WrongPassphrase,
)
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

ROOT = Path(__file__).resolve().parents[3]

WRITER = textwrap.dedent(
    """
    import sys, time
    from intake_app.store import Vault
    from intake_app.store.synthetic import generate
    session = Vault.open(sys.argv[1], "sato", "blue kettle under the stairs")
    for item in generate(int(sys.argv[2]), seed=5, min_gap=1):
        session.records.save_intake(item.intake)
    session.records.save_draft({"step": 1}, step=1)
    print("ready", flush=True)
    time.sleep(120)
    """
)

# A newer program wrote into the vault (its schema version) and was killed.
NEWER = textwrap.dedent(
    """
    import sys, time, sqlcipher3
    conn = sqlcipher3.connect(sys.argv[1] + "/vault.db", isolation_level=None)
    conn.execute("PRAGMA key = \\"x'" + sys.argv[2] + "'\\"")
    conn.execute("PRAGMA user_version = 999")
    print("ready", flush=True)
    time.sleep(120)
    """
)


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAST_ENV, "1")


def _run_and_kill(script: str, *args: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), **{FAST_ENV: "1"})
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *args], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


def killed_vault(data_dir: Path, saves: int = 6) -> Path:
    make_vault(data_dir)
    _run_and_kill(WRITER, str(data_dir), str(saves))
    assert (data_dir / "vault.db-wal").stat().st_size > 32
    assert (data_dir / "vault.db-shm").exists()
    return data_dir


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return killed_vault(tmp_path / "v")


@pytest.fixture
def unchanged(vault: Path) -> Iterator[Callable[[], None]]:
    """Call to assert that no file of ``vault`` changed since the test began."""
    before = snapshot(vault)
    assert {"vault.db", "vault.db-wal", "vault.db-shm", "vault.keys"} <= set(before)

    def check() -> None:
        assert snapshot(vault) == before

    yield check


def _keys(data_dir: Path) -> dict[str, Any]:
    return dict(json.loads((data_dir / "vault.keys").read_text("utf-8")))


def _flip_db_page(data_dir: Path, offset_from_end: int = 3000) -> None:
    db = data_dir / "vault.db"
    data = bytearray(db.read_bytes())
    data[len(data) - offset_from_end] ^= 0x26
    db.write_bytes(bytes(data))


def test_verify_with_a_damaged_page(vault: Path) -> None:
    _flip_db_page(vault)
    before = snapshot(vault)
    report = Vault.verify(vault, SUPERVISOR, SUPERVISOR_PASS)
    assert not report.ok
    assert any("データベースが壊れています" in p for p in report.problems)
    assert snapshot(vault) == before


def test_unlock_and_verify_with_saves_missing(vault: Path) -> None:
    (vault / "vault.db-wal").unlink()
    before = snapshot(vault)
    report = Vault.verify(vault, SUPERVISOR, SUPERVISOR_PASS)
    assert any("件の保存が見つかりません" in p for p in report.problems)
    with pytest.raises(SavesMissing) as info:
        Vault.open(vault, SUPERVISOR, SUPERVISOR_PASS)
    assert "最後の" in info.value.message
    assert snapshot(vault) == before


def test_integrity_check_before_a_backup_refused(vault: Path) -> None:
    _flip_db_page(vault)
    before = snapshot(vault)
    with pytest.raises(VaultCorrupted) as info:
        Vault.open(vault, SUPERVISOR, SUPERVISOR_PASS, check_integrity=True)
    assert "データベースが壊れています" in info.value.message
    assert snapshot(vault) == before


def test_wrong_passphrase_writes_only_the_failure_counter(vault: Path) -> None:
    before = snapshot(vault)
    keys = _keys(vault)
    with pytest.raises(WrongPassphrase):
        Vault.open(vault, SUPERVISOR, "not the right passphrase")
    with pytest.raises(WrongPassphrase):
        Vault.verify(vault, COUNSELOR, "not the right passphrase")
    after = snapshot(vault)
    assert {k: v for k, v in after.items() if k != "vault.keys"} == {
        k: v for k, v in before.items() if k != "vault.keys"
    }
    now = _keys(vault)
    assert {k: v for k, v in now.items() if k != "throttle"} == {
        k: v for k, v in keys.items() if k != "throttle"
    }
    assert now["throttle"]["base"] == keys["throttle"]["base"]
    assert now["throttle"]["mac"] == keys["throttle"]["mac"]
    assert now["throttle"]["users"][COUNSELOR]["count"] == 1


def test_throttled_unlock(vault: Path) -> None:
    for _ in range(5):
        with pytest.raises(WrongPassphrase):
            Vault.open(vault, COUNSELOR, "not the right passphrase")
    before = snapshot(vault)
    with pytest.raises(Throttled):
        Vault.open(vault, COUNSELOR, COUNSELOR_PASS)
    assert snapshot(vault) == before


@pytest.mark.parametrize(
    "edit",
    [
        lambda k: k["audit_head"].update(mac="00" * 32),
        lambda k: k["commits"].update(n=k["commits"]["n"] - 1),
        lambda k: k.update(municipality="elsewhere"),
    ],
    ids=["audit_head", "commits", "municipality"],
)
def test_tampered_header(
    vault: Path, unchanged: Callable[[], None], edit: Callable[[dict[str, Any]], None]
) -> None:
    keys = _keys(vault)
    edit(keys)
    (vault / "vault.keys").write_text(json.dumps(keys), "utf-8")
    before = snapshot(vault)
    for action in (Vault.open, Vault.verify):
        with pytest.raises(VaultCorrupted) as info:
            action(vault, SUPERVISOR, SUPERVISOR_PASS)
        assert "改ざん" in info.value.message
    assert snapshot(vault) == before


def test_old_header_put_back(tmp_path: Path) -> None:
    data_dir = tmp_path / "v"
    make_vault(data_dir)
    old = (data_dir / "vault.keys").read_bytes()
    with Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.users.reset_passphrase(COUNSELOR, "a brand new passphrase 2026")
    _run_and_kill(WRITER, str(data_dir), "3")
    (data_dir / "vault.keys").write_bytes(old)
    before = snapshot(data_dir)
    with pytest.raises(VaultError):
        Vault.open(data_dir, COUNSELOR, COUNSELOR_PASS)
    assert snapshot(data_dir) == before


def test_vault_from_a_newer_version(vault: Path) -> None:
    Vault.open(vault, SUPERVISOR, SUPERVISOR_PASS).close()  # a clean close, then:
    _run_and_kill(NEWER, str(vault), data_key_hex(vault))
    before = snapshot(vault)
    assert (vault / "vault.db-wal").stat().st_size > 32
    for action in (Vault.open, Vault.verify):
        with pytest.raises(VaultTooNew):
            action(vault, SUPERVISOR, SUPERVISOR_PASS)
    assert snapshot(vault) == before


def test_precheck_and_role_refusals(vault: Path, unchanged: Callable[[], None]) -> None:
    def taken(conn: Any) -> None:
        assert conn.execute("SELECT count(*) FROM consultations").fetchone()[0] > 0
        raise AccountError("利用者「suzuki」は既に登録されています。何も変更していません。")

    with pytest.raises(AccountError):
        Vault.open(vault, SUPERVISOR, SUPERVISOR_PASS, precheck=taken)
    with pytest.raises(PermissionDenied):
        Vault.open(vault, COUNSELOR, COUNSELOR_PASS, require_supervisor=True)
    unchanged()


def test_restore_refusals_leave_the_current_vault(
    vault: Path, tmp_path: Path, unchanged: Callable[[], None]
) -> None:
    source = tmp_path / "source"
    make_vault(source)
    backup = tmp_path / "backup"
    with Vault.open(source, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.backup(backup)
    # a counselor may not restore; a wrong passphrase is refused (a counted failure)
    with pytest.raises(PermissionDenied):
        Vault.restore(vault, backup, COUNSELOR, COUNSELOR_PASS)
    # a doctored backup header
    doctored = tmp_path / "doctored"
    shutil.copytree(backup, doctored)
    keys = _keys(doctored)
    keys["audit_head"]["mac"] = "11" * 32
    (doctored / "vault.keys").write_text(json.dumps(keys), "utf-8")
    with pytest.raises(VaultError):
        Vault.restore(vault, doctored, SUPERVISOR, SUPERVISOR_PASS)
    # a backup of another vault
    with pytest.raises(VaultError):
        Vault.restore(vault, backup, SUPERVISOR, SUPERVISOR_PASS)
    # a backup with a damaged page
    damaged = tmp_path / "damaged"
    shutil.copytree(backup, damaged)
    _flip_db_page(damaged)
    with pytest.raises(VaultError):
        Vault.restore(vault, damaged, SUPERVISOR, SUPERVISOR_PASS)
    unchanged()
    assert not [p for p in vault.iterdir() if p.name.startswith((".restore-", "replaced-"))]


def test_a_wal_without_its_shm_is_read_without_creating_one(tmp_path: Path) -> None:
    """A copied folder (vault.db and vault.db-wal, no -shm): the check reads the WAL
    through a private copy and creates nothing in the folder."""
    data_dir = tmp_path / "v"
    make_vault(data_dir)
    conn = raw_connection(data_dir / "vault.db", data_key_hex(data_dir))
    conn.execute("UPDATE audit_log SET detail = 'edited' WHERE seq = 2")  # for verify to find
    conn.close()
    _run_and_kill(WRITER, str(data_dir), "6")
    (data_dir / "vault.db-shm").unlink()
    before = snapshot(data_dir)
    names = sorted(p.name for p in data_dir.iterdir())
    report = Vault.verify(data_dir, SUPERVISOR, SUPERVISOR_PASS)
    assert report.audit_first_bad == 2
    assert report.consultations == 6  # the saves still in the WAL were read
    assert snapshot(data_dir) == before
    assert sorted(p.name for p in data_dir.iterdir()) == names


def test_negative_control_a_read_write_connection_rewrites_the_files(vault: Path) -> None:
    """What the refusals used to do: close a read-write connection."""
    from intake_app.store.connection import open_connection

    before = snapshot(vault)
    key = bytearray(bytes.fromhex(data_key_hex(vault)))
    open_connection(vault / "vault.db", key).close()
    after = snapshot(vault)
    assert after != before
    assert "vault.db-wal" not in after  # folded into vault.db and deleted


def test_header_read_by_every_refusal_is_the_real_one(vault: Path) -> None:
    """The checks above compare against a header that opens: a sanity check."""
    header = Header.load(vault / "vault.keys")
    assert header.commits.n > 0 and header.audit_head["seq"] > 0
