"""Single-instance lock (stale lock of a killed process) and failed-unlock throttling."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from intake_app.store import (
    InstanceLock,
    Throttled,
    Vault,
    VaultInUse,
    VaultIOError,
    WrongPassphrase,
)
from intake_app.store import header as header_mod
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

HOLDER = textwrap.dedent(
    """
    import sys, time
    from intake_app.store.lock import InstanceLock, set_program_name
    set_program_name("intake-app 画面")
    InstanceLock(sys.argv[1]).acquire()
    print("ready", flush=True)
    time.sleep(60)
    """
)


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAST_ENV, "1")


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT), **{FAST_ENV: "1"})


def test_second_instance_told_who_holds_the_vault_and_stale_lock_recovered(
    tmp_path: Path,
) -> None:
    make_vault(tmp_path, counselor=False)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)],
        env=_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        before = snapshot(tmp_path)
        with pytest.raises(VaultInUse) as info:
            Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS)
        assert "intake-app 画面" in info.value.message
        assert str(holder.pid) in info.value.message
        assert snapshot(tmp_path) == before  # the database was never opened
        os.kill(holder.pid, signal.SIGKILL)  # the lock file stays behind
        holder.wait(timeout=10)
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert (tmp_path / "vault.lock").exists()
    Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS).close()


def test_lock_is_reentrant_in_one_process(tmp_path: Path) -> None:
    make_vault(tmp_path, counselor=False)
    with InstanceLock(tmp_path):
        session = Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS)
        session.close()
        Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS).close()
    probe = subprocess.run(
        [sys.executable, "-c", HOLDER.replace("time.sleep(60)", ""), str(tmp_path)],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.stdout.strip() == "ready", probe.stderr  # released after the last user


def test_throttle_delays_grow_and_cap_at_five_minutes() -> None:
    delays = [header_mod.throttle_delay(n) for n in range(12)]
    assert delays[:5] == [0.0] * 5
    assert delays[5:10] == [30.0, 60.0, 120.0, 240.0, 300.0]
    assert max(delays) == 300.0
    assert header_mod.throttle_delay(10_000) == 300.0


THROTTLE_PROBE = textwrap.dedent(
    """
    import json, sys
    from intake_app.store import Vault, Throttled
    wait = Vault.throttle_wait(sys.argv[1], sys.argv[2])
    try:
        Vault.open(sys.argv[1], sys.argv[2], sys.argv[3]).close()
        outcome = "opened"
    except Throttled as exc:
        outcome = exc.message
    print(json.dumps({"wait": wait, "outcome": outcome}))
    """
)


def test_throttling_survives_a_restart_and_is_audited_at_next_unlock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    make_vault(tmp_path)
    for _ in range(5):
        with pytest.raises(WrongPassphrase):
            Vault.open(tmp_path, COUNSELOR, "a wrong passphrase again")
    with pytest.raises(Throttled) as info:
        Vault.open(tmp_path, COUNSELOR, COUNSELOR_PASS)
    assert 0 < info.value.wait_s <= 30
    assert "秒待って" in info.value.message

    # A new process (the program restarted) sees the same counter.
    probe = subprocess.run(
        [sys.executable, "-c", THROTTLE_PROBE, str(tmp_path), COUNSELOR, COUNSELOR_PASS],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result = json.loads(probe.stdout)
    assert result["wait"] > 0
    assert "秒待って" in result["outcome"]

    # Other users are not held back.
    Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS).close()

    # After the delay has passed the right passphrase opens, and the failures are audited.
    real_time = header_mod.time.time
    monkeypatch.setattr(header_mod.time, "time", lambda: real_time() + 31)
    Vault.open(tmp_path, COUNSELOR, COUNSELOR_PASS).close()
    monkeypatch.setattr(header_mod.time, "time", real_time)
    with Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS) as session:
        entries = session.audit_entries()
    failures = [e for e in entries if e.action == "unlock_failures"]
    assert len(failures) == 1
    assert failures[0].user_name == COUNSELOR and failures[0].detail == "5"
    assert Vault.throttle_wait(tmp_path, COUNSELOR) == 0


def test_each_further_failure_doubles_the_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_vault(tmp_path, counselor=False)
    clock = [1_000_000.0]
    monkeypatch.setattr(header_mod.time, "time", lambda: clock[0])
    for _ in range(5):
        with pytest.raises(WrongPassphrase):
            Vault.open(tmp_path, SUPERVISOR, "a wrong passphrase again")
    assert Vault.throttle_wait(tmp_path, SUPERVISOR) == 30
    clock[0] += 30
    with pytest.raises(WrongPassphrase):
        Vault.open(tmp_path, SUPERVISOR, "a wrong passphrase again")
    assert Vault.throttle_wait(tmp_path, SUPERVISOR) == 60
    clock[0] += 59
    with pytest.raises(Throttled):
        Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS)


WRITER = textwrap.dedent(
    """
    import sys, time
    from intake_app.store import Vault
    session = Vault.open(sys.argv[1], "sato", "blue kettle under the stairs")
    print("ready", flush=True)
    time.sleep(60)
    """
)


def test_first_unlock_after_a_crash_checks_integrity(tmp_path: Path) -> None:
    make_vault(tmp_path, counselor=False)
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path)], env=_env(), stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=10)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
        if writer.stdout is not None:
            writer.stdout.close()
    with Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS) as session:
        actions = [e.action for e in session.audit_entries(limit=3)]
    assert "integrity_check_after_crash" in actions
    with Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS) as session:
        actions = [e.action for e in session.audit_entries(limit=3)]
    assert "integrity_check_after_crash" not in actions  # a clean exit: no check needed


def test_crash_flag_kept_until_a_vault_is_actually_unlocked(tmp_path: Path) -> None:
    make_vault(tmp_path, counselor=False)
    (tmp_path / "vault.lock").write_text('{"program": "intake-app", "pid": 1}'.ljust(1023) + "\n")
    with InstanceLock(tmp_path):
        pass  # started after the crash, quit at the unlock screen
    with Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS) as session:
        actions = [e.action for e in session.audit_entries(limit=3)]
    assert "integrity_check_after_crash" in actions


@pytest.mark.parametrize("kind", ["symlink", "dangling", "directory", "fifo"])
def test_a_lock_file_that_is_not_a_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    """Issue 14: a vault.lock linking elsewhere got that file overwritten."""
    data_dir = tmp_path / "data"
    make_vault(data_dir, counselor=False)
    target = tmp_path / "elsewhere.txt"
    target.write_text("someone else's file\n", "utf-8")
    lock = data_dir / "vault.lock"
    lock.unlink()
    if kind == "symlink":
        lock.symlink_to(target)
    elif kind == "dangling":
        lock.symlink_to(tmp_path / "created-through-the-link")
    elif kind == "directory":
        lock.mkdir()
    else:
        os.mkfifo(lock)
    before = snapshot(data_dir)
    with pytest.raises(VaultIOError) as info:
        Vault.open(data_dir, SUPERVISOR, SUPERVISOR_PASS)
    assert "ロックファイルが通常のファイルではありません" in info.value.message
    assert target.read_text("utf-8") == "someone else's file\n"
    assert not (tmp_path / "created-through-the-link").exists()
    assert snapshot(data_dir) == before
