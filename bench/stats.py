"""Statistics benchmark: one fiscal year's figures on the vault and on plain SQLite.

    python bench/stats.py --count N [--dir D] [--keep] [--seed S]

Fills an encrypted vault and a plain SQLite file (same migrations) with the same N
synthetic consultations through the real ``Records.save_intakes`` path
(``intake-app demo-data``'s ``fill``), then times, for the newest complete fiscal
year:

- ``year_stats_ms``: ``session.stats.year(fy)``, every table of the report plus the
  図1 series, audited read included (median of the warm runs; ``year_stats_cold_ms``
  is the first run after opening);
- ``report_pdf_ms``: suppression (``publish``) plus the PDF with its charts;
- ``csv_ms``: suppression plus the CSV;
- ``plain``: ``year_stats_ms`` of the same queries on plain SQLite in the same run.

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
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

from intake_app.commands.demo import fill  # noqa: E402
from intake_app.documents.stats_csv import to_csv  # noqa: E402
from intake_app.documents.stats_report import render_stats_report  # noqa: E402
from intake_app.domain.statistics.publication import publish  # noqa: E402
from intake_app.paths import migrations_dir  # noqa: E402
from intake_app.store.records import Records  # noqa: E402
from intake_app.store.stats import Stats  # noqa: E402

PASSPHRASE = "bench passphrase 統計 2026"
RUNS = 5


class _User:
    id = 1
    name = "bench"
    role = "supervisor"


class PlainSession:
    """The Session API the records and statistics use, over plain sqlite3.

    Like the vault, every read and write commits an audit row in its transaction,
    so the comparison isolates the cost of encryption.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.user = _User()
        self.municipality = "warabi"
        self.records = Records(self)
        self.stats = Stats(self)

    @contextlib.contextmanager
    def transaction(
        self, action: str, object_id: object = None, *, detail: str | None = None
    ) -> Iterator[Any]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            self.conn.execute(
                "INSERT INTO audit_log (at, user_id, user_name, action, object_id, detail, mac)"
                " VALUES (?, 1, 'bench', ?, ?, ?, x'00')",
                (
                    dt.datetime.now().isoformat(),
                    action,
                    None if object_id is None else str(object_id),
                    detail,
                ),
            )
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    read = transaction

    def draft_transaction(self) -> Any:
        return self.transaction("draft")

    def require_supervisor(self) -> None:
        return None

    def audit(self, action: str, object_id: object = None, detail: str | None = None) -> None:
        with self.transaction(action, object_id, detail=detail):
            pass

    def close(self) -> None:
        self.conn.close()


def open_plain(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row  # like the vault's connections: rows by column name
    for pragma in (
        "temp_store = MEMORY",
        "journal_mode = WAL",
        "synchronous = FULL",
        "foreign_keys = ON",
        "secure_delete = ON",
    ):
        conn.execute(f"PRAGMA {pragma}").fetchall()
    return conn


def create_plain(path: Path) -> PlainSession:
    conn = open_plain(path)
    for sql in sorted(migrations_dir().glob("[0-9][0-9][0-9][0-9]_*.sql")):
        conn.executescript("BEGIN;" + sql.read_text("utf-8") + ";COMMIT;")
    return PlainSession(conn)


def timed_ms(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    value = fn()
    return (time.perf_counter() - t0) * 1000, value


def measure_stats(session: Any, fy: int) -> dict[str, Any]:
    cold, stats = timed_ms(lambda: session.stats.year(fy))
    warm = [timed_ms(lambda: session.stats.year(fy))[0] for _ in range(RUNS)]
    return {
        "year_stats_ms": round(statistics.median(warm), 1),
        "year_stats_cold_ms": round(cold, 1),
        "consultations_in_year": stats.total.total,
        "_stats": stats,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the files afterwards")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reuse", action="store_true", help="use the vault and plain file already in --dir"
    )
    args = parser.parse_args()
    from intake_app.store.vault import Vault

    work = args.dir or Path(tempfile.mkdtemp(prefix="intake-stats-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    today = dt.date.today()
    fy = (today.year if today.month >= 4 else today.year - 1) - 1  # the newest complete year
    result: dict[str, Any] = {"count": args.count, "fiscal_year": fy}
    plain_path = work / "plain.db"
    vault_dir = work / "vault"
    try:
        if not args.reuse:
            t0 = time.perf_counter()
            plain = create_plain(plain_path)
            fill(plain, args.count, seed=args.seed)
            plain.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            plain.close()
            print(f"plain: {args.count} built in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
            t0 = time.perf_counter()
            Vault.create(vault_dir, "bench", PASSPHRASE)
            with Vault.open(vault_dir, "bench", PASSPHRASE) as session:
                fill(session, args.count, seed=args.seed)
            print(f"vault: {args.count} built in {time.perf_counter() - t0:.1f} s", file=sys.stderr)

        plain = PlainSession(open_plain(plain_path))
        plain_figures = measure_stats(plain, fy)
        plain_figures.pop("_stats")
        plain.close()

        session = Vault.open(vault_dir, "bench", PASSPHRASE)
        try:
            figures = measure_stats(session, fy)
            stats = figures.pop("_stats")
            centre = session.stats.centre_name()
            pdf_runs = []
            for _ in range(3):
                ms, pdf = timed_ms(lambda: render_stats_report(publish(stats), centre=centre))
                pdf_runs.append(ms)
            csv_ms, _ = timed_ms(lambda: to_csv(publish(stats)))
        finally:
            session.close()
        result.update(figures)
        result["report_pdf_ms"] = round(statistics.median(pdf_runs), 1)
        result["report_pdf_kb"] = round(len(pdf) / 1024, 1)
        result["csv_ms"] = round(csv_ms, 1)
        result["plain"] = plain_figures
        if plain_figures["year_stats_ms"]:
            result["ratio"] = round(figures["year_stats_ms"] / plain_figures["year_stats_ms"], 2)
    finally:
        if not args.keep and args.dir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
