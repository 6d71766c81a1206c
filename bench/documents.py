"""Benchmark: referral slip rendering, warm and cold, against a bare reportlab page.

    python bench/documents.py [--rounds N]

The last line is JSON: slip_warm_ms (median, this process), slip_cold_ms (a fresh
process: imports, font registration and one slip), bare_reportlab_warm_ms (one
page with the same font, same process). Targets: warm <= 50 ms, cold <= 400 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 11, 25)


def municipality() -> Any:
    from intake_app.domain.municipality import load_municipality

    return load_municipality("warabi")


def make_slip() -> Any:
    """Return a zero-argument callable that renders one referral slip."""
    from intake_app.documents import _centre, referral_slip
    from intake_app.documents.samples import (
        sample_municipality,
        sample_referral,
        synthetic_case,
    )

    muni = sample_municipality(municipality())
    dest = _centre.destinations(muni)[0]
    case = synthetic_case(TODAY)[-1]
    ref = sample_referral(dest.id, list(dest.fields), TODAY)
    return lambda: referral_slip(
        case, muni, ref, today=TODAY, document_number="見本第1号", counselor="見本　相談員"
    )


def bare_page() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from intake_app.documents._fonts import ensure_font

    font = ensure_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setFont(font, 12)
    canvas.drawString(72, 760, "連絡票 蕨市 令和8（2026）年11月25日")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def median_ms(fn: Any, rounds: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cold_child() -> None:
    start = time.perf_counter()
    slip = make_slip()
    data = slip()
    elapsed = (time.perf_counter() - start) * 1000
    assert data.startswith(b"%PDF")
    print(json.dumps({"cold_ms": elapsed}))


def cold_ms(rounds: int) -> tuple[float, float]:
    """(in-process cold time, whole-process wall time), medians over fresh processes."""
    inner, wall = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, __file__, "--cold-child"],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        wall.append((time.perf_counter() - start) * 1000)
        inner.append(json.loads(out.stdout.strip().splitlines()[-1])["cold_ms"])
    return statistics.median(inner), statistics.median(wall)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--cold-rounds", type=int, default=5)
    parser.add_argument("--cold-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_child:
        cold_child()
        return
    slip_cold, process_wall = cold_ms(args.cold_rounds)
    slip = make_slip()
    result = {
        "slip_warm_ms": round(median_ms(slip, args.rounds), 1),
        "slip_cold_ms": round(slip_cold, 1),
        "slip_cold_process_wall_ms": round(process_wall, 1),
        "bare_reportlab_warm_ms": round(median_ms(bare_page, args.rounds), 1),
        "slip_bytes": len(slip()),
        "targets": {"slip_warm_ms": 50, "slip_cold_ms": 400},
    }
    print(f"referral slip: warm {result['slip_warm_ms']} ms, cold {result['slip_cold_ms']} ms")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
