"""The check after a crash, in the background, against the bare page check.

    python bench/check.py --count N [--audit-entries M] [--dir D] [--keep]

Builds (or, with ``--dir`` holding one, reuses) a vault of N synthetic consultations
and M extra audit entries, checks it once in the background so the header remembers
the last verified audit entry, then lets a writer process save a few intakes and
kills it (SIGKILL): the next unlock is the first after a crash. It measures

- ``unlock_after_kdf_ms``: ``Vault.open(background=True)`` minus the Argon2id time, up to
  the session being usable (nothing of the check runs in front);
- ``check_s``: until the background check after the crash has finished
  (``cipher_integrity_check``, ``quick_check``, the audit chain since the mark),
  with ``check_pages_s`` its page check;
- ``save_during_check_p95_ms`` (``saves_during_check`` saves): one intake saved while the
  check runs, i.e. the program stays usable;
- ``bare_cipher_integrity_check_s`` and ``bare_quick_check_s``: the two pragmas alone
  on a read-only connection, in the same run (the reference);
- ``first_check_s``: the first check of the vault (no mark: the whole audit chain).

The last line printed is one JSON object. Target (issue 20): ``check_s`` ≤ 120 at
1,000,000 consultations, with the program usable meanwhile.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intake_app.commands.demo import fill  # noqa: E402
from intake_app.store import kdf  # noqa: E402
from intake_app.store.connection import checking_connection  # noqa: E402
from intake_app.store.header import Header  # noqa: E402
from intake_app.store.synthetic import generate  # noqa: E402
from intake_app.store.vault import Vault  # noqa: E402

USER = "bench"
PASSPHRASE = "bench passphrase 相談記録 2026"

WRITER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, sys.argv[2])
    from intake_app.store.synthetic import generate
    from intake_app.store.vault import Vault
    session = Vault.open(sys.argv[1], "bench", "bench passphrase 相談記録 2026")
    for item in generate(20, seed=99, min_gap=20):
        session.records.save_intake(item.intake)
    print("ready", flush=True)
    time.sleep(600)
    """
)


def timed_open(folder: Path, **kwargs: Any) -> tuple[Any, float]:
    """Open, returning the session and the milliseconds spent outside Argon2id."""
    original = kdf.derive
    spent = [0.0]

    def measured(*args: Any, **kw: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original(*args, **kw)
        finally:
            spent[0] += time.perf_counter() - t0

    kdf.derive = measured  # type: ignore[assignment]
    try:
        t0 = time.perf_counter()
        session = Vault.open(folder, USER, PASSPHRASE, **kwargs)
        total = time.perf_counter() - t0
    finally:
        kdf.derive = original  # type: ignore[assignment]
    return session, (total - spent[0]) * 1000


def build(folder: Path, count: int, audit_entries: int) -> float:
    t0 = time.perf_counter()
    Vault.create(folder, USER, PASSPHRASE)
    with Vault.open(folder, USER, PASSPHRASE) as session:
        fill(session, count)
        done = 0
        while done < audit_entries:  # a long audit log, as years of use leave it
            batch = min(50_000, audit_entries - done)
            with session.transaction("bench.audit_fill", detail=str(batch)) as conn:
                for i in range(batch - 1):
                    session._chain_append_extra(conn, "case.open", f"case:{i % 997}", None)
            done += batch
    return time.perf_counter() - t0


def crash(folder: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder), str(ROOT)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    if line != "ready":
        raise SystemExit("the writer did not start")


def bare(folder: Path) -> tuple[float, float]:
    header = Header.load(folder / "vault.keys")
    slot = header.user_slot(USER)
    assert slot is not None
    private, pinned = slot.open_blob(header.vault_id, PASSPHRASE)
    key = slot.unseal(header.vault_id, private, pinned)
    with checking_connection(folder / "vault.db", key) as conn:
        t0 = time.perf_counter()
        conn.execute("PRAGMA cipher_integrity_check").fetchall()
        pages = time.perf_counter() - t0
        t0 = time.perf_counter()
        conn.execute("PRAGMA quick_check").fetchall()
        structure = time.perf_counter() - t0
    return pages, structure


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--audit-entries", type=int, default=0)
    parser.add_argument("--dir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--skip-first", action="store_true", help="no first (whole-chain) check of a reused vault"
    )
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="intake-check-bench-"))
    folder = work / "vault"
    result: dict[str, Any] = {"count": args.count}
    try:
        if (folder / "vault.keys").exists():
            print(f"reusing {folder}", file=sys.stderr)
        else:
            folder.mkdir(parents=True, exist_ok=True)
            result["build_s"] = round(build(folder, args.count, args.audit_entries), 1)
            print(f"built in {result['build_s']} s", file=sys.stderr)
        result["file_mb"] = round((folder / "vault.db").stat().st_size / 1e6, 1)

        # the first check: no mark yet, the whole audit chain (skipped on request when a
        # previous run left its mark in the header)
        session, _ = timed_open(folder, background=not args.skip_first)
        t0 = time.perf_counter()
        status = session.wait_check()
        if not args.skip_first:
            result["first_check_s"] = round(time.perf_counter() - t0, 2)
            result["first_check_state"] = status.state if status else None
        if session.last_check is not None:
            result["first_check_pages_s"] = round(session.last_check.pages_s, 2)
        with session.read("bench.count") as conn:
            result["audit_entries"] = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
        session.close()

        crash(folder)
        session, unlock_ms = timed_open(folder, background=True)
        result["unlock_after_kdf_ms"] = round(unlock_ms, 1)
        t0 = time.perf_counter()
        job = session._check_job
        saves: list[float] = []
        items = iter(generate(10_000, seed=7, min_gap=10_000))
        while job is not None and not job.done:
            s0 = time.perf_counter()
            session.records.save_intake(next(items).intake)
            saves.append((time.perf_counter() - s0) * 1000)
            time.sleep(0.2)  # a counselor saves now and then, not in a loop
        status = session.wait_check()
        result["check_s"] = round(time.perf_counter() - t0, 2)
        result["check_state"] = status.state if status else None
        if session.last_check is not None:
            result["check_pages_s"] = round(session.last_check.pages_s, 2)
        result["saves_during_check"] = len(saves)
        if saves:
            ordered = sorted(saves)
            result["save_during_check_p95_ms"] = round(
                ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 1
            )
            result["save_during_check_median_ms"] = round(statistics.median(saves), 1)
        session.close()
        pages, structure = bare(folder)
        result["bare_cipher_integrity_check_s"] = round(pages, 2)
        result["bare_quick_check_s"] = round(structure, 2)
    finally:
        if not args.keep and args.dir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
