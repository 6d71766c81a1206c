"""Bulk building of benchmark data: synthetic consultations and audit entries, fast.

Three databases hold the same consultations: plain SQLite (the reference without
encryption), bare SQLCipher (the reference with encryption and the vault's pragmas,
without the product's session) and the real vault. They are built once:

1. ``build_plain``: the synthetic intakes (``store.synthetic.generate``) are validated
   and decided exactly as ``Records.save_intakes`` does (``validate_intake``,
   ``outcomes.evaluate``) and written through the real ``write.insert_intake``, in
   batches of ``BATCH`` in one transaction each, with one audit row per batch like the
   plain stand-in session. Generating, checking and packing the intakes run in a
   second process while this one writes, and the search keys (``normalize_kana``, a
   pure function) are memoised while writing: about 3x the rate of ``fill``.
2. ``export_sqlcipher``: ``sqlcipher_export`` of that file into a keyed SQLCipher file.
3. ``copy_into_vault``: the records tables of that file copied into a new vault's
   database through the vault's own audited transactions (each marks the vault as a
   training vault, and each writes its ``intake.save_batch`` audit entry), table by
   table in the order of their foreign keys.

``tests/unit/store/test_bench_bulk.py`` proves that the rows are the ones the real
path (``commands.demo.fill`` through ``Records``) writes for the same seed.

``fill_audit`` appends synthetic audit entries with a valid MAC chain (the vault's own
chain key; ``verify`` passes), timestamps spread evenly over the years before now:
the audit log of a decade (tens of millions of entries) in minutes. Only for
benchmark vaults, which are training vaults by construction.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import functools
import hashlib
import hmac
import json
import multiprocessing
import os
import random
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: the repository root on the path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from intake_app.domain import validation as validation_mod
from intake_app.domain.japanese import normalize_kana
from intake_app.domain.municipality import load_municipality
from intake_app.domain.validation import validate_intake
from intake_app.paths import migrations_dir
from intake_app.store import audit as audit_mod
from intake_app.store import outcomes
from intake_app.store.records import search as search_mod
from intake_app.store.records import write as write_mod
from intake_app.store.records.stored import pack_intake
from intake_app.store.synthetic import generate
from intake_app.store.training import mark_training

BATCH = 500  # as commands.demo.fill: follow-ups refer to items at least this far back
COPY_CHUNK = 50_000  # rows per copy transaction into the vault
PLAIN_PRAGMAS = (
    "temp_store = MEMORY",
    "journal_mode = WAL",
    "synchronous = FULL",
    "foreign_keys = ON",
    "secure_delete = ON",
)

# The records tables in the order their foreign keys allow, each with the column that
# chunks it (an indexed integer column).
RECORD_TABLES: tuple[tuple[str, str], ...] = (
    ("clients", "id"),
    ("client_aliases", "id"),
    ("client_terms", "client_id"),
    ("case_numbers", "fiscal_year"),
    ("cases", "id"),
    ("case_events", "id"),
    ("consultations", "id"),
    ("consultation_details", "consultation_id"),
    ("children", "id"),
    ("violence", "consultation_id"),
    ("threats", "consultation_id"),
    ("needs", "consultation_id"),
    ("perpetrators", "id"),
    ("risk_assessments", "id"),
    ("shelter_decisions", "consultation_id"),
    ("protection_order_advice", "consultation_id"),
    ("referrals", "id"),
    ("prints", "id"),
    ("follow_ups", "id"),
    ("support_measures", "id"),
    ("drafts", "id"),
)


def open_plain(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row  # like the vault's connections: rows by column name
    for pragma in PLAIN_PRAGMAS:
        conn.execute(f"PRAGMA {pragma}").fetchall()
    return conn


def apply_migrations(conn: Any) -> None:
    """Every migration of the product, as the vault applies them (same schema)."""
    for number, sql in enumerate(sorted(migrations_dir().glob("[0-9][0-9][0-9][0-9]_*.sql")), 1):
        conn.executescript(
            "BEGIN;" + sql.read_text("utf-8") + f";PRAGMA user_version = {number};COMMIT;"
        )


# --- 1. the plain file through the real write path ----------------------------------


def _decided(count: int, seed: int, municipality_id: str | None) -> Iterator[list[Any]]:
    """Batches of (index, follow_up_of, intake, outcome, packed), checked as
    ``Records._checked`` checks them (an invalid intake stops the build)."""
    municipality = load_municipality(municipality_id) if municipality_id else load_municipality()
    today = dt.date.today()
    undo = _memoised_search_keys()
    try:
        yield from _checked_batches(count, seed, municipality, today)
    finally:
        undo()


def _checked_batches(count: int, seed: int, municipality: Any, today: dt.date) -> Iterator[Any]:
    batch: list[Any] = []
    for item in generate(count, seed=seed, min_gap=BATCH, municipality=municipality):
        errors = validate_intake(item.intake, today, municipality)
        if errors:
            raise ValueError(f"invalid synthetic intake {item.index}: {errors}")
        outcome = outcomes.evaluate(
            item.intake, municipality, write_mod.consultation_day(item.intake)
        )
        batch.append(
            (item.index, item.follow_up_of, item.intake, outcome, pack_intake(item.intake))
        )
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _producer(queue: Any, count: int, seed: int, municipality_id: str | None) -> None:
    try:
        for batch in _decided(count, seed, municipality_id):
            queue.put(batch)
        queue.put(None)
    except BaseException as exc:  # reported by the writer
        queue.put(exc)


def _batches(count: int, seed: int, municipality_id: str | None, parallel: bool) -> Iterator[Any]:
    if not parallel:
        yield from _decided(count, seed, municipality_id)
        return
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue(maxsize=16)
    proc = ctx.Process(target=_producer, args=(queue, count, seed, municipality_id), daemon=True)
    proc.start()
    try:
        while True:
            batch = queue.get()
            if batch is None:
                break
            if isinstance(batch, BaseException):
                raise batch
            yield batch
    finally:
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()


_KEY_USERS = (write_mod, search_mod, validation_mod)


def _memoised_search_keys() -> Callable[[], None]:
    """Memoise ``normalize_kana`` (pure) where the write path and the validation look it
    up; returns the undo. The synthetic names repeat, so nearly every call is a hit."""
    cached = functools.lru_cache(maxsize=65536)(normalize_kana)
    saved = [module.normalize_kana for module in _KEY_USERS]
    for module in _KEY_USERS:
        module.normalize_kana = cached  # type: ignore[attr-defined]

    def undo() -> None:
        for module, original in zip(_KEY_USERS, saved, strict=True):
            module.normalize_kana = original  # type: ignore[attr-defined]

    return undo


def write_batches(
    conn: Any,
    batches: Iterator[Any],
    *,
    user_id: int = 1,
    audit: Callable[[Any, int], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write checked batches through ``write.insert_intake``, one transaction each."""
    case_of: dict[int, int] = {}
    written = 0
    undo = _memoised_search_keys()
    try:
        for batch in batches:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for index, follow_up_of, intake, outcome, packed in batch:
                    case_id = case_of.get(follow_up_of) if follow_up_of is not None else None
                    saved = write_mod.insert_intake(
                        conn, intake, case_id, outcome, user_id, packed=packed
                    )
                    case_of[index] = saved.case_id
                if audit is not None:
                    audit(conn, len(batch))
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            written += len(batch)
            if progress is not None:
                progress(written)
    finally:
        undo()
    return written


def _plain_audit(conn: Any, n: int) -> None:
    conn.execute(
        "INSERT INTO audit_log (at, user_id, user_name, action, object_id, mac)"
        " VALUES (?, 1, 'bench', 'intake.save_batch', ?, x'00')",
        (audit_mod.now_iso(), f"count:{n}"),
    )


def build_plain(
    path: Path,
    count: int,
    *,
    seed: int = 1,
    municipality_id: str | None = "warabi",
    parallel: bool = True,
    progress: Callable[[int], None] | None = None,
) -> float:
    """A new plain SQLite file with ``count`` synthetic consultations; returns seconds."""
    t0 = time.perf_counter()
    conn = open_plain(path)
    try:
        apply_migrations(conn)
        conn.execute("PRAGMA cache_size = -262144")  # 256 MiB while building
        write_batches(
            conn,
            _batches(count, seed, municipality_id, parallel),
            audit=_plain_audit,
            progress=progress,
        )
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        conn.close()
    return time.perf_counter() - t0


# --- 2. bare SQLCipher ---------------------------------------------------------------


def export_sqlcipher(plain_path: Path, dest: Path, key: bytes) -> float:
    """``dest``: the plain file's schema and rows in a SQLCipher file keyed with ``key``
    (raw key, SQLCipher's defaults as the vault); returns seconds."""
    import sqlcipher3

    t0 = time.perf_counter()
    conn = sqlcipher3.connect(str(plain_path), isolation_level=None)
    try:
        conn.execute(f"ATTACH DATABASE '{dest}' AS enc KEY \"x'{key.hex()}'\"")
        conn.execute("SELECT sqlcipher_export('enc')").fetchall()
        version = conn.execute("PRAGMA main.user_version").fetchone()[0]
        conn.execute(f"PRAGMA enc.user_version = {int(version)}")
        conn.execute("PRAGMA enc.journal_mode = WAL").fetchall()
        conn.execute("DETACH DATABASE enc")
    finally:
        conn.close()
    return time.perf_counter() - t0


# --- 3. the vault ----------------------------------------------------------------------


def _chunks(conn: Any, table: str, column: str) -> Iterator[tuple[int, int]]:
    row = conn.execute(f"SELECT min({column}), max({column}) FROM src.{table}").fetchone()
    if row is None or row[0] is None:
        return
    low, high = int(row[0]), int(row[1])
    step = COPY_CHUNK if column in ("id", "consultation_id") else max(1, COPY_CHUNK // 4)
    for start in range(low, high + 1, step):
        yield start, min(high, start + step - 1)


def copy_into_vault(
    session: Any, plain_path: Path, progress: Callable[[str], None] | None = None
) -> float:
    """Copy the records tables of ``plain_path`` into the open (new, empty) vault of
    ``session``, in audited transactions that mark it as a training vault."""
    t0 = time.perf_counter()
    with session.unaudited() as conn:
        conn.execute("PRAGMA cache_size = -524288")  # 512 MiB while copying
        conn.execute(f"ATTACH DATABASE '{plain_path}' AS src KEY ''")
    try:
        for table, column in RECORD_TABLES:
            with session.unaudited() as conn:
                columns = ", ".join(
                    r[1] for r in conn.execute(f"PRAGMA main.table_info({table})").fetchall()
                )
                chunks = list(_chunks(conn, table, column))
            for low, high in chunks:
                with session.transaction("intake.save_batch", f"bulk:{table}:{low}-{high}") as c:
                    mark_training(c)
                    c.execute(
                        f"INSERT INTO main.{table} ({columns}) SELECT {columns} "
                        f"FROM src.{table} WHERE {column} BETWEEN ? AND ?",
                        (low, high),
                    )
            if progress is not None:
                progress(table)
    finally:
        with session.unaudited() as conn:
            conn.execute("DETACH DATABASE src")
            conn.execute("PRAGMA cache_size = -2000")
    return time.perf_counter() - t0


# --- the audit log of a decade -----------------------------------------------------------

AUDIT_MIX: tuple[tuple[str, int, str | None], ...] = (
    # action, weight, object id kind
    ("home", 18, None),
    ("search", 22, None),
    ("case.open", 20, "case"),
    ("intake.save", 6, "case"),
    ("case.latest_intake", 4, "case"),
    ("draft.create", 3, None),
    ("draft.resume", 2, "draft"),
    ("draft.list", 4, None),
    ("print", 4, "print"),
    ("search.perpetrator", 2, None),
    ("unlock", 6, None),
    ("lock", 6, None),
    ("follow_up.add", 1, "case"),
    ("case.close", 1, "case"),
    ("stats_view", 1, "fy"),
)
REBUILD_INDEXES_FROM = 1_000_000  # entries from which fill_audit rebuilds the log's indexes
AUDIT_USERS = tuple(f"相談員{n:02d}" for n in range(1, 9))


def fill_audit(
    session: Any,
    entries: int,
    *,
    days: int = 5 * 365,
    seed: int = 1,
    cases: int = 100_000,
    chunk: int = 200_000,
    progress: Callable[[int], None] | None = None,
) -> float:
    """Append ``entries`` synthetic entries (a valid MAC chain) spread over the ``days``
    before now, older than every entry already there is not required: they follow the
    current tail and their times rise evenly up to a minute ago. Returns seconds."""
    t0 = time.perf_counter()
    rng = random.Random(seed)
    key = session._chain_key  # the vault's own chain key: verify() passes
    chain = session._chain
    seq, prev = chain.last_seq, chain.last_mac
    end = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    start = end - dt.timedelta(days=days)
    step_us = max(1, int((end - start).total_seconds() * 1e6) // max(1, entries))
    actions = [a for a, _, _ in AUDIT_MIX]
    weights = [w for _, w, _ in AUDIT_MIX]
    kinds = {a: k for a, _, k in AUDIT_MIX}
    done = 0
    with session.unaudited() as conn:
        conn.execute("PRAGMA cache_size = -1048576")  # 1 GiB while filling
        indexes: list[str] = []
        if entries >= REBUILD_INDEXES_FROM:
            # appending to the table and sorting each index once afterwards is several
            # times faster under SQLCipher than keeping four indexes up to date per row
            indexes = [
                str(r[0])
                for r in conn.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'index'"
                    " AND tbl_name = 'audit_log' AND sql IS NOT NULL"
                ).fetchall()
            ]
            for name in [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'index'"
                    " AND tbl_name = 'audit_log' AND sql IS NOT NULL"
                ).fetchall()
            ]:
                conn.execute(f'DROP INDEX "{name}"')
        try:
            while done < entries:
                n = min(chunk, entries - done)
                picked = rng.choices(actions, weights, k=n)
                rows = []
                for i, action in enumerate(picked):
                    seq += 1
                    moment = start + dt.timedelta(microseconds=(done + i) * step_us)
                    at = moment.isoformat(timespec="microseconds")
                    who = rng.randrange(len(AUDIT_USERS))
                    user, user_id = AUDIT_USERS[who], 1000 + who
                    kind = kinds[action]
                    if kind == "case":
                        object_id: str | None = f"case:{rng.randrange(1, cases)}"
                    elif kind == "print":
                        object_id = f"case:{rng.randrange(1, cases)}:slip"
                    elif kind == "draft":
                        object_id = f"draft:{rng.randrange(1, 5000)}"
                    elif kind == "fy":
                        object_id = f"FY{moment.year - 1}"
                    else:
                        object_id = None
                    body = json.dumps(
                        [seq, at, user_id, user, action, object_id, None],
                        ensure_ascii=False,
                        separators=(",", ":"),
                    ).encode()
                    mac = hmac.new(key, prev + body, hashlib.sha256).digest()
                    rows.append((seq, at, user_id, user, action, object_id, None, mac))
                    prev = mac
                conn.execute("BEGIN IMMEDIATE")
                try:
                    conn.executemany(
                        "INSERT INTO audit_log (seq, at, user_id, user_name, action, object_id,"
                        " detail, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        rows,
                    )
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
                done += n
                if progress is not None:
                    progress(done)
        finally:
            for sql in indexes:  # the same definitions, as the migrations made them
                conn.execute(sql)
            conn.execute("PRAGMA cache_size = -2000")
        # the session's chain continues from the new tail
        session._chain = audit_mod.Chain.load(conn, key)
    return time.perf_counter() - t0


# --- a benchmark data set: the three databases, built once, reused with --dir ------------

PASSPHRASE = "bench passphrase 相談記録 2026"
USER = "bench"
MANIFEST = "build.json"


def machine_load() -> str:
    """The load averages (1, 5, 15 min) as ``uptime`` prints them."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


@dataclass
class Dataset:
    """``folder``: plain.db, sqlcipher.db (+ sqlcipher.key), vault/, build.json."""

    folder: Path
    manifest: dict[str, Any]

    @property
    def plain(self) -> Path:
        return self.folder / "plain.db"

    @property
    def sqlcipher(self) -> Path:
        return self.folder / "sqlcipher.db"

    @property
    def sqlcipher_key(self) -> bytearray:
        return bytearray(bytes.fromhex((self.folder / "sqlcipher.key").read_text().strip()))

    @property
    def vault(self) -> Path:
        return self.folder / "vault"

    def save(self) -> None:
        (self.folder / MANIFEST).write_text(json.dumps(self.manifest, ensure_ascii=False, indent=1))


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


STEPS = ("plain", "sqlcipher", "vault", "copy", "audit")


@contextlib.contextmanager
def _manifest(folder: Path) -> Iterator[dict[str, Any]]:
    """Read, change and write ``build.json`` under a lock (steps may run in parallel)."""
    with open(folder / ".build.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        path = folder / MANIFEST
        manifest = json.loads(path.read_text()) if path.exists() else {}
        yield manifest
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1))


def ensure_dataset(
    folder: Path,
    count: int,
    *,
    seed: int = 1,
    audit_entries: int = 0,
    steps: tuple[str, ...] = STEPS,
) -> Dataset:
    """The data set in ``folder``: what is missing is built, what is there is reused.

    A folder built for another count or seed is refused (its figures would be
    mislabelled). ``audit_entries`` tops the vault's audit log up to at least that many
    synthetic entries (``fill_audit``). ``steps`` limits the work to some of ``STEPS``
    (the audit log can be filled while the plain file is being built)."""
    from intake_app.store.vault import Vault

    folder.mkdir(parents=True, exist_ok=True)
    with _manifest(folder) as manifest:
        if manifest and (manifest.get("count"), manifest.get("seed")) != (count, seed):
            raise SystemExit(
                f"{folder} holds count={manifest.get('count')} seed={manifest.get('seed')}, "
                f"not count={count} seed={seed}: use another --dir"
            )
        manifest.setdefault("count", count)
        manifest.setdefault("seed", seed)
        manifest.setdefault("built", {})
    data = Dataset(folder, manifest)
    if data.plain.exists() and "plain_s" in manifest["built"]:
        _require_current_schema(data.plain)

    def record(**values: Any) -> None:
        with _manifest(folder) as current:
            current["built"].update(values)
            data.manifest = current

    def built() -> dict[str, Any]:
        with _manifest(folder) as current:
            data.manifest = current
        return dict(data.manifest["built"])

    if "plain" in steps and "plain_s" not in built():
        data.plain.unlink(missing_ok=True)
        _log(f"plain: building {count} (load {machine_load()})")
        step = max(BATCH, count // 20 // BATCH * BATCH)
        seconds = build_plain(
            data.plain,
            count,
            seed=seed,
            progress=lambda n: n % step == 0 and _log(f"plain: {n}/{count}"),
        )
        record(
            plain_s=round(seconds, 1), plain_per_s=round(count / seconds), plain_load=machine_load()
        )
    if "sqlcipher" in steps and "sqlcipher_s" not in built() and "plain_s" in built():
        data.sqlcipher.unlink(missing_ok=True)
        key = os.urandom(32)
        (folder / "sqlcipher.key").write_text(key.hex())  # a benchmark file of invented people
        _log(f"sqlcipher: exporting (load {machine_load()})")
        record(sqlcipher_s=round(export_sqlcipher(data.plain, data.sqlcipher, key), 1))
    if "vault" in steps and not (data.vault / "vault.keys").exists():
        if data.vault.exists():
            shutil.rmtree(data.vault)
        t0 = time.perf_counter()
        Vault.create(data.vault, USER, PASSPHRASE)
        record(vault_create_s=round(time.perf_counter() - t0, 1))
    have = int(built().get("audit_entries", 0))
    if "audit" in steps and audit_entries > have and (data.vault / "vault.keys").exists():
        with Vault.open(data.vault, USER, PASSPHRASE) as session:
            with session.unaudited() as conn:  # an interrupted fill left whole chunks
                have = int(conn.execute("SELECT max(seq) FROM audit_log").fetchone()[0] or 0)
            _log(f"vault: {audit_entries - have} audit entries (load {machine_load()})")
            seconds = 0.0
            if audit_entries > have:
                seconds = fill_audit(
                    session,
                    audit_entries - have,
                    seed=seed + have,
                    progress=lambda n: n % 1_000_000 == 0 and _log(f"audit: {n}"),
                )
        record(
            audit_entries=audit_entries,
            audit_s=round(float(built().get("audit_s", 0)) + seconds, 1),
            audit_per_s=round((audit_entries - have) / seconds) if seconds else 0,
            audit_load=machine_load(),
        )
    done = built()
    if "copy" in steps and "vault_copy_s" not in done and "plain_s" in done:
        if not (data.vault / "vault.keys").exists():
            raise SystemExit(f"{folder}: the vault step has not run")
        with Vault.open(data.vault, USER, PASSPHRASE) as session:
            _log(f"vault: copying (load {machine_load()})")
            seconds = copy_into_vault(
                session, data.plain, progress=lambda t: _log(f"vault: {t} copied")
            )
        total = done["plain_s"] + seconds
        record(
            vault_copy_s=round(seconds, 1),
            vault_s=round(total, 1),
            vault_per_s=round(count / total),
            vault_load=machine_load(),
        )
    return data


def _require_current_schema(plain: Path) -> None:
    """The references must have every migration the vault gets when it is opened: a
    data set built before a migration is refused, not measured with missing tables."""
    latest = len(list(migrations_dir().glob("[0-9][0-9][0-9][0-9]_*.sql")))
    conn = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()
    if version < latest:
        raise SystemExit(
            f"{plain.parent} was built with schema {version}, older than {latest}: "
            "build it again in a new --dir"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description="Build (or top up) a benchmark data set.")
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--audit", type=int, default=0, help="audit entries in the vault")
    parser.add_argument(
        "--steps", default=",".join(STEPS), help=f"some of {','.join(STEPS)} (default: all)"
    )
    args = parser.parse_args()
    steps = tuple(s for s in args.steps.split(",") if s)
    unknown = set(steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps: {sorted(unknown)}")
    data = ensure_dataset(
        args.dir, args.count, seed=args.seed, audit_entries=args.audit, steps=steps
    )
    print(json.dumps(data.manifest, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
