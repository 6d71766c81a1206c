"""Audit tab benchmark: the first page and the filters on a vault with a long audit log.

    python bench/audit.py --count N --audit M [--dir D] [--seed S] [--gui]

Uses (or builds) the data set of ``bench/bulk.py`` with at least M synthetic audit
entries (a valid chain; M = 20,000,000 for a decade of a busy centre). Times, each the
median of RUNS through the audited store API (``store.audit_log``):

- ``first_page_ms``: the newest page of the last 30 days (what the tab shows first);
- ``page_ms``: a dict, one figure per filter: ``user``, ``action`` (a rare one),
  ``user_action``, ``object`` (a case and its prints), ``year_ago`` (a month a year
  back), ``deep`` (the 50th page of the last 30 days, by cursor);
- ``choices_ms``: the lists of users and actions for the filters;
- ``retention_page_ms``: the first page of the retention tab's list;
- ``audit_tab_ms`` and ``retention_tab_ms`` (with ``--gui``, offscreen Qt): the tabs
  built and their first page shown (target 300 ms);
- ``old_load_ms``: what the tab did before, the newest 50,000 entries read and
  filtered in Python (for comparison).

The last line printed is one JSON object (with ``audit_entries``, ``load`` and
``build``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import bulk  # noqa: E402

from intake_app.store import audit_log, retention  # noqa: E402

RUNS = 5


def median_ms(fn: Callable[[], Any], runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(samples), 1)


def deep_page(session: Any, flt: audit_log.AuditFilter, pages: int) -> None:
    cursor = None
    for _ in range(pages):
        page = audit_log.page(session, flt, cursor)
        if page.older is None:
            return
        cursor = page.older


def old_load(session: Any, flt: audit_log.AuditFilter) -> int:
    """The tab before paging: 50,000 newest entries, filtered in Python."""
    entries = session.audit_entries(limit=50_000)
    return sum(1 for e in entries if e.action == "case.open" and flt.start.isoformat() <= e.at)


def gui_ms(session: Any) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from intake_app.gui.supervisor.audit_tab import AuditTab
    from intake_app.gui.supervisor.retention_tab import RetentionTab

    app = QApplication.instance() or QApplication([])
    out = {}
    for key, make in (("audit_tab_ms", AuditTab), ("retention_tab_ms", RetentionTab)):
        runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            tab = make(session)
            app.processEvents()
            runs.append((time.perf_counter() - t0) * 1000)
            tab.deleteLater()
            app.processEvents()
        out[key] = round(statistics.median(runs), 1)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--audit", type=int, required=True, help="audit entries (minimum)")
    parser.add_argument("--dir", type=Path, required=True, help="data set folder (bench/bulk.py)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gui", action="store_true", help="also time the tabs (offscreen Qt)")
    args = parser.parse_args()
    from intake_app.store.vault import Vault

    data = bulk.ensure_dataset(args.dir, args.count, seed=args.seed, audit_entries=args.audit)
    today = dt.date.today()
    month = audit_log.AuditFilter(today - dt.timedelta(days=30), today)
    wide = audit_log.AuditFilter(today - dt.timedelta(days=3650), today)
    year_ago = today - dt.timedelta(days=365)
    filters = {
        "user": audit_log.AuditFilter(month.start, month.end, user_name=bulk.AUDIT_USERS[2]),
        "action": audit_log.AuditFilter(wide.start, wide.end, action="case.close"),
        "user_action": audit_log.AuditFilter(
            month.start, month.end, user_name=bulk.AUDIT_USERS[2], action="stats_view"
        ),
        "object": audit_log.AuditFilter(wide.start, wide.end, object_id="case:4242"),
        "year_ago": audit_log.AuditFilter(year_ago - dt.timedelta(days=30), year_ago),
    }
    result: dict[str, Any] = {"count": args.count}
    with Vault.open(data.vault, bulk.USER, bulk.PASSPHRASE) as session:
        with session.read("bench.audit_count") as conn:
            result["audit_entries"] = conn.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
        cold = time.perf_counter()
        audit_log.page(session, month)
        result["first_page_cold_ms"] = round((time.perf_counter() - cold) * 1000, 1)
        result["first_page_ms"] = median_ms(lambda: audit_log.page(session, month))
        pages = {
            name: median_ms(lambda f=flt: audit_log.page(session, f))
            for name, flt in filters.items()
        }
        pages["deep"] = round(median_ms(lambda: deep_page(session, month, 50), runs=1) / 50, 1)
        result["page_ms"] = pages
        result["choices_ms"] = median_ms(lambda: audit_log.filter_choices(session))
        result["retention_page_ms"] = median_ms(lambda: retention.eligible_page(session, today))
        if args.gui:
            result.update(gui_ms(session))
        result["old_load_ms"] = median_ms(lambda: old_load(session, month), runs=1)
    result["load"] = bulk.machine_load()
    result["build"] = data.manifest["built"]
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
