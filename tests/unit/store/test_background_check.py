"""The check after unlock (security.md T12): a damaged page or an edited audit entry is
found in the background, after which the session refuses every write and closing it
folds nothing into the database; a clean vault is marked checked, so the next check
walks only the newer audit entries; after a crash the unlock itself stays O(1)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from intake_app.store import Vault, WritesStopped
from intake_app.store import connection as connection_mod
from intake_app.store.header import Header
from intake_app.store.synthetic import generate
from tests.unit.store.vault_helpers import (
    FAST_ENV,
    SUPERVISOR,
    SUPERVISOR_PASS,
    data_key_hex,
    make_vault,
    raw_connection,
    snapshot,
)

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAST_ENV, "1")


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    make_vault(tmp_path, counselor=False)
    with Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS) as session:
        session.records.save_intakes([(i.intake, None) for i in generate(30, seed=8)])
    return tmp_path


def _open(data_dir: Path) -> Vault:
    return Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS, background=True)


def test_a_clean_vault_is_checked_and_its_mark_remembered(vault: Path) -> None:
    session = _open(vault)
    status = session.wait_check(30)
    assert status is not None and status.state == "ok", status
    assert "異常なし" in status.text
    session.close()
    header = Header.load(vault / "vault.keys")
    with Vault.open(vault, SUPERVISOR, SUPERVISOR_PASS) as s:
        entries = s.audit_entries()
    check = next(e for e in entries if e.action == "vault_check")
    assert header.verified["seq"] == check.seq - 1  # everything before its own entry
    # The next check starts from that mark and moves it on.
    session = _open(vault)
    job = session._check_job
    assert job is not None and job._mark == header.verified
    assert session.wait_check(30).state == "ok"  # type: ignore[union-attr]
    session.close()
    assert Header.load(vault / "vault.keys").verified["seq"] > header.verified["seq"]


def test_a_damaged_page_stops_every_write_and_nothing_is_folded_in(vault: Path) -> None:
    db = vault / "vault.db"
    data = bytearray(db.read_bytes())
    data[len(data) - 3000] ^= 0x26  # a page of the records, not one the unlock reads
    db.write_bytes(bytes(data))
    session = _open(vault)
    status = session.wait_check(30)
    assert status is not None and status.state == "problem"
    assert session.writes_stopped
    assert any("データベースが壊れています" in p for p in session.check_problems())
    before = snapshot(vault)
    for attempt in (
        lambda: session.records.save_draft({"step": 0}, step=0),
        lambda: session.records.search("佐藤"),
        lambda: session.audit("print"),
        lambda: session.verify(),
    ):
        with pytest.raises(WritesStopped) as info:
            attempt()
        assert "バックアップから復元してください" in info.value.message
    assert snapshot(vault) == before
    session.close()
    after = snapshot(vault)
    assert after == before  # no lock entry, no header, the WAL not folded into vault.db
    assert "vault.db-wal" in after


def test_an_audit_entry_edited_with_the_key_is_found(vault: Path) -> None:
    # A vault never checked: the first check walks the whole chain.
    conn = raw_connection(vault / "vault.db", data_key_hex(vault))
    conn.execute("UPDATE audit_log SET detail = 'edited' WHERE seq = 3")
    conn.close()
    session = _open(vault)
    status = session.wait_check(30)
    assert status is not None and status.state == "problem"
    assert any("第 3 項目" in p for p in session.check_problems())
    with pytest.raises(WritesStopped):
        session.records.save_draft({"step": 0}, step=0)
    session.close()


def test_an_entry_after_the_mark_deleted_with_the_key_is_found(vault: Path) -> None:
    session = _open(vault)
    assert session.wait_check(30).state == "ok"  # type: ignore[union-attr]
    for i in generate(3, seed=9):
        session.records.save_intake(i.intake)
    session.close()
    mark = Header.load(vault / "vault.keys").verified["seq"]
    conn = raw_connection(vault / "vault.db", data_key_hex(vault))
    conn.execute("DELETE FROM audit_log WHERE seq = ?", (mark + 2,))
    conn.close()
    session = _open(vault)
    assert session.wait_check(30).state == "problem"  # type: ignore[union-attr]
    assert any(f"第 {mark + 2} 項目" in p for p in session.check_problems())
    session.close()


def test_a_page_read_while_a_checkpoint_writes_it_is_confirmed_before_it_counts(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A torn read (the program's checkpoint writing a page as the check reads it)
    looks like damage once; the second run under the session's lock decides."""
    from intake_app.store import background

    calls: list[str] = []
    real = background.BackgroundCheck._check

    def first_run_sees_damage(self: background.BackgroundCheck, conn, outcome):  # type: ignore[no-untyped-def]
        original = self._confirm

        def confirm(again):  # type: ignore[no-untyped-def]
            calls.append("confirmed")
            return original(again)

        self._confirm = confirm
        execute = conn.execute

        class Once:
            def __init__(self) -> None:
                self.done = False

            def __call__(self, sql: str, *a):  # type: ignore[no-untyped-def]
                if sql == "PRAGMA cipher_integrity_check" and not self.done:
                    self.done = True
                    return execute("SELECT 'HMAC verification failed for page 7'")
                return execute(sql, *a)

        proxy = type("P", (), {})()
        once = Once()
        proxy.execute = once
        proxy.set_progress_handler = conn.set_progress_handler
        return real(self, proxy, outcome)

    monkeypatch.setattr(background.BackgroundCheck, "_check", first_run_sees_damage)
    session = _open(vault)
    assert session.wait_check(30).state == "ok"  # type: ignore[union-attr]
    assert calls == ["confirmed"]
    assert not session.writes_stopped
    session.close()


WRITER = textwrap.dedent(
    """
    import sys, time
    from intake_app.store import Vault
    session = Vault.open(sys.argv[1], "sato", "blue kettle under the stairs")
    session.records.save_draft({"step": 1}, step=1)
    print("ready", flush=True)
    time.sleep(120)
    """
)


def _crash(data_dir: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), **{FAST_ENV: "1"})
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data_dir)], env=env, stdout=subprocess.PIPE, text=True
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


def test_after_a_crash_the_unlock_does_not_run_the_full_check_in_front(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _crash(vault)
    foreground: list[str] = []
    real = connection_mod.integrity_problems

    def spy(conn):  # type: ignore[no-untyped-def]
        foreground.append("integrity")
        return real(conn)

    monkeypatch.setattr("intake_app.store.checks.integrity_problems", spy)
    session = _open(vault)
    assert foreground == []  # nothing in front of the counselor
    status = session.wait_check(60)
    assert status is not None and status.state == "ok", status
    session.close()
    with Vault.open(vault, SUPERVISOR, SUPERVISOR_PASS) as s:
        actions = [e.action for e in s.audit_entries(limit=10)]
    assert "integrity_check_after_crash" in actions


def test_a_lock_during_the_check_after_a_crash_keeps_the_crash_flag(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from intake_app.store import background

    _crash(vault)
    release = threading.Event()
    real = background.BackgroundCheck._check

    def slow(self, conn, outcome):  # type: ignore[no-untyped-def]
        release.wait(10)
        return real(self, conn, outcome)

    monkeypatch.setattr(background.BackgroundCheck, "_check", slow)
    session = _open(vault)
    session.close()  # before the check could pass
    release.set()
    monkeypatch.setattr(background.BackgroundCheck, "_check", real)
    # The next unlock (a command, checking in front) checks after the crash again.
    with Vault.open(vault, SUPERVISOR, SUPERVISOR_PASS) as s:
        actions = [e.action for e in s.audit_entries()]
    assert actions.count("integrity_check_after_crash") == 1


def _share_a_root_page(data_dir: Path) -> None:
    """Damage only the structure, with the key (every page's HMAC stays valid): two
    tables made to share one root page, as a torn write of the schema could leave."""
    conn = raw_connection(data_dir / "vault.db", data_key_hex(data_dir))
    try:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'prints'").fetchone()
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = 'drafts'", root)
        conn.execute("PRAGMA writable_schema = OFF")
    finally:
        conn.close()


def test_after_a_crash_the_check_finds_damaged_structure_and_stops_every_write(
    vault: Path,
) -> None:
    """Step 2 (after a crash only): the B-trees. Negative control: after a clean lock the
    same damage is not looked for (the page check alone passes)."""
    _share_a_root_page(vault)
    session = _open(vault)  # no crash: pages and audit chain only
    status = session.wait_check(60)
    assert status is not None and status.state == "ok", status
    session.close()
    _crash(vault)
    session = _open(vault)
    status = session.wait_check(60)
    assert status is not None and status.state == "problem", status
    assert any("データベースが壊れています" in p for p in status.problems), status.problems
    with pytest.raises(WritesStopped):
        session.records.save_intake(next(iter(generate(1, seed=3))).intake)
    session.close()
