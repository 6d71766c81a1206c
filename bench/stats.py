"""Statistics benchmark: one fiscal year's figures on the vault, plain SQLite and bare
SQLCipher (the same data set, ``bench/bulk.py``).

    python bench/stats.py --count N [--dir D] [--seed S] [--keep] [--gui]

``--dir D`` keeps the data set and reuses it with the same count and seed (keep large
ones outside the repository). Times, for the newest complete fiscal year:

- ``year_stats_ms``: ``session.stats.year(fy)``, every table of the report plus the
  図1 series, audited read included (median of the warm runs; ``year_stats_cold_ms``
  is the first run after opening);
- ``report_pdf_ms``: suppression (``publish``) plus the PDF with its charts;
  ``year_report_ms``: the year's figures and the PDF together (target 1,000 ms);
- ``csv_ms``: suppression plus the CSV;
- ``fiscal_years_ms``: the statistics tab's list of years;
- ``stats_tab_ms`` (with ``--gui``, offscreen Qt): the statistics tab shown, as the
  supervisor opens it (target 300 ms), and ``stats_tab_filled_ms``: until its newest
  year's figures are on it (counted in a worker meanwhile);
- ``plain`` and ``sqlcipher``: ``year_stats_ms``, ``year_stats_cold_ms`` and
  ``fiscal_years_ms`` of the same queries on plain SQLite and on bare SQLCipher (the
  vault's settings, no session) in the same run; ``ratio`` and ``ratio_sqlcipher``:
  the vault's ``year_stats_ms`` over theirs.

The last line printed is one JSON object (with ``load``, the machine's load
averages, and ``build``, how the data set was built).
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
sys.path.insert(0, str(ROOT / "bench"))

import bulk  # noqa: E402

from intake_app.documents.stats_csv import to_csv  # noqa: E402
from intake_app.documents.stats_report import render_stats_report  # noqa: E402
from intake_app.domain.statistics.publication import publish  # noqa: E402
from intake_app.store.connection import open_connection  # noqa: E402
from intake_app.store.records import Records  # noqa: E402
from intake_app.store.stats import Stats  # noqa: E402

PASSPHRASE = "bench passphrase 統計 2026"
RUNS = 7


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
    return bulk.open_plain(path)


def timed_ms(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    value = fn()
    return (time.perf_counter() - t0) * 1000, value


def measure_stats(sessions: dict[str, Any], fy: int) -> dict[str, dict[str, Any]]:
    """The same reads on every session, interleaved run by run (a burst of load on a
    shared machine hits every side alike)."""
    out: dict[str, dict[str, Any]] = {}
    warm: dict[str, list[float]] = {n: [] for n in sessions}
    years: dict[str, list[float]] = {n: [] for n in sessions}
    for name, session in sessions.items():
        cold, stats = timed_ms(lambda s=session: s.stats.year(fy))
        out[name] = {"year_stats_cold_ms": round(cold, 1), "_stats": stats}
    for _ in range(RUNS):
        for name, session in sessions.items():
            warm[name].append(timed_ms(lambda s=session: s.stats.year(fy))[0])
            years[name].append(timed_ms(session.stats.fiscal_years)[0])
    for name in sessions:
        out[name]["year_stats_ms"] = round(statistics.median(warm[name]), 1)
        out[name]["fiscal_years_ms"] = round(statistics.median(years[name]), 2)
        out[name]["consultations_in_year"] = out[name]["_stats"].total.total
    return out


def stats_tab_ms(session: Any) -> tuple[float, float]:
    """The statistics tab shown (built, years listed, its first paint), and until the
    newest year's figures are on it (counted in a worker meanwhile), offscreen Qt."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from intake_app.gui.supervisor.stats_tab import StatsTab

    app = QApplication.instance() or QApplication([])
    shown, filled = [], []
    for _ in range(3):
        t0 = time.perf_counter()
        tab = StatsTab(session)
        tab.show()
        app.processEvents()
        shown.append((time.perf_counter() - t0) * 1000)
        while not tab.loaded():
            app.processEvents()
            time.sleep(0.001)
        filled.append((time.perf_counter() - t0) * 1000)
        tab.deleteLater()
        app.processEvents()
    return round(statistics.median(shown), 1), round(statistics.median(filled), 1)


def reference(kind: str, data: bulk.Dataset) -> PlainSession:
    conn = (
        open_plain(data.plain)
        if kind == "plain"
        else open_connection(data.sqlcipher, data.sqlcipher_key)
    )
    return PlainSession(conn)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--dir", type=Path, default=None, help="data set folder, kept and reused")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data set")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gui", action="store_true", help="also time the statistics tab")
    args = parser.parse_args()
    from intake_app.store.vault import Vault

    work = args.dir or Path(tempfile.mkdtemp(prefix="intake-stats-bench-"))
    today = dt.date.today()
    fy = (today.year if today.month >= 4 else today.year - 1) - 1  # the newest complete year
    result: dict[str, Any] = {"count": args.count, "fiscal_year": fy}
    try:
        data = bulk.ensure_dataset(work, args.count, seed=args.seed)
        session = Vault.open(data.vault, bulk.USER, bulk.PASSPHRASE)
        others = {kind: reference(kind, data) for kind in ("plain", "sqlcipher")}
        try:
            measured = measure_stats({"vault": session, **others}, fy)
            figures = measured["vault"]
            stats = figures.pop("_stats")
            centre = session.stats.centre_name()
            pdf_runs, both_runs = [], []
            for _ in range(3):
                ms, pdf = timed_ms(lambda: render_stats_report(publish(stats), centre=centre))
                pdf_runs.append(ms)
                t0 = time.perf_counter()
                render_stats_report(publish(session.stats.year(fy)), centre=centre)
                both_runs.append((time.perf_counter() - t0) * 1000)
            csv_ms, _ = timed_ms(lambda: to_csv(publish(stats)))
            if args.gui:
                result["stats_tab_ms"], result["stats_tab_filled_ms"] = stats_tab_ms(session)
        finally:
            session.close()
            for other in others.values():
                other.close()
        references = {}
        for kind in ("plain", "sqlcipher"):
            references[kind] = {
                k: v
                for k, v in measured[kind].items()
                if k in ("year_stats_ms", "year_stats_cold_ms", "fiscal_years_ms")
            }
        result.update(figures)
        result["report_pdf_ms"] = round(statistics.median(pdf_runs), 1)
        result["year_report_ms"] = round(statistics.median(both_runs), 1)
        result["report_pdf_kb"] = round(len(pdf) / 1024, 1)
        result["csv_ms"] = round(csv_ms, 1)
        for kind, figures_of in references.items():
            result[kind] = figures_of
        for key, kind in (("ratio", "plain"), ("ratio_sqlcipher", "sqlcipher")):
            if references[kind]["year_stats_ms"]:
                result[key] = round(figures["year_stats_ms"] / references[kind]["year_stats_ms"], 2)
        result["load"] = bulk.machine_load()
        result["build"] = data.manifest["built"]
    finally:
        if not args.keep and args.dir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
