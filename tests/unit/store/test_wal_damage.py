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
from intake_app.store.wal import WAL_ASIDE_PENDING
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


def damage_wal(data_dir: Path, rng: random.Random, mode: str) -> bool:
    """Flip bits in the WAL or delete it. Returns whether ``vault.db`` already held a
    page written by a transaction the damage cuts off (a checkpoint was copying the WAL
    when the writer died): then no consistent state is left to read."""
    wal = data_dir / "vault.db-wal"
    assert wal.exists() and wal.stat().st_size > 32, "the writer left no WAL"
    original = wal.read_bytes()
    first_bad = 32
    if mode == "delete":
        wal.unlink()
    else:
        data = bytearray(original)
        spots = [rng.randrange(32, len(data)) for _ in range(rng.randint(1, 3))]
        for spot in spots:
            data[spot] ^= 1 << rng.randrange(8)
        wal.write_bytes(bytes(data))
        first_bad = min(spots)
    return file_holds_frames_from(data_dir / "vault.db", original, first_bad)


def file_holds_frames_from(db: Path, wal: bytes, offset: int) -> bool:
    """A frame of ``wal`` at or after the one holding ``offset`` (of the WAL's current
    generation) is already in the database file, byte for byte."""
    size = 24 + int.from_bytes(wal[8:12], "big")
    first = 32 + (offset - 32) // size * size
    data = db.read_bytes()
    for frame in range(first, len(wal) - size + 1, size):
        if wal[frame + 8 : frame + 16] != wal[16:24]:
            break  # an older generation's frame: the current one ends here
        page = int.from_bytes(wal[frame : frame + 4], "big")
        content = wal[frame + 24 : frame + size]
        if data[(page - 1) * (size - 24) : page * (size - 24)] == content:
            return True
    return False


class Unreadable:
    """``verify`` refused to report (the database could not be opened for the check)."""

    def __init__(self, message: str) -> None:
        self.problems = [message]
        self.ok = False


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
        overlap = damage_wal(data_dir, rng, mode)
        before = snapshot(data_dir)
        try:
            report: Any = Vault.verify(data_dir, USER, PASSPHRASE)
        except VaultCorrupted as exc:
            report = Unreadable(exc.message)
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
                "overlap": overlap,
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
            assert not r["report"].ok
            assert "バックアップから復元してください" in r["refused"]
            assert not r["verify_wrote"], f"trial {r['trial']}: verify changed the files"
            if r["overlap"]:
                # The database file already held pages of the transactions the damage
                # cut off, and the WAL index did not show a finished checkpoint: no
                # consistent state is left, and both say the vault cannot be used.
                continue
            # Saves are missing: verify says so too, naming them.
            found = [MISSING.search(p) for p in r["report"].problems]
            match = next((m for m in found if m is not None), None)
            assert match is not None, (r["trial"], r["report"].problems)
            assert MISSING.search(r["refused"]) is not None
            # Every acknowledged consultation that is gone is among the record writes named.
            writes = re.search(r"記録の書き込み (\d+) 件", match.group(2))
            from_header = int(writes.group(1)) if writes else 0
            ids = present(r["data_dir"])
            lost = [cid for cid in r["acked"] if cid not in ids]
            assert len(lost) <= from_header
            lost_somewhere += bool(lost)
        else:
            # The vault opens: every acknowledged save is there, and verify passed or
            # found only a damaged WAL whose frames were all in vault.db (set aside).
            assert r["report"].ok or r["report"].problems == [WAL_ASIDE_PENDING], r[
                "report"
            ].problems
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


SAVE_AND_VANISH = """
import os, sys
from pathlib import Path
from intake_app.store.synthetic import generate
from tests.unit.store.records_support import open_vault
session = open_vault(Path(sys.argv[1]))
for item in generate(3, seed=5, min_gap=1):
    print(session.records.save_intake(item.intake).consultation_id, flush=True)
os._exit(0)  # as after kill -9: the WAL and its index (-shm) stay behind
"""


def saved_and_vanished(script: str, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A new vault, ``script`` run on it in a process that saves and exits without
    closing (as after kill -9); the consultation ids it acknowledged."""
    create_vault(data_dir, monkeypatch)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", script, str(data_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    ).stdout.split()
    return [int(x) for x in out]


def last_commit_frame(wal: bytes) -> int:
    """Offset of the last valid commit frame of a WAL (its salt matches the header)."""
    page_size = int.from_bytes(wal[8:12], "big")
    salt = wal[16:24]
    frame = 24 + page_size
    last = -1
    for offset in range(32, len(wal) - frame + 1, frame):
        if wal[offset + 8 : offset + 16] == salt and int.from_bytes(wal[offset + 4 : offset + 8]):
            last = offset
    assert last > 0, "no commit frame in the WAL"
    return last


def test_verify_reads_a_wal_damaged_after_a_crash_as_the_unlock_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a crash the ``-shm`` still describes the WAL as it was. A byte flipped in the
    last save's commit frame afterwards must be read as SQLite's recovery reads it (that
    save is gone), so verify names the missing save exactly as the unlock does, and
    writes nothing (it must not trust the stale index nor rebuild it on disk)."""
    data_dir = tmp_path / "data"
    out = saved_and_vanished(SAVE_AND_VANISH, data_dir, monkeypatch)
    assert len(out) == 3
    wal_path = data_dir / "vault.db-wal"
    assert (data_dir / "vault.db-shm").exists(), "the crash left no WAL index"
    wal = bytearray(wal_path.read_bytes())
    wal[last_commit_frame(bytes(wal)) + 24 + 100] ^= 0x10
    wal_path.write_bytes(bytes(wal))
    before = snapshot(data_dir)

    report = Vault.verify(data_dir, USER, PASSPHRASE)

    assert snapshot(data_dir) == before, "verify changed the files"
    found = [m for m in (MISSING.search(p) for p in report.problems) if m is not None]
    assert found, report.problems
    assert found[0].group(1) == "1" and "記録の書き込み 1 件" in found[0].group(2)
    with pytest.raises(VaultCorrupted) as refused:
        Vault.open(data_dir, USER, PASSPHRASE).close()
    assert MISSING.search(refused.value.message) is not None
    assert out[-1] not in present(data_dir)  # the last save really is gone
    assert out[0] in present(data_dir)


SAVE_CHECKPOINT_AND_VANISH = """
import os, sys
from pathlib import Path
from intake_app.store.synthetic import generate
from tests.unit.store.records_support import open_vault
session = open_vault(Path(sys.argv[1]))
for item in generate(4, seed=6, min_gap=1):
    print(session.records.save_intake(item.intake).consultation_id, flush=True)
with session.unaudited() as conn:  # the WAL copied into vault.db, not yet started afresh
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
os._exit(0)
"""


def crashed_after_checkpoint(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    out = saved_and_vanished(SAVE_CHECKPOINT_AND_VANISH, data_dir, monkeypatch)
    assert len(out) == 4
    return out


def flip_early_frame(data_dir: Path) -> bytes:
    """A byte flipped in the page of the frame after the WAL's first commit (the second
    transaction and every later one are cut off); returns the damaged WAL."""
    wal_path = data_dir / "vault.db-wal"
    wal = bytearray(wal_path.read_bytes())
    size = 24 + int.from_bytes(wal[8:12], "big")
    first_commit = next(
        offset
        for offset in range(32, len(wal) - size + 1, size)
        if int.from_bytes(wal[offset + 4 : offset + 8], "big")
    )
    assert first_commit + 2 * size <= len(wal), "the WAL holds a single transaction"
    wal[first_commit + size + 24 + 50] ^= 0x08
    wal_path.write_bytes(bytes(wal))
    return bytes(wal)


def test_a_damaged_wal_already_copied_into_the_database_is_set_aside_and_nothing_is_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The program died after a checkpoint had copied every frame into vault.db, and
    the WAL was damaged afterwards. Read with its WAL the vault is damaged (the older
    pages before the damage lie over newer ones); the database file alone holds every
    save. Verify says so and writes nothing; the unlock keeps the damaged WAL under
    another name, opens the file alone, tells the user and logs it."""
    from intake_app.store import wal as wal_mod

    data_dir = tmp_path / "data"
    saved = crashed_after_checkpoint(data_dir, monkeypatch)
    assert wal_mod.checkpointed(data_dir / "vault.db")
    damaged = flip_early_frame(data_dir)
    before = snapshot(data_dir)

    report = Vault.verify(data_dir, USER, PASSPHRASE)

    assert snapshot(data_dir) == before, "verify changed the files"
    assert report.problems == [wal_mod.WAL_ASIDE_PENDING]
    session = Vault.open(data_dir, USER, PASSPHRASE)
    try:
        kept = sorted(data_dir.glob("vault.db-wal.damaged-*"))
        assert len(kept) == 1 and kept[0].read_bytes() == damaged
        assert session.notices == [wal_mod.WAL_ASIDE_NOTICE.format(name=kept[0].name)]
        with session.read("test.inspect") as conn:
            ids = {r[0] for r in conn.execute("SELECT id FROM consultations")}
            actions = [
                (r[0], r[1])
                for r in conn.execute("SELECT action, object_id FROM audit_log ORDER BY seq")
            ]
        assert set(saved) <= ids
        assert ("wal_set_aside", kept[0].name) in actions
    finally:
        session.close()
    assert Vault.verify(data_dir, USER, PASSPHRASE).ok


def test_a_wal_index_claiming_a_checkpoint_that_never_happened_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control: the index says every frame was copied, but vault.db lacks the
    saves. The file alone fails the unlock's checks, so the WAL is not set aside: the
    missing saves are named and no file changes."""
    from intake_app.store import wal as wal_mod

    data_dir = tmp_path / "data"
    saved_and_vanished(SAVE_AND_VANISH, data_dir, monkeypatch)
    shm_path = data_dir / "vault.db-shm"
    shm = bytearray(shm_path.read_bytes())
    assert not wal_mod.checkpointed(data_dir / "vault.db")
    shm[96:100] = shm[16:20]  # nBackfill = mxFrame (not covered by the header checksum)
    shm_path.write_bytes(bytes(shm))
    assert wal_mod.checkpointed(data_dir / "vault.db")
    flip_early_frame(data_dir)
    before = snapshot(data_dir)

    report = Vault.verify(data_dir, USER, PASSPHRASE)
    with pytest.raises(VaultCorrupted) as refused:
        Vault.open(data_dir, USER, PASSPHRASE).close()

    assert snapshot(data_dir) == before
    assert not list(data_dir.glob("vault.db-wal.damaged-*"))
    assert any(MISSING.search(p) for p in report.problems), report.problems
    assert MISSING.search(refused.value.message) is not None
