"""How much of the published statistics suppression withholds, before and after the
headline layout, on demo vaults made by ``intake-app demo-data``.

    python bench/stats_suppression.py --count N [--dir D] [--seed S] [--fiscal-year Y]

Makes a training vault in ``D`` (a temporary folder by default, removed afterwards)
with ``intake-app init`` and ``intake-app demo-data --count N --seed S``, or reuses
the vault already in ``D``. For the fiscal year (default: the newest complete one)
it publishes the figures twice:

- ``before``: every table by month, no headline (the layout published before,
  ``publication.EVERY_MONTH``);
- ``after``: the published layout (``publication.PUBLIC_LAYOUT``): months for the
  consultation totals and the kinds, every other breakdown by year, the monthly
  consultation totals hidden only as a last resort.

For each: ``cells`` (published cells), ``withheld`` (cells shown as ``<k``, ``*`` or
``x``) and ``share`` (withheld / cells), ``monthly_totals_shown`` (of the twelve
monthly consultation totals) and ``women_months_shown`` (of the twelve monthly counts
of women, ``null`` when published by year only). The last line printed is one JSON
object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intake_app.domain.statistics.publication import (  # noqa: E402
    EVERY_MONTH,
    PUBLIC_LAYOUT,
    Layout,
    publish,
)
from intake_app.domain.statistics.suppression import SHOWN  # noqa: E402

USER = "demo"
PASSPHRASE = "demo passphrase 統計 2026"


def make_vault(data_dir: Path, count: int, seed: int) -> None:
    """``intake-app init`` and ``intake-app demo-data``, as a supervisor would."""
    base = [sys.executable, "-m", "intake_app", "--data-dir", str(data_dir)]
    for args in (
        ["init", "--user", USER, "--passphrase-stdin"],
        ["demo-data", "--user", USER, "--passphrase-stdin", "--count", str(count), "--seed"],
    ):
        if args[0] == "demo-data":
            args = [*args, str(seed)]
        subprocess.run(
            base + args, input=PASSPHRASE + "\n", text=True, check=True, capture_output=True
        )


def measure(stats: Any, layout: Layout) -> dict[str, Any]:
    published = publish(stats, layout=layout)
    withheld = sum(m != SHOWN for m in published.marks.values())
    women: int | None = None
    if published.is_monthly("gender"):
        women = sum(published.marks[("gender", "female", i)] == SHOWN for i in range(12))
    return {
        "cells": len(published.marks),
        "withheld": withheld,
        "share": round(published.share_hidden(), 3),
        "monthly_totals_shown": sum(
            published.marks[("total", "all", i)] == SHOWN for i in range(12)
        ),
        "women_months_shown": women,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--dir", type=Path, default=None, help="data folder, kept and reused")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fiscal-year", type=int, default=None)
    args = parser.parse_args()
    from intake_app.store.vault import Vault

    work = args.dir or Path(tempfile.mkdtemp(prefix="intake-suppression-"))
    try:
        if not (work / "vault.db").exists():
            make_vault(work, args.count, args.seed)
        today = dt.date.today()
        fy = args.fiscal_year or (today.year if today.month >= 4 else today.year - 1) - 1
        session = Vault.open(work, USER, PASSPHRASE)
        try:
            stats = session.stats.year(fy)
        finally:
            session.close()
        result = {
            "count": args.count,
            "fiscal_year": fy,
            "consultations_in_year": stats.total.total,
            "before": measure(stats, EVERY_MONTH),
            "after": measure(stats, PUBLIC_LAYOUT),
        }
    finally:
        if args.dir is None:
            shutil.rmtree(work, ignore_errors=True)
    for when in ("before", "after"):
        r = result[when]
        print(
            f"{when}: {r['withheld']}/{r['cells']} cells withheld ({r['share']:.1%}), "
            f"monthly totals shown {r['monthly_totals_shown']}/12"
        )
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
