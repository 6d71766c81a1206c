"""security.md test 4 for rekey: kill -9 of a process in the middle of rekeying, at
random moments, over several rounds. Afterwards the vault opens with the right
passphrase (finishing or discarding the interrupted rekey), both integrity checks
and the audit chain pass, and every acknowledged write is there."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from intake_app.store import Vault
from tests.unit.store.vault_helpers import (
    COUNSELOR,
    COUNSELOR_PASS,
    FAST_ENV,
    SUPERVISOR,
    SUPERVISOR_PASS,
    make_vault,
)

ROOT = Path(__file__).resolve().parents[3]
ROUNDS = 12

REKEYER = textwrap.dedent(
    """
    import sys
    from intake_app.store import Vault

    session = Vault.open(sys.argv[1], "sato", "blue kettle under the stairs")
    n = int(sys.argv[2])
    while True:
        n += 1
        with session.transaction("setting_change", "round") as conn:
            conn.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (f"k{n}", str(n))
            )
        print(f"W {n}", flush=True)
        session.rekey()
        print(f"R {n}", flush=True)
    """
)


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FAST_ENV, "1")


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT), **{FAST_ENV: "1"})


def test_kill_9_during_rekey_never_loses_the_vault(tmp_path: Path) -> None:
    make_vault(tmp_path)
    rng = random.Random(20261125)
    acknowledged: set[int] = set()
    start = 0
    for _ in range(ROUNDS):
        proc = subprocess.Popen(
            [sys.executable, "-c", REKEYER, str(tmp_path), str(start)],
            env=_env(),
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        try:
            assert proc.stdout is not None
            for _ in range(rng.randint(1, 3)):  # a few completed rounds first
                line = proc.stdout.readline().split()
                assert line, "the rekeying process ended early"
                if line[0] == "W":
                    acknowledged.add(int(line[1]))
            time.sleep(rng.uniform(0.0, 0.03))  # then die somewhere inside a rekey
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
            for rest in proc.stdout.read().split("\n"):
                parts = rest.split()
                if parts and parts[0] == "W":
                    acknowledged.add(int(parts[1]))
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        with Vault.open(tmp_path, SUPERVISOR, SUPERVISOR_PASS) as session:
            report = session.verify()  # both integrity checks and the audit chain
            assert report.ok, report.problems
            with session.read("setting_view") as conn:
                present = {
                    int(k[1:])
                    for (k,) in conn.execute("SELECT key FROM settings WHERE key LIKE 'k%'")
                }
        assert acknowledged <= present
        assert not (tmp_path / "vault.keys.new").exists()
        start = max(present | {start}) + 1
    # Every slot, not just the one that finished the rekey, opens with its passphrase.
    Vault.open(tmp_path, COUNSELOR, COUNSELOR_PASS).close()
