"""security.md test 11: a damaged or deleted WAL never takes acknowledged saves silently.

A writer process saves intakes and is killed with SIGKILL; then bytes of its
``vault.db-wal`` are flipped, or the file is deleted. SQLite treats a frame that
fails its checksum as the end of the log, so the transactions after it are gone.
In every trial either every acknowledged save is still there, or ``verify`` and the
next unlock both fail naming what is missing (「最後の N 件の保存が見つかりません」),
with at least as many record writes named as acknowledged consultations lost, and
``verify`` changed no byte of any file. The negative control runs the writer as the
program was before (the header written at most every 2 s, not after each commit):
saves are then lost and verify passes.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from intake_app.store import Vault, VaultCorrupted
from tests.unit.store.records_support import PASSPHRASE, USER, create_vault
from tests.unit.store.vault_helpers import data_key_hex, raw_connection, snapshot

ROOT = Path(__file__).resolve().parents[3]
MISSING = re.compile(r"最後の (\d+) 件の保存が見つかりません（([^）]*)）")


def killed_writer(
    data_dir: Path, seed: int, rng: random.Random, *, lazy_header: bool = False
) -> dict[int, int]:
    """Run ``records_writer`` for a moment, kill it; the acknowledged consultations."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    extra = ["lazy-header"] if lazy_header else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.unit.store.records_writer", str(data_dir), str(seed), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env=env,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("D "), first
    time.sleep(rng.uniform(0.3, 0.9))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    acked: dict[int, int] = {}
    for line in [first, *proc.stdout.read().splitlines()]:
        kind, a, b = line.split()
        if kind == "S":
            acked[int(a)] = int(b)
    proc.stdout.close()
    return acked


def damage_wal(data_dir: Path, rng: random.Random, mode: str) -> None:
    wal = data_dir / "vault.db-wal"
    assert wal.exists() and wal.stat().st_size > 32, "the writer left no WAL"
    if mode == "delete":
        wal.unlink()
        return
    data = bytearray(wal.read_bytes())
    for _ in range(rng.randint(1, 3)):
        data[rng.randrange(32, len(data))] ^= 1 << rng.randrange(8)
    wal.write_bytes(bytes(data))


def present(data_dir: Path) -> set[int]:
    """The consultations in the database, read with the bare key (no program checks)."""
    conn = raw_connection(data_dir / "vault.db", data_key_hex(data_dir, USER, PASSPHRASE))
    try:
        return {int(r[0]) for r in conn.execute("SELECT id FROM consultations")}
    finally:
        conn.close()


def run_trials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trials: int, *, lazy_header: bool = False
) -> list[dict[str, Any]]:
    rng = random.Random(1411)
    results = []
    for trial in range(trials):
        data_dir = tmp_path / f"t{trial}"
        create_vault(data_dir, monkeypatch)
        acked = killed_writer(data_dir, trial, rng, lazy_header=lazy_header)
        mode = "delete" if trial % 4 == 3 else "flip"
        damage_wal(data_dir, rng, mode)
        before = snapshot(data_dir)
        report = Vault.verify(data_dir, USER, PASSPHRASE)
        after_verify = snapshot(data_dir)
        try:
            Vault.open(data_dir, USER, PASSPHRASE).close()
            refused = ""
        except VaultCorrupted as exc:
            refused = exc.message
        results.append(
            {
                "trial": trial,
                "mode": mode,
                "acked": acked,
                "report": report,
                "verify_wrote": after_verify != before,
                "refused": refused,
                "data_dir": data_dir,
            }
        )
    return results


@pytest.mark.slow
def test_a_damaged_or_deleted_wal_never_loses_an_acknowledged_save_silently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lost_somewhere = 0
    for r in run_trials(tmp_path, monkeypatch, 12):
        assert r["acked"], f"trial {r['trial']}: the writer acknowledged nothing"
        if r["refused"]:
            # Saves are missing: verify says so too, and wrote nothing.
            assert not r["report"].ok
            found = [MISSING.search(p) for p in r["report"].problems]
            match = next(m for m in found if m is not None)
            assert MISSING.search(r["refused"]) is not None
            assert "バックアップから復元してください" in r["refused"]
            assert not r["verify_wrote"], f"trial {r['trial']}: verify changed the files"
            # Every acknowledged consultation that is gone is among the record writes named.
            writes = re.search(r"記録の書き込み (\d+) 件", match.group(2))
            from_header = int(writes.group(1)) if writes else 0
            ids = present(r["data_dir"])
            lost = [cid for cid in r["acked"] if cid not in ids]
            assert len(lost) <= from_header
            lost_somewhere += bool(lost)
        else:
            # The vault opens: every acknowledged save is there and verify passed.
            assert r["report"].ok, r["report"].problems
            ids = present(r["data_dir"])
            assert not [cid for cid in r["acked"] if cid not in ids], f"trial {r['trial']}"
    assert lost_somewhere, "no trial lost a save: the test did not damage anything"


@pytest.mark.slow
def test_negative_control_without_the_counter_saves_vanish_and_verify_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    silent = 0
    for r in run_trials(tmp_path, monkeypatch, 4, lazy_header=True):
        if r["report"].ok and not r["refused"]:
            ids = present(r["data_dir"])
            silent += any(cid not in ids for cid in r["acked"])
    assert silent, "the WAL damage never lost a save silently without the counter"
