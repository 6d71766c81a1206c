"""Store benchmark: the vault against plain SQLite and bare SQLCipher, same data.

    python bench/store.py --count N [--dir D] [--audit M] [--seed S] [--keep]

``--dir D`` keeps the data set (``bench/bulk.py``: plain.db, sqlcipher.db and the
vault, all holding the same N synthetic consultations) and reuses it on the next run
with the same count and seed; without it a temporary folder is built and removed.
``--audit M`` first tops the vault's audit log up to M synthetic entries (a valid
chain). Keep large data sets outside the repository (e.g. /work/bench-data/).

Three sessions are measured, interleaved sample by sample: the real vault
(``Vault.open``, every read and write audited through the HMAC chain), ``plain``
(the same schema and data in plain SQLite) and ``sqlcipher`` (bare SQLCipher: the
same file encrypted with the vault's settings, ``cipher_memory_security=ON`` and the
rest of ``REQUIRED_SETTINGS`` asserted, but no session, header or MAC chain), both
through a stand-in session that writes a simple audit row per transaction.

The last line printed is one JSON object: save_p95_ms (one intake through
Records.save_intake), draft_save_p95_ms (an existing draft updated as the counselor
types), empty_tx_p95_ms (an audited transaction with an empty body), search_p95_ms
(Records.search with names, kana, phone prefixes and case numbers), stats_year_ms
(one fiscal year's counts by month, channel, kind and violence type),
stats_full_year_ms (the supervisor's whole store.stats.year_stats), home_ms
(Records.home, the first screen after the unlock), open_after_kdf_ms (Vault.open
minus the Argon2id time, up to the first answered query), unlock_to_home_ms
(Vault.open minus Argon2id, then the home screen's data), file_mb; "plain" and
"sqlcipher" with the same keys; "ratio" (vault / plain) and "ratio_sqlcipher"
(vault / bare SQLCipher) for save, search and statistics; "audit_entries"; "load"
(the machine's load averages at the end) and "build" (how the data set was built).
Each run adds SAVES intakes and a draft to every database of the data set.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bulk  # noqa: E402

from intake_app.store.connection import open_connection  # noqa: E402
from intake_app.store.records import Records  # noqa: E402
from intake_app.store.stats import year_stats  # noqa: E402
from intake_app.store.synthetic import FEMALE_NAMES, SURNAMES, generate  # noqa: E402

SAVES = 200
SEARCHES = 300
STATS_RUNS = 5
REFERENCES = ("plain", "sqlcipher")


class BenchUser:
    id = 1
    name = "bench"
    role = "supervisor"


class PlainSession:
    """The vault Session's transaction/read API over a plain sqlite3 connection.

    It writes an HMAC-chained audit row in the same transaction like the vault, so
    the comparison isolates the cost of encryption (and of the vault's header).
    """

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.user = BenchUser()
        self.municipality = "warabi"  # as the vault (Vault.create default)
        self.records = Records(self)
        self._mac = b"\0" * 32

    @contextlib.contextmanager
    def _tx(self, action: str | None, object_id: object) -> Iterator[Any]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            if action is not None:  # like the vault: the entry follows the body
                at = dt.datetime.now().isoformat(timespec="seconds")
                oid = None if object_id is None else str(object_id)
                mac = hmac.new(
                    b"k" * 32, self._mac + f"{at}|{action}|{oid}".encode(), hashlib.sha256
                ).digest()
                self.conn.execute(
                    "INSERT INTO audit_log (at, user_id, user_name, action, object_id, mac)"
                    " VALUES (?, 1, 'bench', ?, ?, ?)",
                    (at, action, oid, mac),
                )
                self._mac = mac
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def transaction(self, action: str, object_id: object = None) -> Any:
        return self._tx(action, object_id)

    def read(self, action: str, object_id: object = None) -> Any:
        return self._tx(action, object_id)

    def draft_transaction(self) -> Any:
        return self._tx(None, None)

    def close(self) -> None:
        self.conn.close()


def open_plain(path: Path) -> sqlite3.Connection:
    return bulk.open_plain(path)


# --- the encrypted side ----------------------------------------------------------------


class Encrypted:
    """Open the real vault, timing the key derivation separately (``self.kdf_s``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.kdf_s = 0.0

    def open(self) -> Any:
        import intake_app.store.kdf as kdf
        import intake_app.store.keyslots as keyslots_module
        import intake_app.store.vault as vault_module
        from intake_app.store.vault import Vault

        original = kdf.derive
        spent = [0.0]

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - t0

        patched = [(kdf, "derive")]
        for module in (vault_module, keyslots_module):
            if getattr(module, "derive", None) is original:
                patched.append((module, "derive"))
        for module, name in patched:
            setattr(module, name, timed)
        try:
            session = Vault.open(self.folder, bulk.USER, bulk.PASSPHRASE)
        finally:
            for module, name in patched:
                setattr(module, name, original)
        self.kdf_s = spent[0]
        return session

    def db_files(self) -> list[Path]:
        return sorted(p for p in self.folder.iterdir() if p.name.startswith("vault.db"))


# --- measurements --------------------------------------------------------------------------


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed_ms(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def queries(session: Any, rng: random.Random) -> list[str]:
    with session.read("bench.sample", None) as conn:
        numbers = [r[0] for r in conn.execute("SELECT case_number FROM cases LIMIT 200")]
    out: list[str] = []
    for _ in range(SEARCHES):
        surname, surname_kana = rng.choice(SURNAMES)
        given, given_kana = rng.choice(FEMALE_NAMES)
        out.append(
            rng.choice(
                (
                    surname,
                    f"{surname} {given}",
                    surname_kana,
                    f"{surname_kana}{given_kana}",
                    given_kana,
                    "090-" + f"{rng.randrange(10000):04d}",
                    rng.choice(numbers) if numbers else surname,
                )
            )
        )
    return out


def year_counts(conn: Any, fiscal_year: int) -> dict[str, dict[tuple[Any, ...], int]]:
    """One fiscal year's counts by month, by month and channel, by month and kind, and
    by month and violence type.

    Each query groups in the order of its covering index, so SQLite streams the
    groups without a sorter; under ``cipher_memory_security`` every sorter allocation
    is wiped, which made the sorted form of these queries ~4x slower than plain.
    """
    month: dict[tuple[Any, ...], int] = {}
    channel: dict[tuple[Any, ...], int] = {}
    kind: dict[tuple[Any, ...], int] = {}
    for m, k, c, n in conn.execute(
        "SELECT month, kind, channel, count(*) FROM consultations WHERE fiscal_year = ?"
        " GROUP BY month, kind, channel",
        (fiscal_year,),
    ):
        month[(m,)] = month.get((m,), 0) + n
        channel[(m, c)] = channel.get((m, c), 0) + n
        kind[(m, k)] = kind.get((m, k), 0) + n
    violence = {
        (m, t): n
        for m, t, n in conn.execute(
            "SELECT month, type, count(*) FROM violence WHERE fiscal_year = ? GROUP BY month, type",
            (fiscal_year,),
        )
    }
    return {"month": month, "channel": channel, "kind": kind, "violence": violence}


def measure(sessions: dict[str, Any], fiscal_year: int, seed: int) -> dict[str, dict[str, float]]:
    """Time the same operations on every session, interleaved sample by sample, so a
    burst of load on a shared machine hits every side alike."""
    names = list(sessions)
    kinds = ("empty", "save", "draft", "search", "stats", "full", "home")
    samples: dict[str, dict[str, list[float]]] = {n: {k: [] for k in kinds} for n in names}
    drafts = {n: sessions[n].records.save_draft({"step": 0}, step=0) for n in names}
    for item in generate(SAVES, seed=seed + 7, min_gap=SAVES):
        for n in names:
            records = sessions[n].records
            samples[n]["save"].append(timed_ms(lambda r=records, i=item: r.save_intake(i.intake)))
            payload = item.intake.to_dict()
            samples[n]["draft"].append(
                timed_ms(
                    lambda r=records, d=drafts[n], p=payload: r.save_draft(p, step=5, draft_id=d)
                )
            )
    for q in queries(sessions[names[0]], random.Random(seed)):
        for n in names:
            records = sessions[n].records
            samples[n]["search"].append(timed_ms(lambda r=records, q=q: r.search(q)))
    today = dt.date.today()
    for _ in range(STATS_RUNS):
        for n in names:
            with sessions[n].read("stats_view", f"FY{fiscal_year}") as conn:
                samples[n]["stats"].append(timed_ms(lambda c=conn: year_counts(c, fiscal_year)))
                samples[n]["full"].append(timed_ms(lambda c=conn: year_stats(c, fiscal_year)))
            records = sessions[n].records
            samples[n]["home"].append(timed_ms(lambda r=records: r.home(today)))

    def empty(session: Any) -> None:
        with session.read("bench.empty", None):
            pass

    for _ in range(100):
        for n in names:
            samples[n]["empty"].append(timed_ms(lambda s=sessions[n]: empty(s)))
    return {
        n: {
            "empty_tx_p95_ms": round(p95(samples[n]["empty"]), 2),
            "save_p95_ms": round(p95(samples[n]["save"]), 2),
            "draft_save_p95_ms": round(p95(samples[n]["draft"]), 2),
            "search_p95_ms": round(p95(samples[n]["search"]), 2),
            "stats_year_ms": round(statistics.median(samples[n]["stats"]), 2),
            "stats_full_year_ms": round(statistics.median(samples[n]["full"]), 2),
            "home_ms": round(statistics.median(samples[n]["home"]), 2),
        }
        for n in names
    }


def file_mb(paths: list[Path]) -> float:
    return round(sum(p.stat().st_size for p in paths if p.exists()) / 1e6, 2)


def with_wal(path: Path) -> list[Path]:
    return [path, Path(f"{path}-wal")]


def open_reference(kind: str, data: bulk.Dataset) -> PlainSession:
    """The plain or bare SQLCipher stand-in session over the data set's file."""
    if kind == "plain":
        return PlainSession(open_plain(data.plain))
    return PlainSession(open_connection(data.sqlcipher, data.sqlcipher_key))


def reference_open(kind: str, data: bulk.Dataset) -> tuple[float, float]:
    """(open until the first answered query, open until the home data) in ms."""
    today = dt.date.today()
    t0 = time.perf_counter()
    session = open_reference(kind, data)
    with session.read("bench.open", None) as conn:
        conn.execute("SELECT count(*) FROM cases").fetchone()
    opened = (time.perf_counter() - t0) * 1000
    session.records.home(today)
    home = (time.perf_counter() - t0) * 1000
    session.close()
    return opened, home


def ratios(result: dict[str, Any], reference: dict[str, Any]) -> dict[str, float]:
    return {
        k: round(result[k] / reference[k], 2)
        for k in ("save_p95_ms", "search_p95_ms", "stats_year_ms", "stats_full_year_ms")
        if reference.get(k)
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--dir", type=Path, default=None, help="data set folder, kept and reused")
    parser.add_argument("--audit", type=int, default=0, help="audit entries in the vault (min.)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data set")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="intake-bench-"))
    today = dt.date.today()
    fiscal_year = (today.year if today.month >= 4 else today.year - 1) - 1  # a complete year
    result: dict[str, Any] = {"count": args.count}
    try:
        data = bulk.ensure_dataset(work, args.count, seed=args.seed, audit_entries=args.audit)
        enc = Encrypted(data.vault)
        opens, homes = [], []
        for _ in range(3):
            t0 = time.perf_counter()
            session = enc.open()
            with session.read("bench.open", None) as conn:
                conn.execute("SELECT count(*) FROM cases").fetchone()
            opens.append((time.perf_counter() - t0 - enc.kdf_s) * 1000)
            session.records.home(today)
            homes.append((time.perf_counter() - t0 - enc.kdf_s) * 1000)
            session.close()
        references = {kind: [reference_open(kind, data) for _ in range(3)] for kind in REFERENCES}
        session = enc.open()
        others = {kind: open_reference(kind, data) for kind in REFERENCES}
        try:
            figures = measure({"vault": session, **others}, fiscal_year, args.seed)
            with session.read("bench.audit_count", None) as conn:
                result["audit_entries"] = conn.execute("SELECT max(seq) FROM audit_log").fetchone()[
                    0
                ]
        finally:
            for other in others.values():
                other.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
                other.close()
            session.close()
        result.update(figures["vault"])
        result["open_after_kdf_ms"] = round(statistics.median(opens), 2)
        result["unlock_to_home_ms"] = round(statistics.median(homes), 2)
        result["file_mb"] = file_mb(enc.db_files())
        built = data.manifest["built"]
        paths = {"plain": with_wal(data.plain), "sqlcipher": with_wal(data.sqlcipher)}
        for kind in REFERENCES:
            result[kind] = {
                **figures[kind],
                "open_after_kdf_ms": round(statistics.median(o for o, _ in references[kind]), 2),
                "unlock_to_home_ms": round(statistics.median(h for _, h in references[kind]), 2),
                "file_mb": file_mb(paths[kind]),
            }
        result["ratio"] = ratios(result, result["plain"])
        result["ratio_sqlcipher"] = ratios(result, result["sqlcipher"])
        result["load"] = bulk.machine_load()
        result["build"] = built
    finally:
        if not args.keep and args.dir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
