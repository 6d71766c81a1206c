"""Durability benchmark: what keeping every acknowledged save detectable costs.

    python bench/durability.py --count N [--dir D] [--keep] [--reuse]
                               [--durability counter,none,checkpoint,both] [--checkpoint FULL]

(``bench/store.py`` measures the store against plain SQLite and bare SQLCipher on the
data sets of ``bench/bulk.py``; this one builds its own vault to compare the ways of
making a lost or damaged WAL visible.)

Builds a vault of N synthetic consultations (intake_app.store.synthetic) through
the real session and ``Records``, and the same data in a plain SQLite file with
the same migrations, then measures both. The last line printed is one JSON object:
save_p95_ms (one intake through Records.save_intake), draft_save_p95_ms (an
existing draft updated as the counselor types), empty_tx_p95_ms (an audited
transaction with an empty body), search_p95_ms (Records.search with names, kana,
phone prefixes and case numbers), stats_year_ms (one fiscal year's counts by month,
channel, kind and violence type), stats_full_year_ms (the supervisor's whole
store.stats.year_stats), open_after_kdf_ms (Vault.open minus the Argon2id time, up
to the first answered query), file_mb, build_s, "plain" with the same keys, and
"ratio" (vault / plain). Vault and plain samples are interleaved.

``--durability`` measures the ways of keeping an acknowledged save detectable when the
WAL is damaged or deleted (issue 14) on the same vault, taking turns operation by
operation so that the load of a shared machine hits them alike: ``counter`` (the
program: the commit counter written into the header, fsync'd, after every commit;
``counter-dirsync`` also fsyncs the folder after the rename),
``none`` (the header at most every 2 s, as before), ``checkpoint`` (``none`` plus
``PRAGMA wal_checkpoint(--checkpoint)`` after every commit, so the WAL never holds the
only copy; the WAL is emptied before each of its turns, as it would be in that
regime) and ``both``. Each gets its save, draft, empty-transaction and search p95
under "durability"; the main keys are the program's (``counter``).
``--reuse`` with ``--dir`` takes the vault and plain file built by an earlier run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intake_app.commands.demo import fill  # noqa: E402
from intake_app.paths import migrations_dir  # noqa: E402
from intake_app.store.stats import year_stats  # noqa: E402
from intake_app.store.synthetic import generate  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from store import PlainSession as StorePlainSession  # noqa: E402
from store import file_mb, p95, queries, timed_ms, year_counts  # noqa: E402

PASSPHRASE = "bench passphrase 相談記録 2026"
SAVES = 200
SEARCHES = 300
STATS_RUNS = 5


class PlainSession(StorePlainSession):
    """``bench/store.py``'s stand-in session (an HMAC-chained audit row per transaction,
    like the vault); this bench's plain file carries no municipality."""

    def __init__(self, conn: Any) -> None:
        super().__init__(conn)
        self.municipality = None


def open_plain(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.row_factory = sqlite3.Row  # like the vault's connections: rows by column name
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA journal_mode = WAL").fetchone()
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")
    return conn


def create_plain(path: Path) -> PlainSession:
    conn = open_plain(path)
    for sql in sorted(migrations_dir().glob("[0-9][0-9][0-9][0-9]_*.sql")):
        conn.executescript("BEGIN;" + sql.read_text("utf-8") + ";COMMIT;")
    return PlainSession(conn)


# --- the encrypted side ----------------------------------------------------------------


def have_vault() -> bool:
    try:
        import intake_app.store.vault  # noqa: F401
    except ImportError:
        return False
    return True


class Encrypted:
    """Create/open the real vault (or, before it exists, a raw SQLCipher connection)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.kdf_s = 0.0

    def create(self) -> Any:
        if have_vault():
            from intake_app.store.vault import Vault

            Vault.create(self.folder, "bench", PASSPHRASE)
            return self.open()
        from intake_app.store.connection import open_connection

        self.key = bytearray(os.urandom(32))
        conn = open_connection(self.folder / "vault.db", self.key, create=True)
        for sql in sorted(migrations_dir().glob("[0-9][0-9][0-9][0-9]_*.sql")):
            conn.executescript("BEGIN;" + sql.read_text("utf-8") + ";COMMIT;")
        return PlainSession(conn)

    def open(self) -> Any:
        """Open, timing the key derivation separately (``self.kdf_s``)."""
        if have_vault():
            import intake_app.store.kdf as kdf
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
            if getattr(vault_module, "derive", None) is original:
                patched.append((vault_module, "derive"))
            for module, name in patched:
                setattr(module, name, timed)
            try:
                session = Vault.open(self.folder, "bench", PASSPHRASE)
            finally:
                for module, name in patched:
                    setattr(module, name, original)
            self.kdf_s = spent[0]
            return session
        from intake_app.store.connection import open_connection

        self.kdf_s = 0.0
        return PlainSession(open_connection(self.folder / "vault.db", self.key))

    def db_files(self) -> list[Path]:
        return sorted(p for p in self.folder.iterdir() if p.name.startswith("vault.db"))


# --- measurements --------------------------------------------------------------------------


def measure(sessions: dict[str, Any], fiscal_year: int, seed: int) -> dict[str, dict[str, float]]:
    """Time the same operations on every session, interleaved sample by sample, so a
    burst of load on a shared machine hits both sides alike."""
    names = list(sessions)
    samples: dict[str, dict[str, list[float]]] = {
        n: {k: [] for k in ("empty", "save", "draft", "search", "stats", "full")} for n in names
    }
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
    for _ in range(STATS_RUNS):
        for n in names:
            with sessions[n].read("stats_view", f"FY{fiscal_year}") as conn:
                samples[n]["stats"].append(timed_ms(lambda c=conn: year_counts(c, fiscal_year)))
                samples[n]["full"].append(timed_ms(lambda c=conn: year_stats(c, fiscal_year)))

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
        }
        for n in names
    }


def set_durability(mode: str, checkpoint: str) -> None:
    """Make every session's commit follow ``mode`` (see the module's docstring)."""
    from intake_app.store.session import Session

    original = getattr(Session, "_bench_after_commit", None) or Session._after_commit
    Session._bench_after_commit = original  # type: ignore[attr-defined]

    def lazy(self: Any, kind: str) -> None:
        if time.monotonic() - self._header_saved_at < 2.0:
            self._header_dirty = True
            return
        self._save_header(quiet=True)

    def durable(self: Any, kind: str) -> None:  # the folder fsync'd too
        if kind == "quiet":
            lazy(self, kind)
        else:
            self._save_header(quiet=False)

    def after(self: Any, kind: str) -> None:
        if mode in ("counter", "both"):
            original(self, kind)
        elif mode == "counter-dirsync":
            durable(self, kind)
        else:
            lazy(self, kind)
        if mode in ("checkpoint", "both"):
            self._require().execute(f"PRAGMA wal_checkpoint({checkpoint})").fetchone()

    Session._after_commit = after  # type: ignore[method-assign]


def measure_durability(
    session: Any, plain: Any, modes: list[str], checkpoint: str, seed: int
) -> dict[str, dict[str, float]]:
    """p95 of a save, a draft update, an empty audited transaction and a search under
    each mode, the modes taking turns operation by operation (plain SQLite alongside)."""
    names = [*modes, "plain"]
    samples: dict[str, dict[str, list[float]]] = {
        m: {k: [] for k in ("save", "draft", "empty", "search")} for m in names
    }
    drafts = {m: (plain if m == "plain" else session).records.save_draft({}, step=0) for m in names}
    searches = queries(session, random.Random(seed + 3))
    conn = session._require()

    def empty(s: Any) -> None:
        with s.read("bench.empty", None):
            pass

    for n, item in enumerate(generate(SAVES, seed=seed + 11, min_gap=SAVES)):
        payload = item.intake.to_dict()
        for mode in names:
            target = plain if mode == "plain" else session
            if mode != "plain":
                set_durability(mode, checkpoint)
                if mode in ("checkpoint", "both"):  # that regime never leaves frames behind
                    conn.execute(f"PRAGMA wal_checkpoint({checkpoint})").fetchone()
            rec = target.records
            samples[mode]["save"].append(timed_ms(lambda r=rec, i=item: r.save_intake(i.intake)))
            samples[mode]["draft"].append(
                timed_ms(
                    lambda r=rec, d=drafts[mode], p=payload: r.save_draft(p, step=5, draft_id=d)
                )
            )
            samples[mode]["empty"].append(timed_ms(lambda t=target: empty(t)))
            q = searches[n % len(searches)]
            samples[mode]["search"].append(timed_ms(lambda r=rec, q=q: r.search(q)))
    return {
        m: {
            **{
                f"{k}_p95_ms": round(p95(samples[m][k]), 2)
                for k in ("save", "draft", "empty", "search")
            },
            "save_median_ms": round(statistics.median(samples[m]["save"]), 2),
        }
        for m in names
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the files afterwards")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="reuse the files in --dir")
    parser.add_argument("--durability", default="counter")
    parser.add_argument("--checkpoint", default="FULL", choices=("PASSIVE", "FULL", "TRUNCATE"))
    args = parser.parse_args()
    modes = [m.strip() for m in args.durability.split(",") if m.strip()]
    if not modes or set(modes) - {"counter", "counter-dirsync", "none", "checkpoint", "both"}:
        parser.error("--durability: counter, counter-dirsync, none, checkpoint, both")
    work = args.dir or Path(tempfile.mkdtemp(prefix="intake-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    today = dt.date.today()
    fiscal_year = (today.year if today.month >= 4 else today.year - 1) - 1  # a complete year
    result: dict[str, Any] = {"count": args.count}
    try:
        # plain SQLite
        plain_path = work / "plain.db"
        vault_dir = work / "vault"
        reuse = args.reuse and plain_path.exists() and (vault_dir / "vault.keys").exists()
        t0 = time.perf_counter()
        if not reuse:
            plain = create_plain(plain_path)
            fill(plain, args.count, seed=args.seed)
            plain.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            plain.close()
        plain_build = time.perf_counter() - t0
        t0 = time.perf_counter()
        plain = PlainSession(open_plain(plain_path))
        plain.conn.execute("SELECT count(*) FROM cases").fetchone()
        plain_open = (time.perf_counter() - t0) * 1000
        plain.close()
        print(f"plain: built {args.count} in {plain_build:.1f} s", file=sys.stderr)

        # encrypted vault
        vault_dir.mkdir(exist_ok=True)
        enc = Encrypted(vault_dir)
        t0 = time.perf_counter()
        if not reuse:
            session = enc.create()
            fill(session, args.count, seed=args.seed)
            session.close()
        enc_build = time.perf_counter() - t0
        print(f"vault: built {args.count} in {enc_build:.1f} s", file=sys.stderr)
        opens = []
        for _ in range(3):
            t0 = time.perf_counter()
            session = enc.open()
            with session.read("bench.open", None) as conn:
                conn.execute("SELECT count(*) FROM cases").fetchone()
            opens.append((time.perf_counter() - t0 - enc.kdf_s) * 1000)
            session.close()
        set_durability("counter", args.checkpoint)
        session = enc.open()
        plain = PlainSession(open_plain(plain_path))
        figures = measure({"vault": session, "plain": plain}, fiscal_year, args.seed)
        durability = measure_durability(session, plain, modes, args.checkpoint, args.seed)
        set_durability("counter", args.checkpoint)
        plain.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        plain.close()
        session.close()
        result.update(figures["vault"])
        plain_figures = figures["plain"]
        result["open_after_kdf_ms"] = round(statistics.median(opens), 2)
        result["file_mb"] = file_mb(enc.db_files())
        result["build_s"] = round(enc_build, 1)
        result["real_vault"] = have_vault()
        result["plain"] = {
            **plain_figures,
            "open_after_kdf_ms": round(plain_open, 2),
            "file_mb": file_mb([plain_path, Path(str(plain_path) + "-wal")]),
            "build_s": round(plain_build, 1),
        }
        ratio = {
            k: round(result[k] / result["plain"][k], 2)
            for k in ("save_p95_ms", "search_p95_ms", "stats_year_ms")
            if result["plain"][k]
        }
        result["ratio"] = ratio
        result["durability"] = durability
        result["reused"] = reuse
    finally:
        if not args.keep and args.dir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
